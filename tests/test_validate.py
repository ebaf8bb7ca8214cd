"""``iapo validate`` from the outside (a subprocess), and label references in a real build.

A reference cell may name a term by its exact label or synonym; the build must then write the
very same bytes as with the CURIE.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from iapontology.build.pipeline import build
from iapontology.knowledge.curation import load_knowledge
from tests.conftest import ROOT, edit_cell

PROBLEM = re.compile(r"^knowledge/[\w.]+\.(tsv|toml):\d+:[\w.-]+: \S.*$")


def validate(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "iapontology.cli", "validate", *args], cwd=ROOT,
        capture_output=True, text=True, check=False, timeout=120,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


def test_validate_the_shipped_tables_prints_one_summary_line() -> None:
    run = validate()
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert len(lines) == 1 and lines[0].endswith("no problems"), lines
    assert re.search(r"\b18 tables, \d+ rows, \d+ references", lines[0])


def test_validate_reports_every_problem_as_file_line_column(tables: Path) -> None:
    first = edit_cell(tables / "findings.tsv", "IAPO:1000001", "cancer", "no such cancer")
    second = edit_cell(tables / "trials.tsv", "IAPO:2000001", "phase", "phase 9")
    third = edit_cell(tables / "agents.tsv", "IAPO:0000702", "parents", "IAPO:0000402,")
    run = validate("--knowledge", str(tables))
    assert run.returncode == 2
    lines = run.stdout.splitlines()
    assert lines and all(PROBLEM.match(line) for line in lines), lines
    assert any(line.startswith(f"knowledge/findings.tsv:{first}:cancer: ") for line in lines)
    assert any(line.startswith(f"knowledge/trials.tsv:{second}:phase: ") for line in lines)
    assert any(line.startswith(f"knowledge/agents.tsv:{third}:parents: ") for line in lines)
    assert run.stderr.strip() == f"iapo: error: {len(lines)} problem(s) in the tables of {tables}"


def test_validate_refuses_a_folder_that_is_not_there(tmp_path: Path) -> None:
    run = validate("--knowledge", str(tmp_path / "nowhere"))
    assert run.returncode == 2 and run.stdout == ""
    assert "is not a folder" in run.stderr


def test_validate_reports_a_missing_table(tables: Path) -> None:
    (tables / "combinations.tsv").unlink()
    run = validate("--knowledge", str(tables))
    assert run.returncode == 2
    assert "knowledge/combinations.tsv:0:-: the table is missing" in run.stdout.splitlines()


def test_validate_needs_neither_owlready2_nor_java() -> None:
    code = ("import sys; from iapontology.cli import main; code = main(['validate']); "
            "assert 'owlready2' not in sys.modules, 'owlready2 was imported'; "
            "sys.exit(code)")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=False, timeout=120,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/nonexistent"})
    assert run.returncode == 0, run.stderr


#: (table, row, column, a label or exact synonym that names the same term as the CURIE there)
BY_NAME = [
    ("iaps.tsv", "IAPO:0000104", "parents", "inhibitor of apoptosis protein"),
    ("iaps.tsv", "IAPO:0000104", "domains", "UBA domain|RING finger"),
    ("agent_targets.tsv", "IAPO:0000702", "subject", "LCL-161"),
    ("trials.tsv", "IAPO:2000001", "interventions", "birinapant"),
    ("findings.tsv", "IAPO:1000001", "cancer", "ovarian cancer"),
    ("findings.tsv", "IAPO:1000001", "treatment", "CDDP"),
    ("properties.tsv", "BFO:0000050", "inverse_of", "has part"),
]


def test_label_references_build_the_same_bytes_as_curies(tables: Path, tmp_path: Path) -> None:
    knowledge = load_knowledge(tables)
    for table, row, column, names in BY_NAME:
        edit_cell(tables / table, row, column, names)
    named = load_knowledge(tables)
    assert named.by_name == sum(len(n.split("|")) for *_, n in BY_NAME)
    rows = {r.where: r.cells for r in named.terms.values()}
    assert rows == {r.where: r.cells for r in knowledge.terms.values()}
    with_curies, with_names = tmp_path / "curies", tmp_path / "names"
    build(with_curies, reason=False)
    build(with_names, knowledge_dir=tables, reason=False)
    for name in ("iapo.owl", "iapo.ttl", "iapo.obo", "iapo.json", "iapo-query.nt"):
        assert (with_names / name).read_bytes() == (with_curies / name).read_bytes(), name


@pytest.mark.parametrize(
    ("value", "reason"),
    [("cIAP1", "names IAPO:0000102 'cIAP1' (iaps.tsv), which is not a cancer"),
     ("ovarian  cancer", "is not a CURIE, nor the label or exact synonym of any term"),
     ("Ovarian cancer", "is not a CURIE, nor the label or exact synonym of any term")],
)
def test_a_name_must_match_exactly_and_be_of_the_right_kind(tables: Path, value: str,
                                                           reason: str) -> None:
    line = edit_cell(tables / "findings.tsv", "IAPO:1000001", "cancer", value)
    run = validate("--knowledge", str(tables))
    assert any(p.startswith(f"knowledge/findings.tsv:{line}:cancer: ") and reason in p
               for p in run.stdout.splitlines()), run.stdout
