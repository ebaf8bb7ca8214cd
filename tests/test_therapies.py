"""Issue 4: agents, treatments, cancers, findings, trials, combinations and biomarkers."""

from __future__ import annotations

from pathlib import Path

import pytest

import iapontology as iapo
from iapontology.sparql.named import run
from tests.conftest import edit_cell, expect_problem


def column(rows: list[dict], name: str = "label") -> set[str]:
    return {str(row[name]) for row in rows}


def count(class_curie: str, how: str = "rdfs:subClassOf+") -> int:
    rows = iapo.query(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x {how} {class_curie} }}")
    return int(rows[0]["n"])


def test_counts_reach_the_targets() -> None:
    assert count("IAPO:0000400") - 13 >= 20  # agents, minus the 13 approach classes
    assert count("IAPO:0000450", "a") >= 40  # findings
    assert count("IAPO:0000470", "a") >= 15  # trials
    assert count("IAPO:0000490", "a") >= 8  # biomarkers


def test_every_record_has_a_source() -> None:
    rows = iapo.query("""SELECT ?r WHERE {
        VALUES ?kind { IAPO:0000450 IAPO:0000470 IAPO:0000480 IAPO:0000490 }
        ?r a ?kind . FILTER NOT EXISTS { ?r dcterms:source ?s } }""")
    assert rows == []


def test_core_agents_are_present_with_phase() -> None:
    phases = {str(r["label"]): str(r["phase"]) for r in run("agents_by_approach",
                                                            approach="IAP-targeted agent")}
    for name in ("birinapant", "LCL161", "xevinapant", "GDC-0152", "tolinapant", "dasminapant",
                 "AZD5582", "SM-164", "embelin", "YM155", "AEG35156", "LY2181308"):
        assert name in phases, name
    assert phases["xevinapant"] == "phase 3"
    assert phases["birinapant"] == "phase 2"


def test_agents_targeting_ciap1_and_survivin() -> None:
    ciap1 = column(run("agents_targeting", iap="cIAP1"))
    assert {"birinapant", "xevinapant", "LCL161", "tolinapant", "GDC-0152"} <= ciap1
    assert column(run("agents_targeting", iap="BIRC5")) == {
        "YM155", "LY2181308", "FL118", "terameprocol", "SurVaxM", "DPX-Survivac", "EMD640744"}
    effects = {(str(r["label"]), str(r["effect"])) for r in run("agents_targeting", iap="XIAP")}
    assert ("AEG35156", "suppresses expression of") in effects
    assert ("SNIPER(ABL)-39", "recruits as E3 ligase") in effects


def test_agents_by_approach() -> None:
    assert column(run("agents_by_approach", approach="IAP antisense oligonucleotide")) == {
        "AEG35156", "LY2181308"}
    bivalent = column(run("agents_by_approach", approach="bivalent SMAC mimetic"))
    assert {"birinapant", "SM-164", "dasminapant", "SM-1200"} <= bivalent
    assert "xevinapant" not in bivalent


def test_findings_cover_every_resistance_iap_but_naip_and_ilp2() -> None:
    iaps = {str(r["iapLabel"]) for r in run("findings_by_cancer", cancer="cancer")}
    assert iaps == {"XIAP", "cIAP1", "cIAP2", "survivin", "BRUCE", "livin"}


def test_which_iap_makes_ovarian_cancer_resist_cisplatin() -> None:
    rows = [r for r in run("findings_by_cancer", cancer="ovarian cancer")
            if str(r["treatmentLabel"]) == "cisplatin"]
    assert {str(r["iapLabel"]) for r in rows} == {"XIAP", "survivin"}
    assert "caspase inhibition by an IAP" in {str(r["mechanismLabel"]) for r in rows}
    # the subtype is found through the cancer hierarchy
    assert "ovarian clear cell carcinoma" in {str(r["cancerLabel"]) for r in rows}


def test_findings_by_treatment_class_include_members() -> None:
    platinum = {str(r["treatmentLabel"]) for r in run("findings_by_treatment",
                                                       treatment="chemotherapy drug")}
    assert {"cisplatin", "carboplatin", "paclitaxel"} <= platinum


def test_mechanisms_behind_cisplatin_resistance() -> None:
    rows = {str(r["mechanismLabel"]): r for r in run("mechanisms_for_treatment",
                                                     treatment="cisplatin")}
    assert "ubiquitin-mediated degradation of pro-apoptotic proteins" in rows
    assert "caspase inhibition by an IAP" in rows


def test_trials_for_an_agent_and_a_cancer() -> None:
    rows = run("trials_for_agent", agent="Debio 1143")
    assert {str(r["phase"]) for r in rows} >= {"phase 3", "phase 2", "phase 1"}
    trilynx = next(r for r in rows if "NCT04459715" in str(r["registries"]))
    assert "futility" in str(trilynx["outcome"])
    hnscc = run("trials_for_cancer", cancer="HNSCC")
    assert {"xevinapant", "birinapant", "tolinapant"} <= {
        a for r in hnscc for a in str(r["agents"]).split(", ")}


def test_combinations_for_a_cancer() -> None:
    rows = run("combinations_for_cancer", cancer="head and neck squamous cell carcinoma")
    pairs = {(str(r["agentLabel"]), str(r["partnerLabel"])) for r in rows}
    assert ("xevinapant", "cisplatin") in pairs and ("birinapant", "radiotherapy") in pairs
    assert all(str(r["rationale"]) for r in rows)


def test_biomarkers_predicting_response_to_smac_mimetics() -> None:
    rows = run("biomarkers_for_agent", agent="SMAC mimetic")
    assert {str(r["measuredLabel"]) for r in rows} >= {"FADD", "cIAP1", "TNF"}
    assert {str(r["predicts"]) for r in rows} == {"response"}
    resist = run("biomarkers_for_agent", agent="cisplatin")
    assert {str(r["measuredLabel"]) for r in resist} >= {"XIAP", "BRUCE"}


def test_agents_that_reached_phase_3() -> None:
    assert column(run("agents_in_phase_3")) == {"xevinapant"}


def test_cross_references_to_chebi_mondo_ncit() -> None:
    assert "CHEBI:27899" in iapo.term("cisplatin").xrefs
    assert "MONDO:0010150" in iapo.term("HNSCC").xrefs
    assert "NCIT:C4001" in iapo.term("inflammatory breast cancer").xrefs


@pytest.mark.parametrize(
    ("table", "column_name", "value", "reason"),
    [("findings.tsv", "treatment", "IAPO:0009999", "unknown class IAPO:0009999"),
     ("findings.tsv", "iap", "", "iap is empty"),
     ("trials.tsv", "phase", "phase 4", "'phase 4' is not one of"),
     ("trials.tsv", "registry_ids", "clinicaltrials:123", "not a valid clinicaltrials"),
     ("agents.tsv", "highest_phase", "phase 9", "highest_phase must be one of"),
     ("biomarkers.tsv", "definition_source", "PMID:1", "not in the bibliography")],
)
def test_bad_record_rows_are_reported(tables: Path, table: str, column_name: str, value: str,
                                      reason: str) -> None:
    first = {"findings.tsv": "IAPO:1000001", "trials.tsv": "IAPO:2000001",
             "agents.tsv": "IAPO:0000701", "biomarkers.tsv": "IAPO:4000001"}[table]
    line = edit_cell(tables / table, first, column_name, value)
    expect_problem(tables, table, line, reason, column_name)
