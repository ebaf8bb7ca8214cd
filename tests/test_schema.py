"""The declarative schema of the curated tables: it covers every column, and every kind of bad
cell it can describe is caught at the right ``file:line:column``.

The bad cells are generated from the schema itself (every column of every table gets the
hostile values its type allows), so a column added later is tested without a new test.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from iapontology.knowledge.curation import load_knowledge
from iapontology.knowledge.table_schema import Column, TableSpec, key_lines, load_schema
from iapontology.knowledge.tables import CurationError
from iapontology.paths import KNOWLEDGE_DIR
from tests.conftest import edit_cell, edit_schema, expect_problem

SCHEMA = load_schema()
TSV_TABLES = [t for t in SCHEMA.tables.values() if t.role != "metadata"]

#: For each kind of reference: a known ID that is NOT of that kind (chosen by hand).
WRONG_KIND = {
    "class": "IAPO:1000002",  # a finding (an individual, not a class)
    "domain": "IAPO:0000104",  # XIAP
    "iap": "IAPO:0000901",  # ovarian cancer
    "iap_or_component": "IAPO:0000901",
    "agent": "IAPO:0000801",  # cisplatin: a chemotherapy drug, not an IAP-targeted agent
    "treatment": "IAPO:0000901",
    "intervention": "IAPO:0000901",
    "cancer": "IAPO:0000801",
    "condition": "IAPO:0000801",
    "mechanism": "IAPO:0000461",  # a kind of evidence
    "evidence": "IAPO:0000901",
    "effect": "IAPO:0000901",
    "alteration": "IAPO:0000465",  # an effect
    "property": "IAPO:0000104",
    "object_property": "IAPO:0000603",  # an annotation property
    "finding": "IAPO:2000001",  # a trial
}
#: For each kind of term that can have synonyms: two terms of that kind, in term tables.
TWO_OF_KIND = {
    "class": ("IAPO:0000104", "IAPO:0000102"),
    "domain": ("IAPO:0000010", "IAPO:0000011"),
    "iap": ("IAPO:0000104", "IAPO:0000102"),
    "iap_or_component": ("IAPO:0000104", "IAPO:0000102"),
    "agent": ("IAPO:0000701", "IAPO:0000702"),
    "treatment": ("IAPO:0000801", "IAPO:0000802"),
    "intervention": ("IAPO:0000801", "IAPO:0000802"),
    "cancer": ("IAPO:0000901", "IAPO:0000902"),
    "condition": ("IAPO:0000901", "IAPO:0000902"),
    "mechanism": ("IAPO:0000301", "IAPO:0000302"),
    "evidence": ("IAPO:0000461", "IAPO:0000462"),
    "effect": ("IAPO:0000465", "IAPO:0000466"),
    "alteration": ("IAPO:0000431", "IAPO:0000432"),
}
TERM_FILES = [t.file for t in SCHEMA.of_role("terms")]


def header_and_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """A table's header and data rows, read plainly (not through the package's reader)."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    return lines[0].split("\t"), [line.split("\t") for line in lines[1:]]


def label_of(curie: str) -> str:
    for name in TERM_FILES:
        header, rows = header_and_rows(KNOWLEDGE_DIR / name)
        for row in rows:
            if row[0] == curie:
                return row[header.index("label")]
    raise KeyError(curie)


# -- the schema covers the tables ------------------------------------------------------------
def test_every_file_of_the_knowledge_folder_is_described() -> None:
    files = {p.name for p in KNOWLEDGE_DIR.iterdir() if p.suffix in (".tsv", ".toml")}
    assert files - {"schema.toml"} == {t.file for t in SCHEMA.tables.values()}


@pytest.mark.parametrize("spec", TSV_TABLES, ids=lambda t: t.name)
def test_schema_declares_exactly_the_columns_of_each_table(spec: TableSpec) -> None:
    header, _ = header_and_rows(KNOWLEDGE_DIR / spec.file)
    assert [c.name for c in spec.columns] == header


