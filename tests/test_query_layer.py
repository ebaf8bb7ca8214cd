"""The query layer at its seams: parameters written into the query text, Oxigraph and rdflib
answering alike, aggregated columns in one order, near-miss term values, CURIE printing."""

from __future__ import annotations

import importlib.util
import random
import string
import warnings
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import XSD, Literal, URIRef

import iapontology as iapo
from iapontology.identifiers import compress, converter
from iapontology.paths import QUERY_GRAPH_FILE, bundled_ontology_dir
from iapontology.rdf.answers import Rows, concat_columns, from_oxigraph, sort_concatenations
from iapontology.rdf.graph import new_graph, oxigraph_of, query, shipped_store
from iapontology.rdf.query_text import QueryError, inline_values, sparql_term, values_block
from iapontology.sparql.named import UnknownTermValue, bind_parameters, get_query, queries, run
from iapontology.sparql.terms import UnknownTerm, resolve, term

#: A query whose shape shows whether a bound value stayed a value: exactly one row, ?x = 1.
PROBE = "SELECT ?v ?x WHERE { BIND(1 AS ?x) }"

#: Text that tries to end the string, the VALUES block or the query, or to smuggle escapes.
HOSTILE_PIECES = ['"', "'", '"""', "\\", "\\\\", "\n", "\r", "\t", "}", "{", ")", "(", "#",
                  "\\u0022", "\\U00000022", "\\n", "\\\"", '" } ', "UNDEF", "?x", "<", ">",
                  "'''", "é", "\u2028", "\x00", "\x7f", "\U0001D518", " . ?s ?p ?o ", "DROP ALL"]

hostile_text = st.one_of(
    st.text(),
    st.lists(st.sampled_from(HOSTILE_PIECES) | st.text(max_size=3), max_size=12).map("".join),
)


def _plain(node: object) -> tuple[str, str | None, str | None]:
    """A literal as (text, language, datatype), with xsd:string for a plain literal."""
    assert isinstance(node, Literal)
    datatype = None if node.language else str(node.datatype or XSD.string)
    return str(node), node.language, datatype


def _probe(value: Literal, target: rdflib.Graph | ox.Store) -> Rows:
    rows = query(PROBE, target, {"v": value})
    assert rows.variables == ["v", "x"]
    assert len(rows) == 1 and rows[0]["x"] == Literal(1)
    return rows


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=hostile_text)
def test_hostile_string_is_bound_as_itself(text: str) -> None:
    value = Literal(text)
    rows = _probe(value, ox.Store())
    assert _plain(rows[0]["v"]) == (text, None, str(XSD.string))


@settings(max_examples=200, deadline=None)
@given(text=hostile_text,
       lang=st.sampled_from(["en", "en-GB", "de", "fr-CA", "zh-Hant-TW", "sr-Latn", "es-419"]))
def test_hostile_language_string_is_bound_as_itself(text: str, lang: str) -> None:
    rows = _probe(Literal(text, lang=lang), ox.Store())
    assert _plain(rows[0]["v"]) == (text, lang.lower(), None)


@settings(max_examples=100, deadline=None)
@given(text=hostile_text)
def test_hostile_values_bind_alike_in_rdflibs_engine(text: str) -> None:
    """The same VALUES text means the same term to rdflib's own SPARQL parser."""
    rows = _probe(Literal(text), rdflib.Graph())
    assert _plain(rows[0]["v"]) == (text, None, str(XSD.string))


@settings(max_examples=200, deadline=None)
@given(local=st.lists(st.sampled_from([*string.ascii_letters, *string.digits,
                                       *"-._~!$&'()*+,;=:@/?", "%3E", "%22", "%7D", "%20",
                                       "é", "\U0001D518"]), max_size=30).map("".join))
def test_iris_are_bound_as_themselves(local: str) -> None:
    iri = "https://example.org/" + local
    rows = _probe(URIRef(iri), ox.Store())  # type: ignore[arg-type]
    assert rows[0]["v"] == URIRef(iri)


