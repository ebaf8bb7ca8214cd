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
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import owlready2
import rdflib

import iapontology as iapo
from iapontology.graph import PREFIXES, load_graph
from iapontology.paths import QUERY_GRAPH_FILE, bundled_ontology_dir
from iapontology.queries import bind_parameters


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


def owlready_text(sparql: str, names: list[str]) -> str:
    header = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
    for name in names:  # Owlready2 takes parameters as ?? placeholders, bound by its engine
        sparql = re.sub(rf"\?{name}\b", "??", sparql)
    return header + sparql


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("results.md"))
    args = parser.parse_args()
    source = bundled_ontology_dir() / QUERY_GRAPH_FILE

    fast, fast_ms, fast_mb = timed_load(lambda: load_graph([source], relation_view=False))
    plain, plain_ms, plain_mb = timed_load(lambda: rdflib.Graph().parse(source, format="nt"))
    world = owlready2.World()
    _, owl_ms, owl_mb = timed_load(lambda: world.get_ontology(source.as_uri()).load())

    rows = []
    for name, named in iapo.queries().items():
        bindings = bind_parameters(named, {}, fast)
        fast_q = median_ms(lambda q=named.sparql, b=bindings: list(
            fast.query(q, initNs=PREFIXES, initBindings=b)), args.repeat)
        try:
            plain_q: float | None = median_ms(
                lambda q=named.sparql, b=bindings: list(
                    plain.query(q, initNs=PREFIXES, initBindings=b)),
                max(3, args.repeat // 4),
            )
        except Exception:  # rdflib's own engine fails on some valid queries
            plain_q = None
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

    lines = [
        f"# Query benchmark ({len(fast)} triples in the query graph)",
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
        plain_text = f"{plain_q:.2f}" if plain_q is not None else "error in rdflib's engine"
        ratio = f"{plain_q / fast_q:.0f}x" if plain_q is not None else "-"
        lines.append(f"| {name} | {fast_q:.2f} | {plain_text} | {ratio} | {owl_q} |")
    text = "\n".join(lines) + "\n"
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
