"""Query workers with a time and memory limit each, shared fairly between clients.

Admission: a client (one IP address) may have ``per_client`` queries in flight; more are
answered 429. At most ``queue`` queries wait for a worker; more are answered 503. Both carry a
``Retry-After``. A query past the time limit is stopped by killing its worker, which the
template process replaces by forking (milliseconds, the graph is shared copy-on-write).

Fair share: the pool remembers how many worker-seconds each client used recently (halving
every 30 s). A free worker goes to the waiting client that used least. When every worker is
busy and a client is waiting that used much less than the owner of a running query (less than
half, with one second to spare), that query is stopped once it has run ``preempt_after``
seconds and answered 503 with ``Retry-After``, so a few clients sending runaway queries cannot
make everybody else wait for the time limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import multiprocessing
import os
import signal
import socket
import threading
import time
from collections import OrderedDict, defaultdict, deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection

from iapontology.serve.settings import ServerSettings
from iapontology.serve.worker import Job, Limits, template_main

__all__ = ["HALF_LIFE", "Busy", "QueryPool", "Running", "Template", "Worker"]


class Busy(Exception):
    """The query was not admitted: ``status`` 429 or 503, retry after ``retry_after`` s."""

    def __init__(self, status: int, message: str, retry_after: int):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


HALF_LIFE = 30.0  # seconds after which a client's recorded usage counts half
_CHECK = 0.05  # how often a waiting query looks for a query to preempt (seconds)


@dataclass
class Worker:
    """A forked worker process and our end of its socket."""

    pid: int
    conn: Connection


@dataclass
class Running:
    """A query on a worker: whose, and since when."""

    client: str
    started: float


class Template:
    """The process that holds the loaded graph and forks workers."""

    def __init__(self, settings: ServerSettings):
        self.limits = Limits(max_rows=settings.max_rows, memory_bytes=settings.memory_mb * 2**20,
                             allowed=settings.allowed())
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=template_main, daemon=True,
                                        args=(child, settings.extra_files, self.limits))
        self._process.start()
        child.close()
        self._lock = threading.Lock()
        try:
            if not self._conn.poll(600):
                raise EOFError
            message = self._conn.recv()
        except (EOFError, OSError):
            self.close()
            raise RuntimeError("the query template process did not start") from None
        if message[0] != "ready":
            self.close()
            raise RuntimeError(f"the query template process failed: {message[1]}")
        self.triples = message[1]

    def fork(self) -> Worker:
        """A new worker, forked from the template."""
        with self._lock:
            self._conn.send(("fork",))
            _, pid = self._conn.recv()
            with socket.fromfd(self._conn.fileno(), socket.AF_UNIX,
                               socket.SOCK_STREAM) as channel:
                _, fds, _, _ = socket.recv_fds(channel, 1, 1)
            fd = fds[0]
        return Worker(pid, Connection(fd))

    def reap(self, worker: Worker) -> int:
        """End ``worker`` and return its wait status."""
        with contextlib.suppress(OSError):
            worker.conn.close()
        with self._lock:
            self._conn.send(("reap", worker.pid))
            return self._conn.recv()[1]

    def close(self) -> None:
        """Stop the template and all workers."""
        with contextlib.suppress(OSError):
            self._conn.send(("stop",))
        self._process.join(5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(5)


class QueryPool:
    """Fair, bounded access to the workers; start it with :meth:`start`."""

    def __init__(self, settings: ServerSettings):
        self.settings = settings
        self.template: Template | None = None
        self._idle: deque[Worker] = deque()
        self._waiting: OrderedDict[str, deque[asyncio.Future]] = OrderedDict()
        self._in_flight: defaultdict[str, int] = defaultdict(int)
        self._running: dict[int, Running] = {}
        self._usage: dict[str, tuple[float, float]] = {}
        self._preempted: set[int] = set()
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=settings.workers + 2,
                                            thread_name_prefix="iapo-query")

    def start(self) -> None:
        """Load the graph in the template and fork every worker (blocks until ready)."""
        self.template = Template(self.settings)
        for _ in range(self.settings.workers):
            self._idle.append(self.template.fork())

    @property
    def running(self) -> int:
        """How many queries are running on a worker now."""
        return len(self._running)

    @property
    def waiting(self) -> int:
        """How many queries are waiting for a worker."""
        return sum(len(q) for q in self._waiting.values())

    async def run(self, client: str, job: Job) -> tuple:
        """Run ``job`` for ``client``; raises :class:`Busy` if it is not admitted."""
        retry = max(1, math.ceil(self.settings.timeout_seconds))
        if self._in_flight[client] >= self.settings.per_client:
            raise Busy(429, f"too many queries at once from one client (at most "
                            f"{self.settings.per_client}); wait for an answer first", 1)
        if not self._idle and self.waiting >= self.settings.queue:
            raise Busy(503, "the server is busy: the query queue is full; retry later", retry)
        self._in_flight[client] += 1
        try:
            worker = await self._acquire(client)
            pid, started = worker.pid, time.monotonic()
            self._running[pid] = Running(client, started)
            try:
                answer, worker = await asyncio.get_running_loop().run_in_executor(
                    self._executor, self._execute, worker, job)
            finally:
                del self._running[pid]
                with self._lock:
                    self._preempted.discard(pid)  # whichever way the query ended
                self._charge(client, time.monotonic() - started)
            self._release(worker)
            return answer
        finally:
            self._in_flight[client] -= 1
            if not self._in_flight[client]:
                del self._in_flight[client]

    def usage(self, client: str, now: float | None = None) -> float:
        """Worker-seconds ``client`` used recently (decayed), counting queries still running."""
        now = time.monotonic() if now is None else now
        value, at = self._usage.get(client, (0.0, now))
        used = value * 0.5 ** ((now - at) / HALF_LIFE)
        return used + sum(now - r.started for r in self._running.values() if r.client == client)

    def _charge(self, client: str, seconds: float) -> None:
        now = time.monotonic()
        value, at = self._usage.get(client, (0.0, now))
        self._usage[client] = (value * 0.5 ** ((now - at) / HALF_LIFE) + seconds, now)
        if len(self._usage) > 10_000:  # forget the lightest clients
            for name in sorted(self._usage, key=lambda c: self._usage[c][0])[:5_000]:
                del self._usage[name]

    async def _acquire(self, client: str) -> Worker:
        if self._idle and not self._waiting:
            return self._idle.popleft()
        future: asyncio.Future = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(client, deque()).append(future)
        try:
            while True:
                self._preempt_for_light_clients()
                with contextlib.suppress(asyncio.TimeoutError):
                    return await asyncio.wait_for(asyncio.shield(future), _CHECK)
        except asyncio.CancelledError:
            queue = self._waiting.get(client)
            if queue is not None and future in queue:
                queue.remove(future)
                if not queue:
                    del self._waiting[client]
            elif future.done() and not future.cancelled():
                self._release(future.result())
            raise

    def _preempt_for_light_clients(self) -> None:
        """Stop one long query of a heavy client if a much lighter client is waiting."""
        if self._idle or not self._waiting or not self._running:
            return
        with self._lock:
            if self._preempted:
                return  # one at a time: wait until the last one has been replaced
        now = time.monotonic()
        lightest = min(self.usage(c, now) for c in self._waiting)
        candidates = [(self.usage(r.client, now), now - r.started, pid)
                      for pid, r in self._running.items()
                      if now - r.started >= self.settings.preempt_after
                      and self.usage(r.client, now) > 2 * lightest + 1.0]
        if not candidates:
            return
        *_, pid = max(candidates)
        with self._lock:
            self._preempted.add(pid)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)  # still our worker: only we ask the template to reap

    def _release(self, worker: Worker) -> None:
        now = time.monotonic()
        while self._waiting:
            client = min(self._waiting, key=lambda c: self.usage(c, now))
            queue = self._waiting[client]
            future = queue.popleft()
            if not queue:
                del self._waiting[client]
            if not future.done():
                future.set_result(worker)
                return
        self._idle.append(worker)

    def _execute(self, worker: Worker, job: Job) -> tuple[tuple, Worker]:
        """Send ``job`` and wait up to the time limit (in a thread, off the event loop)."""
        assert self.template is not None
        limit = self.settings.timeout_seconds
        try:
            worker.conn.send(job)
            if worker.conn.poll(limit):
                return worker.conn.recv(), worker
            self.template.reap(worker)
            return ("error", 503, f"the query was stopped after {limit:g} s (the time "
                                  "limit)"), self.template.fork()
        except (EOFError, OSError):
            status = self.template.reap(worker)
            with self._lock:
                preempted = worker.pid in self._preempted
            if preempted:
                return ("error", 503, "the query was stopped to let other clients' queries "
                                      "run (the server is busy); retry later"), \
                    self.template.fork()
            if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGABRT,
                                                                  signal.SIGSEGV):
                message = (f"the query needed more memory than the limit of "
                           f"{self.settings.memory_mb} MiB per query and was stopped")
                return ("error", 507, message), self.template.fork()
            return ("error", 500, "the query worker failed; please retry"), \
                self.template.fork()

    def close(self) -> None:
        """Stop every worker and the template."""
        for future_queue in self._waiting.values():
            for future in future_queue:
                future.cancel()
        if self.template is not None:
            self.template.close()
        self._executor.shutdown(wait=False, cancel_futures=True)
