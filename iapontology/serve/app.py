"""The Starlette application: routes, the protocol endpoint and its answers.

``/sparql`` implements the SPARQL 1.1 Protocol for queries (GET, POST form, POST direct,
HEAD, OPTIONS; a service description when dereferenced without parameters); ``/queries``
lists and runs the named questions; ``/health`` reports the state; ``/`` is the query page.
Reading the request happens here; checking and running the query happen in a worker, under
the time and memory limits.
"""

from __future__ import annotations

from contextlib import asynccontextmanager

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from iapontology import __version__
from iapontology.serve.formats import FORMATS, write_graph
from iapontology.serve.guard import Refused
from iapontology.serve.page import page
from iapontology.serve.pool import Busy, QueryPool
from iapontology.serve.protocol import acceptable_formats, media_type_of, read_request
from iapontology.serve.settings import ServerSettings
from iapontology.serve.worker import DATA_GRAPH, Job

__all__ = ["ALLOW", "SD", "create_app", "error", "serve", "service_description"]

ALLOW = "GET, HEAD, POST, OPTIONS"
SD = "http://www.w3.org/ns/sparql-service-description#"


def error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """A one-line plain-text error."""
    return PlainTextResponse(message.splitlines()[0] + "\n", status_code=status,
                             headers=headers)


def _term_spec(term) -> tuple:
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, BNode):
        return ("bnode", str(term))
    if isinstance(term, Literal):
        return ("literal", str(term), str(term.datatype) if term.datatype else None,
                term.language)
    raise TypeError(f"cannot bind {term!r}")


def service_description(base_url: str) -> list[ox.Triple]:
    """A SPARQL 1.1 Service Description of the endpoint."""
    service = ox.BlankNode()
    dataset, default = ox.BlankNode(), ox.BlankNode()
    sd = lambda name: ox.NamedNode(SD + name)  # noqa: E731
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    triples = [
        ox.Triple(service, rdf_type, sd("Service")),
        ox.Triple(service, sd("endpoint"), ox.NamedNode(base_url)),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, rdf_type, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default),
        ox.Triple(default, rdf_type, sd("Graph")),
        ox.Triple(dataset, sd("namedGraph"), ox.NamedNode(DATA_GRAPH)),
    ]
    formats = {"json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML",
               "csv": "SPARQL_Results_CSV", "tsv": "SPARQL_Results_TSV", "turtle": "Turtle",
               "ntriples": "N-Triples", "rdfxml": "RDF_XML", "jsonld": "JSON-LD"}
    triples += [ox.Triple(service, sd("resultFormat"),
                          ox.NamedNode(f"http://www.w3.org/ns/formats/{name}"))
                for name in formats.values()]
    return triples