@pytest.mark.parametrize("bad", ['https://e.org/a> } DROP ALL #', "https://e.org/a b",
                                 'https://e.org/"', "https://e.org/{x}", "https://e.org/\\u003E",
                                 "https://e.org/\n", "", "https://e.org/a|b", "https://e.org/^"])
def test_iris_that_could_break_out_are_refused(bad: str) -> None:
    with pytest.raises(QueryError, match="cannot use"):
        query(PROBE, ox.Store(), {"v": URIRef(bad)})


def test_datatypes_that_could_break_out_are_refused() -> None:
    with pytest.raises(QueryError, match="cannot use"):
        sparql_term(Literal("x", datatype=URIRef("https://e.org/t> . }")))


def test_blank_nodes_and_bad_names_are_refused() -> None:
    with pytest.raises(QueryError, match="BNode"):
        query(PROBE, ox.Store(), {"v": rdflib.BNode()})
    with pytest.raises(QueryError, match="variable name"):
        inline_values(PROBE, {"v } #": Literal(1)})


def test_values_go_inside_the_where_pattern_and_ask_queries() -> None:
    text = inline_values("PREFIX a: <https://e.org/a#>\n# a comment {\nASK { ?s ?p ?v }",
                         {"v": Literal(2)})
    block = 'VALUES (?v) { ("2"^^<http://www.w3.org/2001/XMLSchema#integer>) }'
    assert text.endswith(f"ASK {{ {block}  ?s ?p ?v }}\n{block}\n")
    assert query(text, ox.Store())[0]["ask"] == Literal(False)
    with pytest.raises(QueryError, match="no WHERE"):
        inline_values("DESCRIBE <https://e.org/x>", {"v": Literal(1)})


def test_the_trailing_values_clause_changes_no_answer() -> None:
    """The block is repeated as the query's trailing VALUES clause, a hint to the planner:
    grouped or not, with the variable projected or not, the answers are those of the block
    inside the WHERE pattern alone; a query with its own trailing clause keeps it."""
    store = ox.Store()
    ex = "https://e.org/"
    for s, o in (("a", "x"), ("a", "y"), ("b", "x")):
        store.add(ox.Quad(ox.NamedNode(ex + s), ox.NamedNode(ex + "p"), ox.NamedNode(ex + o)))
    bound = {"o": URIRef(ex + "x")}
    for sparql in (
        "SELECT ?s ?o WHERE { ?s <https://e.org/p> ?o OPTIONAL { ?o <https://e.org/q> ?z } }",
        "SELECT ?o (COUNT(?s) AS ?n) WHERE { ?s <https://e.org/p> ?o } GROUP BY ?o",
        "SELECT (COUNT(?s) AS ?n) WHERE { ?s <https://e.org/p> ?o }",
        "SELECT ?s (COUNT(?o) AS ?n) WHERE { ?s <https://e.org/p> ?o } GROUP BY ?s ORDER BY ?s",
        "SELECT ?s ?o WHERE { ?s <https://e.org/p> ?o } VALUES ?s { <https://e.org/a> } # own",
        'SELECT ?s ?o ?t WHERE { ?s <https://e.org/p> ?o } VALUES (?s ?t) '
        '{ (<https://e.org/a> "} {") (<https://e.org/b> \'\\\'}\') } # own, braces in strings',
    ):
        at = sparql.index("WHERE {") + len("WHERE {")
        leading_only = sparql[:at] + " " + values_block(["o"], [[bound["o"]]]) + sparql[at:]
        hinted = inline_values(sparql, bound)
        assert hinted.count("VALUES") == leading_only.count("VALUES") + ("own" not in sparql)
        expected = [dict(row) for row in query(leading_only, store)]
        assert [dict(row) for row in query(hinted, store)] == expected, sparql
        assert expected, sparql


