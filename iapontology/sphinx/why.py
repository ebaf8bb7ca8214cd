"""The "why?" pages: for each drug-resistance finding, the chain from the IAP through what
it acts on to the process that the treatment needs, each step with its source.

Every step is read from the ontology's cited axioms; ``why.toml`` only says which of an
IAP's actions belong to each resistance mechanism."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from iapontology.identifiers import expand
from iapontology.sphinx.rst import rst_escape, title
from iapontology.sphinx.site import OBO, Record, Relation, Site, iapo, page_name
from iapontology.sphinx.term_pages import FINDING

__all__ = ["MECHANISMS_FILE", "Chain", "chains", "load_rules", "why_index", "why_page"]

MECHANISMS_FILE = Path(__file__).with_name("why.toml")
CAPABLE_OF = expand("RO:0002215")
# Relations followed downstream of what the IAP acts on: where it takes part, what it is
# part of, and what it (positively or negatively) regulates or is causally upstream of.
DOWNSTREAM = {
    expand("RO:0000056"),
    expand("BFO:0000050"),
    expand("RO:0002211"),
    expand("RO:0002212"),
    expand("RO:0002213"),
    expand("RO:0002411"),
    expand("RO:0002429"),
    expand("RO:0002430"),
}
IAP_OF, CANCER_OF, TREATMENT_OF, MECHANISM_OF, EVIDENCE_OF = (
    iapo(n) for n in ("0000511", "0000512", "0000513", "0000514", "0000515"))
EFFECT_OF, ALTERATION_OF, CONTRADICTS, COUNTER_NOTE = (
    iapo(n) for n in ("0000535", "0000536", "0000537", "0000620"))


@dataclass(frozen=True)
class Chain:
    """One path: the IAP's action, then up to two downstream steps."""

    steps: tuple[Relation, ...]


def load_rules(path: Path = MECHANISMS_FILE) -> dict[str, tuple[set[str], str | None]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {expand(m): ({expand(r) for r in rule["relations"]},
                        expand(rule["targets_under"]) if "targets_under" in rule else None)
            for m, rule in data["mechanism"].items()}


def _downstream(site: Site, start: Relation, depth: int = 2) -> list[Chain]:
    paths = [Chain((start,))]
    frontier = [Chain((start,))]
    for _ in range(depth):
        grown = []
        for chain in frontier:
            last = chain.steps[-1].target
            seen = {s.subject for s in chain.steps}
            for step in site.relations.get(last, []):
                if step.prop in DOWNSTREAM and step.target not in seen:
                    grown.append(Chain((*chain.steps, step)))
        if not grown:
            break
        paths = [p for p in paths if not any(g.steps[:len(p.steps)] == p.steps
                                             for g in grown)] + grown
        frontier = grown
    return paths


def chains(site: Site, iap: str, mechanism: str,
           rules: dict[str, tuple[set[str], str | None]]) -> list[Chain]:
    """The IAP's actions that belong to the mechanism, each followed downstream."""
    relations, under = rules.get(mechanism, (None, None))
    allowed = site.subclasses(under) | {under} if under else None
    found = []
    for action in site.relations.get(iap, []):
        if action.prop in (CAPABLE_OF,) or action.target == iap:
            continue
        if relations is not None and action.prop not in relations:
            continue
        if allowed is not None and action.target not in allowed:
            continue
        found += _downstream(site, action)
    return found


def _first(record: Record, prop: str) -> str | None:
    values = record.links.get(prop)
    return sorted(values)[0] if values else None


def why_page(site: Site, record: Record, rules: dict) -> str:
    """The explanation page of one finding."""
    iap, cancer = _first(record, IAP_OF), _first(record, CANCER_OF)
    treatment, mechanism = _first(record, TREATMENT_OF), _first(record, MECHANISM_OF)
    heading = f"Why: {site.label(record.iri)}"
    lines = [":orphan:", "", title(rst_escape(heading)), "The finding, as the ontology records it "
             f"({site.ref(record.iri, 'record page')}):", ""]
    definition = site.g.value(URIRef(record.iri), OBO.IAO_0000115)
    if definition is not None:
        lines += [f"   {rst_escape(definition)} {site.sources_text(record.sources)}", ""]
    facts = [(name, _first(record, prop)) for name, prop in
             (("Effect", EFFECT_OF), ("Alteration of the IAP", ALTERATION_OF),
              ("Kind of evidence", EVIDENCE_OF))]
    lines += [f"* {name}: {site.ref(value)}" for name, value in facts if value] + [""]
    lines += [f"* Contradicts: {site.ref(other)}" for other in
              record.links.get(CONTRADICTS, [])]
    if record.text.get(COUNTER_NOTE):
        lines += [f"* Counter-evidence: {rst_escape(record.text[COUNTER_NOTE])}"]
    lines.append("")
    if treatment:
        lines += [title("1. What the treatment needs", "-"),
                  f"{site.ref(treatment)}: "
                  f"{rst_escape(site.g.value(URIRef(treatment), OBO.IAO_0000115) or '')} "
                  f"{site.sources_text(site.definition_sources(treatment))}", ""]
    if iap and mechanism:
        capable = [r for r in site.relations.get(iap, [])
                   if r.prop == CAPABLE_OF and r.target == mechanism]
        lines += [title("2. What the IAP can do", "-")]
        lines += ([f"* {site.relation_text(r, subject_first=True)}" for r in capable]
                  or [f"* The finding names the mechanism {site.ref(mechanism)}; the "
                      f"ontology has no axiom yet that {site.ref(iap)} is capable of it."])
        lines += ["", f"{site.ref(mechanism)}: "
                  f"{rst_escape(site.g.value(URIRef(mechanism), OBO.IAO_0000115) or '')}", ""]
        lines += [title("3. Step by step, from the IAP to cell death", "-")]
        found = chains(site, iap, mechanism, rules)
        if not found:
            lines += [f"The ontology records no cited action of {site.ref(iap)} for this "
                      "mechanism yet.", ""]
        for number, chain in enumerate(found, start=1):
            lines.append(f"{number}. " + " then ".join(
                site.relation_text(step, subject_first=index == 0)
                for index, step in enumerate(chain.steps)))
        lines.append("")
    if cancer:
        lines += [title("Where it was seen", "-"), f"{site.ref(cancer)}: "
                  f"{rst_escape(site.g.value(URIRef(cancer), OBO.IAO_0000115) or '')}", ""]
    related = [r for r in site.records_of(FINDING) if r.iri != record.iri
               and _first(r, IAP_OF) == iap and _first(r, TREATMENT_OF) == treatment]
    if related:
        lines += [title("Other findings for this IAP and treatment", "-")]
        lines += [f"* {site.ref(r.iri)}" for r in related] + [""]
    return "\n".join(lines) + "\n"


def why_index(site: Site) -> str:
    """The list of "why?" pages."""
    lines = [title("Why? How each resistance finding arises"),
             "One page per finding: what the treatment needs, what the IAP does, and the "
             "cited steps between them.", ""]
    for record in site.records_of(FINDING):
        lines.append(f"* :doc:`{rst_escape(site.label(record.iri))} <{page_name(record.iri)}>`")
    return "\n".join(lines) + "\n"
