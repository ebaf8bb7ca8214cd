"""rdflib access to the ontology: a fast Oxigraph-backed store, prefixes and SPARQL.

rdflib's own SPARQL engine is slow on joins, so the package keeps the rdflib API but puts the
triples in Oxigraph (through the ``oxrdflib`` store plugin), whose engine answers instead.
The shipped query graph (``iapo-query.nt``) holds the ontology plus its relation-graph view.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

import rdflib
from rdflib.term import Identifier, Node

from iapontology.paths import QUERY_GRAPH_FILE, bundled_ontology_dir
from iapontology.rdf.relation_graph import add_relation_view
from iapontology.rdf.safety import RefusedInput
from iapontology.rdf.xmlguard import check_size, scan_xml, utf8_bytes
from iapontology.vocab import SPARQL_PREFIXES

#: Prefixes bound in every query (and used when printing IRIs): the package vocabulary.
PREFIXES: dict[str, str] = SPARQL_PREFIXES

#: rdflib parser names (Oxigraph's own parsers) by file suffix.
_PARSERS = {
    ".nt": "ox-nt",
    ".ttl": "ox-turtle",
    ".owl": "ox-xml",
    ".rdf": "ox-xml",
    ".xml": "ox-xml",
    ".nq": "ox-nquads",
    ".jsonld": "ox-json-ld",
}

_lock = threading.Lock()
_cached: rdflib.Graph | None = None


class Rows(list):
    """Result rows (dictionaries) that also remember the query's variable names."""

    def __init__(self, rows: Iterable[dict[str, Node | None]], variables: list[str]):
        super().__init__(rows)
        self.variables = variables


class QueryError(ValueError):
    """A SPARQL query could not be parsed or run; the message says where and why."""


def new_graph() -> rdflib.Graph:
    """An empty Oxigraph-backed rdflib graph with the ontology's prefixes bound."""
    graph = rdflib.Graph(store="Oxigraph")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


def parse_file(graph: rdflib.Graph, path: Path) -> rdflib.Graph:
    """Parse one RDF file into ``graph`` with Oxigraph's parser (chosen by suffix).

    Every file must be under the size limit; an RDF/XML file is first read whole by
    :func:`~iapontology.rdf.xmlguard.scan_xml` (no DTD or entities in any encoding, bounded
    nesting, well-formed tags, ``file:line:column`` for what it refuses) and Oxigraph is then
    given exactly the text that was checked.
    """
    parser = _PARSERS.get(path.suffix.lower())
    if parser is None:
        raise ValueError(f"{path}: unknown RDF file type {path.suffix!r}")
    check_size(path)
    try:
        if parser == "ox-xml":
            scan = scan_xml(path)
            if scan.encoding != "utf-8":
                graph.parse(data=utf8_bytes(path, scan), format=parser,
                            publicID=path.resolve().as_uri())
                return graph
        graph.parse(str(path), format=parser)
    except RefusedInput:
        raise
    except (SyntaxError, ValueError, OSError) as error:
        raise ValueError(f"{path}: {error}") from error
    return graph


def load_graph(paths: Iterable[Path], relation_view: bool = True) -> rdflib.Graph:
    """Load RDF files (OWL, Turtle, N-Triples...) into one fast graph.

    With ``relation_view`` the plain ``C p D`` triples of the relation-graph view are added.
    """
    graph = new_graph()
    for path in paths:
        parse_file(graph, Path(path))
    if relation_view:
        add_relation_view(graph)
    return graph


def graph(*extra: Path, reload: bool = False, endpoint: str | None = None) -> rdflib.Graph:
    """The shipped ontology with its relation-graph view, as an ``rdflib.Graph``.

    Loaded once and cached. ``extra`` files (your own or public ontologies) are merged into
    a new graph, with the relation view recomputed over the whole; that graph is not cached.
    With ``endpoint`` (a SPARQL 1.1 query URL, for example a store filled by ``iapo push``)
    the graph is a read-only view of that remote store instead.
    """
    global _cached
    if endpoint is not None:
        from rdflib.plugins.stores.sparqlstore import SPARQLStore

        # POST: the pre-bound prefixes make a query too long for a GET URL on some servers
        remote = rdflib.Graph(store=SPARQLStore(endpoint, returnFormat="json",
                                                method="POST_FORM"))
        for prefix, namespace in PREFIXES.items():
            remote.bind(prefix, namespace, override=True)
        return remote
    shipped = bundled_ontology_dir() / QUERY_GRAPH_FILE
    if not shipped.exists():
        raise FileNotFoundError(f"{shipped} is missing: run `iapo build` first")
    if extra:
        merged = load_graph([shipped, *extra], relation_view=False)
        return add_relation_view(merged)
    with _lock:
        if _cached is None or reload:
            _cached = load_graph([shipped], relation_view=False)
        return _cached


def inline_values(sparql: str, bindings: Mapping[str, Identifier]) -> str:
    """Bind variables with a ``VALUES`` block at the start of the query's WHERE pattern.

    Values are written as RDF terms (``n3()``, with IRIs and literals escaped), never as raw
    text, so a value cannot change the query's structure.
    """
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(term.n3() for term in bindings.values())
    block = f"VALUES ({names}) {{ ({values}) }}"
    where = re.search(r"\bWHERE\s*\{", sparql, re.IGNORECASE)
    if where is None:
        raise QueryError("cannot bind parameters: the query has no WHERE {...} pattern")
    return sparql[: where.end()] + " " + block + " " + sparql[where.end():]


def query(
    sparql: str,
    graph_: rdflib.Graph | None = None,
    bindings: Mapping[str, Identifier] | None = None,
) -> Rows:
    """Run a SPARQL SELECT or ASK query; the ontology's prefixes are pre-bound.

    ``bindings`` give typed values for variables (bound by the engine, never pasted into
    the query text). Rows come back as dictionaries from variable name to rdflib term
    (``None`` when unbound); an ASK query gives one row ``{"ask": Literal(True/False)}``.
    """
    target = graph_ if graph_ is not None else graph()
    if bindings and type(target.store).__name__ == "SPARQLStore":
        # A remote endpoint has no way to bind variables: put them in an inline VALUES block,
        # written from the typed RDF terms, at the start of the WHERE pattern.
        sparql, bindings = inline_values(sparql, bindings), None
    try:
        result = target.query(sparql, initNs=PREFIXES, initBindings=dict(bindings or {}))
    except SyntaxError as error:
        raise QueryError(f"malformed SPARQL: {error}") from error
    except Exception as error:  # pyoxigraph raises its own error types
        raise QueryError(f"query failed: {error}") from error
    if result.type == "ASK":
        return Rows([{"ask": rdflib.Literal(bool(result.askAnswer))}], ["ask"])
    if result.type != "SELECT":
        raise QueryError("only SELECT and ASK queries are supported here")
    names = [str(v) for v in result.vars]
    return Rows((dict(zip(names, row, strict=True)) for row in result), names)
