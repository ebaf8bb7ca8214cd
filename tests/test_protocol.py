"""Issue 11: the SPARQL 1.1 Protocol, case by case, against a running ``iapo serve``.

The cases follow the W3C SPARQL 1.1 Protocol specification and the query cases of its test
suite (``query_get``, ``query_post_form``, ``query_post_direct``, the dataset cases, the
content-type cases and the ``bad_*`` cases) that apply to a read-only endpoint; the update
cases become "Update refused". Requests are written byte by byte with ``http.client`` so that
nothing between the test and the server repairs a bad request.
"""

from __future__ import annotations

import http.client
import json
from urllib.parse import quote, urlsplit

import pytest

from iapontology.serve.worker import DATA_GRAPH

XIAP = "SELECT ?l WHERE { IAPO:0000104 rdfs:label ?l }"
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"


class Answer:
    """Status, headers and body of one response."""

    def __init__(self, status: int, headers: dict[str, str], body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> dict:
        return json.loads(self.body)

    def labels(self) -> list[str]:
        return [b["l"]["value"] for b in self.json()["results"]["bindings"]]


def send(base: str, method: str, target: str, body: bytes | None = None,
         headers: dict[str, str] | None = None) -> Answer:
    """Send exactly this request line, headers and body."""
    where = urlsplit(base)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=60)
    try:
        connection.putrequest(method, target, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()},
                      response.read())
    finally:
        connection.close()


def get(base: str, query: str, extra: str = "", **headers: str) -> Answer:
    return send(base, "GET", f"/sparql?query={quote(query)}{extra}", headers=headers)


# --- queries by GET, POST form and POST direct (query_get, query_post_form, ...direct) -----
def test_query_get(endpoint: str) -> None:
    answer = get(endpoint, XIAP)
    assert answer.status == 200 and answer.labels() == ["XIAP"]


def test_query_post_form(endpoint: str) -> None:
    answer = send(endpoint, "POST", "/sparql", f"query={quote(XIAP)}".encode(),
                  {"Content-Type": FORM})
    assert answer.status == 200 and answer.labels() == ["XIAP"]


def test_query_post_form_with_charset_and_plus_for_space(endpoint: str) -> None:
    body = "query=" + quote(XIAP).replace("%20", "+")
    answer = send(endpoint, "POST", "/sparql", body.encode(),
                  {"Content-Type": f"{FORM}; charset=UTF-8"})
    assert answer.status == 200 and answer.labels() == ["XIAP"]


def test_query_post_direct(endpoint: str) -> None:
    answer = send(endpoint, "POST", "/sparql", XIAP.encode(), {"Content-Type": DIRECT})
    assert answer.status == 200 and answer.labels() == ["XIAP"]


# --- datasets: default-graph-uri and named-graph-uri are honoured --------------------------
GRAPHS = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def count(answer: Answer) -> int:
    assert answer.status == 200, answer.text
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def test_query_dataset_default_graph(endpoint: str) -> None:
    everything = count(get(endpoint, GRAPHS))
    assert everything > 10_000
    assert count(get(endpoint, GRAPHS, f"&default-graph-uri={quote(DATA_GRAPH)}")) == everything
    assert count(get(endpoint, GRAPHS, "&default-graph-uri=http%3A%2F%2Fexample.org%2Fnone")) == 0


def test_query_dataset_default_graphs_post(endpoint: str) -> None:
    body = (f"query={quote(GRAPHS)}&default-graph-uri={quote(DATA_GRAPH)}"
            "&default-graph-uri=http%3A%2F%2Fexample.org%2Fnone").encode()
    answer = send(endpoint, "POST", "/sparql", body, {"Content-Type": FORM})
    assert count(answer) == count(get(endpoint, GRAPHS))


def test_query_dataset_named_graphs(endpoint: str) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    named = get(endpoint, query, f"&named-graph-uri={quote(DATA_GRAPH)}")
    assert [b["g"]["value"] for b in named.json()["results"]["bindings"]] == [DATA_GRAPH]
    other = get(endpoint, query, "&named-graph-uri=http%3A%2F%2Fexample.org%2Fnone")
    assert other.status == 200 and other.json()["results"]["bindings"] == []


def test_query_dataset_direct_post_takes_graphs_from_the_url(endpoint: str) -> None:
    answer = send(endpoint, "POST", "/sparql?default-graph-uri=http%3A%2F%2Fexample.org%2Fx",
                  GRAPHS.encode(), {"Content-Type": DIRECT})
    assert count(answer) == 0


