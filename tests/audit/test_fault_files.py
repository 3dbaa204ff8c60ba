"""The log's file or directory changes under the writer: removed, replaced, truncated, or its
permissions revoked. The writer notices (device and inode, size), starts a new chain linked to the
old one, and ``verify`` reports the loss instead of tampering."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import orjson
import pytest

import guardwrap as gw
from guardwrap.audit import read_records, verify

SRC = str(Path(__file__).resolve().parents[2] / "src")


def recs(path):
    return [orjson.loads(x) for x in Path(path).read_bytes().splitlines()]


def make(path, **kw):
    guard = gw.Guard("bot", audit=gw.JsonlSink(path, checkpoint_every=20, **kw))
    return guard, guard(lambda prompt: "fine")


def calls(ask, a, b):
    for i in range(a, b):
        with gw.context(request_id=f"r{i}"):
            ask("hi")


@pytest.mark.parametrize("how", ["file", "directory"])
def test_a_log_removed_while_open_starts_a_linked_chain_and_verify_reports_the_loss(tmp_path, how):
    d = tmp_path / "logs"
    p = d / "a.jsonl"
    guard, ask = make(p)
    calls(ask, 0, 30)
    guard.flush()
    old_chain = recs(p)[0]["chain"]
    if how == "file":
        os.remove(p)
    else:
        shutil.rmtree(d)
    calls(ask, 30, 60)
    guard.close()
    new = recs(p)
    link = new[0]
    assert link["event"] == "reopen" and link["reason"] == "file-removed"
    assert link["previous_chain"] == old_chain and link["seq"] == 0 and link["chain"] != old_chain
    assert link["records_gone"] == link["previous_seq"] + 1
    assert [r["request_id"] for r in new if r["type"] == "call"] == [f"r{i}" for i in range(30, 60)]
    r = verify(p)
    assert (r.status, r.exit_code) == ("gaps", 3), str(r)
    assert r.gaps[0].kind == "chain-restarted" and r.gaps[0].reason == "file-removed"
    assert r.lost == link["previous_seq"] + 1


def test_a_removed_active_file_next_to_surviving_segments(tmp_path):
    p = tmp_path / "rot.jsonl"
    guard, ask = make(p, rotate_bytes=4096, batch_size=8)
    calls(ask, 0, 60)
    guard.flush()
    guard.flush()  # the first returns once the records are on disk, perhaps before a rotation ends
    from guardwrap.audit._jsonl import segment_paths

    assert segment_paths(p)
    os.remove(p)
    calls(ask, 60, 80)
    guard.close()
    r = verify(p)
    assert r.status == "gaps" and r.chains == 2, str(r)
    gone = [g for g in r.gaps if g.kind == "chain-restarted"]
    assert len(gone) == 1 and gone[0].seqs[0][0] > 0  # only the removed file's seqs, not the segments'
    got = {x["request_id"] for x in read_records(p) if x["type"] == "call"}
    assert {f"r{i}" for i in range(60, 80)} <= got


def test_a_replaced_file_and_a_truncated_file(tmp_path):
    p = tmp_path / "t.jsonl"
    guard, ask = make(p)
    calls(ask, 0, 10)
    guard.flush()
    os.rename(p, tmp_path / "moved.jsonl")  # logrotate's move
    p.write_bytes(b"")
    calls(ask, 10, 20)
    guard.flush()
    assert recs(p)[0]["reason"] == "file-replaced"
    assert verify(tmp_path / "moved.jsonl").ok  # the moved file is intact on its own
    with open(p, "r+b") as f:  # copytruncate
        f.truncate(0)
    calls(ask, 20, 30)
    guard.close()
    rs = recs(p)
    assert rs[0]["reason"] == "file-truncated"
    r = verify(p)
    assert r.status == "gaps", str(r)


def test_an_anchor_that_cannot_be_written_lags_and_costs_no_record(tmp_path, monkeypatch):
    from guardwrap.audit import _jsonl

    p = tmp_path / "an.jsonl"
    guard, ask = make(p)
    real = _jsonl.write_anchor_file
    state = {"fail": True}

    def anchor(path, data):
        if state["fail"]:
            raise PermissionError(13, "Permission denied")
        return real(path, data)

    monkeypatch.setattr(_jsonl, "write_anchor_file", anchor)
    calls(ask, 0, 100)
    guard.flush()
    sink = guard.sinks[0]
    assert sink.dropped_total == 0 and sink.outage is None
    state["fail"] = False
    calls(ask, 100, 110)
    guard.close()
    assert sum(r["type"] == "call" for r in recs(p)) == 110
    assert verify(p).status == "intact"


PERM_CHILD = textwrap.dedent("""
    import os, sys, time
    import guardwrap as gw, guardwrap.audit._jsonl, guardwrap.audit._verify  # everything imported first
    path = sys.argv[1]
    guard = gw.Guard("bot", audit=gw.JsonlSink(path, checkpoint_every=10, rotate_bytes=8192))
    ask = guard(lambda prompt: "fine")
    os.setgid(65534); os.setuid(65534)   # from here on an ordinary user
    for i in range(20):
        ask("hi")
    guard.flush()
    print("ready", flush=True)
    sys.stdin.readline()                  # the test revokes the directory's permissions meanwhile
    for i in range(200):
        ask("hi")
    guard.flush()
    print("done", guard.sinks[0].dropped_total, flush=True)
    sys.stdin.readline()                  # ... and gives them back
    for i in range(20):
        ask("hi")
    guard.close()
    print("closed", guard.sinks[0].dropped_total, flush=True)
""")


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to drop to another user (CI runs as root)")
def test_permissions_revoked_while_open(tmp_path):
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="gw-perm-", dir="/tmp"))  # a path another user can reach
    base.chmod(0o755)
    d = base / "perm"
    d.mkdir()
    os.chown(d, 65534, 65534)
    p = d / "p.jsonl"
    proc = subprocess.Popen([sys.executable, "-c", PERM_CHILD, str(p)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, env=dict(os.environ, PYTHONPATH=SRC))
    assert proc.stdout.readline().strip() == "ready"
    os.chown(d, 0, 0)
    d.chmod(0o500)  # the writer can no longer create its anchor or rotate, only append
    proc.stdin.write("\n")
    proc.stdin.flush()
    done = proc.stdout.readline().split()
    assert done == ["done", "0"]  # nothing counted as lost: the records kept going into the file
    os.chown(d, 65534, 65534)
    d.chmod(0o755)
    proc.stdin.write("\n")
    proc.stdin.flush()
    assert proc.stdout.readline().split() == ["closed", "0"]
    assert proc.wait(30) == 0
    assert sum(r["type"] == "call" for r in read_records(p)) == 240
    r = verify(p)
    assert r.status == "intact", str(r)
    shutil.rmtree(base)
