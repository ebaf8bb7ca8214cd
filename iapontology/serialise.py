"""Write the release files deterministically: RDF/XML from Owlready2, the rest via rdflib."""

from __future__ import annotations

import re
from pathlib import Path

import owlready2 as owl
import rdflib
from rdflib.compare import to_canonical_graph

from iapontology.graph import PREFIXES

#: Owlready2 marks plain strings as xsd:string; RDF 1.1 says a simple literal is the same,
#: and rdflib only matches ``"XIAP"`` against the simple form, so the files use that.
_XSD_STRING = re.compile(r' rdf:datatype="http://www\.w3\.org/2001/XMLSchema#string"')
#: Owlready2's own bookkeeping namespace, never part of a released file.
OWLREADY_NAMESPACE = "http://www.lesfleursdunormal.fr/static/_downloads/owlready_ontology.owl#"


def rdfxml_text(ontology: owl.Ontology) -> str:
    """The ontology as RDF/XML text, without Owlready2 bookkeeping or xsd:string typing."""
    import io

    buffer = io.BytesIO()
    ontology.save(buffer, format="rdfxml")
    text = buffer.getvalue().decode("utf-8")
    text = _XSD_STRING.sub("", text)
    if OWLREADY_NAMESPACE in text:
        text = "\n".join(line for line in text.splitlines() if OWLREADY_NAMESPACE not in line)
        text += "\n"
    return text


def canonical(graph: rdflib.Graph) -> rdflib.Graph:
    """A copy of ``graph`` whose blank nodes have content-derived, repeatable names."""
    result = rdflib.Graph()
    for triple in to_canonical_graph(graph):
        result.add(triple)
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
