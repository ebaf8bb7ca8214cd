"""The named questions on the shipped ontology, through the package and beside other engines.

    python benchmarks/query_speed.py [--repeat N] [--plain-timeout S] [--no-plain]
                                     [--out benchmarks/results.md]

Measured in one run, so that the ratios compare like with like:

* ``run()`` (the package: parameters resolved and written into the query as a ``VALUES`` block,
  the answer converted to rdflib terms, ``GROUP_CONCAT`` cells sorted) against the raw Oxigraph
  store running the very text ``run()`` sends (``Store.query``, rows read as Oxigraph terms),
  timed alternately, median of ``--repeat`` runs each;
* a plain ``rdflib.Graph()`` in-memory store running the same text (in a child process stopped
  after ``--plain-timeout`` seconds: rdflib's engine can take minutes on joins);
* Owlready2's native SPARQL engine (parameters as its ``??`` placeholders): whether it runs the
  question at all, and whether its rows equal the package's (values compared as text, the
  parts of ``GROUP_CONCAT`` cells and the rows sorted);
* ``iapo query NAME`` as a whole process against ``python -c "import rdflib, pyoxigraph"``,
  run alternately.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import owlready2
import rdflib

import iapontology as iapo
from iapontology.paths import PRIMARY_FILE, QUERY_GRAPH_FILE, bundled_ontology_dir
from iapontology.rdf.answers import concat_columns
from iapontology.rdf.graph import PREFIXES, load_graph, shipped_store
from iapontology.rdf.query_text import inline_values
from iapontology.sparql.named import bind_parameters

#: The named question timed as a whole ``iapo query`` process (its default looks up a term).
PROCESS_QUESTION = ("iap_actions",)


def paired_medians(first: Callable[[], object], second: Callable[[], object],
                   repeat: int) -> tuple[float, float]:
    """Median milliseconds of two actions timed in pairs (after one warm-up each).

    Which action goes first is drawn at random for each pair: Oxigraph has occasional slow
    runs at a regular interval, which a fixed alternation would pin on one of the two.
    """
    first()
    second()
    order = random.Random(16)
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        pair = [(0, first), (1, second)]
        order.shuffle(pair)
        for index, action in pair:
            started = time.perf_counter()
            action()
            times[index].append((time.perf_counter() - started) * 1000)
    return statistics.median(times[0]), statistics.median(times[1])


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


_PLAIN = """
import statistics, sys, time
import rdflib
from iapontology.rdf.graph import PREFIXES
from iapontology.rdf.query_text import inline_values
from iapontology.paths import PRIMARY_FILE, QUERY_GRAPH_FILE, bundled_ontology_dir
from iapontology.sparql.named import bind_parameters, get_query
named = get_query(sys.argv[1])
bindings = bind_parameters(named, {})
text = inline_values(named.sparql, bindings) if bindings else named.sparql
plain = rdflib.Graph().parse(bundled_ontology_dir() / QUERY_GRAPH_FILE, format="nt")
times = []
for _ in range(int(sys.argv[2]) + 1):
    t = time.perf_counter()
    list(plain.query(text, initNs=PREFIXES))
    times.append((time.perf_counter() - t) * 1000)
print(statistics.median(times[1:]))
"""


def plain_median_ms(name: str, repeat: int, timeout: float) -> float | str:
    """Median latency of a named question on a plain rdflib in-memory graph (child process)."""
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


def _text(value: Any) -> str:
    """A value as comparable text: an IRI, or a literal's Python value."""
    if value is None:
        return ""
    if isinstance(value, rdflib.URIRef):
        return str(value)
    if isinstance(value, rdflib.Literal):
        python = value.toPython()
        return str(python if not isinstance(python, rdflib.Literal) else value)
    iri = getattr(value, "iri", None)
    return str(iri) if iri is not None else str(value)


def comparable(rows: list[list[Any]], columns: list[str], sparql: str) -> list[tuple[str, ...]]:
    """Rows as sorted tuples of text, with the parts of GROUP_CONCAT cells sorted."""
    separators = concat_columns(sparql)
    out = []
    for row in rows:
        cells = []
        for name, value in zip(columns, row, strict=True):
            text = _text(value)
            if name in separators:
                text = separators[name].join(sorted(text.split(separators[name])))
            cells.append(text)
        out.append(tuple(cells))
    return sorted(out)


