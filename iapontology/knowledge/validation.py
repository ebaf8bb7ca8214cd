"""Checking every cell of the curated tables against the schema, resolving references.

:class:`Validator` reads the tables that a
:class:`~iapontology.knowledge.table_schema.Schema` declares (with
:mod:`iapontology.knowledge.table_files`), then checks them in two passes: first every row's
own ID and names (so that any cell may refer to any row), then every cell by its column's
declaration. Each problem is one line,
``knowledge/<file>:<line>:<column>: reason`` (column ``-`` for the row or file as a whole).
Reference cells given as a label or synonym are replaced by the ID they resolve to, so the
build sees IDs only. Needs neither Owlready2 nor Java.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from iapontology.identifiers import curie_problem
from iapontology.knowledge.references import Entry, TermIndex
from iapontology.knowledge.table_files import metadata_problems, read_tables
from iapontology.knowledge.table_schema import Column, Schema, TableSpec
from iapontology.knowledge.tables import LIST_SEPARATOR, CurationError, Row, Table

__all__ = ["REFERABLE", "Checked", "IdentifierPass", "Validator", "schema_problems",
           "value_problem"]

#: Roles whose rows can be named by a reference cell.
REFERABLE = ("reused", "properties", "terms", "records")


@dataclass
class Checked:
    """The outcome of a clean validation: resolved rows per table, metadata, counts."""

    rows: dict[str, list[Row]]
    metadata: dict
    references: int = 0
    by_name: int = 0
    counts: dict[str, int] = field(default_factory=dict)


class IdentifierPass:
    """The state of a validation and its first pass: every row's own ID and names go into a
    :class:`~iapontology.knowledge.references.TermIndex`, so that any cell may then refer to
    any row; :class:`Validator` adds the second pass."""

    def __init__(self, schema: Schema, directory: Path):
        self.schema = schema
        self.directory = directory
        self.problems: list[str] = []
        self.tables: dict[str, Table] = {}
        self.index = TermIndex()
        self.first: dict[str, Row] = {}
        self.labels: dict[str, str] = {}
        self.skip: set[tuple[str, int]] = set()
        self.references = 0
        self.by_name = 0
        self.together: dict[tuple[str, ...], Row] = {}
        bibliography = schema.of_role("bibliography")[0]
        self.source_prefixes = bibliography.key.prefixes if bibliography.key else None
        self.sources: set[str] = set()

    def add(self, row: Row, column: str, reason: str) -> None:
        """Record one problem at ``row``'s file and line, in ``column``."""
        self.problems.append(f"{row.where}:{column}: {reason}")

    # -- pass 1: IDs and names ------------------------------------------------------------
    def _index(self, spec: TableSpec) -> None:
        key = spec.key
        if key is None:
            return
        for row in self.tables[spec.name].rows:
            curie = row.get(key.name)
            if not self._good_id(row, key, curie):
                self.skip.add((row.file, row.line))
                continue
            self.first[curie] = row
            if spec.role == "bibliography":
                self.sources.add(curie)
            if spec.role == "obsolete":
                replacement = row.get("replaced_by")
                self.index.retired[curie] = f", use {replacement}" if replacement else ""
            if spec.role not in REFERABLE:
                continue
            label = row.get("label")
            self.index.entries[curie] = Entry(spec.name, label, row.values("parents"),
                                              row.get("kind") if spec.role == "properties"
                                              else "")
            if label:
                self._unique_label(row, curie, label)
                self.index.add_name(label, curie)
            for column in spec.columns:
                for name in row.values(column.name) if column.names else ():
                    self.index.add_name(name, curie)

    def _good_id(self, row: Row, key: Column, curie: str) -> bool:
        if not curie:
            self.add(row, key.name, f"{key.name} is empty: every row needs its ID")
            return False
        if LIST_SEPARATOR in curie:
            self.add(row, key.name, f"{key.name} takes one value, not several")
            return False
        problem = curie_problem(curie, key.prefixes)
        if problem:
            self.add(row, key.name, problem)
            return False
        if curie.split(":")[0] in key.exclude_prefixes:
            self.add(row, key.name,
                     f"{curie} is this ontology's own term; define it in a term table")
            return False
        if curie in self.first:
            self.add(row, key.name, f"duplicate ID {curie} (first at {self.first[curie].where})")
            return False
        return True

    def _unique_label(self, row: Row, curie: str, label: str) -> None:
        folded = label.casefold()
        if folded in self.labels and self.labels[folded] != curie:
            self.add(row, "label", f"label {label!r} is already used by {self.labels[folded]}")
        else:
            self.labels[folded] = curie


