"""Write the release files deterministically: RDF/XML from Owlready2, the rest via rdflib."""

from __future__ import annotations

import hashlib
import io
import re
from collections import defaultdict
from pathlib import Path

import owlready2 as owl
import rdflib
from rdflib import BNode, URIRef

from iapontology.graph import PREFIXES

#: Owlready2 marks plain strings as xsd:string; RDF 1.1 says a simple literal is the same,
#: and rdflib only matches ``"XIAP"`` against the simple form, so the files use that.
_XSD_STRING = re.compile(r' rdf:datatype="http://www\.w3\.org/2001/XMLSchema#string"')
#: Owlready2's own bookkeeping namespace, never part of a released file.
OWLREADY_NAMESPACE = "http://www.lesfleursdunormal.fr/static/_downloads/owlready_ontology.owl#"


def rdfxml_text(ontology: owl.Ontology) -> str:
    """The ontology as RDF/XML text, without Owlready2 bookkeeping or xsd:string typing."""
    buffer = io.BytesIO()
    ontology.save(buffer, format="rdfxml")
    text = buffer.getvalue().decode("utf-8")
    text = _XSD_STRING.sub("", text)
    if OWLREADY_NAMESPACE in text:
        text = "\n".join(line for line in text.splitlines() if OWLREADY_NAMESPACE not in line)
        text += "\n"
    return text


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def _term(node, seen: frozenset, label) -> str:
    """A term's text for hashing: its label() if it is an unvisited blank node, else N3."""
    if isinstance(node, BNode) and node not in seen:
        return label(node, seen)
    return node.n3()


def canonical(graph: rdflib.Graph) -> rdflib.Graph:
    """A copy of ``graph`` whose blank nodes have content-derived, repeatable names.

    OWL's blank nodes form trees (restrictions, lists, axiom annotations). Each one is named
    by a hash of its own triples, with child blank nodes standing for their names (bottom
    up), then of the edge that leads to it (top down), so two identical copies of a
    restriction under different parents keep different names. This is linear in the graph
    size, unlike general RDF canonicalisation, and gives the same names for the same input.
    """
    outgoing: dict[BNode, list[tuple]] = defaultdict(list)
    parents: dict[BNode, list[tuple]] = defaultdict(list)
    for s, p, o in graph:
        if isinstance(s, BNode):
            outgoing[s].append((p, o))
        if isinstance(o, BNode):
            parents[o].append((s, p))
    content: dict[BNode, str] = {}

    def content_of(node: BNode, seen: frozenset = frozenset()) -> str:
        if node not in content:
            inner = seen | {node}
            parts = sorted(
                f"{p.n3()} {_term(o, inner, content_of)}" for p, o in outgoing.get(node, [])
            )
            content[node] = _digest(*parts)
        return content[node]

    names: dict[BNode, str] = {}

    def name_of(node: BNode, seen: frozenset = frozenset()) -> str:
        if node not in names:
            inner = seen | {node}
            edges = sorted(
                f"{_term(s, inner, name_of)} {p.n3()}" for s, p in parents.get(node, [])
            )
            names[node] = "b" + _digest(content_of(node), *edges)
        return names[node]

    def rename(term):
        return BNode(name_of(term)) if isinstance(term, BNode) else term

    result = rdflib.Graph()
    for s, p, o in graph:
        result.add((rename(s), p, rename(o)))
    return result


def turtle_text(graph: rdflib.Graph) -> str:
    """Turtle with the ontology's prefixes and repeatable blank-node names."""
    out = canonical(graph)
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, namespace)
    return out.serialize(format="turtle")


def ntriples_text(graph: rdflib.Graph) -> str:
    """Sorted N-Triples with repeatable blank-node names (fastest format to load)."""
    lines = canonical(graph).serialize(format="nt").splitlines()
    return "\n".join(sorted(line for line in lines if line.strip())) + "\n"


def write_atomically(files: dict[Path, str]) -> None:
    """Write every file to a temporary name first, then rename them all into place.

    If anything fails before the renames, the old files are left as they were.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for target, text in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.tmp")
            temporary.write_text(text, encoding="utf-8")
            staged.append((temporary, target))
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
    for temporary, target in staged:
        temporary.replace(target)


def flat_rdfxml_text(graph: rdflib.Graph) -> str:
    """RDF/XML with one ``rdf:Description`` per subject, sorted, blank nodes as
    ``rdf:nodeID`` with content-derived names: valid for the OWL API and byte-stable."""
    from xml.sax.saxutils import escape, quoteattr

    graph = canonical(graph)
    namespaces: dict[str, str] = {}

    def qname(predicate: URIRef) -> str:
        text = str(predicate)
        cut = max(text.rfind("#"), text.rfind("/")) + 1
        namespace, local = text[:cut], text[cut:]
        if namespace not in namespaces:
            namespaces[namespace] = f"ns{len(namespaces)}"
        return f"{namespaces[namespace]}:{local}"

    def node_attr(node) -> str:
        if isinstance(node, BNode):
            return f"rdf:nodeID={quoteattr(str(node))}"
        return f"rdf:about={quoteattr(str(node))}"

    body: list[str] = []
    subjects = sorted(set(graph.subjects()), key=lambda n: (isinstance(n, BNode), str(n)))
    for subject in subjects:
        body.append(f"  <rdf:Description {node_attr(subject)}>")
        for predicate, obj in sorted(graph.predicate_objects(subject),
                                     key=lambda po: (str(po[0]), po[1].n3())):
            name = qname(predicate)
            if isinstance(obj, BNode):
                body.append(f"    <{name} rdf:nodeID={quoteattr(str(obj))}/>")
            elif isinstance(obj, URIRef):
                body.append(f"    <{name} rdf:resource={quoteattr(str(obj))}/>")
            else:
                attr = (f" xml:lang={quoteattr(obj.language)}" if obj.language else
                        f" rdf:datatype={quoteattr(str(obj.datatype))}" if obj.datatype else "")
                body.append(f"    <{name}{attr}>{escape(str(obj))}</{name}>")
        body.append("  </rdf:Description>")
    declarations = "".join(f'\n         xmlns:{prefix}={quoteattr(ns)}'
                           for ns, prefix in sorted(namespaces.items(), key=lambda kv: kv[1]))
    head = ('<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF '
            'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"' + declarations + ">")
    return "\n".join([head, *body, "</rdf:RDF>"]) + "\n"


def with_inferred_parents(graph: rdflib.Graph, inferred: dict[str, list[str]]) -> rdflib.Graph:
    """A copy of ``graph`` with HermiT's inferred superclasses added as subClassOf triples."""
    full = rdflib.Graph()
    for triple in graph:
        full.add(triple)
    for child, parents in inferred.items():
        for parent in parents:
            full.add((URIRef(child), rdflib.RDFS.subClassOf, URIRef(parent)))
    return full


__all__ = ["OWLREADY_NAMESPACE", "canonical", "flat_rdfxml_text", "ntriples_text", "rdfxml_text",
    "turtle_text", "with_inferred_parents", "write_atomically"]
