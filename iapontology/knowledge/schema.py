"""The fixed vocabulary the build writes with: standard annotation properties, by their IRIs.

Classes and object properties come from the curated tables; the annotation properties that
carry labels, definitions, sources, synonyms and cross-references are the OBO Foundry's
standard ones and are declared here once, each with its usual label.
"""

from __future__ import annotations

import types
from dataclasses import dataclass

import owlready2 as owl

from iapontology.vocab import DCAT, DCTERMS, DOAP, FOAF, OBO, OBO_IN_OWL

#: name used in Python -> (namespace, local name, English label)
ANNOTATION_PROPERTIES: dict[str, tuple[str, str, str]] = {
    "definition": (OBO, "IAO_0000115", "definition"),
    "definition_source": (OBO, "IAO_0000119", "definition source"),
    "term_replaced_by": (OBO, "IAO_0100001", "term replaced by"),
    "exact_synonym": (OBO_IN_OWL, "hasExactSynonym", "has exact synonym"),
    "related_synonym": (OBO_IN_OWL, "hasRelatedSynonym", "has related synonym"),
    "db_xref": (OBO_IN_OWL, "hasDbXref", "database cross reference"),
    "title": (DCTERMS, "title", "title"),
    "description": (DCTERMS, "description", "description"),
    "license": (DCTERMS, "license", "license"),
    "creator": (DCTERMS, "creator", "creator"),
    "source": (DCTERMS, "source", "source"),
    "bibliographic_citation": (DCTERMS, "bibliographicCitation", "bibliographic citation"),
    "homepage": (FOAF, "homepage", "homepage"),
    "issue_tracker": (DOAP, "bug-database", "bug database"),
    "contact": (DCAT, "contactPoint", "contact point"),
}


@dataclass
class Vocabulary:
    """Owlready2 handles for the standard annotation properties of one ontology."""

    ontology: owl.Ontology
    properties: dict[str, type]

    def __getitem__(self, name: str) -> type:
        return self.properties[name]


def english(text: str) -> owl.locstr:
    """An English-tagged literal, as OBO labels, definitions and synonyms are written."""
    return owl.locstr(text, "en")


def declare_vocabulary(ontology: owl.Ontology) -> Vocabulary:
    """Declare the standard annotation properties in ``ontology``, each with its label."""
    made: dict[str, type] = {}
    for name, (namespace, local, label) in ANNOTATION_PROPERTIES.items():
        with ontology.get_namespace(namespace):
            prop = types.new_class(local, (owl.AnnotationProperty,))
        prop.label = [english(label)]
        made[name] = prop
    return Vocabulary(ontology, made)


def add_iri_value(ontology: owl.Ontology, predicate: str, iri: str) -> None:
    """Add ``<ontology> <predicate> <iri>`` with an IRI (not a string) as its value.

    Owlready2 has no setter for ``owl:versionIRI`` or for IRI-valued header annotations
    such as ``dcterms:license``, so the triple goes in through its quadstore API.
    """
    world = ontology.world
    ontology._add_obj_triple_spo(
        ontology.storid, world._abbreviate(predicate), world._abbreviate(iri)
    )


__all__ = ["ANNOTATION_PROPERTIES", "DCTERMS", "OBO_IN_OWL", "Vocabulary", "add_iri_value",
    "declare_vocabulary", "english"]
