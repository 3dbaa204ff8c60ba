"""`QueuedSink`: the caller enqueues, one background thread per sink batches, chains and writes.

``emit`` appends to a bounded deque (a few hundred nanoseconds) and never does I/O. The writer wakes
when a batch is ready, when someone waits (``flush``/``barrier``) or every ``flush_interval``
seconds, drains the queue, and hands the batch to the sink's ``_write`` and ``_sync``.

Durability: ``"none"`` hands each batch to the OS; ``"batch"`` (default) also fsyncs (or commits)
each batch; ``"sync"`` does the same and exposes ``barrier()``, which the guard calls once per
record batch: it queues a marker behind the caller's records and waits until the writer has made
everything before the marker durable. Every marker that arrived during one batch is released by
the same fsync (group commit).

Full queue: ``on_full="block"`` waits for room, ``"drop"`` counts the record and later writes a
``gap`` record with the count into the chain, ``"raise"`` raises `gw.AuditError` (fail closed).
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
import weakref
from collections import deque
from typing import Any

from .._errors import AuditError, PolicyError
from ._chain import make_signer
from ._record import DEFERRED, SCHEMA

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
            log.exception("guardwrap: audit sink failed to close at exit")


def _after_fork_in_child() -> None:
    for sink in list(_open_sinks):
        sink._after_fork()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


class _Marker:
    """A waiter queued behind records: released once the writer has made them durable."""

    __slots__ = ("done", "error")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.error: BaseException | None = None


def _check_choice(name: str, value: Any, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise PolicyError(f"unknown {name} {value!r}", key=f"audit.{name}", expected=" | ".join(choices))


class QueuedSink:
    """Base of the writing sinks. Subclasses implement ``_open``, ``_write``, ``_sync``, ``_release``.

    ``_write(records)`` chains and writes a list of record dicts (the writer thread owns the chain);
    ``_sync()`` makes what was written durable; ``_maybe_checkpoint(force)`` may add a checkpoint.
    """

    barrier: Any = None
    #: the writer materialises deferred call records (see ``_record.DeferredCall``)
    accepts_deferred = True

    def __init__(
        self,
        *,
        durability: str = "batch",
        on_full: str = "block",
        queue_size: int = 100_000,
        batch_size: int = 4096,
        flush_interval: float = 0.05,
    ) -> None:
        _check_choice("durability", durability, DURABILITY)
        _check_choice("on_full", on_full, ON_FULL)
        if not isinstance(queue_size, int) or queue_size < 1:
            raise PolicyError(f"queue_size {queue_size!r}", key="audit.queue_size", expected="an int >= 1")
        if not isinstance(batch_size, int) or batch_size < 1:
            raise PolicyError(f"batch_size {batch_size!r}", key="audit.batch_size", expected="an int >= 1")
        if not (isinstance(flush_interval, (int, float)) and flush_interval > 0):
            raise PolicyError(f"flush_interval {flush_interval!r}", key="audit.flush_interval",
                              expected="seconds > 0")
        self.durability = durability
        self.on_full = on_full
        self.queue_size = queue_size
        self.batch_size = batch_size
        self.flush_interval = float(flush_interval)
        self.barrier = self._barrier if durability == "sync" else None
        self.dropped_total = 0
        self.written_total = 0
        self._closed = False
        self._init_runtime()

    # -- runtime state (rebuilt in a forked child) --------------------------------------------

    def _init_runtime(self) -> None:
        self._q: deque[Any] = deque()
        self._wake = threading.Event()
        self._space = threading.Event()
        self._drop_lock = threading.Lock()
        self._dropped = 0
        self._gap_reasons: set[str] = set()
        self._error: BaseException | None = None
        self._stopping = False
        self._thread: threading.Thread | None = None

    def _start(self) -> None:
        """Open the destination and start the writer; subclasses call this at the end of __init__."""
        self._open()
        self._thread = threading.Thread(target=self._run, name=f"guardwrap-audit-{type(self).__name__}",
                                        daemon=True)
        self._thread.start()
        _open_sinks.add(self)

    def _after_fork(self) -> None:
        # The child inherits the parent's queue (records the parent will write), a writer thread
        # that does not exist here, and possibly locks held mid-write. Start afresh; subclasses
        # reopen their destination with a chain of their own (``_reopen_in_child``).
        if self._closed:
            return
        self._init_runtime()
        try:
            self._reopen_in_child()
        except Exception as exc:  # pragma: no cover - depends on the destination
            self._error = exc
            self._closed = True
            return
        self._thread = threading.Thread(target=self._run, name=f"guardwrap-audit-{type(self).__name__}",
                                        daemon=True)
        self._thread.start()

    # -- the caller's side ---------------------------------------------------------------------

    def emit(self, record: dict[str, Any]) -> None:
        """Enqueue ``record`` for the writer. Never does I/O."""
        q = self._q
        if len(q) >= self.queue_size:
            if self._closed:
                raise AuditError(f"{type(self).__name__} is closed")
            self._full(record)
            return
        q.append(record)
        if len(q) >= self.batch_size:
            self._wake.set()
        if self._closed:
            raise AuditError(f"{type(self).__name__} is closed")

    def _full(self, record: dict[str, Any]) -> None:
        if self.on_full == "drop":
            with self._drop_lock:
                self._dropped += 1
                self.dropped_total += 1
                self._gap_reasons.add("queue-full")
            self._wake.set()
            return
        if self.on_full == "raise":
            self._wake.set()
            raise AuditError(f"{type(self).__name__} queue is full ({self.queue_size} records); "
                             "the writer cannot keep up (on_full='raise')")
        while len(self._q) >= self.queue_size:
            if self._closed or self._thread is None or not self._thread.is_alive():
                raise AuditError(f"{type(self).__name__} writer is not running")
            self._space.clear()
            self._wake.set()
            self._space.wait(0.05)
        self._q.append(record)

    def _set_checkpoints(self, every: Any, seconds: Any, signing_key: Any, audit_key: Any) -> None:
        """Checkpoint cadence and signer, for the sinks that chain what they store."""
        if not isinstance(every, int) or every < 1:
            raise PolicyError(f"checkpoint_every {every!r}", key="audit.checkpoint_every",
                              expected="an int >= 1")
        self.checkpoint_every = every
        self.checkpoint_seconds = float(seconds)
        self._signer = make_signer(signing_key, audit_key)

    def _barrier(self) -> None:
        self.flush()

    def flush(self, timeout: float | None = None) -> None:
        """Return once every record emitted before this call is written (durably, as configured).

        Raises `gw.AuditError` if the writer failed or ``timeout`` seconds passed first.
        """
        if self._thread is None or not self._thread.is_alive():
            if self._error is not None:
                raise AuditError(f"{type(self).__name__} failed: {type(self._error).__name__}")
            return
        marker = _Marker()
        self._q.append(marker)
        self._wake.set()
        if not marker.done.wait(timeout):
            raise AuditError(f"{type(self).__name__}: flush timed out after {timeout} s")
        if marker.error is not None:
            raise AuditError(f"{type(self).__name__} could not write: {type(marker.error).__name__}: "
                             f"{marker.error}") from None

    def close(self) -> None:
        """Write a closing checkpoint, flush, stop the writer and release the destination."""
        if self._closed:
            return
        self._closed = True
        self._stopping = True
        self._wake.set()
        t = self._thread
        if t is not None and t is not threading.current_thread():
            t.join()
        _open_sinks.discard(self)

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- the writer thread ------------------------------------------------------------------------

    def _drain(self) -> tuple[list[dict[str, Any]], list[_Marker]]:
        q = self._q
        records: list[dict[str, Any]] = []
        markers: list[_Marker] = []
        popleft = q.popleft
        limit = self.batch_size * 4
        while q and len(records) < limit:
            item = popleft()
            if type(item) is _Marker:
                markers.append(item)
            elif type(item) in DEFERRED:
                records.extend(item.records())
            else:
                records.append(item)
        return records, markers

    def _gap_record(self) -> dict[str, Any] | None:
        if not self._dropped:
            return None
        with self._drop_lock:
            n, self._dropped = self._dropped, 0
            reasons, self._gap_reasons = sorted(self._gap_reasons), set()
        return {"schema": SCHEMA, "type": "gap", "ts": time.time(), "dropped": n,
                "reason": ",".join(reasons)}

    def _run(self) -> None:
        wake = self._wake
        while True:
            wake.wait(self.flush_interval)
            wake.clear()
            while True:
                records, markers = self._drain()
                gap = self._gap_record()
                if gap is not None:
                    records.append(gap)
                if self._q:
                    self._space.set()
                err: BaseException | None = None
                try:
                    if records:
                        self._write(records)
                        self.written_total += len(records)
                    self._maybe_checkpoint(False)
                    if (records or markers) and self.durability != "none":
                        self._sync()
                    elif records:
                        self._push()
                except Exception as exc:
                    err = exc
                    self._error = exc
                    with self._drop_lock:
                        self._dropped += len(records)
                        self.dropped_total += len(records)
                        self._gap_reasons.add("write-error")
                    log.error("guardwrap: audit sink %s failed to write %d records: %s",
                              type(self).__name__, len(records), type(exc).__name__)
                self._space.set()
                for m in markers:
                    m.error = err
                    m.done.set()
                # Keep draining only while a full batch waits (or on close); otherwise sleep until
                # the interval or a waiter: under steady load that is one write and one fsync per
                # interval instead of back-to-back fsyncs competing with the callers for the CPU.
                if not self._q or (len(self._q) < self.batch_size and not self._stopping):
                    break
            if self._stopping and not self._q:
                break
        try:
            self._finish()
        except Exception as exc:
            self._error = exc
            log.error("guardwrap: audit sink %s failed to close: %s", type(self).__name__, type(exc).__name__)
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

    def _write(self, records: list[dict[str, Any]]) -> None:
        raise NotImplementedError

    def _push(self) -> None:
        """Hand written data to the OS (durability="none")."""

    def _sync(self) -> None:
        """Make everything written so far durable."""

    def _maybe_checkpoint(self, force: bool) -> None:
        """Write a signed checkpoint if one is due (or ``force``)."""

    def _finish(self) -> None:
        """Final checkpoint, sync and release; runs on the writer thread after the last batch."""
