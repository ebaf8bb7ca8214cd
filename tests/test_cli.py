"""The iapo command: build, query in every format, check, errors with exit code 2."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from iapontology import __version__
from iapontology.cli import main
from tests.conftest import edit_cell


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def parse_table(text: str) -> list[dict[str, str]]:
    """The rows of a printed table, cut at the column spans its dashed line shows."""
    lines = text.splitlines()
    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", lines[1])]
    names = [lines[0][a:b].strip() for a, b in spans]
    body = [line for line in lines[2:] if not re.fullmatch(r"\(\d+ rows?\)", line)]
    return [{n: line[a:b if i < len(spans) - 1 else None].strip()
             for i, (n, (a, b)) in enumerate(zip(names, spans, strict=True))} for line in body]


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_build_into_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run_cli(capsys, "build", "--out", str(tmp_path))
    assert code == 0
    assert "HermiT: consistent" in err
    assert (tmp_path / "iapo.owl").exists() and (tmp_path / "iapo.ttl").exists()


def test_build_with_bad_table_exits_2(
    capsys: pytest.CaptureFixture[str],
    tables: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    line = edit_cell(tables / "iaps.tsv", "IAPO:0000105", "definition_source", "")
    import iapontology.build.pipeline as build_module

    real_build = build_module.build
    seen: list[Path] = []

    def build_from_edited_tables(out_dir: Path, **options: Any) -> Any:
        """The real build, reading the edited copy of the tables (the CLI has no option)."""
        seen.append(out_dir)
        return real_build(out_dir, knowledge_dir=tables, **options)

    # the command imports ``build`` from its module when it runs, so patch the module's name
    monkeypatch.setattr(build_module, "build", build_from_edited_tables)
    code, _, err = run_cli(capsys, "build", "--out", str(tmp_path))
    assert seen == [tmp_path]
    assert code == 2
    assert f"knowledge/iaps.tsv:{line}:definition_source: definition_source is empty" in err
    assert not (tmp_path / "iapo.owl").exists()


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json"])
def test_named_query_in_every_format(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    code, out, _ = run_cli(capsys, "query", "iaps_with_domain", "--param", "domain=RING domain",
                           "--format", fmt)
    assert code == 0
    if fmt == "json":
        data = json.loads(out)
        assert data["head"]["vars"] == ["domain", "iap", "label"]
        found = {b["label"]["value"] for b in data["results"]["bindings"]}
    elif fmt in ("csv", "tsv"):
        reader = csv.DictReader(io.StringIO(out), delimiter="," if fmt == "csv" else "\t")
        found = {row["label"] for row in reader}
    else:
        rows = parse_table(out)
        assert out.rstrip().endswith("(4 rows)") and len(rows) == 4
        assert "IAPO:0000104 (XIAP)" in {row["iap"] for row in rows}
        found = {row["label"] for row in rows}
    assert found == {"XIAP", "cIAP1", "cIAP2", "livin"}


def test_query_text_and_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    sparql = "SELECT ?label WHERE { ?x IAPO:0000501 IAPO:0000014 ; rdfs:label ?label }"
    code, out, _ = run_cli(capsys, "query", sparql, "--format", "csv")
    assert code == 0 and out.splitlines() == ["label", "BRUCE"]
    path = tmp_path / "q.rq"
    path.write_text(sparql, encoding="utf-8")
    code, out, _ = run_cli(capsys, "query", "--file", str(path), "--format", "csv")
    assert code == 0 and out.splitlines() == ["label", "BRUCE"]


def test_query_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "query", "--list")
    assert code == 0 and "iaps_with_domain" in out and "Which IAPs have a given domain?" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("query", "SELECT * WHERE { ?s ?p }"), "malformed SPARQL"),
        (("query", "iaps_with_domian"), "did you mean iaps_with_domain"),
        (("query", "iaps_with_domain", "--param", "colour=red"), "valid: domain"),
        (("query", "iaps_by_bir_count", "--param", "count=many"), "whole number"),
        (("query", "iap_actions", "--param", "iap=cIAP"), "did you mean 'cIAP2', 'cIAP1'"),
        (("query", "iaps_with_domain", "--param", "domain=RING domian"),
         "did you mean 'RING domain'"),
        (("query", "--file", "/no/such/file.rq"), "No such file"),
        (("check", "/no/such/file.owl"), "does not exist"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    code, _, err = run_cli(capsys, *args)
    assert code == 2
    assert message in err
    assert len([line for line in err.splitlines() if line.startswith("iapo: error")]) == 1


def test_near_miss_runs_with_allow_empty(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "query", "iap_actions", "--param", "iap=cIAP",
                             "--allow-empty", "--format", "csv")
    assert code == 0
    assert out.splitlines()[1:] == []
    assert "no term matches 'cIAP'" in err and "error" not in err


def test_named_query_imports_only_what_it_needs(tmp_path: Path) -> None:
    """`iapo query NAME` in a fresh interpreter loads neither `curies` nor rdflib's SPARQL
    parser (nor oxrdflib, which imports it): the bare Oxigraph store answers."""
    probe = (
        "import sys\n"
        "from iapontology.cli import main\n"
        "code = main(['query', 'iap_actions', '--param', 'iap=XIAP', '--format', 'table'])\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('curies', 'oxrdflib', "
        "'rdflib.plugins.sparql', 'pyparsing')))\n"
        "print(code, loaded, file=sys.stderr)\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, cwd=tmp_path,
                         env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])})
    assert "IAPO:0000104 (XIAP)" in run.stdout
    assert run.stderr.strip().splitlines()[-1] == "0 []"


def test_check_reports_dl_consistency_and_counts(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "check")
    assert code == 0, out
    assert "OWL API: OWL 2 DL; 0 unparsed triples" in out
    assert "HermiT: consistent, 0 unsatisfiable classes" in out
    assert "report: 0 ERROR, " in out
    assert "classes" in out and "axioms" in out
    assert "result: PASS" in out


def test_check_fails_on_a_faulty_file(capsys: pytest.CaptureFixture[str]) -> None:
    fixture = Path(__file__).parent / "fixtures" / "unsatisfiable.owl"
    code, out, _ = run_cli(capsys, "check", str(fixture))
    assert code == 1
    assert "1 unsatisfiable classes" in out and "result: FAIL" in out


def test_examples_print_answers(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "examples")
    assert code == 0
    assert "IAPO:0000106 (BRUCE)" in out


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json"])
def test_every_named_query_in_every_format(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    from iapontology.sparql.named import queries, run

    for name in queries():
        code, out, err = run_cli(capsys, "query", name, "--format", fmt)
        assert code == 0, f"{name}: {err}"
        rows = run(name)
        if fmt == "json":
            assert len(json.loads(out)["results"]["bindings"]) == len(rows), name
        elif fmt in ("csv", "tsv"):
            parsed = list(csv.reader(io.StringIO(out), delimiter="," if fmt == "csv" else "\t"))
            assert len(parsed) == len(rows) + 1, name
        else:
            assert f"({len(rows)} row" in out, name
