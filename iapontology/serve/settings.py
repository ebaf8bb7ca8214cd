"""The endpoint's limits and options, and their validation."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from iapontology.serve.guard import AllowedEndpoint

__all__ = ["ServerSettings"]


@dataclass(frozen=True)
class ServerSettings:
    """Limits and options of ``iapo serve`` (each one is a command-line option)."""

    timeout_seconds: float = 10.0
    max_rows: int = 10_000
    max_request_bytes: int = 64 * 1024
    workers: int = 4
    per_client: int = 2
    queue: int = 64
    memory_mb: int = 1024
    preempt_after: float = 0.5
    allowed_services: tuple[str, ...] = ()
    cors_origins: tuple[str, ...] = ()
    extra_files: tuple[str, ...] = field(default_factory=tuple)

    def allowed(self) -> tuple[AllowedEndpoint, ...]:
        """The SERVICE allow-list, parsed (raises :class:`ValueError` on a bad entry)."""
        return tuple(AllowedEndpoint.parse(url) for url in self.allowed_services)

    def validate(self) -> None:
        """Raise :class:`ValueError` with a one-line message for the first bad setting."""
        if not (math.isfinite(self.timeout_seconds) and self.timeout_seconds > 0):
            raise ValueError(f"--timeout must be a positive number of seconds, "
                             f"not {self.timeout_seconds:g}")
        if not (math.isfinite(self.preempt_after) and self.preempt_after >= 0):
            raise ValueError(f"--preempt-after must be zero or more seconds, "
                             f"not {self.preempt_after:g}")
        for name, value, low in (("--max-rows", self.max_rows, 1),
                                 ("--max-request-bytes", self.max_request_bytes, 256),
                                 ("--workers", self.workers, 1),
                                 ("--per-client", self.per_client, 1),
                                 ("--queue", self.queue, 0),
                                 ("--max-memory-mb", self.memory_mb, 64)):
            if value < low:
                raise ValueError(f"{name} must be at least {low}, not {value}")
        for origin in self.cors_origins:
            if origin != "*" and not origin.startswith(("http://", "https://")):
                raise ValueError(f"--cors-origin {origin!r}: give an origin such as "
                                 "https://example.org, or *")
        self.allowed()
