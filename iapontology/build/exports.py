"""The other members of the release set: base and full OWL, OBO 1.4 and OBO Graphs JSON.

* ``iapo-base.owl``: only the axioms about this ontology's own terms (plus the declarations
  of the reused terms they mention, so the file stays OWL 2 DL);
* ``iapo.obo`` (OBO 1.4, with an ``idspace`` for ``IAPO``; records as ``[Instance]`` frames)
  and ``iapo.json`` (OBO Graphs, with the header, records and their links), for pronto,
  fastobo, oaklib and the Ontology Lookup Service. What each tool reads of each file is in
  docs/release-files.rst.

Every writer sorts what it writes, so unchanged input gives byte-identical files.
"""

from __future__ import annotations

import json
from collections import defaultdict

import rdflib
from rdflib import OWL, RDF, RDFS, XSD, BNode, Literal, URIRef

from iapontology import vocab
from iapontology.identifiers import IAPO_NAMESPACE, compress

__all__ = ["DCTERMS", "KINDS", "OBO", "OIO", "SYNONYMS", "base_graph", "header_values",
           "obo_header", "obo_text", "obographs_json", "own", "own_annotation_properties",
           "property_values", "restrictions"]

OBO = rdflib.Namespace(vocab.OBO)
OIO = rdflib.Namespace(vocab.OBO_IN_OWL)
DCTERMS = rdflib.Namespace(vocab.DCTERMS)
DEFINITION, DEFINITION_SOURCE = OBO.IAO_0000115, OBO.IAO_0000119
SYNONYMS = {OIO.hasExactSynonym: "EXACT", OIO.hasRelatedSynonym: "RELATED",
            OIO.hasBroadSynonym: "BROAD", OIO.hasNarrowSynonym: "NARROW"}
KINDS = {OWL.Class: "CLASS", OWL.ObjectProperty: "PROPERTY", OWL.NamedIndividual: "INDIVIDUAL"}


def own(term: object) -> bool:
    """True for this ontology's own IRIs."""
    return isinstance(term, URIRef) and str(term).startswith(IAPO_NAMESPACE)


def _reachable_bnodes(graph: rdflib.Graph, roots: set) -> set[BNode]:
    found: set[BNode] = set()
    todo = [o for r in roots for o in graph.objects(r, None) if isinstance(o, BNode)]
    while todo:
        node = todo.pop()
        if node not in found:
            found.add(node)
            todo += [o for o in graph.objects(node, None) if isinstance(o, BNode)]
    return found


def base_graph(graph: rdflib.Graph) -> rdflib.Graph:
    """The axioms about own terms, the ontology header, and declarations of what they use."""
    ontology = next(graph.subjects(RDF.type, OWL.Ontology))
    subjects = {s for s in graph.subjects() if own(s)} | {ontology}
    axioms = {a for a in graph.subjects(RDF.type, OWL.Axiom)
              if own(graph.value(a, OWL.annotatedSource))}
    keep = subjects | axioms
    keep |= _reachable_bnodes(graph, keep)
    base = rdflib.Graph()
    for s, p, o in graph:
        if s in keep:
            base.add((s, p, o))
    used = {t for triple in base for t in triple if isinstance(t, URIRef)}
    for term in used - subjects:
        for kind in graph.objects(term, RDF.type):
            base.add((term, RDF.type, kind))
    return base


def _curie(term: object) -> str:
    return compress(str(term)) or str(term)


def _quote(text: object) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _entities(graph: rdflib.Graph) -> dict[URIRef, str]:
    found: dict[URIRef, str] = {}
    for kind, name in KINDS.items():
        for subject in graph.subjects(RDF.type, kind):
            if isinstance(subject, URIRef):
                found.setdefault(subject, name)
    return found


def _definition_sources(graph: rdflib.Graph) -> dict[URIRef, list[str]]:
    sources: dict[URIRef, list[str]] = defaultdict(list)
    for axiom in graph.subjects(OWL.annotatedProperty, DEFINITION):
        subject = graph.value(axiom, OWL.annotatedSource)
        sources[subject] += [str(s) for s in graph.objects(axiom, DEFINITION_SOURCE)]
    return sources


def restrictions(graph: rdflib.Graph, subject: URIRef) -> list[tuple[URIRef, URIRef]]:
    """(property, target) of each existential or qualified restriction a class is a
    subclass of, or an individual is typed by, with a named target; sorted."""
    found = []
    for link in (RDFS.subClassOf, RDF.type):
        for node in graph.objects(subject, link):
            if isinstance(node, BNode):
                prop = graph.value(node, OWL.onProperty)
                target = graph.value(node, OWL.someValuesFrom) or graph.value(node, OWL.onClass)
                if isinstance(prop, URIRef) and isinstance(target, URIRef):
                    found.append((prop, target))
    return sorted(set(found))


#: Header annotations written with an IRI value rather than a text.
_SKIP_HEADER = {RDF.type, OWL.versionIRI, OWL.imports}


