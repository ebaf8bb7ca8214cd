"""``iapo diff OLD NEW``: what changed between two releases, for release notes."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib import OWL, RDF, RDFS, Literal, URIRef

from iapontology import vocab
from iapontology.build.exports import KINDS, restrictions
from iapontology.identifiers import compress
from iapontology.rdf.graph import load_graph

DEFINITION = URIRef(vocab.DEFINITION)


@dataclass
class ReleaseDiff:
    """Terms added, removed, obsoleted and changed (field -> (old, new)) between releases."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    obsoleted: list[str] = field(default_factory=list)
    changed: dict[str, dict[str, tuple]] = field(default_factory=dict)

    def as_json(self) -> str:
        """The diff as JSON (term CURIEs as keys)."""
        return json.dumps({"added": self.added, "removed": self.removed,
                           "obsoleted": self.obsoleted,
                           "changed": {k: {f: list(v) for f, v in c.items()}
                                       for k, c in self.changed.items()}},
                          indent=2, ensure_ascii=False, sort_keys=True) + "\n"

    def as_text(self) -> str:
        """The diff as readable text."""
        lines = [f"added: {len(self.added)}, removed: {len(self.removed)}, "
                 f"obsoleted: {len(self.obsoleted)}, changed: {len(self.changed)}"]
        lines += [f"+ {t}" for t in self.added] + [f"- {t}" for t in self.removed]
        lines += [f"! {t} obsoleted" for t in self.obsoleted]
        for term, fields in sorted(self.changed.items()):
            lines.append(f"~ {term}")
            for name, (old, new) in sorted(fields.items()):
                lines.append(f"    {name}: {old} -> {new}")
        return "\n".join(lines) + "\n"


def _summary(graph: rdflib.Graph) -> dict[str, dict]:
    terms: dict[str, dict] = {}
    for kind in KINDS:
        for subject in graph.subjects(RDF.type, kind):
            if not isinstance(subject, URIRef):
                continue
            parents = sorted(compress(str(p)) or str(p) for p in graph.objects(
                subject, RDFS.subClassOf) if isinstance(p, URIRef) and p != OWL.Thing)
            relations = sorted(f"{compress(str(p)) or p} {compress(str(t)) or t}"
                               for p, t in restrictions(graph, subject))
            terms[compress(str(subject)) or str(subject)] = {
                "label": str(graph.value(subject, RDFS.label) or ""),
                "definition": str(graph.value(subject, DEFINITION) or ""),
                "parents": parents,
                "relations": relations,
                "obsolete": (subject, OWL.deprecated, Literal(True)) in graph,
            }
    return terms


def diff_releases(old: Path, new: Path) -> ReleaseDiff:
    """Compare two OWL files (any RDF syntax) term by term."""
    before = _summary(load_graph([old], relation_view=False))
    after = _summary(load_graph([new], relation_view=False))
    result = ReleaseDiff(added=sorted(set(after) - set(before)),
                         removed=sorted(set(before) - set(after)))
    for term in sorted(set(before) & set(after)):
        if after[term]["obsolete"] and not before[term]["obsolete"]:
            result.obsoleted.append(term)
            continue
        changes = {name: (before[term][name], after[term][name])
                   for name in ("label", "definition", "parents", "relations")
                   if before[term][name] != after[term][name]}
        if changes:
            result.changed[term] = changes
    return result


__all__ = ["DEFINITION", "ReleaseDiff", "diff_releases"]
