"""Bounded load tests of ``iapo serve`` on loopback: a mixed load, and an attack.

    python benchmarks/load.py [--clients 8] [--seconds 20] [--out benchmarks/load.md]

Mixed load: starts the endpoint (time limit 2 s) and runs ``--clients`` clients, each from
its own loopback address, for ``--seconds`` seconds; all but one cycle through a mix of named
questions, the last one sends a query that never ends on its own (a triple cross product).

Attack: starts the endpoint with its defaults (time limit 10 s, 4 workers), then 8 attacking
clients, each from its own loopback address (127.0.0.2-9, so the endpoint sees 8 clients),
send runaway queries without pause while a ninth client (127.0.0.10) asks the named
questions one after another. The target is a p95 latency of the ninth client at or under 1 s.

Both report throughput, latency percentiles and errors. Traffic goes only to loopback
addresses and stops by itself.
"""

from __future__ import annotations

import argparse
import http.client
import os
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


def get_from(source: str, url: str) -> tuple[int, float]:
    """GET ``url`` from the loopback address ``source``; return (status, milliseconds)."""
    where = urllib.parse.urlsplit(url)
    started = time.perf_counter()
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=60,
                                            source_address=(source, 0))
    try:
        connection.request("GET", f"{where.path}?{where.query}")
        response = connection.getresponse()
        response.read()
        status = response.status
    except OSError:
        status = 0
    finally:
        connection.close()
    return status, (time.perf_counter() - started) * 1000


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


def start(port: int, *options: str) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-m", "iapontology.cli", "serve", "--port",
                               str(port), *options],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while get(f"http://127.0.0.1:{port}/health")[0] != 200:
        if time.time() > deadline:
            server.kill()
            raise SystemExit("the server did not start")
        time.sleep(0.2)
    return server


def summary(label: str, results: list[tuple[int, float]]) -> list[str]:
    latencies = [ms for status, ms in results if status == 200]
    errors = sorted({s for s, _ in results if s != 200})
    return [
        f"- {label}: {len(results)} requests, {len(latencies)} answered 200"
        + (f", others {', '.join(f'HTTP {s}' for s in errors)}" if errors else ""),
        f"- latency of the answered ones (ms): p50 {percentile(latencies, 0.5):.1f}, "
        f"p95 {percentile(latencies, 0.95):.1f}, p99 {percentile(latencies, 0.99):.1f}, "
        f"max {max(latencies, default=0):.1f}, mean {statistics.fmean(latencies or [0]):.1f}",
    ]


def mixed(args: argparse.Namespace) -> list[str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start(port, "--timeout", "2", "--workers", str(args.workers))
    try:
        get(base + MIX[0])
        normal: list[tuple[int, float]] = []
        runaway: list[tuple[int, float]] = []
        lock = threading.Lock()
        stop = time.perf_counter() + args.seconds

        def client(index: int) -> None:
            n = index
            while time.perf_counter() < stop:
                source = f"127.0.0.{20 + index}"  # each client its own loopback address
                if index == args.clients - 1:
                    result = get_from(source, base + RUNAWAY)
                    with lock:
                        runaway.append(result)
                else:
                    result = get_from(source, base + MIX[n % len(MIX)])
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
    return [
        f"## Mixed load: {args.clients} clients for {args.seconds:g} s "
        f"({args.workers} query workers, 2 s time limit)",
        "",
        f"- throughput of normal requests: {len(normal) / elapsed:.1f} per second",
        *summary("normal requests", normal),
        f"- runaway queries sent by one client: {len(runaway)}, answered "
        + ", ".join(f"HTTP {s}" for s in sorted({s for s, _ in runaway}))
        + f" after a median {statistics.median([ms for _, ms in runaway] or [0]):.0f} ms",
    ]


def attack(args: argparse.Namespace) -> list[str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start(port)  # the defaults: 10 s time limit, 4 workers, 2 queries per client
    try:
        get(base + MIX[0])
        ninth: list[tuple[int, float]] = []
        attacks: list[tuple[int, float]] = []
        lock = threading.Lock()
        stop = time.perf_counter() + args.seconds

        def attacker(index: int) -> None:
            while time.perf_counter() < stop:
                result = get_from(f"127.0.0.{2 + index}", base + RUNAWAY)
                with lock:
                    attacks.append(result)

        def questioner() -> None:
            n = 0
            time.sleep(1.0)  # let the attackers fill every worker first
            while time.perf_counter() < stop:
                result = get_from("127.0.0.10", base + MIX[n % len(MIX)])
                n += 1
                with lock:
                    ninth.append(result)

        threads = [threading.Thread(target=attacker, args=(i,)) for i in range(8)]
        threads.append(threading.Thread(target=questioner))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait(10)
    p95 = percentile([ms for s, ms in ninth if s == 200], 0.95)
    verdict = "met" if p95 <= 1000 and all(s == 200 for s, _ in ninth) else "NOT met"
    return [
        f"## Attack: 8 clients send runaway queries for {args.seconds:g} s, a ninth asks "
        "named questions (defaults: 4 workers, 10 s time limit, 2 queries per client)",
        "",
        *summary("ninth client's named questions", ninth),
        f"- attackers' runaway queries: {len(attacks)}, answered "
        + ", ".join(f"HTTP {s}" for s in sorted({s for s, _ in attacks}))
        + f" after a median {statistics.median([ms for _, ms in attacks] or [0]):.0f} ms",
        f"- target p95 <= 1000 ms for the ninth client: {verdict}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--case", choices=("mixed", "attack", "both"), default="both")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("load.md"))
    args = parser.parse_args()
    lines = ["# Load tests of iapo serve on loopback", "",
             f"Run with `python benchmarks/load.py --seconds {args.seconds:g}` on "
             f"{os.cpu_count()} CPU cores.", ""]
    if args.case in ("mixed", "both"):
        lines += [*mixed(args), ""]
    if args.case in ("attack", "both"):
        lines += [*attack(args), ""]
    text = "\n".join(lines)
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
