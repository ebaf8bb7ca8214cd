"""The named queries on the shipped ontology merged with a generated extension.

    python benchmarks/scale.py [--triples 1000000] [--repeat 5] [--out benchmarks/scale.md]

The extension has the same shape as the ontology: the query graph (ontology plus relation
view) is copied again and again with every own term and record renamed (IAPO_0000104 becomes
IAPO_0000104_c7 in copy 7), so each copy adds IAPs, agents, findings and trials linked exactly
as the real ones are, until the merged graph holds at least ``--triples`` triples. Reused terms
(GO, RO, BFO...) are shared, as they would be in a real merge.
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
from iapontology.graph import PREFIXES, load_graph
from iapontology.paths import QUERY_GRAPH_FILE, bundled_ontology_dir
from iapontology.queries import bind_parameters

_OWN = re.compile(r"<https://w3id\.org/iapo/(IAPO_\d+)>")
_BNODE = re.compile(r"_:(\S+)")


def write_extension(source: Path, target: Path, minimum: int) -> int:
    """Write copies of ``source`` (N-Triples) to ``target`` until ``minimum`` triples."""
    lines = [line for line in source.read_text(encoding="utf-8").splitlines() if line]
    written, copy = 0, 0
    with target.open("w", encoding="utf-8") as out:
        while written < minimum:
            copy += 1
            suffix = f"_c{copy}"
            for line in lines:
                line = _OWN.sub(lambda m, s=suffix: f"<https://w3id.org/iapo/{m[1]}{s}>", line)
                out.write(_BNODE.sub(lambda m, s=suffix: f"_:{m[1]}{s}", line) + "\n")
            written += len(lines)
    return written


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
