"""What every generated page needs to know about the ontology: its terms, labels, the
relations each term is declared with (with cardinality, sources and note), and the records
(findings, trials, combinations, biomarkers) that point at each term."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib import OWL, RDF, RDFS, BNode, Literal, URIRef

from iapontology.graph import PREFIXES
from iapontology.identifiers import compress, xref_url
from iapontology.sphinx.rst import link, rst_escape

__all__ = ["GENERATED", "TERM_TYPES", "Record", "Relation", "Site", "iapo", "page_name"]

GENERATED = "generated"
OBO = rdflib.Namespace(PREFIXES["obo"])
OBO_IN_OWL = rdflib.Namespace(PREFIXES["oboInOwl"])
DCTERMS = rdflib.Namespace(PREFIXES["dcterms"])
IAPO = rdflib.Namespace(PREFIXES["IAPO"])
TERM_TYPES = {
    OWL.Class: "class",
    OWL.ObjectProperty: "object property",
    OWL.AnnotationProperty: "annotation property",
    OWL.NamedIndividual: "individual",
}
# OWL restriction keyword -> how the docs say it.
_QUANTIFIERS = {
    OWL.someValuesFrom: "some",
    OWL.qualifiedCardinality: "exactly",
    OWL.minQualifiedCardinality: "at least",
    OWL.maxQualifiedCardinality: "at most",
}


def iapo(local: str) -> str:
    """The IRI of this ontology's term ``IAPO:<local>``."""
    return str(IAPO[local])


def page_name(iri: str) -> str:
    """The file stem of a term's page: its CURIE with ':' replaced, or a hash-free IRI tail."""
    curie = compress(iri) or iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return re.sub(r"[^A-Za-z0-9_.-]", "_", curie)


@dataclass(frozen=True)
class Relation:
    """One ``subject SubClassOf property <quantifier> target`` axiom with its evidence."""

    subject: str
    prop: str
    target: str
    quantifier: str = "some"
    count: int | None = None
    sources: tuple[str, ...] = ()
    note: str = ""
    via_domain: str = ""


@dataclass
class Record:
    """An n-ary record individual: its kind (class IRI), links and text values."""

    iri: str
    kind: str
    links: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    text: dict[str, str] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    xrefs: list[str] = field(default_factory=list)


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
        self.relations = self._read_relations()
        self.records = self._read_records()

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

    def _shape(self, node: BNode) -> tuple | None:
        """(property, target, quantifier, count) of a restriction node, or None."""
        g = self.g
        prop = g.value(node, OWL.onProperty)
        target = g.value(node, OWL.someValuesFrom) or g.value(node, OWL.onClass)
        if not isinstance(prop, URIRef) or not isinstance(target, URIRef):
            return None
        quantifier, count = "some", None
        for keyword, word in _QUANTIFIERS.items():
            value = g.value(node, keyword)
            if value is not None and keyword != OWL.someValuesFrom:
                quantifier, count = word, int(value)
        return str(prop), str(target), quantifier, count

    def _read_relations(self) -> dict[str, list[Relation]]:
        """Every restriction each term is declared with, with its axiom's annotations (an
        annotated axiom restates its restriction as a blank node of the same shape)."""
        g = self.g
        evidence: dict[tuple, tuple[tuple[str, ...], str, str]] = {}
        for axiom in g.subjects(RDF.type, OWL.Axiom):
            target = g.value(axiom, OWL.annotatedTarget)
            shape = self._shape(target) if isinstance(target, BNode) else None
            if shape is None:
                continue
            sources = tuple(sorted({str(s) for p in (DCTERMS.source, OBO.IAO_0000119)
                                    for s in g.objects(axiom, p)}))
            note = " ".join(sorted(str(n) for n in g.objects(axiom, RDFS.comment)))
            domain = g.value(axiom, IAPO["0000602"])
            evidence[(str(g.value(axiom, OWL.annotatedSource)), shape)] = (
                sources, note, str(domain) if domain is not None else "")
        found: dict[str, set[Relation]] = defaultdict(set)
        for link_prop in (RDFS.subClassOf, RDF.type):
            for subject, node in g.subject_objects(link_prop):
                if not isinstance(node, BNode) or not isinstance(subject, URIRef):
                    continue
                shape = self._shape(node)
                if shape is not None:
                    sources, note, via = evidence.get((str(subject), shape), ((), "", ""))
                    found[str(subject)].add(Relation(str(subject), *shape, sources, note, via))
        return {s: sorted(rs, key=lambda r: (self.label(r.prop).casefold(),
                                             self.label(r.target).casefold(), r.quantifier))
                for s, rs in found.items()}

    def _read_records(self) -> dict[str, Record]:
        """The n-ary record individuals, keyed by IRI."""
        kinds = {iapo(n) for n in ("0000450", "0000470", "0000480", "0000490")}
        records: dict[str, Record] = {}
        for kind in kinds:
            for subject in self.g.subjects(RDF.type, URIRef(kind)):
                iri = str(subject)
                record = Record(iri, kind)
                for relation in self.relations.get(iri, []):
                    record.links[relation.prop].append(relation.target)
                for prop, value in self.g.predicate_objects(subject):
                    if not str(prop).startswith(str(IAPO)):
                        continue
                    if isinstance(value, Literal):
                        record.text[str(prop)] = str(value)
                    elif self.terms.get(str(value)) == "individual":  # record to record
                        record.links[str(prop)].append(str(value))
                record.sources = self.values(iri, DCTERMS.source)
                record.xrefs = self.values(iri, OBO_IN_OWL.hasDbXref)
                records[iri] = record
        return records

    def records_of(self, kind: str) -> list[Record]:
        """The records of one kind (IRI of the record class), sorted by label."""
        return sorted((r for r in self.records.values() if r.kind == kind),
                      key=lambda r: self.label(r.iri).casefold())

    def records_linking(self, target: str, kind: str, prop: str | None = None) -> list[Record]:
        """The records of ``kind`` that link to ``target`` (through ``prop`` if given)."""
        return [r for r in self.records_of(kind)
                if any(target in targets for p, targets in r.links.items()
                       if prop is None or p == prop)]

    def subclasses(self, iri: str) -> set[str]:
        """All named subclasses of a class, transitively (not including itself)."""
        found: set[str] = set()
        todo = [URIRef(iri)]
        while todo:
            for child in self.g.subjects(RDFS.subClassOf, todo.pop()):
                if isinstance(child, URIRef) and str(child) not in found:
                    found.add(str(child))
                    todo.append(child)
        return found

    def superclasses(self, iri: str) -> set[str]:
        """All named superclasses of a class, transitively (not including itself)."""
        found: set[str] = set()
        todo = [URIRef(iri)]
        while todo:
            for parent in self.g.objects(todo.pop(), RDFS.subClassOf):
                if isinstance(parent, URIRef) and str(parent) not in found:
                    found.add(str(parent))
                    todo.append(parent)
        return found

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
