"""Issue 11: no query reaches a loopback listener unless its SERVICE IRI is allow-listed.

A generated corpus of more than 1,000 SERVICE variants (comments ended by every kind of line
ending, ``\\u`` escapes in keywords and IRIs, case, nesting, prefixed names, BASE-relative
IRIs, IRIs with user-info, allow-listed look-alikes, keywords glued to their neighbours) is
sent to two running endpoints. The listener records every request. With the allow-list
``http://127.0.0.1:PORT/allowed`` only paths under ``/allowed`` may ever arrive, and the
variants that do name an allowed IRI must arrive (so the tripwire is shown to work). Without
an allow-list nothing may arrive at all.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urlsplit

import httpx
import pytest

from tests.conftest import Listener

LINE_ENDS = ["\n", "\r", "\r\n", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d",
             "\x1e"]


def targets(port: int) -> list[tuple[str, str, bool]]:
    """(prologue, how the endpoint is written, allowed?) -- ``{id}`` marks the variant."""
    h = f"127.0.0.1:{port}"
    return [
        ("", f"<http://{h}/allowed/{{id}}>", True),
        ("", f"<http://{h}/allowed>", True),
        ("", f"<HTTP://{h.upper()}/allowed/{{id}}>", True),
        (f"PREFIX ok: <http://{h}/allowed/> ", "ok:{id}", True),
        (f"BASE <http://{h}/allowed/> ", "<{id}>", True),
        ("", f"<http://{h}/evil/{{id}}>", False),
        ("", f"<http://{h}/allowedx/{{id}}>", False),
        ("", f"<http://{h}/allowed.evil/{{id}}>", False),
        ("", f"<http://{h}/Allowed/{{id}}>", False),
        ("", f"<http://{h}/allowed/../evil/{{id}}>", False),
        ("", f"<http://{h}/allowed/%2e%2e/evil/{{id}}>", False),
        ("", f"<http://{h}/allowed%2F..%2Fevil/{{id}}>", False),
        ("", f"<http://allowed@{h}/evil/{{id}}>", False),
        ("", f"<http://user:pw@{h}/allowed/{{id}}>", False),
        ("", f"<http://{h}@{h}/evil/{{id}}>", False),
        ("", f"<http://localhost:{port}/evil/{{id}}>", False),
        ("", f"<http://127.1:{port}/evil/{{id}}>", False),
        ("", f"<http://[::ffff:127.0.0.1]:{port}/evil/{{id}}>", False),
        ("", f"<http\\u003A//{h}/evil/{{id}}>", False),
        ("", f"<http://allowed\\u0040{h}/evil/{{id}}>", False),
        ("", f"<http://{h}/allowed\\u002E\\u002E/evil/{{id}}>", False),
        (f"PREFIX ev: <http://{h}/evil/> ", "ev:{id}", False),
        (f"PREFIX ok: <http://{h}/allowed> ", "ok:x{id}", False),
        (f"PREFIX : <http://{h}/evil/> ", ":{id}", False),
        (f"BASE <http://{h}/allowed/> ", "<../evil/{id}>", False),
        (f"BASE <http://{h}/allowed/> ", f"<//{h}/evil/{{id}}>", False),
        (f"BASE <http://{h}/> ", "<evil/{id}>", False),
        ("", "<evil/{id}>", False),
    ]


BODY = "{ ?s ?p ?o }"


def clauses(endpoint: str) -> list[str]:
    """Ways to write one SERVICE clause calling ``endpoint``."""
    return [
        f"SERVICE {endpoint} {BODY}",
        f"service {endpoint} {BODY}",
        f"SeRvIcE {endpoint} {BODY}",
        f"SERVICE SILENT {endpoint} {BODY}",
        f"SERVICE{endpoint}{BODY}",
        f"SERVICESILENT{endpoint}{BODY}",
        f"SERVICE\t\r\n{endpoint}\n{BODY}",
        f"SERVICE #c\n {endpoint} #c\r {BODY}",
        f"\\u0053ERVICE {endpoint} {BODY}",
        f"SERV\\u0049CE {endpoint} {BODY}",
    ]


def wrap(prologue: str, clause: str, style: int) -> str:
    """Put ``clause`` somewhere in a query (style picks where and how it is hidden)."""
    places = [
        f"SELECT * WHERE {{ {clause} }}",
        f"SELECT * WHERE {{ ?a ?b ?c . {clause} }}",
        f"SELECT * WHERE {{ OPTIONAL {{ {clause} }} }}",
        f"SELECT * WHERE {{ {{ ?a ?b ?c }} UNION {{ {clause} }} }}",
        f"SELECT * WHERE {{ FILTER EXISTS {{ {clause} }} }}",
        f"SELECT * WHERE {{ FILTER NOT EXISTS {{ {clause} }} }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ {clause} }} }} }}",
        f"ASK {{ GRAPH ?g {{ {clause} }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ MINUS {{ ?x ?y ?z }} {clause} }}",
        f"DESCRIBE ?s WHERE {{ {{{{{{ {clause} }}}}}} }}",
        f"SELECT * WHERE {{ ?a ?b 123{clause} }}",
        f"SELECT * WHERE {{ ?a ?b true{clause} }}",
        f"SELECT * WHERE {{ ?a ?b ?c }}{clause}",
        f"SELECT * WHERE {{ BIND('#' AS ?h) {clause} }}",
        f'SELECT * WHERE {{ ?a <http://x/#> """# {{""" . {clause} }}',
        f"PREFIX ex: <http://x/> SELECT * WHERE {{ ?a ?b ex:a.b.{clause} }}",
        f"PREFIX ex: <http://x/> SELECT * WHERE {{ ?a ?b ex:a\\.{clause} }}",
        f"SELECT * WHERE {{ ?a ?b _:x.{clause} }}",
        f"SELECT * WHERE {{ ?a ?b 'x'@en.{clause} }}",
    ]
    places += [f"SELECT * WHERE {{ ?a ?b ?c # hidden?{end}{clause} }}" for end in LINE_ENDS]
    return prologue + places[style % len(places)]