def test_schema_declares_exactly_the_metadata_keys() -> None:
    spec = SCHEMA.tables["metadata"]
    meta = tomllib.loads((KNOWLEDGE_DIR / spec.file).read_text(encoding="utf-8"))
    assert list(meta) == [spec.section]
    assert {c.name for c in spec.columns} == set(meta[spec.section])


def test_every_kind_has_hostile_cases() -> None:
    assert set(WRONG_KIND) == set(SCHEMA.kinds)
    assert all(SCHEMA.kinds[k].properties or SCHEMA.kinds[k].records
               for k in set(SCHEMA.kinds) - set(TWO_OF_KIND))


def test_undeclared_column_is_refused(tables: Path) -> None:
    path = tables / "cancers.tsv"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if not line.startswith("#"))
    lines = [line + "\tstage" if i >= number and not line.startswith("#") else line
             for i, line in enumerate(lines, 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert_problem(tables, "cancers.tsv", number, "stage", "is not declared in schema.toml")


# -- generated bad cells, every column of every table ----------------------------------------
def target_row(spec: TableSpec) -> str:
    """The first cell of the row a test edits: the first own (IAPO:) row, else the first."""
    _, rows = header_and_rows(KNOWLEDGE_DIR / spec.file)
    if not rows:
        return "IAPO:0000999"  # obsolete.tsv is empty: the tests add this row
    return next((r[0] for r in rows if r[0].startswith("IAPO:")), rows[0][0])


def bad_values(spec: TableSpec, column: Column) -> list[tuple[str, str, str]]:
    """(case, value, part of the reason) for the hostile values a column's type allows."""
    cases: list[tuple[str, str, str]] = []
    if column.required is not False and not column.required_unless:
        reason = "every fact needs a PMID or DOI" if column.type == "source" else "is empty"
        cases.append(("missing", "", reason))
    if column.multi:
        good = "IAPO:0000104" if column.type != "source" else "PMID:9230442"
        cases.append(("empty-between", f"{good}||{good}", "empty value between '|'"))
    else:
        cases.append(("single", "a|b", "takes one value"))
    if column.type == "ref":
        kind = column.kind
        wrong = WRONG_KIND[kind]
        noun = SCHEMA.kinds[kind]
        expected = ("is not a record of this table" if noun.records else
                    f"unknown {noun.noun} {wrong}" if noun.properties else "is not ")
        cases.append(("wrong-kind", wrong, expected))
        cases.append(("unknown-label", "no such term anywhere", "nor the label or exact synonym"))
        cases.append(("unknown-id", "IAPO:0009999", "IAPO:0009999"))
        if kind in TWO_OF_KIND:
            cases.append(("wrong-kind-label", label_of_or_none(wrong), "which is not"))
        if column.multi:
            cases.append(("comma", "no such term, nor this", "separate several values with '|'"))
    elif column.type == "source":
        cases += [("not-cited", "PMID:1", "is not in the bibliography"),
                  ("bad-prefix", "GO:0006915", "expected one of PMID")]
    elif column.type == "curie":
        cases.append(("not-a-curie", "12345", "is not a CURIE"))
    elif column.type == "choice":
        cases.append(("outside", "something else", "is not one of them"))
    elif column.type == "count":
        cases += [("zero", "0", "whole number >= 1"), ("word", "three", "whole number >= 1")]
    elif column.type == "id":
        prefix = column.prefixes[0] if column.prefixes else "GO"
        cases.append(("malformed", f"{prefix}:!!", f"is not a valid {prefix} identifier"))
        if column.exclude_prefixes:
            cases.append(("own-prefix", "IAPO:0000104", "define it in a term table"))
    return [c for c in cases if c[1] is not None]


def label_of_or_none(curie: str) -> str | None:
    try:
        return label_of(curie)
    except KeyError:
        return None


CELL_CASES = [
    pytest.param(spec.name, column.name, value, reason, id=f"{spec.name}.{column.name}-{case}")
    for spec in TSV_TABLES for column in spec.columns
    for case, value, reason in bad_values(spec, column)
]


def prepare(tables: Path, spec: TableSpec) -> None:
    if spec.role == "obsolete":
        path = tables / spec.file
        path.write_text(path.read_text(encoding="utf-8")
                        + "IAPO:0000999\tretired thing\tIAPO:0000104\twas a duplicate\n",
                        encoding="utf-8")


def assert_problem(tables: Path, file: str, line: int, column: str, reason: str) -> None:
    with pytest.raises(CurationError) as caught:
        load_knowledge(tables)
    prefix = f"knowledge/{file}:{line}:{column}: "
    assert any(p.startswith(prefix) and reason in p for p in caught.value.problems), (
        prefix, reason, caught.value.problems)


@pytest.mark.parametrize(("table", "column", "value", "reason"), CELL_CASES)
def test_generated_bad_cell_is_caught_at_its_place(tables: Path, table: str, column: str,
                                                   value: str, reason: str) -> None:
    spec = SCHEMA.tables[table]
    prepare(tables, spec)
    line = edit_cell(tables / spec.file, target_row(spec), column, value)
    assert_problem(tables, spec.file, line, column, reason)


REF_COLUMNS = [(s, c) for s in TSV_TABLES for c in s.columns
               if c.type == "ref" and c.kind in TWO_OF_KIND]


@pytest.mark.parametrize(("table", "column"), [(s.name, c.name) for s, c in REF_COLUMNS],
                         ids=[f"{s.name}.{c.name}" for s, c in REF_COLUMNS])
def test_ambiguous_synonym_is_caught_naming_both_candidates(tables: Path, table: str,
                                                            column: str) -> None:
    spec = SCHEMA.tables[table]
    first, second = TWO_OF_KIND[spec.column(column).kind]
    for curie in (first, second):
        name = next(f for f in TERM_FILES
                    if f"\n{curie}\t" in (tables / f).read_text(encoding="utf-8"))
        edit_cell(tables / name, curie, "exact_synonyms", "the shared name")
    prepare(tables, spec)
    line = edit_cell(tables / spec.file, target_row(spec), column, "the shared name")
    with pytest.raises(CurationError) as caught:
        load_knowledge(tables)
    mine = [p for p in caught.value.problems
            if p.startswith(f"knowledge/{spec.file}:{line}:{column}: ")]
    assert mine and "is ambiguous" in mine[0], caught.value.problems
    assert first in mine[0] and second in mine[0]


@pytest.mark.parametrize("spec", [t for t in TSV_TABLES if t.key], ids=lambda t: t.name)
def test_duplicate_id_is_caught_in_every_keyed_table(tables: Path, spec: TableSpec) -> None:
    path = tables / spec.file
    _, rows = header_and_rows(KNOWLEDGE_DIR / spec.file)
    if len(rows) < 2:  # obsolete.tsv: add two rows
        extra = ["IAPO:0000998\told one\t\t", "IAPO:0000997\told two\t\t"]
        path.write_text(path.read_text(encoding="utf-8") + "\n".join(extra) + "\n",
                        encoding="utf-8")
        rows = [e.split("\t") for e in extra]
    line = edit_cell(path, rows[1][0], spec.key.name, rows[0][0])
    assert_problem(tables, spec.file, line, spec.key.name, f"duplicate ID {rows[0][0]}")


def test_duplicate_axiom_across_the_axiom_tables_is_caught(tables: Path) -> None:
    path = tables / "agent_targets.tsv"
    text = path.read_text(encoding="utf-8")
    _, targets = header_and_rows(KNOWLEDGE_DIR / "agent_targets.tsv")
    path.write_text(text + "\t".join(targets[0]) + "\n", encoding="utf-8")
    line = len(path.read_text(encoding="utf-8").splitlines())
    assert_problem(tables, "agent_targets.tsv", line, "subject", "the same axiom is already at")


# -- metadata.toml ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("key", "old", "new", "reason"),
    [("license", 'license = "https://', 'license = "ftp://', "must be an http(s) IRI"),
     ("release_date", 'release_date = "2026-', 'release_date = "20x6-', "YYYY-MM-DD"),
     ("creators", 'creators = [', 'creators = ["", ', "list of non-empty strings"),
     ("title", 'title = "IAP', 'title = ["IAP"]\nold_title = "IAP', "non-empty string"),
     ("old_title", 'title = "IAP', 'old_title = "IAP', "not declared in schema.toml")],
)
def test_bad_metadata_is_caught_at_its_key(tables: Path, key: str, old: str, new: str,
                                           reason: str) -> None:
    path = tables / "metadata.toml"
    text = path.read_text(encoding="utf-8").replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    line = key_lines(text)[("ontology", key)]
    assert_problem(tables, "metadata.toml", line, key, reason)


def test_missing_metadata_key_is_reported_at_the_section(tables: Path) -> None:
    path = tables / "metadata.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^version = .*\n", "", text), encoding="utf-8")
    assert_problem(tables, "metadata.toml", key_lines(text)[("ontology", "")], "version",
                   "[ontology] needs 'version'")


