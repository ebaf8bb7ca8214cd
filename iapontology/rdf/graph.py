"""rdflib access to the ontology: a fast Oxigraph-backed store, prefixes and SPARQL.

rdflib's own SPARQL engine is slow on joins, so the package keeps the rdflib API but puts the
triples in Oxigraph (through the ``oxrdflib`` store plugin), whose engine answers instead.
The shipped query graph (``iapo-query.nt``) holds the ontology plus its relation-graph view.

:func:`query` sends SPARQL straight to the ``pyoxigraph.Store`` behind such a graph (rdflib's
SPARQL parser never runs) and converts each Oxigraph term to an rdflib term once, reusing the
converted terms across rows and calls. Parameters are written into the query text the engine
sees as a ``VALUES`` block of escaped RDF terms
(:func:`~iapontology.rdf.query_text.inline_values`), so the engine can use them to plan the
query. ``GROUP_CONCAT`` columns come back with their
values sorted (:mod:`iapontology.rdf.answers`), so that answers do not depend on the engine
or its query plan.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TypeAlias

import pyoxigraph as ox
import rdflib
from rdflib.term import Identifier, Node, URIRef

from iapontology.rdf.answers import (
    Row,
    Rows,
    ask_rows,
    concat_columns,
    from_oxigraph,
    sort_concatenations,
)
from iapontology.rdf.query_text import QueryError, inline_values
from iapontology.rdf.relation_graph import add_relation_view
from iapontology.rdf.safety import RefusedInput
from iapontology.rdf.shipped import shipped_path, shipped_store
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

#: What the query functions accept: an rdflib graph, or a bare Oxigraph store.
GraphLike: TypeAlias = rdflib.Graph | ox.Store

_lock = threading.Lock()
_cached: rdflib.Graph | None = None


def new_graph(store: ox.Store | None = None) -> rdflib.Graph:
    """An Oxigraph-backed rdflib graph with the ontology's prefixes bound.

    The triples live in the default graph of ``store`` (a new, empty ``pyoxigraph.Store``
    unless one is given), so the same store can also be queried directly.
    """
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    from iapontology.rdf.oxstore import IapoStore  # imports oxrdflib (and rdflib's SPARQL code)

    return _with_prefixes(rdflib.Graph(store=IapoStore(store if store is not None else ox.Store()),
                                       identifier=DATASET_DEFAULT_GRAPH_ID))


def _with_prefixes(graph_: rdflib.Graph) -> rdflib.Graph:
    """``graph_`` with the ontology's prefixes bound (for its serialisations and queries)."""
    for prefix, namespace in PREFIXES.items():
        graph_.bind(prefix, namespace, override=True)
    return graph_


def oxigraph_of(target: GraphLike) -> ox.Store | None:
    """The ``pyoxigraph.Store`` that answers for ``target``, or None when it has none.

    That is ``target`` itself when it is a store, or the store behind a graph made by
    :func:`new_graph` (any other graph is answered through rdflib's own ``query``).
    """
    if isinstance(target, ox.Store):
        return target
    inner = getattr(target.store, "oxigraph", None)
    return inner if isinstance(inner, ox.Store) else None


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
        return _with_prefixes(rdflib.Graph(store=SPARQLStore(endpoint, returnFormat="json",
                                                             method="POST_FORM")))
    if extra:
        merged = load_graph([shipped_path(), *extra], relation_view=False)
        return add_relation_view(merged)
    with _lock:
        if _cached is None or reload:
            _cached = new_graph(shipped_store(reload))
        return _cached


@contextlib.contextmanager
def _engine_errors() -> Iterator[None]:
    """Any engine's failure to parse or run a query, as a :class:`QueryError`."""
    try:
        yield
    except SyntaxError as error:
        raise QueryError(f"malformed SPARQL: {error}") from error
    except QueryError:
        raise
    except Exception as error:  # engines, parsers and remote endpoints raise many types
        if type(error).__module__.startswith("pyparsing"):  # rdflib's SPARQL parser
            raise QueryError(f"malformed SPARQL: {error}") from error
        raise QueryError(f"query failed: {error}") from error


