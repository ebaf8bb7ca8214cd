"""The build writes deterministic, clean release files that match what is committed."""

from __future__ import annotations

from pathlib import Path

import rdflib
from rdflib import OWL, RDF, URIRef

from iapontology.build import build
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
from iapontology.serialise import OWLREADY_NAMESPACE, canonical

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
