"""The relation-graph view's asserted links (``asserted:p``), checked from the outside.

The shipped query graph's asserted links are compared with the restrictions that rdflib's own
SPARQL engine finds in the OWL file (the release file Protégé opens), and a small hand-written
ontology pins down what counts as asserted: the class or individual's own restrictions, not
its superclasses', sub-properties' or super-properties'.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, URIRef

import iapontology as iapo
from iapontology.paths import PRIMARY_FILE, QUERY_GRAPH_FILE, bundled_ontology_dir
from iapontology.rdf.graph import load_graph, query
from iapontology.rdf.relation_graph import asserted_property, asserted_triples
from iapontology.vocab import ASSERTED

#: Restrictions as OWL states them, found by rdflib's engine (not the package's own walk).
OWN_RESTRICTIONS = """
SELECT DISTINCT ?s ?p ?d WHERE {
  ?r owl:onProperty ?p ; ?filler ?d .
  OPTIONAL { ?r owl:minQualifiedCardinality|owl:qualifiedCardinality ?n }
  FILTER(?filler = owl:someValuesFrom || (?filler = owl:onClass && ?n >= 1))
  ?s ?link ?r .
  FILTER(?link IN (rdfs:subClassOf, rdf:type) && isIRI(?s) && isBlank(?r))
  FILTER(isIRI(?d) && ?d != owl:Thing)
}"""


def _asserted_links(graph: rdflib.Graph) -> set[tuple[str, str, str]]:
    """(subject, property, target) for each asserted link, the property read back through the
    asserted predicate's ``rdfs:subPropertyOf`` declaration."""
    declared = {str(a): str(p) for a, p in graph.subject_objects(RDFS.subPropertyOf)
                if str(a).startswith(ASSERTED)}
    return {(str(s), declared[str(a)], str(o)) for s, a, o in graph
            if str(a).startswith(ASSERTED) and a != RDFS.subPropertyOf}


def test_the_shipped_asserted_links_are_the_owl_files_restrictions() -> None:
    owl_file = rdflib.Graph().parse(bundled_ontology_dir() / PRIMARY_FILE, format="xml")
    stated = {(str(r["s"]), str(r["p"]), str(r["d"]))
              for r in owl_file.query(OWN_RESTRICTIONS)}
    query_graph = rdflib.Graph().parse(bundled_ontology_dir() / QUERY_GRAPH_FILE, format="nt")
    shipped = {(s, p, o) for s, p, o in _asserted_links(query_graph)}
    assert len(stated) > 900  # the records' and the classes' restrictions
    assert shipped == stated
    # every asserted predicate is declared once, as a sub-property of the property it copies
    assert all((URIRef(a), RDFS.subPropertyOf, None) in query_graph
               for a in {str(p) for p in query_graph.predicates() if str(p).startswith(ASSERTED)})


TOY = """
@prefix : <https://e.org/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
:inCancer a owl:ObjectProperty ; rdfs:subPropertyOf :about .
:about a owl:ObjectProperty .
:Carcinoma rdfs:subClassOf :Cancer .
:Finding a owl:Class .
:Drug rdfs:subClassOf [ a owl:Restriction ; owl:onProperty :about ; owl:someValuesFrom :Cancer ] .
:DrugChild rdfs:subClassOf :Drug .
:Counted rdfs:subClassOf [ a owl:Restriction ; owl:onProperty :about ; owl:onClass :Cancer ;
                             owl:minQualifiedCardinality "1"^^xsd:nonNegativeInteger ] .
:Optional rdfs:subClassOf [ a owl:Restriction ; owl:onProperty :about ; owl:onClass :Cancer ;
                              owl:minQualifiedCardinality "0"^^xsd:nonNegativeInteger ] .
:Anything rdfs:subClassOf [ a owl:Restriction ; owl:onProperty :about ;
                              owl:someValuesFrom owl:Thing ] .
:f1 a :Finding , [ a owl:Restriction ; owl:onProperty :inCancer ; owl:someValuesFrom :Carcinoma ] .
"""


