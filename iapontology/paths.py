"""Where the curated tables, the built ontology and the bundled tools live."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
KNOWLEDGE_DIR = PACKAGE_DIR / "knowledge"
QUERIES_DIR = PACKAGE_DIR / "sparql" / "questions"
SOURCE_TREE = PACKAGE_DIR.parent
DEFAULT_OUTPUT_DIR = SOURCE_TREE / "ontology"

PRIMARY_FILE = "iapo.owl"
BASE_FILE = "iapo-base.owl"
FULL_FILE = "iapo-full.owl"
TURTLE_FILE = "iapo.ttl"
JSON_FILE = "iapo.json"
OBO_FILE = "iapo.obo"
SSSOM_FILE = "iapo.sssom.tsv"
CONTEXT_FILE = "iapo.context.jsonld"
QUERY_GRAPH_FILE = "iapo-query.nt"


def bundled_ontology_dir() -> Path:
    """Return the folder holding the built ontology files.

    An installed wheel carries them inside the package (``iapontology/ontology``); a source
    checkout has them in the top-level ``ontology/`` folder that ``iapo build`` writes.
    """
    inside = PACKAGE_DIR / "ontology"
    if (inside / PRIMARY_FILE).exists():
        return inside
    return DEFAULT_OUTPUT_DIR


__all__ = ["BASE_FILE", "DEFAULT_OUTPUT_DIR", "FULL_FILE", "JSON_FILE", "KNOWLEDGE_DIR",
    "OBO_FILE", "PACKAGE_DIR", "PRIMARY_FILE", "QUERIES_DIR", "QUERY_GRAPH_FILE", "SOURCE_TREE",
    "SSSOM_FILE", "TURTLE_FILE", "bundled_ontology_dir"]
