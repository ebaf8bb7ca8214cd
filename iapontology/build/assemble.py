"""Turn checked :class:`~iapontology.knowledge.curation.Knowledge` into an Owlready2 ontology.

Everything is created in table order, parents before children, so the same tables always
give the same triples in the same order (and so byte-identical files).
"""

from __future__ import annotations

import owlready2 as owl

from iapontology.build.entities import CHARACTERISTICS, EntityMaker
from iapontology.identifiers import expand
from iapontology.knowledge.curation import Knowledge
from iapontology.knowledge.schema import (
    add_iri_value,
    english,
)
from iapontology.knowledge.table_schema import TableSpec
from iapontology.knowledge.tables import Row
from iapontology.vocab import CONTACT_POINT, HOMEPAGE, ISSUE_TRACKER, LICENSE, VERSION_IRI

HAS_DOMAIN = "IAPO:0000501"
IN_TAXON = "RO:0002162"
HOMO_SAPIENS = "NCBITaxon:9606"
BIR_DOMAIN = "IAPO:0000010"
ACTS_THROUGH_DOMAIN = "IAPO:0000602"
HIGHEST_PHASE = "IAPO:0000603"

class Assembler(EntityMaker):
    """Creates the ontology's entities and axioms from the curated tables, in table order."""

    def assemble(self) -> owl.Ontology:
        """Build every header annotation, property, class and axiom; return the ontology."""
        self._header()
        with self.ontology:
            for curie in self.knowledge.properties:
                self._property(curie)
            for curie in self.knowledge.reused:
                self.class_of(curie)
            for curie, row in self.knowledge.terms.items():
                cls = self.class_of(curie)
                self.annotate_term(cls, row)
            for row in self.knowledge.rows_of("iaps"):
                self._iap(row)
            for row in self.knowledge.rows_of("agents"):
                self._agent(row)
            for row in self.knowledge.axioms:
                self._axiom(row)
            for spec, rows in self.knowledge.records.values():
                for row in rows:
                    self._record(spec, row)
            for spec, rows in self.knowledge.records.values():
                for row in rows:
                    self._relations(spec, row)
            for row in self.knowledge.obsolete.values():
                self._obsolete(row)
        return self.ontology

    def _header(self) -> None:
        meta = self.knowledge.metadata["ontology"]
        onto, vocab = self.ontology, self.vocab
        values = {
            "title": [english(meta["title"])],
            "description": [english(meta["description"])],
            "creator": list(meta.get("creators", [])),
            "bibliographic_citation": list(meta.get("citations", [])),
        }
        for name, annotation in values.items():
            setattr(onto.metadata, vocab[name].python_name, annotation)
        onto.metadata.versionInfo = [meta["version"]]
        add_iri_value(onto, VERSION_IRI, version_iri(meta))
        add_iri_value(onto, LICENSE, meta["license"])
        # where to find it, where to report a problem, and whom to contact
        for predicate, key in ((HOMEPAGE, "homepage"), (ISSUE_TRACKER, "issue_tracker"),
                               (CONTACT_POINT, "contact")):
            if meta.get(key):
                add_iri_value(onto, predicate, meta[key])

    def _property(self, curie: str) -> None:
        row = self.knowledge.properties[curie]
        prop = self.property_of(curie)
        if row.get("definition"):
            self.annotate_term(prop, row)
        for characteristic in row.values("characteristics"):
            prop.is_a.append(CHARACTERISTICS[characteristic])
        if row.values("domain"):
            prop.domain = [self.class_of(c) for c in row.values("domain")]
        if row.values("range"):
            prop.range = [self.class_of(c) for c in row.values("range")]
        for inverse in row.values("inverse_of"):
            prop.inverse_property = self.property_of(inverse)

    def _iap(self, row: Row) -> None:
        """Gene and protein identifiers, taxon and domain architecture of one IAP."""
        iap = self.class_of(row.get("id"))
        vocab = self.vocab
        for column in ("hgnc_id", "ncbigene", "uniprot"):
            if row.get(column):
                vocab["db_xref"][iap].append(row.get(column))
        if row.get("hgnc_symbol"):
            self.property_of("IAPO:0000601")[iap].append(row.get("hgnc_symbol"))
        sources = row.values("architecture_source")
        has_domain = self.property_of(HAS_DOMAIN)
        bir = self.class_of(BIR_DOMAIN)
        count = row.get("bir_domains")
        # Every IAP has at least one BIR; an empty cell means the exact count is unconfirmed.
        restriction = has_domain.exactly(int(count), bir) if count else has_domain.min(1, bir)
        self.cite(iap, restriction, sources)
        for domain in row.values("domains"):
            self.cite(iap, has_domain.some(self.class_of(domain)), sources)
        self.cite(iap, self.property_of(IN_TAXON).some(self.class_of(HOMO_SAPIENS)),
                  row.values("definition_source"))


    def _axiom(self, row: Row) -> None:
        """``subject SubClassOf relation some object``, annotated with source, domain, note."""
        subject = self.class_of(row.get("subject"))
        target = self.class_of(row.get("object"))
        relation = self.property_of(row.get("relation"))
        extra: list[tuple[type, list]] = []
        if row.get("via_domain"):
            extra.append((self.property_of(ACTS_THROUGH_DOMAIN),
                          [self.class_of(row.get("via_domain"))]))
        if row.get("note"):
            extra.append((owl.comment, [english(row.get("note"))]))
        self.cite(subject, relation.some(target), row.values("source"), extra)


    def _agent(self, row: Row) -> None:
        """The highest clinical phase an agent has reached, with its source."""
        agent = self.class_of(row.get("id"))
        phase = self.property_of(HIGHEST_PHASE)
        phase[agent].append(row.get("highest_phase"))
        self._annotate_axiom(self.vocab["source"], (agent, phase, row.get("highest_phase")),
                             row.values("phase_source"))

    def _record(self, spec: TableSpec, row: Row) -> None:
        """One record (a finding, trial, combination or biomarker) as an OWL individual.

        It is typed by its record class and, for each linked kind (an IAP, a cancer, a
        treatment...), by ``property some Kind``: the W3C n-ary relation pattern, with the
        record as the relation instance. Every such axiom carries the record's sources. Which
        column is written how comes from the table's declaration in ``schema.toml``.
        """
        kind = self.class_of(spec.record_class)
        iri = expand(row.get("id"))
        with self.ontology.get_namespace(iri[: iri.rfind("/") + 1]):
            record = kind(iri[iri.rfind("/") + 1 :])
        self.entities[row.get("id")] = record
        record.label = [english(row.get("label"))]
        self.annotate_term(record, row)
        sources = row.values("definition_source")
        for source in sources:  # one at a time: extend() does not keep the order
            self.vocab["source"][record].append(source)
        for column, prop in spec.links.items():
            for value in row.values(column):
                self.cite(record, self.property_of(prop).some(self.class_of(value)), sources)
        for column, prop in spec.text.items():
            for value in row.values(column):
                self.property_of(prop)[record].append(value)
        for column in spec.xrefs:
            for value in row.values(column):
                self.vocab["db_xref"][record].append(value)


    def _relations(self, spec: TableSpec, row: Row) -> None:
        """Links between two records (``finding 'contradicts finding' other``), each cited with
        the sources of the record that states it."""
        record = self.entities[row.get("id")]
        for column, prop_curie in spec.relations.items():
            prop = self.property_of(prop_curie)
            for value in row.values(column):
                other = self.entities[value]
                prop[record].append(other)
                self._annotate_axiom(self.vocab["source"], (record, prop, other),
                                     row.values("definition_source"))

    def _obsolete(self, row: Row) -> None:
        """A retired term: 'obsolete' label, owl:deprecated, and what replaces it."""
        cls = self._new(row.get("id"), (owl.Thing,))
        cls.label = [english(f"obsolete {row.get('label')}")]
        cls.deprecated = [True]
        if row.get("replaced_by"):
            self.vocab["term_replaced_by"][cls].append(self.class_of(row.get("replaced_by")))
        if row.get("note"):
            cls.comment = [english(row.get("note"))]


def version_iri(meta: dict) -> str:
    """The dated versionIRI of a release, from the [ontology] table of metadata.toml."""
    return meta["version_iri"].format(**meta)


def assemble(knowledge: Knowledge) -> owl.Ontology:
    """Build the ontology for ``knowledge`` in a fresh Owlready2 world."""
    return Assembler(knowledge).assemble()


__all__ = [
    "ACTS_THROUGH_DOMAIN",
    "BIR_DOMAIN",
    "HAS_DOMAIN",
    "HIGHEST_PHASE",
    "HOMO_SAPIENS",
    "IN_TAXON",
    "Assembler",
    "assemble",
    "version_iri",
]
