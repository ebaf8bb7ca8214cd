"""Java as a well-behaved dependency, and no network unless asked.

Every Java call (the OWL API checker, HermiT through Owlready2) has a time limit, checks its
exit code and turns a failure into one ``iapo: error:`` line and exit code 2; the checker is
compiled atomically. Failures are staged with a fake ``java``/``javac`` put first on PATH.
``owl:imports`` pointing at a loopback HTTP listener show that ``iapo check`` makes no
connection unless ``--follow-imports`` is given.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from iapontology.build.owlapi import DEFAULT_JARS, OwlApiError, _compiled, check_with_owlapi
from iapontology.build.reasoner import ReasonerError, run_hermit
from iapontology.cli import main
from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parent.parent
IMPORTED = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:owl="http://www.w3.org/2002/07/owl#">
  <owl:Ontology rdf:about="{iri}"/>
  <owl:Class rdf:about="http://example.org/Imported"/>
</rdf:RDF>
"""
IMPORTING = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#"
         xmlns:owl="http://www.w3.org/2002/07/owl#">
  <owl:Ontology rdf:about="http://example.org/importing">
    <owl:imports rdf:resource="{iri}"/>
  </owl:Ontology>
  <owl:Class rdf:about="http://example.org/A">
    <rdfs:label>A</rdfs:label>
  </owl:Class>
</rdf:RDF>
"""


@pytest.fixture()
def listener() -> Iterator[dict]:
    """A loopback HTTP server that serves a small ontology and counts requests."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # the http.server API
            seen.append(self.path)
            body = IMPORTED.format(iri=f"http://127.0.0.1:{port}{self.path}").encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/rdf+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return None

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"iri": f"http://127.0.0.1:{port}/imported.owl", "seen": seen}
    finally:
        server.shutdown()
        server.server_close()


def importing_file(tmp_path: Path, iri: str) -> Path:
    path = tmp_path / "importing.owl"
    path.write_text(IMPORTING.format(iri=iri), encoding="utf-8")
    return path


