"""Look terms up by label, synonym, gene symbol, cross-reference or CURIE."""

from __future__ import annotations

import difflib
import warnings
from dataclasses import dataclass, field
from functools import lru_cache

import rdflib
from rdflib import OWL, RDF, RDFS, Literal, URIRef

from iapontology import vocab
from iapontology.identifiers import compress, split_curie
from iapontology.rdf.graph import PREFIXES, graph, query

OBO_IN_OWL = rdflib.Namespace(PREFIXES["oboInOwl"])
OBO = rdflib.Namespace(PREFIXES["obo"])
HGNC_SYMBOL = URIRef(vocab.HGNC_SYMBOL)

#: Properties whose values name a term, best first (a label beats a synonym).
_NAMING = (RDFS.label, HGNC_SYMBOL, OBO_IN_OWL.hasExactSynonym, OBO_IN_OWL.hasRelatedSynonym,
           OBO_IN_OWL.hasDbXref)


@dataclass(frozen=True)
class Term:
    """A class, property or individual of the ontology, with its main annotations."""

    iri: str
    curie: str
    label: str
    definition: str = ""
    definition_sources: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    xrefs: tuple[str, ...] = ()
    parents: tuple[str, ...] = field(default=())

    def __str__(self) -> str:
        return f"{self.curie} {self.label}"


@lru_cache(maxsize=4)
def _index(g: rdflib.Graph) -> dict[str, list[tuple[int, str]]]:
    """casefolded name -> [(rank, iri)] over every naming property (cached per graph)."""
    names: dict[str, list[tuple[int, str]]] = {}
    for rank, prop in enumerate(_NAMING):
        for subject, value in g.subject_objects(prop):
            if isinstance(subject, URIRef):
                names.setdefault(str(value).casefold(), []).append((rank, str(subject)))
    return names


def _describe(g: rdflib.Graph, iri: str) -> Term:
    rows = query(
        """SELECT ?t ?label ?definition ?source WHERE {
             OPTIONAL { ?t rdfs:label ?label }
             OPTIONAL { ?t obo:IAO_0000115 ?definition
               OPTIONAL { ?ax owl:annotatedSource ?t ; owl:annotatedProperty obo:IAO_0000115 ;
                              obo:IAO_0000119 ?source } } }""",
        g,
        {"t": URIRef(iri)},
    )
    subject = URIRef(iri)
    label = next((str(r["label"]) for r in rows if r["label"] is not None), "")
    definition = next((str(r["definition"]) for r in rows if r["definition"] is not None), "")
    sources = sorted({str(r["source"]) for r in rows if r["source"] is not None})
    synonyms = sorted(
        str(v)
        for p in (OBO_IN_OWL.hasExactSynonym, OBO_IN_OWL.hasRelatedSynonym)
        for v in g.objects(subject, p)
    )
    xrefs = sorted(str(v) for v in g.objects(subject, OBO_IN_OWL.hasDbXref))
    parents = sorted(
        str(p) for p in g.objects(subject, RDFS.subClassOf) if isinstance(p, URIRef)
    )
    return Term(iri, compress(iri) or iri, label, definition, tuple(sources), tuple(synonyms),
                tuple(xrefs), tuple(parents))


def term(text: str, g: rdflib.Graph | None = None) -> Term:
    """Find one term by label, synonym, HGNC symbol, cross-reference, CURIE or IRI.

    Matching ignores case. A retired (obsolete) term resolves to its replacement, with a
    warning. Raises :class:`LookupError` (with close suggestions) when nothing matches.
    """
    graph_ = g if g is not None else graph()
    found = _find(text, graph_)
    subject = URIRef(found.iri)
    if (subject, OWL.deprecated, Literal(True)) in graph_:
        replacement = graph_.value(subject, OBO.IAO_0100001)
        if replacement is None:
            warnings.warn(f"{found.curie} is obsolete and has no replacement", stacklevel=2)
            return found
        warnings.warn(f"{found.curie} ({found.label}) is obsolete; using its replacement "
                      f"{compress(str(replacement)) or replacement}", stacklevel=2)
        return _describe(graph_, str(replacement))
    return found


def _in_graph(g: rdflib.Graph, subject: URIRef) -> bool:
    """True when the IRI names something the ontology declares or uses (a term, or a
    built-in such as ``owl:Thing`` or ``rdfs:label`` that its axioms use)."""
    return ((subject, RDF.type, None) in g or (subject, RDFS.label, None) in g
            or (None, subject, None) in g or (None, None, subject) in g)


def _find(text: str, g: rdflib.Graph) -> Term:
    wanted = text.strip()
    candidates: list[str] = []
    if wanted.startswith(("http://", "https://")):
        candidates.append(wanted)
    elif split_curie(wanted) and split_curie(wanted)[0] in PREFIXES:
        prefix, local = split_curie(wanted)
        candidates.append(PREFIXES[prefix] + local)
    for iri in candidates:
        subject = URIRef(iri)
        if _in_graph(g, subject):
            return _describe(g, iri)
        curie = compress(iri)
        if curie and curie.split(":", 1)[0] in vocab.VOCABULARY_PREFIXES:
            # a word of a standard vocabulary (owl:deprecated, skos:exactMatch): known by
            # its IRI even where this ontology does not use it
            return Term(iri, curie, curie.split(":", 1)[1])
    names = _index(g)
    matches = sorted(names.get(wanted.casefold(), []))
    if matches:
        return _describe(g, matches[0][1])
    close = difflib.get_close_matches(wanted.casefold(), list(names), n=3, cutoff=0.7)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise LookupError(f"no term matches {text!r}{hint}")


__all__ = ["Term", "term"]
