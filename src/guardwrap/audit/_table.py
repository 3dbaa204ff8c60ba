"""`TableSink`: the shared half of the database sinks (SQLite, PostgreSQL).

One table holds every record: the chained JSON line in ``record`` plus a few columns for queries
(time, type, request id, outcome, validator, policy hash) and ``(chain, seq)``. A second table,
``<table>_anchor``, holds each chain's signed head anchor; it is updated in the same transaction as
the checkpoint it names, so it can never run ahead of the records. Every sink instance (and every
process) writes its own chain, so several writers can share one database.
"""

from __future__ import annotations

import os
import time
from typing import Any

import orjson

from ._chain import Chainer, make_anchor
from ._read import DEFAULT_TABLE, check_table
from ._record import SCHEMA
from ._writer import QueuedSink

Row = tuple[Any, ...]


_inherited: list[Any] = []  # connections a forked child must neither use nor close


class TableSink(QueuedSink):
    _con: Any  # the database connection, opened by `_connect`

    def __init__(
        self,
        *,
        table: str = DEFAULT_TABLE,
        durability: str = "batch",
        on_full: str = "block",
        queue_size: int = 100_000,
        batch_size: int = 4096,
        flush_interval: float = 0.05,
        checkpoint_every: int = 10_000,
        checkpoint_seconds: float = 10.0,
        signing_key: Any = None,
        audit_key: str | bytes | None = None,
    ) -> None:
        super().__init__(durability=durability, on_full=on_full, queue_size=queue_size,
                         batch_size=batch_size, flush_interval=flush_interval)
        self._set_checkpoints(checkpoint_every, checkpoint_seconds, signing_key, audit_key)
        self.table = check_table(table)

    # -- chain bookkeeping shared by both databases ------------------------------------------------

    def _new_chain(self, lifecycle: dict[str, Any]) -> None:
        self._chain = Chainer()
        self._since_cp = 0
        self._last_cp = time.monotonic()
        self._anchor_due: tuple[int, str] | None = None
        self._pending: list[Row] = []
        self._q.append({"schema": SCHEMA, "type": "lifecycle", "ts": time.time(), "pid": os.getpid(),
                        **lifecycle})

    def _row(self, rec: dict[str, Any], line: bytes) -> Row:
        return (rec["chain"], rec["seq"], rec["ts"], rec["type"],
                rec.get("request_id"), rec.get("outcome"), rec.get("validator"), rec.get("policy_hash"),
                rec["hash"], line[:-1].decode())

    def _write(self, records: list[dict[str, Any]]) -> None:
        seal = self._chain.seal
        rows = self._pending
        every = self.checkpoint_every
        for rec in records:
            rec = dict(rec)  # the guard may still be copying the original for its next sink
            if "ts" not in rec or "type" not in rec:  # both are NOT NULL columns
                rec.setdefault("ts", time.time())
                rec.setdefault("type", "unknown")
            rows.append(self._row(rec, seal(rec)))
            self._since_cp += 1
            if self._since_cp >= every:
                self._checkpoint()

    def _checkpoint(self) -> None:
        rec: dict[str, Any] = {"schema": SCHEMA, "type": "checkpoint", "ts": time.time(), "count": self._since_cp,
               "alg": self._signer.alg, "key_id": self._signer.key_id}
        line = self._chain.seal_signed(rec, self._signer)
        self._pending.append(self._row(rec, line))
        self._since_cp = 0
        self._last_cp = time.monotonic()
        self._anchor_due = (int(rec["seq"]), str(rec["hash"]))

    def _maybe_checkpoint(self, force: bool) -> None:
        if self._since_cp and (force or time.monotonic() - self._last_cp >= self.checkpoint_seconds):
            self._checkpoint()

    def _anchor_row(self) -> tuple[str, int, str, str] | None:
        due, self._anchor_due = self._anchor_due, None
        if due is None:
            return None
        anchor = make_anchor(self._signer, self._chain.chain, due[0], due[1], ts=time.time())
        return (self._chain.chain, due[0], due[1], orjson.dumps(anchor).decode())

    def _sync(self) -> None:
        rows, self._pending = self._pending, []
        self._commit(rows, self._anchor_row())

    _push = _sync

    def _finish(self) -> None:
        if not self._alive():
            return
        self._write([{"schema": SCHEMA, "type": "lifecycle", "ts": time.time(), "event": "close",
                      "pid": os.getpid()}])
        self._maybe_checkpoint(True)
        self._sync()
        self._disconnect()

    def _open(self) -> None:
        self._connect()
        self._new_chain({"event": "open"})

    def _reopen_in_child(self) -> None:
        # The parent's connection: closing it here would end the parent's session.
        _inherited.append(self._con)
        parent_chain = self._chain.chain
        self._connect()
        self._new_chain({"event": "fork", "parent_pid": os.getppid(), "parent_chain": parent_chain})

    # -- per database --------------------------------------------------------------------------------

    def _connect(self) -> None:
        """Open the connection as ``self._con`` and create the tables if needed."""
        raise NotImplementedError

    def _commit(self, rows: list[Row], anchor: tuple[str, int, str, str] | None) -> None:
        raise NotImplementedError

    def _alive(self) -> bool:
        raise NotImplementedError

    def _disconnect(self) -> None:
        raise NotImplementedError


COLUMN_DDL = (
    "chain TEXT NOT NULL, seq BIGINT NOT NULL, ts DOUBLE PRECISION NOT NULL, type TEXT NOT NULL, "
    "request_id TEXT, outcome TEXT, validator TEXT, policy_hash TEXT, hash TEXT NOT NULL, "
    "record TEXT NOT NULL, UNIQUE (chain, seq)"
)


def ddl(table: str, id_column: str) -> list[str]:
    return [
        f"CREATE TABLE IF NOT EXISTS {table} ({id_column}, {COLUMN_DDL})",
        f"CREATE INDEX IF NOT EXISTS {table}_ts ON {table} (ts)",
        f"CREATE INDEX IF NOT EXISTS {table}_request_id ON {table} (request_id)",
        f"CREATE INDEX IF NOT EXISTS {table}_outcome ON {table} (outcome)",
        f"CREATE TABLE IF NOT EXISTS {table}_anchor (chain TEXT PRIMARY KEY, seq BIGINT NOT NULL, "
        "hash TEXT NOT NULL, anchor TEXT NOT NULL)",
    ]