def test_query_multiple_dataset_protocol_overrides_from(endpoint: str) -> None:
    query = "SELECT (COUNT(*) AS ?n) FROM <http://example.org/none> WHERE { ?s ?p ?o }"
    assert count(get(endpoint, query)) == 0
    assert count(get(endpoint, query, f"&default-graph-uri={quote(DATA_GRAPH)}")) > 10_000


def test_dataset_iri_must_be_absolute(endpoint: str) -> None:
    answer = get(endpoint, GRAPHS, "&default-graph-uri=not%20an%20iri")
    assert answer.status == 400 and "absolute IRI" in answer.text


# --- content types of each query form --------------------------------------------------------
@pytest.mark.parametrize(("query", "accept", "media"), [
    (XIAP, "application/sparql-results+xml", "application/sparql-results+xml"),
    (XIAP, "application/sparql-results+json", "application/sparql-results+json"),
    (XIAP, "text/csv", "text/csv"),
    (XIAP, "text/tab-separated-values", "text/tab-separated-values"),
    ("ASK { IAPO:0000104 ?p ?o }", "application/sparql-results+xml",
     "application/sparql-results+xml"),
    ("ASK { IAPO:0000104 ?p ?o }", "application/sparql-results+json",
     "application/sparql-results+json"),
    # ILP2: its description stays under the test server's --max-rows
    ("DESCRIBE IAPO:0000108", "application/rdf+xml", "application/rdf+xml"),
    ("CONSTRUCT WHERE { IAPO:0000104 rdfs:label ?l }", "text/turtle", "text/turtle"),
    ("CONSTRUCT WHERE { IAPO:0000104 rdfs:label ?l }", "application/n-triples",
     "application/n-triples"),
    ("CONSTRUCT WHERE { IAPO:0000104 rdfs:label ?l }", "application/ld+json",
     "application/ld+json"),
])
def test_query_content_type(endpoint: str, query: str, accept: str, media: str) -> None:
    answer = get(endpoint, query, Accept=accept)
    assert answer.status == 200, answer.text
    assert answer.headers["content-type"].split(";")[0] == media


def test_q_values_choose_the_format(endpoint: str) -> None:
    accept = "application/sparql-results+json;q=0.2, text/csv;q=0.9, */*;q=0.1"
    assert get(endpoint, XIAP, Accept=accept).headers["content-type"].startswith("text/csv")
    accept = "text/csv;q=0, application/sparql-results+xml;q=0.5"
    assert "sparql-results+xml" in get(endpoint, XIAP, Accept=accept).headers["content-type"]
    graph = get(endpoint, "CONSTRUCT WHERE { IAPO:0000104 rdfs:label ?l }",
                Accept="application/sparql-results+json, text/turtle;q=0.5")
    assert graph.headers["content-type"].startswith("text/turtle")


def test_nothing_acceptable_is_406(endpoint: str) -> None:
    answer = get(endpoint, XIAP, Accept="image/png")
    assert answer.status == 406
    ask = get(endpoint, "ASK {}", Accept="text/csv")
    assert ask.status == 406 and "json" in ask.text


# --- bad requests ----------------------------------------------------------------------------
def test_bad_query_method(endpoint: str) -> None:
    assert send(endpoint, "PUT", f"/sparql?query={quote(XIAP)}").status == 405
    assert send(endpoint, "DELETE", "/sparql").status == 405


def test_bad_multiple_queries(endpoint: str) -> None:
    answer = get(endpoint, XIAP, f"&query={quote('ASK {}')}")
    assert answer.status == 400 and "more than once" in answer.text
    body = f"query={quote(XIAP)}&query={quote(XIAP)}".encode()
    assert send(endpoint, "POST", "/sparql", body, {"Content-Type": FORM}).status == 400


def test_bad_query_wrong_media_type(endpoint: str) -> None:
    answer = send(endpoint, "POST", "/sparql", XIAP.encode(), {"Content-Type": "text/plain"})
    assert answer.status == 415


def test_bad_query_missing_form_type(endpoint: str) -> None:
    answer = send(endpoint, "POST", "/sparql", f"query={quote(XIAP)}".encode())
    assert answer.status == 415 and "Content-Type" in answer.text


def test_bad_query_missing_direct_type(endpoint: str) -> None:
    assert send(endpoint, "POST", "/sparql", XIAP.encode()).status == 415


def test_bad_query_multipart_is_415(endpoint: str) -> None:
    body = (b'--b\r\nContent-Disposition: form-data; name="query"\r\n\r\n' + XIAP.encode()
            + b"\r\n--b--\r\n")
    answer = send(endpoint, "POST", "/sparql", body,
                  {"Content-Type": "multipart/form-data; boundary=b"})
    assert answer.status == 415


