"""The downloads and metadata page: every release file with its format, size and checksum,
how to load it, how to cite, the licence, the version and whom to contact."""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path

import yaml

from iapontology import __version__
from iapontology.paths import KNOWLEDGE_DIR, SOURCE_TREE, bundled_ontology_dir
from iapontology.sphinx.rst import data_table, link, rst_escape, title

__all__ = ["FORMATS", "downloads_page"]

# File name ending -> (format, what it is for).
FORMATS = {
    "-base.owl": ("OWL 2 (RDF/XML), base module", "only this ontology's own axioms, for import "
                  "into other ontologies"),
    "-full.owl": ("OWL 2 (RDF/XML), reasoned", "the primary file plus what HermiT infers"),
    ".owl": ("OWL 2 (RDF/XML)", "the primary release: open it in Protégé"),
    ".ttl": ("RDF Turtle", "the primary release as Turtle, for RDF tools"),
    ".obo": ("OBO 1.4", "for pronto, fastobo and OBO tools"),
    ".context.jsonld": ("JSON-LD context", "the prefix map (CURIE prefixes to IRIs)"),
    ".json": ("OBO Graphs JSON", "for OAK, obonet and the Ontology Lookup Service"),
    ".sssom.tsv": ("SSSOM mappings (TSV)", "every cross-reference as a mapping"),
    "-query.nt": ("N-Triples", "ontology plus the relation-graph view and its asserted "
                  "links, loaded by ``iapontology.graph()``"),
}
_LOADING = """\
How to load them
----------------

**Protégé**: File > Open, choose ``iapo.owl``; Reasoner > HermiT > Start reasoner.

**pronto** (Python):

.. code-block:: python

   import pronto
   onto = pronto.Ontology("iapo.obo")       # or "iapo.json"
   print(onto["IAPO:0000104"].name)         # XIAP

**OAK** (Ontology Access Kit):

.. code-block:: console

   $ runoak -i pronto:iapo.obo info IAPO:0000104
   $ runoak -i obograph:iapo.json descendants IAPO:0000001

**rdflib** (Python):

.. code-block:: python

   import rdflib
   g = rdflib.Graph().parse("iapo.ttl")     # or iapo.owl (RDF/XML)
   # or, with the relation-graph view and pre-bound prefixes:
   import iapontology
   g = iapontology.graph()

"""


def _format(name: str) -> tuple[str, str]:
    for ending, described in FORMATS.items():
        if name.endswith(ending):
            return described
    return ("", "")


def _release_rows(folder: Path) -> list[list[str]]:
    rows = []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and p.name.startswith("iapo")):
        data = path.read_bytes()
        kind, purpose = _format(path.name)
        rows.append([f"``{path.name}``", rst_escape(kind), rst_escape(purpose),
                     f"{len(data):,} bytes", f"``{hashlib.sha256(data).hexdigest()}``"])
    return rows


def _citation() -> list[str]:
    cff = yaml.safe_load((SOURCE_TREE / "CITATION.cff").read_text(encoding="utf-8"))
    authors = ", ".join(a.get("name") or f"{a.get('family-names')} {a.get('given-names')}"
                        for a in cff.get("authors", []))
    lines = [title("How to cite", "-"), rst_escape(cff.get("message", "")), "",
             f"   {rst_escape(authors)} ({str(cff.get('date-released', ''))[:4]}). "
             f"*{rst_escape(cff['title'])}*. Version {rst_escape(cff.get('version', ''))}.", ""]
    for reference in cff.get("references", []):
        names = ", ".join(f"{a['family-names']} {a['given-names'][0]}"
                          for a in reference.get("authors", []))
        doi = reference.get("doi")
        lines += ["Please also cite the review the ontology starts from:", "",
                  f"   {rst_escape(names)} ({reference.get('year')}). "
                  f"{rst_escape(reference['title'])}. *{rst_escape(reference['journal'])}* "
                  f"{reference.get('volume', '')}."
                  + (" " + link(f"https://doi.org/{doi}", f"doi:{doi}") if doi else ""), ""]
    return lines


def downloads_page() -> str:
    """The page text."""
    meta = tomllib.loads((KNOWLEDGE_DIR / "metadata.toml").read_text(encoding="utf-8"))
    header = meta["ontology"]
    lines = [title("Downloads and metadata"),
             f"Release {rst_escape(header['version'])} (package {__version__}), released "
             f"{rst_escape(header['release_date'])}. Version IRI: "
             f"``{header['version_iri'].format(**header)}``. What changed: :doc:`/changelog`.",
             "", title("Release files", "-"),
             "Every file is built by ``iapo build`` from the same tables; the SHA-256 "
             "checksum lets you check a download.", ""]
    lines += data_table("Release files", ["File", "Format", "For", "Size", "SHA-256"],
                        _release_rows(bundled_ontology_dir()))
    lines += [*_LOADING.splitlines(), ""]
    lines += _citation()
    lines += [title("Licence", "-"),
              "Ontology content: " + link(header["license"], "CC BY 4.0")
              + " (stated as ``dcterms:license`` in every release file). Code: MIT (the "
              "``LICENSE`` file).", ""]
    contact = [f"* {name}: {link(value, value) if value.startswith('http') else value}"
               for name, key in (("Homepage", "homepage"), ("Issue tracker", "issue_tracker"),
                                 ("Contact", "contact"))
               if (value := str(header.get(key, "")))]
    lines += [title("Contact", "-")]
    lines += contact or ["The ontology's creators: "
                         + rst_escape(", ".join(header.get("creators", [])))]
    lines.append("")
    return "\n".join(lines)
