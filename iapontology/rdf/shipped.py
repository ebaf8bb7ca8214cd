"""The shipped query graph in a bare ``pyoxigraph.Store``, loaded once per process.

This module imports only ``pyoxigraph``, so a command can start loading the store in a
background thread (:func:`load_in_background`) before it imports rdflib: Oxigraph parses
without holding Python's GIL, and the two overlap (about 35 ms of the ``iapo query``
command's start-up).
"""

from __future__ import annotations

import threading
from pathlib import Path

import pyoxigraph as ox

from iapontology.paths import QUERY_GRAPH_FILE, bundled_ontology_dir

_lock = threading.Lock()
_store: ox.Store | None = None


def shipped_path() -> Path:
    """The shipped query graph file (``FileNotFoundError`` when it has not been built)."""
    shipped = bundled_ontology_dir() / QUERY_GRAPH_FILE
    if not shipped.exists():
        raise FileNotFoundError(f"{shipped} is missing: run `iapo build` first")
    return shipped


def shipped_store(reload: bool = False) -> ox.Store:
    """The shipped ontology with its relation-graph view, as a bare ``pyoxigraph.Store``.

    Loaded once (again with ``reload``); the same store stands behind
    :func:`iapontology.graph`. Using it directly skips importing rdflib's SPARQL machinery,
    which the ``iapo query`` command never needs.
    """
    global _store
    with _lock:
        if _store is None or reload:
            store = ox.Store()
            # lenient: the file is the package's own build output, checked when it was written
            store.load(path=str(shipped_path()), format=ox.RdfFormat.N_TRIPLES, lenient=True)
            _store = store
        return _store


def load_in_background() -> threading.Thread:
    """Start loading the shipped store in a daemon thread; :func:`shipped_store` then waits
    for it. A failure (a missing file) is left for that later call to raise."""

    def load() -> None:
        try:
            shipped_store()
        except Exception:  # reported by the caller's own shipped_store() call
            return

    thread = threading.Thread(target=load, name="iapo-load-shipped", daemon=True)
    thread.start()
    return thread


__all__ = ["load_in_background", "shipped_path", "shipped_store"]
