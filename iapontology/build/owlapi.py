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
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from iapontology.paths import PACKAGE_DIR

__all__ = [
    "DEFAULT_JARS",
    "DEFAULT_TIMEOUT",
    "FORMATS",
    "SOURCE",
    "OwlApiError",
    "OwlApiReport",
    "OwlApiUnavailable",
    "check_with_owlapi",
    "convert_with_owlapi",
    "java_timeout",
    "last_line",
    "roundtrip_with_owlapi",
    "run_tool",
]

SOURCE = PACKAGE_DIR / "build" / "java" / "OwlApiCheck.java"
DEFAULT_JARS = Path(os.environ.get("IAPO_OWLAPI_JARS", "/usr/share/java"))


#: owl:imports are never followed unless asked; the checker runs at most this long (seconds).
DEFAULT_TIMEOUT = 600.0
#: The checker's ``--format`` for each file suffix (the same reading Oxigraph is given).
FORMATS = {".owl": "rdfxml", ".rdf": "rdfxml", ".xml": "rdfxml", ".ttl": "turtle",
           ".nt": "ntriples", ".nq": "nquads", ".jsonld": "jsonld"}
#: Java's XML parser may fetch no external DTD or schema, whatever the file says.
_JAVA_OPTIONS = ["-Djavax.xml.accessExternalDTD=", "-Djavax.xml.accessExternalSchema="]


class OwlApiUnavailable(RuntimeError):
    """Java or the OWL API jars are missing."""


class OwlApiError(RuntimeError):
    """The checker failed to run: compile error, crash, unexpected exit code or timeout."""


@dataclass
class OwlApiReport:
    """The OWL API's verdict on one file."""

    parsed: bool
    counts: dict[str, int] = field(default_factory=dict)
    violations: list[str] = field(default_factory=list)
    error: str = ""
    #: owl:imports that were not loaded (never followed without ``follow_imports``)
    imports_not_loaded: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Parsed completely and inside the OWL 2 DL profile."""
        return self.parsed and not self.violations and self.counts.get("unparsed-triples") == 0


def java_timeout(timeout: float | None = None) -> float:
    """``timeout``, else ``IAPO_JAVA_TIMEOUT`` (seconds), else :data:`DEFAULT_TIMEOUT`."""
    if timeout is not None:
        return timeout
    text = os.environ.get("IAPO_JAVA_TIMEOUT", "").strip()
    try:
        value = float(text) if text else DEFAULT_TIMEOUT
    except ValueError:
        raise OwlApiError(f"IAPO_JAVA_TIMEOUT must be a number of seconds, not {text!r}") from None
    if value <= 0:
        raise OwlApiError(f"IAPO_JAVA_TIMEOUT must be positive, not {text!r}")
    return value


def last_line(text: str, default: str = "no message") -> str:
    """The last meaningful line of a tool's error output (logging noise skipped)."""
    lines = [line.strip() for line in text.splitlines()
             if line.strip() and not line.startswith("SLF4J:")]
    return lines[-1] if lines else default


def run_tool(command: list[str], what: str, timeout: float | None = None,
             error: type[RuntimeError] = OwlApiError) -> subprocess.CompletedProcess:
    """Run a Java tool with a time limit; a missing program or a timeout raises ``error``."""
    seconds = java_timeout(timeout)
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=seconds,
                              errors="replace")
    except FileNotFoundError:
        raise OwlApiUnavailable(f"{command[0]} not found: install openjdk-17-jdk-headless"
                                ) from None
    except subprocess.TimeoutExpired:
        raise error(f"{what} did not finish within {seconds:g} s (IAPO_JAVA_TIMEOUT)") from None


def _classpath(jars: Path) -> str:
    if not (jars / "owlapi-distribution.jar").exists():
        raise OwlApiUnavailable(
            f"the OWL API is not in {jars}: install Debian's libowlapi-java "
            "(or set IAPO_OWLAPI_JARS to a folder with its jars)"
        )
    return f"{jars}/*"


