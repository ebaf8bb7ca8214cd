"""The quality report: ROBOT-style checks (as SPARQL), the OWL API and HermiT together."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import rdflib

from iapontology.graph import load_graph, query
from iapontology.owlapi import OwlApiReport, check_with_owlapi
from iapontology.paths import PACKAGE_DIR
from iapontology.reasoner import ReasonerResult, run_hermit
from iapontology.rqfile import SparqlFile, read_folder

CHECKS_DIR = PACKAGE_DIR / "checks"


@dataclass(frozen=True)
class Finding:
    """One problem found by a report check."""

    check: str
    level: str
    entity: str
    value: str

    def __str__(self) -> str:
        return f"{self.level} {self.check}: {self.entity} {self.value}"


@dataclass
class QualityReport:
    """Everything ``iapo check`` found about one OWL file."""

    path: Path
    findings: list[Finding] = field(default_factory=list)
    owlapi: OwlApiReport | None = None
    reasoner: ReasonerResult | None = None

    @property
    def errors(self) -> list[Finding]:
        """Findings at ERROR level."""
        return [f for f in self.findings if f.level == "ERROR"]

    @property
    def ok(self) -> bool:
        """No ERROR finding, and the OWL API and HermiT (where run) passed."""
        return (
            not self.errors
            and (self.owlapi is None or self.owlapi.ok)
            and (self.reasoner is None or self.reasoner.ok)
        )


def report_checks() -> dict[str, SparqlFile]:
    """The report checks shipped with the package, by name."""
    return read_folder(CHECKS_DIR)


def run_report_checks(graph: rdflib.Graph) -> list[Finding]:
    """Run every report check over ``graph`` (the OWL file alone, no relation view)."""
    findings: list[Finding] = []
    for name, check in report_checks().items():
        level = check.fields.get("level", "ERROR")
        for row in query(check.sparql, graph):
            findings.append(Finding(name, level, str(row["entity"]), str(row["value"])))
    return findings


def quality_report(
    owl_file: Path, owlapi: bool = True, reasoner: bool = True
) -> QualityReport:
    """Check one OWL file: report checks, then the OWL API (DL profile), then HermiT."""
    graph = load_graph([owl_file], relation_view=False)
    report = QualityReport(owl_file, run_report_checks(graph))
    if owlapi:
        report.owlapi = check_with_owlapi(owl_file)
    if reasoner:
        report.reasoner = run_hermit(owl_file)
    return report


__all__ = ["CHECKS_DIR", "Finding", "QualityReport", "quality_report", "report_checks",
    "run_report_checks"]
