"""The named competency questions: SPARQL files shipped in ``iapontology/queries/``."""

from __future__ import annotations

import difflib
import sys
from collections.abc import Mapping

import rdflib
from rdflib.term import Identifier, Literal

from iapontology.paths import QUERIES_DIR
from iapontology.rdf.graph import Rows, query
from iapontology.rdf.rqfile import SparqlFile, read_folder
from iapontology.sparql.terms import term

_cache: dict[str, SparqlFile] | None = None


class UnknownQuery(LookupError):
    """No named query has that name."""


class BadParameter(ValueError):
    """A parameter is unknown or its value has the wrong type."""


def queries() -> dict[str, SparqlFile]:
    """Every named question, by name (title, description, parameters and SPARQL)."""
    global _cache
    if _cache is None:
        _cache = read_folder(QUERIES_DIR)
    return _cache


def get_query(name: str) -> SparqlFile:
    """One named question; an unknown name raises :class:`UnknownQuery` with suggestions."""
    known = queries()
    if name in known:
        return known[name]
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `iapo query --list` lists them"
    raise UnknownQuery(f"no named query {name!r}{hint}")


def bind_parameters(
    named: SparqlFile, params: Mapping[str, str], graph: rdflib.Graph | None = None
) -> dict[str, Identifier]:
    """Turn text parameter values into typed RDF terms for the engine to bind.

    A ``term`` parameter is looked up by label, synonym, symbol or CURIE; a value that names
    no term is bound as a plain string, so it simply matches nothing.
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
                bound[name] = rdflib.URIRef(term(value, graph).iri)
            except LookupError:
                print(f"note: no term matches {value!r}; {name} matches nothing",
                      file=sys.stderr)
                bound[name] = Literal(value)
        else:
            bound[name] = Literal(value)
    return bound


def run(name: str, graph: rdflib.Graph | None = None, **params: str) -> Rows:
    """Run a named question with its parameters, e.g. ``run("iaps_with_domain", domain="RING")``.

    Rows are dictionaries from variable name to rdflib term.
    """
    named = get_query(name)
    return query(named.sparql, graph, bind_parameters(named, params, graph))