def _toy(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "toy.ttl"
    path.write_text(TOY + extra, encoding="utf-8")
    return path


def test_asserted_means_the_subjects_own_restrictions(tmp_path: Path) -> None:
    graph = rdflib.Graph().parse(_toy(tmp_path), format="turtle")
    e = "https://e.org/"
    assert _asserted_links_of(asserted_triples(graph)) == {
        (e + "Drug", e + "about", e + "Cancer"),      # not DrugChild, which only inherits it
        (e + "Counted", e + "about", e + "Cancer"),   # at least one, counted
        (e + "f1", e + "inCancer", e + "Carcinoma"),  # not :about nor :Cancer (the view's)
    }


def _asserted_links_of(triples: set[tuple[URIRef, URIRef, URIRef]]) -> set[tuple[str, str, str]]:
    graph = rdflib.Graph()
    for triple in triples:
        graph.add(triple)
    return _asserted_links(graph)


def test_a_loaded_ontology_gets_the_view_and_its_asserted_links(tmp_path: Path) -> None:
    graph = load_graph([_toy(tmp_path)])
    rows = query("""SELECT ?asserted ?any WHERE {
        OPTIONAL { <https://e.org/f1> ?inCancer ?asserted .
                   ?inCancer rdfs:subPropertyOf <https://e.org/inCancer>
                   FILTER(STRSTARTS(STR(?inCancer), STR(asserted:))) }
        OPTIONAL { <https://e.org/f1> <https://e.org/about> ?any
                   FILTER(?any = <https://e.org/Cancer>) }
    }""", graph)
    assert [(str(r["asserted"]), str(r["any"])) for r in rows] == [
        ("https://e.org/Carcinoma", "https://e.org/Cancer")]


def test_two_properties_with_one_local_name_get_two_predicates(tmp_path: Path) -> None:
    clash = """
    <https://other.org/about> a owl:ObjectProperty .
    :Other rdfs:subClassOf [ a owl:Restriction ; owl:onProperty <https://other.org/about> ;
                             owl:someValuesFrom :Cancer ] .
    """
    graph = rdflib.Graph().parse(_toy(tmp_path, clash), format="turtle")
    links = _asserted_links_of(asserted_triples(graph))
    e = "https://e.org/"
    assert {(e + "Drug", e + "about", e + "Cancer"),
            (e + "Other", "https://other.org/about", e + "Cancer")} <= links


@pytest.mark.parametrize("iri", [
    "https://w3id.org/iapo/IAPO_0000512", "http://purl.obolibrary.org/obo/RO_0002436",
    "http://purl.obolibrary.org/obo/IAPO_0000512",  # not IAPO's own: must not take its name
    "https://w3id.org/iapo/asserted/IAPO_0000512", "https://w3id.org/iapo/IAPO_",
    "https://e.org/", "https://e.org/a b", "https://e.org/1x", "https://e.org/x?y=1#z",
    "https://e.org/RO_0002436", "http://purl.obolibrary.org/obo/ro.owl#RO_1",
    "http://purl.obolibrary.org/obo/RO_0002436/", "urn:x:RO_0002436",
])
def test_asserted_predicates_are_valid_iris_and_never_shared(iri: str) -> None:
    """Each property gets its own predicate, an IRI that SPARQL and N-Triples accept."""
    others = ["https://w3id.org/iapo/IAPO_0000512", "http://purl.obolibrary.org/obo/RO_0002436",
              "http://purl.obolibrary.org/obo/IAPO_0000512", "https://e.org/RO_0002436",
              "urn:x:RO_0002436", "https://e.org/1x", iri]
    names = {str(asserted_property(URIRef(o))) for o in others}
    assert len(names) == len(set(others))
    predicate = asserted_property(URIRef(iri))
    assert str(predicate).startswith(ASSERTED)
    store = rdflib.Graph().parse(data=f"<https://e.org/s> <{predicate}> <https://e.org/o> .\n",
                                 format="nt")
    assert (None, predicate, None) in store


def test_asserted_names_follow_the_identifier() -> None:
    assert asserted_property(URIRef("https://w3id.org/iapo/IAPO_0000512")) == URIRef(
        ASSERTED + "IAPO_0000512")
    assert asserted_property(URIRef("http://purl.obolibrary.org/obo/RO_0002436")) == URIRef(
        ASSERTED + "RO_0002436")
    assert asserted_property(URIRef(str(OWL) + "topObjectProperty")) == URIRef(
        ASSERTED + "iri/http%3A%2F%2Fwww.w3.org%2F2002%2F07%2Fowl%23topObjectProperty")


def test_the_prefix_is_bound_in_every_query() -> None:
    rows = iapo.query("SELECT ?c WHERE { IAPO:1000011 asserted:IAPO_0000512 ?c }")
    assert [str(r["c"]) for r in rows] == ["https://w3id.org/iapo/IAPO_0000913"]
    assert (URIRef("https://w3id.org/iapo/IAPO_1000011"), RDF.type, None) in iapo.graph()
