"""Issue 14: findings that state an effect, an IAP alteration and counter-evidence."""

from __future__ import annotations

from pathlib import Path

import pytest

import iapontology as iapo
from iapontology.knowledge.curation import load_knowledge
from iapontology.knowledge.tables import CurationError
from iapontology.sparql.named import run
from tests.conftest import edit_cell, edit_schema, expect_problem

LOSS = "IAPO:0000433"
FUSION = "IAPO:0000437"
SENSITISATION = "IAPO:0000466"
RESISTANCE = "IAPO:0000465"


def curies(rows: list[dict], name: str = "finding") -> set[str]:
    """The CURIEs of one column of a query answer (``https://w3id.org/iapo/IAPO_1`` -> IAPO:1)."""
    return {str(row[name]).rsplit("/", 1)[-1].replace("_", ":") for row in rows}


def count(sparql: str) -> int:
    return int(iapo.query(sparql)[0]["n"])


# -- the floors of issue 14 -------------------------------------------------------------------
def test_findings_and_biomarkers_reach_the_floors() -> None:
    assert count("SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f a IAPO:0000450 }") >= 75
    assert count("SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE { ?b a IAPO:0000490 }") >= 15
    special = count(f"""SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE {{
        ?f a IAPO:0000450 .
        {{ ?f IAPO:0000535 {SENSITISATION} }} UNION {{ ?f IAPO:0000536 {LOSS} }}
        UNION {{ ?f IAPO:0000536 {FUSION} }} UNION {{ ?f IAPO:0000537 ?other }}
        UNION {{ ?f IAPO:0000620 ?note }} }}""")
    assert special >= 5


def test_every_finding_comes_from_the_table() -> None:
    rows = load_knowledge().records["findings"][1]
    assert count("SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f a IAPO:0000450 }") == len(rows)


# -- the named questions ----------------------------------------------------------------------
def test_which_findings_are_loss_of_function() -> None:
    rows = run("findings_by_alteration", alteration="IAP loss of function")
    assert curies(rows) == {"IAPO:1000048"}  # BIRC3 disruption in fludarabine-refractory CLL
    (row,) = rows
    assert str(row["iapLabel"]) == "cIAP2" and str(row["treatmentLabel"]) == "fludarabine"
    assert str(row["effectLabel"]) == "resistance to treatment"
    # the subkinds named in the row are reported, not the broader kind asked for
    assert set(str(row["alterations"]).split(", ")) == {
        "IAP gene deletion", "IAP inactivating mutation"}


def test_which_findings_are_fusions_or_mutations() -> None:
    fusion = run("findings_by_alteration", alteration="IAP gene fusion")
    assert curies(fusion) == {"IAPO:1000049"}
    assert str(fusion[0]["treatmentLabel"]) == "Helicobacter pylori eradication therapy"
    assert str(fusion[0]["cancerLabel"]) == "gastric MALT lymphoma"
    mutation = run("findings_by_alteration", alteration="IAP gene mutation")
    assert curies(mutation) == {"IAPO:1000048", "IAPO:1000067"}


def test_broader_alteration_takes_in_its_kinds() -> None:
    every = curies(run("findings_by_alteration", alteration="IAP alteration"))
    for kind in ("IAP loss of function", "IAP gene fusion", "IAP gene amplification",
                 "IAP overexpression"):
        assert curies(run("findings_by_alteration", alteration=kind)) <= every
    assert curies(run("findings_by_alteration", alteration="IAP gene amplification")) == {
        "IAPO:1000029", "IAPO:1000040", "IAPO:1000065"}


def test_which_findings_are_sensitisation_rather_than_resistance() -> None:
    sensitisation = curies(run("findings_by_effect", effect="sensitisation to treatment"))
    assert sensitisation == {"IAPO:1000057", "IAPO:1000065", "IAPO:1000068", "IAPO:1000071",
                             "IAPO:1000075"}
    resistance = curies(run("findings_by_effect", effect="resistance to treatment"))
    assert not sensitisation & resistance
    assert {"IAPO:1000001", "IAPO:1000048", "IAPO:1000049"} <= resistance
    # a finding whose source does not state the effect reports none (AEG35156 in mice)
    assert "IAPO:1000013" not in resistance


