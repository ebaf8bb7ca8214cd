"""The relation-graph view: plain ``C p D`` triples for OWL existential restrictions.

For every axiom ``C SubClassOf p some D`` (or a qualified ``min``/``exactly`` n >= 1
restriction) the view holds ``C p D``, also for every subclass of C, every super-property of
p and every superclass of D (as Ubergraph does), so that SPARQL reads
``?iap RO:0002449 ?caspase`` instead of walking blank nodes. Only named classes take part;
``owl:Thing`` is left out. Individuals typed by such a restriction (the records of findings,
trials...) get the same plain triples. The OWL file itself is not changed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef

_AT_LEAST_ONE = (OWL.someValuesFrom,)
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


def relation_triples(graph: Graph) -> set[tuple[URIRef, URIRef, URIRef]]:
    """All plain triples of the relation-graph view of the OWL ``graph``."""
    superclasses = _closure(_named(graph, RDFS.subClassOf))
    superproperties = _closure(_named(graph, RDFS.subPropertyOf))
    subclasses: dict[URIRef, set[URIRef]] = defaultdict(set)
    for child, ancestors in superclasses.items():
        for ancestor in ancestors:
            subclasses[ancestor].add(child)
    triples: set[tuple[URIRef, URIRef, URIRef]] = set()
    for cls, prop, target in _existentials(graph):
        for subject in subclasses.get(cls, {cls}) | {cls}:
            for predicate in superproperties.get(prop, {prop}):
                for obj in superclasses.get(target, {target}):
                    triples.add((subject, predicate, obj))
    for individual, prop, target in _existentials(graph, RDF.type):
        for predicate in superproperties.get(prop, {prop}):
            for obj in superclasses.get(target, {target}):
                triples.add((individual, predicate, obj))
    return triples


def add_relation_view(graph: Graph) -> Graph:
    """Add the relation-graph triples of ``graph`` to it, in place, and return it."""
    for triple in relation_triples(graph):
        graph.add(triple)
    return graph


__all__ = ["add_relation_view", "relation_triples"]