def test_bad_query_non_utf8(endpoint: str) -> None:
    latin = 'SELECT ?l WHERE { ?s rdfs:label ?l FILTER(?l = "caf\xe9") }'.encode("latin-1")
    assert send(endpoint, "POST", "/sparql", latin, {"Content-Type": DIRECT}).status == 400
    answer = send(endpoint, "POST", "/sparql", latin,
                  {"Content-Type": f"{DIRECT}; charset=ISO-8859-1"})
    assert answer.status == 415
    assert send(endpoint, "GET", "/sparql?query=ASK%7B%7D%E9").status == 400
    form = send(endpoint, "POST", "/sparql", b"query=ASK%7B%7D%FF", {"Content-Type": FORM})
    assert form.status == 400 and "UTF-8" in form.text


def test_bad_percent_encoding(endpoint: str) -> None:
    answer = send(endpoint, "GET", "/sparql?query=ASK%7B%7D%zz")
    assert answer.status == 400 and "percent" in answer.text
    assert send(endpoint, "GET", "/sparql?query=ASK%7B%7D%4").status == 400


def test_bad_query_syntax(endpoint: str) -> None:
    answer = get(endpoint, "SELECT * WHERE { ?s ?p }")
    assert answer.status == 400 and "malformed SPARQL" in answer.text
    assert "Traceback" not in answer.text


@pytest.mark.parametrize("case", ["missing", "empty", "both_url_and_body"])
def test_bad_missing_query(endpoint: str, case: str) -> None:
    if case == "missing":
        answer = send(endpoint, "GET", "/sparql?default-graph-uri=http%3A%2F%2Fx%2F")
    elif case == "empty":
        answer = send(endpoint, "POST", "/sparql", b"query=", {"Content-Type": FORM})
    else:
        answer = send(endpoint, "POST", f"/sparql?query={quote(XIAP)}", XIAP.encode(),
                      {"Content-Type": DIRECT})
    assert answer.status == 400


# --- update is refused however it is sent (the suite's update cases) -------------------------
@pytest.mark.parametrize("request_args", [
    ("POST", "/sparql", b"update=CLEAR%20ALL", {"Content-Type": FORM}),
    ("POST", "/sparql", b"CLEAR DEFAULT", {"Content-Type": "application/sparql-update"}),
    ("GET", "/sparql?update=CLEAR%20ALL", None, {}),
    ("GET", "/sparql?query=" + quote("DELETE WHERE { ?s ?p ?o }"), None, {}),
    ("POST", "/sparql", b"query=" + quote("INSERT DATA { <a:b> <a:c> <a:d> }").encode(),
     {"Content-Type": FORM}),
])
def test_update_is_refused(endpoint: str, request_args: tuple) -> None:
    method, target, body, headers = request_args
    answer = send(endpoint, method, target, body, headers)
    assert answer.status == 403 and "read-only" in answer.text


# --- HEAD, OPTIONS, the service description and CORS -----------------------------------------
def test_head_and_options(endpoint: str) -> None:
    head = send(endpoint, "HEAD", f"/sparql?query={quote(XIAP)}")
    assert head.status == 200 and head.body == b""
    assert head.headers["content-type"].startswith("application/sparql-results+json")
    options = send(endpoint, "OPTIONS", "/sparql")
    assert options.status == 204 and "POST" in options.headers["allow"]
    assert "access-control-allow-origin" not in options.headers  # CORS is off by default


def test_service_description_without_parameters(endpoint: str) -> None:
    import pyoxigraph as ox

    answer = send(endpoint, "GET", "/sparql", headers={"Accept": "text/turtle"})
    assert answer.status == 200 and answer.headers["content-type"].startswith("text/turtle")
    triples = list(ox.parse(answer.body, format=ox.RdfFormat.TURTLE))
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert any(t.object.value == sd + "SPARQL11Query" for t in triples)
    assert send(endpoint, "HEAD", "/sparql").status == 200


def test_cors_when_configured() -> None:
    from starlette.testclient import TestClient

    from iapontology.serve import ServerSettings, create_app

    app = create_app(ServerSettings(workers=1, cors_origins=("https://example.org",)))
    with TestClient(app) as client:
        preflight = client.options("/sparql", headers={
            "Origin": "https://example.org", "Access-Control-Request-Method": "POST"})
        assert preflight.headers["access-control-allow-origin"] == "https://example.org"
        other = client.get("/sparql", params={"query": "ASK {}"},
                           headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
