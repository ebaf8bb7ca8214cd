"""The build: curated tables -> Owlready2 (``assemble``) -> release files (``serialise``,
``exports``, ``mappings``), checked by HermiT (``reasoner``), the OWL API (``owlapi``) and the
report profile (``quality``, with the SPARQL checks in ``checks/``); ``pipeline`` runs it all
and publishes the release set only when every check passed; ``diff`` compares releases.

May import: the bottom layer, ``rdf`` and ``knowledge``. Imported by the command line.
"""

__all__: list[str] = []
