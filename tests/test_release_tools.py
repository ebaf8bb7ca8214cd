"""Issue 12: every release file, read by every tool that reads its format, says the same.

Each case reads one file with one tool (see ``release_readers``) and compares the sets of
term CURIEs, labels, definitions, synonyms, cross-references, parents, relationships and
individuals with what rdflib reads from the primary file, ``iapo.owl``. Where a tool or a
format cannot carry something, the case names that limit; docs/release-files.rst states
each one. Tools that print IRIs they cannot shorten are read with the shipped prefix map
(``iapo.context.jsonld``), as a user would.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path

import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, URIRef

from iapontology import vocab
from tests import release_readers as read
from tests.release_readers import Summary

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def reference(fresh_build: Path) -> Summary:
    return read.read_rdflib(fresh_build / "iapo.owl")


@pytest.fixture(scope="session")
def cardinality_links(fresh_build: Path) -> set[tuple[str, str, str]]:
    """(class, property, target) of the qualified cardinality restrictions (``exactly 3``)."""
    g = rdflib.Graph().parse(fresh_build / "iapo.owl")
    found = set()
    for cls, node in g.subject_objects(RDFS.subClassOf):
        target = g.value(node, OWL.onClass)
        if target is not None:
            found.add((read.curie(cls), read.curie(g.value(node, OWL.onProperty)),
                       read.curie(target)))
    return found


# -- the named limits (each stated in docs/release-files.rst) ---------------------------------
def no_individuals(expected: Summary, _: set) -> Summary:
    """OBO [Instance] frames: pronto, the OWL API and OAK's pronto adapter skip them."""
    return expected.without_individuals()


def pronto_rdfxml(expected: Summary, cardinality: set) -> Summary:
    """pronto's RDF/XML reader: no individuals, and only someValuesFrom restrictions."""
    out = expected.without_individuals()
    out.relationships -= cardinality
    return out


def unchanged(expected: Summary, _: set) -> Summary:
    return expected


def obo_purls_for_iapo(got: Summary) -> Summary:
    """The OWL API ignores the OBO ``idspace`` header and gives IAPO terms OBO PURLs."""
    def fix(value):
        if isinstance(value, tuple):
            return tuple(fix(v) for v in value)
        if isinstance(value, str) and value.startswith("obo:IAPO_"):
            return "IAPO:" + value.removeprefix("obo:IAPO_")
        return value
    out = Summary()
    for f in fields(got):
        setattr(out, f.name, {fix(v) for v in getattr(got, f.name)})
    return out


def shortened(got: Summary) -> Summary:
    """Full IRIs a tool printed, shortened with the shipped prefix map."""
    def fix(value):
        if isinstance(value, tuple):
            return tuple(fix(v) for v in value)
        return read.curie_of(value) if isinstance(value, str) else value
    out = Summary()
    for f in fields(got):
        setattr(out, f.name, {fix(v) for v in getattr(got, f.name)})
    out.values = {v for v in out.values if v[1].startswith("IAPO:")}
    return out


@dataclass(frozen=True)
class Case:
    file: str
    tool: str
    reader: Callable[[Path, Path], Summary]
    limit: Callable[[Summary, set], Summary] = unchanged
    after: Callable[[Summary], Summary] = shortened


CASES = [
    Case("iapo.owl", "rdflib", lambda p, s: read.read_rdflib(p)),
    Case("iapo.owl", "owlready2", lambda p, s: read.read_owlready2(p)),
    Case("iapo.owl", "py-horned-owl", lambda p, s: read.read_horned_owl(p)),
    Case("iapo.owl", "OWL API", read.read_owlapi),
    Case("iapo.owl", "pronto", lambda p, s: read.read_pronto(p), pronto_rdfxml),
    Case("iapo.owl", "OAK pronto", lambda p, s: read.read_oak(f"pronto:{p}")[0],
         pronto_rdfxml),
    Case("iapo.ttl", "rdflib", lambda p, s: read.read_rdflib(p)),
    Case("iapo.ttl", "OWL API", read.read_owlapi),
    Case("iapo.obo", "pronto", lambda p, s: read.read_pronto(p), no_individuals),
    Case("iapo.obo", "OAK pronto", lambda p, s: read.read_oak(f"pronto:{p}")[0],
         no_individuals),
    Case("iapo.obo", "OWL API", read.read_owlapi, no_individuals,
         lambda got: shortened(obo_purls_for_iapo(got))),
    Case("iapo.json", "pronto", lambda p, s: read.read_pronto(p), no_individuals),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.file}-{c.tool}" for c in CASES])
