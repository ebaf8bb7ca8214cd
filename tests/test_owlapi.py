"""The OWL API (what Protégé is built on) loads the ontology: no parse error, OWL 2 DL."""

from __future__ import annotations

from pathlib import Path

from iapontology.build.owlapi import check_with_owlapi
from tests.conftest import FIXTURES


def test_ontology_loads_in_owl_api_as_owl2_dl(fresh_build: Path) -> None:
    report = check_with_owlapi(fresh_build / "iapo.owl")
    assert report.parsed, report.error
    assert report.counts["unparsed-triples"] == 0
    assert report.violations == []
    assert report.ok
    # definitions and domain axioms carry their sources as axiom annotations
    assert report.counts["annotated-axioms"] >= 40
    assert report.counts["classes"] >= 20


def test_owl_api_reports_a_dl_violation() -> None:
    report = check_with_owlapi(FIXTURES / "not_dl.owl")
    assert report.parsed
    assert report.violations, "a cardinality on a transitive property must be reported"
    assert not report.ok


def test_owl_api_reports_a_parse_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.owl"
    broken.write_text(
        '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '\n<rdf:Description rdf:about="x"><broken\n',
        encoding="utf-8",
    )
    report = check_with_owlapi(broken)
    assert not report.parsed and not report.ok
