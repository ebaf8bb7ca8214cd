"""The relation-graph view: plain ``C p D`` triples for OWL existential restrictions.

For every axiom ``C SubClassOf p some D`` (or a qualified ``min``/``exactly`` n >= 1
restriction) the view holds ``C p D``, also for every subclass of C, every super-property of
p and every superclass of D (as Ubergraph does), so that SPARQL reads
``?iap RO:0002449 ?caspase`` instead of walking blank nodes. Only named classes take part;
``owl:Thing`` is left out. Individuals typed by such a restriction (the records of findings,
trials...) get the same plain triples. The OWL file itself is not changed.

Those triples cannot tell the value a record states from the superclasses the view adds, so
the view also holds the asserted links alone (Ubergraph's non-redundant graph, kept in the
same graph under other predicates): ``C asserted:p D`` for each restriction on C itself,
declared a sub-property of p. A question reads a finding's own cancer with one look-up
instead of walking the finding's restrictions. The predicate is :data:`ASSERTED` plus the
local name of an OBO Library or IAPO property (``asserted:IAPO_0000512`` for IAPO:0000512,
``asserted:RO_0002436``), and plus ``iri/`` and the percent-encoded IRI of any other
property, so that two properties never share one and loading an ontology never fails.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from urllib.parse import quote

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef

from iapontology.vocab import ASSERTED, IAPO_NAMESPACE, OBO

_AT_LEAST_ONE = (OWL.someValuesFrom,)
#: An OBO-style identifier (``RO_0002436``): unique within its namespace by construction.
_OBO_ID = re.compile(r"[A-Za-z][A-Za-z0-9]*_[0-9]+")
_COUNTED = (OWL.minQualifiedCardinality, OWL.qualifiedCardinality)


def _closure(pairs: Iterable[tuple[URIRef, URIRef]]) -> dict[URIRef, set[URIRef]]:
    """Reflexive-transitive closure of a child -> parent relation."""
    parents: dict[URIRef, set[URIRef]] = defaultdict(set)
    nodes: set[URIRef] = set()
    for child, parent in pairs:
        parents[child].add(parent)
        nodes.update((child, parent))
    closed: dict[URIRef, set[URIRef]] = {}

    def ancestors(node: URIRef, path: frozenset[URIRef] = frozenset()) -> set[URIRef]:
        if node in closed:
            return closed[node]
        found = {node}
        for parent in parents.get(node, ()):
            if parent not in path:
                found |= ancestors(parent, path | {node})
        closed[node] = found
        return found

    for node in nodes:
        ancestors(node)
    return closed


def _named(graph: Graph, predicate: URIRef) -> Iterator[tuple[URIRef, URIRef]]:
    for child, parent in graph.subject_objects(predicate):
        if isinstance(child, URIRef) and isinstance(parent, URIRef) and parent != OWL.Thing:
            yield child, parent


def _existentials(
    graph: Graph, link: URIRef = RDFS.subClassOf
) -> Iterator[tuple[URIRef, URIRef, URIRef]]:
    """(C, p, D) for each named C SubClassOf (or, with ``link=RDF.type``, each individual
    typed by) an at-least-one restriction on p to a named D."""
    for cls, restriction in graph.subject_objects(link):
        if not isinstance(cls, URIRef) or not isinstance(restriction, BNode):
            continue
        prop = graph.value(restriction, OWL.onProperty)
        if not isinstance(prop, URIRef):
            continue
        target = graph.value(restriction, OWL.someValuesFrom)
        if target is None:
            counted = [graph.value(restriction, c) for c in _COUNTED]
            if any(isinstance(n, Literal) and int(n) >= 1 for n in counted):
                target = graph.value(restriction, OWL.onClass)
        if isinstance(target, URIRef) and target != OWL.Thing:
            yield cls, prop, target


def asserted_property(prop: URIRef) -> URIRef:
    """The predicate of the asserted links on ``prop``: :data:`ASSERTED` + the identifier of
    an OBO Library or IAPO property (``RO_0002436``, ``IAPO_0000512``), else ``iri/`` + the
    whole IRI percent-encoded. Two properties never get the same one."""
    iri = str(prop)
    for namespace, own in ((IAPO_NAMESPACE, True), (OBO, False)):
        local = iri[len(namespace):] if iri.startswith(namespace) else ""
        if _OBO_ID.fullmatch(local) and local.startswith("IAPO_") == own:
            return URIRef(ASSERTED + local)
    return URIRef(ASSERTED + "iri/" + quote(iri, safe=""))


def asserted_triples(graph: Graph) -> set[tuple[URIRef, URIRef, URIRef]]:
    """The asserted links of the OWL ``graph``: ``C asserted:p D`` for each at-least-one
    restriction on a named class or individual C itself, and ``asserted:p
    rdfs:subPropertyOf p`` for each such p (:func:`asserted_property` names them)."""
    return _asserted([*_existentials(graph), *_existentials(graph, RDF.type)])


def _asserted(
    axioms: Iterable[tuple[URIRef, URIRef, URIRef]],
) -> set[tuple[URIRef, URIRef, URIRef]]:
    """The asserted links of (subject, property, target) restrictions, with declarations."""
    triples: set[tuple[URIRef, URIRef, URIRef]] = set()
    named: dict[URIRef, URIRef] = {}
    for subject, prop, target in axioms:
        if prop not in named:
            named[prop] = asserted_property(prop)
        triples.add((subject, named[prop], target))
    triples.update((asserted, RDFS.subPropertyOf, prop) for prop, asserted in named.items())
    return triples


def relation_triples(graph: Graph) -> set[tuple[URIRef, URIRef, URIRef]]:
    """All plain triples of the relation-graph view of the OWL ``graph``, the asserted
    links (:func:`asserted_triples`) included."""
    superclasses = _closure(_named(graph, RDFS.subClassOf))
    superproperties = _closure(_named(graph, RDFS.subPropertyOf))
    subclasses: dict[URIRef, set[URIRef]] = defaultdict(set)
    for child, ancestors in superclasses.items():
        for ancestor in ancestors:
            subclasses[ancestor].add(child)
    on_classes = list(_existentials(graph))
    on_individuals = list(_existentials(graph, RDF.type))
    triples: set[tuple[URIRef, URIRef, URIRef]] = set()
    for cls, prop, target in on_classes:
        for subject in subclasses.get(cls, {cls}) | {cls}:
            for predicate in superproperties.get(prop, {prop}):
                for obj in superclasses.get(target, {target}):
                    triples.add((subject, predicate, obj))
    for individual, prop, target in on_individuals:
        for predicate in superproperties.get(prop, {prop}):
            for obj in superclasses.get(target, {target}):
                triples.add((individual, predicate, obj))
    return triples | _asserted(on_classes + on_individuals)


def add_relation_view(graph: Graph) -> Graph:
    """Add the relation-graph triples of ``graph`` to it, in place, and return it."""
    for triple in relation_triples(graph):
        graph.add(triple)
    return graph


__all__ = ["add_relation_view", "asserted_property", "asserted_triples", "relation_triples"]
