"""One page per term: definition, evidence for every relation, and, for IAPs and agents,
the clinical and resistance record that concerns them."""

from __future__ import annotations

from collections import defaultdict

from rdflib import OWL, RDF, RDFS, Literal, URIRef

from iapontology.identifiers import compress
from iapontology.sphinx.diagrams import neighbourhood
from iapontology.sphinx.rst import rst_escape, title
from iapontology.sphinx.site import (
    DCTERMS,
    GENERATED,
    IAPO,
    OBO,
    OBO_IN_OWL,
    TERM_TYPES,
    Relation,
    Site,
    iapo,
    page_name,
)

__all__ = ["AGENT", "FINDING", "IAP", "TRIAL", "term_page"]

IAP, AGENT = iapo("0000001"), iapo("0000400")
FINDING, TRIAL, COMBINATION, BIOMARKER = (iapo(n) for n in
                                          ("0000450", "0000470", "0000480", "0000490"))
PHASE, TRIAL_PHASE, STATUS, OUTCOME = (iapo(n) for n in
                                       ("0000603", "0000604", "0000605", "0000606"))
INTERVENTION, COMBINES, MEASURES, CONCERNS_IAP = (iapo(n) for n in
                                                  ("0000516", "0000517", "0000518", "0000511"))
ACTS_ON_IAP = iapo("0000502")
PHASE_ORDER = ["approved", "phase 3", "phase 2/3", "phase 2", "phase 1/2", "phase 1",
               "preclinical"]


def _bullets(heading: str, items: list[str]) -> list[str]:
    return [title(heading, "-"), *[f"* {item}" for item in items], ""] if items else []


def _phase_rank(phase: str) -> int:
    return PHASE_ORDER.index(phase) if phase in PHASE_ORDER else len(PHASE_ORDER)


def record_summary(site: Site, record_iri: str) -> str:
    """A trial as 'label (registry links): phase, status. outcome'."""
    record = site.records[record_iri]
    text = site.ref(record.iri)
    if record.xrefs:
        text += " (" + ", ".join(site.source_link(x) for x in record.xrefs) + ")"
    facts = [record.text.get(p, "") for p in (TRIAL_PHASE, STATUS)]
    facts = [rst_escape(f) for f in facts if f]
    if facts:
        text += ": " + ", ".join(facts)
    if record.text.get(OUTCOME):
        text += ". " + rst_escape(record.text[OUTCOME])
    return text


def _header(site: Site, iri: str) -> list[str]:
    subject = URIRef(iri)
    # orphan: reached from the terms index by links, not a toctree, so that the sidebar of
    # every page does not list every term (which made the site slow to build and heavy)
    lines = [":orphan:", "", f".. _term-{page_name(iri)}:", "", title(rst_escape(site.label(iri))),
             f":CURIE: ``{compress(iri) or iri}``", f":IRI: {iri}", f":Kind: {site.terms[iri]}"]
    if (subject, OWL.deprecated, Literal(True)) in site.g:
        lines.append(":Status: obsolete")
    lines.append("")
    definition = site.g.value(subject, OBO.IAO_0000115)
    if definition is not None:
        lines += [title("Definition", "-"), rst_escape(definition), ""]
        sources = site.definition_sources(iri)
        if sources:
            lines += ["Sources: " + ", ".join(site.source_link(s) for s in sources), ""]
    synonyms = sorted(v for p in (OBO_IN_OWL.hasExactSynonym, OBO_IN_OWL.hasRelatedSynonym)
                      for v in site.values(iri, p))
    lines += _bullets("Synonyms", [rst_escape(s) for s in synonyms])
    lines += _bullets("Cross-references", [site.source_link(x) for x in
                                           site.values(iri, OBO_IN_OWL.hasDbXref)])
    if site.terms[iri] == "individual":
        lines += _bullets("Sources", [site.source_link(s) for s in
                                      site.values(iri, DCTERMS.source)])
    annotations = sorted((str(p), str(v)) for p, v in site.g.predicate_objects(subject)
                         if str(p).startswith(str(IAPO)) and isinstance(v, Literal))
    lines += _bullets("Annotations", [f"{site.ref(p)}: {rst_escape(v)}"
                                      for p, v in annotations])
    return lines


