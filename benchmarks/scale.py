"""The named queries on the shipped ontology merged with a generated extension.

    python benchmarks/scale.py [--triples 1000000] [--repeat 5] [--out benchmarks/scale.md]

The extension has the same shape as the ontology's growing parts: every agent (IAPO_00007xx)
and every record (findings, trials, combinations, biomarkers: IAPO_1000000 and up) is copied
again and again under a new name (IAPO_1000001 becomes IAPO_1000001_c7 in copy 7), with the
blank nodes of its axioms and its relation-graph triples, still linked to the same IAPs,
cancers, treatments and mechanisms, until the merged graph holds at least ``--triples``
triples. The named questions then answer over hundreds of times more agents, findings and
trials.
"""

from __future__ import annotations

import argparse
import re
import resource
import statistics
import tempfile
import time
from pathlib import Path

import iapontology as iapo
from iapontology.paths import QUERY_GRAPH_FILE, bundled_ontology_dir
from iapontology.rdf.graph import PREFIXES, load_graph
from iapontology.sparql.named import bind_parameters

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("scale.md"))
    args = parser.parse_args()
    shipped = bundled_ontology_dir() / QUERY_GRAPH_FILE
    with tempfile.TemporaryDirectory() as scratch:
        extension = Path(scratch) / "extension.nt"
        started = time.perf_counter()
        added = write_extension(shipped, extension, args.triples)
        print(f"generated {added} triples in {time.perf_counter() - started:.1f} s")
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        graph = load_graph([shipped, extension], relation_view=False)
        load_s = time.perf_counter() - started
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rows = []
    for name, named in iapo.queries().items():
        bindings = bind_parameters(named, {}, iapo.graph())
        times, count = [], 0
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            count = len(list(graph.query(named.sparql, initNs=PREFIXES, initBindings=bindings)))
            times.append((time.perf_counter() - t0) * 1000)
        rows.append((name, statistics.median(times), count))
    lines = [
        f"# Scale benchmark: {len(graph)} triples (shipped ontology + generated extension)",
        "",
        f"- load (rdflib API on Oxigraph, N-Triples): {load_s:.1f} s",
        f"- peak resident memory of the process: {rss_after / 1024:.0f} MiB "
        f"({(rss_after - rss_before) / 1024:.0f} MiB more than before the load)",
        "",
        "| named query | median (ms) | rows |",
        "|---|---|---|",
        *[f"| {name} | {ms:.1f} | {count} |" for name, ms, count in rows],
    ]
    text = "\n".join(lines) + "\n"
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
