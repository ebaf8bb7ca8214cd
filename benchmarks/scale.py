"""The named questions on the shipped ontology merged with generated extensions of growing size.

    python benchmarks/scale.py [--sizes 100000,1000000,5000000] [--repeat 3]
                               [--cache DIR] [--out benchmarks/scale.md]

An extension has the same shape as the ontology's growing parts: every agent (IAPO_00007xx)
and every record (findings, trials, combinations, biomarkers: IAPO_1000000 and up) is copied
again and again under a new name (IAPO_1000001 becomes IAPO_1000001_c7 in copy 7), with the
blank nodes of its axioms, its relation-graph triples and its asserted links, still linked to
the same IAPs, cancers, treatments and mechanisms, until the merged graph holds at least the
size asked for.

Each size runs in its own child process (so peak memory is that size's own): the merged graph
is loaded through the public API (``load_graph``, an rdflib graph on Oxigraph), the term look-up
index is built (the first ``term()``), then every named question runs through ``run()`` with
its default parameters: one warm-up, then the median of ``--repeat`` runs. The parent writes a
table per size and a growth table: the exponent k of t ~ n^k between the smallest and largest
size (k <= 1: the cost grows no faster than the data).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

#: Queries whose work is a fixed amount per triple or per record: their growth is the
#: engine's own, the yardstick for the named questions' (whose plans add nothing to it).
REFERENCES = {
    "reference: scan every label": "SELECT (COUNT(*) AS ?n) WHERE { ?s rdfs:label ?l }",
    "reference: join per finding": "SELECT (COUNT(*) AS ?n) WHERE { ?f a IAPO:0000450 ; "
                                   "rdfs:label ?l ; dcterms:source ?s }",
}

_GROWING = re.compile(r"<https://w3id\.org/iapo/(IAPO_(?:00007\d\d|[1-9]\d{6}))>")
_BNODE = re.compile(r"_:(\S+)")


def _template(lines: list[str]) -> list[str]:
    """The triples about agents and records, with the blank nodes hanging off them."""
    chosen = {i for i, line in enumerate(lines) if _GROWING.search(line)}
    bnodes = {b for i in chosen for b in _BNODE.findall(lines[i])}
    while True:  # add the triples of blank nodes reached so far, until nothing new
        more = {i for i, line in enumerate(lines)
                if i not in chosen and line.startswith("_:") and line.split()[0][2:] in bnodes}
        if not more:
            break
        chosen |= more
        bnodes |= {b for i in more for b in _BNODE.findall(lines[i])}
    return [lines[i] for i in sorted(chosen)]


def write_extension(source: Path, target: Path, minimum: int) -> int:
    """Write renamed copies of the agents and records of ``source`` until ``minimum``."""
    lines = [line for line in source.read_text(encoding="utf-8").splitlines() if line]
    template = _template(lines)
    written, copy = len(lines), 0
    with target.open("w", encoding="utf-8") as out:
        while written < minimum:
            copy += 1
            suffix = f"_c{copy}"
            for line in template:
                line = _GROWING.sub(lambda m, s=suffix: f"<https://w3id.org/iapo/{m[1]}{s}>",
                                    line)
                out.write(_BNODE.sub(lambda m, s=suffix: f"_:{m[1]}{s}", line) + "\n")
            written += len(template)
    return written - len(lines)


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(extension: Path, repeat: int) -> dict[str, object]:
    """Child process: load shipped + extension, then time every named question."""
    import iapontology as iapo
    from iapontology.paths import QUERY_GRAPH_FILE, bundled_ontology_dir
    from iapontology.rdf.graph import load_graph

    shipped = bundled_ontology_dir() / QUERY_GRAPH_FILE
    rss_before = _rss_mib()
    started = time.perf_counter()
    graph = load_graph([shipped, extension], relation_view=False)
    load_s = time.perf_counter() - started
    rss_loaded = _rss_mib()
    started = time.perf_counter()
    triples = len(graph)
    len_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    iapo.term("XIAP", graph)  # builds the name index used by term parameters
    index_s = time.perf_counter() - started
    def timed(call: Callable[[], list]) -> tuple[float, list]:
        """One warm-up, then the median of ``repeat`` calls in ms, with the last answer."""
        rows = call()
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            rows = call()
            times.append((time.perf_counter() - t0) * 1000)
        return statistics.median(times), rows

    queries: dict[str, tuple[float, int]] = {}
    for name in iapo.queries():
        ms, rows = timed(lambda n=name: iapo.run(n, graph))
        queries[name] = (ms, len(rows))
    for name, text in REFERENCES.items():
        ms, rows = timed(lambda t=text: iapo.query(t, graph))
        queries[name] = (ms, int(rows[0]["n"]))
    return {"triples": triples, "load_s": load_s, "len_ms": len_ms, "index_s": index_s,
            "rss_before": rss_before, "rss_loaded": rss_loaded, "rss_peak": _rss_mib(),
            "queries": queries}


def _child(size: int, cache: Path, repeat: int, timeout: float) -> dict[str, object]:
    from iapontology.paths import QUERY_GRAPH_FILE, bundled_ontology_dir

    shipped = bundled_ontology_dir() / QUERY_GRAPH_FILE
    extension = cache / f"extension-{size}.nt"
    stamp = cache / f"extension-{size}.source"
    fingerprint = f"{shipped.stat().st_size}:{shipped.stat().st_mtime_ns}"
    if not extension.exists() or not stamp.exists() or stamp.read_text() != fingerprint:
        started = time.perf_counter()
        added = write_extension(shipped, extension, size)
        stamp.write_text(fingerprint)
        print(f"{size}: generated {added} triples in {time.perf_counter() - started:.0f} s",
              flush=True)
    # the generated files are the benchmark's own: lift the loader's 512 MiB input limit
    env = {**os.environ, "IAPO_MAX_FILE_BYTES": str(8 << 30)}
    run = subprocess.run([sys.executable, __file__, "--child", str(extension),
                          "--repeat", str(repeat)],
                         capture_output=True, text=True, timeout=timeout, check=False, env=env)
    if run.returncode != 0:
        raise SystemExit(f"scale.py: the {size:,}-triple run failed (exit {run.returncode}):\n"
                         + "\n".join(run.stderr.strip().splitlines()[-5:]))
    return json.loads(run.stdout.splitlines()[-1])


def _report(results: list[dict], repeat: int) -> str:
    lines = ["# Scale benchmark: the named questions from 100 thousand to millions of triples",
             "",
             "Shipped ontology + generated extension; `run()` with default parameters, median of "
             f"{repeat} runs after one warm-up, each size in its own process "
             "(`python benchmarks/scale.py`). Absolute times vary with the machine's load.",
             "",
             "| triples | load (s) | `len()` (ms) | term index (s) | peak RSS (MiB) "
             "| RSS added by the load (MiB) | slowest question (ms) | all questions (ms) |",
             "|---|---|---|---|---|---|---|---|"]
    for r in results:
        qs = {name: q for name, q in r["queries"].items() if name not in REFERENCES}
        slowest = max(qs, key=lambda n: qs[n][0])
        lines.append(f"| {r['triples']:,} | {r['load_s']:.1f} | {r['len_ms']:.1f} "
                     f"| {r['index_s']:.2f} | {r['rss_peak']:.0f} "
                     f"| {r['rss_loaded'] - r['rss_before']:.0f} "
                     f"| {slowest} {qs[slowest][0]:.1f} | {sum(q[0] for q in qs.values()):.0f} |")
    names = list(results[0]["queries"])
    first, last = results[0], results[-1]
    data_growth = last["triples"] / first["triples"]
    lines += ["", f"Growth exponent k (t ~ n^k) from {first['triples']:,} to "
              f"{last['triples']:,} triples ({data_growth:.0f}x the data); k <= 1 means the "
              "cost grows no faster than the data. Rows: the answer's size at the largest "
              "size. Questions under 1 ms at the smallest size are dominated by fixed costs. "
              "The two reference rows do a fixed amount of work per triple or per record "
              "(rows: what they count), so their k is the engine's own growth on this "
              "machine: a question whose k is no higher grows no faster than the store does.",
              "", "| named question | " + " | ".join(f"{r['triples']:,} (ms)" for r in results)
              + " | rows | k |",
              "|---|" + "---|" * len(results) + "---|---|"]
    for name in names:
        times = [r["queries"][name][0] for r in results]
        k = (f"{math.log(max(times[-1], 1e-3) / max(times[0], 1e-3)) / math.log(data_growth):.2f}"
             if data_growth > 1.5 else "-")
        lines.append(f"| {name} | " + " | ".join(f"{t:.1f}" for t in times)
                     + f" | {last['queries'][name][1]} | {k} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000,5000000",
                        help="comma-separated minimum sizes in triples")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=None,
                        help="folder to keep generated extensions in (default: a temporary one)")
    parser.add_argument("--timeout", type=float, default=1800,
                        help="seconds allowed per size (default 1800)")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("scale.md"))
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(measure(args.child, args.repeat)))
        return
    sizes = sorted(int(s) for s in args.sizes.split(","))
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        cache = args.cache or Path(scratch)
        cache.mkdir(parents=True, exist_ok=True)
        for size in sizes:
            result = _child(size, cache, args.repeat, args.timeout)
            qs = {n: q for n, q in result["queries"].items() if n not in REFERENCES}
            print(f"{result['triples']:,} triples: load {result['load_s']:.1f} s, peak "
                  f"{result['rss_peak']:.0f} MiB, slowest {max(q[0] for q in qs.values()):.1f} "
                  "ms", flush=True)
            results.append(result)
            args.out.write_text(_report(results, args.repeat), encoding="utf-8")
    print(args.out.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
