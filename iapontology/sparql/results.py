"""Printing query results: an aligned table (labels beside IRIs), CSV, TSV or SPARQL JSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from iapontology.identifiers import compress
from iapontology.rdf.graph import GraphLike, Row, objects

FORMATS = ("table", "csv", "tsv", "json")
_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def _short(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return compress(str(node)) or str(node)
    return str(node)


def _labels(rows: Sequence[Row], graph: GraphLike | None) -> dict[Node, str]:
    """The first label of every IRI in the rows (looked up once per IRI)."""
    found: dict[Node, str] = {}
    if graph is None:
        return found
    for row in rows:
        for node in row.values():
            if isinstance(node, URIRef) and node not in found:
                found[node] = next((str(v) for _, v in objects(graph, _LABEL, str(node))), "")
    return found


def _json_term(node: Node) -> dict[str, str]:
    if isinstance(node, URIRef):
        return {"type": "uri", "value": str(node)}
    if isinstance(node, BNode):
        return {"type": "bnode", "value": str(node)}
    out: dict[str, str] = {"type": "literal", "value": str(node)}
    if isinstance(node, Literal) and node.language:
        out["xml:lang"] = node.language
    elif isinstance(node, Literal) and node.datatype:
        out["datatype"] = str(node.datatype)
    return out


def format_rows(
    rows: Sequence[Row],
    fmt: str = "table",
    graph: GraphLike | None = None,
    variables: list[str] | None = None,
) -> str:
    """Render result rows in one of :data:`FORMATS` (tables show labels from ``graph``)."""
    names: list[str] = (variables or getattr(rows, "variables", None)
                        or (list(rows[0]) if rows else []))
    if fmt == "json":
        bindings = [
            {k: _json_term(v) for k, v in row.items() if v is not None} for row in rows
        ]
        document: dict[str, Any] = {"head": {"vars": names}, "results": {"bindings": bindings}}
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
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
    labels = _labels(rows, graph)

    def cell(node: Node | None) -> str:
        text = _short(node)
        label = labels.get(node) if node is not None else None
        return f"{text} ({label})" if label else text

    cells = [[cell(row.get(n)) for n in names] for row in rows]
    widths = [max([len(n)] + [len(c[i]) for c in cells]) for i, n in enumerate(names)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
              for r in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


__all__ = ["FORMATS", "format_rows"]