class Validator(IdentifierPass):
    """Reads and checks one knowledge folder against its schema, collecting every problem."""

    def run(self) -> Checked:
        """Check everything; raise :class:`CurationError` with every problem found."""
        self.tables, metadata, self.problems = read_tables(self.schema, self.directory)
        if self.problems:
            raise CurationError(self.problems)
        for spec in self.schema.tables.values():
            if spec.name in self.tables:
                self._index(spec)
        self.problems += schema_problems(self.schema, self.index)
        rows = {name: self._check_table(self.schema.tables[name], table)
                for name, table in self.tables.items()}
        self.problems += metadata_problems(self.schema, self.directory, metadata)
        if self.problems:
            raise CurationError(self.problems)
        counts = {name: len(table) for name, table in rows.items()}
        return Checked(rows, metadata, self.references, self.by_name, counts)

    # -- pass 2: every cell ---------------------------------------------------------------
    def _check_table(self, spec: TableSpec, table: Table) -> list[Row]:
        checked: list[Row] = []
        for row in table.rows:
            if (row.file, row.line) in self.skip:
                continue
            cells = dict(row.cells)
            for column in spec.columns:
                resolved = self._check_cell(spec, row, column)
                if resolved is not None:
                    cells[column.name] = resolved
            fixed = Row(row.file, row.line, cells)
            if spec.unique_together:
                key = (spec.role, *(fixed.get(c) for c in spec.unique_together))
                if key in self.together:
                    what = "axiom" if spec.role == "axioms" else ", ".join(spec.unique_together)
                    self.add(row, spec.unique_together[0],
                             f"the same {what} is already at {self.together[key].where}")
                else:
                    self.together[key] = row
            checked.append(fixed)
        return checked

    def _check_cell(self, spec: TableSpec, row: Row, column: Column) -> str | None:
        """Check one cell; return its text with references replaced by IDs (None: unchanged)."""
        raw = row.get(column.name)
        if not raw:
            self._check_required(spec, row, column)
            return None
        pieces = raw.split(LIST_SEPARATOR)
        if len(pieces) > 1 and not column.multi:
            self.add(row, column.name, f"{column.name} takes one value; {LIST_SEPARATOR!r} "
                                       "separates values only in multi-valued columns")
            return None
        if any(not piece.strip() for piece in pieces):
            self.add(row, column.name, f"empty value between {LIST_SEPARATOR!r} separators "
                                       f"in {raw!r} (write a{LIST_SEPARATOR}b)")
        values = [piece.strip() for piece in pieces if piece.strip()]
        if column.type == "ref":
            return self._check_references(spec, row, column, values)
        for value in values:
            reason = value_problem(column, value, self.sources, self.source_prefixes)
            if reason:
                self.add(row, column.name, reason)
        return None

    def _check_required(self, spec: TableSpec, row: Row, column: Column) -> None:
        key = row.get(spec.key.name) if spec.key else ""
        required = column.required is True or (
            column.required == "own" and key.startswith("IAPO:"))
        if not required or self._excused(row, column):
            return
        if column.type == "source":
            self.add(row, column.name, f"{column.name} is empty: every fact needs a PMID or DOI")
        else:
            self.add(row, column.name, f"{column.name} is empty: {key or 'the row'} has no "
                                       f"{column.name}")

    def _excused(self, row: Row, column: Column) -> bool:
        """Whether a ``required_unless`` condition holds (a filled column, a value under a
        class)."""
        for condition in column.required_unless:
            other, _, root = condition.partition("=")
            values = [self.index.lookup(v) or v for v in row.values(other)]
            if values and (not root or any(root in self.index.ancestors(v) for v in values)):
                return True
        return False

    def _check_references(self, spec: TableSpec, row: Row, column: Column,
                          values: list[str]) -> str | None:
        kind = self.schema.kinds[column.kind]
        resolved: list[str] = []
        for value in values:
            self.references += 1
            curie, reason = self.index.resolve(value, kind)
            if curie is not None and kind.records and spec.key and curie == row.get(
                    spec.key.name):
                reason, curie = "a record cannot point to itself", None
            if curie is None:
                self.add(row, column.name, reason or f"cannot resolve {value!r}")
                continue
            self.by_name += curie != value
            resolved.append(curie)
        if len(resolved) != len(values) or resolved == values:
            return None
        return LIST_SEPARATOR.join(resolved)


def schema_problems(schema: Schema, index: TermIndex) -> list[str]:
    """The classes and properties schema.toml names exist, and its conditions make sense."""
    entries = index.entries
    problems: list[str] = []

    def is_class(curie: str) -> bool:
        return curie in entries and entries[curie].table not in ("properties",) and \
            schema.tables[entries[curie].table].role != "records"

    for kind in schema.kinds.values():
        for root in kind.under:
            if not is_class(root):
                problems.append(f"{schema.where(f'kinds.{kind.name}', 'under')}: "
                                f"unknown class {root}")
    for spec in schema.of_role("records"):
        if not is_class(spec.record_class):
            problems.append(f"{schema.where(f'tables.{spec.name}', 'class')}: "
                            f"{spec.record_class!r} is not a known class")
        names = {c.name for c in spec.columns}
        for column in spec.columns:
            where = schema.where(f"tables.{spec.name}", column.name)
            if column.property and column.property not in index.entries:
                problems.append(f"{where}: unknown property {column.property}")
            if column.required_unless and column.required is not True:
                problems.append(f"{where}: required_unless on a column that is not required")
            for condition in column.required_unless:
                other, _, root = condition.partition("=")
                if other not in names:
                    problems.append(f"{where}: required_unless: {other} is not a column")
                if root and not is_class(root):
                    problems.append(f"{where}: required_unless: unknown class {root}")
    return problems


def value_problem(column: Column, value: str, sources: set[str],
                  source_prefixes: tuple[str, ...] | None) -> str | None:
    """Why one value of a non-reference cell does not fit ``column`` (None: it fits)."""
    if column.type == "source":
        problem = curie_problem(value, source_prefixes)
        if problem:
            return problem
        if value not in sources:
            return f"{value} is not in the bibliography"
    elif column.type == "curie":
        return curie_problem(value, column.prefixes)
    elif column.type == "choice" and value not in column.allowed:
        return (f"{column.name} must be one of {', '.join(column.allowed)}; {value!r} is "
                "not one of them")
    elif column.type == "count" and (not value.isdigit() or int(value) < 1):
        return (f"{column.name} must be empty (count not known) or a whole number >= 1, "
                f"not {value!r}")
    return None
