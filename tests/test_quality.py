"""The report checks: ROBOT's default report profile, complete and at ROBOT's levels, plus the
project's own checks. Each fires on exactly the faulty terms of its fixture (which also holds
near misses that it must let pass), and the release has no ERROR-level finding."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from iapontology.build.quality import (
    LEVELS,
    Finding,
    counts_by_check,
    counts_by_level,
    level_of,
    report_checks,
    report_tsv,
    run_report_checks,
)
from iapontology.build.reasoner import run_hermit
from iapontology.rdf.graph import load_graph
from tests.conftest import FIXTURES

#: ROBOT's default report profile (ontodev/robot, robot-core/src/main/resources/
#: report_profile.txt, 32 checks), transcribed: check name -> level.
ROBOT_PROFILE = {
    "annotation_whitespace": "WARN",
    "deprecated_boolean_datatype": "ERROR",
    "deprecated_class_reference": "ERROR",
    "deprecated_property_reference": "ERROR",
    "duplicate_definition": "ERROR",
    "duplicate_exact_synonym": "WARN",
    "duplicate_label_synonym": "WARN",
    "duplicate_label": "ERROR",
    "duplicate_scoped_synonym": "WARN",
    "equivalent_pair": "WARN",
    "equivalent_class_axiom_no_genus": "WARN",
    "illegal_use_of_built_in_vocabulary": "ERROR",
    "invalid_xref": "WARN",
    "label_formatting": "ERROR",
    "label_whitespace": "ERROR",
    "lowercase_definition": "INFO",
    "missing_definition": "WARN",
    "missing_label": "ERROR",
    "missing_obsolete_label": "WARN",
    "missing_ontology_description": "ERROR",
    "missing_ontology_license": "ERROR",
    "missing_ontology_title": "ERROR",
    "missing_subset_declaration": "WARN",
    "missing_superclass": "INFO",
    "missing_synonymtype_declaration": "WARN",
    "misused_obsolete_label": "ERROR",
    "misused_replaced_by": "ERROR",
    "multiple_definitions": "ERROR",
    "multiple_equivalent_classes": "WARN",
    "multiple_equivalent_class_definitions": "ERROR",
    "multiple_labels": "ERROR",
    "invalid_entity_uri": "WARN",
}

_PREFIX = re.compile(r"^@prefix\s+(\w*):\s*<([^>]*)>\s*\.", re.MULTILINE)


def expected_subjects(fixture: Path) -> set[str]:
    """The subjects a fixture's ``# expect:`` line names, as IRIs (its own prefixes)."""
    text = fixture.read_text(encoding="utf-8")
    prefixes = dict(_PREFIX.findall(text))
    line = re.search(r"^# expect:(.*)$", text, re.MULTILINE)
    assert line, f"{fixture.name} has no '# expect:' line"
    subjects = set()
    for token in line.group(1).split():
        if token.startswith("<"):
            subjects.add(token.strip("<>"))
        else:
            prefix, _, local = token.partition(":")
            subjects.add(prefixes[prefix] + local)
    return subjects


def test_the_robot_profile_is_complete_at_robots_levels() -> None:
    checks = report_checks()
    robot = {name: level_of(c) for name, c in checks.items() if c.fields["profile"] == "robot"}
    assert len(ROBOT_PROFILE) == 32
    assert robot == ROBOT_PROFILE


def test_every_check_has_a_fixture_and_every_fixture_a_check() -> None:
    fixtures = {p.stem for p in (FIXTURES / "report").glob("*.ttl")}
    assert fixtures == set(report_checks())


@pytest.mark.parametrize("check", sorted(report_checks()))
def test_check_fires_on_exactly_the_faults_of_its_fixture(check: str) -> None:
    fixture = FIXTURES / "report" / f"{check}.ttl"
    graph = load_graph([fixture], relation_view=False)
    found = {f.entity for f in run_report_checks(graph) if f.check == check}
    assert found == expected_subjects(fixture)


def test_the_release_has_no_error(fresh_build: Path) -> None:
    graph = load_graph([fresh_build / "iapo.owl"], relation_view=False)
    findings = run_report_checks(graph)
    assert [f for f in findings if f.level == "ERROR"] == []
    # the definitions that ROBOT's duplicate_definition caught stay distinct
    assert not any(f.check == "duplicate_definition" for f in findings)


def test_the_release_base_file_has_no_error(fresh_build: Path) -> None:
    graph = load_graph([fresh_build / "iapo-base.owl"], relation_view=False)
    assert [f for f in run_report_checks(graph) if f.level == "ERROR"] == []


def test_counts_and_order() -> None:
    findings = [
        Finding("b_check", "INFO", "https://w3id.org/iapo/IAPO_0000001", "x"),
        Finding("a_check", "WARN", "https://w3id.org/iapo/IAPO_0000002", "y"),
        Finding("a_check", "WARN", "https://w3id.org/iapo/IAPO_0000003", "z"),
        Finding("c_check", "ERROR", "https://w3id.org/iapo/IAPO_0000004", "w"),
    ]
    assert counts_by_level(findings) == {"ERROR": 1, "WARN": 2, "INFO": 1}
    assert counts_by_level([]) == dict.fromkeys(LEVELS, 0)
    assert counts_by_check(findings) == [("c_check", "ERROR", 1), ("a_check", "WARN", 2),
                                         ("b_check", "INFO", 1)]


