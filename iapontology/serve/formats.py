"""Writers for query results, exactly as the SPARQL 1.1 result formats define them.

Terms are pyoxigraph terms. SELECT results go out as SPARQL 1.1 Query Results JSON, XML, CSV
or TSV; ASK results as JSON or XML (CSV and TSV define no boolean form); CONSTRUCT and
DESCRIBE results as Turtle, N-Triples, RDF/XML or JSON-LD (Oxigraph's serialisers).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence

import pyoxigraph as ox

__all__ = [
    "FORMATS",
    "RDF_LANG_STRING",
    "XSD_STRING",
    "Unwritable",
    "ask_json",
    "ask_xml",
    "select_csv",
    "select_json",
    "select_tsv",
    "select_xml",
    "write_ask",
    "write_graph",
    "write_select",
]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

#: name -> (media type sent, query forms it serves)
FORMATS: dict[str, tuple[str, frozenset[str]]] = {
    "json": ("application/sparql-results+json", frozenset({"select", "ask"})),
    "xml": ("application/sparql-results+xml", frozenset({"select", "ask"})),
    "csv": ("text/csv; charset=utf-8", frozenset({"select"})),
    "tsv": ("text/tab-separated-values; charset=utf-8", frozenset({"select"})),
    "turtle": ("text/turtle; charset=utf-8", frozenset({"construct", "describe"})),
    "ntriples": ("application/n-triples", frozenset({"construct", "describe"})),
    "rdfxml": ("application/rdf+xml", frozenset({"construct", "describe"})),
    "jsonld": ("application/ld+json", frozenset({"construct", "describe"})),
}
_RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
                "rdfxml": ox.RdfFormat.RDF_XML, "jsonld": ox.RdfFormat.JSON_LD}
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

Row = Sequence[object | None]


class Unwritable(ValueError):
    """A value that the chosen format cannot carry (for example a control character in XML)."""


def _json_term(term: object) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                            "predicate": _json_term(term.predicate),
                                            "object": _json_term(term.object)}}
    raise Unwritable(f"cannot write {term!r}")


def select_json(variables: Sequence[str], rows: Iterable[Row]) -> bytes:
    """SPARQL 1.1 Query Results JSON for a SELECT result."""
    bindings = [{name: _json_term(value) for name, value in zip(variables, row, strict=True)
                 if value is not None} for row in rows]
    return json.dumps({"head": {"vars": list(variables)}, "results": {"bindings": bindings}},
                      ensure_ascii=False).encode("utf-8")


def ask_json(answer: bool) -> bytes:
    """SPARQL 1.1 Query Results JSON for an ASK result."""
    return json.dumps({"head": {}, "boolean": answer}).encode("utf-8")


def _xml_escape(text: str, attribute: bool = False) -> str:
    if _XML_FORBIDDEN.search(text):
        raise Unwritable("a value holds a character that XML 1.0 cannot carry; ask for JSON")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\r", "&#13;")
    if attribute:
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return text


def _xml_term(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            attribute = f' xml:lang="{_xml_escape(term.language, True)}"'
        elif term.datatype.value != XSD_STRING:
            attribute = f' datatype="{_xml_escape(term.datatype.value, True)}"'
        else:
            attribute = ""
        return f"<literal{attribute}>{_xml_escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>"
                f"{_xml_term(term.predicate)}</predicate><object>{_xml_term(term.object)}"
                "</object></triple>")
    raise Unwritable(f"cannot write {term!r}")


_XML_HEAD = ('<?xml version="1.0" encoding="utf-8"?>\n'
             '<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n')


def select_xml(variables: Sequence[str], rows: Iterable[Row]) -> bytes:
    """SPARQL 1.1 Query Results XML for a SELECT result."""
    out = [_XML_HEAD, "<head>"]
    out += [f'<variable name="{_xml_escape(name, True)}"/>' for name in variables]
    out.append("</head>\n<results>\n")
    for row in rows:
        out.append("<result>")
        for name, value in zip(variables, row, strict=True):
            if value is not None:
                out.append(f'<binding name="{_xml_escape(name, True)}">{_xml_term(value)}'
                           "</binding>")
        out.append("</result>\n")
    out.append("</results>\n</sparql>\n")
    return "".join(out).encode("utf-8")


def ask_xml(answer: bool) -> bytes:
    """SPARQL 1.1 Query Results XML for an ASK result."""
    return (_XML_HEAD + f"<head/>\n<boolean>{'true' if answer else 'false'}</boolean>\n"
            "</sparql>\n").encode("utf-8")


def _csv_value(term: object | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return _tsv_value(term)


def select_csv(variables: Sequence[str], rows: Iterable[Row]) -> bytes:
    """SPARQL 1.1 Query Results CSV: values only, RFC 4180 quoting, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def _tsv_string(text: str) -> str:
    return '"' + (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                  .replace("\r", "\\r").replace("\t", "\\t")) + '"'


def _tsv_value(term: object | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"{_tsv_string(term.value)}@{term.language}"
        if term.datatype.value == XSD_STRING:
            return _tsv_string(term.value)
        return f"{_tsv_string(term.value)}^^<{term.datatype.value}>"
    if isinstance(term, ox.Triple):
        return (f"<< {_tsv_value(term.subject)} {_tsv_value(term.predicate)} "
                f"{_tsv_value(term.object)} >>")
    raise Unwritable(f"cannot write {term!r}")


def select_tsv(variables: Sequence[str], rows: Iterable[Row]) -> bytes:
    """SPARQL 1.1 Query Results TSV: ``?name`` headers, terms in SPARQL syntax, LF ends."""
    lines = ["\t".join(f"?{name}" for name in variables)]
    lines += ["\t".join(_tsv_value(value) for value in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_select(fmt: str, variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    """A SELECT result in ``fmt`` (json, xml, csv or tsv)."""
    writer = {"json": select_json, "xml": select_xml, "csv": select_csv, "tsv": select_tsv}
    return writer[fmt](variables, rows)


def write_ask(fmt: str, answer: bool) -> bytes:
    """An ASK result in ``fmt`` (json or xml)."""
    return {"json": ask_json, "xml": ask_xml}[fmt](answer)


def write_graph(fmt: str, triples: Sequence[ox.Triple],
                prefixes: dict[str, str] | None = None) -> bytes:
    """A CONSTRUCT or DESCRIBE result in ``fmt`` (turtle, ntriples, rdfxml or jsonld)."""
    kwargs = {"prefixes": prefixes} if prefixes and fmt in ("turtle", "rdfxml") else {}
    return ox.serialize(triples, format=_RDF_FORMATS[fmt], **kwargs)
