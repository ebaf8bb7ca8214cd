"""Median latency of every named query through three engines, measured in one run.

    python benchmarks/query_speed.py [--repeat N] [--out benchmarks/results.md]

Engines: the package's default path (rdflib API on an Oxigraph store, parameters bound by the
engine), a plain ``rdflib.Graph()`` in-memory store running the same query text and bindings,
and Owlready2's native SPARQL engine (parameters given as its ``??`` placeholders). Compare
ratios within one run; absolute times vary with the machine's load.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import owlready2
import rdflib

import iapontology as iapo
from iapontology.paths import QUERY_GRAPH_FILE, bundled_ontology_dir
from iapontology.rdf.graph import PREFIXES, load_graph
from iapontology.sparql.named import bind_parameters


def median_ms(action: Callable[[], object], repeat: int) -> float:
    action()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def timed_load(action: Callable[[], object]) -> tuple[object, float, float]:
    """Load once for the time, then again under tracemalloc for the peak memory (tracemalloc
    slows allocation-heavy code many times over, so it must not share the timed run)."""
    started = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    action()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return result, seconds * 1000, peak


_COLD = (
    "import time; t = time.perf_counter(); import iapontology; g = iapontology.graph(); "
    "print((time.perf_counter() - t) * 1000, len(g))"
)


def cold_graph_ms(repeat: int = 5) -> float:
    """Median time, in a fresh interpreter, of ``import iapontology`` plus ``graph()``."""
    runs = [
        float(subprocess.run([sys.executable, "-c", _COLD], capture_output=True, text=True,
                             check=True).stdout.split()[0])
        for _ in range(repeat)
    ]
    return statistics.median(runs)


_PLAIN = """
import statistics, sys, time
import rdflib
from iapontology.rdf.graph import PREFIXES
from iapontology.paths import QUERY_GRAPH_FILE, bundled_ontology_dir
from iapontology.sparql.named import bind_parameters, get_query
import iapontology
named = get_query(sys.argv[1])
bindings = bind_parameters(named, {}, iapontology.graph())
plain = rdflib.Graph().parse(bundled_ontology_dir() / QUERY_GRAPH_FILE, format="nt")
times = []
for _ in range(int(sys.argv[2]) + 1):
    t = time.perf_counter()
    list(plain.query(named.sparql, initNs=PREFIXES, initBindings=bindings))
    times.append((time.perf_counter() - t) * 1000)
print(statistics.median(times[1:]))
"""


def plain_median_ms(name: str, repeat: int, timeout: float) -> float | str:
    """Median latency of a named query on a plain rdflib in-memory graph, in a child process
    that is stopped after ``timeout`` seconds (rdflib's engine can take minutes on joins)."""
    try:
        run = subprocess.run([sys.executable, "-c", _PLAIN, name, str(repeat)],
                             capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"> {timeout:.0f} s (stopped)"
    if run.returncode != 0:
        return "error in rdflib's engine"
    return float(run.stdout.split()[-1])


def owlready_text(sparql: str, names: list[str]) -> str:
    header = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
    for name in names:  # Owlready2 takes parameters as ?? placeholders, bound by its engine
        sparql = re.sub(rf"\?{name}\b", "??", sparql)
    return header + sparql


def _ms(value: float | str) -> str:
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("results.md"))
    parser.add_argument("--plain-timeout", type=float, default=60.0,
                        help="seconds allowed per query on plain rdflib (default 60)")
    args = parser.parse_args()
    source = bundled_ontology_dir() / QUERY_GRAPH_FILE

    fast, fast_ms, fast_mb = timed_load(lambda: load_graph([source], relation_view=False))
    _, plain_ms, plain_mb = timed_load(lambda: rdflib.Graph().parse(source, format="nt"))
    world = owlready2.World()
    _, owl_ms, owl_mb = timed_load(lambda: world.get_ontology(source.as_uri()).load())

    rows = []
    for name, named in iapo.queries().items():
        bindings = bind_parameters(named, {}, fast)
        fast_q = median_ms(lambda q=named.sparql, b=bindings: list(
            fast.query(q, initNs=PREFIXES, initBindings=b)), args.repeat)
        plain_q = plain_median_ms(name, max(3, args.repeat // 4), args.plain_timeout)
        try:
            text = owlready_text(named.sparql, [p.name for p in named.parameters])
            values = [world[str(v)] if isinstance(v, rdflib.URIRef) else v.toPython()
                      for v in bindings.values()]
            prepared = world.prepare_sparql(text)
            owl_ms_q = median_ms(lambda p=prepared, v=values: list(p.execute(v)), args.repeat)
            owl_q = f"{owl_ms_q:.2f}"
        except Exception as error:  # Owlready2's engine lacks some SPARQL features
            owl_q = f"n/a ({type(error).__name__})"
        rows.append((name, fast_q, plain_q, owl_q))

    cold = cold_graph_ms()
    slowest = max(rows, key=lambda r: r[1])
    lines = [
        f"# Query benchmark ({len(fast)} triples in the query graph)",
        "",
        f"- `import iapontology` + `iapontology.graph()` in a fresh interpreter (cold): "
        f"{cold:.0f} ms (median of 5)",
        f"- slowest named query on the default path: {slowest[0]}, {slowest[1]:.2f} ms; "
        f"plain rdflib: {_ms(slowest[2])}"
        + (f" ({slowest[2] / slowest[1]:.0f}x slower)" if isinstance(slowest[2], float)
           else ""),
        "",
        "Peak memory is what tracemalloc sees: Python objects only, not the native stores of",
        "Oxigraph (Rust) or Owlready2 (SQLite), so it understates those two.",
        "",
        "| load | time (ms) | peak Python memory (MiB) |",
        "|---|---|---|",
        f"| default (rdflib + Oxigraph, N-Triples) | {fast_ms:.0f} | {fast_mb:.1f} |",
        f"| plain rdflib in-memory | {plain_ms:.0f} | {plain_mb:.1f} |",
        f"| Owlready2 | {owl_ms:.0f} | {owl_mb:.1f} |",
        "",
        "| named query | default (ms) | plain rdflib (ms) | speed-up | Owlready2 native (ms) |",
        "|---|---|---|---|---|",
    ]
    for name, fast_q, plain_q, owl_q in rows:
        plain_text = _ms(plain_q)
        ratio = f"{plain_q / fast_q:.0f}x" if isinstance(plain_q, float) else "-"
        lines.append(f"| {name} | {fast_q:.2f} | {plain_text} | {ratio} | {owl_q} |")
    text = "\n".join(lines) + "\n"
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