def corpus(port: int) -> list[tuple[str, bool, str]]:
    """(query, allowed?, id) for every variant."""
    out = []
    n = 0
    for prologue, written, allowed in targets(port):
        for c_index in range(len(clauses("x"))):
            for style in range(c_index, c_index + 26, 7):  # several placements per clause form
                n += 1
                ident = f"v{n}"
                clause = clauses(written.replace("{id}", ident))[c_index]
                out.append((wrap(prologue, clause, style), allowed, ident))
    return out


PLAIN = re.compile(r"(PREFIX ok: <[^>]*> |BASE <[^>]*> )?SELECT \* WHERE \{ "
                   r"SERVICE (<[^>]*>|ok:v\d+) \{ \?s \?p \?o \} \}")


def query_of(queries: list[tuple[str, bool, str]], ident: str) -> str:
    return next(query for query, _, i in queries if i == ident)


def under_allowed(path: str) -> bool:
    clean = posixpath.normpath(unquote(urlsplit(path).path))
    return clean == "/allowed" or clean.startswith("/allowed/")


def send_all(base: str, queries: list[tuple[str, bool, str]]) -> dict[str, int]:
    """POST every query (three at a time, below both endpoints' per-client caps)."""
    from concurrent.futures import ThreadPoolExecutor

    with httpx.Client(timeout=60) as client:
        def post(item: tuple[str, bool, str]) -> tuple[str, int]:
            query, _, ident = item
            response = client.post(base + "/sparql", data={"query": query})
            assert response.status_code != 500, (query, response.text)
            return ident, response.status_code

        with ThreadPoolExecutor(3) as pool:
            return dict(pool.map(post, queries))


def test_the_corpus_is_large_and_varied(listener: Listener) -> None:
    queries = corpus(listener.port)
    assert len(queries) >= 1000
    assert len({q for q, _, _ in queries}) == len(queries)
    texts = "".join(q for q, _, _ in queries)
    for needle in [*LINE_ENDS, "\\u0053ERVICE", "@127.0.0.1", "BASE <", "PREFIX ", "SILENT",
                   "SERVICESILENT", "allowedx", "FILTER NOT EXISTS", "ex:a.b.", "_:x.",
                   "@en."]:
        assert needle in texts, repr(needle)


