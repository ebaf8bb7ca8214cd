"""Issue 8: the release set, versions, SSSOM, obsolete terms, diff, Protégé round trip."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, URIRef

import iapontology
from iapontology.build.owlapi import check_with_owlapi, roundtrip_with_owlapi
from iapontology.build.pipeline import build
from iapontology.cli import main
from iapontology.knowledge.tables import CurationError
from iapontology.rdf.graph import load_graph
from tests.conftest import edit_cell

ROOT = Path(__file__).resolve().parent.parent
OIO = rdflib.Namespace("http://www.geneontology.org/formats/oboInOwl#")
DEFINITION = URIRef("http://purl.obolibrary.org/obo/IAO_0000115")
ONTOLOGY = URIRef("https://w3id.org/iapo/iapo.owl")


def class_counts(path: Path) -> dict[str, int]:
    """Terms, labels, definitions, synonyms and xrefs of the classes of an OWL file."""
    g = rdflib.Graph().parse(path, format="xml")
    classes = {c for c in g.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    return {
        "terms": len(classes),
        "labels": sum(1 for c in classes if g.value(c, RDFS.label) is not None),
        "definitions": sum(1 for c in classes if g.value(c, DEFINITION) is not None),
        "synonyms": sum(len(set(g.objects(c, OIO.hasExactSynonym))) +
                        len(set(g.objects(c, OIO.hasRelatedSynonym))) for c in classes),
        "xrefs": sum(len(set(g.objects(c, OIO.hasDbXref))) for c in classes),
    }


def pronto_counts(path: Path) -> dict[str, int]:
    import pronto

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ontology = pronto.Ontology(str(path))
    terms = list(ontology.terms())
    return {
        "terms": len(terms),
        "labels": sum(1 for t in terms if t.name),
        "definitions": sum(1 for t in terms if t.definition),
        "synonyms": sum(len(t.synonyms) for t in terms),
        "xrefs": sum(len(t.xrefs) for t in terms),
    }


@pytest.mark.parametrize("name", ["iapo.obo", "iapo.json"])
def test_obo_and_json_load_in_pronto_with_the_same_counts(fresh_build: Path, name: str) -> None:
    assert pronto_counts(fresh_build / name) == class_counts(fresh_build / "iapo.owl")


def test_obo_declares_the_iapo_idspace(fresh_build: Path) -> None:
    import pronto

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ontology = pronto.Ontology(str(fresh_build / "iapo.obo"))
    assert ontology["IAPO:0000104"].name == "XIAP"
    assert "PMID:9230442" in {str(x.id) for x in ontology["IAPO:0000104"].definition.xrefs}


def test_base_loads_in_the_owl_api(fresh_build: Path) -> None:
    report = check_with_owlapi(fresh_build / "iapo-base.owl")
    assert report.ok, (report.error, report.violations[:3])


def test_base_holds_only_axioms_about_own_terms(fresh_build: Path) -> None:
    base = rdflib.Graph().parse(fresh_build / "iapo-base.owl", format="xml")
    primary = rdflib.Graph().parse(fresh_build / "iapo.owl", format="xml")
    go_term = URIRef("http://purl.obolibrary.org/obo/GO_0006915")
    assert (go_term, RDFS.label, None) in primary and (go_term, RDFS.label, None) not in base
    assert (go_term, RDF.type, OWL.Class) in base  # declared, so the file stays DL
    xiap = URIRef("https://w3id.org/iapo/IAPO_0000104")
    assert len(list(base.predicate_objects(xiap))) == len(list(primary.predicate_objects(xiap)))


def test_versions_agree_everywhere(fresh_build: Path, capsys: pytest.CaptureFixture[str]) -> None:
    version = iapontology.__version__
    for name in ("iapo.owl", "iapo-base.owl"):
        g = rdflib.Graph().parse(fresh_build / name, format="xml")
        ontology = URIRef(f"https://w3id.org/iapo/{name}")  # each variant is its own ontology
        assert str(g.value(ontology, OWL.versionInfo)) == version, name
        version_iri = str(g.value(ontology, OWL.versionIRI))
        assert re.match(rf"https://w3id.org/iapo/releases/\d{{4}}-\d{{2}}-\d{{2}}/{name}",
                        version_iri), name
        assert str(g.value(ontology, URIRef("http://purl.org/dc/terms/license"))).startswith(
            "https://creativecommons.org/licenses/by/4.0"), name
    version_iri = version_iri.replace("iapo-base.owl", "iapo.owl")
    assert f"data-version: {version}\n" in (fresh_build / "iapo.obo").read_text()
    assert json.loads((fresh_build / "iapo.json").read_text())["graphs"][0]["meta"][
        "version"] == version_iri
    with pytest.raises(SystemExit):
        main(["--version"])
    assert f"iapo {version} (ontology {version}, {version_iri})" in capsys.readouterr().out
    assert f'version: "{version}"' in (ROOT / "CITATION.cff").read_text()


def test_sssom_is_valid_and_has_a_row_per_xref(fresh_build: Path) -> None:
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    path = fresh_build / "iapo.sssom.tsv"
    mappings = parse_sssom_table(path)
    reports = validate(mappings, fail_on_error=False)
    assert all(not report.results for report in reports.values()), reports
    g = load_graph([fresh_build / "iapo.owl"], relation_view=False)
    xrefs = {(s, o) for s, o in g.subject_objects(OIO.hasDbXref)
             if str(s).startswith("https://w3id.org/iapo/")}
    assert len(mappings.df) == len(xrefs)
    predicates = set(mappings.df["predicate_id"])
    assert predicates == {"skos:exactMatch", "skos:closeMatch"}


def test_protege_round_trip_loses_nothing(fresh_build: Path, tmp_path: Path) -> None:
    saved = tmp_path / "protege.owl"
    report = roundtrip_with_owlapi(fresh_build / "iapo.owl", saved)
    assert report["axioms-equal"] and report["header-equal"], report
    assert report["annotated-after"] == report["annotated-before"] > 800
    # and the package reads the saved file back with every label, definition and source
    before = load_graph([fresh_build / "iapo.owl"], relation_view=False)
    after = load_graph([saved], relation_view=False)
    for predicate in (RDFS.label, DEFINITION, OIO.hasDbXref,
                      URIRef("http://purl.obolibrary.org/obo/IAO_0000119"),
                      URIRef("http://purl.org/dc/terms/source")):
        assert len(set(after.subject_objects(predicate))) == len(
            set(before.subject_objects(predicate))), predicate


def retire(tables: Path, label: str = "old name for survivin") -> None:
    path = tables / "obsolete.tsv"
    path.write_text(path.read_text() + f"IAPO:0000999\t{label}\tIAPO:0000105\t"
                    "merged into survivin\n", encoding="utf-8")


def test_obsolete_term_resolves_to_its_replacement(tables: Path, tmp_path: Path) -> None:
    retire(tables)
    build(tmp_path, knowledge_dir=tables, reason=False)
    g = load_graph([tmp_path / "iapo-query.nt"], relation_view=False)
    with pytest.warns(UserWarning, match="IAPO:0000999 .* is obsolete; using its replacement"):
        found = iapontology.term("IAPO:0000999", g)
    assert found.label == "survivin"
    obsolete = URIRef("https://w3id.org/iapo/IAPO_0000999")
    assert str(g.value(obsolete, RDFS.label)) == "obsolete old name for survivin"
    assert "is_obsolete: true" in (tmp_path / "iapo.obo").read_text()
    from iapontology.build.quality import run_report_checks

    findings = run_report_checks(load_graph([tmp_path / "iapo.owl"], relation_view=False))
    assert [f for f in findings if f.level == "ERROR"] == []
    assert [f for f in findings if f.entity == str(obsolete)] == []


def test_obsolete_term_is_refused_in_a_logical_axiom(tables: Path) -> None:
    retire(tables)
    path = tables / "axioms.tsv"
    path.write_text(path.read_text() + "IAPO:0000104\tRO:0002436\tIAPO:0000999\tPMID:9230442"
                    "\t\t\n", encoding="utf-8")
    with pytest.raises(CurationError, match="unknown class IAPO:0000999"):
        iapontology.knowledge.curation.load_knowledge(tables)


def test_release_diff(tables: Path, tmp_path: Path,
                      capsys: pytest.CaptureFixture[str]) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    build(old, knowledge_dir=tables, reason=False)
    edit_cell(tables / "iaps.tsv", "IAPO:0000108", "label", "ILP-2 (BIRC8)")
    retire(tables)
    build(new, knowledge_dir=tables, reason=False)
    assert main(["diff", str(old / "iapo.owl"), str(new / "iapo.owl"), "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["added"] == ["IAPO:0000999"]
    assert result["changed"]["IAPO:0000108"]["label"] == ["ILP2", "ILP-2 (BIRC8)"]
    assert main(["diff", str(old / "iapo.owl"), str(new / "iapo.owl")]) == 0
    assert "~ IAPO:0000108" in capsys.readouterr().out


def test_licences_are_stated_separately() -> None:
    text = (ROOT / "LICENSE").read_text()
    assert "MIT License" in text and "CC BY 4.0" in text