def test_which_findings_found_no_effect() -> None:
    rows = run("findings_by_effect", effect="no detected effect on treatment response")
    assert curies(rows) == {"IAPO:1000051", "IAPO:1000052", "IAPO:1000064"}
    assert {str(r["treatmentLabel"]) for r in rows} == {"chemotherapy", "tamoxifen"}


def test_default_effect_is_sensitisation() -> None:
    assert curies(run("findings_by_effect")) == curies(
        run("findings_by_effect", effect=SENSITISATION))


def curies_list(rows: list[dict], name: str) -> list[str]:
    """Like :func:`curies`, but one entry per row, in order ('None' where the cell is unbound)."""
    return [str(row.get(name)).rsplit("/", 1)[-1].replace("_", ":") for row in rows]


def test_which_findings_have_counter_evidence() -> None:
    rows = run("findings_with_counter_evidence")
    kinds = [str(r["kind"]) for r in rows]
    found = list(zip(curies_list(rows, "finding"), curies_list(rows, "counter"), kinds,
                     strict=True))
    assert {(f, c) for f, c, k in found if k == "contradicted by another finding"} == {
        ("IAPO:1000019", "IAPO:1000051"),  # childhood AML survivin vs adult AMLCG 92 cohort
        ("IAPO:1000019", "IAPO:1000052"),  # vs total BIRC5 in 306 children (COG)
        ("IAPO:1000041", "IAPO:1000063"),  # BRUCE overexpression vs BIRC6 low in adult AML
        ("IAPO:1000055", "IAPO:1000075"),  # survivin high -> poor vs lower in refractory
        ("IAPO:1000056", "IAPO:1000057"),  # survivin and platinum: resistance vs sensitivity
    }
    assert {f for f, _, k in found if k == "counter-evidence in its own source"} == {
        "IAPO:1000050", "IAPO:1000054", "IAPO:1000074"}
    assert all(str(r["sources"]) for r in rows)


def test_contradiction_is_an_assertion_between_records_with_its_source() -> None:
    rows = iapo.query("""SELECT ?s WHERE {
        ?ax owl:annotatedSource IAPO:1000052 ; owl:annotatedProperty IAPO:0000537 ;
            owl:annotatedTarget IAPO:1000019 ; dcterms:source ?s }""")
    assert {str(r["s"]) for r in rows} == {"PMID:24127439"}
    inverse = iapo.query("SELECT ?p WHERE { IAPO:0000538 owl:inverseOf ?p }")
    assert [str(r["p"]).rsplit("/", 1)[-1] for r in inverse] == ["IAPO_0000537"]


def test_resistance_questions_leave_out_sensitisation_and_null_findings() -> None:
    resisted = run("treatments_resisted_by_iap", iap="survivin")
    assert "tamoxifen" not in {str(r["treatmentLabel"]) for r in resisted}  # a null finding
    by_cancer = curies(run("findings_by_cancer", cancer="ovarian cancer"))
    assert "IAPO:1000057" not in by_cancer and "IAPO:1000056" in by_cancer


def test_new_biomarkers_for_loss_and_fusion() -> None:
    fludarabine = run("biomarkers_for_agent", agent="fludarabine")
    assert {str(r["label"]) for r in fludarabine} == {
        "BIRC3 disruption predicting fludarabine refractoriness in chronic lymphocytic leukemia"}
    eradication = run("biomarkers_for_agent", agent="Helicobacter pylori eradication therapy")
    assert {str(r["predicts"]) for r in eradication} == {"resistance"}
    assert {str(r["measuredLabel"]) for r in eradication} == {"cIAP2"}


