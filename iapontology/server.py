"""``iapo serve``: a read-only SPARQL 1.1 Protocol endpoint over the query graph.

Built on Starlette and served by uvicorn. Queries run in a small pool of worker processes,
each holding its own Oxigraph-backed copy of the graph, so that a query over its time limit
can be stopped (its worker is ended and replaced) while the others keep answering. Every
query is parsed first: SPARQL Update is refused, and so is ``SERVICE`` unless its endpoint is
on an allow-list. Results are capped at a number of rows, requests at a size, and errors
never carry a stack trace.
"""

from __future__ import annotations

import contextlib
import html
import json
import multiprocessing
import queue
import threading
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from rdflib.term import Identifier, Literal, URIRef
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from iapontology import __version__
from iapontology.results import format_rows
from iapontology.safety import RefusedInput, check_read_only_query

MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
}


@dataclass
class ServerSettings:
    """Limits and options of the endpoint (all configurable from ``iapo serve``)."""

    timeout_seconds: float = 10.0
    max_rows: int = 10_000
    max_request_bytes: int = 64 * 1024
    workers: int = 2
    allowed_services: tuple[str, ...] = ()
    extra_files: tuple[str, ...] = field(default_factory=tuple)


class QueryStopped(RuntimeError):
    """A query hit the time limit (status 503) or the row limit (status 422)."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


def _worker(conn, extra_files: tuple[str, ...]) -> None:
    """Worker process: load the graph once, then answer (sparql, bindings, max_rows)."""
    from pathlib import Path

    import pyoxigraph as ox
    from oxrdflib._converter import from_ox, to_ox

    from iapontology.graph import PREFIXES, graph

    loaded = graph(*(Path(f) for f in extra_files))
    store = loaded.store._inner  # the Oxigraph store behind the rdflib graph
    default_graph = to_ox(loaded.identifier)  # rdflib keeps the triples in this named graph
    conn.send(("ready",))
    while True:
        message = conn.recv()
        if message is None:
            return
        sparql, bindings, max_rows = message
        try:
            result = store.query(sparql, prefixes=PREFIXES, default_graph=default_graph,
                                 substitutions={ox.Variable(k): to_ox(v)
                                                for k, v in bindings.items()})
            if isinstance(result, ox.QueryBoolean):
                conn.send(("ask", bool(result)))
                continue
            if not isinstance(result, ox.QuerySolutions):
                conn.send(("error", 400, "only SELECT and ASK queries are answered here"))
                continue
            names = [v.value for v in result.variables]
            rows = []
            for solution in result:
                if len(rows) >= max_rows:
                    raise QueryStopped(f"the result has more than {max_rows} rows; "
                                       "add a LIMIT or narrow the query", 422)
                rows.append(tuple(None if v is None else from_ox(v) for v in solution))
            conn.send(("select", names, rows))
        except QueryStopped as stop:
            conn.send(("error", stop.status, str(stop)))
        except (SyntaxError, ValueError) as error:
            conn.send(("error", 400, f"query failed: {str(error).splitlines()[0]}"))
        except Exception:  # never leak internals; the parent answers 500
            conn.send(("error", 500, "internal error while running the query"))


class QueryPool:
    """Worker processes that run queries with a time limit each."""

    def __init__(self, settings: ServerSettings):
        self.settings = settings
        self._context = multiprocessing.get_context("spawn")
        self._free: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        for _ in range(settings.workers):
            self._free.put(self._start())

    def _start(self):
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker, args=(child, self.settings.extra_files),
                                        daemon=True)
        process.start()
        if not parent.poll(120) or parent.recv() != ("ready",):
            process.kill()
            raise RuntimeError("a query worker failed to start")
        return process, parent

    def run(self, sparql: str, bindings: dict[str, Identifier]):
        """Run one query on a free worker; stop it (and replace the worker) past the limit."""
        process, conn = self._free.get()
        try:
            conn.send((sparql, bindings, self.settings.max_rows))
            if conn.poll(self.settings.timeout_seconds):
                answer = conn.recv()
            else:
                process.kill()
                process.join(5)
                process, conn = self._start()
                raise QueryStopped(
                    f"the query was stopped after {self.settings.timeout_seconds:g} s "
                    "(the time limit)", 503)
        except (EOFError, BrokenPipeError, OSError):
            process.kill()
            process, conn = self._start()
            raise QueryStopped("the query worker failed; please retry", 503) from None
        finally:
            self._free.put((process, conn))
        if answer[0] == "error":
            raise QueryStopped(answer[2], answer[1])
        return answer

    def close(self) -> None:
        """Stop every worker."""
        while not self._free.empty():
            process, conn = self._free.get_nowait()
            with contextlib.suppress(OSError):
                conn.send(None)
            process.join(2)
            if process.is_alive():
                process.kill()


def _negotiate(request: Request) -> str:
    wanted = request.query_params.get("format", "")
    if wanted in MEDIA_TYPES:
        return wanted
    accept = request.headers.get("accept", "")
    for fmt, media in (("xml", "sparql-results+xml"), ("xml", "application/xml"),
                       ("csv", "text/csv"), ("tsv", "text/tab-separated-values")):
        if media in accept:
            return fmt
    return "json"


def xml_results(names: list[str], rows: list[tuple], boolean: bool | None = None) -> str:
    """SPARQL 1.1 Query Results XML."""
    out = ['<?xml version="1.0"?>',
           '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "  <head>"]
    out += [f'    <variable name="{html.escape(n)}"/>' for n in names]
    out.append("  </head>")
    if boolean is not None:
        out.append(f"  <boolean>{'true' if boolean else 'false'}</boolean>")
    else:
        out.append("  <results>")
        for row in rows:
            out.append("    <result>")
            for name, value in zip(names, row, strict=True):
                if value is None:
                    continue
                if isinstance(value, URIRef):
                    inner = f"<uri>{html.escape(str(value))}</uri>"
                elif isinstance(value, Literal):
                    attrs = (f' xml:lang="{value.language}"' if value.language else
                             f' datatype="{value.datatype}"' if value.datatype else "")
                    inner = f"<literal{attrs}>{html.escape(str(value))}</literal>"
                else:
                    inner = f"<bnode>{html.escape(str(value))}</bnode>"
                out.append(f'      <binding name="{html.escape(name)}">{inner}</binding>')
            out.append("    </result>")
        out.append("  </results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"


def _render(answer, fmt: str) -> Response:
    if answer[0] == "ask":
        boolean = answer[1]
        if fmt == "xml":
            body = xml_results([], [], boolean)
        elif fmt in ("csv", "tsv"):
            body = f"ask\n{'true' if boolean else 'false'}\n"
        else:
            body = json.dumps({"head": {}, "boolean": boolean})
        return Response(body, media_type=MEDIA_TYPES[fmt])
    _, names, rows = answer
    if fmt == "xml":
        return Response(xml_results(names, rows), media_type=MEDIA_TYPES[fmt])
    dict_rows = [dict(zip(names, row, strict=True)) for row in rows]
    return Response(format_rows(dict_rows, fmt, variables=names), media_type=MEDIA_TYPES[fmt])


def _error(status: int, message: str) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status)


HOME = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>iapontology SPARQL endpoint</title>
<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
textarea{width:100%;height:12rem;font-family:monospace}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:.2rem .4rem;text-align:left}</style></head>
<body><h1>iapontology SPARQL endpoint</h1>
<p>Read-only SPARQL 1.1 over the IAP ontology (version __VERSION__). Prefixes such as
<code>IAPO:</code>, <code>RO:</code>, <code>GO:</code> and <code>rdfs:</code> are pre-bound.
Named questions: <a href="/queries">/queries</a>.</p>
<form id="f"><textarea name="query">SELECT ?iap ?label WHERE {
  ?iap rdfs:subClassOf IAPO:0000001 ; rdfs:label ?label
} ORDER BY ?label</textarea><p><button>Run</button></p></form>
<div id="out"></div>
<script>
document.getElementById("f").onsubmit = async (e) => {
  e.preventDefault();
  const r = await fetch("/sparql", {method: "POST", body: new FormData(e.target),
                                    headers: {Accept: "application/sparql-results+json"}});
  const out = document.getElementById("out");
  if (!r.ok) { out.textContent = await r.text(); return; }
  const data = await r.json();
  const vars = data.head.vars || [];
  let t = "<table><tr>" + vars.map(v => "<th>" + v + "</th>").join("") + "</tr>";
  for (const b of (data.results || {bindings: []}).bindings) {
    t += "<tr>" + vars.map(v => "<td>" + (b[v] ? b[v].value : "")
      .replace(/&/g, "&amp;").replace(/</g, "&lt;") + "</td>").join("") + "</tr>";
  }
  out.innerHTML = t + "</table>";
};
</script></body></html>
"""


