"""Identifier patterns and the prefix map that turns CURIEs into IRIs.

The patterns follow the registries' own rules (as recorded by Bioregistry and identifiers.org);
a cell that does not match its pattern is a curation error caught before any build.
"""

from __future__ import annotations

import re

from iapontology import vocab
from iapontology.vocab import IAPO_NAMESPACE, OBO, PREFIX_MAP, converter

#: Patterns for the local part of each CURIE prefix that may appear in a table.
LOCAL_PATTERNS: dict[str, str] = {
    "IAPO": r"\d{7}",
    "BFO": r"\d{7}",
    "RO": r"\d{7}",
    "IAO": r"\d{7}",
    "GO": r"\d{7}",
    "PR": r"\d{9}|[A-NR-Z][0-9](?:[A-Z][A-Z0-9]{2}[0-9]){1,2}|[OPQ][0-9][A-Z0-9]{3}[0-9]",
    "CHEBI": r"\d+",
    "MONDO": r"\d{7}",
    "NCBITaxon": r"\d+",
    "OBI": r"\d{7}",
    "NCIT": r"C\d+",
    "UniProtKB": r"[OPQ][0-9][A-Z0-9]{3}[0-9]|[A-NR-Z][0-9](?:[A-Z][A-Z0-9]{2}[0-9]){1,2}",
    "HGNC": r"\d{1,5}",
    "NCBIGene": r"\d+",
    "InterPro": r"IPR\d{6}",
    "PMID": r"[1-9]\d{0,8}",
    "DOI": r"10\.\d{4,9}/\S+",
    "clinicaltrials": r"NCT\d{8}",
    "isrctn": r"ISRCTN\d{8}",
    "EudraCT": r"\d{4}-\d{6}-\d{2}",
    "ACTRN": r"ACTRN\d{14}",
    "ChEMBL": r"CHEMBL\d+",
    "pubchem.compound": r"\d+",
    "DrugBank": r"DB\d{5}",
    "Pfam": r"PF\d{5}",
}

_COMPILED = {prefix: re.compile(rf"^(?:{pattern})$") for prefix, pattern in LOCAL_PATTERNS.items()}

#: Sources a definition or an axiom may cite (a trial registration counts for trial facts).
SOURCE_PREFIXES = ("PMID", "DOI", "clinicaltrials", "isrctn", "EudraCT", "ACTRN")

#: Where a cross-reference can be looked up (a web page, not the IRI), for links in the docs
#: and the CLI; OBO Library terms resolve at their PURLs.
XREF_URLS: dict[str, str] = {
    "UniProtKB": "https://www.uniprot.org/uniprotkb/{}",
    "HGNC": "https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/HGNC:{}",
    "NCBIGene": "https://www.ncbi.nlm.nih.gov/gene/{}",
    "InterPro": "https://www.ebi.ac.uk/interpro/entry/InterPro/{}/",
    "PMID": "https://pubmed.ncbi.nlm.nih.gov/{}/",
    "DOI": "https://doi.org/{}",
    "clinicaltrials": "https://clinicaltrials.gov/study/{}",
    "pubchem.compound": "https://pubchem.ncbi.nlm.nih.gov/compound/{}",
    "ChEMBL": "https://www.ebi.ac.uk/chembl/compound_report_card/{}/",
    "DrugBank": "https://go.drugbank.com/drugs/{}",
    "isrctn": "https://www.isrctn.com/{}",
    "EudraCT": "https://www.clinicaltrialsregister.eu/ctr-search/search?query={}",
    "ACTRN": "https://www.anzctr.org.au/TrialSearch.aspx?searchTxt={}",
    "CHEBI": PREFIX_MAP["CHEBI"] + "{}",
    "MONDO": PREFIX_MAP["MONDO"] + "{}",
    "NCIT": PREFIX_MAP["NCIT"] + "{}",
    "GO": PREFIX_MAP["GO"] + "{}",
}


def split_curie(text: str) -> tuple[str, str] | None:
    """Split ``PREFIX:local`` into its two parts, or return ``None`` if it has no prefix."""
    prefix, sep, local = text.partition(":")
    if not sep or not prefix or not local:
        return None
    return prefix, local


def curie_problem(text: str, allowed: tuple[str, ...] | None = None) -> str | None:
    """Why ``text`` is not a well-formed CURIE (of one of ``allowed`` prefixes); None if it is."""
    parts = split_curie(text)
    if parts is None:
        return f"{text!r} is not a CURIE (PREFIX:id)"
    prefix, local = parts
    if allowed is not None and prefix not in allowed:
        return f"{text!r} has prefix {prefix!r}; expected one of {', '.join(allowed)}"
    pattern = _COMPILED.get(prefix)
    if pattern is None:
        return f"{text!r} has an unknown prefix {prefix!r}"
    if not pattern.match(local):
        return f"{text!r} is not a valid {prefix} identifier"
    return None


def expand(curie: str) -> str:
    """Turn a CURIE of an ontology term (``GO:0006915``) into its IRI."""
    iri = vocab.expand(curie)
    if iri is None:
        raise ValueError(f"cannot expand {curie!r}: unknown prefix")
    return iri


def compress(iri: str) -> str | None:
    """Turn an ontology IRI back into a CURIE, or None when no prefix covers it."""
    return vocab.compress(iri)


def xref_url(curie: str) -> str | None:
    """Return a web address for a cross-reference or source CURIE, when one is known."""
    parts = split_curie(curie)
    if parts is None or parts[0] not in XREF_URLS:
        return None
    prefix, local = parts
    return XREF_URLS[prefix].format(local)


__all__ = ["IAPO_NAMESPACE", "LOCAL_PATTERNS", "OBO", "PREFIX_MAP", "SOURCE_PREFIXES",
           "XREF_URLS", "compress", "converter", "curie_problem", "expand", "split_curie",
           "xref_url"]