def test_hostile_term_parameter_is_refused_then_matches_nothing() -> None:
    before = len(shipped_store())
    for text in ('x" } DROP ALL #', "XIAP> } #", "\\u0022 }", "cIAP\n}"):
        with pytest.raises(UnknownTermValue):
            run("iaps_with_domain", domain=text)
        assert run("iaps_with_domain", allow_empty=True, domain=text) == []
    assert len(shipped_store()) == before


def test_near_miss_term_value_has_suggestions() -> None:
    with pytest.raises(LookupError) as caught:
        run("iap_actions", iap="cIAP")
    assert isinstance(caught.value, UnknownTermValue) and isinstance(caught.value, UnknownTerm)
    assert {"cIAP1", "cIAP2"} <= set(caught.value.suggestions)
    assert "parameter iap of iap_actions" in str(caught.value)
    with pytest.raises(UnknownTerm, match="did you mean 'XIAP'"):
        resolve("XIAPP")


def test_resolve_matches_term_for_every_name_kind() -> None:
    for text in ("XIAP", "xiap", "BIRC4", "IAPO:0000104", "https://w3id.org/iapo/IAPO_0000104",
                 "ring domain"):
        assert resolve(text) == term(text).iri
    assert resolve("XIAP") == "https://w3id.org/iapo/IAPO_0000104"


def test_parameters_bound_in_the_text_equal_engine_substitution() -> None:
    """Every named question with its defaults: the VALUES-bound text gives the rows that
    Oxigraph's own variable substitution gives (two different query plans)."""
    store = shipped_store()
    for named in queries().values():
        bindings = bind_parameters(named, {}, store)
        if not bindings:
            continue
        substituted = store.query(
            named.sparql, prefixes=iapo.PREFIXES,
            substitutions={ox.Variable(k): _to_ox(v) for k, v in bindings.items()})
        assert isinstance(substituted, ox.QuerySolutions)
        expected = _normalised_oxigraph(substituted, named.sparql)
        assert _normalised(query(named.sparql, store, bindings)) == expected, named.name


def _to_ox(node: rdflib.term.Identifier) -> ox.NamedNode | ox.Literal:
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    assert isinstance(node, Literal)
    return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype or XSD.string)))


def _normalised(rows: Rows) -> list[tuple[str, ...]]:
    """The rows as N3 text, sorted: rows that tie on ORDER BY may come in either order."""
    return sorted(tuple("" if row[v] is None else row[v].n3() for v in rows.variables)  # type: ignore[union-attr]
                  for row in rows)


def _normalised_oxigraph(result: ox.QuerySolutions, sparql: str) -> list[tuple[str, ...]]:
    names = [v.value for v in result.variables]
    rows = Rows([dict(zip(names, map(from_oxigraph, s), strict=True)) for s in result], names)
    return _normalised(sort_concatenations(rows, concat_columns(sparql)))


def test_concat_columns_and_their_separators() -> None:
    sparql = ('SELECT (GROUP_CONCAT(DISTINCT STR(?s); separator=" ") AS ?a) '
              "(group_concat(?l ; SEPARATOR = ', ') AS ?b) (GROUP_CONCAT(?x) AS ?c) "
              '(GROUP_CONCAT(?y; separator="\\t") AS ?d) WHERE {}')
    assert concat_columns(sparql) == {"a": " ", "b": ", ", "c": " ", "d": "\t"}


def test_concatenations_are_sorted_whatever_the_engine_order() -> None:
    values = ["caspase-9", "Smac", "caspase-3, cleaved", "apoptosome", "Smac"]
    texts = set()
    for seed in range(20):
        random.Random(seed).shuffle(values)
        rows = Rows([{"c": Literal(", ".join(values), lang="en")}], ["c"])
        texts.add(sort_concatenations(rows, {"c": ", "})[0]["c"])
    assert texts == {Literal("Smac, Smac, apoptosome, caspase-3, caspase-9, cleaved",
                             datatype=XSD.string)}


def _reloaded_in_reverse() -> ox.Store:
    """The shipped triples in a new store, added in reverse order (other internal ids)."""
    lines = (bundled_ontology_dir() / QUERY_GRAPH_FILE).read_text(encoding="utf-8").splitlines()
    store = ox.Store()
    store.load(input="\n".join(reversed(lines)) + "\n", format=ox.RdfFormat.N_TRIPLES)
    return store


