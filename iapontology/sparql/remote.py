"""Hand-over to a real triple store: upload with the SPARQL 1.1 Graph Store Protocol.

``iapo push --endpoint URL`` replaces a graph of a store such as Oxigraph server, Apache Jena
Fuseki or GraphDB (``http://host:7878/store`` for Oxigraph) with the query graph (the
ontology plus its relation-graph view, N-Triples). Querying a remote SPARQL endpoint goes
through :func:`iapontology.graph` with ``endpoint=``.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

from iapontology.paths import QUERY_GRAPH_FILE, bundled_ontology_dir


class RemoteError(RuntimeError):
    """The remote store refused or could not be reached; the message says which."""


def push(endpoint: str, graph_iri: str | None = None, source: Path | None = None,
         timeout: float = 120.0) -> int:
    """PUT the query graph into ``graph_iri`` (or the default graph) of a Graph Store.

    Returns the number of bytes sent. Raises :class:`RemoteError` on an HTTP error.
    """
    path = source or bundled_ontology_dir() / QUERY_GRAPH_FILE
    target = f"{endpoint}?graph={quote(graph_iri, safe='')}" if graph_iri else f"{endpoint}?default"
    data = path.read_bytes()
    request = urllib.request.Request(target, data=data, method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            if response.status >= 300:
                raise RemoteError(f"{target}: HTTP {response.status}")
    except urllib.error.HTTPError as error:
        detail = error.read().decode("utf-8", errors="replace").strip()[:200]
        raise RemoteError(f"{target}: HTTP {error.code} {detail}") from None
    except (urllib.error.URLError, OSError) as error:
        raise RemoteError(f"{target}: {getattr(error, 'reason', error)}") from None
    return len(data)


__all__ = ["RemoteError", "push"]
