"""Diagrams drawn from the ontology with Graphviz: the pathway, split into panels, and each
term's neighbourhood. Each is rendered to SVG once, inlined in its page at its natural size
(so its text stays legible on a phone; the page scrolls the diagram, not the reader's
viewport), and linked as a file that the browser can zoom."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path

from iapontology.identifiers import expand
from iapontology.sphinx.rst import dot_quote, rst_escape, title
from iapontology.sphinx.site import GENERATED, Relation, Site, iapo, page_name

__all__ = ["PANELS_FILE", "Panel", "load_panels", "neighbourhood", "pathway_page", "render"]

PANELS_FILE = Path(__file__).with_name("panels.toml")
NODE_FONT, EDGE_FONT = 14, 11  # points; Graphviz SVG draws 1 pt as 1.33 CSS px
IAP, ANTAGONIST = iapo("0000001"), iapo("0000006")
CAPABLE_OF = expand("RO:0002215")
# How the pathway draws the relations it knows (short label, style); any other relation is
# a grey arrow labelled with the relation's name.
STYLES = {
    expand("RO:0002449"): ("inhibits", 'color="#b91c1c"'),
    expand("RO:0011016"): ("inhibits (indirectly)", 'color="#b91c1c", style=dashed'),
    expand("RO:0002480"): ("ubiquitinates", 'color="#7c3aed"'),
    expand("RO:0002430"): ("holds back", 'color="#b45309", style=dashed'),
    expand("RO:0002429"): ("drives", 'color="#047857"'),
}
SKIPPED = {CAPABLE_OF, expand("RO:0002436")}  # shown on term pages


@dataclass(frozen=True)
class Panel:
    """One panel of the pathway: a name, a title and the IRIs of the machinery it shows."""

    name: str
    title: str
    members: frozenset[str]


def load_panels(path: Path = PANELS_FILE) -> list[Panel]:
    """The pathway panels described in ``panels.toml``."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [Panel(p["name"], p["title"], frozenset(expand(c) for c in p["members"]))
            for p in data["panel"]]


