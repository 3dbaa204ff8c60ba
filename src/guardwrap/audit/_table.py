"""`TableSink`: the shared half of the database sinks (SQLite, PostgreSQL).

One table holds every record: the chained JSON line in ``record`` plus a few columns for queries
(time, type, request id, outcome, validator, policy hash) and ``(chain, seq)``. A second table,
``<table>_anchor``, holds each chain's signed head anchor; it is updated in the same transaction as
the checkpoint it names, so it can never run ahead of the records. Every sink instance (and every
process) writes its own chain, so several writers can share one database.

Outages. A batch whose transaction fails is rolled back and its chain rewound; the writer keeps it
and retries with backoff, reconnecting first. After a reconnect the sink asks the database where its
chain ends: a commit whose answer was lost is recognised (not written twice), and a database that
lost rows (restored from a backup, a SQLite file removed under it) makes the sink start a new chain
whose first record links to the old one and says how far it had got. With ``spill=PATH`` the batches
of an outage go to a local JSONL file instead (same chain, same seqs, fsynced as the durability
says), so ``sync`` callers keep going; once the database is back, a ``lifecycle`` record
(``event: "spilled"``) in the table names the seqs that are in the spill file, and ``verify`` reads
both together.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import time
from typing import Any

import orjson

from ._chain import Chainer, make_anchor
from ._read import DEFAULT_TABLE, check_table, column_value
from ._record import SCHEMA
from ._writer import QueuedSink, backoff

Row = tuple[Any, ...]


_inherited: list[Any] = []  # connections a forked child must neither use nor close


class _Spill:
    """An outage whose batches went to the spill file: which seqs, since when, why."""

    __slots__ = ("attempts", "cause", "count", "first", "last", "next_try", "since")

    def __init__(self, first: int, cause: str) -> None:
        self.first = first
        self.last = first - 1
        self.count = 0
        self.cause = cause
        self.since = time.time()
        self.attempts = 0
        self.next_try = 0.0


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
        wait_timeout: float = 10.0,
        layout: str = "decision",
        checkpoint_every: int = 10_000,
        checkpoint_seconds: float = 10.0,
        signing_key: Any = None,
        audit_key: str | bytes | None = None,
        spill: str | os.PathLike[str] | None = None,
    ) -> None:
        super().__init__(durability=durability, on_full=on_full, queue_size=queue_size,
                         batch_size=batch_size, flush_interval=flush_interval, wait_timeout=wait_timeout,
                         layout=layout)
        self._set_checkpoints(checkpoint_every, checkpoint_seconds, signing_key, audit_key)
        self.table = check_table(table)
        self.spill = os.fspath(spill) if spill is not None else None
        self._con: Any = None
        self._spill_fd = -1
        self._spilling: _Spill | None = None
        self._ambiguous: tuple[Any, tuple[int, str]] | None = None
        self._committed = False
        self._link_reason: str | None = None

    # -- chain bookkeeping shared by both databases ------------------------------------------------

    def _new_chain(self, lifecycle: dict[str, Any]) -> dict[str, Any]:
        self._chain = Chainer()
        self._since_cp = 0
        self._last_cp = time.monotonic()
        self._anchor_due: tuple[int, str] | None = None
        self._pending: list[Row] = []
        rec = {"schema": SCHEMA, "type": "lifecycle", "ts": time.time(), "pid": os.getpid(),
               "key_id": self._signer.key_id, **lifecycle}
        if self.spill is not None:
            rec["spill_file"] = os.path.abspath(self.spill)
        return rec

    def _row(self, rec: dict[str, Any], line: bytes) -> Row:
        return (rec["chain"], rec["seq"], rec["ts"], rec["type"],
                column_value(rec.get("request_id")), column_value(rec.get("outcome")),
                column_value(rec.get("validator")), column_value(rec.get("policy_hash")),
                rec["hash"], line[:-1].decode())

    def _save_state(self) -> Any:
        c = self._chain
        return (c.chain, c.seq, c.prev_hash, self._since_cp, self._last_cp, self._anchor_due, len(self._pending))

    def _restore_state(self, state: Any) -> None:
        c = self._chain
        chain, c.seq, c.prev_hash, self._since_cp, self._last_cp, self._anchor_due, n = state
        if c.chain != chain:
            self._chain = Chainer(chain, c.seq, c.prev_hash)
        del self._pending[n:]

    def _write(self, records: list[Any]) -> None:
        first = self._prepare()
        seal = self._chain.seal
        rows = self._pending
        every = self.checkpoint_every
        for rec in itertools.chain(first, self._records(records)):
            if "ts" not in rec or "type" not in rec:  # both are NOT NULL columns
                rec.setdefault("ts", time.time())
                rec.setdefault("type", "unknown")
            try:
                line = seal(rec)
            except Exception as exc:
                rec = self._unrecordable(rec, exc)
                line = seal(rec)
            rows.append(self._row(rec, line))
            self._since_cp += 1
            if self._since_cp >= every:
                self._checkpoint()

    def _prepare(self) -> list[dict[str, Any]]:
        """Connect if needed and say which records must come before this batch: the link of a new
        chain, or the note that names the seqs an outage sent to the spill file."""
        out: list[dict[str, Any]] = []
        sp = self._spilling
        if sp is not None:
            if time.monotonic() < sp.next_try:
                return out
            try:
                link = self._ensure_connected()
            except Exception as exc:
                if not self._retryable(exc):
                    raise
                sp.attempts += 1
                sp.next_try = time.monotonic() + backoff(sp.attempts)
                return out
            if link is not None:
                out.append(link)
            if sp.count and self._spilling is sp:  # (a new chain, if one was started, owes nothing)
                out.append({"schema": SCHEMA, "type": "lifecycle", "ts": time.time(), "event": "spilled",
                            "missing_seqs": [[sp.first, sp.last]], "spill_file": os.path.abspath(str(self.spill)),
                            "count": sp.count, "cause": sp.cause, "since": sp.since,
                            "seconds": round(time.time() - sp.since, 3)})
            return out
        try:
            link = self._ensure_connected()
        except Exception as exc:
            if self.spill is None or not self._retryable(exc):
                raise
            self._start_spilling(self._chain.seq, exc)
            return out
        if link is not None:
            out.append(link)
        return out

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

    def _checkpoint_due(self) -> bool:
        return bool(self._since_cp) and time.monotonic() - self._last_cp >= self.checkpoint_seconds

    def _anchor_row(self) -> tuple[str, int, str, str] | None:
        due = self._anchor_due
        if due is None:
            return None
        anchor = make_anchor(self._signer, self._chain.chain, due[0], due[1], ts=time.time())
        return (self._chain.chain, due[0], due[1], orjson.dumps(anchor).decode())

    def _sync(self) -> None:
        rows = self._pending
        if self._spilling is not None and self._con is None:
            self._to_spill(rows)
            return
        anchor = self._anchor_row()
        after = self._save_state()
        last = (rows[-1][1], rows[-1][8]) if rows else None
        try:
            self._commit(rows, anchor)
        except Exception as exc:
            self._drop_connection()
            if self.spill is not None and self._retryable(exc):
                self._to_spill(rows, exc)
                return
            if last is not None:
                self._ambiguous = (after, last)  # the commit may have happened: ask after reconnecting
            raise
        self._pending = []
        self._anchor_due = None
        self._ambiguous = None
        if self._spilling is not None:
            self._spilling = None

    _push = _sync

    def _to_spill(self, rows: list[Row], exc: BaseException | None = None) -> None:
        """Append the batch to the spill file (durably, as configured) instead of the table."""
        if rows:
            if self._spill_fd < 0:
                parent = os.path.dirname(str(self.spill))
                if parent:
                    os.makedirs(parent, exist_ok=True)
                self._spill_fd = os.open(str(self.spill), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            data = b"".join(r[-1].encode() + b"\n" for r in rows)
            view = memoryview(data)
            while view:
                view = view[os.write(self._spill_fd, view):]
            if self.durability != "none":
                os.fsync(self._spill_fd)
        sp = self._spilling
        if sp is None:
            sp = self._start_spilling(rows[0][1] if rows else self._chain.seq, exc)
        if rows:
            sp.last = rows[-1][1]
            sp.count += len(rows)
        self._pending = []
        self._anchor_due = None  # the anchor moves again with the next checkpoint the table receives

    def _start_spilling(self, first: int, exc: BaseException | None) -> _Spill:
        sp = self._spilling = _Spill(first, self._cause(exc) if exc is not None else "unknown")
        sp.attempts = 1
        sp.next_try = time.monotonic() + backoff(1)
        self._log_once("spill", logging.ERROR, "guardwrap: audit sink %s cannot reach its database (%s); "
                       "writing to the spill file until it is back", type(self).__name__, sp.cause)
        return sp

    def _drop_connection(self) -> None:
        con, self._con = self._con, None
        if con is not None:
            with contextlib.suppress(Exception):
                self._close_connection(con)

    def _ensure_connected(self) -> dict[str, Any] | None:
        """Connect when there is no connection; after a reconnect, reconcile the chain with what the
        database holds. Returns the link record of a new chain, if one had to be started."""
        reason = self._link_reason or self._identity_lost()
        if reason is not None:
            self._drop_connection()
        if self._con is not None:
            return None
        self._connect()
        return self._reconcile(reason)

    def _reconcile(self, reason: str | None) -> dict[str, Any] | None:
        c = self._chain
        ours = (c.seq - 1, c.prev_hash)
        db = self._last_row(c.chain)
        amb, self._ambiguous = self._ambiguous, None
        self._link_reason = None
        if amb is not None and db is not None and (int(db[0]), str(db[1])) == amb[1]:
            self._restore_state(amb[0])  # the lost commit did happen: move past it
            del self._pending[:]
            self._committed = True
            return None
        if db is None and (ours[0] < 0 or (self._spilling is not None and self._spilling.first == 0)):
            return None
        if db is not None and (int(db[0]), str(db[1])) == ours:
            return None
        sp = self._spilling
        if sp is not None and db is not None and sp.first - 1 <= int(db[0]) <= sp.last:
            return None  # the table ends where the spill file begins (or inside it: a lost answer)
        # The table does not hold what we wrote (restored from a backup, the file replaced): go on
        # in a new chain whose first record says how far the old one had got.
        old = c.chain
        rec = self._new_chain({"event": "reopen", "reason": reason or "destination-diverged",
                               "previous_chain": old, "previous_seq": ours[0], "previous_hash": ours[1],
                               "previous_in_destination": int(db[0]) if db is not None else -1})
        self._spilling = None
        self._log_once(f"reopen:{rec['reason']}", logging.ERROR, "guardwrap: audit sink %s: %s; started a new chain "
                       "linked to the previous one", type(self).__name__, rec["reason"])
        return rec

    def _held_committed(self) -> bool:
        if self._ambiguous is None:
            return False
        self._committed = False
        self._ensure_connected()
        done, self._committed = self._committed, False
        return done

    def _release(self) -> None:
        self._drop_connection()
        if self._spill_fd >= 0:
            os.close(self._spill_fd)
            self._spill_fd = -1

    def _open(self) -> None:
        self._connect()
        self._q.append(self._new_chain({"event": "open"}))

    def _reopen_in_child(self) -> None:
        # The parent's connection: closing it here would end the parent's session.
        if self._con is not None:
            _inherited.append(self._con)
        self._con = None
        self._spill_fd = -1
        self._spilling = None
        self._ambiguous = None
        parent_chain = self._chain.chain
        self._connect()
        self._q.appendleft(self._new_chain({"event": "fork", "parent_pid": os.getppid(),
                                            "parent_chain": parent_chain}))

    # -- per database --------------------------------------------------------------------------------

    def _connect(self) -> None:
        """Open the connection as ``self._con`` and create the tables if needed."""
        raise NotImplementedError

    def _commit(self, rows: list[Row], anchor: tuple[str, int, str, str] | None) -> None:
        raise NotImplementedError

    def _last_row(self, chain: str) -> tuple[int, str] | None:
        """``(seq, hash)`` of the chain's last row in the table, or None."""
        raise NotImplementedError

    def _close_connection(self, con: Any) -> None:
        con.close()

    def _identity_lost(self) -> str | None:
        """Why the destination is no longer the one we opened (a file replaced), or None."""
        return None


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
