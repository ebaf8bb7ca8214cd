"""The build writes deterministic, clean release files that match what is committed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from rdflib import OWL, RDF, URIRef

from iapontology.build.pipeline import BuildError, build
from iapontology.build.reasoner import ReasonerResult
from iapontology.build.serialise import OWLREADY_NAMESPACE, canonical
from iapontology.paths import (
    BASE_FILE,
    CONTEXT_FILE,
    DEFAULT_OUTPUT_DIR,
    FULL_FILE,
    JSON_FILE,
    OBO_FILE,
    PRIMARY_FILE,
    QUERY_GRAPH_FILE,
    SSSOM_FILE,
    TURTLE_FILE,
)

#: Written by every build; the full file needs the reasoner, so it is checked separately.
RELEASE_FILES = (PRIMARY_FILE, BASE_FILE, TURTLE_FILE, JSON_FILE, OBO_FILE, SSSOM_FILE,
                 CONTEXT_FILE, QUERY_GRAPH_FILE)


def test_rebuild_is_byte_identical(fresh_build: Path, tmp_path: Path) -> None:
    build(tmp_path, reason=False)
    for name in RELEASE_FILES:
        assert (tmp_path / name).read_bytes() == (fresh_build / name).read_bytes(), name


def test_committed_files_are_what_the_build_makes(fresh_build: Path) -> None:
    # iapo-full.owl is shipped only when HermiT infers something (else it would be a copy)
    assert (DEFAULT_OUTPUT_DIR / FULL_FILE).exists() == (fresh_build / FULL_FILE).exists()
    full = (FULL_FILE,) if (fresh_build / FULL_FILE).exists() else ()
    for name in (*RELEASE_FILES, *full):
        committed = DEFAULT_OUTPUT_DIR / name
        assert committed.read_bytes() == (fresh_build / name).read_bytes(), (
            f"{committed} is stale: run `iapo build` and commit the result"
        )


def test_no_owlready_bookkeeping_in_release_files(fresh_build: Path) -> None:
    full = (FULL_FILE,) if (fresh_build / FULL_FILE).exists() else ()
    for name in (*RELEASE_FILES, *full):
        assert OWLREADY_NAMESPACE not in (fresh_build / name).read_text(encoding="utf-8")
        assert "owlready" not in (fresh_build / name).read_text(encoding="utf-8").lower()


def test_turtle_and_rdfxml_hold_the_same_triples(fresh_build: Path) -> None:
    # content-derived blank-node names make isomorphic graphs equal as sets of triples
    xml = rdflib.Graph().parse(fresh_build / PRIMARY_FILE, format="xml")
    ttl = rdflib.Graph().parse(fresh_build / TURTLE_FILE, format="turtle")
    assert len(xml) == len(ttl)
    assert set(canonical(xml)) == set(canonical(ttl))


def test_header_has_version_iri_and_licence(fresh_build: Path) -> None:
    g = rdflib.Graph().parse(fresh_build / PRIMARY_FILE, format="xml")
    onto = URIRef("https://w3id.org/iapo/iapo.owl")
    assert (onto, RDF.type, OWL.Ontology) in g
    version_iri = g.value(onto, OWL.versionIRI)
    assert str(version_iri).startswith("https://w3id.org/iapo/releases/")
    assert g.value(onto, URIRef("http://purl.org/dc/terms/license")) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )


def test_relation_view_is_only_in_the_query_graph(fresh_build: Path) -> None:
    xiap, has_domain = (URIRef("https://w3id.org/iapo/IAPO_0000104"),
                        URIRef("https://w3id.org/iapo/IAPO_0000501"))
    owl_graph = rdflib.Graph().parse(fresh_build / PRIMARY_FILE, format="xml")
    query_graph = rdflib.Graph().parse(fresh_build / QUERY_GRAPH_FILE, format="nt")
    assert (xiap, has_domain, None) not in owl_graph
    assert (xiap, has_domain, URIRef("https://w3id.org/iapo/IAPO_0000011")) in query_graph


# --- all-or-nothing builds ------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file in ``folder`` with its bytes and modification time."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_builds_in_processes_with_different_hash_seeds_are_byte_identical(
        tmp_path: Path, fresh_build: Path) -> None:
    code = ("import sys; from pathlib import Path; from iapontology.build.pipeline import build; "
            "build(Path(sys.argv[1]), reason=True)")
    children = []
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed,
               "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
        children.append(subprocess.Popen(
            [sys.executable, "-c", code, str(tmp_path / f"seed-{seed}")], env=env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    for child in children:
        _, err = child.communicate(timeout=600)
        assert child.returncode == 0, err[-2000:]
    first, second = tmp_path / "seed-1", tmp_path / "seed-4242"
    names = sorted(p.name for p in first.iterdir())
    full = (FULL_FILE,) if (fresh_build / FULL_FILE).exists() else ()
    assert names == sorted(p.name for p in second.iterdir()) == sorted((*RELEASE_FILES, *full))
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
        assert (first / name).read_bytes() == (fresh_build / name).read_bytes(), name


def test_a_build_without_the_reasoner_leaves_no_file_of_an_earlier_build(
        tmp_path: Path, fresh_build: Path) -> None:
    out = tmp_path / "ontology"
    shutil.copytree(fresh_build, out)
    (out / "NOTES.txt").write_text("not a release file\n", encoding="utf-8")
    report = build(out, reason=False)
    assert not (out / FULL_FILE).exists()
    assert sorted(p.name for p in report.files) == sorted(RELEASE_FILES)
    assert sorted(p.name for p in out.iterdir()) == sorted((*RELEASE_FILES, "NOTES.txt"))
    for name in RELEASE_FILES:
        assert (out / name).read_bytes() == (fresh_build / name).read_bytes(), name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ontology"]  # no staging left


@pytest.mark.parametrize("verdict", [ReasonerResult(False),
                                     ReasonerResult(True, ["https://w3id.org/iapo/IAPO_0000104"])])
def test_a_failing_check_leaves_the_output_exactly_as_it_was(
        tmp_path: Path, fresh_build: Path, monkeypatch: pytest.MonkeyPatch,
        verdict: ReasonerResult) -> None:
    out = tmp_path / "ontology"
    shutil.copytree(fresh_build, out)
    before = snapshot(out)
    checked: list[Path] = []

    def judged(owl_file: Path, *args: object, **kwargs: object) -> ReasonerResult:
        checked.append(owl_file)
        assert owl_file.parent != out and owl_file.read_bytes() == (
            fresh_build / PRIMARY_FILE).read_bytes()  # the staged file, not the old one
        return verdict

    monkeypatch.setattr("iapontology.build.pipeline.run_hermit", judged)
    with pytest.raises(BuildError, match="nothing was written"):
        build(out, reason=True)
    assert checked and not checked[0].exists()  # the staging folder is gone
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ontology"]


def test_a_failure_while_writing_leaves_the_output_as_it_was(
        tmp_path: Path, fresh_build: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "ontology"
    shutil.copytree(fresh_build, out)
    before = snapshot(out)

    def broken(*args: object) -> str:
        raise OSError("disk full")

    monkeypatch.setattr("iapontology.build.pipeline.sssom_text", broken)
    with pytest.raises(OSError, match="disk full"):
        build(out, reason=False)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ontology"]
