"""The query side: a template process holding the graph, and the workers forked from it.

The template (started with ``spawn``) loads the graph into its own Oxigraph store once,
blocks network sockets when no SERVICE endpoint is allowed, and then forks workers on request:
a fork shares the loaded store copy-on-write, so a worker stopped at the time limit is
replaced in milliseconds. Each worker caps its own memory and answers jobs one at a time:
it reads the query with :mod:`iapontology.serve.guard`, runs that canonical text and writes
the result in the negotiated format, all inside the parent's time limit.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import sys
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

__all__ = ["DATA_GRAPH", "Job", "Limits", "answer_job", "template_main"]

#: The name of the graph that holds the ontology (also the default graph of every query).
DATA_GRAPH = "https://w3id.org/iapo/iapo.owl"
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Job:
    """One query to answer."""

    text: str
    formats: tuple[str, ...]  # acceptable formats, best first (the form picks among them)
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    substitutions: tuple[tuple[str, tuple], ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Limits:
    """What a worker needs to know besides the job."""

    max_rows: int
    memory_bytes: int
    allowed: tuple = ()  # of guard.AllowedEndpoint


def _die_with_parent() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def template_main(control: Connection, extra_files: tuple[str, ...], limits: Limits) -> None:
    """Entry point of the template process: load the graph, then fork workers on request."""
    _die_with_parent()
    try:
        store = _load_store(extra_files)
        if not limits.allowed:
            from iapontology.serve.sandbox import SandboxError, forbid_network

            try:
                forbid_network()
            except SandboxError as error:  # the query check still refuses every SERVICE
                print(f"iapo serve: warning: workers keep network access: {error}",
                      file=sys.stderr)
    except Exception as error:  # report, never a traceback
        control.send(("failed", f"{type(error).__name__}: {error}".splitlines()[0]))
        return
    control.send(("ready", len(store)))
    children: set[int] = set()
    while True:
        try:
            request = control.recv()
        except (EOFError, OSError):
            break
        if request[0] == "fork":
            ours, theirs = socket.socketpair()
            pid = os.fork()
            if pid == 0:
                ours.close()
                control.close()
                _worker_main(Connection(theirs.detach()), store, limits)
                os._exit(0)
            theirs.close()
            children.add(pid)
            control.send(("forked", pid))
            with socket.fromfd(control.fileno(), socket.AF_UNIX, socket.SOCK_STREAM) as channel:
                socket.send_fds(channel, [b"F"], [ours.fileno()])  # our end, to the server
            ours.close()
        elif request[0] == "reap":
            children.discard(request[1])
            control.send(("reaped", _reap(request[1])))
        else:
            break
    for pid in children:
        _reap(pid)


def _reap(pid: int) -> int:
    """Kill a worker (if it still runs) and collect its exit status."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:
        return 0


def _load_store(extra_files: tuple[str, ...]):
    import pyoxigraph as ox

    from iapontology.paths import QUERY_GRAPH_FILE, bundled_ontology_dir

    store = ox.Store()
    graph_name = ox.NamedNode(DATA_GRAPH)
    if extra_files:
        from iapontology.rdf.graph import graph

        merged = graph(*(Path(f) for f in extra_files))  # the guarded loader
        data = merged.serialize(format="nt", encoding="utf-8")
        store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=graph_name)
    else:
        path = bundled_ontology_dir() / QUERY_GRAPH_FILE
        store.load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=graph_name)
    return store


def _ox_term(spec: tuple):
    import pyoxigraph as ox

    kind = spec[0]
    if kind == "iri":
        return ox.NamedNode(spec[1])
    if kind == "bnode":
        return ox.BlankNode(spec[1])
    _, value, datatype, language = spec
    if language:
        return ox.Literal(value, language=language)
    return ox.Literal(value, datatype=ox.NamedNode(datatype) if datatype else None)


def _worker_main(conn: Connection, store, limits: Limits) -> None:
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    from iapontology.serve.sandbox import cap_memory

    cap_memory(limits.memory_bytes)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer = answer_job(store, job, limits)
        except MemoryError:
            answer = ("error", 507, "the query needed more memory than the limit of "
                      f"{limits.memory_bytes // 2**20} MiB per query and was stopped")
        try:
            conn.send(answer)
        except (OSError, MemoryError):
            return


def answer_job(store, job: Job, limits: Limits) -> tuple:
    """Check, run and write one job; returns ("ok", format, bytes) or ("error", status, text)."""
    import pyoxigraph as ox

    from iapontology.rdf.graph import PREFIXES
    from iapontology.serve import formats
    from iapontology.serve.guard import Refused, prepare

    try:
        prepared = prepare(job.text, limits.allowed, PREFIXES)
    except Refused as refused:
        return ("error", refused.status, str(refused))
    if job.default_graphs or job.named_graphs:  # the protocol's dataset overrides the query's
        default = [ox.NamedNode(g) for g in job.default_graphs]
        named = [ox.NamedNode(g) for g in job.named_graphs]
    elif prepared.has_dataset:
        default, named = None, None
    else:
        default, named = [ox.NamedNode(DATA_GRAPH)], None
    try:
        result = store.query(prepared.text, prefixes=PREFIXES, default_graph=default,
                             named_graphs=named,
                             substitutions={ox.Variable(k): _ox_term(v)
                                            for k, v in job.substitutions})
        form = ("ask" if isinstance(result, ox.QueryBoolean) else
                "select" if isinstance(result, ox.QuerySolutions) else "graph")
        fmt = _choose(job, form)
        if fmt is None:
            wanted = ", ".join(n for n, (_, forms) in formats.FORMATS.items()
                               if (form if form != "graph" else "construct") in forms)
            return ("error", 406, f"none of the requested media types can carry this result; "
                                  f"this query can be answered as {wanted}")
        if form == "ask":
            return ("ok", fmt, formats.write_ask(fmt, bool(result)))
        rows: list = []
        for item in result:
            if len(rows) >= limits.max_rows:
                noun = "rows" if form == "select" else "triples"
                return ("error", 422, f"the result has more than {limits.max_rows} {noun}; "
                                      "add a LIMIT or narrow the query")
            rows.append(tuple(item) if form == "select" else item)
        if form == "select":
            names = [v.value for v in result.variables]
            return ("ok", fmt, formats.write_select(fmt, names, rows))
        return ("ok", fmt, formats.write_graph(fmt, rows, PREFIXES))
    except formats.Unwritable as error:
        return ("error", 406, str(error))
    except SyntaxError as error:
        return ("error", 400, f"malformed SPARQL: {str(error).splitlines()[0]}")
    except MemoryError:
        raise
    except Exception as error:  # the engine's evaluation errors: a clear line, no traceback
        first = (str(error).splitlines() or [type(error).__name__])[0]
        return ("error", 400, f"query failed: {first[:300]}")


def _choose(job: Job, form: str) -> str | None:
    from iapontology.serve.formats import FORMATS

    kind = "construct" if form == "graph" else form
    for fmt in job.formats:
        if kind in FORMATS[fmt][1]:
            return fmt
    return None
