"""``iapo.sssom.tsv``: every cross-reference as an SSSOM mapping, with its justification."""

from __future__ import annotations

import rdflib
from rdflib import RDFS, URIRef

from iapontology.identifiers import PREFIX_MAP, compress, split_curie
from iapontology.vocab import HAS_DB_XREF

OIO_XREF = URIRef(HAS_DB_XREF)

#: Prefixes whose identifiers name the same kind of thing as our term (exact match); the
#: rest (a gene for a protein, a GO complex for its named variant) are close matches.
EXACT = {"UniProtKB", "InterPro", "CHEBI", "MONDO", "NCIT", "pubchem.compound",
         "clinicaltrials", "EudraCT", "isrctn"}
#: Prefixes of the cross-references written as mappings (the rest are sources or links).
MAPPED = {"GO", "CHEBI", "MONDO", "NCIT", "UniProtKB", "HGNC", "NCBIGene", "InterPro",
          "pubchem.compound", "clinicaltrials", "EudraCT", "isrctn"}
#: The SSSOM curie_map: the package vocabulary's IRIs for every prefix the file uses.
CURIE_MAP = {prefix: PREFIX_MAP[prefix] for prefix in sorted(MAPPED | {"IAPO", "skos", "semapv"})}
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
        if parts[0] not in MAPPED:
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