def test_every_tool_reads_the_same_ontology(fresh_build: Path, tmp_path: Path,
                                            reference: Summary, cardinality_links: set,
                                            case: Case) -> None:
    if case.tool == "OWL API":
        pytest.importorskip("iapontology.build.owlapi")
    got = case.after(case.reader(fresh_build / case.file, tmp_path))
    expected = case.limit(reference, cardinality_links)
    for f in fields(Summary):
        missing = getattr(expected, f.name) - getattr(got, f.name)
        extra = getattr(got, f.name) - getattr(expected, f.name)
        assert not missing and not extra, (f.name, sorted(missing)[:3], sorted(extra)[:3])


def test_fastobo_reads_every_term_and_counts_the_instances(fresh_build: Path,
                                                           reference: Summary) -> None:
    got = read.read_fastobo(fresh_build / "iapo.obo")
    assert got.without_individuals() == reference.without_individuals()
    # fastobo-py 0.14 parses [Instance] frames but cannot show their clauses: only the count
    assert len(got.individuals) == len(reference.individuals) > 80


def test_oak_obograph_reads_the_json_with_individuals(
        fresh_build: Path, reference: Summary) -> None:
    shipped = json.loads((fresh_build / "iapo.context.jsonld").read_text())["@context"]
    prefixes = {p: v["@id"] for p, v in shipped.items()}
    got, adapter = read.read_oak(f"obograph:{fresh_build / 'iapo.json'}", prefixes)
    # given the shipped prefix map, OAK itself reports IAPO CURIEs
    assert "IAPO:0000104" in got.terms and adapter.label("IAPO:0000104") == "XIAP"
    # OAK's OBO Graphs adapter lists INDIVIDUAL nodes among the classes (its limit)
    assert got.terms == reference.terms | reference.individuals
    for name in ("labels", "definitions", "synonyms", "xrefs", "parents"):
        assert getattr(got, name) == getattr(reference, name), name
    assert reference.relationships <= got.relationships
    finding = "IAPO:1000001"
    assert (finding, "IAPO:0000511", "IAPO:0000104") in got.relationships
    assert any(link[0] == finding and link[-1] == "IAPO:0000450"
               for link in got.relationships | got.parents), "the record's named type"
    assert adapter.label(finding)
    # `runoak statistics` is not implemented by this adapter (NotImplementedError for any
    # OBO Graphs file), a limit of OAK 0.7.4 stated in docs/release-files.rst


def test_base_variant_is_its_own_ontology_with_only_own_axioms(fresh_build: Path,
                                                               reference: Summary) -> None:
    base = fresh_build / "iapo-base.owl"
    g = rdflib.Graph().parse(base)
    ontology = next(g.subjects(RDF.type, OWL.Ontology))
    assert str(ontology) == "https://w3id.org/iapo/iapo-base.owl"
    assert str(g.value(ontology, OWL.versionIRI)).endswith("/iapo-base.owl")
    assert (URIRef(vocab.OBO + "GO_0006915"), RDFS.label, None) not in g
    own = {t for t in reference.terms | reference.individuals if t.startswith("IAPO:")}
    for reader in (read.read_rdflib, read.read_owlready2, read.read_horned_owl):
        assert reader(base).about(own) == reference.about(own), reader.__name__
    pronto_view = shortened(read.read_pronto(base))
    assert {t for t in pronto_view.terms if t.startswith("IAPO:")} == {
        t for t in reference.terms if t.startswith("IAPO:")}


def test_no_full_copy_when_the_reasoner_infers_nothing(fresh_build: Path) -> None:
    assert not (fresh_build / "iapo-full.owl").exists()


def test_reasoner_reports_inferred_types_of_individuals(tmp_path: Path) -> None:
    import owlready2 as owl

    from iapontology.build.reasoner import run_hermit

    world = owl.World()
    onto = world.get_ontology("http://example.org/t.owl")
    with onto:
        class Record(owl.Thing):
            pass

        class Target(owl.Thing):
            pass

        class About(owl.ObjectProperty):
            pass

        class Finding(owl.Thing):
            equivalent_to = [About.some(Target)]  # noqa: RUF012

        record = Record("r1")
        record.is_a.append(About.some(Target))
    path = tmp_path / "t.owl"
    onto.save(str(path))
    result = run_hermit(path)
    assert result.inferred_types == {"http://example.org/t.owl#r1": [
        "http://example.org/t.owl#Finding"]}
    assert Finding.iri in result.inferred_types[record.iri]


