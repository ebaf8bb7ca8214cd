"""Sphinx configuration of the iapontology documentation."""

from __future__ import annotations

import iapontology

project = "iapontology"
author = "iapontology developers"
copyright = "2026, iapontology developers (code: MIT; ontology: CC BY 4.0)"
version = release = iapontology.__version__

extensions = [
    "sphinx.ext.autodoc",
    "iapontology.sphinx",
]
autodoc_member_order = "bysource"
autodoc_typehints = "description"
exclude_patterns = ["_build"]
html_theme = "furo"
html_title = f"iapontology {release}"
html_static_path = ["_static"]
html_js_files = ["tables.js"]
html_css_files = ["iapo.css"]
html_context: dict = {}
nitpicky = False
