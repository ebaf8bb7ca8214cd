"""The declarative schema of the curated tables (``knowledge/schema.toml``), as Python objects.

One file says, for every table and every column, what a cell may hold: its type, whether it is
required, whether it takes several ``|``-separated values, which kind of term a reference must
name, its allowed values and a line for curators. Validation
(:mod:`iapontology.knowledge.curation`),
the assembly of record tables (:mod:`iapontology.build.assemble`) and the docs' table reference page
all read it from here. This module only loads and checks the file's shape; whether the classes
and properties it names exist is checked with the tables.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from iapontology.identifiers import LOCAL_PATTERNS
from iapontology.knowledge.tables import CurationError
from iapontology.paths import KNOWLEDGE_DIR

__all__ = [
    "ROLES",
    "SCHEMA_FILE",
    "TYPES",
    "Column",
    "Kind",
    "Schema",
    "TableSpec",
    "key_lines",
    "load_schema",
    "schema_path",
]

SCHEMA_FILE = "schema.toml"
TYPES = ("id", "label", "text", "ref", "source", "curie", "choice", "count", "iri", "date")
ROLES = ("bibliography", "reused", "properties", "terms", "axioms", "records", "obsolete",
         "metadata")
_COLUMN_KEYS = {"type", "required", "multi", "names", "kind", "prefixes", "exclude_prefixes",
                "allowed", "property", "required_unless", "description"}
_TABLE_KEYS = {"file", "role", "description", "columns_from", "columns", "class", "section",
               "unique_together"}
_KIND_KEYS = {"text", "tables", "under", "properties", "records"}


@dataclass(frozen=True)
class Kind:
    """What a reference cell must name: rows of ``tables``, classes ``under`` some roots,
    properties (``"any"``/``"object"``) or records of one table."""

    name: str
    text: str
    tables: tuple[str, ...] = ()
    under: tuple[str, ...] = ()
    properties: str = ""
    records: str = ""

    @property
    def noun(self) -> str:
        """What an unknown identifier is called in a problem ("class", "object property")."""
        if self.properties:
            return "object property" if self.properties == "object" else "property"
        return "record" if self.records else "class"


@dataclass(frozen=True)
class Column:
    """One column of a table, as the schema declares it."""

    name: str
    type: str
    description: str
    required: bool | str = False
    multi: bool = False
    names: bool = False
    kind: str = ""
    prefixes: tuple[str, ...] | None = None
    exclude_prefixes: tuple[str, ...] = ()
    allowed: tuple[str, ...] = ()
    property: str = ""
    required_unless: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableSpec:
    """One table of the knowledge folder: its file, role and columns in order."""

    name: str
    file: str
    role: str
    description: str
    columns: tuple[Column, ...]
    record_class: str = ""
    section: str = ""
    unique_together: tuple[str, ...] = ()

    def column(self, name: str) -> Column:
        """The column called ``name`` (KeyError if the table has none)."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def key(self) -> Column | None:
        """The ``id``-typed column that identifies a row, if the table has one."""
        return next((c for c in self.columns if c.type == "id"), None)

    def _with_property(self, types: tuple[str, ...]) -> dict[str, str]:
        return {c.name: c.property for c in self.columns if c.property and c.type in types}

    @property
    def links(self) -> dict[str, str]:
        """Record columns written as ``property some Class``: column -> property CURIE."""
        return {c.name: c.property for c in self.columns
                if c.property and c.type == "ref" and not self._to_record(c)}

    @property
    def relations(self) -> dict[str, str]:
        """Record columns linking two records: column -> object property CURIE."""
        return {c.name: c.property for c in self.columns if c.property and self._to_record(c)}

    @property
    def text(self) -> dict[str, str]:
        """Record columns written as annotation values: column -> annotation property CURIE."""
        return self._with_property(("text", "choice"))

    @property
    def xrefs(self) -> list[str]:
        """Record columns written as database cross-references (curie columns)."""
        return [c.name for c in self.columns if self.role == "records" and c.type == "curie"]

    def _to_record(self, column: Column) -> bool:
        return column.type == "ref" and column.kind in self.record_kinds

    #: names of the kinds that point to records (set by the loader)
    record_kinds: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Schema:
    """Every table of the knowledge folder and the kinds of term its references name."""

    path: Path
    kinds: dict[str, Kind]
    tables: dict[str, TableSpec]
    lines: dict[tuple[str, str], int]

    def of_role(self, *roles: str) -> list[TableSpec]:
        """The tables with one of ``roles``, in the schema's order."""
        return [t for t in self.tables.values() if t.role in roles]

    def where(self, section: str, key: str = "") -> str:
        """``schema.toml:line:section.key`` of a declaration, for problems."""
        line = self.lines.get((section, key)) or self.lines.get((section, "")) or 0
        shown = f"{self.path.parent.name}/{self.path.name}"
        return f"{shown}:{line}:{section}{'.' + key if key else ''}"


