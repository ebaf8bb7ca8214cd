"""A Sphinx extension that writes the ontology's reference pages from the built ontology.

Add ``"iapontology.sphinx"`` to ``extensions`` in ``conf.py``. When the build starts, it
reads the shipped query graph (the OWL file plus its relation-graph view) and writes, under
``<srcdir>/generated/``:

* one page per term (class, property, individual): label, CURIE, IRI, definition with linked
  sources, synonyms, linked cross-references, super- and subclasses, outgoing and incoming
  relations and a small Graphviz neighbourhood diagram;
* index pages: the class hierarchy, all agents, all trials, all findings (a sortable table);
* the query cookbook: every named question with its SPARQL and the table it returns now;
* the apoptosis pathway diagram, drawn from the IAPs' relations.

Nothing is pasted: every page is computed from the ontology at build time, so the site cannot
drift from it. Files are rewritten only when their text changes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import rdflib
from rdflib import OWL, RDF, RDFS, Literal, URIRef

from iapontology import __version__
from iapontology.exports import restrictions
from iapontology.graph import PREFIXES, graph, query
from iapontology.identifiers import compress, xref_url
from iapontology.queries import bind_parameters, queries

OBO = rdflib.Namespace(PREFIXES["obo"])
OBO_IN_OWL = rdflib.Namespace(PREFIXES["oboInOwl"])
DCTERMS = rdflib.Namespace(PREFIXES["dcterms"])
IAPO = rdflib.Namespace(PREFIXES["IAPO"])
TERM_TYPES = {
    OWL.Class: "class",
    OWL.ObjectProperty: "object property",
    OWL.AnnotationProperty: "annotation property",
    OWL.NamedIndividual: "individual",
}
GENERATED = "generated"
_RST_SPECIAL = re.compile(r"([\\`*_|\[\]<>])")


def rst_escape(text: str) -> str:
    """Escape characters that reStructuredText would read as markup."""
    return _RST_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def page_name(iri: str) -> str:
    """The file stem of a term's page: its CURIE with ':' replaced, or a hash-free IRI tail."""
    curie = compress(iri) or iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return re.sub(r"[^A-Za-z0-9_.-]", "_", curie)


def _title(text: str, char: str = "=") -> str:
    return f"{text}\n{char * max(len(text), 3)}\n"


def _link(url: str, text: str) -> str:
    return f"`{rst_escape(text)} <{url}>`__"


