"""Guards for input from outside: RDF/XML entity tricks, SPARQL Update and SERVICE calls."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from rdflib import URIRef

_DTD_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


class RefusedInput(ValueError):
    """Input refused before it could do harm; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def reject_xml_entities(path: Path, head_bytes: int = 1 << 20) -> None:
    """Refuse an XML file whose document type declares entities.

    Internal entities can expand exponentially ("billion laughs") and external ones can read
    local files or call out to the network (XXE); RDF/XML never needs either, so any
    ``<!ENTITY`` in the prolog is refused before a parser sees the file.
    """
    with path.open("rb") as handle:
        head = handle.read(head_bytes)
    doctype = _DOCTYPE.search(head)
    if doctype and _DTD_ENTITY.search(head, doctype.start()):
        raise RefusedInput(
            f"{path}: refusing an XML entity declaration (<!ENTITY>): entity expansion and "
            "external entities are not allowed in RDF/XML input"
        )


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


__all__ = ["RefusedInput", "check_read_only_query", "reject_xml_entities"]
