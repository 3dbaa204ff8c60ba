"""A human in the loop: the queue that escalated decisions wait in, and the verdicts people give.

A guard configured with ``review=gw.ReviewQueue(...)`` submits every decision whose outcome is
``escalated``. With ``on_escalate="block"`` the call raises `gw.Escalated` carrying the review id;
with ``"flag"`` the call goes through and the case waits for a person anyway.

>>> import guardwrap as gw
>>> queue = gw.ReviewQueue(":memory:")
>>> queue.list()
[]

What the queue keeps is deliberately small: the text with every personal-data span redacted (or
nothing, when `guardwrap.pii` is unavailable), the decision summary (validators, reasons, finding
types and offsets), the policy identity, and the ids that tie the case to its audit records. Each
verdict (`approve` / `reject`) writes a new ``review`` audit record that references the original
call and decision events; the original records are never changed.

Storage is SQLite (stdlib, WAL) by default, or PostgreSQL with ``dsn=`` (``guardwrap[postgres]``).
"""

from __future__ import annotations

import contextlib
import json
import re
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from typing import Any

from ._errors import GuardrailError, PolicyError
from ._privacy import redact
from .audit._keys import audit_key, keyed_hash
from .audit._record import PolicyInfo, event_record

__all__ = ["DEFAULT_PATH", "STATUSES", "ReviewCase", "ReviewError", "ReviewNotFound", "ReviewQueue"]

DEFAULT_PATH = "guardwrap-review.sqlite3"
STATUSES = ("pending", "approved", "rejected")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,50}")

_COLUMNS = (
    "id", "status", "created_at", "decided_at", "guard", "stage", "outcome", "reasons", "text",
    "text_state", "text_hash", "decision", "policy_id", "policy_version", "policy_hash",
    "request_id", "trace_id", "call_id", "event_ids", "reviewer", "reason",
)


_SURROGATE = re.compile("[\ud800-\udfff]")


class ReviewError(GuardrailError):
    """A review operation could not be done (unknown case, case already decided, storage failure)."""


class ReviewNotFound(ReviewError, LookupError):
    """No case with that id."""


def _iso(ts: float | None) -> str | None:
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


class ReviewCase:
    """One escalated decision in the queue. ``text`` is redacted (or ``None``: withheld).

    ``repr()`` shows the id, status and reasons, never the text.
    """

    __slots__ = _COLUMNS

    def __init__(self, **fields: Any) -> None:
        for name in _COLUMNS:
            setattr(self, name, fields.get(name))

    @classmethod
    def _from_row(cls, row: Sequence[Any]) -> ReviewCase:
        fields = dict(zip(_COLUMNS, row, strict=True))
        fields["reasons"] = tuple(json.loads(fields["reasons"] or "[]"))
        fields["event_ids"] = tuple(json.loads(fields["event_ids"] or "[]"))
        fields["decision"] = json.loads(fields["decision"] or "{}")
        return cls(**fields)

    @property
    def pending(self) -> bool:
        """True while no reviewer has approved or rejected the case."""
        return self.status == "pending"  # type: ignore[attr-defined,no-any-return]

    def to_dict(self) -> dict[str, Any]:
        """The case as JSON-able data (timestamps also rendered as ISO 8601 UTC)."""
        d = {name: getattr(self, name) for name in _COLUMNS}
        d["reasons"] = list(d["reasons"])
        d["event_ids"] = list(d["event_ids"])
        d["created"] = _iso(d["created_at"])
        d["decided"] = _iso(d["decided_at"])
        return d

    def __repr__(self) -> str:
        return (
            f"ReviewCase({self.id!r}, status={self.status!r}, stage={self.stage!r}, "  # type: ignore[attr-defined]
            f"reasons={self.reasons!r}, text={self.text_state!r})"  # type: ignore[attr-defined]
        )


# -- storage ------------------------------------------------------------------------------------


def _ddl(table: str) -> list[str]:
    cols = ", ".join(
        f"{c} DOUBLE PRECISION" if c.endswith("_at") else (f"{c} TEXT PRIMARY KEY" if c == "id" else f"{c} TEXT")
        for c in _COLUMNS
    )
    return [
        f"CREATE TABLE IF NOT EXISTS {table} ({cols})",
        f"CREATE INDEX IF NOT EXISTS {table}_status_idx ON {table} (status, created_at)",
    ]


class _SqliteStore:
    placeholder = "?"

    def __init__(self, path: str, table: str) -> None:
        # Autocommit; every write is one statement. WAL lets a review screen read while a guard writes.
        self.conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=10.0)
        self.lock = threading.Lock()
        with self.lock:
            if path != ":memory:":
                self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=FULL")
            for stmt in _ddl(table):
                self.conn.execute(stmt)

    def run(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[Sequence[Any]], int]:
        with self.lock:
            cur = self.conn.execute(sql, tuple(params))
            rows = cur.fetchall()
            return rows, cur.rowcount

    def close(self) -> None:
        with self.lock:
            self.conn.close()


