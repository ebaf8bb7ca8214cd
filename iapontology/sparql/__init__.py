"""The query layer: the shipped ontology's named questions (``named``, with the SPARQL in
``questions/``), term look-up by label, synonym, symbol or CURIE (``terms``), results in
every output format (``results``) and remote endpoints and Graph Store hand-over
(``remote``).

May import: the bottom layer, ``rdf``, ``knowledge``. Imported by ``serve``, ``sphinx``,
the command line and the public API in ``iapontology``.
"""

__all__: list[str] = []