def test_only_allow_listed_iris_reach_the_listener(
        listener: Listener, federating_endpoint: tuple[str, str]) -> None:
    base, _ = federating_endpoint
    queries = corpus(listener.port)
    before = len(listener.hits)
    statuses = send_all(base, queries)
    hits = listener.hits[before:]
    assert hits, "no allowed SERVICE call reached the listener: the tripwire is not working"
    assert all(under_allowed(path) for path in hits), [p for p in hits if not under_allowed(p)]
    allowed_ids = {ident for _, allowed, ident in queries if allowed}
    reached = {ident for ident in allowed_ids | {i for _, _, i in queries}
               if any(f"/{ident}" in unquote(path) for path in hits)}
    assert reached <= allowed_ids
    # the plainest allowed variants were answered with the listener's data
    plain = [ident for query, allowed, ident in queries if allowed and PLAIN.fullmatch(query)]
    assert len(plain) >= 4 and all(statuses[i] == 200 for i in plain)
    assert {i for i in plain if "/allowed/" in query_of(queries, i)} <= reached
    refused = [ident for _, allowed, ident in queries if not allowed]
    assert all(statuses[i] in (400, 403) for i in refused)


def test_without_an_allow_list_nothing_reaches_the_listener(
        listener: Listener, endpoint: str) -> None:
    queries = corpus(listener.port)
    before = len(listener.hits)
    statuses = send_all(endpoint, queries)
    assert listener.hits[before:] == []
    assert set(statuses.values()) <= {400, 403}


