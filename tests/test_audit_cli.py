"""``guardwrap audit verify|stats|tail|export|report`` and ``gw.audit.stats``."""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path

import orjson
import pytest

import guardwrap as gw
from guardwrap._cli import main
from guardwrap._cli.audit import parse_since
from guardwrap.audit._stats import percentile


def make_log(path):
    guard = gw.Guard("bot", input=[
        gw.validator(name="no-x", action="block")(lambda t, ctx: gw.Result.fail("has-x") if "x" in t else None),
        gw.validator(name="shout", action="warn")(lambda t, ctx: gw.Result.fail("caps") if t.isupper() else None),
    ], audit=gw.JsonlSink(path))

    @guard
    def ask(prompt: str) -> str:
        return "ok"

    for i in range(10):
        with gw.context(request_id=f"r{i}"):
            if i % 5 == 0:
                with pytest.raises(gw.Blocked):
                    ask("x marks")
            else:
                ask("HELLO" if i % 2 else "hello")
    guard.close()
    return path


@pytest.fixture
def log(tmp_path):
    return make_log(tmp_path / "cli.jsonl")


def test_verify_ok_and_tampered(log, capsys):
    assert main(["audit", "verify", str(log)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: ") and out.count("\n") == 1
    lines = Path(log).read_bytes().splitlines(keepends=True)
    del lines[3]
    Path(log).write_bytes(b"".join(lines))
    assert main(["audit", "verify", str(log)]) == 1
    out = capsys.readouterr().out
    assert "seq 3" in out and "deleted" in out


def test_verify_with_ed25519_public_key_file(tmp_path, capsys):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    priv = Ed25519PrivateKey.generate()
    p = tmp_path / "ed.jsonl"
    with gw.JsonlSink(p, signing_key=priv) as s:
        s.emit({"type": "decision"})
    pem = tmp_path / "pub.pem"
    pem.write_bytes(priv.public_key().public_bytes(serialization.Encoding.PEM,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo))
    assert main(["audit", "verify", str(p), "--public-key", str(pem)]) == 0
    assert "signatures verified" in capsys.readouterr().out


def test_stats_numbers(log, capsys):
    st = gw.audit.stats(log)
    assert st.calls == 10
    assert st.call_outcomes["blocked"] == 2
    assert st.block_rate == pytest.approx(0.2)
    assert st.by_validator["no-x"]["blocked"] == 2
    assert st.by_validator["shout"]["warned"] == 4
    assert st.latency(50) is not None and st.latency(50) <= st.latency(99)
    assert len(st.by_policy) == 1
    assert main(["audit", "stats", str(log)]) == 0
    out = capsys.readouterr().out
    assert "20.0%" in out and "no-x" in out and "shout" in out
    assert main(["audit", "stats", str(log), "--json"]) == 0
    assert orjson.loads(capsys.readouterr().out)["calls"] == 10


def test_stats_since_excludes_older_records(log, capsys):
    assert main(["audit", "stats", str(log), "--since", str(time.time() + 60), "--json"]) == 0
    assert orjson.loads(capsys.readouterr().out)["calls"] == 0


def test_tail_filters(log, capsys):
    assert main(["audit", "tail", str(log), "-n", "100", "--outcome", "blocked", "--type", "call"]) == 0
    recs = [orjson.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [r["request_id"] for r in recs] == ["r0", "r5"]
    assert main(["audit", "tail", str(log), "--request-id", "r3", "--validator", "shout"]) == 0
    recs = [orjson.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert len(recs) == 1 and recs[0]["outcome"] == "warned"


def test_export_csv_and_jsonl(log, tmp_path, capsys):
    out = tmp_path / "x.csv"
    assert main(["audit", "export", str(log), "--format", "csv", "-o", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert len(rows) == len(Path(log).read_bytes().splitlines())
    assert rows[1]["seq"] == "1"
    assert main(["audit", "export", str(log), "--format", "jsonl"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == len(rows)


def test_export_from_sqlite(tmp_path, capsys):
    p = tmp_path / "e.db"
    with gw.SqliteSink(p) as s:
        s.emit({"type": "decision", "ts": 5.0, "outcome": "pass"})
    assert main(["audit", "export", str(p), "--format", "jsonl"]) == 0
    assert '"outcome":"pass"' in capsys.readouterr().out


def test_report_subcommand(log, tmp_path, capsys):
    import importlib.util

    if importlib.util.find_spec("guardwrap.report") is None:  # the slot, before the module lands
        assert main(["audit", "report", str(log)]) == 2
        assert "guardwrap.report" in capsys.readouterr().err
        return
    out = tmp_path / "r.html"
    assert main(["audit", "report", str(log), "-o", str(out)]) == 0
    assert "<html" in out.read_text().lower()


def test_missing_file_is_a_usage_error(tmp_path, capsys):
    assert main(["audit", "verify", str(tmp_path / "nope.jsonl")]) == 2


def test_parse_since():
    now = time.time()
    assert abs(parse_since("24h") - (now - 86400)) < 5
    assert parse_since("2026-11-01") == pytest.approx(1793491200.0)
    assert parse_since("1700000000") == 1700000000.0
    with pytest.raises(Exception, match="expected"):
        parse_since("yesterday-ish")


def test_percentile_nearest_rank():
    assert percentile([], 50) is None
    values = list(map(float, range(1, 101)))
    assert percentile(values, 50) == 50.0
    assert percentile(values, 99) == 99.0
    assert percentile([7.0], 95) == 7.0


def test_tail_follow_across_rotations(tmp_path, monkeypatch, capsys):
    from guardwrap._cli import audit as cli_audit

    p = tmp_path / "f.jsonl"
    with gw.JsonlSink(p, rotate_bytes=2048) as s:
        s.emit({"type": "decision", "outcome": "pass", "i": -1})
    polls = {"n": 0}

    def fake_sleep(_):
        polls["n"] += 1
        if polls["n"] == 1:  # while tail waits: a writer appends and rotates several times
            with gw.JsonlSink(p, rotate_bytes=2048) as s:
                for i in range(20):
                    s.emit({"type": "decision", "outcome": "blocked", "i": i})
                    s.flush()
        elif polls["n"] > 3:
            raise KeyboardInterrupt

    monkeypatch.setattr(cli_audit.time, "sleep", fake_sleep)
    assert main(["audit", "tail", str(p), "-f", "-n", "1", "--type", "decision"]) == 0
    got = [orjson.loads(x)["i"] for x in capsys.readouterr().out.splitlines()]
    assert got == list(range(-1, 20))
    from guardwrap.audit._jsonl import segment_paths

    assert len(segment_paths(p)) >= 2