class SiteWriter:
    """Computes every generated page from one rdflib graph."""

    def __init__(self, g: rdflib.Graph, out: Path):
        self.g = g
        self.out = out
        self.terms: dict[str, str] = {}  # iri -> kind
        for kind_iri, kind in TERM_TYPES.items():
            for subject in g.subjects(RDF.type, kind_iri):
                if isinstance(subject, URIRef):
                    self.terms.setdefault(str(subject), kind)
        self.labels = {str(s): str(o) for s, o in g.subject_objects(RDFS.label)
                       if isinstance(s, URIRef)}
        self.written: set[Path] = set()

    # -- helpers ----------------------------------------------------------------------
    def label(self, iri: str) -> str:
        return self.labels.get(iri) or compress(iri) or iri

    def ref(self, iri: str) -> str:
        """A link to a term's page (or plain text for a term without one)."""
        if iri in self.terms:
            return f":doc:`{rst_escape(self.label(iri))} </{GENERATED}/terms/{page_name(iri)}>`"
        return rst_escape(self.label(iri))

    def source_link(self, source: str) -> str:
        url = xref_url(source)
        return _link(url, source) if url else rst_escape(source)

    def write(self, relative: str, text: str) -> None:
        path = self.out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        self.written.add(path)

    def _restrictions(self, subject: URIRef) -> list[tuple[str, str]]:
        """(property, target) IRIs of the restrictions a term is declared with."""
        return [(str(p), str(t)) for p, t in restrictions(self.g, subject)]

    def _incoming(self) -> dict[str, list[tuple[str, str]]]:
        incoming: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for iri in self.terms:
            for prop, target in self._restrictions(URIRef(iri)):
                incoming[target].append((iri, prop))
        return incoming

    def _sources_of(self, subject: URIRef, prop: URIRef) -> list[str]:
        return sorted(
            str(src)
            for axiom in self.g.subjects(OWL.annotatedSource, subject)
            if self.g.value(axiom, OWL.annotatedProperty) == prop
            for src in self.g.objects(axiom, OBO.IAO_0000119)
        )

    # -- pages ------------------------------------------------------------------------
    def term_page(self, iri: str, incoming: list[tuple[str, str]]) -> str:
        subject = URIRef(iri)
        kind = self.terms[iri]
        curie = compress(iri) or iri
        lines = [f".. _term-{page_name(iri)}:", "", _title(rst_escape(self.label(iri))),
                 f":CURIE: ``{curie}``", f":IRI: {iri}", f":Kind: {kind}"]
        if (subject, OWL.deprecated, Literal(True)) in self.g:
            lines.append(":Status: obsolete")
        lines.append("")
        definition = self.g.value(subject, OBO.IAO_0000115)
        if definition is not None:
            sources = self._sources_of(subject, OBO.IAO_0000115)
            lines += [_title("Definition", "-"), rst_escape(definition), ""]
            if sources:
                lines += ["Sources: " + ", ".join(self.source_link(s) for s in sources), ""]
        synonyms = sorted(str(v) for p in (OBO_IN_OWL.hasExactSynonym,
                                           OBO_IN_OWL.hasRelatedSynonym)
                          for v in self.g.objects(subject, p))
        if synonyms:
            lines += [_title("Synonyms", "-")] + [f"* {rst_escape(s)}" for s in synonyms] + [""]
        xrefs = sorted(str(v) for v in self.g.objects(subject, OBO_IN_OWL.hasDbXref))
        if xrefs:
            lines += [_title("Cross-references", "-")]
            lines += [f"* {self.source_link(x)}" for x in xrefs] + [""]
        record_sources = sorted(str(v) for v in self.g.objects(subject, DCTERMS.source)
                                if kind == "individual")
        if record_sources:
            lines += [_title("Sources", "-")]
            lines += [f"* {self.source_link(s)}" for s in record_sources] + [""]
        annotations = [(p, v) for p, v in self.g.predicate_objects(subject)
                       if str(p).startswith(PREFIXES["IAPO"]) and isinstance(v, Literal)]
        if annotations:
            lines += [_title("Annotations", "-")]
            lines += [f"* {self.ref(str(p))}: {rst_escape(v)}" for p, v in sorted(annotations)]
            lines.append("")
        parents = sorted(str(p) for p in self.g.objects(subject, RDFS.subClassOf)
                         if isinstance(p, URIRef))
        parents += sorted(str(p) for p in self.g.objects(subject, RDFS.subPropertyOf)
                          if isinstance(p, URIRef))
        types = sorted(str(t) for t in self.g.objects(subject, RDF.type)
                       if isinstance(t, URIRef) and t not in TERM_TYPES and
                       not str(t).startswith(str(OWL)))
        children = sorted(str(c) for c in self.g.subjects(RDFS.subClassOf, subject)
                          if isinstance(c, URIRef))
        for heading, items in (("Superclasses", parents), ("Types", types),
                               ("Subclasses", children)):
            if items:
                lines += [_title(heading, "-")] + [f"* {self.ref(i)}" for i in items] + [""]
        outgoing = self._restrictions(subject)
        if outgoing:
            lines += [_title("Relations", "-")]
            lines += [f"* {self.ref(p)}: {self.ref(t)}" for p, t in outgoing] + [""]
        if incoming:
            lines += [_title("Used by", "-")]
            lines += [f"* {self.ref(s)} ({self.ref(p)})" for s, p in sorted(incoming)] + [""]
        lines += self.neighbourhood(iri, parents, outgoing, incoming)
        return "\n".join(lines) + "\n"

    def neighbourhood(self, iri: str, parents: list[str], outgoing: list[tuple[str, str]],
                      incoming: list[tuple[str, str]]) -> list[str]:
        edges = [(iri, p, "is a") for p in parents[:6]]
        edges += [(iri, t, self.label(p)) for p, t in outgoing[:12]]
        edges += [(s, iri, self.label(p)) for s, p in incoming[:8]]
        if not edges:
            return []
        nodes = {iri} | {a for a, _, _ in edges} | {b for _, b, _ in edges}
        dot = ["digraph neighbourhood {", '  rankdir="LR";',
               '  node [shape=box, style="rounded,filled", fillcolor="#f3f4f6", '
               'fontname="Helvetica", fontsize=10];', '  edge [fontname="Helvetica", fontsize=9];']
        for node in sorted(nodes):
            colour = ', fillcolor="#fde68a"' if node == iri else ""
            dot.append(f'  "{page_name(node)}" [label="{_dot(self.label(node))}"{colour}];')
        for a, b, text in edges:
            dot.append(f'  "{page_name(a)}" -> "{page_name(b)}" [label="{_dot(text)}"];')
        dot.append("}")
        return [_title("Neighbourhood", "-"), ".. graphviz::", ""] + [
            "   " + line for line in dot] + [""]

    def hierarchy(self) -> str:
        classes = [i for i, k in self.terms.items() if k == "class"]
        children: dict[str, list[str]] = defaultdict(list)
        has_parent = set()
        for c in classes:
            for p in self.g.objects(URIRef(c), RDFS.subClassOf):
                if isinstance(p, URIRef) and str(p) in self.terms:
                    children[str(p)].append(c)
                    has_parent.add(c)
        lines = [_title("Class hierarchy"), "Every class, under each of its parents.", ""]

        def walk(node: str, depth: int) -> None:
            lines.append("  " * depth + f"* {self.ref(node)}")
            kids = sorted(children.get(node, []), key=lambda k: self.label(k).casefold())
            if kids:
                lines.append("")
                for kid in kids:
                    walk(kid, depth + 1)
                lines.append("")

        for root in sorted((c for c in classes if c not in has_parent),
                           key=lambda k: self.label(k).casefold()):
            walk(root, 0)
        return "\n".join(lines) + "\n"

    def table(self, title: str, intro: str, header: list[str], rows: list[list[str]],
              css: str = "") -> str:
        lines = [_title(title), intro, "", f".. list-table:: {title}", "   :header-rows: 1"]
        if css:
            lines.append(f"   :class: {css}")
        lines.append("")
        for row in [header, *rows]:
            lines.append(f"   * - {row[0] or ' '}")
            lines += [f"     - {cell or ' '}" for cell in row[1:]]
        return "\n".join(lines) + "\n"

    def agents(self) -> str:
        rows = query("""SELECT ?agent ?phase
            (GROUP_CONCAT(DISTINCT STR(?approach); separator=" ") AS ?approaches)
            (GROUP_CONCAT(DISTINCT CONCAT(STR(?effect), "|", STR(?iap)); separator=" ")
             AS ?targets) WHERE {
              ?agent rdfs:subClassOf+ IAPO:0000400 ; IAPO:0000603 ?phase ;
                     rdfs:subClassOf ?approach . FILTER(isIRI(?approach))
              OPTIONAL { ?agent rdfs:subClassOf [ owl:onProperty ?effect ;
                                                 owl:someValuesFrom ?iap ] .
                         ?effect rdfs:subPropertyOf IAPO:0000502 }
            } GROUP BY ?agent ?phase""", self.g)
        body = []
        for r in sorted(rows, key=lambda r: self.label(str(r["agent"])).casefold()):
            targets = []
            for pair in str(r["targets"]).split():
                effect, _, iap = pair.partition("|")
                targets.append(f"{rst_escape(self.label(effect))} {self.ref(iap)}")
            body.append([self.ref(str(r["agent"])),
                         ", ".join(self.ref(a) for a in str(r["approaches"]).split()),
                         "; ".join(sorted(targets)), rst_escape(r["phase"])])
        return self.table("Agents", "Every IAP-targeted agent, its approach, what it does to "
                          "which IAP, and the furthest clinical phase it has reached.",
                          ["Agent", "Approach", "Targets", "Highest phase"], body, "sortable")

    def records(self, kind: str, title: str, intro: str, columns: dict[str, str]) -> list[list]:
        rows = []
        for record in sorted(self.g.subjects(RDF.type, URIRef(kind)), key=str):
            links = defaultdict(list)
            for prop, target in self._restrictions(record):
                links[prop].append(self.ref(target))
            row = [self.ref(str(record))]
            for prop in columns.values():
                values = links.get(prop) or [self.source_link(str(v)) for v in
                                             self.g.objects(record, URIRef(prop))]
                row.append(", ".join(sorted(values)))
            rows.append(row)
        return rows

    def cookbook(self) -> str:
        lines = [_title("Query cookbook"),
                 "Every named question shipped with the package, with its SPARQL and the "
                 "answer it gives with its default parameters, computed when this site was "
                 f"built (iapontology {__version__}). Run one with "
                 "``iapo query NAME --param key=value`` or ``iapontology.run(NAME, key=value)``.",
                 ""]
        for name, named in queries().items():
            lines += [f".. _query-{name}:", "", _title(rst_escape(named.title), "-"),
                      f"``{name}``: {rst_escape(named.description)}", ""]
            if named.parameters:
                lines += ["Parameters:", ""]
                lines += [f"* ``{p.name}`` ({p.type}, default ``{p.default}``): "
                          f"{rst_escape(p.help)}" for p in named.parameters] + [""]
            lines += [".. code-block:: sparql", "   :force:", ""]
            lines += ["   " + line for line in named.sparql.splitlines()] + [""]
            result = query(named.sparql, self.g, bind_parameters(named, {}, self.g))
            if not result:
                lines += ["*No rows.*", ""]
                continue
            names = result.variables
            shown = result[:25]
            lines += [f".. list-table:: {len(result)} row(s)"
                      + (", first 25 shown" if len(result) > 25 else ""),
                      "   :header-rows: 1", ""]
            lines.append("   * - " + names[0])
            lines += [f"     - {n}" for n in names[1:]]
            for row in shown:
                cells = [self._cell(row.get(n)) for n in names]
                lines.append(f"   * - {cells[0] or ' '}")
                lines += [f"     - {c or ' '}" for c in cells[1:]]
            lines.append("")
        return "\n".join(lines) + "\n"

    def _cell(self, node) -> str:
        if node is None:
            return ""
        if isinstance(node, URIRef):
            return self.ref(str(node))
        return rst_escape(node)

    def pathway(self) -> str:
        """The apoptosis pathway, with what each IAP does to it, as a Graphviz diagram."""
        styles = {
            str(PREFIXES["RO"]) + "0002449": ('inhibits', 'color="#b91c1c"'),
            str(PREFIXES["RO"]) + "0011016": ('inhibits (indirect)',
                                             'color="#b91c1c", style=dashed'),
            str(PREFIXES["RO"]) + "0002480": ('ubiquitinates', 'color="#7c3aed"'),
            str(PREFIXES["RO"]) + "0002430": ('holds back', 'color="#b45309", style=dashed'),
            str(PREFIXES["RO"]) + "0002429": ('drives', 'color="#047857"'),
            str(PREFIXES["RO"]) + "0000056": ('takes part in', 'color="#6b7280"'),
        }
        iaps = {str(s) for s in self.g.subjects(RDFS.subClassOf, IAPO["0000001"])}
        antagonists = {str(s) for s in self.g.subjects(RDFS.subClassOf, IAPO["0000006"])}
        machinery = {i for i in self.terms
                     if i.startswith(str(IAPO)) and "IAPO_00002" in i} | antagonists
        edges = []
        for subject in sorted(iaps | antagonists | machinery):
            for prop, target in self._restrictions(URIRef(subject)):
                if prop in styles and target != subject:
                    edges.append((subject, prop, target))
        dot = ["digraph pathway {", '  rankdir="LR"; ranksep=0.6;',
               '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10, '
               'fillcolor="#e5e7eb"];', '  edge [fontname="Helvetica", fontsize=8];']
        nodes = {a for a, _, _ in edges} | {b for _, _, b in edges}
        for node in sorted(nodes):
            fill = "#fde68a" if node in iaps else "#bfdbfe" if node in antagonists else "#e5e7eb"
            dot.append(f'  "{page_name(node)}" [label="{_dot(self.label(node))}", '
                       f'fillcolor="{fill}", URL="terms/{page_name(node)}.html", '
                       'target="_top"];')
        for a, prop, b in edges:
            text, style = styles[prop]
            dot.append(f'  "{page_name(a)}" -> "{page_name(b)}" [label="{text}", {style}];')
        dot.append("}")
        return "\n".join([
            _title("Where the IAPs act"),
            "Drawn at build time from the ontology's cited axioms: IAPs in yellow, the "
            "mitochondrial IAP antagonists in blue, the apoptosis machinery in grey. Red arrows "
            "are inhibition (dashed when indirect), purple ubiquitination, orange dashed a "
            "process the IAP holds back, green a process it drives. Click a box for its page.",
            "", ".. graphviz::", ""] + ["   " + line for line in dot]) + "\n"

    # -- everything -------------------------------------------------------------------
    def write_all(self) -> int:
        incoming = self._incoming()
        for iri in self.terms:
            self.write(f"terms/{page_name(iri)}.rst", self.term_page(iri, incoming.get(iri, [])))
        names = sorted(self.terms, key=lambda i: (self.label(i).casefold(), i))
        self.write("terms/index.rst", "\n".join([
            _title("All terms"), f"The ontology has {len(self.terms)} terms; each has a page.",
            "", ".. toctree::", "   :maxdepth: 1", ""]
            + [f"   {rst_escape(self.label(i))} ({compress(i) or i}) <{page_name(i)}>"
               for i in names]) + "\n")
        self.write("hierarchy.rst", self.hierarchy())
        self.write("agents.rst", self.agents())
        trial_cols = {"Registry": str(OBO_IN_OWL.hasDbXref), "Phase": str(IAPO["0000604"]),
                      "Status": str(IAPO["0000605"]), "Interventions": str(IAPO["0000516"]),
                      "Conditions": str(IAPO["0000512"]), "Outcome": str(IAPO["0000606"])}
        self.write("trials.rst", self.table(
            "Clinical trials", "Every clinical trial of an IAP-targeted agent in the ontology.",
            ["Trial", *trial_cols],
            self.records(str(IAPO["0000470"]), "", "", trial_cols), "sortable"))
        finding_cols = {"IAP": str(IAPO["0000511"]), "Cancer": str(IAPO["0000512"]),
                        "Treatment resisted": str(IAPO["0000513"]),
                        "Mechanism": str(IAPO["0000514"]), "Evidence": str(IAPO["0000515"]),
                        "Source": str(DCTERMS.source)}
        self.write("findings.rst", self.table(
            "Drug-resistance findings", "Every drug-resistance finding; click a column "
            "heading to sort.", ["Finding", *finding_cols],
            self.records(str(IAPO["0000450"]), "", "", finding_cols), "sortable"))
        self.write("cookbook.rst", self.cookbook())
        self.write("pathway.rst", self.pathway())
        for stale in self.out.rglob("*.rst"):
            if stale not in self.written:
                stale.unlink()
        return len(self.terms)


def _dot(text: str) -> str:
    return str(text).replace("\\", "\\\\").replace('"', '\\"')


def generate(app) -> None:
    """Sphinx ``builder-inited`` handler: (re)write the generated pages."""
    out = Path(app.srcdir) / GENERATED
    count = SiteWriter(graph(), out).write_all()
    app.config.html_context = {**app.config.html_context, "iapo_term_count": count}


def setup(app) -> dict:
    """Register the extension with Sphinx."""
    app.connect("builder-inited", generate)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}


__all__ = [
    "DCTERMS",
    "GENERATED",
    "IAPO",
    "OBO",
    "OBO_IN_OWL",
    "TERM_TYPES",
    "SiteWriter",
    "generate",
    "page_name",
    "rst_escape",
    "setup",
]
