"""rdflib access to the ontology: a fast Oxigraph-backed store, prefixes and SPARQL.

rdflib's own SPARQL engine is slow on joins, so the package keeps the rdflib API but puts the
triples in Oxigraph (through the ``oxrdflib`` store plugin), whose engine answers instead.
The shipped query graph (``iapo-query.nt``) holds the ontology plus its relation-graph view.

:func:`query` sends SPARQL straight to the ``pyoxigraph.Store`` behind such a graph (rdflib's
SPARQL parser never runs) and converts each Oxigraph term to an rdflib term once, reusing the
converted terms across rows and calls. Parameters are written into the query text the engine
sees as a ``VALUES`` block of escaped RDF terms (:func:`inline_values`), so the engine can use
them to plan the query. ``GROUP_CONCAT`` columns come back with their values sorted, so that
answers do not depend on the engine or its query plan.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import TypeAlias

import pyoxigraph as ox
import rdflib
from rdflib.term import BNode, Identifier, Literal, Node, URIRef

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

#: A row of a SELECT answer: variable name -> rdflib term (``None`` when unbound).
Row: TypeAlias = dict[str, Node | None]

#: What the query functions accept: an rdflib graph, or a bare Oxigraph store.
GraphLike: TypeAlias = rdflib.Graph | ox.Store


class Rows(list[Row]):
    """Result rows (dictionaries) that also remember the query's variable names."""

    def __init__(self, rows: Iterable[Row], variables: list[str]):
        super().__init__(rows)
        self.variables = variables


class QueryError(ValueError):
    """A SPARQL query could not be parsed or run; the message says where and why."""


_lock = threading.Lock()
_cached: rdflib.Graph | None = None


def new_graph(store: ox.Store | None = None) -> rdflib.Graph:
    """An Oxigraph-backed rdflib graph with the ontology's prefixes bound.

    The triples live in the default graph of ``store`` (a new, empty ``pyoxigraph.Store``
    unless one is given), so the same store can also be queried directly.
    """
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    from iapontology.rdf.oxstore import IapoStore  # imports oxrdflib (and rdflib's SPARQL code)

    graph_ = rdflib.Graph(store=IapoStore(store if store is not None else ox.Store()),
                          identifier=DATASET_DEFAULT_GRAPH_ID)
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
        remote = rdflib.Graph(store=SPARQLStore(endpoint, returnFormat="json",
                                                method="POST_FORM"))
        for prefix, namespace in PREFIXES.items():
            remote.bind(prefix, namespace, override=True)
        return remote
    if extra:
        merged = load_graph([shipped_path(), *extra], relation_view=False)
        return add_relation_view(merged)
    with _lock:
        if _cached is None or reload:
            _cached = new_graph(shipped_store(reload))
        return _cached


# --- writing RDF terms into query text ---------------------------------------------------

#: Characters a SPARQL IRIREF may not hold (besides controls and space).
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
#: A language tag (BCP 47 shape, as SPARQL's LANGTAG production allows).
_LANGTAG = re.compile(r"^[a-zA-Z]+(?:-[a-zA-Z0-9]+)*$")
#: Escapes of a SPARQL string between double quotes: the quote, the backslash, line ends.
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t",
                          "\b": "\\b", "\f": "\\f"})


def sparql_iri(iri: str) -> str:
    """``<iri>`` for a query text; an IRI with a character SPARQL forbids is refused."""
    if not iri or _IRI_FORBIDDEN.search(iri):
        raise QueryError(f"cannot use {iri!r} as an IRI: it is empty or holds a character "
                         "that IRIs may not contain")
    return f"<{iri}>"


def _escape_string(text: str) -> str:
    r"""The body of a double-quoted SPARQL string that means ``text`` to every engine.

    Quotes, backslashes and line breaks are escaped. SPARQL also lets an engine expand
    ``\uXXXX`` / ``\UXXXXXXXX`` anywhere in the query text before parsing it (rdflib does,
    Oxigraph does not), so an escaped backslash followed by ``u`` would turn into another
    character there: the ``u`` itself is written as a code-point escape, which both kinds of
    engine read back as ``u``.
    """
    escaped = text.translate(_ESCAPES)
    return re.sub(r"(?<=\\)([uU])", lambda m: f"\\U{ord(m[1]):08X}", escaped)


