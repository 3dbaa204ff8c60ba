"""`JsonlSink`: the default audit log, one hash-chained JSON object per line.

Beside the log sits ``<path>.anchor``, the signed head anchor, rewritten (atomically) after each
checkpoint is on disk, so it is always at or behind the last durable record. Rotation renames the
full file to ``<stem>.<first seq, 12 digits><suffix>`` and carries the chain into the new file.
(A chain restarted after the file was removed under the writer starts at seq 0 again; its segments
are then numbered after the newest one, never over it.) Reopening an existing log continues its
chain; a torn last line left by a crash is cut first (its
byte count is recorded in the ``resume`` lifecycle record). A forked child writes to
``<stem>.child-<pid><suffix>`` with a chain of its own, so parent and child never share a chain.

Faults: a failed write (disk full, read-only, I/O error) is cut from the file and retried with the
chain rewound, so the file never holds a partial batch. Before each batch the writer checks that
the path still names the file it has open (device and inode) and that nothing shortened it: if the
file or its directory was removed, replaced or truncated under it, it opens the path afresh and
starts a new chain whose first record (``lifecycle``, ``event: "reopen"``) links it to the previous
chain (``previous_chain``, ``previous_seq``, ``previous_hash``) and says why, so ``verify`` reports
the loss instead of calling the log tampered. An anchor that cannot be written (permissions) lags
behind and is retried; it never costs a record.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from pathlib import Path
from typing import Any

import orjson

from .._errors import AuditError, PolicyError
from ._chain import GENESIS, Chainer, make_anchor, write_anchor_file
from ._record import SCHEMA, _seal_calls, call_bodies, call_body, materialize_call
from ._writer import QueuedSink

_TAIL_WINDOW = 1 << 20
_CHUNK = 256
#: plain call records are built and chained in runs of about this many bytes (one kernel pass each)
_RUN_BYTES = 1 << 18
#: a run at least this large is hashed without the GIL (-1: never), while fewer than a batch of
#: records wait: letting go of the GIL costs the writer up to the switch interval (5 ms) to get it
#: back while a caller runs, so only for large runs, and not when it is behind
_GIL_FREE_BYTES = 1 << 16
_writev = getattr(os, "writev", None)
try:
    _IOV_MAX = max(16, min(os.sysconf("SC_IOV_MAX"), 1024))
except (AttributeError, ValueError, OSError):
    _IOV_MAX = 16
#: `_record.CallBodies.seal` when the kernel has it (tests turn it off to compare)
_FUSED = True


def segment_paths(path: str | os.PathLike[str]) -> list[Path]:
    """Rotated segments of ``path`` (oldest first), not including the active file."""
    p = Path(path)
    stem, suffix = p.stem, p.suffix
    out = []
    try:
        candidates = list(p.parent.glob(f"{stem}.*{suffix}"))
    except OSError:
        return []
    for cand in candidates:
        middle = cand.name[len(stem) + 1 : len(cand.name) - len(suffix)] if suffix else cand.name[len(stem) + 1 :]
        if len(middle) == 12 and middle.isdigit():
            out.append(cand)
    return sorted(out)


def anchor_path(path: str | os.PathLike[str]) -> str:
    return f"{os.fspath(path)}.anchor"


def read_tail(path: str | os.PathLike[str]) -> tuple[dict[str, Any] | None, int, int]:
    """The last complete record of a file, the offset where the complete part ends, and its size."""
    with open(path, "rb") as f:
        f.seek(0, os.SEEK_END)
        size = f.tell()
        start = max(0, size - _TAIL_WINDOW)
        f.seek(start)
        data = f.read()
    end = data.rfind(b"\n")
    if end < 0:
        return None, start if start else 0, size
    good_end = start + end + 1
    prev = data.rfind(b"\n", 0, end)
    line = data[prev + 1 : end]
    try:
        rec = orjson.loads(line)
    except orjson.JSONDecodeError:
        rec = None
    if not isinstance(rec, dict):
        rec = None
    return rec, good_end, size


def _complete_successor(data: bytes, seq: int, prev: str) -> dict[str, Any] | None:
    from ._chain import record_hash

    try:
        rec = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
    if (isinstance(rec, dict) and rec.get("seq") == seq and rec.get("prev_hash") == prev
            and rec.get("hash") == record_hash(rec)):
        return rec
    return None


def _first_seq_of(path: str) -> int:
    try:
        with open(path, "rb") as f:
            line = f.readline()
        return int(orjson.loads(line)["seq"])
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        return 0


class JsonlSink(QueuedSink):
    """Append-only, hash-chained JSON lines with signed checkpoints and a signed head anchor.

    >>> import guardwrap as gw
    >>> with gw.JsonlSink("audit/decisions.jsonl") as sink:   # doctest: +SKIP
    ...     guard = gw.Guard("bot", audit=sink)

    ``checkpoint_every`` records or ``checkpoint_seconds`` (whichever first) a signed checkpoint is
    written and the anchor moves; ``signing_key`` (Ed25519) replaces the default HMAC with the audit
    key. ``rotate_bytes`` / ``rotate_seconds`` start a new file, carrying the chain.
    ``wait_timeout`` bounds every wait on the log. ``layout="call"`` (default) writes one record
    per call with its decisions embedded as ``steps`` (less than two thirds of the writer's work
    per call, which shares the process with the caller); ``layout="decision"`` one record per
    decision plus the call record. Every reader (`verify`, ``audit tail|stats|export|report``)
    takes both.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        durability: str = "batch",
        on_full: str = "block",
        queue_size: int = 100_000,
        batch_size: int = 4096,
        flush_interval: float = 0.05,
        wait_timeout: float = 10.0,
        layout: str = "call",
        checkpoint_every: int = 10_000,
        checkpoint_seconds: float = 10.0,
        rotate_bytes: int | None = None,
        rotate_seconds: float | None = None,
        signing_key: Any = None,
        audit_key: str | bytes | None = None,
    ) -> None:
        super().__init__(durability=durability, on_full=on_full, queue_size=queue_size,
                         batch_size=batch_size, flush_interval=flush_interval, wait_timeout=wait_timeout,
                         layout=layout)
        self._set_checkpoints(checkpoint_every, checkpoint_seconds, signing_key, audit_key)
        if rotate_bytes is not None and (not isinstance(rotate_bytes, int) or rotate_bytes < 1024):
            raise PolicyError(f"rotate_bytes {rotate_bytes!r}", key="audit.rotate_bytes",
                              expected="an int >= 1024 or None")
        self.path = os.fspath(path)
        self.rotate_bytes = rotate_bytes
        self.rotate_seconds = rotate_seconds
        self._fd = -1
        self._dirty: int | None = None  # a failed write could not be cut: cut it before the next
        self._rotate_after = 0.0
        self._stale_fd = -1
        #: plain call records built in C, a run at a time (None: `_build`, one at a time)
        self._fast = call_bodies(self.layout)
        self._start()

    _raw_calls = True  # call records are built straight to bytes (`_record.call_body`)

    def __repr__(self) -> str:
        return f"JsonlSink({self.path!r}, durability={self.durability!r})"

    # -- opening and resuming -------------------------------------------------------------------

    def _open(self, lifecycle: dict[str, Any] | None = None) -> None:
        parent = os.path.dirname(self.path)
        if parent:
            os.makedirs(parent, exist_ok=True)
        chain, seq, prev, torn = None, 0, GENESIS, 0
        source = self.path if os.path.exists(self.path) and os.path.getsize(self.path) > 0 else None
        if source is None:
            segs = segment_paths(self.path)
            source = os.fspath(segs[-1]) if segs else None
        if source is not None:
            last, good_end, size = read_tail(source)
            if last is None or not isinstance(last.get("seq"), int) or "hash" not in last:
                raise AuditError(f"cannot continue the audit chain of {source}: its last line is not a "
                                 "chained record; run `guardwrap audit verify` on it and move it aside")
            chain, seq, prev = last.get("chain"), last["seq"] + 1, last["hash"]
            if source == self.path and good_end < size:
                torn = size - good_end
                with open(self.path, "rb") as f:
                    f.seek(good_end)
                    rest = f.read()
                whole = _complete_successor(rest, seq, prev)
                if whole is not None:  # only the newline was lost: keep the record
                    with open(self.path, "ab") as f:
                        f.write(b"\n")
                    seq, prev, torn = whole["seq"] + 1, whole["hash"], 0
                else:
                    os.truncate(self.path, good_end)
        self._chain = Chainer(chain, seq, prev)
        self._open_fd()
        self._first_seq = _first_seq_of(self.path) if self._size else seq
        self._since_cp = 0
        self._last_cp = time.monotonic()
        self._anchor_due: tuple[int, str] | None = None
        if lifecycle is None:
            lifecycle = {"event": "resume" if seq else "open", "pid": os.getpid(),
                         "key_id": self._signer.key_id}
            if torn:
                lifecycle["torn_bytes"] = torn
        self._q.appendleft({"schema": SCHEMA, "type": "lifecycle", "ts": time.time(), **lifecycle})

    def _open_fd(self) -> None:
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        st = os.fstat(fd)
        self._fd = fd
        self._ident = (st.st_dev, st.st_ino)
        self._size = st.st_size
        self._opened_at = time.monotonic()

    def _reopen_in_child(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)  # the child's copy only; the parent keeps its descriptor
            self._fd = -1
        parent_chain, parent_pid = self._chain.chain, os.getppid()
        p = Path(self.path)
        self.path = os.fspath(p.with_name(f"{p.stem}.child-{os.getpid()}{p.suffix}"))
        self._dirty, self._stale_fd = None, -1
        self._open({"event": "fork", "pid": os.getpid(), "parent_pid": parent_pid,
                    "parent_chain": parent_chain, "key_id": self._signer.key_id})

    # -- the file under us ------------------------------------------------------------------------

    def _check_file(self) -> dict[str, Any] | None:
        """Cut a failed write that could not be cut before; make sure the path is still our file.

        Returns the link record of a new chain when the file had to be opened afresh.
        """
        if self._dirty is not None:
            os.ftruncate(self._fd, self._dirty)
            self._size, self._dirty = self._dirty, None
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return self._reopen("file-removed")
        except PermissionError:  # the path can no longer be looked at; our descriptor still works
            self._log_once("stat:eacces", logging.WARNING, "guardwrap: audit log %s: cannot check the file "
                           "under the writer any more (permission denied); writing on", self.path)
            return None
        if (st.st_dev, st.st_ino) != self._ident:
            return self._reopen("file-replaced")
        if st.st_size < self._size:
            return self._reopen("file-truncated")
        return None

    def _reopen(self, reason: str) -> dict[str, Any]:
        """Open the path afresh with a new chain, linked to the one whose file went away."""
        old, last_seq, last_hash = self._chain.chain, self._chain.seq - 1, self._chain.prev_hash
        first = self._first_seq
        parent = os.path.dirname(self.path)
        if parent:
            os.makedirs(parent, exist_ok=True)
        self._open_fd()  # raises while the directory cannot be written: retried with backoff
        if reason != "file-truncated" and self._size == 0:
            with contextlib.suppress(OSError):  # a stale anchor names the old chain; the link supersedes it
                os.remove(anchor_path(self.path))
        self._chain = Chainer()
        self._first_seq = 0
        self._since_cp = 0
        self._anchor_due = None
        lost = last_seq - first + 1 if last_seq >= first else 0
        self._log_once(f"reopen:{reason}", logging.ERROR, "guardwrap: audit log %s: %s while open; started a new "
                       "chain linked to the previous one", self.path, reason)
        return {"schema": SCHEMA, "type": "lifecycle", "ts": time.time(), "event": "reopen", "reason": reason,
                "pid": os.getpid(), "previous_chain": old, "previous_seq": last_seq,
                "previous_hash": last_hash, "previous_first_seq": first, "records_gone": lost,
                "key_id": self._signer.key_id}

    # -- writing ------------------------------------------------------------------------------------

    def _save_state(self) -> Any:
        c = self._chain
        return (c.chain, c.seq, c.prev_hash, self._since_cp, self._anchor_due, self._last_cp, self._size,
                self._fd, self._ident, self._first_seq)

    def _restore_state(self, state: Any) -> None:
        chain, seq, prev, self._since_cp, self._anchor_due, self._last_cp, size, fd, ident, first = state
        if fd != self._fd:
            # The failed attempt had opened the path afresh: forget that file and its new chain;
            # the next attempt sees the path is not ours and opens it again, link record and all.
            if self._fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(self._fd)
            self._fd, self._ident, self._size = fd, ident, size
            self._chain = Chainer(chain, seq, prev)
        else:
            c = self._chain
            c.chain, c.seq, c.prev_hash = chain, seq, prev
        self._first_seq = first
        if self._fd >= 0:
            try:  # the file's real size: a failed write may have put part of a line there
                if os.fstat(self._fd).st_size != size:
                    os.ftruncate(self._fd, size)
                self._size = size
            except OSError:
                self._size, self._dirty = size, size

    def _write(self, records: list[Any]) -> None:
        lines: list[bytes] = []
        old_fd = self._fd
        link = self._check_file()
        if link is not None:
            self._stale_fd = old_fd  # closed once this batch is safely in the new file
        chainer = self._chain
        seal_many = chainer.seal_many
        build = self._build
        fast = self._fast
        append = lines.append
        if link is not None:
            append(chainer.seal(link))
            self._since_cp += 1
        left = self.checkpoint_every - self._since_cp  # records until the next checkpoint
        # Sealed a run or a chunk at a time (the C kernel chains it in one call); runs and chunks
        # stay small (`_RUN_BYTES`, `_CHUNK`) so a batch holds little more than what the queue held.
        if fast is not None and set(map(type, records)) == {tuple}:
            # Only call items (the common batch): they are their own records (see `_records`).
            # Plain call records are built and chained a run at a time in one kernel pass (its
            # hashing without the GIL when the run is large); an item that is not one, or a run
            # the kernel gave up on (an error), takes the two-step path, errors and all.
            self._built += len(records)
            i, n = 0, len(records)
            fused = _FUSED and _seal_calls is not None
            while i < n:
                step = min(left, n - i)  # (never past a checkpoint)
                j = i
                if fused:
                    # (hashed without the GIL only while the writer keeps up: one that is behind
                    # keeps the GIL, as it always did, rather than fall further behind waiting for it)
                    gil_free = _GIL_FREE_BYTES if len(self._q) < self.batch_size else -1
                    try:
                        data, j = chainer.seal_calls(records, i, i + step, fast, _RUN_BYTES, gil_free)
                    except Exception:  # the chain is as it was: the two-step path takes the run
                        step = min(step, _CHUNK)
                    else:
                        if j > i:
                            append(data)
                        else:  # not a plain call record: this one item takes the two-step path
                            step = 1
                if j == i:
                    j = i + min(step, _CHUNK)
                    append(seal_many(records[i:j], self._unrecordable, build, fast))
                left -= j - i
                i = j
                if not left:
                    self._since_cp = self.checkpoint_every
                    append(self._checkpoint_line())
                    left = self.checkpoint_every
            records = []
        chunk: list[dict[str, Any]] = []
        for rec in self._records(records):
            chunk.append(rec)
            left -= 1
            if not left or len(chunk) >= _CHUNK:
                append(seal_many(chunk, self._unrecordable, build, fast))
                chunk = []
                if not left:
                    self._since_cp = self.checkpoint_every
                    append(self._checkpoint_line())
                    left = self.checkpoint_every
        if chunk:
            append(seal_many(chunk, self._unrecordable, build, fast))
        self._since_cp = self.checkpoint_every - left
        if self._since_cp and (link is not None or self._rotation_due()):
            lines.append(self._checkpoint_line())  # sign the new chain's link at once / end the segment signed
        if lines:
            self._append_all(lines)

    def _build(self, item: Any, chain_json: bytes, seq: int, prev_json: bytes) -> bytes | dict[str, Any]:
        """A call item's canonical bytes (a plain call record), else its record dict."""
        body = call_body(item, self.layout, chain_json, seq, prev_json)
        return body if body is not None else materialize_call(item, self.layout)

    def _append(self, data: bytes | memoryview) -> None:
        view = memoryview(data)
        while view:
            n = os.write(self._fd, view)
            self._size += n
            view = view[n:]

    def _append_all(self, parts: list[bytes]) -> None:
        """`_append` of the parts joined, without joining them: one ``writev`` (the batch is not
        copied once more into fresh memory), the rest of a short write written after it."""
        if len(parts) == 1 or _writev is None:
            self._append(parts[0] if len(parts) == 1 else b"".join(parts))
            return
        k = 0
        while k < len(parts):
            group = parts[k:k + _IOV_MAX]
            n = _writev(self._fd, group)
            self._size += n
            k += len(group)
            for done, part in enumerate(group):  # a short write: the rest of the group, part by part
                if n < len(part):
                    self._append(memoryview(part)[n:])
                    for rest in group[done + 1:]:
                        self._append(rest)
                    break
                n -= len(part)

    def _checkpoint_line(self) -> bytes:
        c = self._chain
        rec: dict[str, Any] = {"schema": SCHEMA, "type": "checkpoint", "ts": time.time(), "count": self._since_cp,
                               "alg": self._signer.alg, "key_id": self._signer.key_id}
        line = c.seal_signed(rec, self._signer)
        self._since_cp = 0
        self._last_cp = time.monotonic()
        self._anchor_due = (int(rec["seq"]), str(rec["hash"]))
        return line

    def _maybe_checkpoint(self, force: bool) -> None:
        if self._since_cp and (force or time.monotonic() - self._last_cp >= self.checkpoint_seconds):
            self._append(self._checkpoint_line())

    def _checkpoint_due(self) -> bool:
        return bool(self._since_cp) and time.monotonic() - self._last_cp >= self.checkpoint_seconds

    def _sync(self) -> None:
        os.fsync(self._fd)

    def _push(self) -> None:
        if self._anchor_due is not None:
            os.fsync(self._fd)  # the anchor may only move once its checkpoint is on disk

    def _after_write(self) -> None:
        stale, self._stale_fd = self._stale_fd, -1
        if stale >= 0 and stale != self._fd:
            os.close(stale)
        self._move_anchor()
        if self._rotation_due() and time.monotonic() >= self._rotate_after:
            try:
                self._rotate()
            except OSError:
                self._rotate_after = time.monotonic() + 30.0  # e.g. the directory is read-only now
                raise

    def _move_anchor(self) -> None:
        # Only after the checkpoint itself is on disk, so the anchor never runs ahead of the log.
        due = self._anchor_due
        if due is None:
            return
        anchor = make_anchor(self._signer, self._chain.chain, due[0], due[1],
                             file=os.path.basename(self.path), ts=time.time())
        write_anchor_file(anchor_path(self.path), anchor)
        if self._anchor_due == due:
            self._anchor_due = None

    def _rotation_due(self) -> bool:
        return (self.rotate_bytes is not None and self._size >= self.rotate_bytes) or (
            self.rotate_seconds is not None and time.monotonic() - self._opened_at >= self.rotate_seconds)

    def _rotate(self) -> None:
        """Rename the full file to its segment name and go on in a new file (the chain carries on:
        the new file's first record is a ``rotate`` lifecycle record, written with the next batch)."""
        if self.durability == "none":
            os.fsync(self._fd)
        p = Path(self.path)
        # Named after the segment's first seq; after a chain restarted (seqs begin at 0 again) the
        # next number after the newest segment, so a segment is never overwritten and the names
        # still sort in the order the segments were written.
        n = self._first_seq
        segs = segment_paths(self.path)
        if segs:
            n = max(n, int(segs[-1].name[len(p.stem) + 1 : len(p.stem) + 13]) + 1)
        target = p.with_name(f"{p.stem}.{n:012d}{p.suffix}")
        while target.exists():
            n += 1
            target = p.with_name(f"{p.stem}.{n:012d}{p.suffix}")
        old_fd = self._fd
        os.replace(self.path, target)
        try:
            self._open_fd()
        except OSError:
            os.replace(target, self.path)  # put it back and keep writing where we were
            raise
        os.close(old_fd)
        self._first_seq = self._chain.seq
        self._notes.insert(0, {"schema": SCHEMA, "type": "lifecycle", "ts": time.time(), "event": "rotate",
                               "previous_file": target.name})
        self._wake.set()

    def _finish(self) -> None:
        if self._fd >= 0:
            super()._finish()

    def _release(self) -> None:
        with contextlib.suppress(OSError):  # a checkpoint already on disk may still move the anchor
            self._move_anchor()
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
