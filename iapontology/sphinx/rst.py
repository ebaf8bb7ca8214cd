"""reStructuredText building blocks shared by the generated pages."""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["data_table", "dot_quote", "link", "rst_escape", "title"]

_RST_SPECIAL = re.compile(r"([\\`*_|\[\]<>])")


def rst_escape(text: object) -> str:
    """Escape characters that reStructuredText would read as markup; fold white space."""
    return _RST_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def title(text: str, char: str = "=") -> str:
    """A section title underlined with ``char``."""
    return f"{text}\n{char * max(len(text), 3)}\n"


def link(url: str, text: str) -> str:
    """An anonymous hyperlink."""
    return f"`{rst_escape(text)} <{url}>`__"


def dot_quote(text: object) -> str:
    """Text made safe inside a double-quoted Graphviz string."""
    return str(text).replace("\\", "\\\\").replace('"', '\\"')


def data_table(caption: str, header: Sequence[str], rows: Sequence[Sequence[str]],
               csv_file: str | None = None) -> list[str]:
    """A list-table that the site's script makes sortable and filterable, with an optional
    link to download the same rows as CSV (``csv_file`` relative to the page)."""
    lines = []
    if csv_file:
        lines += [f":download:`Download these {len(rows)} rows as CSV <{csv_file}>`", ""]
    lines += [f".. list-table:: {caption}", "   :header-rows: 1", "   :class: data-table", ""]
    for row in [list(header), *rows]:
        lines.append(f"   * - {row[0] or ' '}")
        lines += [f"     - {cell or ' '}" for cell in row[1:]]
    lines.append("")
    return lines
