"""Issue 14, the clinic: corrected agents and trials, vaccines, PD-1 combinations, stopped trials.

Each named question is answered from the built ontology through ``iapontology.run`` and
compared with the set a reader of the curation log (curation/clinic-2026-12.md) expects.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import iapontology as iapo
from tests.conftest import edit_cell, expect_problem


def labels(rows: list[dict], name: str = "label") -> set[str]:
    return {str(row[name]) for row in rows}


def curie(iri: object) -> str:
    return "IAPO:" + str(iri).rsplit("IAPO_", 1)[1]


def count(sparql_where: str) -> int:
    rows = iapo.query(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {sparql_where} }}")
    return int(rows[0]["n"])


def test_the_clinic_reaches_its_floors() -> None:
    assert count("?x rdfs:subClassOf+ IAPO:0000400 ; IAPO:0000603 ?phase") >= 28  # agents
    assert count("?x a IAPO:0000470") >= 45  # trials
    assert count("?x a IAPO:0000470 ; oboInOwl:hasDbXref ?registry") >= 35


def test_agents_that_reached_phase_2_or_later_with_their_trials() -> None:
    rows = iapo.run("agents_phase_2_or_later")
    assert labels(rows) == {
        "AEG35156", "DPX-Survivac", "LCL161", "LY2181308", "SurVaxM", "YM155", "birinapant",
        "dasminapant", "xevinapant"}
    # phase 1/2 (tolinapant) and phase 1 agents (CUDC-427, EMD640744) stay out
    assert not labels(rows) & {"tolinapant", "CUDC-427", "EMD640744", "GDC-0152"}
    assert {str(r["trialPhase"]) for r in rows} == {"phase 2", "phase 3"}
    by_trial = {str(r["trialLabel"]): r for r in rows}
    trilynx = next(r for label, r in by_trial.items() if "NCT04459715" in label)
    assert "futility" in str(trilynx["outcome"])
    assert "clinicaltrials:NCT04459715" in str(trilynx["registries"]).split()
    mds = next(r for label, r in by_trial.items() if "myelodysplastic" in label)
    assert str(mds["registries"]) == "EudraCT:2014-001719-37"
    assert "no difference" in str(mds["outcome"])


def test_trials_that_stopped_early_and_why() -> None:
    rows = iapo.run("stopped_trials")
    assert {curie(r["trial"]) for r in rows} == {
        "IAPO:2000001", "IAPO:2000004", "IAPO:2000005", "IAPO:2000006", "IAPO:2000019",
        "IAPO:2000024", "IAPO:2000027", "IAPO:2000039",
        # NCT02649673 (LCL161 with topotecan): the registry lists it as terminated
        "IAPO:2000102"}
    why = {curie(r["trial"]): str(r.get("why") or "") for r in rows}
    assert "interim analysis" in why["IAPO:2000027"]
    assert "futility" in why["IAPO:2000004"]
    assert why["IAPO:2000019"] == "slow recruitment"
    agents = {curie(r["trial"]): str(r["agents"]) for r in rows}
    assert agents["IAPO:2000024"] == "AEG35156" and agents["IAPO:2000039"] == "terameprocol"


def test_a_clinical_hold_that_was_lifted_is_not_a_stopped_trial() -> None:
    stopped = {curie(r["trial"]) for r in iapo.run("stopped_trials")}
    assert "IAPO:2000028" not in stopped  # CUDC-427: partial hold, lifted in 2014
    hold = iapo.query("SELECT ?why WHERE { IAPO:2000028 IAPO:0000615 ?why }")
    assert "liver failure" in str(hold[0]["why"])


def test_vaccines_that_target_an_iap() -> None:
    rows = iapo.run("iap_vaccines")
    assert labels(rows) == {"SurVaxM", "DPX-Survivac", "EMD640744"}
    assert labels(rows, "iapLabel") == {"survivin"}
    survaxm = next(r for r in rows if str(r["label"]) == "SurVaxM")
    assert "SURVIVE" in str(survaxm["trials"]) and str(survaxm["phase"]) == "phase 2"


def test_iap_antagonists_combined_with_pd1_blockade() -> None:
    rows = iapo.run("iap_antagonists_with_pd1_blockade")
    assert {(str(r["agentLabel"]), str(r["partnerLabel"]), str(r["kind"])) for r in rows} == {
        ("tolinapant", "pembrolizumab", "trial"), ("tolinapant", "pembrolizumab", "combination")}
    # DPX-Survivac is given with pembrolizumab too, but a vaccine is not an IAP antagonist
    pembrolizumab_trials = iapo.query(
        "SELECT ?t WHERE { ?t a IAPO:0000470 ; IAPO:0000516 IAPO:0000823 , IAPO:0000723 }")
    assert pembrolizumab_trials


def test_vaccines_and_transcription_suppressants_target_survivin() -> None:
    rows = iapo.run("agents_targeting", iap="survivin")
    effects = {(str(r["label"]), str(r["effect"])) for r in rows}
    assert ("SurVaxM", "elicits immune response against") in effects
    assert ("FL118", "suppresses expression of") in effects


def test_lcl161_antagonises_xiap_and_arts_mimetics_degrade_it() -> None:
    rows = iapo.run("agents_targeting", iap="XIAP")
    effects = {(str(r["label"]), str(r["effect"])) for r in rows}
    assert ("LCL161", "antagonises") in effects
    assert ("ARTS mimetics", "induces degradation of") in effects
    ciap1 = {str(r["label"]) for r in iapo.run("agents_targeting", iap="cIAP1")}
    assert "ARTS mimetics" not in ciap1  # they spare the cIAPs


def test_corrected_definitions() -> None:
    xevinapant = iapo.term("xevinapant")
    assert "66.4" in xevinapant.definition and "more weakly" in xevinapant.definition
    assert "higher affinity" not in xevinapant.definition
    embelin = iapo.term("embelin")
    assert "DOI:10.1371/journal.pone.0180895" in embelin.definition_sources
    assert "BIR3" not in embelin.definition
    lcl161 = iapo.term("LCL161")
    assert "myelofibrosis" not in lcl161.definition
    assert "clinicaltrials:NCT01955434" in lcl161.definition_sources
    bivalent = labels(iapo.run("agents_by_approach", approach="bivalent SMAC mimetic"))
    assert "AZD5582" in bivalent


def test_ravina_is_the_older_patients_trial_with_a_status() -> None:
    rows = iapo.query("""SELECT ?label ?status ?definition WHERE {
        IAPO:2000006 rdfs:label ?label ; IAPO:0000605 ?status ; IAO:0000115 ?definition }""")
    assert rows and "older" in str(rows[0]["label"])
    assert "70 or over" in str(rows[0]["definition"])
    assert "cisplatin" not in str(rows[0]["definition"])
    assert str(rows[0]["status"]).startswith("suspended")


@pytest.mark.parametrize(
    ("value", "reason"),
    [("EudraCT:2014-1719-37", "not a valid EudraCT"),
     ("EudraCT:2014-001719-3", "not a valid EudraCT"),
     ("EudraCT:2014_001719_37", "not a valid EudraCT"),
     ("ACTRN:ACTRN1261400026864", "not a valid ACTRN"),
     ("ACTRN:ACTRN126140002686400", "not a valid ACTRN"),
     ("ACTRN:12614000268640", "not a valid ACTRN"),
     ("isrctn:ISRCTN1119771", "not a valid isrctn"),
     ("clinicaltrials:NCT0508225", "not a valid clinicaltrials"),
     ("NCT05082259", "not a CURIE")],
)
def test_malformed_registry_numbers_are_refused(tables: Path, value: str, reason: str) -> None:
    line = edit_cell(tables / "trials.tsv", "IAPO:2000022", "registry_ids", value)
    expect_problem(tables, "trials.tsv", line, reason, "registry_ids")


@pytest.mark.parametrize(
    "source", ["EudraCT:2099-000001-01", "ACTRN:ACTRN12614000268640", "isrctn:ISRCTN00000000"])
def test_registry_sources_must_be_in_the_bibliography(tables: Path, source: str) -> None:
    line = edit_cell(tables / "trials.tsv", "IAPO:2000022", "definition_source", source)
    expect_problem(tables, "trials.tsv", line, "is not in the bibliography", "definition_source")


@pytest.mark.parametrize("phase", ["phase 2b", "Phase 2", "phase 4", "phase2"])
def test_trial_phases_keep_a_small_vocabulary(tables: Path, phase: str) -> None:
    line = edit_cell(tables / "trials.tsv", "IAPO:2000026", "phase", phase)
    expect_problem(tables, "trials.tsv", line, "is not one of", "phase")


def test_a_vaccine_needs_a_known_target(tables: Path) -> None:
    line = edit_cell(tables / "agent_targets.tsv", "IAPO:0000722", "object", "IAPO:0009999")
    expect_problem(tables, "agent_targets.tsv", line, "unknown class IAPO:0009999", "object")


def test_second_pass_first_in_human_and_combination_trials() -> None:
    """Trials added in the second pass (curation/drug-ids-2026-12.md), asked through the
    trials_for_agent question: each with its registry number or publication."""
    debio = {curie(r["trial"]): r for r in iapo.run("trials_for_agent", agent="AT-406")}
    fim = debio["IAPO:2000100"]
    assert str(fim["phase"]) == "phase 1" and "no maximum tolerated dose" in str(fim["outcome"])
    lcl = {curie(r["trial"]): r for r in iapo.run("trials_for_agent", agent="LCL161")}
    assert str(lcl["IAPO:2000102"]["registries"]) == "clinicaltrials:NCT02649673"
    assert set(str(lcl["IAPO:2000102"]["conditions"]).split(", ")) == {
        "small cell lung carcinoma", "ovarian cancer"}
    birinapant = {curie(r["trial"]): r for r in iapo.run("trials_for_agent", agent="TL32711")}
    assert str(birinapant["IAPO:2000101"]["phase"]) == "phase 1/2"
    assert str(birinapant["IAPO:2000101"]["conditions"]) == "myelodysplastic syndrome"
    aeg = {curie(r["trial"]) for r in iapo.run("trials_for_agent", agent="AEG35156")}
    assert {"IAPO:2000044", "IAPO:2000103"} <= aeg  # two distinct first-in-human schedules
    pairs = {(str(r["agentLabel"]), str(r["partnerLabel"]))
             for r in iapo.run("combinations_for_cancer", cancer="SCLC")}
    assert pairs == {("LCL161", "topotecan")}
