"""Resolving reference cells: a CURIE, or the exact label or synonym of one term of a kind.

A curator may write ``LCL161`` where ``IAPO:0000702`` is meant. The :class:`TermIndex` knows
every referable ID (own terms, reused terms, properties, records), its table, its parents and
the names it goes by; :meth:`TermIndex.resolve` turns one cell value into one ID of the
required :class:`~iapontology.knowledge.table_schema.Kind` or says why it cannot.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from iapontology.identifiers import curie_problem, split_curie
from iapontology.knowledge.table_schema import Kind
from iapontology.knowledge.tables import LIST_SEPARATOR

__all__ = ["Entry", "TermIndex"]


@dataclass
class Entry:
    """One referable ID: the table it is a row of, its label, raw parents, property kind."""

    table: str
    label: str
    parents: list[str]
    property_kind: str = ""


@dataclass
class TermIndex:
    """Every referable ID and every name (label or exact synonym) that points to it."""

    entries: dict[str, Entry] = field(default_factory=dict)
    names: dict[str, list[str]] = field(default_factory=dict)
    retired: dict[str, str] = field(default_factory=dict)

    def add_name(self, name: str, curie: str) -> None:
        """Let ``name`` refer to ``curie`` (several IDs may share a name: it is then ambiguous)."""
        ids = self.names.setdefault(name, [])
        if curie not in ids:
            ids.append(curie)

    def lookup(self, text: str) -> str | None:
        """The one ID ``text`` is (a known CURIE) or names; None when unknown or ambiguous."""
        if text in self.entries:
            return text
        ids = self.names.get(text, [])
        return ids[0] if len(ids) == 1 else None

    def ancestors(self, curie: str) -> set[str]:
        """``curie`` and every class above it through ``parents`` (given as IDs or names)."""
        found: set[str] = set()
        todo = [curie]
        while todo:
            current = todo.pop()
            if current in found:
                continue
            found.add(current)
            entry = self.entries.get(current)
            if entry is not None:
                todo.extend(p for p in map(self.lookup, entry.parents) if p)
        return found

    def is_a(self, curie: str, kind: Kind) -> bool:
        """Whether the known ID ``curie`` is of ``kind``."""
        entry = self.entries[curie]
        if kind.records:
            return entry.table == kind.records
        if kind.properties:
            return entry.table == "properties" and kind.properties in ("any", entry.property_kind)
        if entry.table in kind.tables:
            return True
        return bool(kind.under) and entry.table not in ("properties",) and bool(
            self.ancestors(curie) & set(kind.under))

    def describe(self, curie: str) -> str:
        """``CURIE 'label' (table.tsv)`` for problems that name candidates."""
        entry = self.entries[curie]
        return f"{curie} {entry.label!r} ({entry.table}.tsv)"

    def resolve(self, text: str, kind: Kind) -> tuple[str | None, str | None]:
        """``(ID, None)`` when ``text`` names one term of ``kind``; else ``(None, reason)``."""
        if text in self.names or not _looks_like_curie(text):
            return self._by_name(text, kind)
        problem = curie_problem(text, ("IAPO",) if kind.records else None)
        if problem:
            return None, problem
        if text not in self.entries and kind.records:
            return None, f"{text} is not a record of this table"
        if text not in self.entries:
            reason = f"unknown {kind.noun} {text}"
            if text in self.retired:
                reason += f": it is retired (obsolete.tsv){self.retired[text]}"
            return None, reason
        if self.is_a(text, kind):
            return text, None
        return None, self._wrong_kind(text, kind)

    def _by_name(self, text: str, kind: Kind) -> tuple[str | None, str | None]:
        candidates = self.names.get(text, [])
        fitting = [c for c in candidates if self.is_a(c, kind)]
        if len(fitting) == 1:
            return fitting[0], None
        if len(fitting) > 1:
            named = "; ".join(self.describe(c) for c in fitting)
            return None, f"{text!r} is ambiguous: it names {named}; write the CURIE instead"
        if candidates:
            named = "; ".join(self.describe(c) for c in candidates)
            return None, f"{text!r} names {named}, which is not {kind.text}"
        reason = f"{text!r} is not a CURIE, nor the label or exact synonym of any term"
        if any(mark in text for mark in (",", ";")):
            reason += f"; separate several values with {LIST_SEPARATOR!r}"
        return None, reason

    def _wrong_kind(self, curie: str, kind: Kind) -> str:
        if kind.records:
            return f"{curie} is not a record of this table"
        if kind.properties:
            entry = self.entries[curie]
            return f"unknown {kind.noun} {curie}: it is {entry.label!r} from {entry.table}.tsv"
        shown = f"{curie} ({self.entries[curie].label})"
        if kind.under and not kind.tables:
            return f"{shown} is not a kind of {' or '.join(kind.under)}: expected {kind.text}"
        return f"{shown} is not {kind.text}"


def _looks_like_curie(text: str) -> bool:
    """``PREFIX:local`` with no white space: checked as a CURIE rather than looked up by name."""
    return split_curie(text) is not None and not any(ch.isspace() for ch in text)