def _run_oxigraph(store: ox.Store, sparql: str) -> Rows:
    with _engine_errors():
        result = store.query(sparql, prefixes=PREFIXES)
    if isinstance(result, ox.QueryBoolean):
        return ask_rows(bool(result))
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError("only SELECT and ASK queries are supported here")
    names = [v.value for v in result.variables]
    convert = from_oxigraph
    with _engine_errors():  # errors can also come while the answer streams
        return Rows([dict(zip(names, map(convert, solution), strict=True))
                     for solution in result], names)


def _run_rdflib(target: rdflib.Graph, sparql: str) -> Rows:
    with _engine_errors():
        result = target.query(sparql, initNs=PREFIXES)
    if result.type == "ASK":
        return ask_rows(bool(result.askAnswer))
    if result.type != "SELECT":
        raise QueryError("only SELECT and ASK queries are supported here")
    names = [str(v) for v in result.vars or ()]
    with _engine_errors():  # rdflib evaluates as the rows are read
        return Rows((dict(zip(names, row, strict=True)) for row in result),  # type: ignore[arg-type]
                    names)


def query(
    sparql: str,
    graph_: GraphLike | None = None,
    bindings: Mapping[str, Identifier] | None = None,
) -> Rows:
    """Run a SPARQL SELECT or ASK query; the ontology's prefixes are pre-bound.

    ``graph_`` is an rdflib graph or a ``pyoxigraph.Store`` (the shipped ontology when
    omitted). ``bindings`` give typed values for variables: they are written into the query
    the engine sees as a ``VALUES`` block of escaped RDF terms (:func:`inline_values`), never
    as raw text. Rows come back as dictionaries from variable name to rdflib term (``None``
    when unbound); an ASK query gives one row ``{"ask": Literal(True/False)}``. The values in
    each ``GROUP_CONCAT`` column are sorted (see :func:`sort_concatenations`).
    """
    target: GraphLike = graph_ if graph_ is not None else shipped_store()
    text = inline_values(sparql, bindings) if bindings else sparql
    store = oxigraph_of(target)
    if store is not None:
        rows = _run_oxigraph(store, text)
    else:
        assert isinstance(target, rdflib.Graph)
        rows = _run_rdflib(target, text)
    return sort_concatenations(rows, concat_columns(sparql))


def texts(target: GraphLike, predicate: str) -> Iterator[tuple[str, str]]:
    """``(subject IRI, object as text)`` for every triple with ``predicate``.

    Like :func:`objects`, but no rdflib term is made (what a name index needs).
    """
    store = oxigraph_of(target)
    if store is None:
        yield from ((s, str(o)) for s, o in objects(target, predicate))
        return
    for quad in store.quads_for_pattern(None, ox.NamedNode(predicate), None, ox.DefaultGraph()):
        obj = quad.object
        if isinstance(quad.subject, ox.NamedNode) and not isinstance(obj, ox.Triple):
            yield quad.subject.value, obj.value


def objects(
    target: GraphLike, predicate: str, subject: str | None = None
) -> Iterator[tuple[str, Node]]:
    """``(subject IRI, object)`` for every triple with ``predicate`` (and ``subject``).

    A plain look-up by pattern (no SPARQL); blank-node subjects are skipped.
    """
    store = oxigraph_of(target)
    if store is not None:
        pattern_subject = ox.NamedNode(subject) if subject is not None else None
        for quad in store.quads_for_pattern(pattern_subject, ox.NamedNode(predicate), None,
                                            ox.DefaultGraph()):
            if isinstance(quad.subject, ox.NamedNode):
                found = from_oxigraph(quad.object)
                if found is not None:
                    yield quad.subject.value, found
        return
    assert isinstance(target, rdflib.Graph)
    for s, o in target.subject_objects(URIRef(predicate)) if subject is None else (
            (URIRef(subject), o) for o in target.objects(URIRef(subject), URIRef(predicate))):
        if isinstance(s, URIRef):
            yield str(s), o


__all__ = [
    "PREFIXES", "GraphLike", "QueryError", "Row", "Rows", "graph", "load_graph", "new_graph",
    "objects", "oxigraph_of", "parse_file", "query", "shipped_store", "texts",
]