def key_lines(text: str) -> dict[tuple[str, str], int]:
    """Map (TOML section, key) to the line declaring it; (section, '') is the header's line.

    A dotted section such as ``tables.iaps.columns`` is stored as ``tables.iaps``.
    """
    found: dict[tuple[str, str], int] = {}
    section = ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"\s*\[([^\]]+)\]", line)
        if header:
            section = header.group(1).strip().removesuffix(".columns")
            found.setdefault((section, ""), number)
            continue
        key = re.match(r"\s*([A-Za-z0-9_]+)\s*=", line)
        if key:
            found.setdefault((section, key.group(1)), number)
    return found


def schema_path(directory: Path) -> Path:
    """The schema for a knowledge folder: its own ``schema.toml``, else the packaged one."""
    own = directory / SCHEMA_FILE
    return own if own.exists() else KNOWLEDGE_DIR / SCHEMA_FILE


def load_schema(path: Path = KNOWLEDGE_DIR / SCHEMA_FILE) -> Schema:
    """Read ``schema.toml``; raise :class:`CurationError` listing every malformed declaration."""
    shown = f"{path.parent.name}/{path.name}"
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise CurationError([f"{shown}:0:-: {error}"]) from None
    lines = key_lines(text)
    problems: list[str] = []

    def problem(section: str, key: str, reason: str) -> None:
        line = lines.get((section, key)) or lines.get((section, "")) or 0
        problems.append(f"{shown}:{line}:{section}{'.' + key if key else ''}: {reason}")

    kinds: dict[str, Kind] = {}
    for name, spec in data.get("kinds", {}).items():
        for key in set(spec) - _KIND_KEYS:
            problem(f"kinds.{name}", key, "unknown setting")
        kinds[name] = Kind(name, spec.get("text", name), tuple(spec.get("tables", ())),
                           tuple(spec.get("under", ())), spec.get("properties", ""),
                           spec.get("records", ""))
    record_kinds = frozenset(k.name for k in kinds.values() if k.records)
    sets = data.get("column_sets", {})
    tables: dict[str, TableSpec] = {}
    for name, spec in data.get("tables", {}).items():
        section = f"tables.{name}"
        for key in set(spec) - _TABLE_KEYS:
            problem(section, key, "unknown setting")
        if spec.get("role") not in ROLES:
            problem(section, "role", f"role must be one of {', '.join(ROLES)}")
        merged = dict(sets.get(spec.get("columns_from", ""), {}))
        if spec.get("columns_from") and spec["columns_from"] not in sets:
            problem(section, "columns_from", f"no column set {spec['columns_from']!r}")
        merged.update(spec.get("columns", {}))
        columns = []
        for column_name, column in merged.items():
            for reason in _column_problems(column, kinds):
                problem(section, column_name, reason)
            columns.append(_column(column_name, column))
        tables[name] = TableSpec(
            name, spec.get("file", f"{name}.tsv"), spec.get("role", ""),
            spec.get("description", ""), tuple(columns), spec.get("class", ""),
            spec.get("section", ""), tuple(spec.get("unique_together", ())), record_kinds,
        )
    for kind in kinds.values():
        for table in kind.tables + ((kind.records,) if kind.records else ()):
            if table not in tables:
                problem(f"kinds.{kind.name}", "tables", f"no table {table!r}")
    if problems:
        raise CurationError(problems)
    return Schema(path, kinds, tables, lines)


def _column_problems(column: dict, kinds: dict[str, Kind]) -> list[str]:
    """What is wrong with one column declaration (empty when nothing)."""
    problems = [f"unknown setting {key!r}" for key in sorted(set(column) - _COLUMN_KEYS)]
    kind = column.get("type")
    if kind not in TYPES:
        problems.append(f"type must be one of {', '.join(TYPES)}")
    if kind == "ref" and column.get("kind") not in kinds:
        problems.append(f"a ref column needs a kind from [kinds], not {column.get('kind')!r}")
    if kind == "choice" and not column.get("allowed"):
        problems.append("a choice column needs its allowed values")
    for prefix in [*column.get("prefixes", ()), *column.get("exclude_prefixes", ())]:
        if prefix not in LOCAL_PATTERNS:
            problems.append(f"unknown CURIE prefix {prefix!r}")
    if column.get("required", False) not in (True, False, "own"):
        problems.append("required must be true, false or \"own\"")
    if not str(column.get("description", "")).strip():
        problems.append("every column needs a description for curators")
    return problems


def _column(name: str, spec: dict) -> Column:
    prefixes = spec.get("prefixes")
    return Column(
        name=name, type=spec.get("type", ""), description=spec.get("description", ""),
        required=spec.get("required", False), multi=bool(spec.get("multi", False)),
        names=bool(spec.get("names", False)), kind=spec.get("kind", ""),
        prefixes=tuple(prefixes) if prefixes is not None else None,
        exclude_prefixes=tuple(spec.get("exclude_prefixes", ())),
        allowed=tuple(spec.get("allowed", ())), property=spec.get("property", ""),
        required_unless=tuple(spec.get("required_unless", ())),
    )
