"""Sources never reach the audit log: only their ids and keyed hashes, in every sink."""

from __future__ import annotations

import hashlib
import hmac
import json
import re

import pytest

import guardwrap as gw

KEY = "grounding-test-key-0123456789abcdef0123456789"
SECRET_SOURCE = "Customer statement for Jane Roe: balance \u00a31,234.56 on 3 May 2026; overdraft limit \u00a3750."
PUBLIC_SOURCE = "Select Account: monthly fee \u00a33. Arranged overdraft 39.9% EAR."


def keyed(text: str) -> str:
    return hmac.new(KEY.encode(), text.encode(), hashlib.sha256).hexdigest()


def records_of(sink):
    """The sink's records, with the decisions a call record embeds (JSONL's ``layout="call"``)
    read out as decision records."""
    from guardwrap.audit._record import expand_steps

    if isinstance(sink, gw.MemorySink):
        return list(sink.records)
    out = []
    with open(sink.path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rec = json.loads(line)
                out.extend([rec, *expand_steps(rec)])
    return out


@pytest.fixture(params=["memory", "jsonl"])
def sink(request, tmp_path):
    return gw.MemorySink() if request.param == "memory" else gw.JsonlSink(str(tmp_path / "audit.jsonl"))


def _no_source_text(records):
    blob = json.dumps(records, ensure_ascii=False)
    for fragment in ("Jane", "Roe", "1,234", "Customer", "Select Account", "overdraft"):
        assert fragment not in blob, fragment
    # digits alone may turn up inside a keyed hash, an id or a timestamp ("ts": 1796131539.93
    # holds "39.9"): look outside those
    words = re.sub(r"[0-9a-f]{12,}|\d{4}-\d\d-\d\dT[\d:.]+Z?|\"(?:seq|ts|latency_us|model_us)\": [\d.]+", "", blob)
    assert "1234" not in words
    assert "39.9" not in words


def test_guarded_call_records_ids_and_keyed_hashes_only(sink):
    guard = gw.Guard("g", output=[gw.Grounded(action="warn")], audit=sink, audit_key=KEY)

    @guard
    def ask(q: str) -> str:
        return "Your balance is \u00a31,234.56 and your overdraft limit is \u00a3999."

    with gw.context(sources=[("statement", SECRET_SOURCE), PUBLIC_SOURCE]):
        ask("what is my balance?")
    guard.close()
    records = records_of(sink)
    _no_source_text(records)
    call = next(r for r in records if r["type"] == "call")
    assert call["sources"] == [{"id": "statement", "hash": keyed(SECRET_SOURCE)},
                               {"id": "2", "hash": keyed(PUBLIC_SOURCE)}]
    decision = next(r for r in records if r["type"] == "decision" and r["validator"] == "grounded")
    assert decision["outcome"] == "warned" and decision["reasons"] == ["ungrounded"]
    assert [f["rule"] for f in decision["findings"]] == ["unsupported-money"]
    assert 0 < decision["score"] < 1


def test_check_records_sources_on_the_output_decision(sink):
    guard = gw.Guard("g", output=[gw.Grounded()], audit=sink, audit_key=KEY)
    guard.check("Your limit is \u00a3750.", stage="output", context=gw.Context(sources=[("stmt", SECRET_SOURCE)]))
    guard.close()
    records = records_of(sink)
    _no_source_text(records)
    decision = next(r for r in records if r["type"] == "decision")
    assert decision["sources"] == [{"id": "stmt", "hash": keyed(SECRET_SOURCE)}]


def test_blocked_stream_records_hold_no_source_text(sink):
    guard = gw.Guard("g", output=[gw.Grounded()], audit=sink, audit_key=KEY)

    @guard
    def stream(q: str):
        yield "Your balance is \u00a31,234.56. "
        yield "Your limit is \u00a3999. Anything else?"

    with pytest.raises(gw.Blocked), gw.context(sources=[("statement", SECRET_SOURCE)]):
        list(stream("q"))
    guard.close()
    _no_source_text(records_of(sink))


def test_errors_and_decisions_never_show_source_values():
    guard = gw.Guard("g", output=[gw.Grounded(action="reask")])
    d = guard.check("Your limit is \u00a3999.", stage="output", context=gw.Context(sources=[SECRET_SOURCE]))
    for text in (repr(d), str(d.to_dict()), " ".join(d.feedback), str(gw.Blocked(d))):
        assert "750" not in text and "Jane" not in text and "999" not in text
