"""Processes: multiprocessing children (fork), os._exit, SIGKILL of a process in the middle of an
outage, a restarted process continuing its chain. Each child writes its own chain, and records are
flushed when a multiprocessing child ends."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time
import warnings
from pathlib import Path

import pytest

import guardwrap as gw
from guardwrap.audit import read_records, verify

SRC = str(Path(__file__).resolve().parents[2] / "src")
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


def _child_calls(guard_holder, n, tag):
    guard = guard_holder[0]
    ask = guard(lambda prompt: "fine")
    for i in range(n):
        with gw.context(request_id=f"{tag}-{i}"):
            ask("hello")


_HOLDER: list = []


def _work(tag):
    _child_calls(_HOLDER, 200, tag)


@pytest.mark.parametrize("kind", ["jsonl", "sqlite"])
def test_multiprocessing_children_keep_every_call(tmp_path, kind):
    path = tmp_path / ("mp.jsonl" if kind == "jsonl" else "mp.db")
    sink = gw.JsonlSink(path) if kind == "jsonl" else gw.SqliteSink(path)
    guard = gw.Guard("bot", audit=sink)
    _HOLDER[:] = [guard]
    ask = guard(lambda prompt: "fine")
    ask("parent")
    ctx = multiprocessing.get_context("fork")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        procs = [ctx.Process(target=_work, args=(f"c{k}",)) for k in range(6)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
    assert [p.exitcode for p in procs] == [0] * 6
    guard.close()
    if kind == "jsonl":
        files = sorted(tmp_path.glob("mp.child-*.jsonl"))
        assert len(files) == 6
        sources = files
    else:
        sources = [path]
    got: dict[str, int] = {}
    for src in sources:
        r = verify(src)
        assert r.status == "intact", str(r)
        for rec in read_records(src):
            if rec["type"] == "call":
                tag = rec["request_id"].split("-")[0] if rec["request_id"] else "parent"
                got[tag] = got.get(tag, 0) + 1
    assert all(got.get(f"c{k}") == 200 for k in range(6)), got  # 1200 of 1200


EXIT_CHILD = textwrap.dedent("""
    import os, sys, guardwrap as gw
    path, durability = sys.argv[1], sys.argv[2]
    guard = gw.Guard("bot", audit=gw.JsonlSink(path, durability=durability, flush_interval=60))
    ask = guard(lambda prompt: "fine")
    for i in range(300):
        ask("hello")
    os._exit(0)   # no atexit, no flush
""")


def test_os_exit_loses_the_queue_unless_durability_is_sync(tmp_path):
    env = dict(os.environ, PYTHONPATH=SRC)
    got = {}
    for durability in ("batch", "sync"):
        p = tmp_path / f"exit-{durability}.jsonl"
        subprocess.run([sys.executable, "-c", EXIT_CHILD, str(p), durability], check=True, env=env)
        got[durability] = sum(1 for r in read_records(p) if r["type"] == "call") if p.exists() else 0
        if p.exists():
            assert verify(p).ok
    assert got["sync"] == 300  # each call returned only once its record was on disk
    assert got["batch"] < 300  # documented: os._exit skips the flush at exit


def test_a_restarted_process_continues_its_chain(tmp_path):
    p = tmp_path / "r.jsonl"
    code = ("import sys, guardwrap as gw\n"
            "g = gw.Guard('bot', audit=gw.JsonlSink(sys.argv[1]))\n"
            "ask = g(lambda prompt: 'fine')\n"
            "for i in range(50): ask('hi')\n")
    env = dict(os.environ, PYTHONPATH=SRC)
    for _ in range(3):
        subprocess.run([sys.executable, "-c", code, str(p)], check=True, env=env)
    recs = list(read_records(p))
    assert len({r["chain"] for r in recs}) == 1
    assert [r["seq"] for r in recs] == list(range(len(recs)))
    assert sum(r.get("event") == "resume" for r in recs) == 2
    assert verify(p).status == "intact"


OUTAGE_KILL = textwrap.dedent("""
    import sys, guardwrap as gw
    guard = gw.Guard("bot", audit=gw.SqliteSink(sys.argv[1]))
    ask = guard(lambda prompt: "fine")
    for i in range(100):
        ask("hi")
    guard.flush()
    print("ready", flush=True)
    i = 0
    while True:
        ask("hi")
        i += 1
        if i == 200:
            print("more", flush=True)
""")


def test_sigkill_during_an_outage_never_taints_the_log(tmp_path):
    p = tmp_path / "k.db"
    proc = subprocess.Popen([sys.executable, "-c", OUTAGE_KILL, str(p)], stdout=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONPATH=SRC))
    assert proc.stdout.readline().strip() == "ready"
    locker = subprocess.Popen([sys.executable, "-c",
                               "import sqlite3, sys, time\n"
                               "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
                               "c.execute('BEGIN EXCLUSIVE'); print('locked', flush=True); time.sleep(3)\n",
                               str(p)], stdout=subprocess.PIPE, text=True)
    assert locker.stdout.readline().strip() == "locked"
    assert proc.stdout.readline().strip() == "more"
    time.sleep(0.3)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    locker.wait(30)
    r = verify(p)
    assert r.ok, str(r)
    assert sum(1 for x in read_records(p) if x["type"] == "call") >= 100
