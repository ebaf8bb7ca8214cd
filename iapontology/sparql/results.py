"""Printing query results: an aligned table (labels beside IRIs), CSV, TSV or SPARQL JSON."""

from __future__ import annotations

import csv
import io
import json

import rdflib
from rdflib import RDFS, BNode, Literal, URIRef
from rdflib.term import Node

from iapontology.identifiers import compress

FORMATS = ("table", "csv", "tsv", "json")


def _short(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return compress(str(node)) or str(node)
    return str(node)


def _labelled(node: Node | None, graph: rdflib.Graph | None) -> str:
    text = _short(node)
    if isinstance(node, URIRef) and graph is not None:
        label = graph.value(node, RDFS.label)
        if label is not None:
            return f"{text} ({label})"
    return text


def _json_term(node: Node) -> dict:
    if isinstance(node, URIRef):
        return {"type": "uri", "value": str(node)}
    if isinstance(node, BNode):
        return {"type": "bnode", "value": str(node)}
    out: dict = {"type": "literal", "value": str(node)}
    if isinstance(node, Literal) and node.language:
        out["xml:lang"] = node.language
    elif isinstance(node, Literal) and node.datatype:
        out["datatype"] = str(node.datatype)
    return out


def format_rows(
    rows: list[dict[str, Node | None]],
    fmt: str = "table",
    graph: rdflib.Graph | None = None,
    variables: list[str] | None = None,
) -> str:
    """Render result rows in one of :data:`FORMATS`."""
    names = variables or getattr(rows, "variables", None) or (list(rows[0]) if rows else [])
    if fmt == "json":
        bindings = [
            {k: _json_term(v) for k, v in row.items() if v is not None} for row in rows
        ]
        return json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}},
                          indent=2, ensure_ascii=False) + "\n"
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t",
                            lineterminator="\n")
        writer.writerow(names)
        for row in rows:
            writer.writerow([_short(row.get(n)) if fmt == "tsv" else
                             ("" if row.get(n) is None else str(row.get(n))) for n in names])
        return buffer.getvalue()
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    cells = [[_labelled(row.get(n), graph) for n in names] for row in rows]
    widths = [max([len(n)] + [len(c[i]) for c in cells]) for i, n in enumerate(names)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
              for r in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"
