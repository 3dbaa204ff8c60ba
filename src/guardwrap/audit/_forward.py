"""`ForwardSink`: chain records on the writer thread, then hand each to another system (stdlib
logging, OpenTelemetry) that stores them. The records keep ``chain``/``seq``/``prev_hash``/``hash``
and signed checkpoints, so whatever stores them can be verified the same way as a JSONL log.
"""

from __future__ import annotations

import logging
import os
import time
from typing import Any

from ._chain import Chainer
from ._record import SCHEMA
from ._writer import QueuedSink


class ForwardSink(QueuedSink):
    def __init__(
        self,
        *,
        durability: str = "none",
        on_full: str = "block",
        queue_size: int = 100_000,
        batch_size: int = 1024,
        flush_interval: float = 0.05,
        wait_timeout: float = 10.0,
        layout: str = "decision",
        checkpoint_every: int = 10_000,
        checkpoint_seconds: float = 10.0,
        signing_key: Any = None,
        audit_key: str | bytes | None = None,
    ) -> None:
        super().__init__(durability=durability, on_full=on_full, queue_size=queue_size,
                         batch_size=batch_size, flush_interval=flush_interval, wait_timeout=wait_timeout,
                         layout=layout)
        self._set_checkpoints(checkpoint_every, checkpoint_seconds, signing_key, audit_key)

    def _open(self) -> None:
        self._new_chain({"event": "open"})

    def _reopen_in_child(self) -> None:
        parent = self._chain.chain
        self._new_chain({"event": "fork", "parent_pid": os.getppid(), "parent_chain": parent})

    def _new_chain(self, lifecycle: dict[str, Any]) -> None:
        self._chain = Chainer()
        self._since_cp = 0
        self._last_cp = time.monotonic()
        self._q.appendleft({"schema": SCHEMA, "type": "lifecycle", "ts": time.time(), "pid": os.getpid(),
                            "key_id": self._signer.key_id, **lifecycle})

    def _write(self, records: list[Any]) -> None:
        # What was delivered cannot be taken back, so nothing here raises: a record that cannot be
        # sealed becomes a gap record, one the destination refuses is counted as lost.
        seal, deliver = self._chain.seal, self._deliver
        for item in self._records(records):
            rec, extra = self._detach(item)
            try:
                seal(rec)
            except Exception as exc:
                rec, extra = self._unrecordable(rec, exc), None
                seal(rec)
            try:
                deliver(rec, extra)
            except Exception as exc:
                self._count_lost(1, f"deliver-error:{type(exc).__name__}")
                self._log_once(f"deliver:{type(exc).__name__}", logging.ERROR, "guardwrap: audit sink %s could not "
                               "deliver a record (%s)", type(self).__name__, type(exc).__name__)
            self._since_cp += 1
            if self._since_cp >= self.checkpoint_every:
                self._checkpoint()

    def _checkpoint(self) -> None:
        rec: dict[str, Any] = {"schema": SCHEMA, "type": "checkpoint", "ts": time.time(), "count": self._since_cp,
               "alg": self._signer.alg, "key_id": self._signer.key_id}
        self._chain.seal_signed(rec, self._signer)
        self._since_cp = 0
        self._last_cp = time.monotonic()
        self._deliver(rec, None)

    def _maybe_checkpoint(self, force: bool) -> None:
        if self._since_cp and (force or time.monotonic() - self._last_cp >= self.checkpoint_seconds):
            self._checkpoint()

    # -- per destination -----------------------------------------------------------------------------

    def _detach(self, item: Any) -> tuple[dict[str, Any], Any]:
        """The record and whatever ``emit`` captured with it on the caller's thread."""
        return item, None

    def _deliver(self, record: dict[str, Any], extra: Any) -> None:
        raise NotImplementedError
