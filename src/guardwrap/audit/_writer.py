"""`QueuedSink`: the caller enqueues, one background thread per sink batches, chains and writes.

``emit`` appends to a bounded deque (a few hundred nanoseconds) and never does I/O. The writer wakes
when a batch is ready, when someone waits (``flush``/``barrier``) or every ``flush_interval``
seconds, drains the queue, builds the records, and hands the batch to the sink's ``_write`` and
``_sync`` as one attempt: either the whole batch is written (durably, as configured) or none of it
is, and the sink rewinds its chain (``_save_state``/``_restore_state``).

Durability: ``"none"`` hands each batch to the OS; ``"batch"`` (default) also fsyncs (or commits)
each batch; ``"sync"`` does the same and exposes ``barrier()``, which the guard calls once per
record batch: it queues a marker behind the caller's records and waits until the writer has made
everything before the marker durable. Every marker that arrived during one batch is released by
the same fsync (group commit).

Faults. The writer never dies: a record that cannot be built or serialised becomes a ``gap``
record in its place; an unexpected error in the writer itself is counted and the loop restarts
(the supervisor); a thread that vanished anyway is restarted by the next ``flush``/``barrier``.
When the destination fails (disk full, read-only, a database outage, a held lock), the batch is
kept, the chain rewound, and the attempt retried with exponential backoff (tenacity's schedule)
while new records wait in the queue; nothing is lost unless the queue fills up. Then
``on_full="block"`` waits for room (at most ``wait_timeout`` seconds, then `gw.AuditError`),
``"drop"`` counts the record and ``"raise"`` raises `gw.AuditError` (fail closed). Every record that
never reaches the destination is counted, with the reason, in a ``gap`` record written as soon as
anything can be written again; a ``lifecycle`` record with ``event: "outage"`` says how long the
destination was unavailable and why. No caller waits on the audit longer than ``wait_timeout``.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import logging
import math
import os
import sys
import threading
import time
import traceback
import weakref
from collections import deque
from collections.abc import Iterator
from typing import Any

from tenacity import wait_exponential, wait_random

from .._errors import AuditError, PolicyError
from ._chain import make_signer
from ._record import DEFERRED, LAYOUTS, SCHEMA, DeferredDecision, materialize_call

log = logging.getLogger("guardwrap.audit")

DURABILITY = ("none", "batch", "sync")
ON_FULL = ("block", "drop", "raise")

_open_sinks: weakref.WeakSet[QueuedSink] = weakref.WeakSet()


@atexit.register
def _close_all_at_exit() -> None:
    for sink in list(_open_sinks):
        try:
            sink.close()
        except Exception:  # pragma: no cover - nothing useful to do at exit
            log.error("guardwrap: audit sink %s failed to close at exit", type(sink).__name__)


# -- fork -----------------------------------------------------------------------------------------
#
# A forked child inherits the parent's queue (records the parent will write), a writer thread that
# does not exist there, and possibly a database library's mutex held mid-call by the parent's
# writer (SQLite takes one around its allocations: the child's first sqlite3 call would then block
# forever). So the fork waits until every sink that asks for it (``fork_waits_for_io``) is between
# two I/O calls, and the child starts each sink afresh on a new writer thread with a chain (and,
# for files, a file) of its own. multiprocessing children end with ``os._exit`` and never run
# ``atexit``: they get a multiprocessing finalizer that closes (and flushes) their sinks instead.

_FORK_WAIT = 5.0
_fork_held: list[QueuedSink] = []


class _MultiprocessingToken:
    """A weak-referenceable key for ``multiprocessing.util.register_after_fork``."""


_mp_token = _MultiprocessingToken()
_mp_registered = False


def _mp_child(_: Any) -> None:
    util = sys.modules.get("multiprocessing.util")
    if util is not None:
        util.Finalize(None, _close_all_at_exit, exitpriority=10)


def _before_fork() -> None:
    global _mp_registered
    if not _mp_registered and "multiprocessing.util" in sys.modules:
        sys.modules["multiprocessing.util"].register_after_fork(_mp_token, _mp_child)
        _mp_registered = True
    for sink in list(_open_sinks):
        if sink.fork_waits_for_io and not sink._closed and sink._io_lock.acquire(timeout=_FORK_WAIT):
            _fork_held.append(sink)


def _after_fork_in_parent() -> None:
    while _fork_held:
        _fork_held.pop()._io_lock.release()


def _after_fork_in_child() -> None:
    _fork_held.clear()
    for sink in list(_open_sinks):
        sink._after_fork()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_before_fork, after_in_parent=_after_fork_in_parent,
                        after_in_child=_after_fork_in_child)


# -- helpers ----------------------------------------------------------------------------------------


class _Marker:
    """A waiter queued behind records: released once the writer has made them durable."""

    __slots__ = ("done", "error")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.error: BaseException | None = None


class _Loss:
    """Records that never reached the destination and are not yet reported in a gap record."""

    __slots__ = ("count", "first_ts", "last_ts", "reasons", "seqs")

    def __init__(self) -> None:
        self.count = 0
        self.reasons: dict[str, int] = {}
        self.first_ts: float | None = None
        self.last_ts: float | None = None
        self.seqs: list[list[int]] = []

    def add(self, n: int, reason: str) -> None:
        if n <= 0:
            return
        now = time.time()
        self.count += n
        self.reasons[reason] = self.reasons.get(reason, 0) + n
        if self.first_ts is None:
            self.first_ts = now
        self.last_ts = now

    def gap_record(self) -> dict[str, Any] | None:
        if not self.count:
            return None
        rec: dict[str, Any] = {"schema": SCHEMA, "type": "gap", "ts": time.time(), "dropped": self.count,
                               "reason": ",".join(sorted(self.reasons)), "reasons": dict(self.reasons),
                               "first_ts": self.first_ts, "last_ts": self.last_ts}
        if self.seqs:
            rec["missing_seqs"] = [list(r) for r in self.seqs]
        return rec


class _Outage:
    """The destination is failing: why, since when, and when to try again."""

    __slots__ = ("attempts", "cause", "error", "next_try", "since", "since_mono", "unconfirmed", "waiting")

    def __init__(self, cause: str, error: str) -> None:
        self.cause = cause
        self.error = error
        self.since = time.time()
        self.since_mono = time.monotonic()
        self.attempts = 0
        self.next_try = 0.0
        self.unconfirmed = 0  # sync calls that returned before their records were durable
        self.waiting = 0  # records held when it began


class _AttemptNumber:
    """What tenacity's wait strategies read from a retry state."""

    __slots__ = ("attempt_number",)

    def __init__(self, n: int) -> None:
        self.attempt_number = n


