"""Time of every report check on the ontology and on generated copies of it, many times larger.

    python benchmarks/report_checks.py [--copies 1 10 40] [--owl ontology/iapo.owl]
                                       [--out benchmarks/report_checks.md]

Copy N of the ontology renames every own term (``IAPO_0000104`` becomes ``IAPO_0000104_cN``)
and every blank node, and appends ``_cN`` to every plain or language-tagged text, so that the
copies add no duplicate labels, definitions or synonyms: the checks that compare texts across
terms (duplicate_definition, duplicate_label, ...) must stay close to linear in the size of
the graph, and this measures it. Each size is loaded into the package's Oxigraph-backed graph
and every check is run once.
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path

import rdflib

from iapontology.build.quality import level_of, report_checks
from iapontology.paths import PRIMARY_FILE, bundled_ontology_dir
from iapontology.rdf.graph import new_graph, query

_OWN = re.compile(r"<https://w3id\.org/iapo/(IAPO_\d+)>")
_BNODE = re.compile(r"_:(\w+)")
_TEXT = re.compile(r'"((?:[^"\\]|\\.)*)"(@[A-Za-z-]+)? \.$')


def copies_ntriples(owl: Path, copies: int) -> str:
    """The ontology as N-Triples, followed by ``copies - 1`` renamed copies of its own part."""
    source = rdflib.Graph()
    source.parse(owl, format="xml")
    lines = sorted(source.serialize(format="nt").splitlines())
    lines = [line for line in lines if line.strip()]
    own = [line for line in lines if _OWN.match(line) or line.startswith("_:")]
    out = list(lines)
    for n in range(1, copies):
        suffix = f"_c{n}"
        for line in own:
            line = _OWN.sub(lambda m, s=suffix: f"<https://w3id.org/iapo/{m[1]}{s}>", line)
            line = _BNODE.sub(lambda m, s=suffix: f"_:{m[1]}{s}", line)
            out.append(_TEXT.sub(lambda m, s=suffix: f'"{m[1]}{s}"{m[2] or ""} .', line))
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 10, 40])
    parser.add_argument("--owl", type=Path, default=bundled_ontology_dir() / PRIMARY_FILE)
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).with_name("report_checks.md"))
    args = parser.parse_args()
    checks = report_checks()
    sizes, timings, counts = [], {name: [] for name in checks}, {name: [] for name in checks}
    for copies in args.copies:
        with tempfile.TemporaryDirectory() as scratch:
            path = Path(scratch) / "copies.nt"
            path.write_text(copies_ntriples(args.owl, copies), encoding="utf-8")
            graph = new_graph()
            graph.parse(str(path), format="ox-nt")
        sizes.append(len(graph))
        for name, check in checks.items():
            started = time.perf_counter()
            rows = query(check.sparql, graph)
            timings[name].append((time.perf_counter() - started) * 1000)
            counts[name].append(len(rows))
        print(f"{len(graph)} triples: {sum(t[-1] for t in timings.values()):.0f} ms in all")
    head = " | ".join(f"{n} triples (ms)" for n in sizes)
    lines = [
        f"# Report checks: time per check at {', '.join(str(n) for n in sizes)} triples",
        "",
        f"Source: `{args.owl.name}` and renamed copies of its own terms "
        f"({', '.join(str(c) for c in args.copies)} copies); one run each, "
        "Oxigraph-backed rdflib graph. Findings at the smallest size in brackets.",
        "",
        f"| check | level | {head} |",
        "|---|---|" + "---|" * len(sizes),
    ]
    for name, check in checks.items():
        cells = " | ".join(f"{ms:.1f}" for ms in timings[name])
        lines.append(f"| {name} ({counts[name][0]}) | {level_of(check)} | {cells} |")
    totals = " | ".join(f"{sum(t[i] for t in timings.values()):.0f}" for i in range(len(sizes)))
    lines.append(f"| **all checks** | | {totals} |")
    text = "\n".join(lines) + "\n"
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
