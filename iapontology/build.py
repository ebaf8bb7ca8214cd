"""``iapo build``: curated tables -> Owlready2 ontology -> release files, checked by HermiT.

The build is all-or-nothing: tables are checked first, every file is produced in memory,
HermiT classifies a temporary copy, and only then are the files renamed into place. A bad row
or a failed reasoner check leaves the previous files in the output folder untouched.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import rdflib

from iapontology.assemble import assemble
from iapontology.curation import load_knowledge
from iapontology.paths import (
    DEFAULT_OUTPUT_DIR,
    KNOWLEDGE_DIR,
    PRIMARY_FILE,
    QUERY_GRAPH_FILE,
    TURTLE_FILE,
)
from iapontology.reasoner import ReasonerResult, run_hermit
from iapontology.relation_graph import relation_triples
from iapontology.serialise import ntriples_text, rdfxml_text, turtle_text, write_atomically


class BuildError(RuntimeError):
    """The build stopped; nothing in the output folder was changed."""


@dataclass
class BuildReport:
    """What a build wrote and what the reasoner said."""

    files: list[Path] = field(default_factory=list)
    triples: int = 0
    relation_triples: int = 0
    reasoner: ReasonerResult | None = None
    seconds: float = 0.0


def _quiet(_: str) -> None:
    return None


def build(
    out_dir: Path = DEFAULT_OUTPUT_DIR,
    knowledge_dir: Path = KNOWLEDGE_DIR,
    reason: bool = True,
    progress: Callable[[str], None] = _quiet,
) -> BuildReport:
    """Build the release files from the tables in ``knowledge_dir`` into ``out_dir``.

    Raises :class:`~iapontology.tables.CurationError` for bad rows and :class:`BuildError`
    when HermiT finds the ontology inconsistent or a class unsatisfiable.
    """
    started = time.perf_counter()
    progress(f"checking the source tables in {knowledge_dir}")
    knowledge = load_knowledge(knowledge_dir)
    progress(f"assembling {len(knowledge.terms)} terms with Owlready2")
    ontology = assemble(knowledge)
    owl_text = rdfxml_text(ontology)
    ontology.world.close()

    graph = rdflib.Graph()
    graph.parse(data=owl_text, format="xml")
    relations = relation_triples(graph)
    query_graph = rdflib.Graph()
    for triple in graph:
        query_graph.add(triple)
    for triple in relations:
        query_graph.add(triple)
    report = BuildReport(triples=len(graph), relation_triples=len(relations))

    if reason:
        progress("running the HermiT reasoner (Java) to check consistency ...")
        with tempfile.TemporaryDirectory() as scratch:
            draft = Path(scratch) / PRIMARY_FILE
            draft.write_text(owl_text, encoding="utf-8")
            report.reasoner = run_hermit(draft)
        if not report.reasoner.consistent:
            raise BuildError("HermiT: the ontology is inconsistent; nothing was written")
        if report.reasoner.unsatisfiable:
            names = ", ".join(report.reasoner.unsatisfiable)
            raise BuildError(f"HermiT: unsatisfiable classes: {names}; nothing was written")
        progress(f"HermiT: consistent, no unsatisfiable class ({report.reasoner.seconds:.1f} s)")

    files = {
        out_dir / PRIMARY_FILE: owl_text,
        out_dir / TURTLE_FILE: turtle_text(graph),
        out_dir / QUERY_GRAPH_FILE: ntriples_text(query_graph),
    }
    write_atomically(files)
    report.files = list(files)
    report.seconds = time.perf_counter() - started
    progress(f"wrote {', '.join(str(p) for p in files)} in {report.seconds:.1f} s")
    return report
