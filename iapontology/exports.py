"""The other members of the release set: base and full OWL, OBO 1.4 and OBO Graphs JSON.

* ``iapo-base.owl``: only the axioms about this ontology's own terms (plus the declarations
  of the reused terms they mention, so the file stays OWL 2 DL);
* ``iapo-full.owl``: the primary file with the class hierarchy inferred by HermiT added;
* ``iapo.obo`` (OBO 1.4, with an ``idspace`` for ``IAPO``) and ``iapo.json`` (OBO Graphs),
  for pronto, obonet, oaklib and the Ontology Lookup Service.

Every writer sorts what it writes, so unchanged input gives byte-identical files.
"""

from __future__ import annotations

import json
from collections import defaultdict

import rdflib
from rdflib import OWL, RDF, RDFS, BNode, Literal, URIRef

from iapontology.identifiers import IAPO_NAMESPACE, compress

OBO = rdflib.Namespace("http://purl.obolibrary.org/obo/")
OIO = rdflib.Namespace("http://www.geneontology.org/formats/oboInOwl#")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
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


def obo_text(graph: rdflib.Graph, version_iri: str) -> str:
    """OBO 1.4: a [Term] per class and a [Typedef] per object property, with definitions and
    their sources, synonyms, xrefs, is_a and relationships. The records (individuals) stay
    in the OWL, Turtle and JSON files: OBO parsers such as fastobo reject [Instance] frames."""
    labels = {s: str(o) for s, o in graph.subject_objects(RDFS.label)}
    sources = _definition_sources(graph)
    lines = ["format-version: 1.4", f"data-version: {version_iri}", "ontology: iapo",
             f"idspace: IAPO {IAPO_NAMESPACE}IAPO_ \"IAP Ontology\"",
             'property_value: http://purl.org/dc/terms/license '
             '"https://creativecommons.org/licenses/by/4.0/" xsd:string', ""]
    stanza = {"CLASS": "[Term]", "PROPERTY": "[Typedef]"}
    entities = {s: k for s, k in _entities(graph).items() if k in stanza}
    for subject, kind in sorted(entities.items(), key=lambda kv: (kv[1], _curie(kv[0]))):
        lines += [stanza[kind], f"id: {_curie(subject)}"]
        if subject in labels:
            lines.append(f"name: {labels[subject]}")
        definition = graph.value(subject, DEFINITION)
        if definition is not None:
            refs = ", ".join(sorted(sources.get(subject, [])))
            lines.append(f"def: {_quote(definition)} [{refs}]")
        for prop, scope in SYNONYMS.items():
            lines += [f"synonym: {_quote(v)} {scope} []"
                      for v in sorted(str(v) for v in graph.objects(subject, prop))]
        xrefs = sorted(str(x) for x in graph.objects(subject, OIO.hasDbXref))
        lines += [f"xref: {x}" for x in xrefs]
        parent_link = RDFS.subPropertyOf if kind == "PROPERTY" else RDFS.subClassOf
        parents = sorted(p for p in graph.objects(subject, parent_link)
                         if isinstance(p, URIRef) and p != OWL.Thing)
        for parent in parents:
            lines.append(f"is_a: {_curie(parent)} ! {labels.get(parent, '')}".rstrip(" !"))
        if kind != "PROPERTY":
            for prop, target in restrictions(graph, subject):
                lines.append(f"relationship: {_curie(prop)} {_curie(target)} ! "
                             f"{labels.get(target, '')}".rstrip(" !"))
        if (subject, OWL.deprecated, Literal(True)) in graph:
            lines.append("is_obsolete: true")
            for replacement in sorted(graph.objects(subject, OBO.IAO_0100001)):
                lines.append(f"replaced_by: {_curie(replacement)}")
        lines.append("")
    return "\n".join(lines)


def obographs_json(graph: rdflib.Graph, ontology_iri: str, version_iri: str) -> str:
    """OBO Graphs JSON: nodes with labels and meta (definition, synonyms, xrefs), edges for
    is_a and for each existential restriction."""
    labels = {s: str(o) for s, o in graph.subject_objects(RDFS.label)}
    sources = _definition_sources(graph)
    nodes, edges = [], []
    for subject, kind in sorted(_entities(graph).items(), key=lambda kv: str(kv[0])):
        meta: dict = {}
        definition = graph.value(subject, DEFINITION)
        if definition is not None:
            meta["definition"] = {"val": str(definition),
                                  "xrefs": sorted(sources.get(subject, []))}
        synonyms = [{"pred": str(prop).rsplit("#", 1)[-1], "val": str(v)}
                    for prop in SYNONYMS for v in graph.objects(subject, prop)]
        if synonyms:
            meta["synonyms"] = sorted(synonyms, key=lambda s: (s["pred"], s["val"]))
        xrefs = sorted(str(x) for x in graph.objects(subject, OIO.hasDbXref))
        if xrefs:
            meta["xrefs"] = [{"val": x} for x in xrefs]
        if (subject, OWL.deprecated, Literal(True)) in graph:
            meta["deprecated"] = True
        node = {"id": str(subject), "type": kind}
        if subject in labels:
            node["lbl"] = labels[subject]
        if meta:
            node["meta"] = meta
        nodes.append(node)
        link = RDFS.subPropertyOf if kind == "PROPERTY" else RDFS.subClassOf
        edges += [{"sub": str(subject), "pred": "is_a", "obj": str(p)}
                  for p in graph.objects(subject, link)
                  if isinstance(p, URIRef) and p != OWL.Thing]
        edges += [{"sub": str(subject), "pred": str(p), "obj": str(t)}
                  for p, t in restrictions(graph, subject)]
    document = {"graphs": [{"id": ontology_iri, "meta": {"version": version_iri},
                            "nodes": nodes,
                            "edges": sorted(edges, key=lambda e: (e["sub"], e["pred"], e["obj"]))}]}
    return json.dumps(document, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


__all__ = ["DCTERMS", "KINDS", "OBO", "OIO", "SYNONYMS", "base_graph", "obo_text",
    "obographs_json", "own", "restrictions"]