def test_workers_cannot_open_sockets_without_an_allow_list() -> None:
    """Defence in depth: even a query the guard let through could not connect anywhere."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        assert pool.apply(_try_to_connect) == "refused"


def _try_to_connect() -> str:
    import socket

    from iapontology.serve.sandbox import forbid_network

    forbid_network()
    try:
        socket.create_connection(("127.0.0.1", 9), timeout=1)
    except PermissionError:
        return "refused"
    except OSError as error:
        return f"other error {error}"
    return "connected"


def test_large_and_deep_queries_are_answered(endpoint: str) -> None:
    """Not refused for size or depth: 500 triple patterns, and groups nested 100 deep.

    (The 500 patterns sit in a UNION: Oxigraph's join planner itself needs seconds for one
    basic graph pattern of several hundred patterns, which is a matter of the time limit.)
    """
    union = " UNION ".join(f"{{ IAPO:0000104 rdfs:label ?l{i} }}" for i in range(500))
    wide = httpx.post(endpoint + "/sparql", data={"query": f"ASK {{ {union} }}"}, timeout=60)
    assert wide.status_code == 200, wide.text
    assert wide.json()["boolean"] is True
    deep = "SELECT ?l WHERE " + "{ " * 100 + "IAPO:0000104 rdfs:label ?l" + " }" * 100
    answer = httpx.post(endpoint + "/sparql", data={"query": deep}, timeout=60)
    assert answer.status_code == 200, answer.text
    assert answer.json()["results"]["bindings"][0]["l"]["value"] == "XIAP"


def test_the_canonical_text_reads_back_as_itself(listener: Listener) -> None:
    """One reading: re-reading the text the engine runs gives exactly the same text."""
    from iapontology.rdf.graph import PREFIXES
    from iapontology.serve.guard import AllowedEndpoint, Refused, prepare
    from iapontology.sparql.named import queries

    allowed = (AllowedEndpoint.parse(f"http://127.0.0.1:{listener.port}/allowed"),)
    texts = [q for q, _, _ in corpus(listener.port)] + [q.sparql for q in queries().values()]
    read = 0
    for text in texts:
        try:
            first = prepare(text, allowed, PREFIXES)
        except Refused:
            continue
        read += 1
        again = prepare(first.text, allowed, PREFIXES)
        assert again.text == first.text and again.services == first.services, text
    assert read > 100


SEMANTICS = [
    'SELECT (ENCODE_FOR_URI("a b") AS ?e) (MD5("x") AS ?m) (SHA1("x") AS ?s1) WHERE {}',
    "SELECT (sameTerm(1,1) AS ?a) (isBLANK(<a:b>) AS ?b) (isLITERAL(1) AS ?c) "
    "(isNUMERIC(1) AS ?d) (isIRI(<a:b>) AS ?e) WHERE {}",
    'SELECT (CONCAT("a","b") AS ?c) (STRLEN("abc") AS ?l) (SUBSTR("abc",2) AS ?s) '
    '(REPLACE("abc","b","x") AS ?r) (REGEX("abc","^a","i") AS ?g) WHERE {}',
    "SELECT ?x WHERE { VALUES ?x { 1 2 3 } FILTER(?x IN (1,2)) FILTER(?x NOT IN (3)) } "
    "ORDER BY DESC(?x) LIMIT 5 OFFSET 0",
    'SELECT (COUNT(DISTINCT ?s) AS ?n) (GROUP_CONCAT(DISTINCT ?l; SEPARATOR="|") AS ?g) '
    "WHERE { ?s rdfs:label ?l } GROUP BY ?x HAVING (COUNT(*) > 1)",
    "SELECT * WHERE { ?s rdfs:subClassOf+ IAPO:0000001 ; rdfs:label ?l . "
    "?s (rdfs:subClassOf|^rdfs:subClassOf)? ?o . ?s !(rdf:type|^rdfs:label) ?z } "
    "ORDER BY ?s ?o ?z LIMIT 3",
    'SELECT * WHERE { ?s a owl:Class ; rdfs:label ?l FILTER(LANG(?l) = "en" && '
    'LANGMATCHES(LANG(?l), "EN") && !BOUND(?x) && -1 < +2 && 2.5e0 >= .5) } ORDER BY ?s',
    "SELECT * WHERE { ?s rdfs:label ?l MINUS { ?s a owl:ObjectProperty } "
    "OPTIONAL { ?s rdfs:comment ?c } { SELECT ?s WHERE { ?s a owl:Class } ORDER BY ?s LIMIT 3 } }",
    'SELECT ?l WHERE { IAPO:0000104 rdfs:label ?l FILTER(STRSTARTS(STR(?l), "X") && '
    'CONTAINS(UCASE(?l),"IAP") && STRENDS(LCASE(?l),"p") && STRBEFORE(?l,"A")="XI") }',
    'SELECT (IF(true, "y", "n") AS ?i) (COALESCE(?u, 3) AS ?c) (STRLANG("x","en") AS ?sl) '
    '(STRDT("1", xsd:integer) AS ?sd) (IRI("http://x/") AS ?ir) (ABS(-2) AS ?ab) WHERE {}',
    'SELECT (YEAR("2020-01-02T03:04:05Z"^^xsd:dateTime) AS ?y) (xsd:integer("3") AS ?c) '
    "WHERE {}",
    'ASK { FILTER NOT EXISTS { ?s rdfs:label "nothing" } FILTER EXISTS { ?s ?p ?o } }',
    'SELECT ?s WHERE { ?s rdfs:label """XIAP"""@en } # a comment\n',
    "SELECT $s WHERE { $s rdfs:label 'X\\u0049AP'@en }",
    "SELECT * WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#\\u006Cabel> ?l } ORDER BY ?s "
    "LIMIT 2",
]


@pytest.mark.parametrize("query", SEMANTICS)
def test_the_canonical_text_gives_the_same_answers(query: str) -> None:
    """The rewrite keeps the meaning: the engine answers it exactly as the original."""
    import pyoxigraph as ox

    from iapontology.paths import QUERY_GRAPH_FILE, bundled_ontology_dir
    from iapontology.rdf.graph import PREFIXES
    from iapontology.serve.guard import prepare

    store = _store(str(bundled_ontology_dir() / QUERY_GRAPH_FILE))

    def answer(text: str) -> object:
        result = store.query(text, prefixes=PREFIXES)
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        return [tuple(map(str, row)) for row in result]

    assert answer(prepare(query, (), PREFIXES).text) == answer(query)


_STORES: dict = {}


def _store(path: str):
    import pyoxigraph as ox

    if path not in _STORES:
        store = ox.Store()
        store.load(path=path, format=ox.RdfFormat.N_TRIPLES)
        _STORES[path] = store
    return _STORES[path]