def test_aggregated_columns_agree_across_loads_and_bindings() -> None:
    """Every named question: the same rows from the shipped store, from a store filled in
    another order, and from the rdflib graph over the same store."""
    reverse = _reloaded_in_reverse()
    wrapped = new_graph(shipped_store())
    assert oxigraph_of(wrapped) is shipped_store()
    for name in queries():
        expected = _normalised(run(name))
        assert _normalised(run(name, reverse)) == expected, name
        assert _normalised(run(name, wrapped)) == expected, name


#: Named questions with GROUP_CONCAT columns that rdflib's own engine answers in seconds.
RDFLIB_FAST = ("agents_in_phase_3", "biomarkers_for_agent", "iap_antagonists", "iaps_by_pathway",
               "iaps_with_e3_activity", "term_details", "trials_for_agent")


@pytest.fixture(scope="module")
def rdflib_graph() -> rdflib.Graph:
    return rdflib.Graph().parse(bundled_ontology_dir() / QUERY_GRAPH_FILE, format="nt")


@pytest.mark.parametrize("name", RDFLIB_FAST)
def test_rdflibs_engine_gives_the_same_rows(name: str, rdflib_graph: rdflib.Graph) -> None:
    named = get_query(name)
    assert concat_columns(named.sparql), "chosen for its GROUP_CONCAT column"
    bindings = bind_parameters(named, {}, shipped_store())
    oxigraph_rows = query(named.sparql, shipped_store(), bindings)
    rdflib_rows = query(named.sparql, rdflib_graph, bindings)

    def key(rows: Rows) -> list[tuple[tuple[str, str | None], ...]]:
        # rdflib writes a plain literal without xsd:string; compare text and language
        return sorted(tuple((str(r[v]), getattr(r[v], "language", None))
                            for v in rows.variables) for r in rows)

    assert key(rdflib_rows) == key(oxigraph_rows)
    assert rdflib_rows.variables == oxigraph_rows.variables


def test_terms_are_converted_once_and_reused() -> None:
    first = query("SELECT ?x WHERE { ?x rdfs:label ?l } ORDER BY ?x LIMIT 5")
    second = query("SELECT ?x WHERE { ?x rdfs:label ?l } ORDER BY ?x LIMIT 5")
    assert [r["x"] for r in first] == [r["x"] for r in second]
    assert all(a["x"] is b["x"] for a, b in zip(first, second, strict=True))


