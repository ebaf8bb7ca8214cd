"""Issue 7: the read-only endpoint, its refusals and limits, and a real triple store."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from starlette.testclient import TestClient

import iapontology as iapo
from iapontology.cli import main
from iapontology.server import ServerSettings, create_app

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
XIAP_LABEL = "SELECT ?l WHERE { IAPO:0000104 rdfs:label ?l }"


@pytest.fixture(scope="module")
def client():
    app = create_app(ServerSettings(timeout_seconds=2, max_rows=50, workers=2,
                                    max_request_bytes=4096,
                                    allowed_services=("http://allowed.example/",)))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def test_get_and_post_with_content_negotiation(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": XIAP_LABEL})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    assert r.json()["results"]["bindings"][0]["l"]["value"] == "XIAP"
    r = client.post("/sparql", data={"query": XIAP_LABEL},
                    headers={"accept": "application/sparql-results+xml"})
    assert r.status_code == 200 and "<literal xml:lang=\"en\">XIAP</literal>" in r.text
    r = client.post("/sparql", content=XIAP_LABEL,
                    headers={"content-type": "application/sparql-query", "accept": "text/csv"})
    assert r.text.splitlines() == ["l", "XIAP"]
    r = client.get("/sparql", params={"query": XIAP_LABEL},
                   headers={"accept": "text/tab-separated-values"})
    assert r.headers["content-type"].startswith("text/tab-separated-values")
    r = client.get("/sparql", params={"query": "ASK { IAPO:0000104 ?p ?o }"})
    assert r.json()["boolean"] is True


def test_named_queries_health_and_page(client: TestClient) -> None:
    r = client.get("/queries/iaps_with_domain", params={"domain": "UBC domain"})
    assert [b["label"]["value"] for b in r.json()["results"]["bindings"]] == ["BRUCE"]
    assert client.get("/queries/iaps_with_domian").status_code == 404
    assert client.get("/queries/iaps_with_domain", params={"colour": "red"}).status_code == 400
    assert len(client.get("/queries").json()) == len(iapo.queries())
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["triples"] > 10_000
    assert "<form" in client.get("/").text


@pytest.mark.parametrize(
    ("request_args", "status", "message"),
    [
        ({"method": "POST", "data": {"update": "DROP ALL"}}, 403, "read-only"),
        ({"method": "POST", "content": "CLEAR DEFAULT",
          "headers": {"content-type": "application/sparql-update"}}, 403, "read-only"),
        ({"method": "GET", "params": {"query": "DELETE WHERE { ?s ?p ?o }"}}, 403, "read-only"),
        ({"method": "GET", "params": {
            "query": "SELECT * WHERE { SERVICE <http://evil.example/s> { ?s ?p ?o } }"}},
         403, "SERVICE <http://evil.example/s> is not allowed"),
        ({"method": "GET", "params": {"query": "SELECT * WHERE { ?s ?p ?o }"}}, 422,
         "more than 50 rows"),
        ({"method": "GET", "params": {"query": "SELECT * WHERE { ?s ?p }"}}, 400,
         "malformed SPARQL"),
        ({"method": "POST", "content": "SELECT * WHERE { ?s ?p ?o } #" + "x" * 5000,
          "headers": {"content-type": "application/sparql-query"}}, 413, "larger than"),
        ({"method": "GET", "params": {}}, 400, "missing the 'query' parameter"),
    ],
)
def test_refusals(client: TestClient, request_args: dict, status: int, message: str) -> None:
    method = request_args.pop("method")
    r = client.request(method, "/sparql", **request_args)
    assert r.status_code == status
    assert message in r.text
    assert "Traceback" not in r.text and "File \"" not in r.text


def test_allowed_service_passes_the_check(client: TestClient) -> None:
    from iapontology.safety import check_read_only_query

    check_read_only_query("SELECT * WHERE { SERVICE <http://allowed.example/q> { ?s ?p ?o } }",
                          ("http://allowed.example/",))


def test_runaway_query_is_stopped_while_others_are_answered(client: TestClient) -> None:
    outcome: dict = {}

    def runaway() -> None:
        started = time.perf_counter()
        outcome["response"] = client.get("/sparql", params={"query": RUNAWAY})
        outcome["seconds"] = time.perf_counter() - started

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    started = time.perf_counter()
    quick = client.get("/sparql", params={"query": XIAP_LABEL})
    quick_seconds = time.perf_counter() - started
    thread.join(30)
    assert quick.status_code == 200 and quick_seconds < 1.5
    assert outcome["response"].status_code == 503
    assert "time limit" in outcome["response"].text
    assert outcome["seconds"] < 10
    # the pool replaced the stopped worker and keeps serving
    assert client.get("/sparql", params={"query": XIAP_LABEL}).status_code == 200


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(url)


def test_iapo_serve_runs_with_uvicorn_on_loopback() -> None:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "iapontology.cli", "serve", "--port",
                               str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_for(f"http://127.0.0.1:{port}/health")
        url = f"http://127.0.0.1:{port}/queries/iaps_by_bir_count?count=3"
        with urllib.request.urlopen(url, timeout=30) as response:
            labels = {b["label"]["value"] for b in json.load(response)["results"]["bindings"]}
        assert labels == {"NAIP", "XIAP", "cIAP1", "cIAP2"}
    finally:
        server.terminate()
        server.wait(10)


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory):
    binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(binary).exists():
        pytest.fail("the oxigraph server (PyPI package 'oxigraph') is not installed")
    port = free_port()
    process = subprocess.Popen([binary, "serve", "--location",
                                str(tmp_path_factory.mktemp("oxigraph")), "--bind",
                                f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


def normalise(rows: list[dict]) -> list[tuple]:
    """Rows as sorted tuples of text; GROUP_CONCAT lists compared as sorted parts."""
    def cell(value) -> str:
        return "|".join(sorted(re.split(r"[,;]? +", str(value)))) if value is not None else ""
    return sorted(tuple(cell(row.get(k)) for k in sorted(row)) for row in rows)


def test_push_then_identical_answers_from_the_real_store(
    oxigraph_server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["push", "--endpoint", f"{oxigraph_server}/store"]) == 0
    assert "uploaded" in capsys.readouterr().out
    remote = iapo.graph(endpoint=f"{oxigraph_server}/query")
    local = iapo.graph()
    for name in iapo.queries():
        assert normalise(iapo.run(name, remote)) == normalise(iapo.run(name, local)), name
    code = main(["query", "agents_in_phase_3", "--endpoint", f"{oxigraph_server}/query",
                 "--format", "csv"])
    assert code == 0 and "xevinapant" in capsys.readouterr().out


def test_push_to_a_closed_port_fails_cleanly(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["push", "--endpoint", f"http://127.0.0.1:{free_port()}/store"])
    assert code == 1 and "iapo: error:" in capsys.readouterr().err


ENTITY_FILES = {
    "laughs.owl": '<!DOCTYPE rdf:RDF [ <!ENTITY a "aaaa"> <!ENTITY b "&a;&a;&a;&a;"> ]>',
    "xxe.owl": '<!DOCTYPE rdf:RDF [ <!ENTITY s SYSTEM "file:///etc/passwd"> ]>',
}


@pytest.mark.parametrize("name", sorted(ENTITY_FILES))
def test_entity_tricks_are_refused(tmp_path: Path, name: str,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / name
    path.write_text('<?xml version="1.0"?>\n' + ENTITY_FILES[name] + "\n"
                    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n',
                    encoding="utf-8")
    before = path.read_bytes()
    assert main(["check", str(path)]) == 2
    assert "refusing an XML entity declaration" in capsys.readouterr().err
    assert path.read_bytes() == before
    with pytest.raises(ValueError, match="entity"):
        iapo.graph(path)


def test_malformed_file_reports_line_and_column(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.owl"
    path.write_text('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/'
                    '02/22-rdf-syntax-ns#" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n'
                    '<rdf:Description rdf:about="http://x/a">\n  <rdfs:label>x</rdfs:labl>\n'
                    '</rdf:Description>\n</rdf:RDF>\n', encoding="utf-8")
    assert main(["check", str(path)]) == 2
    assert f"{path}:4:" in capsys.readouterr().err
