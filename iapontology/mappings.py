"""``iapo.sssom.tsv``: every cross-reference as an SSSOM mapping, with its justification."""

from __future__ import annotations

import rdflib
from rdflib import RDFS, URIRef

from iapontology.identifiers import PREFIX_MAP, compress, split_curie

OIO_XREF = URIRef("http://www.geneontology.org/formats/oboInOwl#hasDbXref")

#: Prefixes whose identifiers name the same kind of thing as our term (exact match); the
#: rest (a gene for a protein, a GO complex for its named variant) are close matches.
EXACT = {"UniProtKB", "InterPro", "CHEBI", "MONDO", "NCIT", "pubchem.compound",
         "clinicaltrials", "EudraCT", "isrctn"}
CURIE_MAP = {
    **{k: v for k, v in PREFIX_MAP.items() if k in {"IAPO", "GO", "CHEBI", "MONDO", "NCIT"}},
    "UniProtKB": "http://purl.uniprot.org/uniprot/",
    "HGNC": "http://identifiers.org/hgnc/",
    "NCBIGene": "http://identifiers.org/ncbigene/",
    "InterPro": "http://purl.obolibrary.org/obo/IPR_",
    "pubchem.compound": "http://rdf.ncbi.nlm.nih.gov/pubchem/compound/CID",
    "clinicaltrials": "https://clinicaltrials.gov/study/",
    "EudraCT": "https://www.clinicaltrialsregister.eu/ctr-search/search?query=",
    "isrctn": "https://www.isrctn.com/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "semapv": "https://w3id.org/semapv/vocab/",
    "orcid": "https://orcid.org/",
}
COLUMNS = ("subject_id", "subject_label", "predicate_id", "object_id",
           "mapping_justification", "comment")


def sssom_text(graph: rdflib.Graph, meta: dict) -> str:
    """One SSSOM row per cross-reference of an own term, sorted; YAML metadata on top."""
    rows = []
    for subject, xref in graph.subject_objects(OIO_XREF):
        subject_id = compress(str(subject))
        parts = split_curie(str(xref))
        if not subject_id or not subject_id.startswith("IAPO:") or parts is None:
            continue
        if parts[0] not in CURIE_MAP:
            continue
        predicate = "skos:exactMatch" if parts[0] in EXACT else "skos:closeMatch"
        label = str(graph.value(subject, RDFS.label) or "")
        comment = "" if predicate == "skos:exactMatch" else (
            "related entity of another kind (e.g. the gene of a protein)")
        rows.append((subject_id, label, predicate, str(xref),
                     "semapv:ManualMappingCuration", comment))
    header = [
        f"#mapping_set_id: {meta['iri'].rsplit('/', 1)[0]}/iapo.sssom.tsv",
        f"#mapping_set_version: {meta['version']}",
        f"#license: {meta['license']}",
        "#mapping_set_description: Cross-references of the IAP Ontology's terms, curated by "
        "hand with their sources in the ontology.",
        "#curie_map:",
        *[f"#  {prefix}: {iri}" for prefix, iri in sorted(CURIE_MAP.items())],
    ]
    lines = header + ["\t".join(COLUMNS)] + ["\t".join(r) for r in sorted(set(rows))]
    return "\n".join(lines) + "\n"


__all__ = ["COLUMNS", "CURIE_MAP", "EXACT", "OIO_XREF", "sssom_text"]
