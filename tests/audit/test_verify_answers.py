"""``guardwrap audit verify`` gives one of its answers and never a wrong one: 0 intact, 3 intact
with recorded gaps (listed), 1 tampered, 2 usage or read error (a key mismatch included)."""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

import orjson

import guardwrap as gw
from guardwrap._cli import main
from guardwrap.audit import verify

KEY_A = "key-a-0123456789abcdef0123456789abcdef"
KEY_B = "key-b-0123456789abcdef0123456789abcdef"


def write(path, n=30, **kw):
    kw.setdefault("checkpoint_every", 10)
    with gw.JsonlSink(path, **kw) as sink:
        for i in range(n):
            sink.emit({"type": "decision", "ts": time.time(), "i": i})
    return path


def exit_of(capsys, *argv):
    code = main(["audit", "verify", *map(str, argv)])
    return code, capsys.readouterr()


def test_intact_is_zero(tmp_path, capsys):
    code, out = exit_of(capsys, write(tmp_path / "a.jsonl"))
    assert code == 0 and out.out.startswith("OK: ")


def test_recorded_gaps_are_three_and_listed(tmp_path, capsys):
    p = tmp_path / "g.jsonl"
    sink = gw.JsonlSink(p, on_full="drop", queue_size=1, flush_interval=10)
    for i in range(300):
        sink.emit({"type": "decision", "i": i})
    sink.close()
    code, out = exit_of(capsys, p)
    assert code == 3, out.out
    assert out.out.startswith("INTACT WITH GAPS") and "gap:" in out.out and "queue-full" in out.out
    r = verify(p)
    assert r.lost == sink.dropped_total and r.ok


def test_tampered_is_one(tmp_path, capsys):
    p = write(tmp_path / "t.jsonl")
    lines = p.read_bytes().splitlines(keepends=True)
    rec = orjson.loads(lines[5])
    rec["i"] = 999
    lines[5] = orjson.dumps(rec) + b"\n"
    p.write_bytes(b"".join(lines))
    code, out = exit_of(capsys, p)
    assert code == 1 and "TAMPERED" in out.out


def test_a_forged_gap_record_does_not_excuse_a_deletion(tmp_path):
    """Deleting records and inserting a gap record that declares them lost still fails: the gap
    record does not chain (and cannot be signed) without the key."""
    p = write(tmp_path / "f.jsonl", 40)
    lines = p.read_bytes().splitlines(keepends=True)
    recs = [orjson.loads(x) for x in lines]
    keep = [r for r in recs if not 10 <= r["seq"] <= 14]
    forged = {"schema": "guardwrap.audit/1", "type": "gap", "ts": time.time(), "dropped": 5,
              "reason": "disk-full", "missing_seqs": [[10, 14]], "chain": recs[0]["chain"], "seq": 15,
              "prev_hash": recs[9]["hash"]}
    from guardwrap.audit._chain import record_hash

    forged["hash"] = record_hash(forged)
    out = [r for r in keep if r["seq"] < 10] + [forged] + [r for r in keep if r["seq"] > 15]
    p.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in out))
    r = verify(p)
    assert r.status == "tampered", str(r)


def test_a_different_key_is_a_key_mismatch_not_tampering(tmp_path, capsys, monkeypatch):
    p = write(tmp_path / "k.jsonl", audit_key=KEY_A)
    code, out = exit_of(capsys, p, "--key", KEY_B)
    assert code == 2 and "KEY MISMATCH" in out.out and "TAMPERED" not in out.out
    code, out = exit_of(capsys, p, "--key", KEY_A)
    assert code == 0 and "signatures verified" in out.out


def test_a_log_written_by_processes_with_different_keys_verifies_with_both(tmp_path, capsys):
    p = write(tmp_path / "two.jsonl", audit_key=KEY_A)
    write(p, audit_key=KEY_B)  # a restart with another key continues the chain
    code, out = exit_of(capsys, p, "--key", KEY_A)
    assert code == 2 and "KEY MISMATCH" in out.out
    code, out = exit_of(capsys, p, "--key", KEY_A, "--key", KEY_B)
    assert code == 0, out.out
    assert len(verify(p, key=[KEY_A, KEY_B]).key_ids) == 2


