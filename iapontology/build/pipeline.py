"""``iapo build``: curated tables -> Owlready2 ontology -> release files, checked by HermiT.

The build is all-or-nothing: tables are checked first, the whole release set is written to a
temporary folder beside the output folder, HermiT classifies the ``iapo.owl`` written there,
and only when every check has passed are the files renamed into the output folder (and a
release file this build did not make, such as ``iapo-full.owl`` without the reasoner, is
removed). A bad row, a failed reasoner check or a Java failure leaves the output folder
exactly as it was.

The release set: ``iapo.owl`` (primary, RDF/XML), ``iapo-base.owl`` (own axioms, own IRI),
``iapo-full.owl`` (primary plus HermiT's inferences; written only when the reasoner runs and
infers something, since otherwise it would be a copy), ``iapo.ttl``, ``iapo.json`` (OBO
Graphs), ``iapo.obo`` (OBO 1.4), ``iapo.sssom.tsv``, ``iapo.context.jsonld`` (the prefix
map) and ``iapo-query.nt`` (ontology plus relation-graph view, for fast loading).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import rdflib

from iapontology.build.assemble import assemble, version_iri
from iapontology.build.exports import base_graph, obo_text, obographs_json
from iapontology.build.mappings import sssom_text
from iapontology.build.quality import Finding, check_rdfxml, show, summary
from iapontology.build.reasoner import ReasonerResult, run_hermit
from iapontology.build.serialise import (
    ntriples_text,
    owlready_rdfxml_text,
    publish,
    rdfxml_text,
    renamed_ontology,
    staging_folder,
    turtle_text,
    with_inferred_parents,
    write_file,
)
from iapontology.knowledge.curation import Knowledge, load_knowledge
from iapontology.paths import (
    BASE_FILE,
    CONTEXT_FILE,
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
from iapontology.rdf.relation_graph import relation_triples
from iapontology.vocab import jsonld_context

__all__ = ["RELEASE_FILES", "BuildError", "BuildReport", "build"]

#: Every file a build may write; a build removes those of them it did not write this time.
RELEASE_FILES = (PRIMARY_FILE, BASE_FILE, FULL_FILE, TURTLE_FILE, JSON_FILE, OBO_FILE, CONTEXT_FILE,
                 SSSOM_FILE, QUERY_GRAPH_FILE)


class BuildError(RuntimeError):
    """The build stopped; nothing in the output folder was changed."""


@dataclass
class BuildReport:
    """What a build wrote and what the reasoner said."""

    files: list[Path] = field(default_factory=list)
    triples: int = 0
    relation_triples: int = 0
    reasoner: ReasonerResult | None = None
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0


def _quiet(_: str) -> None:
    return None


def _variant(graph: rdflib.Graph, meta: dict, name: str) -> str:
    """A release variant as ODK makes it: its own ontology IRI and dated version IRI
    (``https://w3id.org/iapo/iapo-base.owl``), written by Owlready2 like the primary file."""
    iri = meta["iri"].rsplit("/", 1)[0] + "/" + name
    version = meta["version_iri"].rsplit("/", 1)[0] + "/" + name
    return owlready_rdfxml_text(renamed_ontology(graph, iri, version), iri)


def _located(knowledge: Knowledge, finding: Finding) -> str:
    """A finding, preceded by ``file:line`` of the table row of its term where there is one."""
    curie = show(finding.entity)
    rows = [index[curie] for index in (knowledge.terms, knowledge.properties,
                                       knowledge.reused, knowledge.obsolete)
            if curie in index]
    rows += [row for _, table in knowledge.records.values() for row in table
             if row.get("id") == curie]
    return f"{rows[0].where}: {finding}" if rows else str(finding)


def build(
    out_dir: Path = DEFAULT_OUTPUT_DIR,
    knowledge_dir: Path = KNOWLEDGE_DIR,
    reason: bool = True,
    progress: Callable[[str], None] = _quiet,
) -> BuildReport:
    """Build the release files from the tables in ``knowledge_dir`` into ``out_dir``.

    Raises :class:`~iapontology.knowledge.tables.CurationError` for bad rows, :class:`BuildError`
    when HermiT finds the ontology inconsistent or a class unsatisfiable, and
    :class:`~iapontology.build.reasoner.ReasonerError` when HermiT fails or runs out of time; in
    every case ``out_dir`` is left exactly as it was.
    """
    started = time.perf_counter()
    if out_dir.exists() and not out_dir.is_dir():
        raise BuildError(f"{out_dir} is not a folder; nothing was written")
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

    progress("running the report checks (ROBOT's report profile and the project's own)")
    report.findings = check_rdfxml(owl_text)
    errors = [f for f in report.findings if f.level == "ERROR"]
    if errors:
        shown = "; ".join(_located(knowledge, f) for f in errors[:5])
        shown += "; ..." if len(errors) > 5 else ""
        raise BuildError(f"report: {len(errors)} ERROR-level finding(s): {shown}; "
                         "nothing was written")
    progress(f"report: {summary(report.findings)}")

    meta = dict(knowledge.metadata["ontology"])
    meta["version_iri"] = version_iri(meta)
    with staging_folder(out_dir) as stage:
        write_file(stage / PRIMARY_FILE, owl_text)
        if reason:
            progress("running the HermiT reasoner (Java) to check consistency ...")
            report.reasoner = run_hermit(stage / PRIMARY_FILE)
            if not report.reasoner.consistent:
                raise BuildError("HermiT: the ontology is inconsistent; nothing was written")
            if report.reasoner.unsatisfiable:
                names = ", ".join(report.reasoner.unsatisfiable)
                raise BuildError(f"HermiT: unsatisfiable classes: {names}; nothing was written")
            progress(f"HermiT: consistent, no unsatisfiable class "
                     f"({report.reasoner.seconds:.1f} s)")
            if report.reasoner.inferred or report.reasoner.inferred_types:
                full = with_inferred_parents(graph, report.reasoner.inferred,
                                             report.reasoner.inferred_types)
                write_file(stage / FULL_FILE, _variant(full, meta, FULL_FILE))
            else:
                # full = primary + inferences; with none it would be a copy, so none is shipped
                progress(f"HermiT inferred nothing that is not asserted: no {FULL_FILE}")
        for name, text in (
            (BASE_FILE, _variant(base_graph(graph), meta, BASE_FILE)),
            (TURTLE_FILE, turtle_text(graph)),
            (JSON_FILE, obographs_json(graph, meta)),
            (OBO_FILE, obo_text(graph, meta)),
            (SSSOM_FILE, sssom_text(graph, meta)),
            (CONTEXT_FILE, json.dumps(jsonld_context(), indent=1, sort_keys=True) + "\n"),
            (QUERY_GRAPH_FILE, ntriples_text(query_graph)),
        ):
            write_file(stage / name, text)
        # publish() also removes release files this build did not make (a stale full file)
        report.files = publish(stage, out_dir, RELEASE_FILES)
    report.seconds = time.perf_counter() - started
    progress(f"wrote {', '.join(str(p) for p in report.files)} in {report.seconds:.1f} s")
    return report
