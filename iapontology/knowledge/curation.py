"""Load the curated source tables, checked against the schema, as one :class:`Knowledge`.

A biologist corrects a fact by editing one row of a table under ``knowledge/``. What every
table and column may hold is declared once, in ``knowledge/schema.toml``
(:mod:`iapontology.knowledge.table_schema`); :mod:`iapontology.knowledge.validation` checks
every cell against it. This module either returns the whole :class:`Knowledge`, with every
reference cell resolved to an ID, or raises one
:class:`~iapontology.knowledge.tables.CurationError` listing each problem as
``file:line:column: reason``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from iapontology.knowledge.table_schema import Schema, TableSpec, load_schema, schema_path
from iapontology.knowledge.tables import Row
from iapontology.knowledge.validation import Validator
from iapontology.paths import KNOWLEDGE_DIR

__all__ = ["Knowledge", "load_knowledge"]


@dataclass
class Knowledge:
    """Everything the curated tables say, checked and indexed by identifier."""

    metadata: dict
    bibliography: dict[str, Row] = field(default_factory=dict)
    reused: dict[str, Row] = field(default_factory=dict)
    properties: dict[str, Row] = field(default_factory=dict)
    terms: dict[str, Row] = field(default_factory=dict)
    term_kind: dict[str, str] = field(default_factory=dict)
    axioms: list[Row] = field(default_factory=list)
    obsolete: dict[str, Row] = field(default_factory=dict)
    #: record table name -> (its declaration in schema.toml, its rows)
    records: dict[str, tuple[TableSpec, list[Row]]] = field(default_factory=dict)
    #: what was checked: rows per table, reference cells, of which given by label or synonym
    counts: dict[str, int] = field(default_factory=dict)
    references: int = 0
    by_name: int = 0

    def rows_of(self, kind: str) -> list[Row]:
        """The rows of one term table (``'iaps'``, ``'domains'``...), in file order."""
        return [row for curie, row in self.terms.items() if self.term_kind[curie] == kind]

    def label_of(self, curie: str) -> str:
        """The label of any known term or property."""
        for index in (self.terms, self.properties, self.reused):
            if curie in index:
                return index[curie].get("label")
        raise KeyError(curie)


def load_knowledge(directory: Path = KNOWLEDGE_DIR, schema: Schema | None = None) -> Knowledge:
    """Read and check every table under ``directory`` against ``schema``.

    The schema is the folder's own ``schema.toml`` (else the packaged one). Raises
    :class:`~iapontology.knowledge.tables.CurationError` with all problems found (unknown,
    ambiguous or wrong-kind references, duplicate IDs or labels, missing required cells,
    values outside their allowed set, malformed identifiers), each as
    ``file:line:column: reason``.
    """
    schema = schema or load_schema(schema_path(directory))
    checked = Validator(schema, directory).run()
    knowledge = Knowledge(metadata=checked.metadata, counts=checked.counts,
                          references=checked.references, by_name=checked.by_name)
    for spec in schema.tables.values():
        rows = checked.rows.get(spec.name, [])
        key = spec.key.name if spec.key else ""
        if spec.role == "bibliography":
            knowledge.bibliography.update((row.get(key), row) for row in rows)
        elif spec.role == "reused":
            knowledge.reused.update((row.get(key), row) for row in rows)
        elif spec.role == "properties":
            knowledge.properties.update((row.get(key), row) for row in rows)
        elif spec.role == "terms":
            for row in rows:
                knowledge.terms[row.get(key)] = row
                knowledge.term_kind[row.get(key)] = spec.name
        elif spec.role == "axioms":
            knowledge.axioms.extend(rows)
        elif spec.role == "obsolete":
            knowledge.obsolete.update((row.get(key), row) for row in rows)
        elif spec.role == "records":
            knowledge.records[spec.name] = (spec, rows)
    return knowledge


