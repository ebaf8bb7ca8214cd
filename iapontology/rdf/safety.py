"""Guards for input from outside: SPARQL Update and SERVICE calls (files: :mod:`xmlguard`)."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import URIRef


class RefusedInput(ValueError):
    """Input refused before it could do harm; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def check_read_only_query(sparql: str, allowed_services: Iterable[str] = ()) -> None:
    """Refuse SPARQL Update, a malformed query, or SERVICE to an endpoint not allowed.

    Raises :class:`RefusedInput` with status 403 (update, SERVICE) or 400 (syntax).
    """
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate  # slow to import

    try:
        parsed = parseQuery(sparql)
    except Exception as query_error:
        try:
            parseUpdate(sparql)
        except Exception:
            raise RefusedInput(f"malformed SPARQL: {query_error}".splitlines()[0]) from None
        raise RefusedInput("SPARQL Update is not allowed: this endpoint is read-only",
                           403) from None
    allowed = tuple(allowed_services)
    for target in _service_targets(parsed):
        if not allowed or not isinstance(target, URIRef) or not str(target).startswith(allowed):
            shown = f"<{target}>" if isinstance(target, URIRef) else "with a variable endpoint"
            raise RefusedInput(f"SERVICE {shown} is not allowed on this endpoint", 403)


def _service_targets(node: object) -> Iterable[object]:
    """The endpoint term of every SERVICE pattern anywhere in a parsed query."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            yield node.get("term")
        for value in node.values():
            yield from _service_targets(value)
    elif isinstance(node, ParseResults | list | tuple):
        for value in node:
            yield from _service_targets(value)


__all__ = ["RefusedInput", "check_read_only_query"]
