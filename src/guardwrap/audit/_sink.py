"""The sink seam: anything with ``emit``, ``flush`` and ``close`` receives audit records.

``emit`` is called on the caller's thread, on the hot path: it must only hand the record off
(enqueue), never do I/O. Records are plain dicts in the ``guardwrap.audit/1`` schema.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class Sink(Protocol):
    """Receives audit records: any object with these three methods is a sink.

    Ships as `JsonlSink`, `SqliteSink`, `PostgresSink`, `OtelSink`, `LoggingSink` and `MemorySink`;
    ``isinstance(obj, Sink)`` checks the shape.
    """

    def emit(self, record: dict[str, Any]) -> None:
        """Accept one record. Must not block on I/O."""

    def flush(self, timeout: float | None = None) -> None:
        """Return once every record emitted before the call is written (durably, as configured)."""

    def close(self) -> None:
        """Flush and release resources. Further ``emit`` calls raise."""
