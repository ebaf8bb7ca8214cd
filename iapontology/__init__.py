"""iapontology: a curated OWL ontology of the human inhibitor of apoptosis proteins (IAPs).

The package ships the built ontology and gives three ways in:

* :func:`graph` returns the ontology as an :class:`rdflib.Graph` (loaded once, Oxigraph-backed);
* :func:`query` runs SPARQL over it with the ontology's prefixes already bound;
* :func:`term` finds a term by label, synonym, gene symbol, cross-reference or CURIE;
* :func:`queries` lists the named competency questions and :func:`run` runs one.

The ``iapo`` command builds, checks and queries the ontology from the shell.
"""

from iapontology.rdf.graph import PREFIXES, graph, query
from iapontology.sparql.named import queries, run
from iapontology.sparql.terms import Term, term

__version__ = "0.1.0"

__all__ = ["PREFIXES", "Term", "__version__", "graph", "queries", "query", "run", "term"]