def _hierarchy(site: Site, iri: str) -> tuple[list[str], list[str]]:
    subject = URIRef(iri)
    parents = sorted(str(p) for link in (RDFS.subClassOf, RDFS.subPropertyOf)
                     for p in site.g.objects(subject, link) if isinstance(p, URIRef))
    types = sorted(str(t) for t in site.g.objects(subject, RDF.type)
                   if isinstance(t, URIRef) and t not in TERM_TYPES
                   and not str(t).startswith(str(OWL)))
    children = sorted(str(c) for c in site.g.subjects(RDFS.subClassOf, subject)
                      if isinstance(c, URIRef))
    lines = []
    for heading, items in (("Superclasses", parents), ("Types", types),
                           ("Subclasses", children)):
        lines += _bullets(heading, [site.ref(i) for i in items])
    return lines, parents


def _agent_sections(site: Site, iri: str) -> list[str]:
    trials = site.records_linking(iri, TRIAL, INTERVENTION)
    lines = _bullets("Clinical trials", [record_summary(site, t.iri) for t in trials])
    combos = site.records_linking(iri, COMBINATION, COMBINES)
    lines += _bullets("Combinations", [site.ref(c.iri) for c in combos])
    markers = site.records_linking(iri, BIOMARKER)
    lines += _bullets("Biomarkers", [site.ref(b.iri) for b in markers])
    return lines


def _agents_acting_on(site: Site, iri: str, incoming: list[Relation]) -> list[str]:
    """IAP pages: the agents that act on the IAP, grouped by the furthest phase reached."""
    effects = site.subproperties(ACTS_ON_IAP)
    by_phase: dict[str, list[str]] = defaultdict(list)
    for relation in incoming:
        if relation.prop in effects:
            phase = (site.values(relation.subject, URIRef(PHASE)) or ["phase not recorded"])[0]
            by_phase[phase].append(site.relation_text(relation, subject_first=True))
    lines = []
    if by_phase:
        lines.append(title("Agents that act on it, by furthest clinical phase", "-"))
        for phase in sorted(by_phase, key=_phase_rank):
            lines += [f"**{rst_escape(phase)}**", ""]
            lines += [f"* {item}" for item in sorted(by_phase[phase])] + [""]
    return lines


def _iap_sections(site: Site, iri: str, incoming: list[Relation]) -> list[str]:
    lines = _agents_acting_on(site, iri, incoming)
    findings = site.records_linking(iri, FINDING, CONCERNS_IAP)
    lines += _bullets("Findings on treatment response", [
        f"{site.ref(f.iri)} (:doc:`why? </{GENERATED}/why/{page_name(f.iri)}>`)"
        for f in findings])
    markers = site.records_linking(iri, BIOMARKER)
    lines += _bullets("Biomarkers", [site.ref(b.iri) for b in markers])
    return lines


def term_page(site: Site, iri: str, incoming: list[Relation]) -> str:
    """The rST page of one term. ``incoming`` are the relations that point at it."""
    lines = _header(site, iri)
    hierarchy, parents = _hierarchy(site, iri)
    lines += hierarchy
    outgoing = site.relations.get(iri, [])
    lines += _bullets("Relations, with their evidence",
                      [site.relation_text(r) for r in outgoing])
    ancestors = site.superclasses(iri)
    if AGENT in ancestors:
        lines += _agent_sections(site, iri)
    if IAP in ancestors:
        lines += _iap_sections(site, iri, incoming)
    from_terms = [r for r in incoming if r.subject not in site.records]
    lines += _bullets("Used by", [site.relation_text(r, subject_first=True)
                                  for r in sorted(from_terms, key=lambda r: r.subject)])
    lines += neighbourhood(site, iri, parents, outgoing, from_terms)
    return "\n".join(lines) + "\n"
