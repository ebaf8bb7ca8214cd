"""Shared fixtures: a fresh build into a temporary folder, and copies of the tables."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from iapontology.build import build
from iapontology.paths import KNOWLEDGE_DIR

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def fresh_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The release files built now from the tables (with the HermiT check)."""
    out = tmp_path_factory.mktemp("ontology")
    build(out, reason=True)
    return out


@pytest.fixture(scope="session")
def docs_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The documentation site, built once per test run with warnings as errors."""
    out = tmp_path_factory.mktemp("html")
    run = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(ROOT / "docs"), str(out)],
        capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return out


@pytest.fixture()
def tables(tmp_path: Path) -> Path:
    """A private copy of the curated tables that a test may break."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target)
    return target


def expect_problem(tables: Path, table: str, line: int, reason: str,
                   column: str | None = None) -> None:
    """Loading ``tables`` fails with a ``knowledge/<table>:<line>:<column>: ...reason...``
    problem (any column when ``column`` is None)."""
    from iapontology.curation import load_knowledge
    from iapontology.tables import CurationError

    with pytest.raises(CurationError) as caught:
        load_knowledge(tables)
    prefix = f"knowledge/{table}:{line}:"
    if column is not None:
        prefix += f"{column}: "
    assert any(p.startswith(prefix) and reason in p for p in caught.value.problems), (
        caught.value.problems
    )


def edit_cell(table: Path, row_id: str, column: str, value: str) -> int:
    """Change one cell of the row whose first cell is ``row_id``; return its line number."""
    lines = table.read_text(encoding="utf-8").splitlines()
    header = next(line for line in lines if line and not line.startswith("#")).split("\t")
    index = header.index(column)
    for number, line in enumerate(lines, start=1):
        cells = line.split("\t")
        if cells[0] == row_id:
            cells += [""] * (len(header) - len(cells))
            cells[index] = value
            lines[number - 1] = "\t".join(cells)
            table.write_text("\n".join(lines) + "\n", encoding="utf-8")
            return number
    raise KeyError(row_id)
