"""A normal (not editable) install carries the built ontology inside the package."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(out), str(ROOT)],
        check=True, capture_output=True, text=True,
    )
    return next(out.glob("iapontology-*.whl"))


def test_wheel_carries_ontology_tables_queries_and_checker(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ("iapontology/ontology/iapo.owl", "iapontology/ontology/iapo.ttl",
                     "iapontology/ontology/iapo-base.owl",
                     "iapontology/ontology/iapo.context.jsonld",
                     "iapontology/ontology/iapo.obo", "iapontology/ontology/iapo.json",
                     "iapontology/ontology/iapo.sssom.tsv",
                     "iapontology/ontology/iapo-query.nt", "iapontology/knowledge/iaps.tsv",
                     "iapontology/sparql/questions/iaps_with_domain.rq",
                     "iapontology/build/checks/duplicate_definition.rq",
                     "iapontology/sphinx/panels.toml",
                     "iapontology/build/java/OwlApiCheck.java", "iapontology/py.typed"):
        assert expected in names, expected


def test_import_from_unpacked_wheel_uses_bundled_ontology(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import iapontology, iapontology.paths as p;"
        "print(p.bundled_ontology_dir());"
        "rows = iapontology.run('iaps_with_domain', domain='UBC domain');"
        "print(sorted(str(r['label']) for r in rows))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
    )
    folder, answer = result.stdout.splitlines()
    assert folder == str(site / "iapontology" / "ontology")
    assert answer == "['BRUCE']"