def test_compress_agrees_with_curies_on_every_iri() -> None:
    iris = {q.subject.value for q in shipped_store().quads_for_pattern(None, None, None)
            if isinstance(q.subject, ox.NamedNode)}
    iris |= {q.object.value for q in shipped_store().quads_for_pattern(None, None, None)
             if isinstance(q.object, ox.NamedNode)}
    iris |= {"https://w3id.org/iapo/IAPO_", "http://example.org/x", "http://purl.obolibrary.org/obo/"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for iri in iris:
            expected = converter().compress(iri)
            assert compress(iri) == (expected if expected and not expected.endswith(":")
                                     else None), iri


def test_graph_shares_the_store_and_counts_without_a_query() -> None:
    lines = [line for line in (bundled_ontology_dir() / QUERY_GRAPH_FILE)
             .read_text(encoding="utf-8").splitlines() if line.strip()]
    graph = iapo.graph()
    assert oxigraph_of(graph) is shipped_store()
    assert len(graph) == len(set(lines))
    named = new_graph()
    named.store.oxigraph.add(ox.Quad(ox.NamedNode("https://e.org/s"), ox.NamedNode("https://e.org/p"),
                                     ox.Literal("o"), ox.NamedNode("https://e.org/g")))
    assert len(named) == 0  # the rdflib graph is the default graph; the named one is apart


def test_an_error_rdflib_raises_while_it_reads_rows_is_a_query_error() -> None:
    """rdflib evaluates as the rows are read; what it raises then (here an AttributeError in
    its SUM over IRIs) is a QueryError like any other failure, not a bare exception."""
    plain = rdflib.Graph()
    plain.add((URIRef("https://e.org/s"), URIRef("https://e.org/p"), Literal(1)))
    with pytest.raises(QueryError, match="query failed"):
        query("SELECT (SUM(?s) AS ?total) WHERE { ?s ?p ?o }", plain)
    with pytest.raises(QueryError, match="malformed SPARQL"):
        query("SELECT ?s WHERE { ?s ?p }", plain)


def test_a_plain_rdflib_graph_answers_through_rdflib(rdflib_graph: rdflib.Graph) -> None:
    assert oxigraph_of(rdflib_graph) is None
    assert term("BIRC4", rdflib_graph) == term("BIRC4")
    with pytest.raises(UnknownTerm, match="did you mean 'XIAP'"):
        resolve("XIAPP", rdflib_graph)
    rows = run("iaps_with_domain", rdflib_graph, domain="RING domain")
    assert {str(r["label"]) for r in rows} == {"XIAP", "cIAP1", "cIAP2", "livin"}


def test_every_named_question_orders_its_rows_totally() -> None:
    """Rows come in the same order from stores filled in different orders: each question's
    ORDER BY leaves no ties for the engine to break its own way."""
    lines = (bundled_ontology_dir() / QUERY_GRAPH_FILE).read_text(encoding="utf-8").splitlines()
    random.Random(7).shuffle(lines)
    shuffled = ox.Store()
    shuffled.load(input="\n".join(lines) + "\n", format=ox.RdfFormat.N_TRIPLES)
    reverse = _reloaded_in_reverse()
    for name in queries():
        expected = run(name)
        assert run(name, reverse) == expected, name
        assert run(name, shuffled) == expected, name


def test_row_orders_stay_total_when_records_share_their_labels(tmp_path: Path) -> None:
    """With a renamed copy of every record and agent (same labels, other IRIs: what the
    scale benchmark generates), stores filled in two orders still give one row order. The
    shipped labels are unique, so ties on a label alone show only here."""
    spec = importlib.util.spec_from_file_location(
        "scale", Path(__file__).resolve().parent.parent / "benchmarks" / "scale.py")
    assert spec is not None and spec.loader is not None
    scale = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scale)
    shipped = bundled_ontology_dir() / QUERY_GRAPH_FILE
    lines = shipped.read_text(encoding="utf-8").splitlines()
    scale.write_extension(shipped, tmp_path / "copy.nt", len(lines) + 1)  # one copy
    lines += (tmp_path / "copy.nt").read_text(encoding="utf-8").splitlines()
    stores = []
    for seed in (1, 2):
        random.Random(seed).shuffle(lines)
        store = ox.Store()
        store.load(input="\n".join(lines) + "\n", format=ox.RdfFormat.N_TRIPLES)
        stores.append(store)
    assert len(stores[0]) > 1.5 * len(shipped_store())
    for name in queries():
        assert run(name, stores[0]) == run(name, stores[1]), name


def test_the_background_load_gives_the_one_shipped_store(monkeypatch: pytest.MonkeyPatch) -> None:
    """``iapo query`` starts loading the shipped store in a thread; the store it makes is the
    one every later call gets, and a missing file is raised by that later call, not lost."""
    from iapontology.rdf import shipped

    monkeypatch.setattr(shipped, "_store", None)
    shipped.load_in_background().join()
    loaded = shipped._store
    assert loaded is not None and shipped_store() is loaded and len(loaded) > 10_000
    monkeypatch.setattr(shipped, "_store", None)
    monkeypatch.setattr(shipped, "bundled_ontology_dir", lambda: Path("/nonexistent"))
    shipped.load_in_background().join()  # fails quietly in its thread
    with pytest.raises(FileNotFoundError, match="run `iapo build` first"):
        shipped.shipped_store()
