"""Issue 11: clients nobody here wrote read what ``iapo serve`` sends.

SPARQLWrapper and rdflib's SPARQLStore run SELECT, ASK and CONSTRUCT against the running
endpoint, and rdflib's own result parsers read every results format the endpoint serves, with
values chosen to hit every escaping rule. pyoxigraph's parsers, a second reading, read the
three typed formats (they refuse CSV as lossy).
"""

from __future__ import annotations

import io

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper

XIAP = "https://w3id.org/iapo/IAPO_0000104"
LABEL = f"SELECT ?l WHERE {{ <{XIAP}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}"
ASK = f"ASK {{ <{XIAP}> ?p ?o }}"
CONSTRUCT = f"CONSTRUCT WHERE {{ <{XIAP}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}"

#: values that exercise quoting and escaping in every format
TRICKY = r'''SELECT ?text ?number ?iri ?node ?missing ?lang WHERE {
  VALUES (?text ?number ?iri ?lang) {
    ("comma, \"quote\"\ttab\nnewline\r\\ & <tag>" 42 <http://example.org/a?b=c&d#e>
     "café"@fr)
    ("plain" "2.5"^^xsd:decimal <http://example.org/x> "x"^^<http://example.org/t?a=1&b=2>)
  }
  BIND(BNODE("b") AS ?node)
}'''


def wrapper(endpoint: str, query: str, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_ask_construct(endpoint: str, method: str) -> None:
    select = wrapper(endpoint, LABEL, JSON)
    select.setMethod(method)
    rows = select.query().convert()["results"]["bindings"]
    assert [r["l"]["value"] for r in rows] == ["XIAP"]
    xml = wrapper(endpoint, LABEL, XML)
    xml.setMethod(method)
    values = [n.firstChild.data for n in xml.query().convert().getElementsByTagName("literal")]
    assert values == ["XIAP"]
    ask = wrapper(endpoint, ASK, JSON)
    ask.setMethod(method)
    assert ask.query().convert()["boolean"] is True
    for fmt in (XML, TURTLE):  # SPARQLWrapper's default (RDF/XML) and Turtle
        construct = wrapper(endpoint, CONSTRUCT, fmt)
        construct.setMethod(method)
        result = construct.query().convert()
        graph = result if isinstance(result, rdflib.Graph) else rdflib.Graph().parse(
            data=result, format="turtle")
        assert set(graph.objects(URIRef(XIAP))) == {Literal("XIAP", lang="en")}


def test_sparqlwrapper_csv_and_tsv(endpoint: str) -> None:
    csv_text = wrapper(endpoint, LABEL, CSV).query().convert().decode()
    assert csv_text == "l\r\nXIAP\r\n"
    tsv_text = wrapper(endpoint, LABEL, TSV).query().convert().decode()
    assert tsv_text == '?l\n"XIAP"@en\n'


def test_rdflib_sparqlstore_select_ask_construct(endpoint: str) -> None:
    for method in ("GET", "POST_FORM"):
        remote = rdflib.Graph(store=SPARQLStore(endpoint + "/sparql", method=method))
        assert [str(row.l) for row in remote.query(LABEL)] == ["XIAP"]
        assert remote.query(ASK).askAnswer is True
        graph = remote.query(CONSTRUCT).graph
        assert set(graph.objects(URIRef(XIAP))) == {Literal("XIAP", lang="en")}


EXPECTED = [
    {"text": Literal('comma, "quote"\ttab\nnewline\r\\ & <tag>'),
     "number": Literal("42", datatype=XSD.integer),
     "iri": URIRef("http://example.org/a?b=c&d#e"), "lang": Literal("café", lang="fr")},
    {"text": Literal("plain"), "number": Literal("2.5", datatype=XSD.decimal),
     "iri": URIRef("http://example.org/x"),
     "lang": Literal("x", datatype=URIRef("http://example.org/t?a=1&b=2"))},
]


def fetch(endpoint: str, accept: str) -> bytes:
    response = httpx.post(endpoint + "/sparql", data={"query": TRICKY},
                          headers={"Accept": accept})
    assert response.status_code == 200, response.text
    return response.content


def rows_of(result: rdflib.query.Result) -> list[dict]:
    return [{str(k): v for k, v in row.asdict().items()} for row in result]


@pytest.mark.parametrize(("fmt", "accept"), [
    ("json", "application/sparql-results+json"), ("xml", "application/sparql-results+xml"),
    ("tsv", "text/tab-separated-values")])
def test_rdflib_parsers_read_typed_formats(endpoint: str, fmt: str, accept: str) -> None:
    result = rdflib.query.Result.parse(io.BytesIO(fetch(endpoint, accept)), format=fmt)
    assert [str(v) for v in result.vars] == ["text", "number", "iri", "node", "missing",
                                              "lang"]
    rows = rows_of(result)
    for row, expected in zip(rows, EXPECTED, strict=True):
        assert isinstance(row.pop("node"), BNode)
        assert "missing" not in row
        assert row == expected


def test_rdflib_csv_parser_reads_values(endpoint: str) -> None:
    body = fetch(endpoint, "text/csv")
    assert body.startswith(b"text,number,iri,node,missing,lang\r\n")
    rows = rows_of(rdflib.query.Result.parse(io.BytesIO(body), format="csv"))
    for row, expected in zip(rows, EXPECTED, strict=True):
        assert str(row.pop("node")).startswith("_:")
        assert {k: str(v) for k, v in row.items() if v is not None} == {
            k: str(v) for k, v in expected.items()}


@pytest.mark.parametrize(("fmt", "accept"), [
    (ox.QueryResultsFormat.JSON, "application/sparql-results+json"),
    (ox.QueryResultsFormat.XML, "application/sparql-results+xml"),
    (ox.QueryResultsFormat.TSV, "text/tab-separated-values")])
def test_oxigraph_parsers_read_typed_formats(endpoint: str, fmt, accept: str) -> None:
    solutions = ox.parse_query_results(fetch(endpoint, accept), format=fmt)
    rows = [{v.value: solution[v] for v in solutions.variables} for solution in solutions]
    assert [row["text"].value for row in rows] == [str(EXPECTED[0]["text"]), "plain"]
    assert rows[1]["lang"].datatype.value == "http://example.org/t?a=1&b=2"
    assert rows[0]["lang"].language == "fr" and rows[0]["missing"] is None


@pytest.mark.parametrize(("fmt", "accept"), [("json", "application/sparql-results+json"),
                                             ("xml", "application/sparql-results+xml")])
def test_ask_in_rdflib_parsers(endpoint: str, fmt: str, accept: str) -> None:
    body = httpx.get(endpoint + "/sparql", params={"query": ASK},
                     headers={"Accept": accept}).content
    assert rdflib.query.Result.parse(io.BytesIO(body), format=fmt).askAnswer is True
