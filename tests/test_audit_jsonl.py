"""JsonlSink and verify: the tamper matrix, big intact logs, resumption, rotation, signatures."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import orjson
import pytest

import guardwrap as gw
from guardwrap.audit import verify
from guardwrap.audit._chain import canonical


def write_log(path, n=50, **kw):
    kw.setdefault("checkpoint_every", 10)
    with gw.JsonlSink(path, **kw) as sink:
        for i in range(n):
            sink.emit({"schema": "guardwrap.audit/1", "type": "decision", "ts": time.time(),
                       "validator": "v", "outcome": "pass", "i": i})
    return path


def lines_of(path):
    with open(path, "rb") as f:
        return f.read().splitlines(keepends=True)


def write_lines(path, lines):
    with open(path, "wb") as f:
        f.writelines(lines)


def seq_at(lines, idx):
    return orjson.loads(lines[idx])["seq"]


def data_line_index(lines, seq):
    """Index of the line holding ``seq`` (only used for ordinary decision records)."""
    for i, line in enumerate(lines):
        rec = orjson.loads(line)
        if rec["seq"] == seq:
            assert rec["type"] == "decision"
            return i
    raise AssertionError(seq)


@pytest.fixture
def log(tmp_path):
    return write_log(tmp_path / "a.jsonl")


def test_intact_log_verifies_with_signatures(log):
    report = verify(log)
    assert report.ok, str(report)
    assert report.signatures_checked
    assert report.checkpoints >= 5
    assert str(report).startswith("OK: ")
    assert report.records == len(lines_of(log))


def test_modify_a_field(log):
    lines = lines_of(log)
    i = data_line_index(lines, 20)
    rec = orjson.loads(lines[i])
    rec["outcome"] = "blocked"
    lines[i] = orjson.dumps(rec) + b"\n"
    write_lines(log, lines)
    r = verify(log)
    assert (r.ok, r.kind, r.seq) == (False, "modified", 20)
    assert "seq 20" in str(r)


def test_delete_a_line(log):
    lines = lines_of(log)
    del lines[data_line_index(lines, 17)]
    write_lines(log, lines)
    r = verify(log)
    assert (r.ok, r.kind, r.seq) == (False, "deleted", 17)


def test_insert_a_copied_line(log):
    lines = lines_of(log)
    i = data_line_index(lines, 30)
    lines.insert(i + 3, lines[data_line_index(lines, 8)])
    write_lines(log, lines)
    r = verify(log)
    assert (r.ok, r.kind, r.seq) == (False, "inserted", 8)


def test_insert_a_copy_of_a_later_line_earlier(log):
    lines = lines_of(log)
    lines.insert(data_line_index(lines, 5), lines[data_line_index(lines, 40)])
    write_lines(log, lines)
    r = verify(log)
    assert (r.ok, r.kind, r.seq) == (False, "inserted", 40)


def test_swap_two_lines(log):
    lines = lines_of(log)
    i, j = data_line_index(lines, 24), data_line_index(lines, 25)
    lines[i], lines[j] = lines[j], lines[i]
    write_lines(log, lines)
    r = verify(log)
    assert (r.ok, r.kind, r.seq) == (False, "reordered", 24)


def test_truncate_the_tail(log):
    lines = lines_of(log)
    last = seq_at(lines, -1)
    write_lines(log, lines[:-4])
    r = verify(log)
    assert (r.ok, r.kind, r.seq) == (False, "truncated", last - 3)


def _rehash(rec):
    rec.pop("hash", None)
    rec["hash"] = hashlib.sha256(canonical(rec)).hexdigest()
    return rec


def test_forge_one_record_with_recomputed_hash(log):
    lines = lines_of(log)
    i = data_line_index(lines, 33)
    rec = orjson.loads(lines[i])
    rec["outcome"] = "blocked"
    lines[i] = orjson.dumps(_rehash(rec)) + b"\n"
    write_lines(log, lines)
    r = verify(log)
    assert (r.ok, r.kind, r.seq) == (False, "modified", 33)


def test_forge_and_rechain_everything_without_the_key(log):
    # The forger edits one record and recomputes every later hash: only the signatures catch it.
    lines = lines_of(log)
    recs = [orjson.loads(x) for x in lines]
    target = data_line_index(lines, 12)
    recs[target]["outcome"] = "blocked"
    prev = recs[target - 1]["hash"]
    for rec in recs[target:]:
        rec["prev_hash"] = prev
        prev = _rehash(rec)["hash"]
    write_lines(log, [orjson.dumps(r) + b"\n" for r in recs])
    r = verify(log)
    first_cp = next(x["seq"] for x in recs[target:] if x["type"] == "checkpoint")
    assert (r.ok, r.kind, r.seq) == (False, "bad-signature", first_cp)
    assert first_cp - 12 < 12  # named within one checkpoint interval of the forged record


def test_wrong_key_is_a_key_mismatch_not_tampering(log):
    r = verify(log, key="another-key-0123456789abcdef0123456789abcdef")
    assert (r.ok, r.status, r.exit_code, r.kind) == (False, "key-mismatch", 2, None)
    assert "KEY MISMATCH" in str(r) and "TAMPERED" not in str(r)


def test_anchor_forged_is_a_bad_signature(log):
    ap = f"{log}.anchor"
    anchor = orjson.loads(Path(ap).read_bytes())
    anchor["seq"] -= 1
    Path(ap).write_bytes(orjson.dumps(anchor))
    r = verify(log)
    assert (r.ok, r.kind) == (False, "bad-signature")


def test_torn_last_line_from_a_crash_verifies_and_is_cut_on_reopen(log):
    with open(log, "ab") as f:
        f.write(b'{"schema":"guardwrap.audit/1","ty')
    r = verify(log)
    assert r.ok and r.torn_tail
    with gw.JsonlSink(log) as sink:
        sink.emit({"type": "decision", "ts": 1.0})
    r = verify(log)
    assert r.ok and not r.torn_tail, str(r)
    # the cut stays visible: verify says a crash left a partial record
    assert r.crash_cuts == 1 and "partial record(s) a crash left" in str(r)
    recs = [orjson.loads(x) for x in lines_of(log)]
    resume = [x for x in recs if x.get("event") == "resume"]
    assert resume and resume[0]["torn_bytes"] == len(b'{"schema":"guardwrap.audit/1","ty')


def test_reopen_continues_the_chain(tmp_path):
    p = tmp_path / "r.jsonl"
    write_log(p, 10)
    n1 = len(lines_of(p))
    write_log(p, 10)
    recs = [orjson.loads(x) for x in lines_of(p)]
    assert [r["seq"] for r in recs] == list(range(len(recs)))
    assert len({r["chain"] for r in recs}) == 1
    assert recs[n1]["event"] == "resume"
    assert verify(p).ok


def test_rotation_carries_the_chain(tmp_path):
    p = tmp_path / "rot.jsonl"
    write_log(p, 400, rotate_bytes=8192, batch_size=16)
    from guardwrap.audit._jsonl import segment_paths

    segs = segment_paths(p)
    assert len(segs) >= 3
    r = verify(p)
    assert r.ok, str(r)
    assert r.records == sum(len(lines_of(s)) for s in [*segs, p])
    # deleting a middle segment is caught
    os.remove(segs[1])
    r = verify(p)
    assert (r.ok, r.kind) == (False, "deleted")


def test_ed25519_signatures(tmp_path):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    priv = Ed25519PrivateKey.generate()
    p = write_log(tmp_path / "ed.jsonl", 30, signing_key=priv)
    r = verify(p, key=priv.public_key())
    assert r.ok and r.signatures_checked, str(r)
    other = Ed25519PrivateKey.generate().public_key()
    r = verify(p, key=other)
    assert (r.ok, r.status) == (False, "key-mismatch")


def test_no_key_checks_the_chain_only(log, monkeypatch):
    monkeypatch.delenv("GUARDWRAP_AUDIT_KEY")
    r = verify(log)
    assert r.ok and not r.signatures_checked
    assert "NOT checked" in str(r)


def test_intact_100k_records_verify(tmp_path):
    p = tmp_path / "big.jsonl"
    rec = {"schema": "guardwrap.audit/1", "type": "decision", "validator": "pii", "outcome": "fixed",
           "findings": [{"entity_type": "EMAIL_ADDRESS", "start": 3, "end": 20, "score": 0.9}]}
    with gw.JsonlSink(p) as sink:
        for i in range(100_000):
            sink.emit(dict(rec, ts=1.7e9 + i))
    r = verify(p)
    assert r.ok, str(r)
    assert r.records >= 100_000


def test_drop_leaves_a_gap_record_in_the_chain(tmp_path):
    p = tmp_path / "drop.jsonl"
    sink = gw.JsonlSink(p, on_full="drop", queue_size=1, flush_interval=10)
    for i in range(500):
        sink.emit({"type": "decision", "i": i})
    sink.close()
    recs = [orjson.loads(x) for x in lines_of(p)]
    gaps = [r for r in recs if r["type"] == "gap"]
    written = sum(1 for r in recs if r["type"] == "decision")
    assert gaps and sum(g["dropped"] for g in gaps) == 500 - written
    assert sink.dropped_total == 500 - written
    assert verify(p).ok


def test_raise_when_full(tmp_path):
    sink = gw.JsonlSink(tmp_path / "raise.jsonl", on_full="raise", queue_size=1, flush_interval=10)
    try:
        with pytest.raises(gw.AuditError, match="queue is full"):
            for i in range(10_000):
                sink.emit({"type": "decision", "i": i})
    finally:
        sink.close()


def test_emit_after_close_raises(tmp_path):
    sink = gw.JsonlSink(tmp_path / "c.jsonl")
    sink.close()
    with pytest.raises(gw.AuditError, match="closed"):
        sink.emit({"type": "decision"})


@pytest.mark.parametrize(("kw", "key"), [
    ({"durability": "always"}, "audit.durability"),
    ({"on_full": "wait"}, "audit.on_full"),
    ({"queue_size": 0}, "audit.queue_size"),
    ({"checkpoint_every": 0}, "audit.checkpoint_every"),
])
def test_bad_configuration_names_the_key(tmp_path, kw, key):
    with pytest.raises(gw.PolicyError, match=key.replace(".", r"\.")):
        gw.JsonlSink(tmp_path / "x.jsonl", **kw)


def test_sync_durability_exposes_a_barrier(tmp_path):
    with gw.JsonlSink(tmp_path / "s.jsonl", durability="sync") as s, \
            gw.JsonlSink(tmp_path / "b.jsonl") as b:
        assert callable(s.barrier)
        assert b.barrier is None
        s.emit({"type": "decision"})
        s.barrier()
        assert b'"type":"decision"' in (tmp_path / "s.jsonl").read_bytes()


def test_guard_with_a_path_writes_a_verifiable_log(tmp_path):
    p = tmp_path / "g.jsonl"
    guard = gw.Guard("bot", audit=str(p))

    @guard
    def ask(prompt: str) -> str:
        return "ok"

    for _ in range(5):
        ask("hello")
    guard.close()
    recs = [orjson.loads(x) for x in lines_of(p)]
    assert sum(r["type"] == "call" for r in recs) == 5
    assert verify(p).ok


def test_no_key_warns_once_per_process_and_import_stays_light(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys, warnings\n"
        "warnings.simplefilter('always')\n"
        "import guardwrap as gw\n"
        "heavy = [m for m in ('psycopg', 'opentelemetry', 'guardwrap.audit._writer') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "with warnings.catch_warnings(record=True) as w:\n"
        "    warnings.simplefilter('always')\n"
        "    a = gw.JsonlSink(sys.argv[1] + '/a.jsonl'); b = gw.JsonlSink(sys.argv[1] + '/b.jsonl')\n"
        "    a.close(); b.close()\n"
        "print(sum(issubclass(x.category, gw.GuardwrapWarning) for x in w))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "GUARDWRAP_AUDIT_KEY"}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1] / "src")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], env=env, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "1"


def test_a_failed_write_is_cut_and_retried_and_the_outage_recorded(tmp_path, monkeypatch):
    p = tmp_path / "fail.jsonl"
    sink = gw.JsonlSink(p, flush_interval=10)
    sink.emit({"type": "decision", "i": 0})
    sink.flush()
    real_write = os.write
    calls = {"n": 0}

    def failing_write(fd, data):
        calls["n"] += 1
        if calls["n"] == 1:
            real_write(fd, bytes(data)[:10])  # a partial line, then the disk is full
            raise OSError(28, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", failing_write)
    sink.emit({"type": "decision", "i": 1})
    sink.emit({"type": "decision", "i": 2})
    sink.flush()  # held, retried after a short backoff, written
    sink.emit({"type": "decision", "i": 3})
    sink.close()
    monkeypatch.undo()
    recs = [orjson.loads(x) for x in lines_of(p)]  # the partial line was cut: every line parses
    assert [r["i"] for r in recs if r["type"] == "decision"] == [0, 1, 2, 3]
    outage = [r for r in recs if r.get("event") == "outage"]
    assert len(outage) == 1 and outage[0]["cause"] == "disk-full" and outage[0]["attempts"] >= 1
    assert not [r for r in recs if r["type"] == "gap"] and sink.dropped_total == 0
    r = verify(p)
    assert (r.status, r.exit_code, r.outages) == ("intact", 0, 1)


def test_a_missing_anchor_is_reported(log):
    os.remove(f"{log}.anchor")
    r = verify(log)
    assert r.ok and "no head anchor" in str(r)
