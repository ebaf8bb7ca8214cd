"""iapontology: a curated OWL ontology of the human inhibitor of apoptosis proteins (IAPs).

The package ships the built ontology and gives three ways in:

* :func:`graph` returns the ontology as an :class:`rdflib.Graph` (loaded once, Oxigraph-backed);
* :func:`query` runs SPARQL over it with the ontology's prefixes already bound;
* :func:`term` finds a term by label, synonym, gene symbol, cross-reference or CURIE;
* :func:`queries` lists the named competency questions and :func:`run` runs one.

The ``iapo`` command builds, checks and queries the ontology from the shell.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from iapontology.rdf.graph import PREFIXES, graph, query
    from iapontology.sparql.named import queries, run
    from iapontology.sparql.terms import Term, term

__version__ = "0.1.0"

__all__ = ["PREFIXES", "Term", "__version__", "graph", "queries", "query", "run", "term"]

#: Where each public name lives. They are imported on first use, so that ``import
#: iapontology.cli`` does not import rdflib before a command needs it.
_HOMES = {"PREFIXES": "iapontology.rdf.graph", "graph": "iapontology.rdf.graph",
          "query": "iapontology.rdf.graph", "queries": "iapontology.sparql.named",
          "run": "iapontology.sparql.named", "Term": "iapontology.sparql.terms",
          "term": "iapontology.sparql.terms"}


def __getattr__(name: str) -> Any:
    """A public name, or a subpackage or module (``iapontology.vocab``), imported on first use."""
    home = _HOMES.get(name)
    if home is not None:
        value = getattr(import_module(home), name)
    elif not name.startswith("__"):
        try:
            value = import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"{__name__}.{name}":
                raise  # the module exists but needs something missing
            raise AttributeError(f"module 'iapontology' has no attribute {name!r}") from None
    else:
        raise AttributeError(f"module 'iapontology' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