def header_values(graph: rdflib.Graph) -> list[tuple[URIRef, object]]:
    """(property, value) of every annotation on the ontology header, sorted; the
    version IRI and imports are left out (each format has its own place for them)."""
    ontology = next(graph.subjects(RDF.type, OWL.Ontology))
    return sorted(((p, o) for p, o in graph.predicate_objects(ontology)
                   if p not in _SKIP_HEADER and not isinstance(o, BNode)),
                  key=lambda po: (str(po[0]), str(po[1])))


def own_annotation_properties(graph: rdflib.Graph) -> list[URIRef]:
    """This ontology's own annotation properties (gene symbol, trial phase...), sorted."""
    return sorted(p for p in graph.subjects(RDF.type, OWL.AnnotationProperty) if own(p))


def property_values(graph: rdflib.Graph, subject: URIRef) -> list[tuple[URIRef, object]]:
    """(property, value) of the entity's own-property annotations and its dcterms:source
    values: what OBO writes as ``property_value`` and OBO Graphs as basicPropertyValues."""
    found = [(p, o) for p in [*own_annotation_properties(graph), DCTERMS.source]
             for o in graph.objects(subject, p) if not isinstance(o, BNode)]
    return sorted(found, key=lambda po: (str(po[0]), str(po[1])))


def _obo_value(prop: URIRef, value: object) -> str:
    """One ``property_value`` clause: a CURIE or IRI value bare, a text quoted and typed."""
    name = _curie(prop) if own(prop) or str(prop).startswith(str(OWL)) else str(prop)
    if isinstance(value, URIRef):
        text = _curie(value) if str(value).startswith(vocab.IAPO) else str(value)
        return f"property_value: {name} {text}"
    datatype = "xsd:boolean" if isinstance(value, Literal) and value.datatype == XSD.boolean \
        else "xsd:string"
    return f"property_value: {name} {_quote(value)} {datatype}"


def obo_header(graph: rdflib.Graph, meta: dict) -> list[str]:
    """The OBO 1.4 header: a version string (not an IRI) as data-version, the IAPO idspace,
    and every header annotation of the OWL file as a ``property_value``."""
    lines = ["format-version: 1.4", f"data-version: {meta['version']}",
             f"date: {_obo_date(meta['release_date'])}",
             f"idspace: IAPO {vocab.IAPO} \"IAP Ontology\"", "ontology: iapo"]
    lines += [_obo_value(p, o) for p, o in header_values(graph)]
    return [*lines, ""]


def _obo_date(iso: str) -> str:
    """OBO's header date (``dd:MM:yyyy HH:mm``) for an ISO release date."""
    year, month, day = str(iso).split("-")
    return f"{day}:{month}:{year} 00:00"


def _obo_common(graph: rdflib.Graph, subject: URIRef, labels: dict, sources: dict) -> list[str]:
    """name, def (with its sources), synonyms and xrefs, shared by every frame kind."""
    lines = []
    if subject in labels:
        lines.append(f"name: {labels[subject]}")
    definition = graph.value(subject, DEFINITION)
    if definition is not None:
        refs = ", ".join(sorted(sources.get(subject, [])))
        lines.append(f"def: {_quote(definition)} [{refs}]")
    comment = graph.value(subject, RDFS.comment)
    if comment is not None:
        lines.append(f"comment: {_one_line(comment)}")
    for prop, scope in SYNONYMS.items():
        lines += [f"synonym: {_quote(v)} {scope} []"
                  for v in sorted(str(v) for v in graph.objects(subject, prop))]
    lines += [f"xref: {x}" for x in sorted(str(x) for x in graph.objects(subject, OIO.hasDbXref))]
    return lines


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def _named(graph: rdflib.Graph, subject: URIRef, link: URIRef) -> list[URIRef]:
    return sorted(p for p in graph.objects(subject, link)
                  if isinstance(p, URIRef) and p not in (OWL.Thing, OWL.NamedIndividual))


