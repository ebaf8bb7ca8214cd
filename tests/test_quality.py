"""Each report check passes on the ontology and fires on a fixture with its fault."""

from __future__ import annotations

from pathlib import Path

import pytest

from iapontology.graph import load_graph
from iapontology.quality import report_checks, run_report_checks
from iapontology.reasoner import run_hermit
from tests.conftest import FIXTURES


def test_built_ontology_has_no_findings(fresh_build: Path) -> None:
    graph = load_graph([fresh_build / "iapo.owl"], relation_view=False)
    assert run_report_checks(graph) == []


@pytest.mark.parametrize("check", sorted(report_checks()))
def test_check_fires_on_its_fixture(check: str) -> None:
    fixture = FIXTURES / "report" / f"{check}.ttl"
    graph = load_graph([fixture], relation_view=False)
    fired = {f.check for f in run_report_checks(graph)}
    assert check in fired, f"{check} did not fire on {fixture.name}: {fired}"


def test_hermit_passes_the_build(fresh_build: Path) -> None:
    result = run_hermit(fresh_build / "iapo.owl")
    assert result.consistent and result.unsatisfiable == []


def test_hermit_finds_an_unsatisfiable_class() -> None:
    result = run_hermit(FIXTURES / "unsatisfiable.owl")
    assert result.consistent
    assert result.unsatisfiable == ["https://w3id.org/iapo/IAPO_0009003"]
