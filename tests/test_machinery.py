"""Issue 3: the apoptosis machinery, what each IAP does, and the named questions about it."""

from __future__ import annotations

from pathlib import Path

import pytest

import iapontology as iapo
from iapontology.knowledge.curation import load_knowledge
from iapontology.knowledge.tables import CurationError
from iapontology.sparql.named import run
from tests.conftest import edit_cell, expect_problem


def column(rows: list[dict], name: str = "label") -> set[str]:
    return {str(row[name]) for row in rows}


def test_caspases_are_split_into_initiator_and_executioner() -> None:
    rows = iapo.query("""SELECT ?kind ?label WHERE {
        VALUES ?kind { IAPO:0000004 IAPO:0000005 }
        ?c rdfs:subClassOf ?kind ; rdfs:label ?label }""")
    initiators = {str(r["label"]) for r in rows if str(r["kind"]).endswith("0000004")}
    executioners = {str(r["label"]) for r in rows if str(r["kind"]).endswith("0000005")}
    assert initiators == {"caspase-8", "caspase-9", "caspase-10"}
    assert executioners == {"caspase-3", "caspase-6", "caspase-7"}


@pytest.mark.parametrize(
    ("text", "uniprot"),
    [("SMAC", "UniProtKB:Q9NR28"), ("DIABLO", "UniProtKB:Q9NR28"), ("Omi", "UniProtKB:O43464"),
     ("CASP9", "UniProtKB:P55211"), ("RIP1", "UniProtKB:Q13546"), ("MAP3K14", "UniProtKB:Q99558")],
)
def test_components_carry_cross_references(text: str, uniprot: str) -> None:
    assert uniprot in iapo.term(text).xrefs


def test_what_xiap_inhibits_and_how() -> None:
    rows = run("iap_actions", iap="XIAP")
    direct = {(str(r["targetLabel"]), str(r["domainLabel"])) for r in rows
              if str(r["relationLabel"]) == "directly negatively regulates activity of"}
    assert direct == {("caspase-3", "XIAP BIR2 domain"), ("caspase-7", "XIAP BIR2 domain"),
                      ("caspase-9", "XIAP BIR3 domain")}
    assert all(r["sources"] for r in rows)
    released = {str(r["targetLabel"]) for r in rows
                if str(r["relationLabel"]) == "involved in negative regulation of"}
    assert released == {"release of cytochrome c from mitochondria",
                        "release of SMAC from mitochondria", "JNK cascade"}


def test_iaps_inhibiting_caspase_9_direct_and_indirect() -> None:
    rows = run("iaps_inhibiting_caspase", caspase="caspase-9")
    assert {(str(r["label"]), str(r["kind"])) for r in rows} == {
        ("XIAP", "direct"), ("BRUCE", "direct"), ("ILP2", "direct"), ("survivin", "indirect")}
    assert column(run("iaps_inhibiting_caspase", caspase="caspase-7")) == {"XIAP", "BRUCE"}
    # a general class gathers its members through the relation-graph view
    assert column(run("iaps_inhibiting_caspase", caspase="executioner caspase")) == {
        "XIAP", "BRUCE"}


def test_iaps_by_pathway() -> None:
    rows = run("iaps_by_pathway")
    intrinsic = {str(r["label"]) for r in rows if str(r["pathwayLabel"]).startswith("intrinsic")}
    extrinsic = {str(r["label"]) for r in rows if str(r["pathwayLabel"]).startswith("extrinsic")}
    assert intrinsic == {"XIAP", "survivin", "BRUCE", "ILP2"}
    assert extrinsic == {"cIAP1", "cIAP2", "BRUCE"}


def test_proteins_that_antagonise_iaps() -> None:
    rows = run("iap_antagonists")
    assert {str(r["label"]): set(str(r["iaps"]).split(", ")) for r in rows} == {
        "SMAC": {"BRUCE", "XIAP"}, "HtrA2": {"XIAP"}, "XAF1": {"XIAP"}, "ARTS": {"XIAP"}}


def test_iaps_with_e3_ligase_activity() -> None:
    assert column(run("iaps_with_e3_activity")) == {"XIAP", "cIAP1", "cIAP2", "livin", "BRUCE"}


def test_mechanisms_of_each_iap() -> None:
    rows = run("iap_mechanisms")
    pairs = {(str(r["label"]), str(r["mechanismLabel"])) for r in rows}
    assert ("cIAP1", "NF-kappaB survival signalling by IAPs") in pairs
    assert ("cIAP2", "suppression of death complexes by IAPs") in pairs
    assert ("BRUCE", "sequestration of IAP antagonists") in pairs
    assert ("survivin", "blocking release of mitochondrial pro-apoptotic factors") in pairs
    assert ("livin", "sequestration of IAP antagonists") in pairs
    assert {label for label, _ in pairs} == {"XIAP", "cIAP1", "cIAP2", "survivin", "BRUCE",
                                             "ILP2", "livin"}
    assert all(str(r["sources"]).strip() for r in rows)


def test_which_iaps_keep_smac_out_of_the_cytosol() -> None:
    assert column(run("iaps_retaining_smac")) == {"survivin", "XIAP"}


def test_where_components_are() -> None:
    rows = run("component_locations")
    assert {(str(r["label"]), str(r["locationLabel"])) for r in rows} == {
        ("SMAC", "mitochondrion"), ("HtrA2", "mitochondrion"), ("ARTS", "mitochondrion"),
        ("survivin", "midbody")}


def test_go_terms_are_reused_by_iri() -> None:
    xiap_targets = {str(r["target"]) for r in run("iap_actions", iap="XIAP")}
    assert "http://purl.obolibrary.org/obo/GO_0001836" in xiap_targets


def test_every_relation_axiom_is_cited() -> None:
    rows = iapo.query("""SELECT ?s ?r WHERE {
        ?s rdfs:subClassOf ?r . ?r owl:onProperty ?p .
        FILTER(STRSTARTS(STR(?s), "https://w3id.org/iapo/"))
        FILTER NOT EXISTS { ?ax owl:annotatedSource ?s ; owl:annotatedTarget ?copy ;
                               dcterms:source ?src .
                            ?copy owl:onProperty ?p }
    }""")
    assert rows == []


@pytest.mark.parametrize(
    ("column_name", "value", "reason"),
    [("relation", "RO:0009999", "unknown object property RO:0009999"),
     ("object", "GO:0000001", "unknown class GO:0000001"),
     ("source", "", "every fact needs a PMID or DOI"),
     ("via_domain", "IAPO:0000104", "is not a domain from domains.tsv")],
)
def test_bad_axiom_rows_are_reported(tables: Path, column_name: str, value: str,
                                     reason: str) -> None:
    line = edit_cell(tables / "axioms.tsv", "IAPO:0000104", column_name, value)
    expect_problem(tables, "axioms.tsv", line, reason, column_name)


def test_edit_cell_helper_still_finds_component_rows(tables: Path) -> None:
    edit_cell(tables / "components.tsv", "IAPO:0000205", "definition", "")
    with pytest.raises(CurationError, match="IAPO:0000205 has no definition"):
        load_knowledge(tables)
