"""Read a release file with one outside tool and sum up what it saw, as sets of CURIE tuples.

Every reader returns a :class:`Summary`: term CURIEs (classes), labels, definitions,
synonyms, cross-references, parents, relationships (``property some Class``) and
individuals. Tools that write RDF (the OWL API, Owlready2, py-horned-owl) save what they
read and that text is summed up by :func:`rdf_summary`, so one piece of code interprets
RDF; pronto, fastobo, OAK and sssom-py are asked through their own APIs.

Each tool reads each file once per test session (the readers are cached); callers must not
change a returned summary.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path

import rdflib
from rdflib import OWL, RDF, RDFS, URIRef

from iapontology import vocab
from iapontology.build.exports import restrictions

OIO = rdflib.Namespace(vocab.OBO_IN_OWL)
SYNONYMS = (OIO.hasExactSynonym, OIO.hasRelatedSynonym, OIO.hasBroadSynonym,
            OIO.hasNarrowSynonym)


@dataclass
class Summary:
    """What one tool saw in one file."""

    terms: set = field(default_factory=set)
    labels: set = field(default_factory=set)
    definitions: set = field(default_factory=set)
    synonyms: set = field(default_factory=set)
    xrefs: set = field(default_factory=set)
    parents: set = field(default_factory=set)
    relationships: set = field(default_factory=set)
    individuals: set = field(default_factory=set)
    #: (subject, property, text) for the ontology's own annotation properties (gene symbol,
    #: highest phase, trial phase and status...)
    values: set = field(default_factory=set)

    def counts(self) -> dict[str, int]:
        return {f.name: len(getattr(self, f.name)) for f in fields(self)}

    def about(self, curies: set) -> Summary:
        """Only the facts whose subject is one of ``curies``."""
        out = Summary()
        for f in fields(self):
            for item in getattr(self, f.name):
                subject = item[0] if isinstance(item, tuple) else item
                if subject in curies:
                    getattr(out, f.name).add(item)
        return out

    def without_individuals(self) -> Summary:
        return self.about(self.terms)


def curie(node: object) -> str:
    """The CURIE of an IRI under the shipped prefix map (the IRI itself if none fits)."""
    return vocab.compress(str(node)) or str(node)


def rdf_summary(graph: rdflib.Graph) -> Summary:
    """The summary of an RDF graph of OWL (what rdflib, and every RDF-writing tool, saw)."""
    out = Summary()
    classes = {c for c in graph.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    people = {i for i in graph.subjects(RDF.type, OWL.NamedIndividual) if isinstance(i, URIRef)}
    out.terms = {curie(c) for c in classes}
    out.individuals = {curie(i) for i in people}
    for subject in classes | people:
        cid = curie(subject)
        out.labels |= {(cid, str(v)) for v in graph.objects(subject, RDFS.label)}
        out.definitions |= {(cid, str(v)) for v in
                            graph.objects(subject, URIRef(vocab.DEFINITION))}
        out.synonyms |= {(cid, str(v)) for p in SYNONYMS for v in graph.objects(subject, p)}
        out.xrefs |= {(cid, str(v)) for v in graph.objects(subject, OIO.hasDbXref)}
        out.values |= {(cid, curie(p), str(v)) for p, v in graph.predicate_objects(subject)
                       if curie(p).startswith(("IAPO:", "obo:IAPO_"))
                       and isinstance(v, rdflib.Literal)}
        if subject in classes:
            out.parents |= {(cid, curie(p)) for p in graph.objects(subject, RDFS.subClassOf)
                            if isinstance(p, URIRef) and p != OWL.Thing}
            out.relationships |= {(cid, curie(p), curie(t))
                                  for p, t in restrictions(graph, subject)}
    return out


@cache
def read_rdflib(path: Path) -> Summary:
    fmt = "turtle" if path.suffix == ".ttl" else "xml"
    return rdf_summary(rdflib.Graph().parse(path, format=fmt))


def read_owlapi(path: Path, scratch: Path) -> Summary:
    from iapontology.build.owlapi import convert_with_owlapi

    out = convert_with_owlapi(path, scratch / f"owlapi-{path.name}.owl")
    return rdf_summary(rdflib.Graph().parse(out, format="xml"))


@cache
def read_owlready2(path: Path) -> Summary:
    import owlready2

    world = owlready2.World()
    try:
        world.get_ontology(path.resolve().as_uri()).load()
        buffer = io.BytesIO()
        for ontology in world.ontologies.values():
            ontology.save(buffer, format="ntriples")
        graph = rdflib.Graph().parse(data=buffer.getvalue().decode("utf-8"), format="nt")
    finally:
        world.close()
    return rdf_summary(graph)


@cache
def read_horned_owl(path: Path) -> Summary:
    import pyhornedowl

    ontology = pyhornedowl.open_ontology(str(path))
    text = ontology.save_to_string("owl")
    return rdf_summary(rdflib.Graph().parse(data=text, format="xml"))


def pronto_summary(ontology) -> Summary:
    out = Summary()
    for term in ontology.terms():
        out.terms.add(term.id)
        if term.name:
            out.labels.add((term.id, term.name))
        if term.definition:
            out.definitions.add((term.id, str(term.definition)))
        out.synonyms |= {(term.id, s.description) for s in term.synonyms}
        out.xrefs |= {(term.id, x.id) for x in term.xrefs}
        out.values |= {(term.id, pv.property, getattr(pv, "literal", None) or pv.resource)
                       for pv in term.annotations}
        out.parents |= {(term.id, p.id) for p in term.superclasses(distance=1, with_self=False)}
        for relation, targets in term.relationships.items():
            out.relationships |= {(term.id, relation.id, t.id) for t in targets}
    return out


@cache
def read_pronto(path: Path) -> Summary:
    import pronto

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pronto_summary(pronto.Ontology(str(path)))


@cache
def read_fastobo(path: Path) -> Summary:
    """fastobo's syntax tree of an OBO file (Term frames; Instance frames are counted, as
    fastobo-py cannot show their clauses)."""
    import fastobo

    out = Summary()
    for frame in fastobo.load(str(path)):
        if isinstance(frame, fastobo.instance.InstanceFrame):
            out.individuals.add(len(out.individuals))  # only their number is visible
            continue
        if not isinstance(frame, fastobo.term.TermFrame):
            continue
        tid = str(frame.id)
        out.terms.add(tid)
        for clause in frame:
            if isinstance(clause, fastobo.term.NameClause):
                out.labels.add((tid, clause.name))
            elif isinstance(clause, fastobo.term.DefClause):
                out.definitions.add((tid, str(clause.definition)))
            elif isinstance(clause, fastobo.term.SynonymClause):
                out.synonyms.add((tid, str(clause.synonym.desc)))
            elif isinstance(clause, fastobo.term.XrefClause):
                out.xrefs.add((tid, str(clause.xref.id)))
            elif isinstance(clause, fastobo.term.IsAClause):
                out.parents.add((tid, str(clause.term)))
            elif isinstance(clause, fastobo.term.PropertyValueClause):
                value = clause.property_value
                out.values.add((tid, str(value.relation), str(value.value)))
            elif isinstance(clause, fastobo.term.RelationshipClause):
                out.relationships.add((tid, str(clause.typedef), str(clause.term)))
    return out


def read_oak(selector: str, prefixes: dict[str, str] | None = None) -> tuple[Summary, object]:
    """OAK (oaklib) through an adapter, once per selector and prefix map (see :func:`_read_oak`)."""
    return _read_oak(selector, tuple(sorted((prefixes or {}).items())))


@cache
def _read_oak(selector: str, prefixes: tuple[tuple[str, str], ...]) -> tuple[Summary, object]:
    """OAK (oaklib) through the adapter ``selector`` names (``pronto:...``, ``obograph:...``),
    with ``prefixes`` (the shipped context) added to its prefix map as ``runoak --prefix``
    does. Returns the summary and the adapter."""
    from oaklib import get_adapter
    from oaklib.datamodels.vocabulary import IS_A, OWL_CLASS, OWL_NAMED_INDIVIDUAL

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        adapter = get_adapter(selector)
        known = adapter.prefix_map()
        for prefix, iri in prefixes:
            if prefix not in known and iri not in known.values():
                known[prefix] = iri
        out = Summary()
        classes = set(adapter.entities(filter_obsoletes=False, owl_type=OWL_CLASS))
        people = set(adapter.entities(filter_obsoletes=False, owl_type=OWL_NAMED_INDIVIDUAL))
        for entity in classes | people:
            cid = curie_of(entity)
            (out.terms if entity in classes else out.individuals).add(cid)
            label = adapter.label(entity)
            if label:
                out.labels.add((cid, label))
            definition = adapter.definition(entity)
            if definition:
                out.definitions.add((cid, definition))
            out.synonyms |= {(cid, a) for a in adapter.entity_aliases(entity) if a != label}
            out.xrefs |= {(cid, x) for p, x in adapter.simple_mappings_by_curie(entity)
                          if p == "oio:hasDbXref"}
            out.values |= _oak_values(adapter, entity, cid)
            if entity not in classes:
                continue
            for _, predicate, target in adapter.relationships([entity]):
                if predicate == IS_A:
                    out.parents.add((cid, curie_of(target)))
                else:
                    out.relationships.add((cid, curie_of(predicate), curie_of(target)))
    return out, adapter


def _oak_values(adapter, entity: str, cid: str) -> set[tuple[str, str, str]]:
    """Own annotation values through OAK's metadata map (its OBO Graphs adapter has none)."""
    try:
        metadata = adapter.entity_metadata_map(entity)
    except NotImplementedError:
        return set()
    return {(cid, curie_of(p), str(v)) for p, values in metadata.items() for v in values
            if curie_of(p).startswith("IAPO:")}


def curie_of(text: str) -> str:
    """An identifier as a CURIE: full IRIs are shortened with the shipped prefix map."""
    if text.startswith(("http://", "https://")):
        return vocab.compress(text) or text
    return text


def read_sssom(path: Path) -> set[tuple[str, str]]:
    from sssom.parsers import parse_sssom_table

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mappings = parse_sssom_table(path)
    return set(zip(mappings.df["subject_id"], mappings.df["object_id"], strict=True))
