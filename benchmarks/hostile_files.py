"""Time against size for hostile and large RDF/XML files behind the input guard.

    python benchmarks/hostile_files.py [--scale 1.0] [--out benchmarks/hostile_files.md]

Each case is generated at three sizes (doubling) in a temporary folder and loaded with
``load_graph`` (the guard, then Oxigraph if the guard accepts). Time linear in the size shows
as a constant time per MB across the three rows of a case. For comparison, the first case is
also timed with Oxigraph alone (no guard) at depths below the limit, where its time grows
with the square of the depth.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyoxigraph  # noqa: E402

from iapontology.rdf.graph import load_graph  # noqa: E402
from iapontology.rdf.safety import RefusedInput  # noqa: E402
from tests.hostile import (  # noqa: E402
    RDF_CLOSE,
    RDF_OPEN,
    billion_laughs_after_comment,
    deep_nesting,
    giant_comment,
)


def nests_at_the_limit(path: Path, size: int, depth: int = 999) -> Path:
    """Blocks of elements nested ``depth`` deep (just under the limit), repeated."""
    block = "<ex:a>" * depth + "</ex:a>" * depth
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0"?>\n' + RDF_OPEN + "\n")
        for _ in range(max(1, size // len(block))):
            out.write(block)
        out.write(RDF_CLOSE + "\n")
    return path


def plain_descriptions(path: Path, size: int) -> Path:
    """An ordinary RDF/XML file: one description with a label and a link per subject."""
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0"?>\n' + RDF_OPEN + "\n")
        written, number = 0, 0
        while written < size:
            item = (f'<rdf:Description rdf:about="http://example.org/t{number}">'
                    f'<ex:label xml:lang="en">term {number} &amp; co</ex:label>'
                    f'<ex:next rdf:resource="http://example.org/t{number + 1}"/>'
                    "</rdf:Description>\n")
            out.write(item)
            written += len(item)
            number += 1
        out.write(RDF_CLOSE + "\n")
    return path


def utf16_laughs_at_the_end(path: Path, size: int) -> Path:
    """A UTF-16 file: a long comment, then a billion-laughs DOCTYPE at the very end."""
    plain = Path(str(path) + ".utf8")
    billion_laughs_after_comment(plain, size // 2)
    text = plain.read_text(encoding="utf-8").replace('<?xml version="1.0"?>',
                                                     '<?xml version="1.0" encoding="UTF-16"?>')
    plain.unlink()
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    return path


#: name -> (generator(path, size_in_bytes), base size in MB)
CASES: dict[str, tuple[Callable[[Path, int], Path], float]] = {
    "unterminated comment (refused)": (lambda p, n: giant_comment(p, n, closed=False), 50),
    "closed giant comment (parsed)": (lambda p, n: giant_comment(p, n, closed=True), 50),
    "billion laughs after a comment (refused)": (billion_laughs_after_comment, 25),
    "UTF-16, DOCTYPE at the end (refused)": (utf16_laughs_at_the_end, 25),
    "nesting 370k deep (refused)": (lambda p, n: deep_nesting(p, n // 13), 1.2),
    "nesting 999 deep, repeated (parsed)": (nests_at_the_limit, 1.2),
    "plain RDF/XML descriptions (parsed)": (plain_descriptions, 10),
}


def timed_load(path: Path, repeat: int) -> tuple[float, str]:
    """Median seconds of ``load_graph([path])`` and what came of it."""
    times, outcome = [], ""
    for _ in range(repeat):
        started = time.perf_counter()
        try:
            outcome = f"{len(load_graph([path], relation_view=False))} triples"
        except RefusedInput as refused:
            outcome = "refused: " + str(refused).split(": ", 1)[1][:60]
        times.append(time.perf_counter() - started)
    return statistics.median(times), outcome


def oxigraph_alone(path: Path) -> float:
    started = time.perf_counter()
    for _ in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.RDF_XML):
        pass
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every size")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("hostile_files.md"))
    args = parser.parse_args()
    lines = ["# Hostile files: time against size behind the input guard", "",
             f"`python benchmarks/hostile_files.py --scale {args.scale}` (median of "
             f"{args.repeat}; `load_graph`: the guard, then Oxigraph if accepted).", "",
             "Linear time shows as a steady 's per MB' down the three sizes of a case. A file "
             "refused early (nesting past the depth limit) costs almost nothing; a file read to "
             "its end costs a fixed time per MB, parsed or refused.", "",
             "| case | size (MB) | time (s) | s per MB | outcome |", "|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as scratch:
        for name, (make, base_mb) in CASES.items():
            for factor in (1, 2, 4):
                size = int(base_mb * factor * args.scale * 1e6)
                path = make(Path(scratch) / "case.owl", size)
                mb = path.stat().st_size / 1e6
                seconds, outcome = timed_load(path, args.repeat)
                row = f"| {name} | {mb:.1f} | {seconds:.3f} | {seconds / mb:.4f} | {outcome} |"
                print(row, flush=True)
                lines.append(row)
                path.unlink()
        lines += ["", "Oxigraph alone (no guard) on one nest, for comparison:", "",
                  "| depth | size (MB) | time (s) |", "|---|---|---|"]
        for depth in (12_500, 25_000, 50_000):
            path = deep_nesting(Path(scratch) / "nest.owl", depth)
            row = (f"| {depth} | {path.stat().st_size / 1e6:.2f} | "
                   f"{oxigraph_alone(path):.2f} |")
            print(row, flush=True)
            lines.append(row)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
