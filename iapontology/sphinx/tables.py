"""The index pages: class hierarchy and the agents, trials, findings and biomarkers tables.
Each table is sortable and filterable in the browser and downloadable as CSV."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable

from rdflib import RDFS, URIRef

from iapontology.sphinx.rst import data_table, rst_escape, title
from iapontology.sphinx.site import GENERATED, Record, Site, iapo, page_name
from iapontology.sphinx.term_pages import (
    ACTS_ON_IAP,
    AGENT,
    FINDING,
    PHASE,
    TRIAL,
)

__all__ = ["agents_page", "biomarkers_page", "findings_page", "hierarchy_page", "trials_page"]

BIOMARKER = iapo("0000490")


def hierarchy_page(site: Site) -> str:
    """Every class under each of its parents."""
    classes = [i for i, k in site.terms.items() if k == "class"]
    children: dict[str, list[str]] = defaultdict(list)
    has_parent = set()
    for c in classes:
        for p in site.g.objects(URIRef(c), RDFS.subClassOf):
            if isinstance(p, URIRef) and str(p) in site.terms:
                children[str(p)].append(c)
                has_parent.add(c)
    lines = [title("Class hierarchy"), "Every class, under each of its parents.", ""]

    def walk(node: str, depth: int) -> None:
        lines.append("  " * depth + f"* {site.ref(node)}")
        kids = sorted(children.get(node, []), key=lambda k: site.label(k).casefold())
        if kids:
            lines.append("")
            for kid in kids:
                walk(kid, depth + 1)
            lines.append("")

    for root in sorted((c for c in classes if c not in has_parent),
                       key=lambda k: site.label(k).casefold()):
        walk(root, 0)
    return "\n".join(lines) + "\n"


def _page(site: Site, name: str, heading: str, intro: str, header: list[str],
          rows: list[tuple[list[str], list[str]]]) -> str:
    """A table page; ``rows`` pairs the rST cells with the plain CSV cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(plain for _, plain in rows)
    site.write(f"downloads/{name}.csv", buffer.getvalue())
    lines = [title(heading), intro, "",
             "Type in the box above a table to keep only the rows that contain your words; "
             "click a column heading to sort.", ""]
    lines += data_table(heading, header, [cells for cells, _ in rows],
                        csv_file=f"/{GENERATED}/downloads/{name}.csv")
    return "\n".join(lines)


def _labels(site: Site, iris: list[str]) -> str:
    return "; ".join(sorted(site.label(i) for i in iris))


def _refs(site: Site, iris: list[str]) -> str:
    return ", ".join(site.ref(i) for i in sorted(iris, key=lambda i: site.label(i).casefold()))


def agents_page(site: Site) -> str:
    """Every IAP-targeted agent, its approach, targets, phase and trials."""
    effects = site.subclasses(ACTS_ON_IAP) | {ACTS_ON_IAP}
    rows = []
    for agent in sorted(site.subclasses(AGENT), key=lambda i: site.label(i).casefold()):
        phase = site.values(agent, URIRef(PHASE))
        if not phase:
            continue  # an approach class, not an agent
        approaches = [str(p) for p in site.g.objects(URIRef(agent), RDFS.subClassOf)
                      if isinstance(p, URIRef)]
        targets = [r for r in site.relations.get(agent, []) if r.prop in effects]
        trials = site.records_linking(agent, TRIAL)
        rows.append((
            [site.ref(agent), _refs(site, approaches),
             "; ".join(f"{rst_escape(site.label(r.prop))} {site.ref(r.target)} "
                       f"{site.sources_text(r.sources)}" for r in targets),
             rst_escape(phase[0]), _refs(site, [t.iri for t in trials])],
            [site.label(agent), _labels(site, approaches),
             "; ".join(f"{site.label(r.prop)} {site.label(r.target)}" for r in targets),
             phase[0], _labels(site, [t.iri for t in trials])]))
    return _page(site, "agents", "Agents", "Every IAP-targeted agent: its approach, what it "
                 "does to which IAP (with sources), the furthest clinical phase it has reached "
                 "and its trials.", ["Agent", "Approach", "Targets", "Highest phase", "Trials"],
                 rows)


def _record_rows(site: Site, records: list[Record], columns: dict[str, str],
                 first: Callable[[Record], str] | None = None) -> list:
    rows = []
    for record in records:
        cells = [first(record) if first else site.ref(record.iri)]
        plain = [site.label(record.iri)]
        for prop in columns.values():
            if prop == "sources":
                values = record.sources
                cells.append(", ".join(site.source_link(v) for v in values))
            elif prop == "xrefs":
                values = record.xrefs
                cells.append(", ".join(site.source_link(v) for v in values))
            elif prop in record.links:
                values = record.links[prop]
                cells.append(_refs(site, values))
                values = [site.label(v) for v in values]
            else:
                values = [record.text.get(prop, "")]
                cells.append(rst_escape(values[0]))
            plain.append("; ".join(sorted(values)))
        rows.append((cells, plain))
    return rows


def trials_page(site: Site) -> str:
    """Every clinical trial with registry links, phase, status and outcome."""
    columns = {"Registry": "xrefs", "Phase": iapo("0000604"), "Status": iapo("0000605"),
               "Interventions": iapo("0000516"), "Conditions": iapo("0000512"),
               "Outcome": iapo("0000606"), "Sources": "sources"}
    rows = _record_rows(site, site.records_of(TRIAL), columns)
    return _page(site, "trials", "Clinical trials", "Every clinical trial of an IAP-targeted "
                 "agent in the ontology; registry numbers link to their registry.",
                 ["Trial", *columns], rows)


def findings_page(site: Site) -> str:
    """Every drug-resistance finding, each linked to the page that explains it."""
    columns = {"IAP": iapo("0000511"), "Alteration": iapo("0000536"),
               "Cancer": iapo("0000512"), "Treatment": iapo("0000513"),
               "Effect": iapo("0000535"), "Mechanism": iapo("0000514"),
               "Evidence": iapo("0000515"), "Contradicts": iapo("0000537"),
               "Counter-evidence note": iapo("0000620"), "Source": "sources"}
    rows = _record_rows(
        site, site.records_of(FINDING), columns,
        first=lambda r: f"{site.ref(r.iri)} (:doc:`why? </{GENERATED}/why/"
                        f"{page_name(r.iri)}>`)")
    return _page(site, "findings", "Findings on IAPs and treatment response", "Every "
                 "published finding that ties an IAP (overexpressed, lost, mutated or fused) "
                 "to a cancer's response to a treatment: resistance, sensitisation or no "
                 "effect, with counter-evidence where a study contradicts another. Each has a "
                 "*why?* page that walks from the IAP to the step the treatment needs.",
                 ["Finding", *columns], rows)


def biomarkers_page(site: Site) -> str:
    """Every biomarker, what it measures and what it predicts."""
    columns = {"Measures": iapo("0000518"), "Cancer": iapo("0000512"),
               "Predicts response to": iapo("0000519"),
               "Predicts resistance to": iapo("0000520"),
               "Measurement": iapo("0000608"), "Sources": "sources"}
    rows = _record_rows(site, site.records_of(BIOMARKER), columns)
    return _page(site, "biomarkers", "Biomarkers", "Biomarkers that predict response or "
                 "resistance to IAP-targeted agents or to the treatments IAPs resist.",
                 ["Biomarker", *columns], rows)