def create_app(settings: ServerSettings | None = None) -> Starlette:
    """The Starlette application of the endpoint (start it with uvicorn)."""
    from pathlib import Path

    from iapontology.graph import graph
    from iapontology.queries import BadParameter, UnknownQuery, bind_parameters, get_query, queries

    settings = settings or ServerSettings()
    local = graph(*(Path(f) for f in settings.extra_files))
    state: dict = {}

    def pool() -> QueryPool:
        if "pool" not in state:
            state["pool"] = QueryPool(settings)
        return state["pool"]

    async def execute(request: Request, sparql: str, bindings: dict) -> Response:
        try:
            check_read_only_query(sparql, settings.allowed_services)
            answer = await run_in_threadpool(pool().run, sparql, bindings)
        except RefusedInput as refused:
            return _error(refused.status, str(refused))
        except QueryStopped as stopped:
            return _error(stopped.status, str(stopped))
        return _render(answer, _negotiate(request))

    async def read_body(request: Request) -> bytes | Response:
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > settings.max_request_bytes:
            return _error(413, f"request larger than {settings.max_request_bytes} bytes")
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > settings.max_request_bytes:
                return _error(413, f"request larger than {settings.max_request_bytes} bytes")
        return body

    async def sparql_endpoint(request: Request) -> Response:
        if len(str(request.url.query)) > settings.max_request_bytes:
            return _error(413, f"request larger than {settings.max_request_bytes} bytes")
        if request.method == "GET":
            sparql = request.query_params.get("query")
        else:
            body = await read_body(request)
            if isinstance(body, Response):
                return body
            kind = request.headers.get("content-type", "").split(";")[0].strip()
            if kind == "application/sparql-update":
                return _error(403, "SPARQL Update is not allowed: this endpoint is read-only")
            if kind == "application/sparql-query":
                sparql = body.decode("utf-8", errors="replace")
            else:
                form = parse_qs(body.decode("utf-8", errors="replace"))
                if kind.startswith("multipart/"):
                    form = {k: [v] for k, v in (await request.form()).items()
                            if isinstance(v, str)}
                if "update" in form:
                    return _error(403, "SPARQL Update is not allowed: this endpoint is read-only")
                sparql = (form.get("query") or [None])[0]
        if not sparql:
            return _error(400, "missing the 'query' parameter")
        return await execute(request, sparql, {})

    async def named(request: Request) -> Response:
        try:
            named_query = get_query(request.path_params["name"])
            params = {k: v for k, v in request.query_params.items() if k != "format"}
            bindings = bind_parameters(named_query, params, local)
        except UnknownQuery as error:
            return _error(404, str(error))
        except BadParameter as error:
            return _error(400, str(error))
        return await execute(request, named_query.sparql, bindings)

    async def list_queries(request: Request) -> Response:
        return JSONResponse([
            {"name": q.name, "title": q.title, "description": q.description,
             "parameters": [{"name": p.name, "type": p.type, "default": p.default}
                            for p in q.parameters]}
            for q in queries().values()])

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok", "version": __version__, "triples": len(local)})

    async def home(request: Request) -> Response:
        return HTMLResponse(HOME.replace("__VERSION__", __version__))

    async def server_error(request: Request, exc: Exception) -> Response:
        return _error(500, "internal server error")

    @asynccontextmanager
    async def lifespan(app: Starlette):
        yield
        if "pool" in state:
            state["pool"].close()

    app = Starlette(
        routes=[Route("/", home), Route("/sparql", sparql_endpoint, methods=["GET", "POST"]),
                Route("/queries", list_queries), Route("/queries/{name}", named),
                Route("/health", health)],
        exception_handlers={Exception: server_error, 500: server_error},
        lifespan=lifespan,
    )
    app.state.settings = settings
    return app


def serve(host: str, port: int, settings: ServerSettings) -> None:
    """Run the endpoint with uvicorn until interrupted."""
    import uvicorn

    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


__all__ = ["HOME", "MEDIA_TYPES", "QueryPool", "QueryStopped", "ServerSettings", "create_app",
    "serve", "xml_results"]