def test_sssom_mappings_are_the_cross_references(fresh_build: Path,
                                                 reference: Summary) -> None:
    from iapontology.build.mappings import MAPPED

    mapped = {(s, x) for s, x in reference.xrefs
              if s.startswith("IAPO:") and x.split(":")[0] in MAPPED}
    assert read.read_sssom(fresh_build / "iapo.sssom.tsv") == mapped


def test_shipped_context_is_the_package_vocabulary(fresh_build: Path) -> None:
    import curies

    context = json.loads((fresh_build / "iapo.context.jsonld").read_text())
    converter = curies.Converter.from_jsonld(context)
    assert converter.prefix_map == vocab.PREFIX_MAP
    assert converter.expand("IAPO:0000104") == "https://w3id.org/iapo/IAPO_0000104"


def test_obo_header_metadata(fresh_build: Path) -> None:
    import fastobo

    header = {str(c).split(":", 1)[0]: str(c) for c in fastobo.load(
        str(fresh_build / "iapo.obo")).header}
    assert header["data-version"] == "data-version: 0.1.0"
    assert header["ontology"] == "ontology: iapo"
    assert header["idspace"].startswith("idspace: IAPO https://w3id.org/iapo/IAPO_")
    text = (fresh_build / "iapo.obo").read_text()
    for needed in ("dc/terms/license", "dc/terms/title", "dc/terms/description",
                   "dc/terms/creator", "foaf/0.1/homepage", "doap#bug-database",
                   "dcat#contactPoint", 'owl:versionInfo "0.1.0"'):
        assert needed in text, needed


@pytest.mark.parametrize("name", ["iapo.obo", "iapo.owl"])
def test_oak_statistics_through_the_pronto_adapter(fresh_build: Path, reference: Summary,
                                                   name: str) -> None:
    """``runoak -i pronto:iapo.obo statistics`` (the OBO Graphs and funowl adapters of
    OAK 0.7.4 do not implement statistics at all, for any file)."""
    _, adapter = read.read_oak(f"pronto:{fresh_build / name}")
    stats = next(iter(adapter.global_summary_statistics().partitions.values()))
    assert stats.class_count == len(reference.terms)
    own_definitions = {d for d in reference.definitions if d[0] not in reference.individuals}
    assert stats.class_count_with_text_definitions == len(own_definitions)


def test_full_variant_adds_inferences_under_its_own_iri(fresh_build: Path,
                                                        tmp_path: Path) -> None:
    """What the build writes as iapo-full.owl once HermiT infers something."""
    from iapontology.build.pipeline import _variant
    from iapontology.build.serialise import with_inferred_parents

    g = rdflib.Graph().parse(fresh_build / "iapo.owl")
    xiap, finding = vocab.IAPO + "0000104", vocab.IAPO + "1000001"
    inferred = {xiap: [vocab.IAPO + "0000003"]}          # pretend: XIAP is a caspase
    types = {finding: [vocab.IAPO + "0000470"]}          # pretend: the finding is a trial
    meta = {"iri": "https://w3id.org/iapo/iapo.owl",
            "version_iri": "https://w3id.org/iapo/releases/2026-11-25/iapo.owl"}
    text = _variant(with_inferred_parents(g, inferred, types), meta, "iapo-full.owl")
    path = tmp_path / "iapo-full.owl"
    path.write_text(text, encoding="utf-8")
    full = rdflib.Graph().parse(path)
    ontology = URIRef("https://w3id.org/iapo/iapo-full.owl")
    assert (ontology, RDF.type, OWL.Ontology) in full
    assert str(full.value(ontology, OWL.versionIRI)).endswith("/2026-11-25/iapo-full.owl")
    assert (URIRef(xiap), RDFS.subClassOf, URIRef(vocab.IAPO + "0000003")) in full
    assert (URIRef(finding), RDF.type, URIRef(vocab.IAPO + "0000470")) in full
    assert len(full) == len(g) + 2  # the primary file's triples, plus the two inferences
    pronto_view = shortened(read.read_pronto(path))
    assert ("IAPO:0000104", "IAPO:0000003") in pronto_view.parents
