"""Write the release files deterministically: RDF/XML from Owlready2, the rest via rdflib."""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import owlready2 as owl
import rdflib
from rdflib import BNode, URIRef

from iapontology.rdf.graph import PREFIXES

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


@contextmanager
def staging_folder(out_dir: Path) -> Iterator[Path]:
    """A new, empty folder beside ``out_dir`` (same file system), removed on leaving.

    The release set is written there whole; :func:`publish` then moves it into ``out_dir``.
    Whatever goes wrong before that, ``out_dir`` is not touched and the folder is removed.
    """
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.staging-", dir=out_dir.parent))
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def write_file(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 with ``\n`` line ends and flush it to disk."""
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def write_atomically(path: Path, text: str) -> None:
    """Write one file by writing a sibling temporary file and renaming it into place, so a
    reader sees the old file or the whole new one, never half of it."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    try:
        write_file(Path(temporary), text)
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)


def publish(stage: Path, out_dir: Path, release_names: Iterable[str]) -> list[Path]:
    """Move every file in ``stage`` into ``out_dir``; remove the other ``release_names``.

    Call only when every check has passed. Each file is renamed into place (one step per
    file, no copy), and a release file the new set does not have (``iapo-full.owl`` after a
    build without the reasoner) is deleted, so ``out_dir`` never mixes two builds. Files in
    ``out_dir`` that are not release files are left alone.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written = sorted(p.name for p in stage.iterdir() if p.is_file())
    for name in written:
        os.replace(stage / name, out_dir / name)
    for name in sorted(set(release_names) - set(written)):
        (out_dir / name).unlink(missing_ok=True)
    return [out_dir / name for name in written]


def with_inferred_parents(graph: rdflib.Graph, inferred: dict[str, list[str]],
                          inferred_types: dict[str, list[str]] | None = None) -> rdflib.Graph:
    """A copy of ``graph`` with HermiT's inferred superclasses added as subClassOf triples
    and the individuals' inferred types as rdf:type triples."""
    full = rdflib.Graph()
    for triple in graph:
        full.add(triple)
    for child, parents in inferred.items():
        for parent in parents:
            full.add((URIRef(child), rdflib.RDFS.subClassOf, URIRef(parent)))
    for individual, kinds in (inferred_types or {}).items():
        for kind in kinds:
            full.add((URIRef(individual), rdflib.RDF.type, URIRef(kind)))
    return full


def renamed_ontology(graph: rdflib.Graph, iri: str, version_iri: str) -> rdflib.Graph:
    """A copy of ``graph`` whose ontology header has its own IRI and version IRI (a release
    variant such as ``iapo-base.owl`` is a different ontology from the primary file)."""
    old = next(graph.subjects(rdflib.RDF.type, rdflib.OWL.Ontology))
    new = URIRef(iri)
    out = rdflib.Graph()
    for s, p, o in graph:
        if s == old and p == rdflib.OWL.versionIRI:
            continue
        out.add((new if s == old else s, p, new if o == old else o))
    out.add((new, rdflib.OWL.versionIRI, URIRef(version_iri)))
    return out


def owlready_rdfxml_text(graph: rdflib.Graph, iri: str) -> str:
    """RDF/XML of ``graph`` written by Owlready2, as the primary file is: typed elements
    (``owl:Ontology``, ``owl:Class``...) with nested restrictions, which pronto needs, and
    the same text for the same triples (they are loaded in sorted N-Triples order)."""
    world = owl.World()
    try:
        ontology = world.get_ontology(iri)
        ontology.load(fileobj=io.BytesIO(ntriples_text(graph).encode("utf-8")),
                      format="ntriples")
        return rdfxml_text(ontology)
    finally:
        world.close()


__all__ = ["OWLREADY_NAMESPACE", "canonical", "ntriples_text",
           "owlready_rdfxml_text", "publish", "rdfxml_text", "renamed_ontology",
           "staging_folder", "turtle_text", "with_inferred_parents", "write_atomically",
           "write_file"]
