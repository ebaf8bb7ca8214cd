"""The remaining named questions, each checked against the curated tables."""

from __future__ import annotations

from iapontology.knowledge.curation import load_knowledge
from iapontology.sparql.named import queries, run


def test_at_least_thirty_named_questions() -> None:
    assert len(queries()) >= 30


def test_term_details() -> None:
    (row,) = run("term_details", term="BIRC6")
    assert str(row["label"]) == "BRUCE"
    assert "Apollon" in str(row["synonyms"])
    assert "UniProtKB:Q9NR09" in str(row["xrefs"]).split()
    assert set(str(row["sources"]).split()) == {"PMID:10544019", "DOI:10.1083/jcb.141.6.1415"}


def test_iap_identifiers() -> None:
    rows = {str(r["symbol"]): r for r in run("iap_identifiers")}
    assert len(rows) == 8
    assert str(rows["XIAP"]["uniprot"]) == "UniProtKB:P98170"
    assert str(rows["NAIP"]["hgnc"]) == "HGNC:7634"
    assert str(rows["BIRC7"]["ncbigene"]) == "NCBIGene:79444"


def test_treatments_resisted_by_survivin() -> None:
    rows = {str(r["treatmentLabel"]): int(r["findings"]) for r in
            run("treatments_resisted_by_iap", iap="survivin")}
    assert rows["cisplatin"] >= 4 and "radiotherapy" in rows and "paclitaxel" in rows


def test_findings_per_iap() -> None:
    rows = {str(r["label"]): r for r in run("findings_per_iap")}
    assert set(rows) == {"XIAP", "cIAP1", "cIAP2", "survivin", "BRUCE", "livin"}
    # every finding row is counted once, under its IAP (47 before issue 14 added more)
    assert sum(int(r["findings"]) for r in rows.values()) == len(
        load_knowledge().records["findings"][1])
    assert all(int(r["cellLine"]) + int(r["animalModel"]) + int(r["patientSamples"])
               >= int(r["findings"]) for r in rows.values())


def test_cancers_with_findings() -> None:
    rows = {str(r["cancerLabel"]): int(r["findings"]) for r in run("cancers_with_findings")}
    assert rows["ovarian cancer"] >= 5 and "esophageal squamous cell carcinoma" in rows


def test_stopped_trials() -> None:
    labels = {str(r["label"]) for r in run("stopped_trials")}
    assert any("NCT04459715" in label for label in labels)
    assert any("NCT01681368" in label for label in labels)
    assert not any("NCT01617668" in label for label in labels)  # completed


def test_iap_domains() -> None:
    assert {str(r["label"]) for r in run("iap_domains", iap="cIAP1")} == {
        "BIR domain", "CARD", "RING domain", "UBA domain"}
    assert {str(r["label"]) for r in run("iap_domains", iap="NAIP")} == {
        "BIR domain", "NACHT domain", "leucine-rich repeat"}


def test_sources_about_term() -> None:
    sources = {str(r["source"]) for r in run("sources_about_term", term="BRUCE")}
    assert {"PMID:36758106", "PMID:15300255", "PMID:10544019"} <= sources
