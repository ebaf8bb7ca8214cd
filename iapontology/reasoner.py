"""Run the HermiT reasoner (shipped with Owlready2, run on Java) over a built OWL file."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import owlready2 as owl


class ReasonerUnavailable(RuntimeError):
    """Java is not installed, so HermiT cannot run."""


@dataclass
class ReasonerResult:
    """What HermiT found: consistency, unsatisfiable classes (by IRI) and time taken."""

    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    seconds: float = 0.0
    #: class IRI -> named superclasses HermiT inferred that were not asserted
    inferred: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when the ontology is consistent and every class is satisfiable."""
        return self.consistent and not self.unsatisfiable


def run_hermit(owl_file: Path, java_memory_mb: int = 2000) -> ReasonerResult:
    """Classify ``owl_file`` with HermiT in a separate Owlready2 world.

    The file on disk is not changed; inferred axioms stay in the throw-away world.
    """
    if shutil.which(owl.JAVA_EXE) is None and shutil.which("java") is None:
        raise ReasonerUnavailable(
            "Java 17 is needed for the HermiT reasoner: install openjdk-17-jre-headless"
        )
    owl.reasoning.JAVA_MEMORY = java_memory_mb
    world = owl.World()
    ontology = world.get_ontology(owl_file.resolve().as_uri()).load()
    asserted = {cls.iri: _named_parents(cls) for cls in world.classes()}
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
    world.close()
    return ReasonerResult(True, unsatisfiable, seconds, dict(sorted(inferred.items())))


def _named_parents(cls) -> set[str]:
    return {p.iri for p in cls.is_a if isinstance(p, owl.ThingClass) and p is not owl.Thing}


__all__ = ["ReasonerResult", "ReasonerUnavailable", "run_hermit"]