def _compiled(jars: Path) -> Path:
    """Compile the checker once per source version into a cache folder; return the folder.

    javac writes into a fresh temporary folder beside the cache entry, which is then renamed
    into place in one step, so a half-compiled checker is never used and two processes
    compiling at once both end with the same complete folder.
    """
    for tool in ("java", "javac"):
        if shutil.which(tool) is None:
            raise OwlApiUnavailable(f"{tool} not found: install openjdk-17-jdk-headless")
    digest = hashlib.sha256(SOURCE.read_bytes()).hexdigest()[:12]
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    target = cache / "iapontology" / f"owlapi-{digest}"
    if (target / "OwlApiCheck.class").exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".owlapi-{digest}-", dir=target.parent))
    try:
        run = run_tool(["javac", "-nowarn", "-d", str(scratch), "-cp", _classpath(jars),
                        str(SOURCE)], "compiling the OWL API checker")
        if run.returncode != 0 or not (scratch / "OwlApiCheck.class").exists():
            raise OwlApiError(f"compiling the OWL API checker failed (javac exit "
                              f"{run.returncode}): {last_line(run.stderr)}")
        try:
            os.rename(scratch, target)
        except OSError:
            if not (target / "OwlApiCheck.class").exists():
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


def _java(jars: Path, *args: str) -> list[str]:
    return ["java", *_JAVA_OPTIONS, "-cp", f"{_compiled(jars)}:{_classpath(jars)}",
            "OwlApiCheck", *args]


def check_with_owlapi(owl_file: Path, jars: Path = DEFAULT_JARS, follow_imports: bool = False,
                      timeout: float | None = None) -> OwlApiReport:
    """Load ``owl_file`` with the OWL API and check it against the OWL 2 DL profile.

    The file is read in the syntax its suffix names (as Oxigraph reads it), and its
    ``owl:imports`` are not loaded (no network) unless ``follow_imports``. Raises
    :class:`OwlApiError` when the checker fails to give a verdict within ``timeout``.
    """
    fmt = FORMATS.get(owl_file.suffix.lower())
    if fmt is None:
        raise ValueError(f"{owl_file}: unknown RDF file type {owl_file.suffix!r}")
    options = ["--format", fmt] + (["--follow-imports"] if follow_imports else [])
    run = run_tool(_java(jars, *options, str(owl_file)), "the OWL API checker", timeout)
    report = OwlApiReport(parsed=False)
    for line in run.stdout.splitlines():
        key, _, value = line.partition(": ")
        if key == "parse":
            report.parsed = value == "ok"
            if not report.parsed:
                report.error = value
        elif key == "violation":
            report.violations.append(value)
        elif key == "import-not-loaded":
            report.imports_not_loaded.append(value)
        elif value.isdigit():
            report.counts[key] = int(value)
    finished = report.error or "dl-violations" in report.counts
    if run.returncode not in (0, 1) or not finished:
        raise OwlApiError(f"the OWL API checker failed (exit {run.returncode}): "
                          f"{last_line(run.stderr)}")
    return report


def convert_with_owlapi(source: Path, out_file: Path, jars: Path = DEFAULT_JARS,
                       timeout: float | None = None) -> Path:
    """Load ``source`` (RDF/XML, Turtle or OBO) with the OWL API, imports not followed, and
    write what it read as RDF/XML to ``out_file``; raises :class:`OwlApiError` with the OWL
    API's message when it cannot."""
    run = run_tool(_java(jars, "--convert", str(source), str(out_file)),
                   "the OWL API converter", timeout)
    if run.returncode != 0 or not out_file.exists():
        raise OwlApiError(f"the OWL API could not read {source}: "
                          f"{last_line(run.stderr or run.stdout)}")
    return out_file


def roundtrip_with_owlapi(owl_file: Path, out_file: Path, jars: Path = DEFAULT_JARS,
                          timeout: float | None = None) -> dict:
    """Load, save as RDF/XML (as Protégé does) and reload with the OWL API; return the
    counts and whether every axiom (annotations included) and header annotation survived."""
    run = run_tool(_java(jars, "--roundtrip", str(owl_file), str(out_file)),
                   "the OWL API round trip", timeout)
    report: dict = {}
    for line in run.stdout.splitlines():
        key, _, value = line.partition(": ")
        report[key] = int(value) if value.isdigit() else value == "true"
    if run.returncode not in (0, 1) or "axioms-equal" not in report:
        raise OwlApiError(f"the OWL API round trip failed (exit {run.returncode}): "
                          f"{last_line(run.stderr)}")
    return report
