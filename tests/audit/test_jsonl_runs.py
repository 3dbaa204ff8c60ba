"""The JSONL writer's batch path: runs of call items built and chained in one kernel pass
(`Chainer.seal_calls`) give the file the two-step path gives, byte for byte, mixed with items the
kernel leaves to Python and with checkpoints; a batch is written with one ``writev`` and a short
write loses nothing."""

from __future__ import annotations

import os
from typing import Any

import orjson
import pytest

import guardwrap as gw
from guardwrap._context import context
from guardwrap._native import kernel
from guardwrap.audit import _jsonl, verify
from guardwrap.audit._chain import Chainer, record_hash

needs_kernel = pytest.mark.skipif(kernel("guardwrap.audit._csha") is None, reason="the C kernel is not built")


def _queued_items(tmp_path: Any) -> list[Any]:
    """Call items as a guard queues them: plain ones, with an error, with sources, non-ASCII."""
    sink = gw.JsonlSink(tmp_path / "src.jsonl", flush_interval=3600, batch_size=10**6)
    guard = gw.Guard("g", input=[gw.PII(["EMAIL_ADDRESS"], action="redact"), gw.DenyTerms(["smurfing"])],
                     audit=sink)
    def model(prompt: str) -> str:
        if prompt == "fail":
            raise ValueError("the model failed")
        return "fine " + prompt[:5]

    ask = guard(model)
    for i in range(300):
        if i % 50 == 7:
            with context(sources=[("doc", "text")]):
                ask(f"mail a{i}@example.com please")
        elif i % 50 == 11:
            with pytest.raises(gw.Blocked):
                ask("smurfing")
        elif i % 50 == 13:
            with pytest.raises(ValueError):
                ask("fail")
        else:
            ask(("é" if i % 3 else "") + f"question {i} " * (i % 40))
    items = [it for it in sink._q if type(it) is tuple]
    sink._q.clear()
    sink.close()
    return items


def _write_all(tmp_path: Any, name: str, items: list[Any], monkeypatch: Any, fused: bool, run_bytes: int,
               gil_free: int, checkpoint_every: int) -> bytes:
    monkeypatch.setattr(_jsonl, "_FUSED", fused)
    monkeypatch.setattr(_jsonl, "_RUN_BYTES", run_bytes)
    monkeypatch.setattr(_jsonl, "_GIL_FREE_BYTES", gil_free)
    path = tmp_path / name
    sink = gw.JsonlSink(path, flush_interval=3600, checkpoint_every=checkpoint_every)
    sink.flush()  # the open record
    written: list[bytes] = []
    with sink._io_lock:
        start = sink._size
        sink._chain = Chainer("0123456789abcdef", 10, "f" * 64)
        for k in range(0, len(items), 97):
            sink._write(items[k:k + 97])
        with open(path, "rb") as f:
            f.seek(start)
            written.append(f.read())
    sink.close()
    prev = "f" * 64
    for line in written[0].splitlines():  # a chain of its own (the file's open record is another's)
        rec = orjson.loads(line)
        assert rec["prev_hash"] == prev and rec["hash"] == record_hash(rec)
        prev = rec["hash"]
    return written[0]


@needs_kernel
@pytest.mark.parametrize(("run_bytes", "gil_free", "checkpoint_every"),
                         [(1 << 18, 1 << 16, 10_000), (1, 0, 10_000), (5000, -1, 10_000), (1 << 18, 0, 7)])
def test_the_one_pass_path_writes_what_the_two_step_path_writes(tmp_path, monkeypatch, run_bytes, gil_free,
                                                                 checkpoint_every):
    items = _queued_items(tmp_path)
    two = _write_all(tmp_path, "two.jsonl", items, monkeypatch, False, run_bytes, gil_free, checkpoint_every)
    one = _write_all(tmp_path, "one.jsonl", items, monkeypatch, True, run_bytes, gil_free, checkpoint_every)
    a, b = two.splitlines(), one.splitlines()
    assert len(a) == len(b) >= len(items)
    assert b'"sources":' in one and b'"error":' in one  # items the kernel leaves to Python, among the runs
    for x, y in zip(a, b, strict=True):
        rx, ry = orjson.loads(x), orjson.loads(y)
        if rx["type"] == "checkpoint":  # signed at its own time
            assert {k: v for k, v in rx.items() if k not in ("ts", "hash", "sig")} == \
                   {k: v for k, v in ry.items() if k not in ("ts", "hash", "sig")}
            break  # (the chain differs from here on: the checkpoint's time is in its hash)
        assert x == y


@needs_kernel
def test_a_run_the_kernel_gives_up_on_takes_the_two_step_path(tmp_path, monkeypatch):
    """An error in the one-pass kernel (memory, say) costs nothing: the run is written the other way."""
    items = _queued_items(tmp_path)
    two = _write_all(tmp_path, "two.jsonl", items, monkeypatch, False, 1 << 18, 0, 10_000)

    def failing(self: Any, *args: Any) -> Any:
        raise MemoryError

    monkeypatch.setattr(_jsonl.Chainer, "seal_calls", failing)
    one = _write_all(tmp_path, "one.jsonl", items, monkeypatch, True, 1 << 18, 0, 10_000)
    assert one == two


def test_a_short_writev_is_completed(tmp_path, monkeypatch):
    """``writev`` may write less than asked (a signal, a nearly full disk): the rest follows, in order."""
    real = os.writev
    calls = []

    def short(fd: int, parts: list[bytes]) -> int:
        calls.append(len(parts))
        total = sum(len(p) for p in parts)
        return real(fd, [b"".join(parts)[: max(1, total // 3)]])

    monkeypatch.setattr(_jsonl, "_writev", short)
    monkeypatch.setattr(_jsonl, "_IOV_MAX", 3)
    sink = gw.JsonlSink(tmp_path / "s.jsonl", flush_interval=3600)
    parts = [bytes([65 + k]) * (k * 7 + 1) for k in range(10)]
    with sink._io_lock:
        size = sink._size
        sink._append_all(parts)
        assert sink._size == size + sum(len(p) for p in parts)
        with open(tmp_path / "s.jsonl", "rb") as f:
            f.seek(size)
            assert f.read() == b"".join(parts)
        os.ftruncate(sink._fd, size)
        sink._size = size
    sink.close()
    assert calls and max(calls) <= 3


def test_sustained_calls_write_a_log_that_verifies(tmp_path):
    """Many calls through the one-pass path (runs large enough to hash without the GIL while the
    caller runs), every call in the log, in order, intact."""
    path = tmp_path / "busy.jsonl"
    guard = gw.Guard("g", audit=gw.JsonlSink(path, batch_size=512))
    ask = guard(lambda prompt: "answer " * 20)
    for i in range(6000):
        with context(request_id=f"r{i}"):
            ask("question " * 30)
    guard.close()
    calls = [r for r in map(orjson.loads, path.read_bytes().splitlines()) if r["type"] == "call"]
    assert [c["request_id"] for c in calls] == [f"r{i}" for i in range(6000)]
    assert verify(path).status == "intact"
