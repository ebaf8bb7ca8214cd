"""The report profile at the seams: `iapo check --report`, and `iapo build` refusing to
write a release that has an ERROR-level finding."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from iapontology.build.pipeline import BuildError, build
from iapontology.cli import main
from tests.conftest import FIXTURES, edit_cell

CLEAN_BUT_FOR_INFO = """\
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix obo: <http://purl.obolibrary.org/obo/> .
@prefix iapo: <https://w3id.org/iapo/> .
iapo:IAPO_0009001 a owl:Class ; rdfs:label "parent"@en ; rdfs:subClassOf owl:Thing ;
    obo:IAO_0000115 "A parent."@en .
iapo:IAPO_0009002 a owl:Class ; rdfs:label "cIAP-like"@en ; rdfs:subClassOf iapo:IAPO_0009001 ;
    obo:IAO_0000115 "cIAP-like proteins start with a lower-case letter."@en .
[] a owl:Axiom ; owl:annotatedSource iapo:IAPO_0009001 ; owl:annotatedProperty obo:IAO_0000115 ;
   owl:annotatedTarget "A parent."@en ; obo:IAO_0000119 "PMID:9230442" .
[] a owl:Axiom ; owl:annotatedSource iapo:IAPO_0009002 ; owl:annotatedProperty obo:IAO_0000115 ;
   owl:annotatedTarget "cIAP-like proteins start with a lower-case letter."@en ;
   obo:IAO_0000119 "PMID:9230442" .
"""


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", "--no-owlapi", "--no-reasoner", *args])
    out, err = capsys.readouterr()
    return code, out, err


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_check_fails_on_an_error_and_writes_the_table(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    table = tmp_path / "report.tsv"
    fixture = FIXTURES / "report" / "duplicate_definition.ttl"
    code, out, _ = check(capsys, str(fixture), "--report", str(table))
    assert code == 1
    assert "result: FAIL" in out
    assert "ERROR duplicate_definition" in out
    rows = read_tsv(table)
    assert list(rows[0]) == ["Level", "Rule Name", "Subject", "Property", "Value"]
    duplicates = {r["Subject"] for r in rows if r["Rule Name"] == "duplicate_definition"}
    assert duplicates == {"IAPO:0009001", "IAPO:0009002", "IAPO:0009004", "IAPO:0009005"}
    assert {r["Property"] for r in rows if r["Rule Name"] == "duplicate_definition"} == {
        "IAO:0000115", "IAO:0000600"}
    levels = [r["Level"] for r in rows]
    assert levels == sorted(levels, key=["ERROR", "WARN", "INFO"].index)


def test_check_passes_with_only_info_and_counts_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    owl = tmp_path / "clean.ttl"
    owl.write_text(CLEAN_BUT_FOR_INFO, encoding="utf-8")
    code, out, _ = check(capsys, str(owl))
    assert code == 0, out
    assert "report: 0 ERROR, 0 WARN, 1 INFO" in out
    assert "INFO  lowercase_definition" in out
    assert "result: PASS" in out


@pytest.mark.parametrize("target", ["missing-folder/report.tsv", "."])
def test_check_refuses_a_report_path_it_cannot_write(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, target: str
) -> None:
    fixture = FIXTURES / "report" / "duplicate_label.ttl"
    code, out, err = check(capsys, str(fixture), "--report", str(tmp_path / target))
    assert code == 2
    assert len([line for line in err.splitlines() if line.startswith("iapo: error")]) == 1
    assert out == ""
    assert not (tmp_path / "missing-folder").exists()


def test_build_refuses_a_release_with_an_error(tables: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "iapo.owl").write_text("previous release", encoding="utf-8")
    pembrolizumab = next(line.split("\t")[3] for line in
                         (tables / "treatments.tsv").read_text(encoding="utf-8").splitlines()
                         if line.startswith("IAPO:0000823\t"))
    line = edit_cell(tables / "treatments.tsv", "IAPO:0000824", "definition", pembrolizumab)
    with pytest.raises(BuildError, match=r"report: 2 ERROR-level finding\(s\): ") as caught:
        build(out, knowledge_dir=tables, reason=False)
    assert (f"knowledge/treatments.tsv:{line}: ERROR duplicate_definition: IAPO:0000824 "
            "IAO:0000115 " + pembrolizumab) in str(caught.value)
    assert str(caught.value).endswith("; nothing was written")
    assert (out / "iapo.owl").read_text(encoding="utf-8") == "previous release"
    assert sorted(p.name for p in out.iterdir()) == ["iapo.owl"]


def test_build_reports_the_counts(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code = main(["build", "--no-reason", "--out", str(tmp_path)])
    out, _ = capsys.readouterr()
    assert code == 0
    assert "report: 0 ERROR, " in out
