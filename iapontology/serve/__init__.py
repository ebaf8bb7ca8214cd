"""``iapo serve``: a read-only SPARQL 1.1 Protocol endpoint over the query graph.

Modules, one job each: :mod:`~iapontology.serve.protocol` reads requests,
:mod:`~iapontology.serve.guard` reads and checks the query once and gives the text the engine
runs, :mod:`~iapontology.serve.pool` and :mod:`~iapontology.serve.worker` run it under time
and memory limits, :mod:`~iapontology.serve.formats` writes the results,
:mod:`~iapontology.serve.sandbox` keeps workers off the network, and
:mod:`~iapontology.serve.app` ties them together.

May import: the bottom layer, ``rdf`` and ``sparql``. Imported by the command line.
"""

from iapontology.serve.app import create_app, serve
from iapontology.serve.settings import ServerSettings

__all__ = ["ServerSettings", "create_app", "serve"]
