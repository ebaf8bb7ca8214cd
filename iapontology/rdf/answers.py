"""The rows of a SELECT answer: Oxigraph terms made rdflib terms once, aggregates in order.

:func:`from_oxigraph` converts each Oxigraph term to an rdflib term once and reuses it across
rows and calls; :func:`sort_concatenations` puts the values of each ``GROUP_CONCAT`` cell in
code-point order, so that answers do not depend on the engine or its query plan.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import TypeAlias

import pyoxigraph as ox
from rdflib.term import BNode, Literal, Node, URIRef

from iapontology.rdf.query_text import QueryError

#: A row of a SELECT answer: variable name -> rdflib term (``None`` when unbound).
Row: TypeAlias = dict[str, Node | None]


class Rows(list[Row]):
    """Result rows (dictionaries) that also remember the query's variable names."""

    def __init__(self, rows: Iterable[Row], variables: list[str]):
        super().__init__(rows)
        self.variables = variables


_converted: dict[object, Node] = {}
_CONVERTED_MAX = 500_000


def from_oxigraph(
    term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None,
) -> Node | None:
    """The rdflib term for an Oxigraph term, made once and then reused from a cache."""
    if term is None:
        return None
    found = _converted.get(term)
    if found is not None:
        return found
    made: Node
    if isinstance(term, ox.NamedNode):
        made = URIRef(term.value)
    elif isinstance(term, ox.BlankNode):
        made = BNode(term.value)
    elif isinstance(term, ox.Literal):
        if term.language:
            made = Literal(term.value, lang=term.language)
        else:
            made = Literal(term.value, datatype=URIRef(term.datatype.value))
    else:
        raise QueryError(f"unsupported term in an answer: {term!r}")  # RDF-star triples
    if len(_converted) >= _CONVERTED_MAX:
        _converted.clear()
    _converted[term] = made
    return made


def ask_rows(answer: bool) -> Rows:
    """The one row of an ASK answer: ``{"ask": Literal(True/False)}``."""
    return Rows([{"ask": Literal(answer)}], ["ask"])


_GROUP_CONCAT = re.compile(r"GROUP_CONCAT\s*\((?P<body>.*?)\)\s*AS\s*\?(?P<name>\w+)",
                           re.IGNORECASE | re.DOTALL)
_SEPARATOR = re.compile(r";\s*SEPARATOR\s*=\s*(?:\"((?:[^\"\\]|\\.)*)\"|'((?:[^'\\]|\\.)*)')\s*$",
                        re.IGNORECASE | re.DOTALL)
_UNESCAPE = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'",
             "\\": "\\"}


@lru_cache(maxsize=512)
def concat_columns(sparql: str) -> Mapping[str, str]:
    """The ``GROUP_CONCAT`` columns of a query, each with its separator (a space by default).

    Read-only (the answer is cached per query text).
    """
    columns: dict[str, str] = {}
    for match in _GROUP_CONCAT.finditer(sparql):
        separator = _SEPARATOR.search(match["body"])
        if separator is None:
            columns[match["name"]] = " "
            continue
        raw = separator[1] if separator[1] is not None else separator[2]
        columns[match["name"]] = re.sub(r"\\(.)", lambda m: _UNESCAPE.get(m[1], m[1]), raw)
    return MappingProxyType(columns)


def sort_concatenations(rows: Rows, columns: Mapping[str, str]) -> Rows:
    """Put the values inside each ``GROUP_CONCAT`` cell in code-point order, in place.

    SPARQL leaves the order of concatenated values to the engine (and to its query plan);
    split at the separator and sorted, the same group gives the same text everywhere. The
    cell becomes an ``xsd:string`` literal, as SPARQL 1.1 defines ``GROUP_CONCAT`` (Oxigraph
    keeps a language tag that all the values share, rdflib drops it); a group without
    values gives the empty string, as the standard says (Oxigraph leaves it unbound).
    """
    wanted = [(name, sep) for name, sep in columns.items() if name in rows.variables and sep]
    if not wanted:
        return rows
    for row in rows:
        for name, separator in wanted:
            cell = row.get(name)
            if cell is None:  # no values (rdflib gives "", Oxigraph leaves it unbound)
                row[name] = _EMPTY
            elif isinstance(cell, Literal):
                row[name] = _sorted_cell(str(cell), separator)
    return rows


_XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")


def _string_literal(text: str) -> Literal:
    return Literal(text, datatype=_XSD_STRING)


_EMPTY = _string_literal("")
_sorted_cells: dict[tuple[str, str], Literal] = {}


def _sorted_cell(text: str, separator: str) -> Literal:
    """The cell with its values sorted, made once per distinct text (cached)."""
    key = (separator, text)
    found = _sorted_cells.get(key)
    if found is None:
        if len(_sorted_cells) >= _CONVERTED_MAX:
            _sorted_cells.clear()
        found = _string_literal(separator.join(sorted(text.split(separator))))
        _sorted_cells[key] = found
    return found


__all__ = ["Row", "Rows", "ask_rows", "concat_columns", "from_oxigraph", "sort_concatenations"]