def owlready_answer(world: owlready2.World, named: Any, bindings: dict[str, Any],
                    expected: Any, repeat: int) -> tuple[str, str]:
    """Owlready2's native engine on one question: (time and verdict, "same"/"different"/
    "fails"); with ``repeat`` 0 the question runs once, untimed."""
    try:
        owl = owlready_text(named.sparql, [p.name for p in named.parameters])
        values = [world[str(v)] if isinstance(v, rdflib.URIRef) else v.toPython()
                  for v in bindings.values()]
        prepared = world.prepare_sparql(owl)
        answer = [list(r) for r in prepared.execute(values)]
    except Exception as error:  # Owlready2's engine lacks some SPARQL features
        return f"n/a ({type(error).__name__})", "fails"
    same = comparable(answer, expected.variables, named.sparql) == comparable(
        [[r[v] for v in expected.variables] for r in expected], expected.variables,
        named.sparql)
    if not repeat:
        return "", "same" if same else "different"
    owl_ms, _ = paired_medians(lambda: list(prepared.execute(values)), lambda: None,
                               max(3, repeat // 6))
    return f"{owl_ms:.2f} ({'same rows' if same else 'DIFFERENT rows'})", (
        "same" if same else "different")


def _ms(value: float | str) -> str:
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def process_medians(repeat: int) -> tuple[float, float, str]:
    """Median wall time of ``iapo query NAME`` and of importing rdflib and pyoxigraph."""
    iapo_command = [str(Path(sys.executable).with_name("iapo")), "query", *PROCESS_QUESTION]
    baseline = [sys.executable, "-c", "import rdflib, pyoxigraph"]
    env = dict(os.environ)

    def timed(command: list[str]) -> float:
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env)
        return (time.perf_counter() - started) * 1000

    command_ms, baseline_ms = [], []
    timed(iapo_command)
    timed(baseline)
    for _ in range(repeat):
        command_ms.append(timed(iapo_command))
        baseline_ms.append(timed(baseline))
    return statistics.median(command_ms), statistics.median(baseline_ms), " ".join(
        ["iapo", *iapo_command[1:]])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("results.md"))
    parser.add_argument("--plain-timeout", type=float, default=60.0,
                        help="seconds allowed per question on plain rdflib (default 60)")
    parser.add_argument("--no-plain", action="store_true", help="skip plain rdflib")
    args = parser.parse_args()
    source = bundled_ontology_dir() / QUERY_GRAPH_FILE

    fast, fast_ms, fast_mb = timed_load(lambda: load_graph([source], relation_view=False))
    _, plain_ms, plain_mb = timed_load(lambda: rdflib.Graph().parse(source, format="nt"))
    world = owlready2.World()
    _, owl_ms, owl_mb = timed_load(lambda: world.get_ontology(source.as_uri()).load())
    store = shipped_store()
    owl_file_world = owlready2.World()  # the OWL file itself (no relation-graph view)
    owl_file_world.get_ontology((bundled_ontology_dir() / PRIMARY_FILE).as_uri()).load()

    rows = []
    for name, named in iapo.queries().items():
        bindings = bind_parameters(named, {}, store)
        text = inline_values(named.sparql, bindings) if bindings else named.sparql
        raw_ms, run_ms = paired_medians(
            lambda t=text: [list(s) for s in store.query(t, prefixes=PREFIXES)],
            lambda n=name: iapo.run(n, store), args.repeat)
        plain_q: float | str = "-" if args.no_plain else plain_median_ms(
            name, max(3, args.repeat // 10), args.plain_timeout)
        expected = iapo.run(name, store)
        owl_q, owl_state = owlready_answer(world, named, bindings, expected, args.repeat)
        _, owl_file_state = owlready_answer(owl_file_world, named, bindings, expected, 0)
        rows.append((name, raw_ms, run_ms, plain_q, owl_q, owl_state, len(expected),
                     owl_file_state))

    command_ms, baseline_ms, command = process_medians(max(5, args.repeat // 3))
    ratios = [r[2] / r[1] for r in rows]
    runs = sum(1 for r in rows if r[5] != "fails")
    correct = sum(1 for r in rows if r[5] == "same")
    file_runs = sum(1 for r in rows if r[7] != "fails")
    file_correct = sum(1 for r in rows if r[7] == "same")
    slowest = max(rows, key=lambda r: r[2])
    lines = [
        f"# Query benchmark: {len(rows)} named questions on the shipped ontology "
        f"({len(fast)} triples)",
        "",
        "Made by `python benchmarks/query_speed.py` in one run; compare the ratios, as absolute "
        "times vary with the machine's load.",
        "",
        f"- `run()` against the raw Oxigraph store on the same query text: median ratio "
        f"**{statistics.median(ratios):.2f}x** (per question {min(ratios):.2f}x to "
        f"{max(ratios):.2f}x; target 1.2x)",
        f"- `{command}` as a whole process: {command_ms:.0f} ms against {baseline_ms:.0f} ms for "
        f"`python -c \"import rdflib, pyoxigraph\"`: **{command_ms / baseline_ms:.2f}x** "
        "(target 1.5x)",
        f"- slowest question through `run()`: {slowest[0]}, {slowest[2]:.2f} ms",
        f"- Owlready2's native SPARQL engine, on the query graph (`{QUERY_GRAPH_FILE}`), runs "
        f"**{runs} of {len(rows)}** questions and gives the package's rows for **{correct}**; "
        f"on the OWL file (`{PRIMARY_FILE}`, without the relation-graph view) it runs "
        f"**{file_runs}** and gives the package's rows for **{file_correct}**",
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
        "| named question | raw Oxigraph (ms) | `run()` (ms) | ratio | plain rdflib (ms) "
        "| rdflib / `run()` | Owlready2 native (ms) | rows |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, raw_ms, run_ms, plain_q, owl_q, _, count, _ in rows:
        speedup = f"{plain_q / run_ms:.0f}x" if isinstance(plain_q, float) else "-"
        lines.append(f"| {name} | {raw_ms:.3f} | {run_ms:.3f} | {run_ms / raw_ms:.2f} "
                     f"| {_ms(plain_q)} | {speedup} | {owl_q} | {count} |")
    text = "\n".join(lines) + "\n"
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
