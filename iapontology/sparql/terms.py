"""Look terms up by label, synonym, gene symbol, cross-reference or CURIE.

:func:`resolve` gives only the IRI (what a query parameter needs, with no record built);
:func:`term` gives the full :class:`Term` record. Both work on an rdflib graph or on a bare
``pyoxigraph.Store`` and raise :class:`UnknownTerm` (a :class:`LookupError` that carries
close suggestions) when nothing matches.
"""

from __future__ import annotations

import difflib
import warnings
from dataclasses import dataclass, field

from rdflib import URIRef

from iapontology import vocab
from iapontology.identifiers import compress, split_curie
from iapontology.rdf.graph import PREFIXES, GraphLike, objects, query, shipped_store, texts

_RDF_TYPE = vocab.RDF + "type"
_LABEL = vocab.RDFS + "label"
_SUBCLASS_OF = vocab.RDFS + "subClassOf"
_DEPRECATED = vocab.OWL + "deprecated"

#: Properties whose values name a term, best first (a label beats a synonym).
_NAMING = (_LABEL, vocab.HGNC_SYMBOL, vocab.EXACT_SYNONYM, vocab.RELATED_SYNONYM,
           vocab.HAS_DB_XREF)


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


class UnknownTerm(LookupError):
    """No term matches a name; :attr:`suggestions` holds close names (best first)."""

    def __init__(self, message: str, text: str, suggestions: tuple[str, ...] = ()):
        super().__init__(message)
        self.text = text
        self.suggestions = suggestions


#: Name indexes by graph: id(graph) -> (graph, index). The graph is kept so its id stays
#: unique while the entry lives; a few graphs at most are remembered.
_indexes: dict[int, tuple[GraphLike, dict[str, list[tuple[int, str, str]]]]] = {}
_INDEXES_MAX = 4


def _index(g: GraphLike) -> dict[str, list[tuple[int, str, str]]]:
    """casefolded name -> [(rank, iri, name as written)] over every naming property (cached
    per graph)."""
    cached = _indexes.get(id(g))
    if cached is not None and cached[0] is g:
        return cached[1]
    names: dict[str, list[tuple[int, str, str]]] = {}
    for rank, prop in enumerate(_NAMING):
        for subject, text in texts(g, prop):
            names.setdefault(text.casefold(), []).append((rank, subject, text))
    if len(_indexes) >= _INDEXES_MAX:
        _indexes.pop(next(iter(_indexes)))
    _indexes[id(g)] = (g, names)
    return names


def _has(g: GraphLike, iri: str) -> bool:
    """Whether the graph says anything about ``iri`` as a typed or labelled subject."""
    return any(True for _ in objects(g, _RDF_TYPE, iri)) or any(
        True for _ in objects(g, _LABEL, iri))


def _used(g: GraphLike, iri: str) -> bool:
    """Whether the ontology uses ``iri`` at all, as a predicate or an object (a relation
    its axioms use, or a built-in such as ``owl:Thing``)."""
    rows = query("ASK { { ?s ?iri ?o } UNION { ?s ?p ?iri } }", g, {"iri": URIRef(iri)})
    return bool(rows) and str(rows[0]["ask"]).lower() == "true"


def _first(g: GraphLike, iri: str, predicate: str) -> str | None:
    return next((str(value) for _, value in objects(g, predicate, iri)), None)


def _find(text: str, g: GraphLike) -> str:
    """The IRI that ``text`` names (before any obsolete-term replacement)."""
    wanted = text.strip()
    candidates: list[str] = []
    parts = split_curie(wanted)
    if wanted.startswith(("http://", "https://")):
        candidates.append(wanted)
    elif parts and parts[0] in PREFIXES:
        candidates.append(PREFIXES[parts[0]] + parts[1])
    for iri in candidates:
        if _has(g, iri) or _used(g, iri):
            return iri
        curie = compress(iri)
        if curie and curie.split(":", 1)[0] in vocab.VOCABULARY_PREFIXES:
            # a word of a standard vocabulary (owl:deprecated, skos:exactMatch): known by
            # its IRI even where this ontology does not use it
            return iri
    names = _index(g)
    matches = sorted(names.get(wanted.casefold(), []))
    if matches:
        return matches[0][1]
    close = tuple(min(names[c])[2] for c in
                  difflib.get_close_matches(wanted.casefold(), list(names), n=3, cutoff=0.7))
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise UnknownTerm(f"no term matches {text!r}{hint}", text, close)


def resolve(text: str, g: GraphLike | None = None) -> str:
    """The IRI of the term named by ``text`` (as :func:`term` finds it), without its record.

    A retired (obsolete) term resolves to its replacement, with a warning.
    """
    graph_ = g if g is not None else shipped_store()
    iri = _find(text, graph_)
    deprecated = _first(graph_, iri, _DEPRECATED)
    if deprecated is None or deprecated.lower() not in ("true", "1"):
        return iri
    curie = compress(iri) or iri
    replacement = _first(graph_, iri, vocab.TERM_REPLACED_BY)
    if replacement is None:
        warnings.warn(f"{curie} is obsolete and has no replacement", stacklevel=3)
        return iri
    label = _first(graph_, iri, _LABEL) or ""
    warnings.warn(f"{curie} ({label}) is obsolete; using its replacement "
                  f"{compress(replacement) or replacement}", stacklevel=3)
    return replacement


def _describe(g: GraphLike, iri: str) -> Term:
    rows = query(
        """SELECT ?t ?label ?definition ?source WHERE {
             OPTIONAL { ?t rdfs:label ?label }
             OPTIONAL { ?t obo:IAO_0000115 ?definition
               OPTIONAL { ?ax owl:annotatedSource ?t ; owl:annotatedProperty obo:IAO_0000115 ;
                              obo:IAO_0000119 ?source } } }""",
        g,
        {"t": URIRef(iri)},
    )
    label = next((str(r["label"]) for r in rows if r["label"] is not None), "")
    definition = next((str(r["definition"]) for r in rows if r["definition"] is not None), "")
    sources = sorted({str(r["source"]) for r in rows if r["source"] is not None})
    synonyms = sorted(str(v) for p in (vocab.EXACT_SYNONYM, vocab.RELATED_SYNONYM)
                      for _, v in objects(g, p, iri))
    xrefs = sorted(str(v) for _, v in objects(g, vocab.HAS_DB_XREF, iri))
    parents = sorted(str(v) for _, v in objects(g, _SUBCLASS_OF, iri)
                     if isinstance(v, URIRef))
    curie = compress(iri) or iri
    label = label or curie.split(":", 1)[-1]  # a vocabulary word without a label here
    return Term(iri, curie, label, definition, tuple(sources), tuple(synonyms),
                tuple(xrefs), tuple(parents))


def term(text: str, g: GraphLike | None = None) -> Term:
    """Find one term by label, synonym, HGNC symbol, cross-reference, CURIE or IRI.

    Matching ignores case. A retired (obsolete) term resolves to its replacement, with a
    warning. Raises :class:`UnknownTerm` (a :class:`LookupError`, with close suggestions)
    when nothing matches.
    """
    graph_ = g if g is not None else shipped_store()
    return _describe(graph_, resolve(text, graph_))


__all__ = ["Term", "UnknownTerm", "resolve", "term"]
