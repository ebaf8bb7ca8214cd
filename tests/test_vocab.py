"""Issue 12: one vocabulary. Every prefix round-trips, and every CURIE the package shows
(in an export, a query result or a docs page) is one that :func:`iapontology.term` finds."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
import rdflib
from rdflib import URIRef

import iapontology
from iapontology import vocab
from iapontology.identifiers import LOCAL_PATTERNS, SOURCE_PREFIXES
from iapontology.knowledge.curation import load_knowledge
from iapontology.paths import KNOWLEDGE_DIR
from iapontology.rdf.graph import PREFIXES, load_graph
from iapontology.sparql.named import queries, run
from iapontology.sphinx import write_site
from iapontology.sphinx.site import Site

ROOT = Path(__file__).resolve().parent.parent
_PREFIXES = "|".join(sorted(map(re.escape, vocab.PREFIX_MAP), key=len, reverse=True))
CURIE = re.compile(rf"(?<![\w/#.:-])(?:{_PREFIXES}):[A-Za-z0-9_][A-Za-z0-9_.()/-]*")


@pytest.fixture(scope="module")
def fresh_graph(fresh_build: Path) -> rdflib.Graph:
    return load_graph([fresh_build / "iapo-query.nt"], relation_view=False)


def table_curies() -> set[str]:
    """Every CURIE in a cell of the knowledge tables."""
    found = set()
    for path in KNOWLEDGE_DIR.glob("*.tsv"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                found |= {m.group(0).rstrip(".") for m in CURIE.finditer(line)}
    return found


def test_every_table_prefix_expands_and_contracts_both_ways() -> None:
    curies = table_curies()
    prefixes = {c.split(":", 1)[0] for c in curies}
    assert {"IAPO", "MONDO", "GO", "PMID", "UniProtKB", "clinicaltrials"} <= prefixes
    assert prefixes <= set(vocab.PREFIX_MAP), prefixes - set(vocab.PREFIX_MAP)
    assert set(LOCAL_PATTERNS) <= set(vocab.PREFIX_MAP)
    converter = vocab.converter()
    for curie in curies:
        iri = vocab.expand(curie)
        assert iri == converter.expand(curie), curie
        assert vocab.compress(iri) == converter.compress(iri) == curie, curie


def test_fast_compress_agrees_with_curies_on_every_iri(fresh_graph: rdflib.Graph) -> None:
    converter = vocab.converter()
    iris = {str(t) for triple in fresh_graph for t in triple if isinstance(t, URIRef)}
    assert len(iris) > 300
    for iri in iris:
        assert vocab.compress(iri) == converter.compress(iri), iri


@pytest.mark.parametrize("text", ["", ":", "IAPO", "IAPO:", ":0000104", "nope:1",
                                  "http://x.org/a", "mondo:0004992", " MONDO:0004992",
                                  "MONDO :0004992", "IAPO\n:0000104"])
def test_hostile_curies_expand_to_nothing(text: str, fresh_graph: rdflib.Graph) -> None:
    assert vocab.expand(text) is None  # (curies itself raises on some of these)
    if text.strip():
        with pytest.raises(LookupError):
            iapontology.term(text + "x", fresh_graph)


def test_one_prefix_table_for_sparql_files_and_identifiers() -> None:
    from iapontology import identifiers
    from iapontology.build import mappings

    assert PREFIXES is vocab.SPARQL_PREFIXES
    assert identifiers.PREFIX_MAP is vocab.PREFIX_MAP
    assert all(vocab.PREFIX_MAP[p] == iri for p, iri in mappings.CURIE_MAP.items())


def test_term_knows_standard_vocabulary_words(fresh_graph: rdflib.Graph) -> None:
    found = iapontology.term("skos:exactMatch", fresh_graph)
    assert (found.iri, found.curie, found.label) == (vocab.SKOS + "exactMatch",
                                                     "skos:exactMatch", "exactMatch")
    assert iapontology.term("dcterms:source", fresh_graph).label == "source"  # declared
    with pytest.raises(LookupError):
        iapontology.term("PMID:9230442", fresh_graph)  # a source, not a term


def test_sparql_takes_every_prefix_and_term_finds_mondo(fresh_graph: rdflib.Graph) -> None:
    rows = iapontology.query("SELECT ?label WHERE { MONDO:0004992 rdfs:label ?label }",
                             fresh_graph)
    assert [str(r["label"]) for r in rows] == ["cancer"]
    assert iapontology.term("MONDO:0004992", fresh_graph).label == "cancer"
    assert iapontology.term("obo:MONDO_0004992", fresh_graph).curie == "MONDO:0004992"


def printed_curies(fresh_build: Path, g: rdflib.Graph, tmp_path: Path) -> dict[str, str]:
    """Every CURIE shown by an export, a named query's result or a docs page -> where."""
    texts = {name: (fresh_build / name).read_text(encoding="utf-8")
             for name in ("iapo.obo", "iapo.sssom.tsv", "iapo.ttl")}
    document = json.loads((fresh_build / "iapo.json").read_text(encoding="utf-8"))
    texts["iapo.json"] = " ".join(vocab.curie_or_iri(v) for graph in document["graphs"]
                                  for item in graph["nodes"] + graph["edges"]
                                  for v in item.values() if isinstance(v, str))
    write_site(Site(g, tmp_path / "generated"))
    for path in [*(tmp_path / "generated").rglob("*.rst"), *(ROOT / "docs").glob("*.rst")]:
        # as a reader sees it: without rst backslash escapes and inline-SVG entities
        text = re.sub(r"\\(.)", r"\1", path.read_text(encoding="utf-8"))
        texts[str(path)] = html.unescape(text)
    found: dict[str, str] = {}
    for where, text in texts.items():
        for match in CURIE.finditer(text):
            curie = match.group(0).rstrip(".,;")
            while curie.endswith(")") and curie.count("(") < curie.count(")"):
                curie = curie[:-1]
            found.setdefault(curie, where)
    for name in queries():
        for row in run(name, g):
            for value in row.values():
                if isinstance(value, URIRef) and vocab.compress(str(value)):
                    found.setdefault(vocab.compress(str(value)), f"query {name}")
    return found


def test_term_resolves_every_curie_the_package_shows(fresh_build: Path, tmp_path: Path,
                                                     fresh_graph: rdflib.Graph) -> None:
    found = printed_curies(fresh_build, fresh_graph, tmp_path)
    assert len(found) > 400
    cited = set(load_knowledge(KNOWLEDGE_DIR).bibliography)
    unresolved = {}
    for curie, where in sorted(found.items()):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                iapontology.term(curie, fresh_graph)
            except LookupError:
                unresolved[curie] = where
    # what remains are the sources cited: bibliography entries, not terms
    sources = {c for c in unresolved if c.split(":", 1)[0] in SOURCE_PREFIXES}
    assert sources <= cited, sorted(sources - cited)[:5]
    assert set(unresolved) == sources, {c: unresolved[c] for c in set(unresolved) - sources}


def test_importing_the_package_does_not_import_curies() -> None:
    code = ("import sys, iapontology; iapontology.vocab.compress('https://w3id.org/iapo/IAPO_1');"
            "print('curies' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"
