"""The package's one vocabulary: every prefix and every fixed IRI it writes or reads.

:data:`PREFIX_MAP` lists each CURIE prefix the knowledge tables, the release files, the
queries and the docs use, with the IRI prefix it stands for. From it come the ``curies``
converter (:func:`converter`), the SPARQL prefixes (:data:`SPARQL_PREFIXES`), the OBO
``idspace`` header, the SSSOM ``curie_map`` and the JSON-LD context shipped with the release.

Importing ``curies`` takes longer than the rest of the package together, so
:func:`expand` and :func:`compress` work from the plain table (longest matching IRI prefix
first, as ``curies`` does); :func:`converter` builds the ``curies`` object only when asked.
"""

from __future__ import annotations

from functools import cache

IAPO_NAMESPACE = "https://w3id.org/iapo/"
IAPO = IAPO_NAMESPACE + "IAPO_"
OBO = "http://purl.obolibrary.org/obo/"
OBO_IN_OWL = "http://www.geneontology.org/formats/oboInOwl#"
DCTERMS = "http://purl.org/dc/terms/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
FOAF = "http://xmlns.com/foaf/0.1/"
DOAP = "http://usefulinc.com/ns/doap#"
DCAT = "http://www.w3.org/ns/dcat#"

#: CURIE prefix -> IRI prefix, for every prefix the package uses. OBO Library ontologies
#: use their PURLs, databases their RDF or identifiers.org IRIs, and sources and trial
#: registrations the web address of the record.
PREFIX_MAP: dict[str, str] = {
    # this ontology and the OBO Library ontologies it reuses
    "IAPO": IAPO,
    "BFO": OBO + "BFO_",
    "RO": OBO + "RO_",
    "IAO": OBO + "IAO_",
    "GO": OBO + "GO_",
    "PR": OBO + "PR_",
    "CHEBI": OBO + "CHEBI_",
    "MONDO": OBO + "MONDO_",
    "NCBITaxon": OBO + "NCBITaxon_",
    "OBI": OBO + "OBI_",
    "NCIT": OBO + "NCIT_",
    # databases named in cross-references, and the sources cited
    "UniProtKB": "http://purl.uniprot.org/uniprot/",
    "HGNC": "http://identifiers.org/hgnc/",
    "NCBIGene": "http://identifiers.org/ncbigene/",
    "InterPro": "http://identifiers.org/interpro/",
    "Pfam": "http://identifiers.org/pfam/",
    "pubchem.compound": "http://rdf.ncbi.nlm.nih.gov/pubchem/compound/CID",
    "ChEMBL": "http://identifiers.org/chembl.compound/",
    "DrugBank": "http://identifiers.org/drugbank/",
    # sources and trial registrations: their registries' own web addresses
    "PMID": "https://pubmed.ncbi.nlm.nih.gov/",
    "DOI": "https://doi.org/",
    "clinicaltrials": "https://clinicaltrials.gov/study/",
    "isrctn": "https://www.isrctn.com/",
    "EudraCT": "https://www.clinicaltrialsregister.eu/ctr-search/search?query=",
    "ACTRN": "https://www.anzctr.org.au/TrialSearch.aspx?searchTxt=",
    # the vocabularies the files are written with
    "oboInOwl": OBO_IN_OWL,
    "dcterms": DCTERMS,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "foaf": FOAF,
    "doap": DOAP,
    "dcat": DCAT,
    "semapv": "https://w3id.org/semapv/vocab/",
    # whole namespaces, for SPARQL (obo:IAO_0000115) and for IRIs no prefix above covers
    "obo": OBO,
    "iapo": IAPO_NAMESPACE,
}

#: Prefixes that name a whole namespace rather than one resource's identifiers: an IRI is
#: shortened with one of them only when no longer prefix matches (``obo:UBERON_0000001``).
NAMESPACE_PREFIXES = ("obo", "iapo")

#: The standard vocabularies the files are written with (not ontologies of things).
VOCABULARY_PREFIXES = ("rdf", "rdfs", "owl", "xsd", "skos", "dcterms", "oboInOwl", "foaf",
                       "doap", "dcat", "semapv")