class _PostgresStore:
    """The queue in PostgreSQL. A lost connection (a restart, a failover) is reopened and the
    statement retried with backoff for up to ``retry_seconds``; every statement the queue runs is
    safe to repeat (see `ReviewQueue.submit` and ``_decide``)."""

    placeholder = "%s"

    def __init__(self, dsn: str, table: str, retry_seconds: float = 10.0) -> None:
        try:
            import psycopg
        except ImportError as exc:
            raise ImportError(
                "ReviewQueue(dsn=...) needs psycopg: pip install 'guardwrap[postgres]'"
            ) from exc
        self._psycopg = psycopg
        self.dsn = dsn
        self.table = table
        self.retry_seconds = retry_seconds
        self.lock = threading.Lock()
        self.conn: Any = None
        self.reconnects = 0
        with self.lock:
            self._connect()

    def _connect(self) -> None:
        conn = self._psycopg.connect(self.dsn, autocommit=True, connect_timeout=5)
        try:
            for stmt in _ddl(self.table):
                conn.execute(stmt)
        except BaseException:
            conn.close()
            raise
        self.conn = conn

    def _transient(self, exc: BaseException) -> bool:
        pg = self._psycopg
        return isinstance(exc, (pg.OperationalError, pg.InterfaceError))

    def _drop(self, _: Any) -> None:
        conn, self.conn = self.conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.close()

    def run(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[Sequence[Any]], int]:
        from tenacity import (
            Retrying,
            retry_if_exception,
            stop_after_delay,
            wait_exponential,
            wait_random,
        )

        with self.lock:
            for attempt in Retrying(stop=stop_after_delay(self.retry_seconds),
                                    wait=wait_exponential(multiplier=0.05, max=1.0) + wait_random(0, 0.05),
                                    retry=retry_if_exception(self._transient), before_sleep=self._drop,
                                    reraise=True):
                with attempt:
                    if self.conn is None or self.conn.closed:
                        self._connect()
                        self.reconnects += 1
                    cur = self.conn.execute(sql.replace("?", "%s"), tuple(params))
                    rows: list[Sequence[Any]] = list(cur.fetchall()) if cur.description is not None else []
                    return rows, cur.rowcount
        raise AssertionError("unreachable")  # pragma: no cover - Retrying re-raises

    def close(self) -> None:
        with self.lock:
            if self.conn is not None:
                self.conn.close()


def is_dsn(target: str) -> bool:
    """True when ``target`` names a PostgreSQL database rather than a file."""
    return target.startswith(("postgres://", "postgresql://")) or "dbname=" in target


def _open_sink(target: str) -> Any:
    from . import audit

    name = "PostgresSink" if is_dsn(target) else (
        "SqliteSink" if target.endswith((".sqlite", ".sqlite3", ".db")) else "JsonlSink"
    )
    cls = getattr(audit, name, None)
    if cls is None:
        raise PolicyError(f"guardwrap.audit.{name} is not available in this installation",
                          key="audit", expected="an audit sink object")
    return cls(target)


# -- the queue ----------------------------------------------------------------------------------


