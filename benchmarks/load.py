"""A bounded load test of ``iapo serve`` on loopback, with one client sending runaway queries.

    python benchmarks/load.py [--clients 8] [--seconds 20] [--out benchmarks/load.md]

Starts the endpoint on a free loopback port (time limit 2 s), then runs ``--clients``
threads for ``--seconds`` seconds: all but one cycle through a mix of named questions; the
last one sends a query that never ends on its own (a triple cross product). It reports
throughput, latency percentiles and errors for the normal queries, and what happened to the
runaway ones. Traffic goes only to 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

MIX = [
    "/queries/iaps_inhibiting_caspase?caspase=caspase-9",
    "/queries/agents_targeting?iap=cIAP1",
    "/queries/findings_by_cancer?cancer=ovarian%20cancer",
    "/queries/trials_for_agent?agent=xevinapant",
    "/queries/iap_actions?iap=XIAP",
    "/queries/biomarkers_for_agent?agent=SMAC%20mimetic",
    "/sparql?query=" + urllib.parse.quote(
        "SELECT ?iap ?label WHERE { ?iap rdfs:subClassOf IAPO:0000001 ; rdfs:label ?label }"),
]
RUNAWAY = "/sparql?query=" + urllib.parse.quote(
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:
        status = 0
    return status, (time.perf_counter() - started) * 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("load.md"))
    args = parser.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "iapontology.cli", "serve", "--port",
                               str(port), "--timeout", "2", "--workers", str(args.workers)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while get(base + "/health")[0] != 200:
            if time.time() > deadline:
                raise SystemExit("the server did not start")
            time.sleep(0.2)
        get(base + MIX[0])  # start the worker processes before timing
        normal: list[tuple[int, float]] = []
        runaway: list[tuple[int, float]] = []
        lock = threading.Lock()
        stop = time.perf_counter() + args.seconds

        def client(index: int) -> None:
            n = index
            while time.perf_counter() < stop:
                if index == args.clients - 1:
                    result = get(base + RUNAWAY)
                    with lock:
                        runaway.append(result)
                else:
                    result = get(base + MIX[n % len(MIX)])
                    n += 1
                    with lock:
                        normal.append(result)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(10)
    latencies = [ms for status, ms in normal if status == 200]
    errors = sum(1 for status, _ in normal if status != 200)
    lines = [
        f"# Load test: {args.clients} clients for {args.seconds:g} s on loopback "
        f"({args.workers} query workers, 2 s time limit)",
        "",
        f"- normal requests: {len(normal)} ({len(normal) / elapsed:.1f} per second), "
        f"errors: {errors}",
        f"- latency of normal requests (ms): p50 {percentile(latencies, 0.5):.1f}, "
        f"p95 {percentile(latencies, 0.95):.1f}, p99 {percentile(latencies, 0.99):.1f}, "
        f"max {max(latencies, default=0):.1f}, mean {statistics.fmean(latencies or [0]):.1f}",
        f"- runaway queries sent by one client: {len(runaway)}, answered "
        + ", ".join(f"HTTP {s}" for s in sorted({s for s, _ in runaway}))
        + f" after a median {statistics.median([ms for _, ms in runaway] or [0]):.0f} ms",
    ]
    text = "\n".join(lines) + "\n"
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
