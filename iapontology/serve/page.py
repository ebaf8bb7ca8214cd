"""The query page served at ``/``: a form that posts the query and shows a result table."""

from __future__ import annotations

import html

__all__ = ["PAGE", "page"]

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>iapontology SPARQL endpoint</title>
<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
textarea{width:100%;height:12rem;font-family:monospace}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:.2rem .4rem;text-align:left}</style></head>
<body><h1>iapontology SPARQL endpoint</h1>
<p>Read-only SPARQL 1.1 over the IAP ontology (version __VERSION__). Prefixes such as
<code>IAPO:</code>, <code>RO:</code>, <code>GO:</code> and <code>rdfs:</code> are pre-bound.
Named questions: <a href="/queries">/queries</a>.</p>
<form id="f" method="post" action="/sparql"><textarea name="query">SELECT ?iap ?label WHERE {
  ?iap rdfs:subClassOf IAPO:0000001 ; rdfs:label ?label
} ORDER BY ?label</textarea><p><button>Run</button></p></form>
<div id="out"></div>
<script>
function cell(value) {
  const td = document.createElement("td");
  td.textContent = value;
  return td;
}
document.getElementById("f").onsubmit = async (e) => {
  e.preventDefault();
  const out = document.getElementById("out");
  out.textContent = "running...";
  const r = await fetch("/sparql", {method: "POST",
    body: new URLSearchParams(new FormData(e.target)),
    headers: {Accept: "application/sparql-results+json"}});
  if (!r.ok) { out.textContent = "HTTP " + r.status + ": " + await r.text(); return; }
  const data = await r.json();
  const table = document.createElement("table");
  table.id = "results";
  const vars = data.head.vars || [];
  const head = table.insertRow();
  if ("boolean" in data) { head.appendChild(cell(String(data.boolean))); }
  for (const v of vars) { const th = document.createElement("th"); th.textContent = v;
                          head.appendChild(th); }
  for (const b of (data.results || {bindings: []}).bindings) {
    const row = table.insertRow();
    for (const v of vars) { row.appendChild(cell(b[v] ? b[v].value : "")); }
  }
  out.replaceChildren(table);
};
</script></body></html>
"""


def page(version: str) -> str:
    """The HTML of the query page."""
    return PAGE.replace("__VERSION__", html.escape(version))
