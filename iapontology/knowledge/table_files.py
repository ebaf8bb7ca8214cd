"""Reading the files of a knowledge folder: the tables' headers and ``metadata.toml``.

The first step of validation (:mod:`iapontology.knowledge.validation`): every file the schema
declares
is there and readable, every table's header has exactly the declared columns, and the
metadata's keys fit their declarations. Problems read ``file:line:column: reason``.
"""

from __future__ import annotations

import datetime
import tomllib
from pathlib import Path

from iapontology.knowledge.table_schema import Column, Schema, key_lines
from iapontology.knowledge.tables import CurationError, Table, read_table

__all__ = ["metadata_problems", "read_tables"]


def read_tables(schema: Schema, directory: Path) -> tuple[dict[str, Table], dict, list[str]]:
    """Read every table ``schema`` declares and ``metadata.toml``, checking each header.

    Returns the tables by name, the metadata and the problems (a missing file, a missing or
    undeclared column, a row wider than its header, unreadable TOML).
    """
    tables: dict[str, Table] = {}
    problems: list[str] = []
    shown = directory.name
    metadata: dict = {}
    for spec in schema.tables.values():
        path = directory / spec.file
        if spec.role == "metadata":
            try:
                metadata = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError) as error:
                problems.append(f"{shown}/{spec.file}:0:-: {error}")
            continue
        if not path.exists():
            problems.append(f"{shown}/{spec.file}:0:-: the table is missing")
            continue
        required = tuple(c.name for c in spec.columns)
        try:
            table = read_table(path, required, display_root=directory.parent)
        except CurationError as error:
            problems.extend(error.problems)
            continue
        declared = set(required)
        for column in table.columns:
            if column not in declared:
                problems.append(
                    f"{shown}/{spec.file}:{table.header_line}:{column}: column {column!r} "
                    f"is not declared in schema.toml [tables.{spec.name}]")
        tables[spec.name] = table
    return tables, metadata, problems


def metadata_problems(schema: Schema, directory: Path, metadata: dict) -> list[str]:
    """Every key of ``metadata.toml``'s declared section checked against its declaration."""
    problems: list[str] = []
    for spec in schema.of_role("metadata"):
        path = directory / spec.file
        lines = key_lines(path.read_text(encoding="utf-8"))
        shown = f"{directory.name}/{spec.file}"
        section = metadata.get(spec.section)
        if not isinstance(section, dict):
            problems.append(f"{shown}:0:-: needs an [{spec.section}] table")
            continue
        declared = {c.name for c in spec.columns}
        for key in section:
            if key not in declared:
                line = lines.get((spec.section, key), 0)
                problems.append(f"{shown}:{line}:{key}: [{spec.section}] {key!r} is "
                                     "not declared in schema.toml")
        for column in spec.columns:
            line = lines.get((spec.section, column.name)) or lines.get((spec.section, ""), 0)
            reason = _metadata_problem(section.get(column.name), column, spec.section)
            if reason:
                problems.append(f"{shown}:{line}:{column.name}: {reason}")
    return problems


def _metadata_problem(value: object, column: Column, section: str) -> str | None:
    """Why one [section] key of metadata.toml does not fit its declaration (None: fine)."""
    if value is None or value == "" or value == []:
        return f"[{section}] needs {column.name!r}" if column.required else None
    if column.multi:
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip()
                                                  for v in value):
            return f"{column.name} must be a list of non-empty strings"
        return None
    if not isinstance(value, str) or not value.strip():
        return f"{column.name} must be a non-empty string"
    if column.type == "iri" and not value.startswith(("https://", "http://")):
        return f"{column.name} must be an http(s) IRI, not {value!r}"
    if column.type == "date":
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return f"{column.name} must be a date written YYYY-MM-DD, not {value!r}"
    return None
