"""The error every guard raises for input it refuses (files: :mod:`~iapontology.rdf.xmlguard`;
queries to the endpoint: :mod:`iapontology.serve.guard`)."""

from __future__ import annotations

__all__ = ["RefusedInput"]


class RefusedInput(ValueError):
    """Input refused before it could do harm; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status