def obo_text(graph: rdflib.Graph, meta: dict) -> str:
    """OBO 1.4: a [Term] per class, a [Typedef] per property and an [Instance] per record.

    Terms carry definitions with their sources, synonyms, xrefs, is_a, relationships (one
    per existential restriction) and property values; own annotation properties are
    Typedefs with ``is_metadata_tag``. Instances carry ``instance_of`` their named types
    and their property values. A record's ``property some Class`` types have no OBO 1.4
    form (``relationship:`` in an [Instance] links two individuals), so they stay in the
    OWL, Turtle and JSON files: see docs/release-files.rst.
    """
    labels = {s: str(o) for s, o in graph.subject_objects(RDFS.label)}
    sources = _definition_sources(graph)
    lines = obo_header(graph, meta)
    annotation_props = set(own_annotation_properties(graph))
    entities = {s: k for s, k in _entities(graph).items()}
    entities.update({p: "ANNOTATION" for p in annotation_props})
    order = {"CLASS": 0, "PROPERTY": 1, "ANNOTATION": 1, "INDIVIDUAL": 2}
    stanza = {"CLASS": "[Term]", "PROPERTY": "[Typedef]", "ANNOTATION": "[Typedef]",
              "INDIVIDUAL": "[Instance]"}
    for subject, kind in sorted(entities.items(), key=lambda kv: (order[kv[1]], _curie(kv[0]))):
        lines += [stanza[kind], f"id: {_curie(subject)}"]
        lines += _obo_common(graph, subject, labels, sources)
        if kind == "INDIVIDUAL":
            for cls in _named(graph, subject, RDF.type):
                lines.append(_with_label(f"instance_of: {_curie(cls)}", labels.get(cls)))
        else:
            link = RDFS.subClassOf if kind == "CLASS" else RDFS.subPropertyOf
            for parent in _named(graph, subject, link):
                lines.append(_with_label(f"is_a: {_curie(parent)}", labels.get(parent)))
        if kind == "CLASS":
            for prop, target in restrictions(graph, subject):
                lines.append(_with_label(f"relationship: {_curie(prop)} {_curie(target)}",
                                         labels.get(target)))
        if kind == "ANNOTATION":
            lines.append("is_metadata_tag: true")
        lines += [_obo_value(p, o) for p, o in property_values(graph, subject)]
        if (subject, OWL.deprecated, Literal(True)) in graph:
            lines.append("is_obsolete: true")
            for replacement in sorted(graph.objects(subject, OBO.IAO_0100001)):
                lines.append(f"replaced_by: {_curie(replacement)}")
        lines.append("")
    return "\n".join(lines)


def _with_label(clause: str, label: str | None) -> str:
    return f"{clause} ! {label}" if label else clause


def _bpv(prop: URIRef, value: object) -> dict:
    return {"pred": str(prop), "val": str(value)}


def obographs_json(graph: rdflib.Graph, meta: dict) -> str:
    """OBO Graphs JSON: the header annotations as graph meta; a node per class, property
    and individual with its definition, synonyms, xrefs and property values; edges for
    is_a, each existential restriction, and each individual's named and restriction types
    (``type`` edges, as the OWL API's OBO Graphs writer gives them)."""
    labels = {s: str(o) for s, o in graph.subject_objects(RDFS.label)}
    sources = _definition_sources(graph)
    entities = dict(_entities(graph))
    entities.update({p: "PROPERTY" for p in own_annotation_properties(graph)})
    nodes, edges = [], []
    for subject, kind in sorted(entities.items(), key=lambda kv: str(kv[0])):
        node_meta: dict = {}
        definition = graph.value(subject, DEFINITION)
        if definition is not None:
            node_meta["definition"] = {"val": str(definition),
                                       "xrefs": sorted(sources.get(subject, []))}
        comments = sorted(str(c) for c in graph.objects(subject, RDFS.comment))
        if comments:
            node_meta["comments"] = comments
        synonyms = [{"pred": str(prop).rsplit("#", 1)[-1], "val": str(v)}
                    for prop in SYNONYMS for v in graph.objects(subject, prop)]
        if synonyms:
            node_meta["synonyms"] = sorted(synonyms, key=lambda s: (s["pred"], s["val"]))
        xrefs = sorted(str(x) for x in graph.objects(subject, OIO.hasDbXref))
        if xrefs:
            node_meta["xrefs"] = [{"val": x} for x in xrefs]
        values = [_bpv(p, o) for p, o in property_values(graph, subject)]
        values += [_bpv(OBO.IAO_0100001, r) for r in sorted(graph.objects(subject,
                                                                           OBO.IAO_0100001))]
        if values:
            node_meta["basicPropertyValues"] = values
        if (subject, OWL.deprecated, Literal(True)) in graph:
            node_meta["deprecated"] = True
        node = {"id": str(subject), "type": kind}
        if (subject, RDF.type, OWL.AnnotationProperty) in graph:
            node["propertyType"] = "ANNOTATION"
        elif kind == "PROPERTY":
            node["propertyType"] = "OBJECT"
        if subject in labels:
            node["lbl"] = labels[subject]
        if node_meta:
            node["meta"] = node_meta
        nodes.append(node)
        if kind == "INDIVIDUAL":
            edges += [{"sub": str(subject), "pred": "type", "obj": str(c)}
                      for c in _named(graph, subject, RDF.type)]
        else:
            link = RDFS.subPropertyOf if kind == "PROPERTY" else RDFS.subClassOf
            edges += [{"sub": str(subject), "pred": "is_a", "obj": str(p)}
                      for p in _named(graph, subject, link)]
        edges += [{"sub": str(subject), "pred": str(p), "obj": str(t)}
                  for p, t in restrictions(graph, subject)]
    graph_meta = {"version": meta["version_iri"],
                  "basicPropertyValues": [_bpv(p, o) for p, o in header_values(graph)]}
    document = {"graphs": [{"id": meta["iri"], "meta": graph_meta, "nodes": nodes,
                            "edges": sorted(edges, key=lambda e: (e["sub"], e["pred"],
                                                                  e["obj"]))}]}
    return json.dumps(document, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
