"""`JsonlSink`: the default audit log, one hash-chained JSON object per line.

Beside the log sits ``<path>.anchor``, the signed head anchor, rewritten (atomically) after each
checkpoint is on disk, so it is always at or behind the last durable record. Rotation renames the
full file to ``<stem>.<first seq, 12 digits><suffix>`` and carries the chain into the new file.
Reopening an existing log continues its chain; a torn last line left by a crash is cut first (its
byte count is recorded in the ``resume`` lifecycle record). A forked child writes to
``<stem>.child-<pid><suffix>`` with a chain of its own, so parent and child never share a chain.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import orjson

from .._errors import AuditError, PolicyError
from ._chain import GENESIS, Chainer, make_anchor, write_anchor_file
from ._record import SCHEMA
from ._writer import QueuedSink

_TAIL_WINDOW = 1 << 20


def segment_paths(path: str | os.PathLike[str]) -> list[Path]:
    """Rotated segments of ``path`` (oldest first), not including the active file."""
    p = Path(path)
    stem, suffix = p.stem, p.suffix
    out = []
    for cand in p.parent.glob(f"{stem}.*{suffix}"):
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


class JsonlSink(QueuedSink):
    """Append-only, hash-chained JSON lines with signed checkpoints and a signed head anchor.

    >>> import guardwrap as gw
    >>> with gw.JsonlSink("audit/decisions.jsonl") as sink:   # doctest: +SKIP
    ...     guard = gw.Guard("bot", audit=sink)

    ``checkpoint_every`` records or ``checkpoint_seconds`` (whichever first) a signed checkpoint is
    written and the anchor moves; ``signing_key`` (Ed25519) replaces the default HMAC with the audit
    key. ``rotate_bytes`` / ``rotate_seconds`` start a new file, carrying the chain.
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
        checkpoint_every: int = 10_000,
        checkpoint_seconds: float = 10.0,
        rotate_bytes: int | None = None,
        rotate_seconds: float | None = None,
        signing_key: Any = None,
        audit_key: str | bytes | None = None,
    ) -> None:
        super().__init__(durability=durability, on_full=on_full, queue_size=queue_size,
                         batch_size=batch_size, flush_interval=flush_interval)
        self._set_checkpoints(checkpoint_every, checkpoint_seconds, signing_key, audit_key)
        if rotate_bytes is not None and (not isinstance(rotate_bytes, int) or rotate_bytes < 1024):
            raise PolicyError(f"rotate_bytes {rotate_bytes!r}", key="audit.rotate_bytes",
                              expected="an int >= 1024 or None")
        self.path = os.fspath(path)
        self.rotate_bytes = rotate_bytes
        self.rotate_seconds = rotate_seconds
        self._fd = -1
        self._start()

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
        self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        self._size = os.fstat(self._fd).st_size
        self._opened_at = time.monotonic()
        self._since_cp = 0
        self._last_cp = time.monotonic()
        self._anchor_due: tuple[int, str] | None = None
        if lifecycle is None:
            lifecycle = {"event": "resume" if seq else "open", "pid": os.getpid()}
            if torn:
                lifecycle["torn_bytes"] = torn
        self._q.append({"schema": SCHEMA, "type": "lifecycle", "ts": time.time(), **lifecycle})

    def _reopen_in_child(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)  # the child's copy only; the parent keeps its descriptor
        parent_chain, parent_pid = self._chain.chain, os.getppid()
        p = Path(self.path)
        self.path = os.fspath(p.with_name(f"{p.stem}.child-{os.getpid()}{p.suffix}"))
        self._open({"event": "fork", "pid": os.getpid(), "parent_pid": parent_pid,
                    "parent_chain": parent_chain})

    # -- writing ------------------------------------------------------------------------------------

    def _write(self, records: list[dict[str, Any]]) -> None:
        c = self._chain
        saved = (c.seq, c.prev_hash, self._since_cp, self._anchor_due, self._last_cp, self._size)
        try:
            self._write_batch(records)
        except BaseException:
            # Nothing of a failed batch may stay in the file or the chain: cut any partial write and
            # rewind, so the records count as dropped (a gap record follows) and the chain stays whole.
            c.seq, c.prev_hash, self._since_cp, self._anchor_due, self._last_cp, size = saved
            if self._fd >= 0:
                try:
                    os.ftruncate(self._fd, size)
                    self._size = size
                except OSError:
                    pass
            raise

    def _write_batch(self, records: list[dict[str, Any]]) -> None:
        seal = self._chain.seal
        every = self.checkpoint_every
        lines = []
        for rec in records:
            # A copy: the guard may still be copying the same dict for its next sink.
            lines.append(seal(dict(rec)))
            self._since_cp += 1
            if self._since_cp >= every:
                lines.append(self._checkpoint_line())
        self._append(b"".join(lines))
        if (self.rotate_bytes is not None and self._size >= self.rotate_bytes) or (
            self.rotate_seconds is not None and time.monotonic() - self._opened_at >= self.rotate_seconds
        ):
            self._rotate()

    def _append(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            n = os.write(self._fd, view)
            view = view[n:]
        self._size += len(data)

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

    def _sync(self) -> None:
        os.fsync(self._fd)
        self._move_anchor()

    def _push(self) -> None:
        if self._anchor_due is not None:
            self._sync()

    def _move_anchor(self) -> None:
        # Only after the checkpoint itself is on disk, so the anchor never runs ahead of the log.
        due = self._anchor_due
        if due is None:
            return
        self._anchor_due = None
        anchor = make_anchor(self._signer, self._chain.chain, due[0], due[1],
                             file=os.path.basename(self.path), ts=time.time())
        write_anchor_file(anchor_path(self.path), anchor)

    def _rotate(self) -> None:
        if self._since_cp:
            self._append(self._checkpoint_line())
        os.fsync(self._fd)
        os.close(self._fd)
        self._fd = -1
        first = self._first_seq_of(self.path)
        p = Path(self.path)
        target = p.with_name(f"{p.stem}.{first:012d}{p.suffix}")
        os.replace(self.path, target)
        self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        self._size = 0
        self._opened_at = time.monotonic()
        rec = {"schema": SCHEMA, "type": "lifecycle", "ts": time.time(), "event": "rotate",
               "previous_file": target.name}
        self._append(self._chain.seal(rec))
        self._since_cp += 1
        os.fsync(self._fd)
        self._move_anchor()

    @staticmethod
    def _first_seq_of(path: str) -> int:
        with open(path, "rb") as f:
            line = f.readline()
        try:
            return int(orjson.loads(line)["seq"])
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            return 0

    def _finish(self) -> None:
        if self._fd < 0:
            return
        self._write([{"schema": SCHEMA, "type": "lifecycle", "ts": time.time(), "event": "close",
                      "pid": os.getpid()}])
        self._maybe_checkpoint(True)
        self._sync()
        os.close(self._fd)
        self._fd = -1
