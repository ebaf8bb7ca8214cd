"""Headers of the SPARQL files: parsed, validated, and every named query runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from iapontology.rdf.rqfile import read_sparql_file
from iapontology.sparql.named import queries, run


def test_every_named_query_has_a_title_and_runs() -> None:
    assert len(queries()) >= 4
    for name, named in queries().items():
        assert named.title and named.description, name
        rows = run(name)  # defaults suffice for every parameter
        assert rows, f"{name} returned no rows with its default parameters"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.rq"
    path.write_text(text, encoding="utf-8")
    return path


def test_header_is_parsed(tmp_path: Path) -> None:
    path = write(tmp_path, "q", "# name: q\n# title: T\n# description: D\n"
                 "# param: x: integer = 3 -- a number\nSELECT ?x WHERE { ?s ?p ?x }\n")
    named = read_sparql_file(path)
    assert named.parameters[0].name == "x" and named.parameters[0].default == "3"
    assert named.sparql.startswith("SELECT")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# name: q\n# title: T\nSELECT * WHERE {}\n", "no 'description'"),
        ("# name: other\n# title: T\n# description: D\nSELECT * WHERE {}\n", "differs"),
        ("# name: q\n# title: T\n# description: D\n# param: x: colour\nSELECT * {}\n",
         "bad parameter line"),
        ("# name: q\n# title: T\n# description: D\n# param: x: string = a\n"
         "SELECT ?s WHERE { ?s ?p ?x }\n", "must be in the SELECT clause"),
    ],
)
def test_bad_headers_are_refused(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        read_sparql_file(write(tmp_path, "q", text))
