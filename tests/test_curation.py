"""The validator stops a build on a bad row, naming file:line, and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from iapontology.build.pipeline import build
from iapontology.knowledge.curation import load_knowledge
from iapontology.knowledge.tables import CurationError
from tests.conftest import edit_cell


def problems_for(tables: Path) -> list[str]:
    with pytest.raises(CurationError) as caught:
        load_knowledge(tables)
    return caught.value.problems


def test_shipped_tables_are_valid() -> None:
    knowledge = load_knowledge()
    assert len(knowledge.rows_of("iaps")) == 8
    assert all(row.get("definition_source") for row in knowledge.terms.values())


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("parents", "IAPO:0009999", "unknown class IAPO:0009999"),
        ("definition", "", "has no definition"),
        ("definition_source", "", "every fact needs a PMID or DOI"),
        ("definition_source", "PMID:123456789012", "not a valid PMID identifier"),
        ("definition_source", "PMID:999999", "not in the bibliography"),
        ("definition_source", "DOI:11.1/x", "not a valid DOI identifier"),
        ("uniprot", "UniProtKB:XIAP1", "not a valid UniProtKB identifier"),
        ("hgnc_id", "HGNC:ABC", "not a valid HGNC identifier"),
        ("hgnc_id", "NCBIGene:331", "expected one of HGNC"),
        ("xrefs", "clinicaltrials:NCT123", "not a valid clinicaltrials identifier"),
        ("label", "cIAP1", "label 'cIAP1' is already used by IAPO:0000102"),
        ("bir_domains", "three", "bir_domains must be empty"),
        ("domains", "IAPO:0000101", "is not a domain from domains.tsv"),
    ],
)
def test_bad_cell_is_reported_with_file_and_line(
    tables: Path, column: str, value: str, reason: str
) -> None:
    line = edit_cell(tables / "iaps.tsv", "IAPO:0000104", column, value)
    problems = problems_for(tables)
    prefix = f"knowledge/iaps.tsv:{line}:{column}: "
    assert any(p.startswith(prefix) and reason in p for p in problems), (
        problems
    )


def test_duplicate_id_is_reported(tables: Path) -> None:
    line = edit_cell(tables / "iaps.tsv", "IAPO:0000104", "id", "IAPO:0000102")
    problems = problems_for(tables)
    expected = f"knowledge/iaps.tsv:{line}:id: duplicate ID IAPO:0000102"
    assert any(p.startswith(expected) for p in problems)


def test_malformed_own_id_is_reported(tables: Path) -> None:
    line = edit_cell(tables / "domains.tsv", "IAPO:0000011", "id", "IAPO:11")
    problems = problems_for(tables)
    assert any(p.startswith(f"knowledge/domains.tsv:{line}:id: ") for p in problems), problems


def test_row_wider_than_header_is_reported(tables: Path) -> None:
    path = tables / "bibliography.tsv"
    path.write_text(path.read_text() + "PMID:1\tcitation\textra\n", encoding="utf-8")
    lines = path.read_text().splitlines()
    problems = problems_for(tables)
    assert f"knowledge/bibliography.tsv:{len(lines)}:-: 3 cells but the header has 2" in problems


def test_failed_build_leaves_previous_files_untouched(tables: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(out, knowledge_dir=tables, reason=False)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    edit_cell(tables / "iaps.tsv", "IAPO:0000104", "parents", "IAPO:0009999")
    with pytest.raises(CurationError):
        build(out, knowledge_dir=tables, reason=False)
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert after == before