def sparql_term(node: Identifier) -> str:
    """An RDF term written as SPARQL text that means exactly that term, whatever it holds.

    IRIs are checked (never escaped into something else), literals are quoted with every
    quote, backslash and line break escaped, and a datatype or language tag is checked too.
    Blank nodes cannot be bound from outside a query and are refused.
    """
    if isinstance(node, URIRef):
        return sparql_iri(str(node))
    if isinstance(node, Literal):
        text = '"' + _escape_string(str(node)) + '"'
        if node.language:
            if not _LANGTAG.match(node.language):
                raise QueryError(f"bad language tag {node.language!r}")
            return f"{text}@{node.language}"
        if node.datatype is not None:
            return f"{text}^^{sparql_iri(str(node.datatype))}"
        return text
    raise QueryError(f"cannot bind a {type(node).__name__} in a query; use an IRI or a literal")


def values_block(names: Sequence[str], rows: Iterable[Sequence[Identifier | None]]) -> str:
    """A SPARQL ``VALUES`` block binding ``names`` to each row (``None`` leaves one unbound)."""
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"bad variable name {name!r}")
    written = " ".join(
        "(" + " ".join("UNDEF" if v is None else sparql_term(v) for v in row) + ")"
        for row in rows
    )
    return f"VALUES ({' '.join('?' + n for n in names)}) {{ {written} }}"


#: A query that already ends in its own VALUES clause (only comments may follow it); its data
#: may hold strings with braces in them (IRIs cannot).
_TRAILING_VALUES = re.compile(
    r"""\bVALUES\s*(?:[?$]\w+|\([^()]*\))\s*"""
    r"""\{(?:[^{}"']|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')*\}\s*(?:#[^\n]*\s*)*\Z""",
    re.IGNORECASE)


def inline_values(sparql: str, bindings: Mapping[str, Identifier]) -> str:
    """Bind variables with a ``VALUES`` block at the start of the query's WHERE pattern.

    Values are written as RDF terms (:func:`sparql_term`: IRIs checked, literals escaped),
    never as raw text, so a value cannot change the query's structure. The same block is
    also added as the query's trailing ``VALUES`` clause (unless it has one already). That
    changes no answer (every solution already holds those values; the clause joins them
    again after any grouping), but with it Oxigraph's planner keeps the bound value when it
    plans an ``OPTIONAL`` instead of evaluating the OPTIONAL for every value first
    (``iap_signalling_partners``: 145 ms to 2 ms at a million triples).
    """
    block = values_block(list(bindings), [list(bindings.values())])
    trailing = "" if _TRAILING_VALUES.search(sparql) else "\n" + block + "\n"
    where = re.search(r"\bWHERE\s*\{", sparql, re.IGNORECASE)
    if where is None:
        where = re.search(r"^\s*ASK\s*\{", _without_prologue(sparql), re.IGNORECASE)
        if where is None:
            raise QueryError("cannot bind parameters: the query has no WHERE {...} pattern")
        at = len(sparql) - len(_without_prologue(sparql)) + where.end()
    else:
        at = where.end()
    return sparql[:at] + " " + block + " " + sparql[at:] + trailing


def _without_prologue(sparql: str) -> str:
    """The query text after its comments, PREFIX and BASE declarations."""
    return re.sub(r"^(?:\s+|#[^\n]*\n|(?:PREFIX\s+[\w.-]*:|BASE)\s*<[^>]*>)*", "", sparql,
                  flags=re.IGNORECASE)


# --- answers: Oxigraph terms to rdflib terms, once ----------------------------------------

_converted: dict[object, Node] = {}
_CONVERTED_MAX = 500_000


def _from_oxigraph(
    term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None,
) -> Node | None:
    """The rdflib term for an Oxigraph term, made once and then reused from a cache."""
    if term is None:
        return None
    found = _converted.get(term)
    if found is not None:
        return found
    made: Node
    if isinstance(term, ox.NamedNode):
        made = URIRef(term.value)
    elif isinstance(term, ox.BlankNode):
        made = BNode(term.value)
    elif isinstance(term, ox.Literal):
        if term.language:
            made = Literal(term.value, lang=term.language)
        else:
            made = Literal(term.value, datatype=URIRef(term.datatype.value))
    else:
        raise QueryError(f"unsupported term in an answer: {term!r}")  # RDF-star triples
    if len(_converted) >= _CONVERTED_MAX:
        _converted.clear()
    _converted[term] = made
    return made


def _ask_rows(answer: bool) -> Rows:
    return Rows([{"ask": Literal(answer)}], ["ask"])


def _run_oxigraph(store: ox.Store, sparql: str) -> Rows:
    try:
        result = store.query(sparql, prefixes=PREFIXES)
    except SyntaxError as error:
        raise QueryError(f"malformed SPARQL: {error}") from error
    except Exception as error:  # pyoxigraph raises its own error types while evaluating
        raise QueryError(f"query failed: {error}") from error
    if isinstance(result, ox.QueryBoolean):
        return _ask_rows(bool(result))
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError("only SELECT and ASK queries are supported here")
    names = [v.value for v in result.variables]
    convert = _from_oxigraph
    try:
        return Rows([dict(zip(names, map(convert, solution), strict=True))
                     for solution in result], names)
    except (OSError, ValueError) as error:  # raised while the answer streams
        raise QueryError(f"query failed: {error}") from error


