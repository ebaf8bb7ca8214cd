"""Load the curated source tables and check them before anything is built.

A biologist corrects a fact by editing one row of a table under ``knowledge/``; this module
reads every table, checks every row and either returns the whole :class:`Knowledge` or raises
one :class:`~iapontology.tables.CurationError` listing each problem as ``file:line: reason``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from iapontology.identifiers import SOURCE_PREFIXES, curie_problem
from iapontology.paths import KNOWLEDGE_DIR
from iapontology.tables import CurationError, Row, Table, read_table

#: Columns every term table has; kind-specific tables add their own.
TERM_COLUMNS = (
    "id", "label", "parents", "definition", "definition_source",
    "exact_synonyms", "related_synonyms", "xrefs",
)

#: The term tables, in build order, with their extra required columns.
TERM_TABLES: dict[str, tuple[str, ...]] = {
    "classes": (),
    "domains": (),
    "components": (),
    "mechanisms": (),
    "treatments": (),
    "cancers": (),
    "agents": ("highest_phase", "phase_source"),
    "iaps": (
        "hgnc_symbol", "hgnc_id", "ncbigene", "uniprot",
        "bir_domains", "domains", "architecture_source",
    ),
}

AXIOM_COLUMNS = ("subject", "relation", "object", "source", "via_domain", "note")
#: Tables of class-level relations (same columns): mechanisms, then what each agent targets.
AXIOM_TABLES = ("axioms", "agent_targets")

#: Clinical phases an agent can have reached, in order.
PHASES = ("preclinical", "phase 1", "phase 1/2", "phase 2", "phase 3", "approved")

#: Columns every record table (findings, trials, ...) has; the rest are set in records.toml.
RECORD_COLUMNS = ("id", "label", "definition", "definition_source")

PROPERTY_COLUMNS = (
    "id", "kind", "label", "parents", "definition", "definition_source",
    "domain", "range", "characteristics", "inverse_of",
)
PROPERTY_KINDS = ("object", "annotation")
PROPERTY_CHARACTERISTICS = ("transitive", "symmetric", "functional")
REUSED_KINDS = ("class",)


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
    #: record table name -> (its settings from records.toml, its rows)
    records: dict[str, tuple[dict, list[Row]]] = field(default_factory=dict)

    def rows_of(self, kind: str) -> list[Row]:
        """The rows of one term table (``'iaps'``, ``'domains'``...), in file order."""
        return [row for curie, row in self.terms.items() if self.term_kind[curie] == kind]

    def label_of(self, curie: str) -> str:
        """The label of any known term or property."""
        for index in (self.terms, self.properties, self.reused):
            if curie in index:
                return index[curie].get("label")
        raise KeyError(curie)


class _Checker:
    """Collects problems while the tables are read."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.labels: dict[str, str] = {}

    def add(self, row: Row, reason: str) -> None:
        self.problems.append(f"{row.where}: {reason}")

    def curie(self, row: Row, column: str, value: str, allowed: tuple[str, ...] | None) -> bool:
        problem = curie_problem(value, allowed)
        if problem:
            self.add(row, f"{column}: {problem}")
            return False
        return True

    def unique_label(self, row: Row, curie: str) -> None:
        label = row.get("label")
        if not label:
            self.add(row, f"{curie} has no label")
            return
        key = label.casefold()
        if key in self.labels and self.labels[key] != curie:
            self.add(row, f"label {label!r} is already used by {self.labels[key]}")
        else:
            self.labels[key] = curie


def _table(directory: Path, name: str, required: tuple[str, ...]) -> Table:
    return read_table(directory / f"{name}.tsv", required, display_root=directory.parent)


