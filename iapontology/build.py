"""``iapo build``: curated tables -> Owlready2 ontology -> release files, checked by HermiT.

The build is all-or-nothing: tables are checked first, every file is produced in memory,
HermiT classifies a temporary copy, and only then are the files renamed into place. A bad row
or a failed reasoner check leaves the previous files in the output folder untouched.

The release set: ``iapo.owl`` (primary, RDF/XML), ``iapo-base.owl``, ``iapo-full.owl`` (with
HermiT's inferred hierarchy; written only when the reasoner runs), ``iapo.ttl``, ``iapo.json``
(OBO Graphs), ``iapo.obo`` (OBO 1.4), ``iapo.sssom.tsv`` and ``iapo-query.nt`` (ontology plus
relation-graph view, for fast loading).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import rdflib

from iapontology.assemble import assemble, version_iri
from iapontology.curation import load_knowledge
from iapontology.exports import base_graph, obo_text, obographs_json
from iapontology.mappings import sssom_text
from iapontology.paths import (
    BASE_FILE,
    DEFAULT_OUTPUT_DIR,
    FULL_FILE,
    JSON_FILE,
    KNOWLEDGE_DIR,
    OBO_FILE,
    PRIMARY_FILE,
    QUERY_GRAPH_FILE,
    SSSOM_FILE,
    TURTLE_FILE,
)
from iapontology.reasoner import ReasonerResult, run_hermit
from iapontology.relation_graph import relation_triples
from iapontology.serialise import (
    flat_rdfxml_text,
    ntriples_text,
    rdfxml_text,
    turtle_text,
    with_inferred_parents,
    write_atomically,
)


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

    meta = knowledge.metadata["ontology"]
    files = {
        out_dir / PRIMARY_FILE: owl_text,
        out_dir / BASE_FILE: flat_rdfxml_text(base_graph(graph)),
        out_dir / TURTLE_FILE: turtle_text(graph),
        out_dir / JSON_FILE: obographs_json(graph, meta["iri"], version_iri(meta)),
        out_dir / OBO_FILE: obo_text(graph, version_iri(meta)),
        out_dir / SSSOM_FILE: sssom_text(graph, meta),
        out_dir / QUERY_GRAPH_FILE: ntriples_text(query_graph),
    }
    if report.reasoner is not None:
        full = with_inferred_parents(graph, report.reasoner.inferred)
        files[out_dir / FULL_FILE] = flat_rdfxml_text(full)
    write_atomically(files)
    report.files = list(files)
    report.seconds = time.perf_counter() - started
    progress(f"wrote {', '.join(str(p) for p in files)} in {report.seconds:.1f} s")
    return report


__all__ = ["BuildError", "BuildReport", "build"]
