"""The evidence the pages show, read once from the graph: every relation a term is declared
with (quantifier, cardinality, sources, note, domain) and every n-ary record with its links."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import rdflib
from rdflib import OWL, RDF, RDFS, BNode, Literal, URIRef

from iapontology.rdf.graph import PREFIXES

__all__ = ["RECORD_KINDS", "Record", "Relation", "read_records", "read_relations"]

OBO = rdflib.Namespace(PREFIXES["obo"])
OBO_IN_OWL = rdflib.Namespace(PREFIXES["oboInOwl"])
DCTERMS = rdflib.Namespace(PREFIXES["dcterms"])
IAPO = rdflib.Namespace(PREFIXES["IAPO"])
#: finding, trial, combination and biomarker: the classes whose individuals are records
RECORD_KINDS = tuple(str(IAPO[n]) for n in ("0000450", "0000470", "0000480", "0000490"))
# OWL restriction keyword -> how the docs say it.
_QUANTIFIERS = {
    OWL.someValuesFrom: "some",
    OWL.qualifiedCardinality: "exactly",
    OWL.minQualifiedCardinality: "at least",
    OWL.maxQualifiedCardinality: "at most",
}


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


def _shape(g: rdflib.Graph, node: BNode) -> tuple | None:
    """(property, target, quantifier, count) of a restriction node, or None."""
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


def read_relations(g: rdflib.Graph, label: Callable[[str], str]) -> dict[str, list[Relation]]:
    """Every restriction each term is declared with, with its axiom's annotations (an
    annotated axiom restates its restriction as a blank node of the same shape)."""
    evidence: dict[tuple, tuple[tuple[str, ...], str, str]] = {}
    for axiom in g.subjects(RDF.type, OWL.Axiom):
        target = g.value(axiom, OWL.annotatedTarget)
        shape = _shape(g, target) if isinstance(target, BNode) else None
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
            shape = _shape(g, node)
            if shape is not None:
                sources, note, via = evidence.get((str(subject), shape), ((), "", ""))
                found[str(subject)].add(Relation(str(subject), *shape, sources, note, via))
    return {s: sorted(rs, key=lambda r: (label(r.prop).casefold(),
                                         label(r.target).casefold(), r.quantifier))
            for s, rs in found.items()}


def read_records(g: rdflib.Graph, terms: dict[str, str],
                 relations: dict[str, list[Relation]]) -> dict[str, Record]:
    """The n-ary record individuals, keyed by IRI."""
    records: dict[str, Record] = {}
    for kind in RECORD_KINDS:
        for subject in g.subjects(RDF.type, URIRef(kind)):
            iri = str(subject)
            record = Record(iri, kind)
            for relation in relations.get(iri, []):
                record.links[relation.prop].append(relation.target)
            for prop, value in g.predicate_objects(subject):
                if not str(prop).startswith(str(IAPO)):
                    continue
                if isinstance(value, Literal):
                    record.text[str(prop)] = str(value)
                elif terms.get(str(value)) == "individual":  # record to record
                    record.links[str(prop)].append(str(value))
            record.sources = sorted(str(v) for v in g.objects(subject, DCTERMS.source))
            record.xrefs = sorted(str(v) for v in g.objects(subject, OBO_IN_OWL.hasDbXref))
            records[iri] = record
    return records
