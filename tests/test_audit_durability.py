"""The writer under stress: many threads and tasks at once, SIGKILL mid-write, fork, exit."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
import warnings
from pathlib import Path

import orjson
import pytest

import guardwrap as gw
from guardwrap.audit import verify

SRC = str(Path(__file__).resolve().parents[1] / "src")


def records(path):
    data = Path(path).read_bytes()
    lines = data.splitlines()
    if data and not data.endswith(b"\n"):
        lines = lines[:-1]  # a line torn by the kill: verify reports it, it holds no whole record
    return [orjson.loads(x) for x in lines]


def test_threads_and_tasks_at_once_lose_nothing_and_keep_order(tmp_path):
    p = tmp_path / "mt.jsonl"
    sink = gw.JsonlSink(p, durability="sync", batch_size=64)
    n_threads, per = 16, 1500

    def worker(t):
        for i in range(per):
            sink.emit({"type": "decision", "who": f"t{t}", "i": i})
            if i % 50 == 49:
                sink.barrier()

    async def task(k):
        for i in range(per):
            sink.emit({"type": "decision", "who": f"a{k}", "i": i})
            if i % 100 == 99:
                await asyncio.sleep(0)

    async def tasks():
        await asyncio.gather(*(task(k) for k in range(4)))

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(n_threads)]
    threads.append(threading.Thread(target=asyncio.run, args=(tasks(),)))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    sink.close()

    recs = records(p)  # every line parses: nothing interleaved
    seen: dict[str, list[int]] = {}
    for r in recs:
        if r["type"] == "decision":
            seen.setdefault(r["who"], []).append(r["i"])
    assert len(seen) == n_threads + 4
    for who, order in seen.items():
        assert order == list(range(per)), who  # none lost or duplicated, per-writer order kept
    assert [r["seq"] for r in recs] == list(range(len(recs)))
    assert verify(p).ok


CHILD = textwrap.dedent("""
    import sys, guardwrap as gw
    path, durability = sys.argv[1], sys.argv[2]
    out = sys.stdout
    if durability == "sync":
        guard = gw.Guard("crash", audit=gw.JsonlSink(path, durability="sync"))

        @guard
        def ask(prompt: str) -> str:
            return "fine"

        i = 0
        while True:
            with gw.context(request_id=f"r{i}"):
                ask("hello")
            out.write(f"r{i}\\n")   # the call has returned
            out.flush()
            i += 1
    else:
        sink = gw.JsonlSink(path, durability="batch", batch_size=256)
        i = 0
        while True:
            for _ in range(500):
                sink.emit({"type": "decision", "i": i})
                i += 1
            sink.flush()
            out.write(f"{i}\\n")      # records below i are durable
            out.flush()
""")


def _run_and_kill(tmp_path, durability):
    p = tmp_path / f"crash-{durability}.jsonl"
    env = dict(os.environ, PYTHONPATH=SRC)
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(p), durability], stdout=subprocess.PIPE,
                            env=env)
    first = proc.stdout.readline()  # started and wrote at least once
    assert first
    time.sleep(random.uniform(0.05, 0.4))
    os.kill(proc.pid, signal.SIGKILL)
    rest = proc.stdout.read()
    proc.wait()
    reported = (first + rest).decode().split()
    return p, reported


@pytest.mark.parametrize("round_", range(2))
def test_sigkill_with_sync_durability_keeps_every_returned_call(tmp_path, round_):
    p, returned = _run_and_kill(tmp_path, "sync")
    report = verify(p)
    assert report.ok, str(report)
    logged = {r.get("request_id") for r in records(p) if r.get("type") == "call"}
    missing = [rid for rid in returned if rid not in logged]
    assert not missing
    assert len(returned) > 0


def test_sigkill_with_batch_durability_loses_at_most_the_unflushed_tail(tmp_path):
    p, acks = _run_and_kill(tmp_path, "batch")
    report = verify(p)
    assert report.ok, str(report)
    got = [r["i"] for r in records(p) if r.get("type") == "decision"]
    assert got == list(range(len(got)))  # a prefix: nothing missing in the middle
    assert len(got) >= int(acks[-1])  # everything flushed before the kill is there
    # and the chain resumes cleanly after the crash
    with gw.JsonlSink(p) as sink:
        sink.emit({"type": "decision", "i": -1})
    assert verify(p).ok


def test_records_are_flushed_at_interpreter_exit(tmp_path):
    p = tmp_path / "exit.jsonl"
    code = ("import guardwrap as gw, sys\n"
            "s = gw.JsonlSink(sys.argv[1], flush_interval=60)\n"
            "for i in range(1000): s.emit({'type': 'decision', 'i': i})\n")
    subprocess.run([sys.executable, "-c", code, str(p)], check=True, env=dict(os.environ, PYTHONPATH=SRC))
    recs = records(p)
    assert sum(r["type"] == "decision" for r in recs) == 1000
    assert recs[-1]["type"] == "checkpoint"  # closed properly: the anchor covers everything
    assert verify(p).ok


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_gets_its_own_file_and_chain(tmp_path):
    p = tmp_path / "fork.jsonl"
    sink = gw.JsonlSink(p)
    for i in range(10):
        sink.emit({"type": "decision", "who": "parent", "i": i})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        code = 1
        try:
            for i in range(5):
                sink.emit({"type": "decision", "who": "child", "i": i})
            sink.close()
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    for i in range(10, 20):
        sink.emit({"type": "decision", "who": "parent", "i": i})
    sink.close()

    parent = records(p)
    assert [r["i"] for r in parent if r["type"] == "decision"] == list(range(20))
    assert all(r.get("who") != "child" for r in parent)
    assert verify(p).ok
    child_path = tmp_path / f"fork.child-{pid}.jsonl"
    child = records(child_path)
    assert child[0]["event"] == "fork" and child[0]["parent_chain"] == parent[0]["chain"]
    assert child[0]["chain"] != parent[0]["chain"]
    assert [r["i"] for r in child if r["type"] == "decision"] == list(range(5))
    assert verify(child_path).ok


def test_group_commit_concurrent_sync_callers_share_fsyncs(tmp_path, monkeypatch):
    sink = gw.JsonlSink(tmp_path / "gc.jsonl", durability="sync")
    real_sync = sink._sync
    syncs = {"n": 0}

    def slow_sync():  # a slow disk: callers pile up behind the fsync in progress
        syncs["n"] += 1
        time.sleep(0.01)
        real_sync()

    monkeypatch.setattr(sink, "_sync", slow_sync)
    calls = 8 * 10

    def caller(t):
        for i in range(10):
            sink.emit({"type": "call", "who": t, "i": i})
            sink.barrier()

    threads = [threading.Thread(target=caller, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    sink.close()
    assert syncs["n"] < calls / 2  # far fewer fsyncs than durable calls
    assert sum(r["type"] == "call" for r in records(tmp_path / "gc.jsonl")) == calls


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_writes_its_own_chain_into_the_same_sqlite_file(tmp_path):
    p = tmp_path / "fork.db"
    sink = gw.SqliteSink(p)
    sink.emit({"type": "decision", "who": "parent"})
    sink.flush()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        code = 1
        try:
            sink.emit({"type": "decision", "who": "child"})
            sink.close()
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    sink.emit({"type": "decision", "who": "parent"})
    sink.close()
    report = verify(p)
    assert report.ok, str(report)
    assert report.chains == 2
    whos = [r.get("who") for r in gw.audit.read_records(p) if r["type"] == "decision"]
    assert sorted(whos) == ["child", "parent", "parent"]