def _run_rdflib(target: rdflib.Graph, sparql: str) -> Rows:
    try:
        result = target.query(sparql, initNs=PREFIXES)
    except SyntaxError as error:
        raise QueryError(f"malformed SPARQL: {error}") from error
    except Exception as error:  # remote endpoints and parsers raise many error types
        raise QueryError(f"query failed: {error}") from error
    if result.type == "ASK":
        return _ask_rows(bool(result.askAnswer))
    if result.type != "SELECT":
        raise QueryError("only SELECT and ASK queries are supported here")
    names = [str(v) for v in result.vars or ()]
    return Rows((dict(zip(names, row, strict=True)) for row in result), names)  # type: ignore[arg-type]


# --- deterministic aggregates ---------------------------------------------------------------

_GROUP_CONCAT = re.compile(r"GROUP_CONCAT\s*\((?P<body>.*?)\)\s*AS\s*\?(?P<name>\w+)",
                           re.IGNORECASE | re.DOTALL)
_SEPARATOR = re.compile(r";\s*SEPARATOR\s*=\s*(?:\"((?:[^\"\\]|\\.)*)\"|'((?:[^'\\]|\\.)*)')\s*$",
                        re.IGNORECASE | re.DOTALL)
_UNESCAPE = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'",
             "\\": "\\"}


@lru_cache(maxsize=512)
def concat_columns(sparql: str) -> Mapping[str, str]:
    """The ``GROUP_CONCAT`` columns of a query, each with its separator (a space by default).

    Read-only (the answer is cached per query text).
    """
    columns: dict[str, str] = {}
    for match in _GROUP_CONCAT.finditer(sparql):
        separator = _SEPARATOR.search(match["body"])
        if separator is None:
            columns[match["name"]] = " "
            continue
        raw = separator[1] if separator[1] is not None else separator[2]
        columns[match["name"]] = re.sub(r"\\(.)", lambda m: _UNESCAPE.get(m[1], m[1]), raw)
    return MappingProxyType(columns)


def sort_concatenations(rows: Rows, columns: Mapping[str, str]) -> Rows:
    """Put the values inside each ``GROUP_CONCAT`` cell in code-point order, in place.

    SPARQL leaves the order of concatenated values to the engine (and to its query plan);
    split at the separator and sorted, the same group gives the same text everywhere. The
    cell becomes an ``xsd:string`` literal, as SPARQL 1.1 defines ``GROUP_CONCAT`` (Oxigraph
    keeps a language tag that all the values share, rdflib drops it); a group without
    values gives the empty string, as the standard says (Oxigraph leaves it unbound).
    """
    wanted = [(name, sep) for name, sep in columns.items() if name in rows.variables and sep]
    if not wanted:
        return rows
    for row in rows:
        for name, separator in wanted:
            cell = row.get(name)
            if cell is None:  # no values (rdflib gives "", Oxigraph leaves it unbound)
                row[name] = _EMPTY
            elif isinstance(cell, Literal):
                row[name] = _sorted_cell(str(cell), separator)
    return rows


_XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")


def _string_literal(text: str) -> Literal:
    return Literal(text, datatype=_XSD_STRING)


_EMPTY = _string_literal("")
_sorted_cells: dict[tuple[str, str], Literal] = {}


def _sorted_cell(text: str, separator: str) -> Literal:
    """The cell with its values sorted, made once per distinct text (cached)."""
    key = (separator, text)
    found = _sorted_cells.get(key)
    if found is None:
        if len(_sorted_cells) >= _CONVERTED_MAX:
            _sorted_cells.clear()
        found = _string_literal(separator.join(sorted(text.split(separator))))
        _sorted_cells[key] = found
    return found


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
                found = _from_oxigraph(quad.object)
                if found is not None:
                    yield quad.subject.value, found
        return
    assert isinstance(target, rdflib.Graph)
    for s, o in target.subject_objects(URIRef(predicate)) if subject is None else (
            (URIRef(subject), o) for o in target.objects(URIRef(subject), URIRef(predicate))):
        if isinstance(s, URIRef):
            yield str(s), o


__all__ = [
    "PREFIXES", "GraphLike", "QueryError", "Row", "Rows", "concat_columns", "graph",
    "inline_values", "load_graph", "new_graph", "objects", "oxigraph_of", "parse_file",
    "query", "shipped_store", "sort_concatenations", "sparql_iri", "sparql_term", "texts",
    "values_block",
]
