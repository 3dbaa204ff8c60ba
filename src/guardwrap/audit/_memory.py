"""`MemorySink`: keeps records in a list, for tests and for ``guardwrap.testing``."""

from __future__ import annotations

import threading
from typing import Any


class MemorySink:
    """Appends every record to ``records`` (thread-safe), numbering them with ``seq``.
    ``layout="call"`` receives one record per call with its decisions as ``steps``.

    >>> sink = MemorySink()
    >>> sink.emit({"type": "call"})
    >>> sink.records[0]["seq"]
    0
    """

    def __init__(self, *, layout: str = "decision") -> None:
        from ._record import LAYOUTS

        if layout not in LAYOUTS:
            from .._errors import PolicyError

            raise PolicyError(f"unknown layout {layout!r}", key="audit.layout", expected=" | ".join(LAYOUTS))
        self.layout = layout
        self.records: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self.closed = False

    def emit(self, record: dict[str, Any]) -> None:
        """Append ``record`` to `records`, numbered with ``seq``."""
        with self._lock:
            record["seq"] = len(self.records)
            self.records.append(record)

    def flush(self, timeout: float | None = None) -> None:
        """Nothing to wait for: records are in `records` as soon as they are emitted."""
        return None

    def close(self) -> None:
        """Mark the sink closed; `records` stay readable."""
        self.closed = True

    def of_type(self, type_: str) -> list[dict[str, Any]]:
        """Records of one type (``"decision"``, ``"call"``, ...)."""
        return [r for r in self.records if r.get("type") == type_]

    def clear(self) -> None:
        """Forget every record so far (between tests)."""
        with self._lock:
            self.records.clear()

    def __repr__(self) -> str:
        return f"MemorySink(records={len(self.records)})"