def render(site: Site, dot: str) -> str:
    """Render Graphviz source to SVG (cached by content), return the SVG element's text and
    register the file ``generated/_svg/<hash>.svg`` so it is kept."""
    digest = hashlib.sha256(dot.encode("utf-8")).hexdigest()[:16]
    path = site.out / "_svg" / f"{digest}.svg"
    if not path.exists():
        executable = shutil.which("dot")
        if executable is None:
            raise RuntimeError("Graphviz 'dot' is not installed (apt-get install graphviz)")
        done = subprocess.run([executable, "-Tsvg"], input=dot, capture_output=True,
                              text=True, timeout=60, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"Graphviz failed: {done.stderr.strip()[:300]}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(done.stdout, encoding="utf-8")
    site.written.add(path)
    svg = path.read_text(encoding="utf-8")
    return svg[svg.index("<svg"):]


def _figure(site: Site, dot: str, caption: str) -> list[str]:
    svg = render(site, dot)
    digest = hashlib.sha256(dot.encode("utf-8")).hexdigest()[:16]
    return [".. raw:: html", "", '   <div class="diagram">',
            *["   " + line for line in svg.splitlines()], "   </div>", "",
            f"{caption} :download:`Open the diagram on its own (zoomable SVG) "
            f"</{GENERATED}/_svg/{digest}.svg>`.".strip(), ""]


def _dot(nodes: dict[str, str], edges: list[tuple[str, str, str, str]], site: Site,
         urls: bool, direction: str = "LR") -> str:
    lines = ["digraph g {", f'  rankdir="{direction}"; ranksep=0.45; nodesep=0.3;',
             f'  node [shape=box, style="rounded,filled", fontname="Helvetica", '
             f'fontsize={NODE_FONT}];', f'  edge [fontname="Helvetica", fontsize={EDGE_FONT}];']
    for node, fill in sorted(nodes.items()):
        url = (f', URL="terms/{page_name(node)}.html", target="_top"'
               if urls and node in site.terms else "")
        lines.append(f'  "{page_name(node)}" [label="{dot_quote(site.label(node))}", '
                     f'fillcolor="{fill}"{url}];')
    for a, b, text, style in edges:
        lines.append(f'  "{page_name(a)}" -> "{page_name(b)}" '
                     f'[label="{dot_quote(text)}"{", " + style if style else ""}];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def neighbourhood(site: Site, iri: str, parents: list[str], outgoing: list[Relation],
                  incoming: list[Relation]) -> list[str]:
    """A term's parents and relations in and out, as a diagram section."""
    edges = [(iri, p, "is a", "") for p in parents[:6]]
    edges += [(iri, r.target, site.label(r.prop), "") for r in outgoing[:14]]
    agents = [r for r in incoming if iapo("0000400") in site.superclasses(r.subject)]
    others = [r for r in incoming if r not in agents]
    edges += [(r.subject, iri, site.label(r.prop), "") for r in agents + others[:10]]
    if not edges:
        return []
    nodes = {n: "#f3f4f6" for a, b, _, _ in edges for n in (a, b)}
    nodes[iri] = "#fde68a"
    return [title("Neighbourhood", "-"),
            *_figure(site, _dot(nodes, edges, site, urls=False),
                     "Parents, relations and the terms that point here.")]


def _panel_edges(site: Site, panel: Panel, actors: set[str]) -> list[tuple[str, str, str,
                                                                          str]]:
    edges = []
    for subject in sorted(panel.members | actors):
        for relation in site.relations.get(subject, []):
            if relation.prop in SKIPPED or relation.target == subject:
                continue
            if relation.target not in panel.members | actors:
                continue
            if subject not in panel.members and relation.target not in panel.members:
                continue
            text, style = STYLES.get(relation.prop,
                                     (site.label(relation.prop), 'color="#6b7280"'))
            edges.append((subject, relation.target, text, style))
    return sorted(set(edges))


def pathway_page(site: Site, panels: list[Panel]) -> tuple[str, dict[str, list[str]]]:
    """The pathway page (a section per panel) and, per IAP, the panels it appears in."""
    iaps = site.subclasses(IAP)
    antagonists = site.subclasses(ANTAGONIST)
    shown: dict[str, list[str]] = {i: [] for i in iaps}
    lines = [title("Where the IAPs act"),
             "Drawn at build time from the ontology's cited axioms, one panel per part of the "
             "biology: IAPs in yellow, the IAP antagonists in blue, the machinery in grey. "
             "Red arrows are inhibition (dashed when indirect), purple ubiquitination, orange "
             "dashed a process the IAP holds back, green a process it drives, grey any other "
             "relation (its name is on the arrow). Click a box for its page and the sources.", ""]
    for panel in panels:
        edges = _panel_edges(site, panel, iaps | antagonists)
        nodes = {n: "#e5e7eb" for a, b, _, _ in edges for n in (a, b)}
        for node in nodes:
            if node in iaps:
                nodes[node] = "#fde68a"
                shown[node].append(panel.title)
            elif node in antagonists:
                nodes[node] = "#bfdbfe"
        lines += [f".. _pathway-{panel.name}:", "", title(rst_escape(panel.title), "-")]
        if not edges:
            lines += ["*Nothing in the ontology links these terms yet.*", ""]
            continue
        lines += _figure(site, _dot(nodes, edges, site, urls=True, direction="TB"), "")
    missing = sorted(i for i, panels_in in shown.items() if not panels_in)
    if missing:
        lines += [title("Other IAPs", "-"),
                  "These IAPs do not act on the machinery drawn above; what the ontology "
                  "records about them is on their pages:", ""]
        for iri in missing:
            roles = [site.relation_text(r) for r in site.relations.get(iri, [])
                     if r.prop == CAPABLE_OF]
            lines.append(f"* {site.ref(iri)}" + (": " + "; ".join(roles) if roles else ""))
            shown[iri].append("Other IAPs")
        lines.append("")
    return "\n".join(lines) + "\n", shown
