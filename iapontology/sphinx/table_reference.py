"""The "table reference" page: every curated table and column, generated from ``schema.toml``.

The page says for each column whether it is required, whether it takes several values, what a
cell may hold (for a reference: the kind of term it must name) and what it is for, so that a
curator never has to read the validator to know what a table wants.
"""

from __future__ import annotations

from iapontology.knowledge.table_schema import Column, Kind, Schema, TableSpec, load_schema
from iapontology.knowledge.tables import LIST_SEPARATOR
from iapontology.sphinx.rst import rst_escape, title

__all__ = ["table_reference_page"]

_ROLES = {
    "bibliography": "the sources every other table cites",
    "reused": "terms reused from other ontologies, each a class of the ontology",
    "properties": "each row becomes an object or annotation property",
    "terms": "each row becomes a class of the ontology",
    "axioms": "each row becomes a cited axiom ``subject SubClassOf relation some object``",
    "records": "each row becomes an OWL individual (n-ary relation pattern)",
    "obsolete": "each row becomes a deprecated class",
    "metadata": "the ontology header of every release file",
}


def _literal(values: tuple[str, ...] | list[str]) -> str:
    return ", ".join(f"``{v}``" for v in values)


def _takes(column: Column, schema: Schema) -> str:
    """What a cell of ``column`` may hold, in words."""
    prefixes = f" ({_literal(column.prefixes)})" if column.prefixes else ""
    if column.type == "ref":
        kind: Kind = schema.kinds[column.kind]
        return (f"{rst_escape(kind.text)}: a CURIE, or its exact label or synonym "
                f"(kind ``{kind.name}``)")
    if column.type == "source":
        bibliography = schema.of_role("bibliography")[0]
        prefixes = _literal(bibliography.key.prefixes) if bibliography.key else ""
        return f"a source CURIE ({prefixes}) listed in ``{bibliography.file}``"
    if column.type == "choice":
        return f"one of {_literal(column.allowed)}"
    return {
        "id": f"this row's own CURIE{prefixes}, unique in the folder"
              + (f"; not {_literal(column.exclude_prefixes)}" if column.exclude_prefixes
                 else ""),
        "label": "a label, unique in the ontology (case ignored)",
        "text": "free text",
        "curie": f"a CURIE{prefixes}",
        "count": "a whole number, 1 or more",
        "iri": "an http(s) IRI",
        "date": "a date, YYYY-MM-DD",
    }[column.type]


def _required(column: Column) -> str:
    if column.required == "own":
        return "for IAPO: rows"
    if column.required and column.required_unless:
        return "yes, unless " + _literal(column.required_unless)
    return "yes" if column.required else "no"


def _written_as(column: Column, spec: TableSpec) -> str:
    if spec.role != "records":
        return ""
    if column.name in spec.links:
        return f" Written as ``{column.property} some`` the class."
    if column.name in spec.relations:
        return f" Written as ``{column.property}`` to the other record."
    if column.name in spec.text:
        return f" Written as the annotation ``{column.property}``."
    if column.name in spec.xrefs:
        return " Written as a database cross-reference."
    return ""


def _table_section(spec: TableSpec, schema: Schema) -> list[str]:
    lines = [title(f"{spec.file}", "-"), rst_escape(spec.description), "",
             f"*Role:* {_ROLES[spec.role]}."]
    if spec.record_class:
        lines[-1] += f" Each is an individual of ``{spec.record_class}``."
    if spec.section:
        lines[-1] += f" The keys of its ``[{spec.section}]`` table:"
    if spec.unique_together:
        lines[-1] += f" No two rows share the same {_literal(spec.unique_together)}."
    lines += ["", f".. list-table:: {spec.file}", "   :header-rows: 1",
              "   :widths: 16 10 10 34 30", ""]
    header = ("Column", "Required", "Values", "A cell holds", "What it is for")
    lines += [f"   * - {header[0]}"] + [f"     - {h}" for h in header[1:]]
    for column in spec.columns:
        several = (f"several, separated by ``{LIST_SEPARATOR}``"
                   if spec.role != "metadata" else "a list") if column.multi else "one"
        cells = (f"``{column.name}``", _required(column), several, _takes(column, schema),
                 rst_escape(column.description) + _written_as(column, spec))
        lines += [f"   * - {cells[0]}"] + [f"     - {c}" for c in cells[1:]]
    return [*lines, ""]


def table_reference_page(schema: Schema | None = None) -> str:
    """The rST of the table reference page for ``schema`` (default: the packaged one)."""
    schema = schema or load_schema()
    lines = [
        title("Table reference"),
        "Every curated table under ``iapontology/knowledge/`` and every column in it, as "
        "declared in ``knowledge/schema.toml``; this page is generated from that file, which "
        "also drives ``iapo validate``, the check at the start of ``iapo build`` and the "
        "assembly of record tables. See :doc:`/curating` for a walk-through.",
        "",
        f"A cell that takes several values separates them with ``{LIST_SEPARATOR}`` (no empty "
        "values). A reference cell holds a CURIE such as ``IAPO:0000702``, or the exact label "
        "or exact synonym of one term, such as ``LCL161``; either way it must name exactly one "
        "term of the column's kind, and the build uses that term's ID. Problems are reported "
        "as ``knowledge/<file>:<line>:<column>: reason``.",
        "",
        title("Kinds of reference", "-"),
    ]
    for kind in schema.kinds.values():
        lines.append(f"``{kind.name}``\n   {rst_escape(kind.text)}")
    lines.append("")
    for spec in schema.tables.values():
        lines += _table_section(spec, schema)
    return "\n".join(lines) + "\n"