# -- the generated table reference page ------------------------------------------------------
def test_table_reference_page_lists_every_table_column_and_kind() -> None:
    from docutils.core import publish_doctree

    from iapontology.sphinx.table_reference import table_reference_page

    text = table_reference_page(SCHEMA)
    tree = publish_doctree(text.replace(":doc:`/curating`", "the guide"),
                           settings_overrides={"halt_level": 2, "report_level": 5})
    tables = list(tree.findall(lambda node: node.tagname == "table"))
    assert len(tables) == len(SCHEMA.tables)
    for spec in SCHEMA.tables.values():
        body = next(t for t in tables if t.astext().startswith(spec.file))
        first_cells = [row.children[0].astext() for row in body.findall(
            lambda n: n.tagname == "row")][1:]
        assert first_cells == [c.name for c in spec.columns], spec.name
    for kind in SCHEMA.kinds.values():
        assert f"``{kind.name}``" in text
    assert "several, separated by ``|``" in text and "for IAPO: rows" in text


def test_bibliography_takes_the_source_prefixes_the_identifiers_know() -> None:
    from iapontology.identifiers import SOURCE_PREFIXES, XREF_URLS

    key = SCHEMA.tables["bibliography"].key
    assert key is not None and key.prefixes == SOURCE_PREFIXES
    assert set(key.prefixes) <= set(XREF_URLS)


