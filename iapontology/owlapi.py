"""Check an OWL file with the OWL API, the Java library Protégé is built on.

A small Java program shipped in the package (``java/OwlApiCheck.java``) loads the file as
Protégé would, reports triples it could not parse, checks the OWL 2 DL profile and counts
axioms. It needs Java 17 and Debian's ``libowlapi-java`` (jars under /usr/share/java).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from iapontology.paths import PACKAGE_DIR

SOURCE = PACKAGE_DIR / "java" / "OwlApiCheck.java"
DEFAULT_JARS = Path(os.environ.get("IAPO_OWLAPI_JARS", "/usr/share/java"))


class OwlApiUnavailable(RuntimeError):
    """Java or the OWL API jars are missing."""


@dataclass
class OwlApiReport:
    """The OWL API's verdict on one file."""

    parsed: bool
    counts: dict[str, int] = field(default_factory=dict)
    violations: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self) -> bool:
        """Parsed completely and inside the OWL 2 DL profile."""
        return self.parsed and not self.violations and self.counts.get("unparsed-triples") == 0


def _classpath(jars: Path) -> str:
    if not (jars / "owlapi-distribution.jar").exists():
        raise OwlApiUnavailable(
            f"the OWL API is not in {jars}: install Debian's libowlapi-java "
            "(or set IAPO_OWLAPI_JARS to a folder with its jars)"
        )
    return f"{jars}/*"


def _compiled(jars: Path) -> Path:
    """Compile the checker once per source version into a cache folder; return the folder."""
    for tool in ("java", "javac"):
        if shutil.which(tool) is None:
            raise OwlApiUnavailable(f"{tool} not found: install openjdk-17-jdk-headless")
    digest = hashlib.sha256(SOURCE.read_bytes()).hexdigest()[:12]
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    target = cache / "iapontology" / f"owlapi-{digest}"
    if not (target / "OwlApiCheck.class").exists():
        target.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["javac", "-nowarn", "-d", str(target), "-cp", _classpath(jars), str(SOURCE)],
            check=True, capture_output=True, text=True,
        )
    return target


def check_with_owlapi(owl_file: Path, jars: Path = DEFAULT_JARS) -> OwlApiReport:
    """Load ``owl_file`` with the OWL API and check it against the OWL 2 DL profile."""
    classes = _compiled(jars)
    run = subprocess.run(
        ["java", "-cp", f"{classes}:{_classpath(jars)}", "OwlApiCheck", str(owl_file)],
        capture_output=True, text=True, timeout=600,
    )
    report = OwlApiReport(parsed=False)
    for line in run.stdout.splitlines():
        key, _, value = line.partition(": ")
        if key == "parse":
            report.parsed = value == "ok"
            if not report.parsed:
                report.error = value
        elif key == "violation":
            report.violations.append(value)
        elif value.isdigit():
            report.counts[key] = int(value)
    if not run.stdout.strip():
        report.error = run.stderr.strip().splitlines()[-1] if run.stderr.strip() else "no output"
    return report


def roundtrip_with_owlapi(owl_file: Path, out_file: Path, jars: Path = DEFAULT_JARS) -> dict:
    """Load, save as RDF/XML (as Protégé does) and reload with the OWL API; return the
    counts and whether every axiom (annotations included) and header annotation survived."""
    classes = _compiled(jars)
    run = subprocess.run(
        ["java", "-cp", f"{classes}:{_classpath(jars)}", "OwlApiCheck", "--roundtrip",
         str(owl_file), str(out_file)],
        capture_output=True, text=True, timeout=600,
    )
    report: dict = {}
    for line in run.stdout.splitlines():
        key, _, value = line.partition(": ")
        report[key] = int(value) if value.isdigit() else value == "true"
    if not report:
        report["error"] = run.stderr.strip().splitlines()[-1] if run.stderr.strip() else "?"
    return report


__all__ = [
    "DEFAULT_JARS",
    "SOURCE",
    "OwlApiReport",
    "OwlApiUnavailable",
    "check_with_owlapi",
    "roundtrip_with_owlapi",
]
