"""The quality report: ROBOT's report profile and the project's own checks (as SPARQL), the
OWL API and HermiT together.

Each check is one ``.rq`` file in ``iapontology/checks/`` whose header names its ``level``
(ERROR, WARN or INFO, as in ROBOT's report profile) and its ``profile`` (``robot`` for the 32
checks of ROBOT's default profile, written here afresh; ``iapo`` for this project's own). A
check selects ``?entity ?property ?value``, as ROBOT's queries do. Any ERROR fails
``iapo build`` and ``iapo check``; WARN and INFO are counted and listed on request.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib import BNode, URIRef
from rdflib.term import Node

from iapontology.build.owlapi import OwlApiReport, check_with_owlapi
from iapontology.build.reasoner import ReasonerResult, run_hermit
from iapontology.identifiers import compress
from iapontology.paths import PACKAGE_DIR
from iapontology.rdf.graph import PREFIXES, load_graph, new_graph, query
from iapontology.rdf.rqfile import SparqlFile, read_folder

__all__ = [
    "LEVELS", "Finding", "QualityReport", "check_rdfxml", "counts_by_check", "counts_by_level",
    "quality_report", "report_checks", "report_tsv", "run_report_checks", "show", "summary",
]

CHECKS_DIR = PACKAGE_DIR / "build" / "checks"

#: The report levels, most severe first.
LEVELS = ("ERROR", "WARN", "INFO")

#: The profiles a check can belong to.
PROFILES = ("robot", "iapo")

#: The columns of a report table, as ROBOT writes them.
TSV_COLUMNS = ("Level", "Rule Name", "Subject", "Property", "Value")

BLANK = "blank node"

_SELECT = re.compile(r"\bSELECT\s+(?:DISTINCT\s+|REDUCED\s+)?(.*?)\s*(?:WHERE|FROM|\{)",
                     re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Finding:
    """One problem found by a report check: ``entity`` and ``property`` are IRIs (or
    ``"blank node"``, or empty); ``value`` is the offending value as text (an IRI shown as
    its CURIE where a prefix covers it)."""

    check: str
    level: str
    entity: str
    value: str
    property: str = ""

    def __str__(self) -> str:
        where = f" {show(self.property)}" if self.property else ""
        return f"{self.level} {self.check}: {show(self.entity)}{where} {self.value}".rstrip()


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


def show(text: str) -> str:
    """An IRI as its CURIE where a prefix covers it; anything else unchanged."""
    if not text.startswith(("http://", "https://")):
        return text
    curie = compress(text)
    if curie:
        return curie
    for prefix, namespace in PREFIXES.items():
        local = text[len(namespace):]
        if text.startswith(namespace) and local and "/" not in local and "#" not in local:
            return f"{prefix}:{local}"
    return text


def _check_header(check: SparqlFile) -> None:
    level = check.fields.get("level")
    if level not in LEVELS:
        raise ValueError(f"{check.path}:1: level must be one of {', '.join(LEVELS)}, "
                         f"not {level!r}")
    profile = check.fields.get("profile")
    if profile not in PROFILES:
        raise ValueError(f"{check.path}:1: profile must be one of {', '.join(PROFILES)}, "
                         f"not {profile!r}")
    select = _SELECT.search(check.sparql)
    projected = set(re.findall(r"\?(\w+)", select.group(1))) if select else set()
    if not {"entity", "value"} <= projected:
        raise ValueError(f"{check.path}:1: a check must select ?entity and ?value")


def report_checks(folder: Path = CHECKS_DIR) -> dict[str, SparqlFile]:
    """The report checks in ``folder`` (by default those shipped with the package), by name.

    Raises ValueError when a check's header has no valid ``level`` or ``profile``.
    """
    checks = read_folder(folder)
    for check in checks.values():
        _check_header(check)
    return checks


def level_of(check: SparqlFile) -> str:
    """The level (ERROR, WARN or INFO) of a check."""
    return check.fields["level"]


def _text(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, BNode):
        return BLANK
    return str(node)


def run_report_checks(
    graph: rdflib.Graph, checks: dict[str, SparqlFile] | None = None
) -> list[Finding]:
    """Run every report check over ``graph`` (the OWL file alone, no relation view).

    The checks run on Oxigraph's engine: a graph in another store is copied into an
    Oxigraph-backed one first (rdflib's own engine has mis-evaluated such checks).
    Findings come in the order of :data:`LEVELS`, then by check name, subject and value.
    """
    if type(graph.store).__name__ != "OxigraphStore":
        fast = new_graph()
        fast.addN((s, p, o, fast) for s, p, o in graph)
        graph = fast
    findings: list[Finding] = []
    for name, check in (checks if checks is not None else report_checks()).items():
        level = level_of(check)
        for row in query(check.sparql, graph):
            prop = row.get("property")
            value = row["value"]
            findings.append(Finding(
                name, level, _text(row["entity"]),
                show(str(value)) if isinstance(value, URIRef) else _text(value),
                str(prop) if isinstance(prop, URIRef) else _text(prop),
            ))
    return sort_findings(findings)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Findings by level (ERROR first), check, subject, property and value."""
    return sorted(set(findings), key=lambda f: (LEVELS.index(f.level), f.check, f.entity,
                                                f.property, f.value))


def counts_by_level(findings: list[Finding]) -> dict[str, int]:
    """How many findings there are at each level (every level present, zero or not)."""
    counted = Counter(f.level for f in findings)
    return {level: counted.get(level, 0) for level in LEVELS}


def counts_by_check(findings: list[Finding]) -> list[tuple[str, str, int]]:
    """(check, level, count) for every check that found something, most severe first."""
    counted = Counter((f.check, f.level) for f in findings)
    return sorted(((check, level, n) for (check, level), n in counted.items()),
                  key=lambda row: (LEVELS.index(row[1]), row[0]))


def _cell(text: str) -> str:
    """A TSV cell: backslash, tab and line breaks escaped so that a finding stays one row."""
    return (text.replace("\\", "\\\\").replace("\t", "\\t")
            .replace("\n", "\\n").replace("\r", "\\r"))


def report_tsv(findings: list[Finding]) -> str:
    """The findings as a table in ROBOT's report columns (Level, Rule Name, Subject,
    Property, Value), IRIs shortened to CURIEs, one finding per row."""
    lines = ["\t".join(TSV_COLUMNS)]
    for f in sort_findings(findings):
        cells = (f.level, f.check, show(f.entity), show(f.property), f.value)
        lines.append("\t".join(_cell(c) for c in cells))
    return "\n".join(lines) + "\n"


def check_rdfxml(owl_text: str) -> list[Finding]:
    """Run the report checks over an ontology given as RDF/XML text (what a build holds
    before it writes any file), on the same Oxigraph-backed graph as ``iapo check``."""
    graph = new_graph()
    graph.parse(data=owl_text, format="ox-xml")
    return run_report_checks(graph)


def summary(findings: list[Finding]) -> str:
    """One line: the count of findings at each level (``0 ERROR, 53 WARN, 1 INFO``)."""
    return ", ".join(f"{n} {level}" for level, n in counts_by_level(findings).items())


def quality_report(
    owl_file: Path, owlapi: bool = True, reasoner: bool = True, follow_imports: bool = False,
    progress: Callable[[str], None] = lambda _: None,
) -> QualityReport:
    """Check one OWL file: report checks, then the OWL API (DL profile), then HermiT.

    The file is read first by the guarded loader (size, DTDs, entities, nesting), so neither
    Java tool is given a file the guard refused; ``owl:imports`` are followed (over the
    network) only with ``follow_imports``.
    """
    graph = load_graph([owl_file], relation_view=False)
    report = QualityReport(owl_file, run_report_checks(graph))
    if owlapi or reasoner:
        tools = " and ".join(t for t, on in (("the OWL API", owlapi),
                                             ("the HermiT reasoner", reasoner)) if on)
        progress(f"running {tools} (Java) ...")
    if owlapi:
        report.owlapi = check_with_owlapi(owl_file, follow_imports=follow_imports)
    if reasoner:
        report.reasoner = run_hermit(owl_file, follow_imports=follow_imports)
    return report
