"""Reading the curated source tables (tab-separated, one file per kind of thing).

Each table has a header row; ``#`` starts a comment line and blank lines are skipped. Cells
that hold several values separate them with ``|``. Every row remembers its file and line so
that a curation error can be reported as ``file:line:column: reason``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

LIST_SEPARATOR = "|"


class CurationError(Exception):
    """One or more rows of the source tables are wrong; ``problems`` lists them all."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Row:
    """One data row of a table, with where it came from."""

    file: str
    line: int
    cells: dict[str, str]

    @property
    def where(self) -> str:
        """``file:line`` of this row, for error messages."""
        return f"{self.file}:{self.line}"

    def get(self, column: str) -> str:
        """The stripped text of a cell ('' when empty or absent)."""
        return self.cells.get(column, "").strip()

    def values(self, column: str) -> list[str]:
        """The ``|``-separated values of a cell, stripped, empty ones dropped."""
        return [v.strip() for v in self.get(column).split(LIST_SEPARATOR) if v.strip()]


@dataclass
class Table:
    """A parsed table: its name (file stem), columns and rows."""

    name: str
    path: Path
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    #: the line of the header row
    header_line: int = 0


def read_table(
    path: Path, required: tuple[str, ...] = (), display_root: Path | None = None
) -> Table:
    """Read one tab-separated table, checking its header and the width of every row.

    Raises :class:`CurationError` naming ``file:line:column`` for a missing column or a row with
    more cells than the header (column ``-``: the row as a whole).
    """
    shown = str(path.relative_to(display_root)) if display_root else str(path)
    problems: list[str] = []
    columns: list[str] | None = None
    header_line = 0
    rows: list[Row] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for number, raw in enumerate(handle, start=1):
            text = raw.rstrip("\r\n")
            if not text.strip() or text.lstrip().startswith("#"):
                continue
            cells = text.split("\t")
            if columns is None:
                columns = [c.strip() for c in cells]
                header_line = number
                missing = [c for c in required if c not in columns]
                if missing:
                    problems.append(
                        f"{shown}:{number}:{missing[0]}: missing column(s) {', '.join(missing)}")
                continue
            if len(cells) > len(columns):
                problems.append(
                    f"{shown}:{number}:-: {len(cells)} cells but the header has {len(columns)}"
                )
                continue
            rows.append(Row(shown, number, dict(zip(columns, cells, strict=False))))
    if columns is None:
        problems.append(f"{shown}:1:-: the table has no header row")
    if problems:
        raise CurationError(problems)
    return Table(path.stem, path, columns or [], rows, header_line)


__all__ = ["LIST_SEPARATOR", "CurationError", "Row", "Table", "read_table"]
