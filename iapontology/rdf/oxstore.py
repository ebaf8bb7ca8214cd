"""The rdflib store that keeps its triples in a ``pyoxigraph.Store`` the package can reach.

``oxrdflib``'s store takes an existing Oxigraph store as a constructor argument; this subclass
keeps that store in a public attribute, so the query layer can send SPARQL to it directly
(no private attribute of ``oxrdflib`` is read), and counts triples without running a query.
Importing this module imports ``oxrdflib`` and with it rdflib's SPARQL parser.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from oxrdflib import OxigraphStore


class IapoStore(OxigraphStore):
    """An ``oxrdflib`` store whose ``pyoxigraph.Store`` is :attr:`oxigraph`."""

    def __init__(self, store: ox.Store) -> None:
        super().__init__(store=store)
        self.oxigraph = store

    def __len__(self, context: Any = None) -> int:
        """Number of triples; the store's own count when all triples are in the default graph
        (oxrdflib counts them with a SPARQL query, seconds at a million triples)."""
        if next(iter(self.oxigraph.named_graphs()), None) is None:
            return len(self.oxigraph)
        return int(super().__len__(context))


__all__ = ["IapoStore"]
