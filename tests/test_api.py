"""The Python API answers real questions with the expected sets."""

from __future__ import annotations

import pytest
import rdflib

import iapontology as iapo
from iapontology.rdf.graph import QueryError
from iapontology.sparql.named import BadParameter, UnknownQuery, run

EIGHT = {"NAIP", "cIAP1", "cIAP2", "XIAP", "survivin", "BRUCE", "livin", "ILP2"}


def labels(rows: list[dict], column: str = "label") -> set[str]:
    return {str(row[column]) for row in rows}


def test_graph_is_an_rdflib_graph_loaded_once() -> None:
    g = iapo.graph()
    assert isinstance(g, rdflib.Graph)
    assert iapo.graph() is g
    assert len(g) > 500


def test_query_has_prefixes_pre_bound() -> None:
    rows = iapo.query("SELECT ?iap ?label WHERE { ?iap rdfs:subClassOf IAPO:0000001 ; "
                      "rdfs:label ?label }")
    assert labels(rows) == EIGHT


def test_query_matches_plain_labels() -> None:
    rows = iapo.query('SELECT ?c WHERE { ?c rdfs:label "XIAP"@en }')
    assert [str(r["c"]) for r in rows] == ["https://w3id.org/iapo/IAPO_0000104"]


def test_which_iaps_have_a_ring_domain() -> None:
    rows = iapo.query("SELECT ?label WHERE { ?iap IAPO:0000501 IAPO:0000011 ; rdfs:label ?label }")
    assert labels(rows) == {"XIAP", "cIAP1", "cIAP2", "livin"}


def test_which_iap_has_a_ubc_domain() -> None:
    assert labels(run("iaps_with_domain", domain="UBC domain")) == {"BRUCE"}


def test_which_iaps_have_three_bir_domains() -> None:
    assert labels(run("iaps_by_bir_count", count="3")) == {"NAIP", "XIAP", "cIAP1", "cIAP2"}
    assert labels(run("iaps_by_bir_count", count="1")) == {"survivin", "BRUCE", "livin"}


def test_card_and_nacht_domains() -> None:
    assert labels(run("iaps_with_domain", domain="CARD")) == {"cIAP1", "cIAP2"}
    assert labels(run("iaps_with_domain", domain="NACHT domain")) == {"NAIP"}
    assert labels(run("iaps_with_domain", domain="LRR")) == {"NAIP"}
    assert labels(run("iaps_with_domain", domain="UBA domain")) == {"XIAP", "cIAP1", "cIAP2"}


def test_every_iap_has_at_least_one_bir_domain() -> None:
    assert labels(run("iaps_with_domain", domain="BIR domain")) == EIGHT


@pytest.mark.parametrize(
    ("text", "curie"),
    [
        ("survivin", "IAPO:0000105"),
        ("Survivin", "IAPO:0000105"),
        ("BIRC5", "IAPO:0000105"),
        ("Apollon", "IAPO:0000106"),
        ("ML-IAP", "IAPO:0000107"),
        ("IAPO:0000104", "IAPO:0000104"),
        ("UniProtKB:P98170", "IAPO:0000104"),
        ("HGNC:590", "IAPO:0000102"),
        ("InterPro:IPR001370", "IAPO:0000010"),
        ("https://w3id.org/iapo/IAPO_0000108", "IAPO:0000108"),
    ],
)
def test_term_lookup(text: str, curie: str) -> None:
    assert iapo.term(text).curie == curie


def test_term_carries_definition_and_source() -> None:
    xiap = iapo.term("XIAP")
    assert xiap.label == "XIAP"
    assert "caspase-3" in xiap.definition
    assert set(xiap.definition_sources) == {"PMID:9230442", "PMID:17016456", "PMID:18931663"}
    assert "UniProtKB:P98170" in xiap.xrefs and "HGNC:592" in xiap.xrefs


def test_unknown_term_suggests_close_names() -> None:
    with pytest.raises(LookupError, match="survivin"):
        iapo.term("survivn")


def test_malformed_query_raises_query_error() -> None:
    with pytest.raises(QueryError, match="malformed SPARQL"):
        iapo.query("SELECT * WHERE { ?s ?p }")


def test_injection_attempt_is_just_a_name_that_matches_nothing() -> None:
    rows = run("iaps_with_domain", allow_empty=True, domain='x" } DROP ALL #')
    assert rows == []
    assert len(iapo.graph()) > 500


def test_unknown_query_and_parameter() -> None:
    with pytest.raises(UnknownQuery, match="iaps_with_domain"):
        run("iaps_with_domian")
    with pytest.raises(BadParameter, match="valid: domain"):
        run("iaps_with_domain", colour="red")
