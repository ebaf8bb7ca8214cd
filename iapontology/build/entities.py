"""The Owlready2 side of the build: an ontology in its own world, entities created by CURIE,
term annotations from a table row, and axioms with their sources as axiom annotations."""

from __future__ import annotations

import types

import owlready2 as owl

from iapontology.identifiers import expand
from iapontology.knowledge.curation import Knowledge
from iapontology.knowledge.schema import (
    Vocabulary,
    declare_vocabulary,
    english,
)
from iapontology.knowledge.tables import Row

__all__ = ["CHARACTERISTICS", "EntityMaker"]

CHARACTERISTICS = {
    "transitive": owl.TransitiveProperty,
    "symmetric": owl.SymmetricProperty,
    "functional": owl.FunctionalProperty,
}


class EntityMaker:
    """Makes the ontology's entities (classes, properties) by CURIE, annotates terms from
    their table rows and writes cited axioms; :class:`~iapontology.build.assemble.Assembler`
    drives it table by table."""

    def __init__(self, knowledge: Knowledge, world: owl.World | None = None):
        self.knowledge = knowledge
        self.world = world or owl.World()
        meta = knowledge.metadata["ontology"]
        self.ontology = self.world.get_ontology(meta["iri"])
        self.vocab: Vocabulary = declare_vocabulary(self.ontology)
        self.entities: dict[str, type] = {}

    # -- entities -------------------------------------------------------------------------
    def _new(self, curie: str, bases: tuple[type, ...]) -> type:
        iri = expand(curie)
        cut = iri.rfind("#") if "#" in iri else iri.rfind("/")
        base, name = iri[: cut + 1], iri[cut + 1 :]
        with self.ontology.get_namespace(base):
            entity = types.new_class(name, bases)
        self.entities[curie] = entity
        return entity

    def class_of(self, curie: str) -> type:
        """The Owlready2 class for a term, created (with its parents) on first use."""
        if curie in self.entities:
            return self.entities[curie]
        row = self.knowledge.terms.get(curie) or self.knowledge.reused[curie]
        parents = tuple(self.class_of(p) for p in row.values("parents")) or (owl.Thing,)
        cls = self._new(curie, parents)
        cls.label = [english(row.get("label"))]
        return cls

    def property_of(self, curie: str) -> type:
        """The Owlready2 property for a row of properties.tsv, created on first use."""
        if curie in self.entities:
            return self.entities[curie]
        row = self.knowledge.properties[curie]
        base = owl.ObjectProperty if row.get("kind") == "object" else owl.AnnotationProperty
        parents = tuple(self.property_of(p) for p in row.values("parents")) or (base,)
        prop = self._new(curie, parents)
        prop.label = [english(row.get("label"))]
        return prop

    # -- annotations ----------------------------------------------------------------------
    def annotate_term(self, entity: type, row: Row) -> None:
        """Definition (with its sources as an axiom annotation), synonyms, cross-references."""
        vocab = self.vocab
        text = row.get("definition")
        if text:
            definition = english(text)
            vocab["definition"][entity].append(definition)
            self._annotate_axiom(
                vocab["definition_source"], (entity, vocab["definition"], definition),
                row.values("definition_source"),
            )
        for synonym in row.values("exact_synonyms"):
            vocab["exact_synonym"][entity].append(english(synonym))
        for synonym in row.values("related_synonyms"):
            vocab["related_synonym"][entity].append(english(synonym))
        for xref in row.values("xrefs"):
            vocab["db_xref"][entity].append(xref)

    def cite(
        self,
        subject: type,
        restriction: owl.ClassConstruct,
        sources: list[str],
        extra: list[tuple[type, list]] = (),
    ) -> None:
        """Add ``subject SubClassOf restriction`` (``rdf:type`` for an individual) with its
        sources (and any ``extra`` annotation property/values pairs) as axiom annotations."""
        subject.is_a.append(restriction)
        link = owl.rdf_type if isinstance(subject, owl.Thing) else owl.rdfs_subclassof
        axiom = (subject, link, restriction)
        self._annotate_axiom(self.vocab["source"], axiom, sources)
        for annotation, values in extra:
            self._annotate_axiom(annotation, axiom, values)

    @staticmethod
    def _annotate_axiom(annotation: type, axiom: tuple, values: list[str]) -> None:
        """Annotate one axiom, adding values one at a time so their order is kept."""
        annotations = annotation[axiom]
        for value in values:
            annotations.append(value)

    # -- the whole ontology ---------------------------------------------------------------