def load_knowledge(directory: Path = KNOWLEDGE_DIR) -> Knowledge:
    """Read and check every source table under ``directory``.

    Raises :class:`CurationError` with all problems found (unknown references, duplicate IDs
    or labels, missing definitions or sources, malformed identifiers), each as
    ``file:line: reason``.
    """
    problems: list[str] = []
    tables: dict[str, Table] = {}
    specs = {
        "bibliography": ("source", "citation"),
        "reused_terms": ("curie", "label", "kind", "parents"),
        "properties": PROPERTY_COLUMNS,
        **{name: AXIOM_COLUMNS for name in AXIOM_TABLES},
        "obsolete": ("id", "label", "replaced_by", "note"),
        **{name: TERM_COLUMNS + extra for name, extra in TERM_TABLES.items()},
    }
    try:
        record_specs = tomllib.loads((directory / "records.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        problems.append(f"{directory.name}/records.toml:0: {error}")
        record_specs = {}
    for name, spec in record_specs.items():
        specs[name] = RECORD_COLUMNS + tuple(spec.get("links", {})) + tuple(spec.get("text", {}))
    for name, required in specs.items():
        try:
            tables[name] = _table(directory, name, required)
        except CurationError as error:
            problems.extend(error.problems)
        except FileNotFoundError:
            problems.append(f"{directory.name}/{name}.tsv:0: the table is missing")
    meta_path = directory / "metadata.toml"
    try:
        metadata = tomllib.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        problems.append(f"{directory.name}/metadata.toml:0: {error}")
        metadata = {}
    if problems:
        raise CurationError(problems)

    knowledge = Knowledge(metadata=metadata)
    check = _Checker()
    _read_bibliography(tables["bibliography"], knowledge, check)
    _read_reused(tables["reused_terms"], knowledge, check)
    _read_ids(tables, knowledge, check)
    _check_properties(knowledge, check)
    _check_terms(knowledge, check)
    _check_obsolete(tables["obsolete"], knowledge, check)
    for name in AXIOM_TABLES:
        _check_axioms(tables[name], knowledge, check)
    for name, spec in record_specs.items():
        _check_records(name, spec, tables[name], knowledge, check)
    for key in ("iri", "version", "release_date", "version_iri", "title", "description",
                "license"):
        if not str(metadata.get("ontology", {}).get(key, "")).strip():
            check.problems.append(f"{directory.name}/metadata.toml:0: [ontology] needs {key!r}")
    if check.problems:
        raise CurationError(check.problems)
    return knowledge


def _read_bibliography(table: Table, knowledge: Knowledge, check: _Checker) -> None:
    for row in table.rows:
        source = row.get("source")
        if not check.curie(row, "source", source, SOURCE_PREFIXES):
            continue
        if source in knowledge.bibliography:
            first = knowledge.bibliography[source].where
            check.add(row, f"{source} is listed twice (first at {first})")
            continue
        if not row.get("citation"):
            check.add(row, f"{source} has no citation")
        knowledge.bibliography[source] = row


def _read_reused(table: Table, knowledge: Knowledge, check: _Checker) -> None:
    for row in table.rows:
        curie = row.get("curie")
        if not check.curie(row, "curie", curie, None):
            continue
        if curie.startswith("IAPO:"):
            check.add(row, f"{curie} is this ontology's own term; define it in a term table")
            continue
        if curie in knowledge.reused:
            check.add(row, f"duplicate ID {curie} (first at {knowledge.reused[curie].where})")
            continue
        if row.get("kind") not in REUSED_KINDS:
            check.add(row, f"kind must be one of {', '.join(REUSED_KINDS)}")
        check.unique_label(row, curie)
        knowledge.reused[curie] = row


def _read_ids(tables: dict[str, Table], knowledge: Knowledge, check: _Checker) -> None:
    """Index own terms and all properties by ID, refusing duplicates and bad IDs."""
    seen: dict[str, Row] = {}
    kinds = [("properties", tables["properties"])] + [(n, tables[n]) for n in TERM_TABLES]
    for kind, table in kinds:
        for row in table.rows:
            curie = row.get("id")
            own_only = None if kind == "properties" else ("IAPO",)
            if not check.curie(row, "id", curie, own_only):
                continue
            if curie in seen or curie in knowledge.reused:
                first = seen.get(curie) or knowledge.reused[curie]
                check.add(row, f"duplicate ID {curie} (first at {first.where})")
                continue
            seen[curie] = row
            check.unique_label(row, curie)
            if kind == "properties":
                knowledge.properties[curie] = row
            else:
                knowledge.terms[curie] = row
                knowledge.term_kind[curie] = kind


def _check_definition(row: Row, curie: str, knowledge: Knowledge, check: _Checker) -> None:
    if not row.get("definition"):
        check.add(row, f"{curie} has no definition")
    _check_sources(row, "definition_source", knowledge, check, required=True)


def _check_sources(
    row: Row, column: str, knowledge: Knowledge, check: _Checker, required: bool
) -> None:
    sources = row.values(column)
    if required and not sources:
        check.add(row, f"{column} is empty: every fact needs a PMID or DOI")
    for source in sources:
        well_formed = check.curie(row, column, source, SOURCE_PREFIXES)
        if well_formed and source not in knowledge.bibliography:
            check.add(row, f"{column}: {source} is not in the bibliography")


def _check_reference(
    row: Row, column: str, value: str, known: dict, check: _Checker, what: str
) -> None:
    if check.curie(row, column, value, None) and value not in known:
        check.add(row, f"{column}: unknown {what} {value}")


def _check_properties(knowledge: Knowledge, check: _Checker) -> None:
    classes = {**knowledge.terms, **knowledge.reused}
    for curie, row in knowledge.properties.items():
        if curie.startswith("IAPO:"):
            _check_definition(row, curie, knowledge, check)
        if row.get("kind") not in PROPERTY_KINDS:
            check.add(row, f"kind must be one of {', '.join(PROPERTY_KINDS)}")
        for parent in row.values("parents"):
            _check_reference(row, "parents", parent, knowledge.properties, check, "property")
        for column in ("domain", "range"):
            for value in row.values(column):
                _check_reference(row, column, value, classes, check, "class")
        for value in row.values("inverse_of"):
            _check_reference(row, "inverse_of", value, knowledge.properties, check, "property")
        for value in row.values("characteristics"):
            if value not in PROPERTY_CHARACTERISTICS:
                check.add(row, f"characteristics: {value!r} is not one of "
                               f"{', '.join(PROPERTY_CHARACTERISTICS)}")


def _check_terms(knowledge: Knowledge, check: _Checker) -> None:
    classes = {**knowledge.terms, **knowledge.reused}
    for row in knowledge.reused.values():
        for parent in row.values("parents"):
            _check_reference(row, "parents", parent, classes, check, "class")
    for curie, row in knowledge.terms.items():
        _check_definition(row, curie, knowledge, check)
        if not row.values("parents"):
            check.add(row, f"{curie} has no parent class")
        for parent in row.values("parents"):
            _check_reference(row, "parents", parent, classes, check, "class")
        for xref in row.values("xrefs"):
            check.curie(row, "xrefs", xref, None)
        if knowledge.term_kind[curie] == "iaps":
            _check_iap(row, knowledge, check)
        if knowledge.term_kind[curie] == "agents":
            if row.get("highest_phase") not in PHASES:
                check.add(row, f"highest_phase must be one of {', '.join(PHASES)}")
            _check_sources(row, "phase_source", knowledge, check, required=True)


def _check_iap(row: Row, knowledge: Knowledge, check: _Checker) -> None:
    for column, prefix in (("hgnc_id", "HGNC"), ("ncbigene", "NCBIGene"), ("uniprot", "UniProtKB")):
        value = row.get(column)
        if value:
            check.curie(row, column, value, (prefix,))
    count = row.get("bir_domains")
    if count and (not count.isdigit() or int(count) < 1):
        check.add(row, f"bir_domains must be empty (count not known) or a whole number >= 1, "
                       f"not {count!r}")
    for domain in row.values("domains"):
        if check.curie(row, "domains", domain, ("IAPO",)) and (
            knowledge.term_kind.get(domain) != "domains"
        ):
            check.add(row, f"domains: {domain} is not a domain from domains.tsv")
    _check_sources(row, "architecture_source", knowledge, check, required=True)


def _check_axioms(table: Table, knowledge: Knowledge, check: _Checker) -> None:
    """Relations between classes: known subject, object property, object; cited."""
    classes = {**knowledge.terms, **knowledge.reused}
    object_properties = {
        c: r for c, r in knowledge.properties.items() if r.get("kind") == "object"
    }
    seen = {(r.get("subject"), r.get("relation"), r.get("object")): r for r in knowledge.axioms}
    for row in table.rows:
        for column in ("subject", "object"):
            _check_reference(row, column, row.get(column), classes, check, "class")
        _check_reference(row, "relation", row.get("relation"), object_properties, check,
                         "object property")
        _check_sources(row, "source", knowledge, check, required=True)
        domain = row.get("via_domain")
        if domain and knowledge.term_kind.get(domain) != "domains":
            check.add(row, f"via_domain: {domain} is not a domain from domains.tsv")
        key = (row.get("subject"), row.get("relation"), row.get("object"))
        if key in seen:
            check.add(row, f"the same axiom is already at {seen[key].where}")
        seen[key] = row
        knowledge.axioms.append(row)


def _check_records(
    name: str, spec: dict, table: Table, knowledge: Knowledge, check: _Checker
) -> None:
    """Rows of a record table (individuals): own ID, label, definition, cited links."""
    classes = {**knowledge.terms, **knowledge.reused}
    properties = knowledge.properties
    for key in ("class",):
        if spec.get(key) not in classes:
            check.problems.append(f"knowledge/records.toml:0: [{name}] {key} is not a known class")
    for column, prop in {**spec.get("links", {}), **spec.get("text", {})}.items():
        if prop not in properties:
            check.problems.append(f"knowledge/records.toml:0: [{name}] {column}: unknown "
                                  f"property {prop}")
    required = set(spec.get("required", []))
    for row in table.rows:
        curie = row.get("id")
        if not check.curie(row, "id", curie, ("IAPO",)):
            continue
        if curie in knowledge.terms or curie in knowledge.properties or any(
            curie == r.get("id") for _, rows in knowledge.records.values() for r in rows
        ):
            check.add(row, f"duplicate ID {curie}")
            continue
        check.unique_label(row, curie)
        _check_definition(row, curie, knowledge, check)
        for column in spec.get("links", {}):
            values = row.values(column)
            if column in required and not values:
                check.add(row, f"{column} is empty")
            for value in values:
                _check_reference(row, column, value, classes, check, "class")
        for column in spec.get("xrefs", []):
            for value in row.values(column):
                check.curie(row, column, value, None)
        for column, allowed in spec.get("choices", {}).items():
            for value in row.values(column):
                if value not in allowed:
                    check.add(row, f"{column}: {value!r} is not one of {', '.join(allowed)}")
        knowledge.records.setdefault(name, (spec, []))[1].append(row)
    knowledge.records.setdefault(name, (spec, []))


def _check_obsolete(table: Table, knowledge: Knowledge, check: _Checker) -> None:
    """Retired terms: own IDs no longer in use, each pointing to a live replacement."""
    live = {**knowledge.terms, **knowledge.reused}
    for row in table.rows:
        curie = row.get("id")
        if not check.curie(row, "id", curie, ("IAPO",)):
            continue
        if curie in live or curie in knowledge.properties or curie in knowledge.obsolete:
            check.add(row, f"duplicate ID {curie}: a retired ID is never used again")
            continue
        if not row.get("label"):
            check.add(row, f"{curie} has no label")
        replacement = row.get("replaced_by")
        if replacement and replacement not in live:
            check.add(row, f"replaced_by: {replacement} is not a live term")
        knowledge.obsolete[curie] = row


__all__ = [
    "AXIOM_COLUMNS",
    "AXIOM_TABLES",
    "PHASES",
    "PROPERTY_CHARACTERISTICS",
    "PROPERTY_COLUMNS",
    "PROPERTY_KINDS",
    "RECORD_COLUMNS",
    "REUSED_KINDS",
    "TERM_COLUMNS",
    "TERM_TABLES",
    "Knowledge",
    "load_knowledge",
]
