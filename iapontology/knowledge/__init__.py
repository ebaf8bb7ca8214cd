"""The curated knowledge: the TSV tables and metadata in this folder, and the code that reads
them (``tables``), describes them (``schema``) and checks them row by row (``curation``).

A biologist corrects a fact by editing a row here and rebuilding; no Python is involved.

May import: the bottom layer (``paths``, ``identifiers``, ``vocab``) and ``rdf``.
Imported by ``build``, ``sparql`` (term look-up) and the command line.
"""

__all__: list[str] = []