def test_iapo_check_makes_no_connection(tmp_path: Path, listener: dict,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = importing_file(tmp_path, listener["iri"])
    code = main(["check", str(path)])
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    assert f"owl:imports {listener['iri']}: not loaded (not followed; see --follow-imports)" in out
    assert "HermiT: consistent" in out
    assert listener["seen"] == []


def test_the_listener_sees_imports_when_they_are_followed(tmp_path: Path,
                                                          listener: dict) -> None:
    # the control for the test above: both Java tools do fetch imports when allowed to
    path = importing_file(tmp_path, listener["iri"])
    report = check_with_owlapi(path, follow_imports=True)
    assert report.parsed and report.imports_not_loaded == []
    assert listener["seen"] == ["/imported.owl"]
    assert run_hermit(path, follow_imports=True).consistent
    assert len(listener["seen"]) >= 2


def test_without_follow_imports_the_checkers_report_the_import(tmp_path: Path,
                                                               listener: dict) -> None:
    path = importing_file(tmp_path, listener["iri"])
    report = check_with_owlapi(path)
    assert report.parsed and report.imports_not_loaded == [listener["iri"]]
    assert run_hermit(path).consistent
    assert listener["seen"] == []


# --- a fake Java --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def compiled_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder holding the checker compiled by the real javac."""
    cache = tmp_path_factory.mktemp("cache")
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(cache)
    try:
        _compiled(DEFAULT_JARS)
    finally:
        if old is None:
            del os.environ["XDG_CACHE_HOME"]
        else:
            os.environ["XDG_CACHE_HOME"] = old
    return cache


def fake_tool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, script: str) -> Path:
    """Put a shell script called ``name`` first on PATH."""
    shims = tmp_path / "shims"
    shims.mkdir(exist_ok=True)
    shim = shims / name
    shim.write_text("#!/bin/sh\n" + script + "\n", encoding="utf-8")
    shim.chmod(shim.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{shims}{os.pathsep}{os.environ['PATH']}")
    return shim


FAILING = 'echo "Exception in thread main: java.lang.OutOfMemoryError: fake" >&2; exit 3'


def one_error_line(err: str) -> str:
    errors = [line for line in err.splitlines() if line.startswith("iapo: error:")]
    assert len(errors) == 1 and "Traceback" not in err, err
    return errors[0]


def test_a_failing_java_is_one_line_for_the_owl_api(tmp_path: Path, compiled_cache: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(compiled_cache))
    fake_tool(tmp_path, monkeypatch, "java", FAILING)
    with pytest.raises(OwlApiError, match=r"failed \(exit 3\): Exception in thread main"):
        check_with_owlapi(FIXTURES / "not_dl.owl")
    assert main(["check", "--no-reasoner", str(FIXTURES / "not_dl.owl")]) == 2
    assert "OutOfMemoryError: fake" in one_error_line(capsys.readouterr().err)


def test_a_failing_java_is_one_line_for_hermit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    fake_tool(tmp_path, monkeypatch, "java", FAILING)
    with pytest.raises(ReasonerError, match=r"HermiT failed: .*OutOfMemoryError: fake"):
        run_hermit(FIXTURES / "unsatisfiable.owl")
    assert main(["check", "--no-owlapi", str(FIXTURES / "unsatisfiable.owl")]) == 2
    assert "OutOfMemoryError: fake" in one_error_line(capsys.readouterr().err)


def test_a_java_that_hangs_is_stopped(tmp_path: Path, compiled_cache: Path,
                                      monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    pids = tmp_path / "pids"
    fake_tool(tmp_path, monkeypatch, "java", f"echo $$ >> {pids}; exec sleep 120")
    monkeypatch.setenv("XDG_CACHE_HOME", str(compiled_cache))
    monkeypatch.setenv("IAPO_JAVA_TIMEOUT", "1.5")
    started = time.monotonic()
    with pytest.raises(OwlApiError, match=r"did not finish within 1.5 s"):
        check_with_owlapi(FIXTURES / "not_dl.owl")
    with pytest.raises(ReasonerError, match=r"HermiT did not finish within 1.5 s"):
        run_hermit(FIXTURES / "unsatisfiable.owl")
    assert main(["check", str(FIXTURES / "unsatisfiable.owl")]) == 2
    assert "did not finish within 1.5 s" in one_error_line(capsys.readouterr().err)
    assert time.monotonic() - started < 60
    time.sleep(0.2)
    for pid in pids.read_text().split():  # every fake Java was killed, none left running
        state = Path(f"/proc/{pid}/stat")
        assert not state.exists() or state.read_text().split(")")[-1].split()[0] == "Z", pid


def test_a_failing_javac_leaves_no_half_compiled_checker(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    fake_tool(tmp_path, monkeypatch, "javac",
              'mkdir -p "$3"; echo half > "$3/Half.class"; echo "error: fake" >&2; exit 1')
    with pytest.raises(OwlApiError, match=r"compiling the OWL API checker failed \(javac exit 1"
                                          r"\): error: fake"):
        check_with_owlapi(FIXTURES / "not_dl.owl")
    assert list((cache / "iapontology").iterdir()) == []


def test_two_processes_compile_the_checker_at_once(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = {**os.environ, "XDG_CACHE_HOME": str(cache),
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    code = ("from iapontology.build.owlapi import DEFAULT_JARS, _compiled; "
            "print(_compiled(DEFAULT_JARS))")
    children = [subprocess.Popen([sys.executable, "-c", code], env=env, text=True,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                for _ in range(2)]
    results = [child.communicate(timeout=300) for child in children]
    assert [child.returncode for child in children] == [0, 0], results
    folders = {out.strip() for out, _ in results}
    assert len(folders) == 1
    entries = list((cache / "iapontology").iterdir())
    assert [e.name for e in entries] == [Path(folders.pop()).name]
    assert (entries[0] / "OwlApiCheck.class").exists()
    env_report = subprocess.run(
        [sys.executable, "-c", "from pathlib import Path; from iapontology.build.owlapi import "
         f"check_with_owlapi; print(check_with_owlapi(Path({str(FIXTURES / 'not_dl.owl')!r}))"
         ".parsed)"], env=env, capture_output=True, text=True, timeout=300)
    assert env_report.stdout.strip() == "True", env_report.stderr


def test_a_failing_java_leaves_the_build_output_as_it_was(
        tmp_path: Path, fresh_build: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "ontology"
    shutil.copytree(fresh_build, out)
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.iterdir()}
    fake_tool(tmp_path, monkeypatch, "java", FAILING)
    assert main(["build", "--out", str(out)]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "HermiT failed" in line and line.endswith("; nothing was written")
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ontology", "shims"]


def test_a_remote_json_ld_context_is_not_fetched(tmp_path: Path, listener: dict) -> None:
    from iapontology.rdf.graph import load_graph

    path = tmp_path / "remote-context.jsonld"
    document = {"@context": listener["iri"], "@id": "http://example.org/s", "name": "x"}
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ValueError, match="remote context"):
        load_graph([path], relation_view=False)
    assert listener["seen"] == []
