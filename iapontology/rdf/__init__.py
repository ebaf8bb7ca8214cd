"""RDF in and out, safely: the stage below everything that reads or queries RDF.

``graph`` loads RDF files into an Oxigraph-backed rdflib graph and runs SPARQL on it with the
ontology's prefixes; ``xmlguard``/``xmlscan``/``safety`` refuse hostile files and queries
before any parser sees them; ``relation_graph`` derives the plain ``C p D`` view of
existential axioms; ``rqfile`` reads SPARQL files with their headers.

May import: the bottom layer (``paths``, ``identifiers``, ``vocab``). Imported by every
stage above it.
"""

__all__: list[str] = []