def create_app(settings: ServerSettings | None = None) -> Starlette:
    """The application; the workers start with it (Starlette lifespan) and stop with it."""
    settings = settings or ServerSettings()
    settings.validate()
    pool = QueryPool(settings)
    state: dict = {}

    def local_graph():
        if "graph" not in state:
            from pathlib import Path

            from iapontology.rdf.graph import graph

            state["graph"] = graph(*(Path(f) for f in settings.extra_files))
        return state["graph"]

    async def execute(request: Request, job: Job) -> Response:
        client = request.client.host if request.client else "unknown"
        try:
            answer = await pool.run(client, job)
        except Busy as busy:
            return error(busy.status, str(busy), {"Retry-After": str(busy.retry_after)})
        if answer[0] == "error":
            headers = {"Retry-After": "1"} if answer[1] == 503 else None
            return error(answer[1], answer[2], headers)
        _, fmt, body = answer
        return Response(body, media_type=media_type_of(fmt),
                        headers={"Vary": "Accept"})

    async def read_body(request: Request) -> bytes:
        declared = request.headers.get("content-length", "")
        limit = settings.max_request_bytes
        if declared.isdigit() and int(declared) > limit:
            raise Refused(f"request larger than {limit} bytes", 413)
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit:
                raise Refused(f"request larger than {limit} bytes", 413)
        return bytes(body)

    async def sparql(request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response(status_code=204, headers={"Allow": ALLOW})
        raw_query = request.scope.get("query_string", b"")
        try:
            if len(raw_query) > settings.max_request_bytes:
                raise Refused(f"request larger than {settings.max_request_bytes} bytes", 413)
            if request.method in ("GET", "HEAD") and not raw_query:
                formats = acceptable_formats(request.headers.get("accept"), None)
                fmt = next((f for f in formats if "construct" in FORMATS[f][1]), None)
                if fmt is None:
                    raise Refused("the service description is available as Turtle, "
                                  "N-Triples, RDF/XML or JSON-LD", 406)
                body = write_graph(fmt, service_description(str(request.url)))
                return Response(body, media_type=media_type_of(fmt), headers={"Vary": "Accept"})
            body = b"" if request.method in ("GET", "HEAD") else await read_body(request)
            protocol = read_request(request.method, request.headers.get("content-type"),
                                    raw_query, body)
            formats = acceptable_formats(request.headers.get("accept"), protocol.format_param)
        except Refused as refused:
            return error(refused.status, str(refused))
        return await execute(request, Job(protocol.query, formats, protocol.default_graphs,
                                          protocol.named_graphs))

    async def named(request: Request) -> Response:
        from iapontology.sparql.named import BadParameter, UnknownQuery, bind_parameters, get_query

        try:
            named_query = get_query(request.path_params["name"])
            params = {k: v for k, v in request.query_params.items() if k != "format"}
            bindings = bind_parameters(named_query, params, local_graph())
            formats = acceptable_formats(request.headers.get("accept"),
                                         request.query_params.get("format"))
        except UnknownQuery as failure:
            return error(404, str(failure))
        except (BadParameter, Refused) as failure:
            return error(400, str(failure))
        substitutions = tuple((k, _term_spec(v)) for k, v in bindings.items())
        return await execute(request, Job(named_query.sparql, formats,
                                          substitutions=substitutions))

    async def list_queries(request: Request) -> Response:
        from iapontology.sparql.named import queries

        return JSONResponse([
            {"name": q.name, "title": q.title, "description": q.description,
             "parameters": [{"name": p.name, "type": p.type, "default": p.default}
                            for p in q.parameters]}
            for q in queries().values()])

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok", "version": __version__,
                             "triples": pool.template.triples if pool.template else 0,
                             "workers": settings.workers, "waiting": pool.waiting})

    async def home(request: Request) -> Response:
        return HTMLResponse(page(__version__))

    async def server_error(request: Request, exc: Exception) -> Response:
        return error(500, "internal server error")

    @asynccontextmanager
    async def lifespan(app: Starlette):
        if pool.template is None:
            pool.start()
        local_graph()
        try:
            yield
        finally:
            pool.close()

    middleware = []
    if settings.cors_origins:
        middleware.append(Middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                                     allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
                                     allow_headers=["Accept", "Content-Type"]))
    app = Starlette(
        routes=[Route("/", home),
                Route("/sparql", sparql, methods=["GET", "HEAD", "POST", "OPTIONS"]),
                Route("/queries", list_queries), Route("/queries/{name}", named),
                Route("/health", health)],
        middleware=middleware,
        exception_handlers={Exception: server_error, 500: server_error},
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.pool = pool
    return app


def serve(host: str, port: int, settings: ServerSettings) -> None:
    """Start the workers, then run the endpoint with uvicorn until interrupted.

    Raises :class:`RuntimeError` if the workers cannot start (for example, no built graph).
    """
    import uvicorn

    app = create_app(settings)
    app.state.pool.start()  # before listening, so that a failure is one clear error
    uvicorn.run(app, host=host, port=port, log_level="warning")
