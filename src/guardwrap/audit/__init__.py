"""The audit trail: records, the sink seam, and the sinks.

Every guarded call leaves one record per validator decision and one per call (or, with a sink's
``layout="call"``, one record per call with the decisions embedded), handed to each configured sink
without blocking the caller. See ``docs/audit.md`` for the record schema, faults and verification.

The writing sinks (`JsonlSink`, `SqliteSink`, `PostgresSink`, `OtelSink`, `LoggingSink`), `verify`
and the readers load on first use, so ``import guardwrap`` never imports psycopg or OpenTelemetry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._keys import audit_key, keyed_hash
from ._memory import MemorySink
from ._record import RECORD_TYPES, SCHEMA, PolicyInfo
from ._sink import Sink

if TYPE_CHECKING:  # what type checkers and the API reference see; at run time these load lazily
    from ._chain import Ed25519Signer, HmacSigner
    from ._jsonl import JsonlSink
    from ._logging import LoggingSink
    from ._otel import OtelSink
    from ._postgres import PostgresSink
    from ._read import read_records
    from ._sqlite import SqliteSink
    from ._stats import Stats, stats
    from ._verify import VerifyReport, verify
    from ._writer import QueuedSink

_LAZY: dict[str, str] = {
    "JsonlSink": "_jsonl",
    "SqliteSink": "_sqlite",
    "PostgresSink": "_postgres",
    "OtelSink": "_otel",
    "OtelMetricsSink": "_metrics",
    "LoggingSink": "_logging",
    "QueuedSink": "_writer",
    "verify": "_verify",
    "VerifyReport": "_verify",
    "Gap": "_verify",
    "read_records": "_read",
    "stats": "_stats",
    "Stats": "_stats",
    "HmacSigner": "_chain",
    "Ed25519Signer": "_chain",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'guardwrap.audit' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(__all__))


__all__ = [
    "RECORD_TYPES",
    "SCHEMA",
    "Ed25519Signer",
    "Gap",
    "HmacSigner",
    "JsonlSink",
    "LoggingSink",
    "MemorySink",
    "OtelMetricsSink",
    "OtelSink",
    "PolicyInfo",
    "PostgresSink",
    "QueuedSink",
    "Sink",
    "SqliteSink",
    "Stats",
    "VerifyReport",
    "audit_key",
    "keyed_hash",
    "read_records",
    "stats",
    "verify",
]