def test_report_tsv_has_robots_columns_and_one_row_per_finding() -> None:
    findings = [
        Finding("label_formatting", "ERROR", "https://w3id.org/iapo/IAPO_0009001",
                "two\nlines\tand a \\ backslash", "http://www.w3.org/2000/01/rdf-schema#label"),
        Finding("missing_label", "ERROR", "blank node", "no label"),
    ]
    lines = report_tsv(findings).splitlines()
    assert lines[0] == "Level\tRule Name\tSubject\tProperty\tValue"
    assert len(lines) == 3
    assert lines[1] == ("ERROR\tlabel_formatting\tIAPO:0009001\trdfs:label\t"
                        "two\\nlines\\tand a \\\\ backslash")
    assert lines[2].split("\t") == ["ERROR", "missing_label", "blank node", "", "no label"]


_HEAD = "# name: bad\n# title: t\n# description: d\n"

HOSTILE_HEADERS = {
    "no level": _HEAD + "# profile: iapo\n",
    "unknown level": _HEAD + "# level: FATAL\n# profile: iapo\n",
    "lower-case level": _HEAD + "# level: error\n# profile: iapo\n",
    "empty level": _HEAD + "# level:\n# profile: iapo\n",
    "no profile": _HEAD + "# level: WARN\n",
    "unknown profile": _HEAD + "# level: WARN\n# profile: obo\n",
}


@pytest.mark.parametrize("case", sorted(HOSTILE_HEADERS))
def test_a_check_with_a_bad_header_is_refused(case: str, tmp_path: Path) -> None:
    (tmp_path / "bad.rq").write_text(
        HOSTILE_HEADERS[case]
        + "SELECT ?entity ?property ?value WHERE { ?entity ?property ?value }\n",
        encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.rq:1: (level|profile) must be one of"):
        report_checks(tmp_path)


@pytest.mark.parametrize("select", ["?entity ?property", "?property ?value", "*",
                                    "?entityX ?value"])
def test_a_check_must_select_entity_and_value(select: str, tmp_path: Path) -> None:
    (tmp_path / "bad.rq").write_text(
        "# name: bad\n# title: t\n# level: WARN\n# profile: iapo\n# description: d\n"
        f"SELECT {select} WHERE {{ ?entity ?property ?value }}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="must select"):
        report_checks(tmp_path)


def test_hermit_passes_the_build(fresh_build: Path) -> None:
    result = run_hermit(fresh_build / "iapo.owl")
    assert result.consistent and result.unsatisfiable == []


def test_hermit_finds_an_unsatisfiable_class() -> None:
    result = run_hermit(FIXTURES / "unsatisfiable.owl")
    assert result.consistent
    assert result.unsatisfiable == ["https://w3id.org/iapo/IAPO_0009003"]


def test_the_docs_list_every_check_with_its_level_and_profile() -> None:
    page = (Path(__file__).parent.parent / "docs" / "quality.rst").read_text(encoding="utf-8")
    rows = re.findall(r"^   \* - ``(\w+)``\n     - (\w+)\n     - (\w+)\n", page, re.MULTILINE)
    listed = {name: (level, profile) for name, level, profile in rows}
    assert len(rows) == len(listed)
    checks = report_checks()
    assert listed == {
        name: (level_of(c), "ROBOT" if c.fields["profile"] == "robot" else "iapo")
        for name, c in checks.items()
    }


def test_a_graph_in_another_store_is_checked_on_oxigraph() -> None:
    import rdflib

    fixture = FIXTURES / "report" / "missing_ontology_license.ttl"
    plain = rdflib.Graph()
    plain.parse(fixture, format="turtle")
    expected = run_report_checks(load_graph([fixture], relation_view=False))
    assert run_report_checks(plain) == expected
    assert any(f.check == "missing_ontology_license" for f in expected)


def test_a_finding_names_the_property_and_the_offending_value() -> None:
    graph = load_graph([FIXTURES / "report" / "deprecated_class_reference.ttl"],
                       relation_view=False)
    rows = {(f.entity, f.property, f.value) for f in run_report_checks(graph)
            if f.check == "deprecated_class_reference"}
    iapo = "https://w3id.org/iapo/IAPO_"
    assert rows == {
        (iapo + "0009001", "http://www.w3.org/2000/01/rdf-schema#subClassOf", "IAPO:0009002"),
        (iapo + "0009003", "http://www.w3.org/2000/01/rdf-schema#subClassOf", "blank node"),
        (iapo + "0009006", "http://www.w3.org/2000/01/rdf-schema#subClassOf", "IAPO:0009005"),
        (iapo + "0009009", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "IAPO:0009008"),
    }
    assert "ERROR deprecated_class_reference: IAPO:0009009 rdf:type IAPO:0009008" in {
        str(f) for f in run_report_checks(graph)}