#: Retry schedule while a destination is failing: 50 ms, 100 ms, ... capped at 2 s, with jitter.
_BACKOFF = wait_exponential(multiplier=0.05, max=2.0) + wait_random(0, 0.05)


def backoff(attempt: int) -> float:
    """Seconds to wait before retry number ``attempt`` (1-based)."""
    return float(_BACKOFF(_AttemptNumber(attempt)))  # type: ignore[arg-type]


def os_cause(exc: BaseException) -> str:
    """A short, stable name for why a write failed (no paths, no messages)."""
    if isinstance(exc, OSError) and exc.errno is not None:
        return {
            errno.ENOSPC: "disk-full",
            errno.EDQUOT: "quota-exceeded",
            errno.EROFS: "read-only",
            errno.EACCES: "permission-denied",
            errno.EPERM: "permission-denied",
            errno.ENOENT: "missing",
            errno.EIO: "io-error",
        }.get(exc.errno, f"os-error-{errno.errorcode.get(exc.errno, exc.errno)}".lower())
    return f"error-{type(exc).__name__}"


def frames(exc: BaseException) -> str:
    """The traceback's frames and the exception's type, without its message (which may hold data)."""
    return "".join(traceback.format_tb(exc.__traceback__)) + type(exc).__name__


def _check_choice(name: str, value: Any, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise PolicyError(f"unknown {name} {value!r}", key=f"audit.{name}", expected=" | ".join(choices))


def _count(item: Any, layout: str) -> int:
    """How many records a queued item stands for."""
    if type(item) is _Marker:
        return 0
    if type(item) is DeferredDecision:
        return 1 if layout == "call" else len(item.event_ids)
    return 1


def unrecordable(item: Any, exc: BaseException) -> dict[str, Any]:
    """The gap record that takes the place of a record that could not be built or serialised."""
    rec: dict[str, Any] = {"schema": SCHEMA, "type": "gap", "ts": time.time(), "dropped": 1,
                           "reason": "unrecordable", "reasons": {"unrecordable": 1},
                           "error": type(exc).__name__}
    rtype = item.get("type") if isinstance(item, dict) else ("call" if type(item) is tuple
                                                              else "decision" if type(item) is DeferredDecision
                                                              else None)
    call_id = (item.get("call_id") if isinstance(item, dict) else
               getattr(item[1], "call_id", None) if type(item) is tuple and len(item) > 1 else
               getattr(item, "call_id", None))
    for k, v in (("record_type", rtype),
                 ("call_id", call_id),
                 ("event_id", item.get("event_id") if isinstance(item, dict) else None)):
        if isinstance(v, str) and v.isascii() and v.isprintable() and len(v) <= 200:
            rec[k] = v
    return rec


class QueuedSink:
    """Base of the writing sinks. Subclasses implement the destination hooks below.

    ``_write(batch)`` chains and writes (or stages) the records of a batch of queued items, built
    one at a time by ``self._records(batch)`` (the writer thread owns the chain); ``_sync()`` makes what was written durable; ``_save_state``/``_restore_state``
    rewind the chain and discard a failed batch; ``_maybe_checkpoint(force)`` may add a checkpoint.

    ``wait_timeout`` bounds every wait on the audit (a ``sync`` call's durability, room in a full
    queue with ``on_full="block"``, ``flush()``, ``close()`` while the destination is down);
    ``layout="call"`` writes one record per call with its decisions embedded as ``steps``.
    """

    barrier: Any = None
    #: the writer materialises deferred records (``_record.call_item``, ``DeferredDecision``)
    accepts_deferred = True
    #: fork waits for the writer to leave destination I/O (SQLite: see the module notes)
    fork_waits_for_io = False
    #: `_records` hands call items (tuples) over as they are: the sink builds their records
    _raw_calls = False

    def __init__(
        self,
        *,
        durability: str = "batch",
        on_full: str = "block",
        queue_size: int = 100_000,
        batch_size: int = 4096,
        flush_interval: float = 0.05,
        wait_timeout: float = 10.0,
        layout: str = "decision",
    ) -> None:
        _check_choice("durability", durability, DURABILITY)
        _check_choice("on_full", on_full, ON_FULL)
        _check_choice("layout", layout, LAYOUTS)
        if not isinstance(queue_size, int) or queue_size < 1:
            raise PolicyError(f"queue_size {queue_size!r}", key="audit.queue_size", expected="an int >= 1")
        if not isinstance(batch_size, int) or batch_size < 1:
            raise PolicyError(f"batch_size {batch_size!r}", key="audit.batch_size", expected="an int >= 1")
        if not (isinstance(flush_interval, (int, float)) and flush_interval > 0):
            raise PolicyError(f"flush_interval {flush_interval!r}", key="audit.flush_interval",
                              expected="seconds > 0")
        if not (isinstance(wait_timeout, (int, float)) and not isinstance(wait_timeout, bool)
                and 0 < wait_timeout < math.inf):
            raise PolicyError(f"wait_timeout {wait_timeout!r}", key="audit.wait_timeout",
                              expected="seconds > 0 (no caller may wait on the audit forever)")
        self.durability = durability
        self.on_full = on_full
        self.queue_size = queue_size
        self.batch_size = batch_size
        self.flush_interval = float(flush_interval)
        self.wait_timeout = float(wait_timeout)
        self.layout = layout
        self.barrier = self._barrier if durability == "sync" else None
        #: records that never reached the destination (each counted in a gap record, or logged at close)
        self.dropped_total = 0
        self.written_total = 0
        #: ``sync`` calls that returned before their records were durable (``on_full="drop"``)
        self.unconfirmed_total = 0
        self.outages_total = 0
        self._closed = False
        self._limit = queue_size  # emit's one check: the queue size, or -1 once closed
        self._io_lock = threading.Lock()
        self._init_runtime()

    # -- runtime state (rebuilt in a forked child) --------------------------------------------

    def _init_runtime(self) -> None:
        self._q: deque[Any] = deque()
        self._wake = threading.Event()
        self._space = threading.Event()
        self._drop_lock = threading.Lock()
        self._loss = _Loss()
        self._notes: list[dict[str, Any]] = []  # lifecycle records to write before the next batch
        self._held: list[Any] | None = None  # a batch the destination refused: retried as it is
        self._held_markers: list[_Marker] = []
        self._in_hand: tuple[list[Any], list[_Marker]] | None = None
        self._built = 0  # records built in the current attempt
        self._unrecordables = 0  # of which gap records standing in for unrecordable ones
        self._outage: _Outage | None = None
        self._error: BaseException | None = None
        self._stopping = False
        self._stop_deadline = math.inf
        self._thread: threading.Thread | None = None
        self._restarts = 0
        self._logged: set[str] = set()

    def _start(self) -> None:
        """Open the destination and start the writer; subclasses call this at the end of __init__."""
        self._open()
        self._spawn(self._run)
        _open_sinks.add(self)

    def _spawn(self, target: Any) -> None:
        self._thread = threading.Thread(target=target, name=f"guardwrap-audit-{type(self).__name__}",
                                        daemon=True)
        self._thread.start()

    def _after_fork(self) -> None:
        if self._closed:
            return
        self._io_lock = threading.Lock()
        self._init_runtime()
        # The destination is reopened on the new writer thread: a library call here, inside the
        # fork hook, could block the child before it runs a line of its own code.
        self._spawn(self._run_in_child)

    def _run_in_child(self) -> None:
        attempt = 0
        while True:
            try:
                with self._io_lock:
                    self._reopen_in_child()
                break
            except Exception as exc:
                attempt += 1
                self._note_failure(exc, attempt)
                if self._stopping and time.monotonic() >= self._stop_deadline:
                    self._abandon()
                    return
                time.sleep(backoff(attempt))
        self._outage = None
        self._run()

    # -- the caller's side ---------------------------------------------------------------------

    def emit(self, record: dict[str, Any]) -> None:
        """Enqueue ``record`` for the writer. Never does I/O."""
        q = self._q
        if len(q) >= self._limit:  # full, or closed (the limit is then -1)
            self._emit_slow(record)
            return
        q.append(record)
        if len(q) >= self.batch_size and not self._wake.is_set():
            # (set() takes the event's lock even when it is set already: while the writer is
            # behind, the queue stays over a batch and every call would pay for it)
            self._wake.set()

    def _emit_slow(self, record: Any) -> None:
        if self._closed:
            raise AuditError(f"{type(self).__name__} is closed")
        self._full(record)

    def _full(self, record: Any) -> None:
        if self.on_full == "drop":
            self._count_lost(_count(record, self.layout), self._drop_reason())
            self._wake.set()
            return
        if self.on_full == "raise":
            self._wake.set()
            raise AuditError(f"{type(self).__name__} queue is full ({self.queue_size} records); the writer "
                             f"cannot keep up{self._why()} (on_full='raise')")
        deadline = time.monotonic() + self.wait_timeout
        while len(self._q) >= self.queue_size:
            if self._closed:
                raise AuditError(f"{type(self).__name__} is closed")
            self._ensure_writer()
            left = deadline - time.monotonic()
            if left <= 0:
                raise AuditError(f"{type(self).__name__} queue stayed full for {self.wait_timeout:g} s"
                                 f"{self._why()}; the record was not accepted")
            self._space.clear()
            self._wake.set()
            self._space.wait(min(0.05, left))
        self._q.append(record)

    def _drop_reason(self) -> str:
        o = self._outage
        return f"queue-full:{o.cause}" if o is not None else "queue-full"

    def _why(self) -> str:
        o = self._outage
        return f" (destination unavailable: {o.cause})" if o is not None else ""

    def _count_lost(self, n: int, reason: str) -> None:
        if n <= 0:
            return
        with self._drop_lock:
            self._loss.add(n, reason)
            self.dropped_total += n

    @property
    def outage(self) -> str | None:
        """Why the destination cannot be written right now, or ``None`` when it can."""
        o = self._outage
        return o.cause if o is not None else None

    def _set_checkpoints(self, every: Any, seconds: Any, signing_key: Any, audit_key: Any) -> None:
        """Checkpoint cadence and signer, for the sinks that chain what they store."""
        if not isinstance(every, int) or every < 1:
            raise PolicyError(f"checkpoint_every {every!r}", key="audit.checkpoint_every",
                              expected="an int >= 1")
        self.checkpoint_every = every
        self.checkpoint_seconds = float(seconds)
        self._signer = make_signer(signing_key, audit_key)

    def _barrier(self) -> None:
        """Wait until the caller's records are durable (``durability="sync"``), at most
        ``wait_timeout`` seconds; then (or at once, while the destination is known to be down)
        fail as ``on_full`` says: ``raise``/``block`` raise `gw.AuditError`, ``drop`` returns and
        counts the call in ``unconfirmed_total`` (its records stay queued)."""
        o = self._outage
        if o is not None and self.on_full != "block":
            self._not_confirmed(o)
            return
        try:
            self._wait_written(self.wait_timeout)
        except AuditError:
            if self.on_full != "drop":
                raise
            self._not_confirmed(self._outage)

    def _not_confirmed(self, o: _Outage | None) -> None:
        if self.on_full == "raise":
            raise AuditError(f"{type(self).__name__} cannot make records durable{self._why()} "
                             "(durability='sync', on_full='raise')")
        with self._drop_lock:
            self.unconfirmed_total += 1
            if o is not None:
                o.unconfirmed += 1

    def flush(self, timeout: float | None = None) -> None:
        """Return once every record emitted before this call is written (durably, as configured).

        Waits at most ``timeout`` seconds (default: the sink's ``wait_timeout``) and raises
        `gw.AuditError` if the records could not be written by then (the destination is down) or
        were given up. While the destination is down, a flush also retries it at once.
        """
        self._retry_now()
        self._wait_written(self.wait_timeout if timeout is None else timeout)

    def _retry_now(self) -> None:
        o = self._outage
        if o is not None:
            o.next_try = 0.0
            self._wake.set()

    def _wait_written(self, timeout: float) -> None:
        if self._thread is None or (self._closed and not self._thread.is_alive()):
            if self._error is not None:
                raise AuditError(f"{type(self).__name__} failed: {type(self._error).__name__}")
            return
        self._ensure_writer()
        marker = _Marker()
        self._q.append(marker)
        self._wake.set()
        if not marker.done.wait(timeout):
            raise AuditError(f"{type(self).__name__}: records not written within {timeout:g} s{self._why()}")
        if marker.error is not None:
            raise AuditError(f"{type(self).__name__} could not write: {type(marker.error).__name__}"
                             f"{self._why()}") from None

    def _ensure_writer(self) -> None:
        """The supervisor's caller-side half: restart a writer thread that is gone."""
        t = self._thread
        if t is None or t.is_alive() or self._closed:
            return
        with self._drop_lock:
            if self._thread is not t:
                return
            self._restarts += 1
            self._notes.append({"schema": SCHEMA, "type": "lifecycle", "ts": time.time(),
                                "event": "writer-restart", "restarts": self._restarts})
            log.error("guardwrap: audit writer of %s was gone; restarted it", type(self).__name__)
            self._spawn(self._run)

    def close(self) -> None:
        """Write a closing checkpoint, flush, stop the writer and release the destination.

        While the destination is down, waits at most ``wait_timeout`` seconds for it; records it
        still cannot write are counted in ``dropped_total`` and logged.
        """
        if self._closed:
            return
        self._stop_deadline = time.monotonic() + self.wait_timeout
        self._closed = True
        self._limit = -1
        self._stopping = True
        self._retry_now()
        self._wake.set()
        t = self._thread
        if t is not None and t is not threading.current_thread():
            t.join(self.wait_timeout + 30.0)
            if t.is_alive():
                log.error("guardwrap: audit writer of %s did not stop", type(self).__name__)
        _open_sinks.discard(self)

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- the writer thread ------------------------------------------------------------------------

    def _drain(self) -> tuple[list[Any], list[_Marker]]:
        """The queued items (records, or what stands for them) and the waiters, in order."""
        q = self._q
        popleft = q.popleft
        # Only this thread takes items out, so the queue holds at least this many (callers only append).
        items: list[Any] = [popleft() for _ in range(min(len(q), self.batch_size * 4))]
        if _Marker not in set(map(type, items)):  # (one pass in C: markers are rare)
            return items, []
        return [it for it in items if type(it) is not _Marker], [it for it in items if type(it) is _Marker]

    def _records(self, batch: list[Any]) -> Iterator[dict[str, Any]]:
        """The record dicts of a batch, built one at a time as the sink writes them (so a batch
        holds only what the queue held, and a retried batch builds the same records again)."""
        layout = self.layout
        raw = self._raw_calls
        for item in batch:
            t = type(item)
            if t is tuple:  # a call record (``_record.call_item``)
                if raw:  # the sink builds it (`_chain.Chainer.seal_many`)
                    self._built += 1
                    yield item
                    continue
                try:
                    rec = materialize_call(item, layout)
                except Exception as exc:
                    rec = self._unrecordable(item, exc)
                self._built += 1
                yield rec
            elif t is dict:
                self._built += 1
                yield dict(item)  # a copy: the caller may still hold the original
            else:
                try:
                    if t in DEFERRED:
                        recs = item.records(layout)
                    elif isinstance(item, dict):
                        recs = [dict(item)]
                    else:
                        raise TypeError(f"not an audit record: {t.__name__}")
                except Exception as exc:
                    recs = [self._unrecordable(item, exc)]
                self._built += len(recs)
                yield from recs

    def _losses(self, items: list[Any]) -> tuple[int, list[tuple[int, str]]]:
        """How many records ``items`` stand for, and the losses their gap records carry."""
        new = 0
        old: list[tuple[int, str]] = []
        layout = self.layout
        for it in items:
            if type(it) is dict and it.get("type") == "gap":
                if isinstance(it.get("dropped"), int):
                    old.append((int(it["dropped"]), str(it.get("reason") or "unknown")))
            else:
                new += _count(it, layout)
        return new, old

    def _relose(self, items: list[Any], reason: str, more: int = 0) -> int:
        """Count records that will never be written: new losses go into ``dropped_total``, and the
        losses a gap record among them carried are reported again. Returns the total."""
        new, old = self._losses(items)
        new += more
        with self._drop_lock:
            self._loss.add(new, reason)
            self.dropped_total += new
            for n, why in old:
                self._loss.add(n, why)
        return new + sum(n for n, _ in old)

    def _unrecordable(self, item: Any, exc: BaseException) -> dict[str, Any]:
        """The gap record written in place of ``item``; counted as lost once its batch is written."""
        self._unrecordables += 1
        self._log_once(f"unrecordable:{type(exc).__name__}", logging.ERROR,
                       "guardwrap: audit sink %s could not build or serialise a record (%s); a gap "
                       "record takes its place\n%s", type(self).__name__, type(exc).__name__, frames(exc))
        return unrecordable(item, exc)

    def _log_once(self, key: str, level: int, msg: str, *args: Any) -> None:
        if key in self._logged:
            return
        self._logged.add(key)
        log.log(level, msg, *args)

    def _run(self) -> None:
        """The writer loop, supervised: an unexpected error is counted and the loop restarts."""
        while True:
            try:
                self._serve()
                return
            except BaseException as exc:
                hand, self._in_hand = self._in_hand, None
                lost = self._relose(hand[0] if hand else [], f"writer-error:{type(exc).__name__}")
                if hand:
                    for m in hand[1]:
                        m.error = exc
                        m.done.set()
                self._held, self._held_markers = None, []
                self._error = exc
                log.error("guardwrap: audit writer of %s failed (%s); %d records lost, restarting\n%s",
                          type(self).__name__, type(exc).__name__, lost, frames(exc))
                if self._stopping:
                    self._abandon()
                    return
                time.sleep(0.05)

    def _serve(self) -> None:
        wake = self._wake
        while True:
            wake.wait(self._next_wait())
            wake.clear()
            while self._cycle():
                pass
            if self._stopping:
                if self._held is None and not self._q:
                    break
                if time.monotonic() >= self._stop_deadline:
                    self._abandon()
                    return
        self._shutdown()

    def _next_wait(self) -> float:
        o = self._outage
        if o is None or self._held is None:
            return self.flush_interval
        return max(0.0, min(o.next_try - time.monotonic(), self._stop_deadline - time.monotonic()))

    def _cycle(self) -> bool:
        """One write attempt. True when another should follow at once."""
        if self._held is not None:
            o = self._outage
            if o is not None and time.monotonic() < o.next_try:
                return False
            if not self._attempt(self._held, self._held_markers, held=True):
                return False
            return bool(self._q)
        items, markers = self._drain()
        with self._drop_lock:
            gap = self._loss.gap_record()
            self._loss = _Loss()
            notes, self._notes = self._notes, []
        if gap is not None:
            notes.append(gap)
        batch: list[Any] = notes + items if notes else items
        if self._q:
            self._space.set()
        if not batch and not markers and not self._checkpoint_due():
            return False
        if not self._attempt(batch, markers, held=False):
            return False
        q = self._q
        return bool(q) and (len(q) >= self.batch_size or self._stopping)

    def _attempt(self, batch: list[Any], markers: list[_Marker], held: bool) -> bool:
        self._in_hand = (batch, markers)
        self._built = self._unrecordables = 0
        try:
            with self._io_lock:
                if held and self._held_committed():
                    self._built = self._losses(batch)[0]  # (for written_total: they are in)
                else:
                    saved = self._save_state()
                    try:
                        self._write(batch)  # even empty: a sink may have to reconnect or relink first
                        self._maybe_checkpoint(False)
                        if self.durability != "none":
                            self._sync()
                        else:
                            self._push()
                    except BaseException:
                        self._restore_state(saved)
                        raise
        except Exception as exc:
            self._in_hand = None
            self._failed(exc, batch, markers)
            return False
        self._in_hand = None
        self._succeeded(batch, markers)
        return True

    def _succeeded(self, batch: list[Any], markers: list[_Marker]) -> None:
        self.written_total += self._built
        if self._unrecordables:
            with self._drop_lock:
                self.dropped_total += self._unrecordables
        self._held, self._held_markers = None, []
        self._space.set()
        o = self._outage
        if o is not None:
            self._outage = None
            seconds = round(time.monotonic() - o.since_mono, 3)
            self._notes.append({"schema": SCHEMA, "type": "lifecycle", "ts": time.time(), "event": "outage",
                                "cause": o.cause, "error": o.error, "since": o.since, "seconds": seconds,
                                "attempts": o.attempts, "held": o.waiting, "unconfirmed": o.unconfirmed})
            self._wake.set()
            log.warning("guardwrap: audit sink %s writes again after %.1f s (%s); nothing held was lost",
                        type(self).__name__, seconds, o.cause)
        for m in markers:
            m.done.set()
        try:
            self._after_write()
        except Exception as exc:  # anchors and rotation lag, records are safe: retried later
            self._log_once(f"after:{type(exc).__name__}", logging.WARNING,
                           "guardwrap: audit sink %s: %s after a write (%s); will retry",
                           type(self).__name__, "anchor/rotation failed", os_cause(exc))

    def _failed(self, exc: BaseException, batch: list[Any], markers: list[_Marker]) -> None:
        if not self._retryable(exc):
            # Something in this batch is refused for what it is, not because the destination is
            # down: write what can be written one record at a time, the rest become gap records.
            self._isolate(batch, markers)
            return
        o = self._outage
        attempt = (o.attempts if o is not None else 0) + 1
        self._note_failure(exc, attempt)
        if self._outage is not None and attempt == 1:
            self._outage.waiting = len(batch) + len(self._q)
        self._held, self._held_markers = batch, markers

    def _note_failure(self, exc: BaseException, attempt: int) -> None:
        cause = self._cause(exc)
        o = self._outage
        if o is None:
            o = self._outage = _Outage(cause, type(exc).__name__)
            self.outages_total += 1
            log.error("guardwrap: audit sink %s cannot write (%s: %s); records are held and retried",
                      type(self).__name__, cause, type(exc).__name__)
        o.cause, o.error = cause, type(exc).__name__
        o.attempts = attempt
        # Closing: try often until the deadline rather than sleep through it.
        o.next_try = time.monotonic() + (min(backoff(attempt), 0.05) if self._stopping else backoff(attempt))
        self._error = exc

    def _isolate(self, batch: list[Any], markers: list[_Marker]) -> None:
        rest = list(batch)
        while rest:
            rec = rest.pop(0)
            self._built = self._unrecordables = 0
            try:
                with self._io_lock:
                    saved = self._save_state()
                    try:
                        self._write([rec])
                        self._sync() if self.durability != "none" else self._push()
                    except BaseException:
                        self._restore_state(saved)
                        raise
            except Exception as exc:
                if self._retryable(exc):
                    self._note_failure(exc, 1)
                    self._held, self._held_markers = [rec, *rest], markers
                    return
                if type(rec) is dict and rec.get("type") == "gap":  # reported again in the next gap record
                    self._relose([rec], "unknown")
                else:
                    self._notes.append(self._unrecordable(rec, exc))
                    with self._drop_lock:
                        self.dropped_total += self._unrecordables
                continue
            self.written_total += self._built
            if self._unrecordables:
                with self._drop_lock:
                    self.dropped_total += self._unrecordables
        self._held, self._held_markers = None, []
        for m in markers:
            m.done.set()

    def _abandon(self) -> None:
        """Give up at close: count what is still held or queued as lost, release every waiter."""
        held, self._held = self._held or [], None
        markers, self._held_markers = self._held_markers, []
        q = self._q
        err = AuditError(f"{type(self).__name__} closed while its destination was unavailable")
        queued = 0
        while q:
            item = q.popleft()
            if type(item) is _Marker:
                markers.append(item)
            else:
                queued += _count(item, self.layout)
        self._relose(held, "closed-while-unavailable", queued)
        with self._drop_lock:  # everything not yet reported in a gap record, which can no longer be written
            lost = self._loss.count
            self._loss = _Loss()
        cause = self.outage or "unknown"
        if lost:
            log.error("guardwrap: audit sink %s closed while it could not write (%s): %d records were "
                      "never written", type(self).__name__, cause, lost)
        for m in markers:
            m.error = err
            m.done.set()
        with contextlib.suppress(Exception):
            self._release()

    def _shutdown(self) -> None:
        try:
            with self._io_lock:
                self._finish()
        except Exception as exc:
            self._error = exc
            log.error("guardwrap: audit sink %s failed to close: %s", type(self).__name__, os_cause(exc))
            with contextlib.suppress(Exception):
                self._release()
        # Anyone who queued a marker after close() gets released too.
        while self._q:
            item = self._q.popleft()
            if type(item) is _Marker:
                item.done.set()

    # -- hooks --------------------------------------------------------------------------------------

    def _open(self) -> None:
        raise NotImplementedError

    def _reopen_in_child(self) -> None:
        raise NotImplementedError

    def _write(self, records: list[Any]) -> None:
        raise NotImplementedError

    def _push(self) -> None:
        """Hand written data to the OS (durability="none")."""

    def _sync(self) -> None:
        """Make everything written so far durable."""

    def _maybe_checkpoint(self, force: bool) -> None:
        """Write a signed checkpoint if one is due (or ``force``)."""

    def _checkpoint_due(self) -> bool:
        """A time-based checkpoint is due although no record is waiting."""
        return False

    def _save_state(self) -> Any:
        """What `_restore_state` needs to undo a failed attempt (chain position, file size...)."""
        return None

    def _restore_state(self, state: Any) -> None:
        """Undo a failed attempt: rewind the chain and discard anything partly written."""

    def _held_committed(self) -> bool:
        """Before retrying a failed batch: true when it did reach the destination after all
        (a commit whose answer was lost); the sink has then moved its chain past it."""
        return False

    def _after_write(self) -> None:
        """Work after a successful write that may fail without losing records (anchor, rotation)."""

    def _retryable(self, exc: BaseException) -> bool:
        """Is ``exc`` the destination failing (retry later) rather than a record it refuses?"""
        return True

    def _cause(self, exc: BaseException) -> str:
        return os_cause(exc)

    def _release(self) -> None:
        """Close the destination without writing (giving up at close)."""

    def _finish(self) -> None:
        """The ``close`` record, a final checkpoint and sync, as one attempt, then release the
        destination; runs on the writer thread after the last batch."""
        saved = self._save_state()
        try:
            self._write([{"schema": SCHEMA, "type": "lifecycle", "ts": time.time(), "event": "close",
                          "pid": os.getpid()}])
            self._maybe_checkpoint(True)
            self._sync()
        except BaseException:
            self._restore_state(saved)
            raise
        finally:
            self._release()