#: The namespace of the query graph's asserted links (``asserted:IAPO_0000512``: a record's
#: own cancer, not its superclasses); see :mod:`iapontology.rdf.relation_graph`. They exist
#: only in the query graph, so the prefix is bound in SPARQL but is not one of the files'.
ASSERTED = IAPO_NAMESPACE + "asserted/"

#: Prefixes bound in every SPARQL query and used when printing IRIs.
SPARQL_PREFIXES: dict[str, str] = {**PREFIX_MAP, "asserted": ASSERTED}

# -- fixed IRIs ------------------------------------------------------------------------------
DEFINITION = OBO + "IAO_0000115"
DEFINITION_SOURCE = OBO + "IAO_0000119"
TERM_REPLACED_BY = OBO + "IAO_0100001"
HAS_DB_XREF = OBO_IN_OWL + "hasDbXref"
EXACT_SYNONYM = OBO_IN_OWL + "hasExactSynonym"
RELATED_SYNONYM = OBO_IN_OWL + "hasRelatedSynonym"
BROAD_SYNONYM = OBO_IN_OWL + "hasBroadSynonym"
NARROW_SYNONYM = OBO_IN_OWL + "hasNarrowSynonym"
TITLE = DCTERMS + "title"
DESCRIPTION = DCTERMS + "description"
LICENSE = DCTERMS + "license"
CREATOR = DCTERMS + "creator"
CONTRIBUTOR = DCTERMS + "contributor"
SOURCE = DCTERMS + "source"
BIBLIOGRAPHIC_CITATION = DCTERMS + "bibliographicCitation"
HOMEPAGE = FOAF + "homepage"
ISSUE_TRACKER = DOAP + "bug-database"
CONTACT_POINT = DCAT + "contactPoint"
OBO_ID = OBO_IN_OWL + "id"
VERSION_INFO = OWL + "versionInfo"
VERSION_IRI = OWL + "versionIRI"
HGNC_SYMBOL = IAPO + "0000601"

#: The ontology's own properties for free text on records and agents.
HIGHEST_PHASE = IAPO + "0000603"


def _ordered() -> list[tuple[str, str]]:
    """(IRI prefix, CURIE prefix), longest IRI prefix first: the first match wins."""
    return sorted(((iri, prefix) for prefix, iri in PREFIX_MAP.items()),
                  key=lambda pair: (-len(pair[0]), pair[1]))


_ORDERED = _ordered()


def expand(curie: str) -> str | None:
    """The IRI of a CURIE (``MONDO:0004992`` -> its PURL), or None for an unknown prefix."""
    prefix, sep, local = curie.partition(":")
    if not sep or not local or prefix not in PREFIX_MAP:
        return None
    return PREFIX_MAP[prefix] + local


def compress(iri: str) -> str | None:
    """The CURIE of an IRI under the longest matching prefix, or None when none matches or
    the IRI is that namespace itself (as ``curies`` decides)."""
    for namespace, prefix in _ORDERED:
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}" if len(iri) > len(namespace) else None
    return None


def curie_or_iri(iri: object) -> str:
    """The CURIE of an IRI when a prefix covers it, else the IRI itself (for printing)."""
    return compress(str(iri)) or str(iri)


@cache
def converter():
    """The :class:`curies.Converter` for :data:`PREFIX_MAP` (built on first use)."""
    import curies

    return curies.Converter.from_prefix_map(PREFIX_MAP)


def jsonld_context() -> dict:
    """The JSON-LD ``@context`` shipped as ``iapo.context.jsonld``: every prefix of
    :data:`PREFIX_MAP`, so ``IAPO:0000104`` in any release file expands the same way."""
    return {"@context": {prefix: {"@id": iri, "@prefix": True}
                         for prefix, iri in sorted(PREFIX_MAP.items())}}


__all__ = [
    "ASSERTED",
    "IAPO",
    "IAPO_NAMESPACE",
    "OBO",
    "PREFIX_MAP",
    "SPARQL_PREFIXES",
    "compress",
    "converter",
    "curie_or_iri",
    "expand",
    "jsonld_context",
]