# -- the guards in the validator, with hostile variants ---------------------------------------
@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [("effect", "IAPO:0000901", "is not a kind of IAPO:0000464"),  # a cancer
     ("effect", "IAPO:0009999", "unknown class IAPO:0009999"),
     ("effect", "resistance", "is not a CURIE"),
     ("alteration", "IAPO:0000465", "is not a kind of IAPO:0000430"),  # an effect
     ("alteration", "IAPO:0000433|IAPO:0000104", "is not a kind of IAPO:0000430"),
     ("cancer", "IAPO:0000801", "is not a kind of MONDO:0004992"),  # a treatment
     ("treatment", "IAPO:0000104", "is not a kind of IAPO:0000420 or IAPO:0000425"),
     ("mechanism", "IAPO:0000461", "is not a kind of IAPO:0000300"),  # a kind of evidence
     ("contradicts", "IAPO:1000001", "cannot point to itself"),
     ("contradicts", "IAPO:1999999", "is not a record of this table"),
     ("contradicts", "IAPO:0000104", "is not a record of this table"),  # a class, not a record
     ("contradicts", "IAPO:2000001", "is not a record of this table"),  # a trial
     ("contradicts", "PMID:24127439", "expected one of IAPO"),
     ("contradicts", "IAPO:1000002|not a curie", "is not a CURIE"),
     ("mechanism", "", "mechanism is empty")],
)
def test_bad_finding_cells_are_reported(tables: Path, column: str, value: str,
                                        reason: str) -> None:
    line = edit_cell(tables / "findings.tsv", "IAPO:1000001", column, value)
    expect_problem(tables, "findings.tsv", line, reason, column)


@pytest.mark.parametrize(
    ("column", "value"),
    [("contradicts", "IAPO:1000002"), ("counter_note", "The abstract's numbers disagree."),
     ("effect", SENSITISATION), ("effect", "IAPO:0000467")],
)
def test_counter_evidence_or_a_non_resistance_effect_excuses_the_mechanism(
        tables: Path, column: str, value: str) -> None:
    edit_cell(tables / "findings.tsv", "IAPO:1000001", "mechanism", "")
    edit_cell(tables / "findings.tsv", "IAPO:1000001", column, value)
    knowledge = load_knowledge(tables)
    row = next(r for r in knowledge.records["findings"][1] if r.get("id") == "IAPO:1000001")
    assert row.values("mechanism") == []


def test_resistance_effect_does_not_excuse_the_mechanism(tables: Path) -> None:
    edit_cell(tables / "findings.tsv", "IAPO:1000001", "effect", RESISTANCE)
    line = edit_cell(tables / "findings.tsv", "IAPO:1000001", "mechanism", "")
    expect_problem(tables, "findings.tsv", line, "mechanism is empty", "mechanism")


@pytest.mark.parametrize(
    ("old", "new", "where", "reason"),
    [('under = ["IAPO:0000464"]', 'under = ["IAPO:0009999"]', "kinds.effect.under",
      "unknown class IAPO:0009999"),
     ('kind = "effect", multi', 'kind = "colour", multi', "tables.findings.effect",
      "a ref column needs a kind from [kinds], not 'colour'"),
     ('"effect=IAPO:0000467"]', '"effect=IAPO:0009998"]', "tables.findings.mechanism",
      "required_unless: unknown class IAPO:0009998"),
     ('"counter_note", "effect=', '"counter_notes", "effect=', "tables.findings.mechanism",
      "required_unless: counter_notes is not a column"),
     ('kind = "mechanism", required = true', 'kind = "mechanism", required = false',
      "tables.findings.mechanism", "required_unless on a column that is not required"),
     ('property = "IAPO:0000537"', 'property = "IAPO:0000599"', "tables.findings.contradicts",
      "unknown property IAPO:0000599")],
)
def test_bad_schema_settings_are_reported(tables: Path, old: str, new: str, where: str,
                                          reason: str) -> None:
    """The record settings once in records.toml now live in schema.toml, checked alike."""
    line = edit_schema(tables, old, new)
    expect_problem(tables, "schema.toml", line, reason, column=where)


def test_findings_table_without_the_new_columns_is_refused(tables: Path) -> None:
    path = tables / "findings.tsv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cut = [("\t".join(line.split("\t")[:9]) if not line.startswith("#") else line)
           for line in lines]
    path.write_text("\n".join(cut) + "\n", encoding="utf-8")
    with pytest.raises(CurationError) as caught:
        load_knowledge(tables)
    assert any("missing column(s) effect, alteration, contradicts, counter_note" in p
               for p in caught.value.problems)
