"""The docs stage: a Sphinx extension that writes the reference pages from the built ontology.

Add ``"iapontology.sphinx"`` to ``extensions`` in ``conf.py``. When the build starts, it reads
the shipped query graph (the OWL file plus its relation-graph view) and writes, under
``<srcdir>/generated/``: a page per term with the evidence for each relation, a "why?" page
per drug-resistance finding, the agents, trials, findings and biomarkers tables (with CSV
downloads), the class hierarchy, the pathway in panels, the query cookbook, and the downloads
and metadata page, and the table reference (from the curated tables' schema). Nothing is
pasted: every page is computed from the ontology (or the schema) at build time, so the site
cannot drift from it.

May import: the bottom layer, ``rdf``, ``knowledge`` (the table schema) and ``sparql``.
Nothing in the package imports it; Sphinx loads it from ``docs/conf.py``.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from iapontology import __version__
from iapontology.identifiers import compress
from iapontology.rdf.graph import graph
from iapontology.sphinx.cookbook import cookbook_page
from iapontology.sphinx.diagrams import load_panels, pathway_page
from iapontology.sphinx.downloads import downloads_page
from iapontology.sphinx.rst import rst_escape, title
from iapontology.sphinx.site import GENERATED, TERM_TYPES, Relation, Site, page_name
from iapontology.sphinx.table_reference import table_reference_page
from iapontology.sphinx.tables import (
    agents_page,
    biomarkers_page,
    findings_page,
    hierarchy_page,
    trials_page,
)
from iapontology.sphinx.term_pages import FINDING, term_page
from iapontology.sphinx.why import load_rules, why_index, why_page

__all__ = ["GENERATED", "TERM_TYPES", "generate", "page_name", "setup", "write_site"]


def _terms_index(site: Site) -> str:
    names = sorted(site.terms, key=lambda i: (site.label(i).casefold(), i))
    return "\n".join([
        title("All terms"), f"The ontology has {len(site.terms)} terms; each has a page.", ""]
        + [f"* :doc:`{rst_escape(site.label(i))} ({compress(i) or i}) <{page_name(i)}>`"
           for i in names]) + "\n"


def write_site(site: Site) -> int:
    """Write every generated page; return the number of term pages."""
    incoming: dict[str, list[Relation]] = defaultdict(list)
    for relations in site.relations.values():
        for relation in relations:
            incoming[relation.target].append(relation)
    for iri in site.terms:
        site.write(f"terms/{page_name(iri)}.rst", term_page(site, iri, incoming.get(iri, [])))
    site.write("terms/index.rst", _terms_index(site))
    rules = load_rules()
    for record in site.records_of(FINDING):
        site.write(f"why/{page_name(record.iri)}.rst", why_page(site, record, rules))
    site.write("why/index.rst", why_index(site))
    site.write("hierarchy.rst", hierarchy_page(site))
    site.write("agents.rst", agents_page(site))
    site.write("trials.rst", trials_page(site))
    site.write("findings.rst", findings_page(site))
    site.write("biomarkers.rst", biomarkers_page(site))
    site.write("cookbook.rst", cookbook_page(site))
    site.write("pathway.rst", pathway_page(site, load_panels())[0])
    site.write("downloads.rst", downloads_page())
    site.write("table-reference.rst", table_reference_page())
    site.remove_stale()
    return len(site.terms)


def generate(app: Any) -> None:
    """Sphinx ``builder-inited`` handler: (re)write the generated pages."""
    count = write_site(Site(graph(), Path(app.srcdir) / GENERATED))
    app.config.html_context = {**app.config.html_context, "iapo_term_count": count}


def setup(app: Any) -> dict[str, Any]:
    """Register the extension with Sphinx."""
    app.connect("builder-inited", generate)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
