"""The audit trail: records, the sink seam, and the sinks.

Every guarded call leaves one record per validator decision and one per call, handed to each
configured sink without blocking the caller. See ``docs/audit.md`` for the record schema.
"""

from ._keys import audit_key, keyed_hash
from ._memory import MemorySink
from ._record import RECORD_TYPES, SCHEMA, PolicyInfo
from ._sink import Sink

__all__ = [
    "RECORD_TYPES",
    "SCHEMA",
    "MemorySink",
    "PolicyInfo",
    "Sink",
    "audit_key",
    "keyed_hash",
]