class ReviewQueue:
    """Escalated decisions awaiting a person, and the verdicts given.

    ``path`` is the SQLite file (default ``guardwrap-review.sqlite3``; ``":memory:"`` for tests);
    ``dsn`` a PostgreSQL connection string instead. ``audit`` is a sink, a path (JSONL, or
    ``.sqlite`` / DSN for the database sinks) or a list of them: each submission and verdict is
    written there as a ``review`` record. ``key`` is the audit key for the keyed hashes (reviewer
    pseudonym, text hash); by default ``GUARDWRAP_AUDIT_KEY``. ``keep_text=False`` stores no text
    at all, only its keyed hash. ``table`` names the table (letters, digits, underscores).
    ``retry_seconds`` is how long a PostgreSQL queue keeps reconnecting after losing its server
    before an operation fails with `ReviewError` (an escalation is never dropped silently).
    """

    def __init__(
        self,
        path: str = DEFAULT_PATH,
        *,
        dsn: str | None = None,
        audit: Any = None,
        key: str | bytes | None = None,
        table: str = "guardwrap_review",
        keep_text: bool = True,
        retry_seconds: float = 10.0,
    ) -> None:
        if not isinstance(table, str) or not _IDENT.fullmatch(table):
            raise PolicyError(f"invalid table name {table!r}", key="table",
                              expected="letters, digits and underscores, starting with a letter")
        self.table = table
        self.keep_text = keep_text
        self._key = audit_key(key)
        self._sinks, self._owned = self._open_sinks(audit)
        self._store: _SqliteStore | _PostgresStore
        if dsn is not None:
            self.location = "postgresql"
            self._store = _PostgresStore(dsn, table, retry_seconds)
        else:
            self.location = str(path)
            self._store = _SqliteStore(str(path), table)

    @staticmethod
    def _open_sinks(audit: Any) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        if audit is None:
            return (), ()
        items = [audit] if isinstance(audit, str) or not isinstance(audit, Iterable) else list(audit)
        sinks, owned = [], []
        for item in items:
            if isinstance(item, str):
                item = _open_sink(item)
                owned.append(item)
            if not all(callable(getattr(item, m, None)) for m in ("emit", "flush", "close")):
                raise PolicyError(f"{type(item).__name__} is not an audit sink", key="audit",
                                  expected="an object with emit(record), flush() and close(), or a path")
            sinks.append(item)
        return tuple(sinks), tuple(owned)

    def __repr__(self) -> str:
        return f"ReviewQueue({self.location!r}, table={self.table!r})"

    def _run(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[Sequence[Any]], int]:
        try:
            return self._store.run(sql, params)
        except Exception as exc:  # storage down for longer than the retries, or a broken table
            raise ReviewError(f"the review queue's storage failed ({type(exc).__name__})") from exc

    # -- audit ------------------------------------------------------------------------------

    def _emit(self, record: dict[str, Any], *, wait: bool) -> None:
        for i, sink in enumerate(self._sinks):
            sink.emit(record if i == 0 else dict(record))
            barrier = getattr(sink, "barrier", None)
            if barrier is not None:
                barrier()
            if wait:
                sink.flush()

    def _record(self, case: ReviewCase, action: str, *, actor: str | None = None,
                reason: str | None = None) -> dict[str, Any]:
        c: Any = case
        policy = PolicyInfo(c.policy_id or "unknown", c.policy_version, c.policy_hash or "", app=c.guard)
        rec = event_record(
            "review", policy, None,
            call_id=c.call_id,
            request_id=c.request_id,
            trace_id=c.trace_id,
            actor=keyed_hash(actor, self._key) if actor else None,
            validator=None,
            stage=c.stage,
            outcome=c.status,
            review_id=c.id,
            review_action=action,
            ref_call_id=c.call_id,
            ref_event_ids=list(c.event_ids),
            ref_outcome=c.outcome,
            reasons=list(c.reasons),
            findings=[],
            text_hash=c.text_hash,
            case_hash=self._case_hash(c),
        )
        if reason is not None:
            # The reviewer's words go to the log only redacted (or as a keyed hash when we cannot redact).
            red = redact(reason)
            rec["reason"] = red
            rec["reason_hash"] = keyed_hash(reason, self._key)
        return rec

    def _case_hash(self, c: Any) -> str:
        """Keyed hash of what the reviewer was shown, so the log attests to the case as decided."""
        shown = {"id": c.id, "text": c.text, "decision": c.decision, "policy_hash": c.policy_hash,
                 "call_id": c.call_id, "event_ids": list(c.event_ids)}
        return keyed_hash(json.dumps(shown, sort_keys=True, separators=(",", ":")), self._key)

    # -- submitting -------------------------------------------------------------------------

    def submit(self, decision: Any, *, ctx: Any = None, policy: PolicyInfo | None = None) -> str:
        """Put an escalated decision in the queue; returns the review id. Called by `Guard`.

        Stores the decision's (already fixed) text with remaining PII redacted, or no text when
        it cannot be redacted. Raises `ReviewError` when the case cannot be stored, so that an
        escalation never disappears silently.
        """
        review_id = "rv_" + secrets.token_hex(8)
        raw = decision.text or ""
        text = redact(raw) if self.keep_text else None
        context = getattr(ctx, "context", None)
        state = getattr(ctx, "state", None) or {}
        event_ids = list(state.get("_escalated_events", ()))
        if getattr(decision, "event_id", None) and decision.event_id not in event_ids:
            event_ids.insert(0, decision.event_id)
        case = ReviewCase(
            id=review_id,
            status="pending",
            created_at=time.time(),
            decided_at=None,
            guard=getattr(ctx, "guard", None) or (policy.app if policy is not None else None),
            stage=decision.stage,
            outcome=decision.outcome,
            reasons=tuple(decision.reasons),
            text=text,
            text_state="redacted" if text is not None else "withheld",
            text_hash=keyed_hash(raw, self._key),
            decision=decision.to_dict(),
            policy_id=policy.id if policy is not None else None,
            policy_version=policy.version if policy is not None else None,
            policy_hash=policy.hash if policy is not None else decision.policy_hash,
            request_id=getattr(context, "request_id", None),
            trace_id=getattr(context, "trace_id", None),
            call_id=getattr(ctx, "call_id", None),
            event_ids=tuple(event_ids),
            reviewer=None,
            reason=None,
        )
        row = [getattr(case, c) for c in _COLUMNS]
        for i, c in enumerate(_COLUMNS):
            if c in ("reasons", "event_ids"):
                row[i] = json.dumps(list(row[i]))
            elif c == "decision":
                row[i] = json.dumps(row[i], sort_keys=True)
            elif isinstance(row[i], str):
                # a lone surrogate cannot be stored as UTF-8: it becomes U+FFFD, so that a strange
                # character never costs a human the case
                row[i] = _SURROGATE.sub("\ufffd", row[i])
        marks = ", ".join("?" for _ in _COLUMNS)
        try:  # safe to repeat after a lost answer: the random id makes a second insert a no-op
            self._store.run(f"INSERT INTO {self.table} ({', '.join(_COLUMNS)}) VALUES ({marks}) "
                            "ON CONFLICT (id) DO NOTHING", row)
        except Exception as exc:
            raise ReviewError(f"could not store the review case ({type(exc).__name__})") from exc
        self._emit(self._record(case, "submitted"), wait=False)
        return review_id

    # -- reading ----------------------------------------------------------------------------

    def get(self, review_id: str) -> ReviewCase:
        """The case with this id; `ReviewNotFound` when there is none."""
        rows, _ = self._run(f"SELECT {', '.join(_COLUMNS)} FROM {self.table} WHERE id = ?", (review_id,))
        if not rows:
            raise ReviewNotFound(f"no review case {review_id!r}")
        return ReviewCase._from_row(rows[0])

    def list(self, status: str | None = "pending", *, limit: int = 100, offset: int = 0,
             policy_id: str | None = None) -> list[ReviewCase]:
        """Cases, oldest first. ``status=None`` lists every status."""
        where, params = [], []
        if status is not None:
            if status not in STATUSES:
                raise PolicyError(f"unknown status {status!r}", key="status", expected=" | ".join(STATUSES))
            where.append("status = ?")
            params.append(status)
        if policy_id is not None:
            where.append("policy_id = ?")
            params.append(policy_id)
        sql = f"SELECT {', '.join(_COLUMNS)} FROM {self.table}"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY created_at, id LIMIT ? OFFSET ?"
        rows, _ = self._run(sql, (*params, int(limit), int(offset)))
        return [ReviewCase._from_row(r) for r in rows]

    def counts(self) -> dict[str, int]:
        """Number of cases per status."""
        rows, _ = self._run(f"SELECT status, COUNT(*) FROM {self.table} GROUP BY status")
        out = dict.fromkeys(STATUSES, 0)
        out.update({str(s): int(n) for s, n in rows})
        return out

    # -- verdicts ---------------------------------------------------------------------------

    def approve(self, review_id: str, *, reviewer: str, reason: str | None = None) -> ReviewCase:
        """Approve a pending case: the escalated text was acceptable. Writes a ``review`` record."""
        return self._decide(review_id, "approved", reviewer, reason)

    def reject(self, review_id: str, *, reviewer: str, reason: str) -> ReviewCase:
        """Reject a pending case: the escalation was right. ``reason`` is required."""
        if not reason or not reason.strip():
            raise ReviewError("a rejection needs a reason")
        return self._decide(review_id, "rejected", reviewer, reason)

    def _decide(self, review_id: str, status: str, reviewer: str, reason: str | None) -> ReviewCase:
        if not reviewer or not str(reviewer).strip():
            raise ReviewError("a verdict needs the reviewer's name")
        stored_reason = reason
        if reason is not None:
            red = redact(reason)
            stored_reason = red if red is not None else reason
        # Only a pending case can be decided; the condition makes two reviewers racing safe.
        _, n = self._run(
            f"UPDATE {self.table} SET status = ?, reviewer = ?, reason = ?, decided_at = ? "
            "WHERE id = ? AND status = 'pending'",
            (status, reviewer, stored_reason, time.time(), review_id),
        )
        case = self.get(review_id)
        c: Any = case
        if n != 1 and not (c.status == status and c.reviewer == reviewer and c.reason == stored_reason):
            # (the same verdict by the same reviewer is a retried statement whose answer was lost)
            raise ReviewError(f"review case {review_id!r} is already {c.status}")
        self._emit(self._record(case, status, actor=reviewer, reason=reason), wait=True)
        return case

    # -- lifecycle --------------------------------------------------------------------------

    def close(self) -> None:
        """Close the database and the sinks this queue opened from paths (flushing them)."""
        for sink in self._owned:
            sink.close()
        self._store.close()

    def __enter__(self) -> ReviewQueue:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
