"""Shared fixtures: a fresh build into a temporary folder, and copies of the tables."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from iapontology.build.pipeline import build
from iapontology.paths import KNOWLEDGE_DIR

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def fresh_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The release files built now from the tables (with the HermiT check)."""
    out = tmp_path_factory.mktemp("ontology")
    build(out, reason=True)
    return out


@pytest.fixture(scope="session")
def docs_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The documentation site, built once per test run with warnings as errors."""
    out = tmp_path_factory.mktemp("html")
    run = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(ROOT / "docs"), str(out)],
        capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return out


@pytest.fixture()
def tables(tmp_path: Path) -> Path:
    """A private copy of the curated tables that a test may break."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target)
    return target


def expect_problem(tables: Path, table: str, line: int, reason: str,
                   column: str | None = None) -> None:
    """Loading ``tables`` fails with a ``knowledge/<table>:<line>:<column>: ...reason...``
    problem (any column when ``column`` is None)."""
    from iapontology.knowledge.curation import load_knowledge
    from iapontology.knowledge.tables import CurationError

    with pytest.raises(CurationError) as caught:
        load_knowledge(tables)
    prefix = f"knowledge/{table}:{line}:"
    if column is not None:
        prefix += f"{column}: "
    assert any(p.startswith(prefix) and reason in p for p in caught.value.problems), (
        caught.value.problems
    )


def edit_schema(tables: Path, old: str, new: str) -> int:
    """Replace the one occurrence of ``old`` in ``schema.toml``; return its line number."""
    path = tables / "schema.toml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return line


def edit_cell(table: Path, row_id: str, column: str, value: str) -> int:
    """Change one cell of the row whose first cell is ``row_id``; return its line number."""
    lines = table.read_text(encoding="utf-8").splitlines()
    header = next(line for line in lines if line and not line.startswith("#")).split("\t")
    index = header.index(column)
    for number, line in enumerate(lines, start=1):
        cells = line.split("\t")
        if cells[0] == row_id:
            cells += [""] * (len(header) - len(cells))
            cells[index] = value
            lines[number - 1] = "\t".join(cells)
            table.write_text("\n".join(lines) + "\n", encoding="utf-8")
            return number
    raise KeyError(row_id)


# --- `iapo serve` on loopback, started once per test session and shared -------------------
class Listener:
    """A loopback HTTP server that records every request it receives (an SSRF tripwire)."""

    def __init__(self) -> None:
        import http.server
        import threading

        hits: list[str] = []
        self.hits = hits

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                hits.append(self.path)
                length = int(self.headers.get("content-length") or 0)
                self.rfile.read(length)
                body = (b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal",'
                        b'"value":"from the listener"}}]}}')
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer  # noqa: N815 (the names http.server calls)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_endpoint(*options: str) -> tuple[object, str]:
    """Start ``iapo serve`` with ``options`` on a free port; return (process, base URL)."""
    import subprocess
    import sys
    import tempfile
    import time
    import urllib.request

    port = free_port()
    # a file, not a pipe: a chatty server never blocks on it; it lives as long as the server
    log = tempfile.TemporaryFile()  # noqa: SIM115
    process = subprocess.Popen([sys.executable, "-m", "iapontology.cli", "serve", "--port",
                                str(port), *options],
                               stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(log.read().decode(errors="replace"))
        try:
            with urllib.request.urlopen(base + "/health", timeout=2):
                return process, base
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise TimeoutError(base)


def stop_endpoint(process) -> None:
    """Stop a server started by :func:`start_endpoint`."""
    process.terminate()
    try:
        process.wait(10)
    except Exception:
        process.kill()
        process.wait(10)


@pytest.fixture(scope="session")
def endpoint():
    """``iapo serve`` with small limits and no SERVICE allow-list (workers off the network)."""
    process, base = start_endpoint("--timeout", "3", "--max-rows", "200", "--workers", "2",
                                   "--per-client", "4", "--max-request-bytes", "65536",
                                   "--max-memory-mb", "300")
    yield base
    stop_endpoint(process)


@pytest.fixture(scope="session")
def listener():
    """A loopback listener for SERVICE calls."""
    tripwire = Listener()
    yield tripwire
    tripwire.close()


@pytest.fixture(scope="session")
def federating_endpoint(listener: Listener):
    """``iapo serve`` whose allow-list holds one path of the listener."""
    allowed = f"http://127.0.0.1:{listener.port}/allowed"
    process, base = start_endpoint("--timeout", "5", "--workers", "2", "--per-client", "8",
                                   "--allow-service", allowed)
    yield base, allowed
    stop_endpoint(process)
