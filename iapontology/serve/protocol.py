"""Reading a SPARQL 1.1 Protocol query request, strictly, and negotiating the result format.

Percent-encoding and UTF-8 are decoded strictly (a bad ``%`` sequence or invalid UTF-8 is a
400, never replaced silently). ``query`` must occur exactly once; ``update`` anywhere is
refused (403, the endpoint is read-only); a POST must say what it carries: a form
(``application/x-www-form-urlencoded``) or a query (``application/sparql-query``); anything
else is 415. ``default-graph-uri`` and ``named-graph-uri`` must be absolute IRIs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from iapontology.serve.formats import FORMATS
from iapontology.serve.guard import Refused

__all__ = [
    "DIRECT",
    "FORM",
    "UPDATE",
    "QueryRequest",
    "acceptable_formats",
    "decode_params",
    "media_type",
    "media_type_of",
    "read_request",
]

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
_PERCENT = re.compile(rb"%([0-9A-Fa-f]{2})")
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|^`\\]*$")
#: media types (and aliases) each format answers to, most specific first
_MEDIA = {
    "json": ("application/sparql-results+json", "application/json"),
    "xml": ("application/sparql-results+xml", "application/xml", "text/xml"),
    "csv": ("text/csv",),
    "tsv": ("text/tab-separated-values",),
    "turtle": ("text/turtle", "application/x-turtle"),
    "ntriples": ("application/n-triples", "text/plain"),
    "rdfxml": ("application/rdf+xml",),
    "jsonld": ("application/ld+json",),
}
#: ``format=`` values (a common, non-standard override) -> formats, results before graphs
_FORMAT_PARAM = {
    "json": ("json", "jsonld"), "xml": ("xml", "rdfxml"), "csv": ("csv",), "tsv": ("tsv",),
    "turtle": ("turtle",), "ttl": ("turtle",), "ntriples": ("ntriples",), "nt": ("ntriples",),
    "rdfxml": ("rdfxml",), "jsonld": ("jsonld",),
}


@dataclass(frozen=True)
class QueryRequest:
    """What a protocol request asks for."""

    query: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    format_param: str | None


def decode_params(raw: bytes, where: str) -> list[tuple[str, str]]:
    """``application/x-www-form-urlencoded`` pairs, decoded strictly (400 on bad input)."""
    pairs = []
    for part in raw.split(b"&"):
        if not part:
            continue
        name, _, value = part.partition(b"=")
        pairs.append((_decode(name, where), _decode(value, where)))
    return pairs


def _decode(raw: bytes, where: str) -> str:
    raw = raw.replace(b"+", b" ")
    if raw.count(b"%") != len(_PERCENT.findall(raw)):
        raise Refused(f"bad percent-encoding in the {where}")
    try:
        return _PERCENT.sub(lambda m: bytes([int(m.group(1), 16)]), raw).decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(f"the {where} is not valid UTF-8") from None


def media_type(header: str | None) -> tuple[str, dict[str, str]]:
    """The media type of a ``Content-Type`` header (lowercased) and its parameters."""
    if not header:
        return "", {}
    kind, *params = header.split(";")
    values = {}
    for param in params:
        name, _, value = param.partition("=")
        values[name.strip().lower()] = value.strip().strip('"').lower()
    return kind.strip().lower(), values


def read_request(method: str, content_type: str | None, url_query: bytes,
                 body: bytes) -> QueryRequest:
    """Read a GET or POST protocol request; raises :class:`Refused` with its status."""
    url_params = decode_params(url_query, "URL query string")
    if method in ("GET", "HEAD"):
        params = url_params
        query_values = [v for k, v in params if k == "query"]
    else:
        kind, options = media_type(content_type)
        charset = options.get("charset", "utf-8")
        if kind == UPDATE or any(k == "update" for k, _ in url_params):
            raise Refused("SPARQL Update is not allowed: this endpoint is read-only", 403)
        if not kind:
            raise Refused(f"a POST needs a Content-Type: {FORM} or {DIRECT}", 415)
        if kind not in (FORM, DIRECT):
            raise Refused(f"unsupported request media type {kind!r}: send {FORM} or {DIRECT}",
                          415)
        if charset not in ("utf-8", "utf8"):
            raise Refused(f"unsupported charset {charset!r}: send UTF-8", 415)
        if kind == FORM:
            params = url_params + decode_params(body, "form body")
            query_values = [v for k, v in params if k == "query"]
        else:
            params = url_params
            if any(k == "query" for k, _ in url_params):
                raise Refused("a query sent as the request body cannot also have a 'query' "
                              "parameter")
            try:
                query_values = [body.decode("utf-8")]
            except UnicodeDecodeError:
                raise Refused("the query is not valid UTF-8") from None
    if any(k == "update" for k, _ in params):
        raise Refused("SPARQL Update is not allowed: this endpoint is read-only", 403)
    if not query_values:
        raise Refused("missing the 'query' parameter")
    if len(query_values) > 1:
        raise Refused("the 'query' parameter is given more than once")
    if not query_values[0].strip():
        raise Refused("the 'query' parameter is empty")
    graphs = {}
    for name in ("default-graph-uri", "named-graph-uri"):
        values = tuple(v for k, v in params if k == name)
        for value in values:
            if not _ABSOLUTE_IRI.match(value):
                raise Refused(f"{name} {value!r} is not an absolute IRI")
        graphs[name] = values
    formats = [v for k, v in params if k == "format"]
    return QueryRequest(query_values[0], graphs["default-graph-uri"],
                        graphs["named-graph-uri"], formats[-1] if formats else None)


def _accept_ranges(header: str) -> list[tuple[str, float]]:
    ranges = []
    for item in header.split(","):
        kind, params = media_type(item)
        if not kind:
            continue
        try:
            q = float(params.get("q", "1"))
        except ValueError:
            q = 0.0
        ranges.append((kind, q if 0 <= q <= 1 else 0.0))
    return ranges


def _quality(media: str, ranges: list[tuple[str, float]]) -> tuple[float, int]:
    """The q of ``media`` from the most specific matching range, and that specificity."""
    best = (-1.0, -1)
    kind = media.split("/")[0]
    for pattern, q in ranges:
        specificity = (2 if pattern == media else 1 if pattern == f"{kind}/*" else
                       0 if pattern == "*/*" else -1)
        if specificity > best[1]:
            best = (q, specificity)
    return best


def acceptable_formats(accept: str | None, format_param: str | None) -> tuple[str, ...]:
    """Formats the client accepts, best first.

    A known ``format=`` value (non-standard, sent by some clients) wins over ``Accept``; an
    unknown one is ignored.
    """
    if format_param:  # a name (format=csv) or a media type (format=text/csv, SPARQLWrapper)
        wanted = media_type(format_param)[0]
        chosen = _FORMAT_PARAM.get(wanted) or tuple(
            fmt for fmt, media in _MEDIA.items() if wanted in media)
        if chosen:
            return chosen
    order = list(FORMATS)
    if not accept or not accept.strip():
        return tuple(order)
    ranges = _accept_ranges(accept)
    scored = []
    for index, fmt in enumerate(order):
        q, specificity = max(_quality(media, ranges) for media in _MEDIA[fmt])
        if q > 0:
            scored.append((-q, -specificity, index, fmt))
    return tuple(fmt for *_, fmt in sorted(scored))


def media_type_of(fmt: str) -> str:
    """The Content-Type sent with a result in ``fmt``."""
    return FORMATS[fmt][0]