def test_a_forged_signature_under_the_right_key_id_is_still_tampering(tmp_path):
    p = write(tmp_path / "s.jsonl", audit_key=KEY_A)
    lines = p.read_bytes().splitlines(keepends=True)
    i = next(k for k, x in enumerate(lines) if orjson.loads(x)["type"] == "checkpoint")
    rec = orjson.loads(lines[i])
    rec["sig"] = "00" * 32
    lines[i] = orjson.dumps(rec) + b"\n"
    p.write_bytes(b"".join(lines))
    r = verify(p, key=KEY_A)
    assert (r.status, r.kind) == ("tampered", "bad-signature")


def test_read_errors_and_usage_are_two(tmp_path, capsys):
    code, _ = exit_of(capsys, tmp_path / "missing.jsonl")
    assert code == 2
    code, out = exit_of(capsys, "postgresql://nobody@127.0.0.1:1/none")
    assert code == 2 and "cannot read" in out.err and "nobody" not in out.err


def test_crash_and_torn_tail_are_never_tampering(tmp_path):
    p = write(tmp_path / "c.jsonl")
    with open(p, "ab") as f:
        f.write(b'{"schema":"guardwrap.audit/1","type":"dec')
    r = verify(p)
    assert r.status == "intact" and r.torn_tail


def test_redteam_never_writes_into_the_policys_audit_log(tmp_path, capsys, monkeypatch):
    log = tmp_path / "prod.jsonl"
    policy = tmp_path / "policy.yaml"
    policy.write_text(f"id: bank\nversion: 1\ninput:\n  - deny_terms: {{terms: [bypass kyc], action: block}}\n"
                      f"audit: {{sink: jsonl, path: {log}}}\n")
    corpus = tmp_path / "c.txt"
    corpus.write_text("bypass kyc please\nhello\n")
    monkeypatch.delenv("GUARDWRAP_AUDIT_KEY", raising=False)
    assert main(["redteam", str(policy), str(corpus), "--no-progress", "--allow-misses"]) == 0
    assert not log.exists()  # not even an "open" record
    own = tmp_path / "redteam.jsonl"
    assert main(["redteam", str(policy), str(corpus), "--no-progress", "--allow-misses", "--audit", str(own)]) == 0
    assert not log.exists()
    recs = [orjson.loads(x) for x in own.read_bytes().splitlines()]
    assert {r["app"] for r in recs if r["type"] == "decision"} == {"redteam"}


def test_policy_lint_warns_about_a_chained_sink_without_an_audit_key(tmp_path, capsys, monkeypatch):
    policy = tmp_path / "p.yaml"
    policy.write_text(f"id: bank\nversion: 1\naudit: {{sink: jsonl, path: {tmp_path / 'a.jsonl'}}}\n")
    monkeypatch.delenv("GUARDWRAP_AUDIT_KEY", raising=False)
    assert main(["policy", "lint", str(policy)]) == 0
    assert "no audit key" in capsys.readouterr().out
    policy.write_text(f"id: bank\nversion: 1\naudit: {{sink: jsonl, path: {tmp_path / 'a.jsonl'}, "
                      "audit_key: k-0123456789abcdef0123456789abcdef}\n")
    assert main(["policy", "lint", str(policy)]) == 0
    assert "no audit key" not in capsys.readouterr().out
    monkeypatch.setenv("GUARDWRAP_AUDIT_KEY", KEY_A)
    policy.write_text(f"id: bank\nversion: 1\naudit: {{sink: sqlite, path: {tmp_path / 'a.db'}}}\n")
    assert main(["policy", "lint", str(policy)]) == 0
    assert "no audit key" not in capsys.readouterr().out


def test_stats_export_and_tail_read_both_layouts(tmp_path, capsys):
    p = tmp_path / "lay.jsonl"
    guard = gw.Guard("bot", input=[gw.DenyTerms(["bad"], action="block"), gw.MaxLength(chars=100)],
                     audit=gw.JsonlSink(p, layout="call"))
    ask = guard(lambda prompt: "fine")
    for i in range(10):
        with contextlib.suppress(gw.Blocked):
            ask("bad" if i % 5 == 0 else "good")
    guard.close()
    recs = [orjson.loads(x) for x in p.read_bytes().splitlines()]
    assert not [r for r in recs if r["type"] == "decision"]
    calls = [r for r in recs if r["type"] == "call"]
    assert len(calls) == 10 and all(r["steps"] for r in calls)
    st = gw.audit.stats(p)
    assert st.calls == 10 and st.by_validator["deny_terms"]["blocked"] == 2 and st.decisions >= 18
    assert verify(p).status == "intact"
    assert os.path.exists(p) and Path(p).stat().st_size > 0
