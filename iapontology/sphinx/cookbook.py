"""The query cookbook: every named question with its SPARQL and the answer it gives now."""

from __future__ import annotations

from rdflib import URIRef

from iapontology import __version__
from iapontology.sparql.named import queries, run
from iapontology.sphinx.rst import rst_escape, title
from iapontology.sphinx.site import Site

__all__ = ["cookbook_page"]

SHOWN_ROWS = 25


def _cell(site: Site, node: object) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return site.ref(str(node))
    return rst_escape(node)


def cookbook_page(site: Site) -> str:
    """The cookbook page, with each question's answer computed at build time."""
    lines = [title("Query cookbook"),
             "Every named question shipped with the package, with its SPARQL and the answer it "
             f"gives with its default parameters, computed when this site was built "
             f"(iapontology {__version__}). Run one with ``iapo query NAME --param key=value`` "
             "or ``iapontology.run(NAME, key=value)``.", ""]
    for name, named in queries().items():
        lines += [f".. _query-{name}:", "", title(rst_escape(named.title), "-"),
                  f"``{name}``: {rst_escape(named.description)}", ""]
        if named.parameters:
            lines += ["Parameters:", ""]
            lines += [f"* ``{p.name}`` ({p.type}, default ``{p.default}``): "
                      f"{rst_escape(p.help)}" for p in named.parameters] + [""]
        lines += [".. code-block:: sparql", "   :force:", ""]
        lines += ["   " + line for line in named.sparql.splitlines()] + [""]
        result = run(name, site.g)
        if not result:
            lines += ["*No rows.*", ""]
            continue
        names = result.variables
        caption = f"{len(result)} row(s)" + (f", first {SHOWN_ROWS} shown"
                                             if len(result) > SHOWN_ROWS else "")
        lines += [f".. list-table:: {caption}", "   :header-rows: 1", "   :class: data-table",
                  "", "   * - " + names[0]]
        lines += [f"     - {n}" for n in names[1:]]
        for row in result[:SHOWN_ROWS]:
            cells = [_cell(site, row.get(n)) for n in names]
            lines.append(f"   * - {cells[0] or ' '}")
            lines += [f"     - {c or ' '}" for c in cells[1:]]
        lines.append("")
    return "\n".join(lines) + "\n"
