"""Run the HermiT reasoner (shipped with Owlready2, run on Java) over a built OWL file.

HermiT runs in a child Python process of its own session, so a time limit can end it and the
Java process it starts, and so a Java failure comes back as one line, not a traceback. The
file's ``owl:imports`` are not followed (no network) unless asked: HermiT is then given the
triples Oxigraph read from the file, behind the same input guard, without the imports.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from iapontology.build.owlapi import OwlApiError, java_timeout, last_line
from iapontology.paths import PACKAGE_DIR

__all__ = ["OWL_IMPORTS", "ReasonerError", "ReasonerResult", "ReasonerUnavailable", "run_hermit"]

#: The child's exit code when Owlready2 or HermiT reported an error (message on stderr).
_EXIT_JAVA_ERROR = 3
OWL_IMPORTS = "http://www.w3.org/2002/07/owl#imports"


class ReasonerUnavailable(RuntimeError):
    """Java is not installed, so HermiT cannot run."""


class ReasonerError(RuntimeError):
    """HermiT failed: a Java error, an unexpected exit code or the time limit."""


@dataclass
class ReasonerResult:
    """What HermiT found: consistency, unsatisfiable classes (by IRI) and time taken."""

    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    seconds: float = 0.0
    #: class IRI -> named superclasses HermiT inferred that were not asserted
    inferred: dict[str, list[str]] = field(default_factory=dict)
    #: individual IRI -> named classes HermiT inferred it belongs to, beyond those asserted
    inferred_types: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when the ontology is consistent and every class is satisfiable."""
        return self.consistent and not self.unsatisfiable


def run_hermit(owl_file: Path, java_memory_mb: int = 2000, follow_imports: bool = False,
               timeout: float | None = None) -> ReasonerResult:
    """Classify ``owl_file`` with HermiT in a separate process and Owlready2 world.

    The file on disk is not changed; inferred axioms stay in the throw-away world. Raises
    :class:`ReasonerError` when HermiT fails or takes longer than ``timeout`` seconds
    (default ``IAPO_JAVA_TIMEOUT`` or 600).
    """
    if shutil.which("java") is None:
        raise ReasonerUnavailable(
            "Java 17 is needed for the HermiT reasoner: install openjdk-17-jre-headless"
        )
    try:
        seconds = java_timeout(timeout)
    except OwlApiError as error:
        raise ReasonerError(str(error)) from None
    with tempfile.TemporaryDirectory(prefix="iapo-hermit-") as scratch:
        source = owl_file.resolve()
        if not follow_imports:
            source = Path(scratch) / "input.nt"
            _write_without_imports(owl_file, source)
        answer = Path(scratch) / "result.json"
        command = [sys.executable, "-m", "iapontology.build.reasoner", str(source), str(answer),
                   str(java_memory_mb)]
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(PACKAGE_DIR.parent), env.get("PYTHONPATH", "")) if p)
        run = _run_in_own_session(command, env, seconds)
        if run.returncode == 0 and answer.exists():
            return ReasonerResult(**json.loads(answer.read_text(encoding="utf-8")))
        if run.returncode == _EXIT_JAVA_ERROR:
            raise ReasonerError(f"HermiT failed: {last_line(run.stderr)}")
        raise ReasonerError(f"HermiT failed (exit {run.returncode}): {last_line(run.stderr)}")


def _run_in_own_session(command: list[str], env: dict[str, str],
                        seconds: float) -> subprocess.CompletedProcess:
    """Run ``command``; past ``seconds`` kill it and everything it started (Java too)."""
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          errors="replace", env=env, start_new_session=True) as child:
        try:
            out, err = child.communicate(timeout=seconds)
        except subprocess.TimeoutExpired:
            _kill_session(child.pid)
            child.communicate()
            raise ReasonerError(
                f"HermiT did not finish within {seconds:g} s (IAPO_JAVA_TIMEOUT)") from None
        finally:
            if child.poll() is None:  # interrupted: take the Java process down with it
                _kill_session(child.pid)
    return subprocess.CompletedProcess(command, child.returncode, out, err)


def _kill_session(pid: int) -> None:
    """Kill the child and everything in its session (the Java process it started)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def _write_without_imports(owl_file: Path, target: Path) -> None:
    """Write the triples Oxigraph reads from ``owl_file``, less ``owl:imports``, as N-Triples."""
    import rdflib

    from iapontology.rdf.graph import load_graph

    graph = load_graph([owl_file], relation_view=False)
    graph.remove((None, rdflib.URIRef(OWL_IMPORTS), None))
    graph.serialize(destination=str(target), format="nt", encoding="utf-8")


def _classify(source: Path, java_memory_mb: int) -> ReasonerResult:
    """Load ``source`` into a new Owlready2 world and classify it with HermiT (in-process)."""
    import owlready2 as owl

    owl.reasoning.JAVA_MEMORY = java_memory_mb
    world = owl.World()
    if source.suffix == ".nt":
        with source.open("rb") as handle:
            ontology = world.get_ontology(source.as_uri()).load(fileobj=handle,
                                                                format="ntriples")
    else:
        ontology = world.get_ontology(source.as_uri()).load()
    asserted = {cls.iri: _named_parents(cls) for cls in world.classes()}
    asserted_types = {i.iri: _named_parents(i) for i in world.individuals()}
    started = time.perf_counter()
    try:
        with ontology:
            owl.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    except owl.OwlReadyInconsistentOntologyError:
        return ReasonerResult(False, [], time.perf_counter() - started)
    seconds = time.perf_counter() - started
    unsatisfiable = sorted(
        cls.iri for cls in world.inconsistent_classes() if cls is not owl.Nothing
    )
    inferred = {}
    for cls in world.classes():
        new = sorted(_named_parents(cls) - asserted.get(cls.iri, set()))
        if new and cls.iri in asserted:
            inferred[cls.iri] = new
    # an individual's direct types after reasoning, less what its asserted types entail
    parents_now = {cls.iri: _named_parents(cls) for cls in world.classes()}
    inferred_types = {}
    for individual in world.individuals():
        if individual.iri not in asserted_types:
            continue
        entailed = _closure(asserted_types[individual.iri], parents_now)
        new = sorted(_named_parents(individual) - entailed)
        if new:
            inferred_types[individual.iri] = new
    world.close()
    return ReasonerResult(True, unsatisfiable, seconds, dict(sorted(inferred.items())),
                          dict(sorted(inferred_types.items())))


def _closure(types: set[str], parents: dict[str, set[str]]) -> set[str]:
    """``types`` with all their named superclasses in ``parents``."""
    found, todo = set(), list(types)
    while todo:
        iri = todo.pop()
        if iri not in found:
            found.add(iri)
            todo += parents.get(iri, ())
    return found


def _named_parents(cls) -> set[str]:
    import owlready2 as owl

    return {p.iri for p in cls.is_a if isinstance(p, owl.ThingClass) and p is not owl.Thing}


def _main(argv: list[str]) -> int:
    """Child process: ``python -m iapontology.build.reasoner SOURCE RESULT.json MEMORY_MB``."""
    source, answer, memory = Path(argv[0]), Path(argv[1]), int(argv[2])
    try:
        result = _classify(source, memory)
    except Exception as error:  # Owlready2's Java errors and anything else: one line
        message = last_line(str(error), type(error).__name__)
        print(f"{type(error).__name__}: {message}", file=sys.stderr)
        return _EXIT_JAVA_ERROR
    answer.write_text(json.dumps(asdict(result)), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
