"""The named competency questions: SPARQL files shipped in ``iapontology/sparql/questions/``."""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Mapping

from rdflib.term import Identifier, Literal, URIRef

from iapontology.paths import QUERIES_DIR
from iapontology.rdf.graph import GraphLike, Rows, query
from iapontology.rdf.rqfile import SparqlFile, read_folder, read_sparql_file
from iapontology.sparql.terms import UnknownTerm, resolve

_cache: dict[str, SparqlFile] | None = None
_single: dict[str, SparqlFile] = {}


class UnknownQuery(LookupError):
    """No named query has that name."""


class BadParameter(ValueError):
    """A parameter is unknown or its value has the wrong type."""


class UnknownTermValue(BadParameter, UnknownTerm):
    """A ``term`` parameter's value names no term (a near miss such as ``cIAP``).

    Both a :class:`BadParameter` and a :class:`LookupError`; :attr:`suggestions` holds the
    close names. Pass ``allow_empty=True`` to bind the text anyway (it then matches nothing).
    """

    def __init__(self, message: str, text: str, suggestions: tuple[str, ...] = ()):
        UnknownTerm.__init__(self, message, text, suggestions)


def queries() -> dict[str, SparqlFile]:
    """Every named question, by name (title, description, parameters and SPARQL)."""
    global _cache
    if _cache is None:
        _cache = read_folder(QUERIES_DIR)
    return _cache


def get_query(name: str) -> SparqlFile:
    """One named question; an unknown name raises :class:`UnknownQuery` with suggestions.

    Only that question's file is read (the command answers one question per process).
    """
    if _cache is not None and name in _cache:
        return _cache[name]
    if name in _single:
        return _single[name]
    path = QUERIES_DIR / f"{name}.rq"
    if re.fullmatch(r"[a-z][a-z0-9_]*", name) and path.is_file():
        _single[name] = read_sparql_file(path)
        return _single[name]
    known = queries()
    if name in known:
        return known[name]
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `iapo query --list` lists them"
    raise UnknownQuery(f"no named query {name!r}{hint}")


def bind_parameters(
    named: SparqlFile,
    params: Mapping[str, str],
    graph: GraphLike | None = None,
    allow_empty: bool = False,
) -> dict[str, Identifier]:
    """Turn text parameter values into typed RDF terms for the engine to bind.

    A ``term`` parameter is looked up by label, synonym, symbol or CURIE. A value that names
    no term raises :class:`UnknownTermValue` with close suggestions; with ``allow_empty`` it
    is bound as a plain string instead (so it matches nothing) and a note goes to stderr.
    """
    valid = {p.name: p for p in named.parameters}
    unknown = sorted(set(params) - set(valid))
    if unknown:
        listing = ", ".join(valid) or "none"
        raise BadParameter(f"unknown parameter(s) {', '.join(unknown)} for {named.name}; "
                           f"valid: {listing}")
    bound: dict[str, Identifier] = {}
    for name, spec in valid.items():
        value = params.get(name, spec.default)
        if value is None or value == "":
            raise BadParameter(f"{named.name} needs the parameter {name} ({spec.help})")
        if spec.type == "integer":
            try:
                bound[name] = Literal(int(value))
            except ValueError as error:
                raise BadParameter(f"{name} must be a whole number, not {value!r}") from error
        elif spec.type == "term":
            try:
                bound[name] = URIRef(resolve(value, graph))
            except UnknownTerm as error:
                if not allow_empty:
                    hint = (f"; did you mean {', '.join(repr(s) for s in error.suggestions)}?"
                            if error.suggestions else "")
                    raise UnknownTermValue(
                        f"no term matches {value!r} for the parameter {name} of "
                        f"{named.name}{hint} (allow an empty answer with --allow-empty, "
                        "or allow_empty=True)", value, error.suggestions) from error
                print(f"note: no term matches {value!r}; {name} matches nothing",
                      file=sys.stderr)
                bound[name] = Literal(value)
        else:
            bound[name] = Literal(value)
    return bound


def run(name: str, graph: GraphLike | None = None, allow_empty: bool = False,
        **params: str) -> Rows:
    """Run a named question with its parameters, e.g. ``run("iaps_with_domain", domain="RING")``.

    Rows are dictionaries from variable name to rdflib term. ``graph`` is an rdflib graph or a
    ``pyoxigraph.Store`` (the shipped ontology when omitted). A ``term`` parameter that names
    no term raises :class:`UnknownTermValue` (a :class:`LookupError` with suggestions) unless
    ``allow_empty`` is true.
    """
    named = get_query(name)
    return query(named.sparql, graph, bind_parameters(named, params, graph, allow_empty))


__all__ = ["BadParameter", "UnknownQuery", "UnknownTermValue", "bind_parameters", "get_query",
           "queries", "run"]
