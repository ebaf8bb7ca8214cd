"""What every generated page needs to know about the ontology: its terms, labels, the
relations each term is declared with (with cardinality, sources and note), and the records
(findings, trials, combinations, biomarkers) that point at each term."""

from __future__ import annotations

import re
from pathlib import Path

import rdflib
from rdflib import OWL, RDF, RDFS, URIRef

from iapontology.identifiers import compress, xref_url
from iapontology.sphinx.evidence import (
    DCTERMS,
    IAPO,
    OBO,
    OBO_IN_OWL,
    Record,
    Relation,
    read_records,
    read_relations,
)
from iapontology.sphinx.rst import link, rst_escape

__all__ = ["DCTERMS", "GENERATED", "IAPO", "OBO", "OBO_IN_OWL", "TERM_TYPES", "Record",
           "Relation", "Site", "iapo", "page_name"]

GENERATED = "generated"
TERM_TYPES = {
    OWL.Class: "class",
    OWL.ObjectProperty: "object property",
    OWL.AnnotationProperty: "annotation property",
    OWL.NamedIndividual: "individual",
}


def iapo(local: str) -> str:
    """The IRI of this ontology's term ``IAPO:<local>``."""
    return str(IAPO[local])


def page_name(iri: str) -> str:
    """The file stem of a term's page: its CURIE with ':' replaced, or a hash-free IRI tail."""
    curie = compress(iri) or iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return re.sub(r"[^A-Za-z0-9_.-]", "_", curie)


class Site:
    """The ontology as the page writers see it, plus the file writer of the generated tree."""

    def __init__(self, g: rdflib.Graph, out: Path):
        self.g = g
        self.out = out
        self.terms: dict[str, str] = {}
        for kind_iri, kind in TERM_TYPES.items():
            for subject in g.subjects(RDF.type, kind_iri):
                if isinstance(subject, URIRef):
                    self.terms.setdefault(str(subject), kind)
        self.labels = {str(s): str(o) for s, o in g.subject_objects(RDFS.label)
                       if isinstance(s, URIRef)}
        self.written: set[Path] = set()
        self.relations = read_relations(g, self.label)
        self.records = read_records(g, self.terms, self.relations)

    # -- names and links ------------------------------------------------------------
    def label(self, iri: str) -> str:
        """A term's label, else its CURIE, else its IRI."""
        return self.labels.get(iri) or compress(iri) or iri

    def ref(self, iri: str, text: str | None = None) -> str:
        """A link to a term's page (plain text for a term without one)."""
        shown = rst_escape(text if text is not None else self.label(iri))
        if iri in self.terms:
            return f":doc:`{shown} </{GENERATED}/terms/{page_name(iri)}>`"
        return shown

    @staticmethod
    def source_link(source: str) -> str:
        """A PMID, DOI, registry number or database ID as a link where its address is known."""
        url = xref_url(source)
        return link(url, source) if url else rst_escape(source)

    def sources_text(self, sources: list[str] | tuple[str, ...]) -> str:
        """``[PMID:1, DOI:x]`` with each source linked; empty when there are none."""
        if not sources:
            return ""
        return "[" + ", ".join(self.source_link(s) for s in sorted(sources)) + "]"

    def write(self, relative: str, text: str) -> None:
        """Write a generated file (only when its text changed, so Sphinx rebuilds less)."""
        path = self.out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        self.written.add(path)

    def remove_stale(self) -> None:
        """Delete generated files that this build did not write."""
        for stale in self.out.rglob("*"):
            if stale.is_file() and stale not in self.written:
                stale.unlink()

    # -- reading the graph ----------------------------------------------------------
    def values(self, subject: str, prop: URIRef) -> list[str]:
        """The sorted string values of ``subject prop ?value``."""
        return sorted(str(v) for v in self.g.objects(URIRef(subject), prop))

    def definition_sources(self, subject: str) -> list[str]:
        """The sources annotating a term's definition."""
        return sorted(
            str(src)
            for axiom in self.g.subjects(OWL.annotatedSource, URIRef(subject))
            if self.g.value(axiom, OWL.annotatedProperty) == OBO.IAO_0000115
            for src in self.g.objects(axiom, OBO.IAO_0000119))

    def records_of(self, kind: str) -> list[Record]:
        """The records of one kind (IRI of the record class), sorted by label."""
        return sorted((r for r in self.records.values() if r.kind == kind),
                      key=lambda r: self.label(r.iri).casefold())

    def records_linking(self, target: str, kind: str, prop: str | None = None) -> list[Record]:
        """The records of ``kind`` that link to ``target`` (through ``prop`` if given)."""
        return [r for r in self.records_of(kind)
                if any(target in targets for p, targets in r.links.items()
                       if prop is None or p == prop)]

    def _closure(self, iri: str, link: URIRef, downward: bool) -> set[str]:
        found: set[str] = set()
        todo = [URIRef(iri)]
        while todo:
            node = todo.pop()
            nexts = (self.g.subjects(link, node) if downward else self.g.objects(node, link))
            for other in nexts:
                if isinstance(other, URIRef) and str(other) not in found:
                    found.add(str(other))
                    todo.append(other)
        return found

    def subclasses(self, iri: str) -> set[str]:
        """All named subclasses of a class, transitively (not including itself)."""
        return self._closure(iri, RDFS.subClassOf, downward=True)

    def superclasses(self, iri: str) -> set[str]:
        """All named superclasses of a class, transitively (not including itself)."""
        return self._closure(iri, RDFS.subClassOf, downward=False)

    def subproperties(self, iri: str) -> set[str]:
        """A property and all its named subproperties, transitively."""
        return self._closure(iri, RDFS.subPropertyOf, downward=True) | {iri}

    def relation_text(self, relation: Relation, subject_first: bool = False) -> str:
        """``'directly inhibits' some caspase-9 [PMID:1] (via BIR3; note)`` in rST."""
        quantifier = (relation.quantifier if relation.count is None
                      else f"{relation.quantifier} {relation.count}")
        parts = [self.ref(relation.subject)] if subject_first else []
        parts += [f"*{rst_escape(self.label(relation.prop))}*", rst_escape(quantifier),
                  self.ref(relation.target)]
        text = " ".join(parts)
        extras = []
        if relation.via_domain:
            extras.append("through " + self.ref(relation.via_domain))
        if relation.note:
            extras.append(rst_escape(relation.note))
        if extras:
            text += " (" + "; ".join(extras) + ")"
        if relation.sources:
            text += " " + self.sources_text(relation.sources)
        return text