@pytest.mark.parametrize(
    ("old", "new", "where", "reason"),
    [('hgnc_id = { type = "curie", prefixes = ["HGNC"]',
      'hgnc_id = { type = "curie", prefixes = ["HGNCX"]', "tables.iaps.hgnc_id",
      "unknown CURIE prefix 'HGNCX'"),
     ('bir_domains = { type = "count"', 'bir_domains = { type = "number"',
      "tables.iaps.bir_domains", "type must be one of"),
     ('domains = { type = "ref", kind = "domain"', 'domains = { type = "ref", kind = "domains"',
      "tables.iaps.domains", "needs a kind from [kinds]"),
     ('kind = { type = "choice", required = true, allowed = ["class"]',
      'kind = { type = "choice", required = true', "tables.reused_terms.kind",
      "needs its allowed values"),
     ('ncbigene = { type = "curie", prefixes = ["NCBIGene"], description = "the NCBI Gene ID" }',
      'ncbigene = { type = "curie", prefixes = ["NCBIGene"], description = " " }',
      "tables.iaps.ncbigene", "needs a description"),
     ('uniprot = { type = "curie"', 'uniprot = { type = "curie", multiple = true',
      "tables.iaps.uniprot", "unknown setting 'multiple'"),
     ('tables = ["domains"]', 'tables = ["domain"]', "kinds.domain.tables",
      "no table 'domain'")],
)
def test_malformed_schema_declaration_is_reported_at_its_line(
        tables: Path, old: str, new: str, where: str, reason: str) -> None:
    line = edit_schema(tables, old, new)
    expect_problem(tables, "schema.toml", line, reason, column=where)
