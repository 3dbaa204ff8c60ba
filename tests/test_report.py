"""The audit HTML report: aggregates from real guard records, self-contained HTML, optional render."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import guardwrap as gw
from _htmlcheck import check_html
from guardwrap.report import percentile, render_audit_report, summarize


@gw.validator(name="deny", stage="input", action="block")
def deny(text, ctx):
    return gw.Result.fail("deny-term") if "kyc" in text else None


@gw.validator(name="review-me", stage="input", action="escalate")
def review_me(text, ctx):
    return gw.Result.fail("large-transfer") if "wire" in text else None


T0 = 1_760_000_000.0  # a fixed epoch so buckets are deterministic


def make_records(n_hours: int = 6, policy_version: int = 1) -> list[dict]:
    sink = gw.MemorySink()
    guard = gw.Guard("bot", input=[deny, review_me], audit=sink, policy_id="retail",
                     policy_version=policy_version, on_escalate="flag")

    @guard
    def ask(prompt: str) -> str:
        return "ok"

    texts = ["hello", "bypass kyc", "wire 5k", "balance?", "opening hours"]
    for i in range(n_hours * 10):
        with contextlib.suppress(gw.Blocked):
            ask(texts[i % len(texts)])
    # Spread the records over time: record i of call j lands at T0 + j * 6 min.
    call_no = 0
    for r in sink.records:
        r["ts"] = T0 + call_no * 360 + policy_version * 7200
        if r["type"] == "call":
            call_no += 1
    return sink.records


def test_percentile_nearest_rank():
    vals = sorted(float(x) for x in range(1, 101))
    assert percentile(vals, 50) == 50.0
    assert percentile(vals, 99) == 99.0
    assert percentile(vals, 100) == 100.0
    assert percentile([], 50) == 0.0
    assert percentile([3.0], 95) == 3.0


def test_summary_counts_match_the_records():
    records = make_records() + make_records(policy_version=2)
    s = summarize(records)
    calls = [r for r in records if r["type"] == "call"]
    assert s["basis"] == "call" and s["count"] == len(calls) == 120
    assert s["outcomes"] == {"pass": 72, "blocked": 24, "escalated": 24}
    assert sum(sum(c.values()) for _, c in s["timeline"]) == len(calls)
    assert dict(s["reasons"]) == {"deny-term": 24, "large-transfer": 24}
    assert set(s["by_policy"]) == {f"retail v{v} ({r['policy_hash'][:10]})" for v, r in
                                   ((1, calls[0]), (2, calls[-1]))}
    assert s["by_validator"]["deny"]["blocked"] == 24
    lat = s["latency_us"]
    assert 0 < lat["p50"] <= lat["p95"] <= lat["p99"] <= lat["max"]


def test_review_and_gap_records_are_counted():
    records = [
        *make_records(1),
        {"type": "review", "review_action": "submitted", "ts": T0},
        {"type": "review", "review_action": "approved", "ts": T0},
        {"type": "gap", "dropped": 5, "ts": T0},
    ]
    s = summarize(records)
    assert s["reviews"] == {"submitted": 1, "approved": 1} and s["gaps"] == 5
    html = render_audit_report(records)
    assert "5 record(s) were dropped" in html


def test_decisions_stand_in_when_there_are_no_call_records():
    guard = gw.Guard("g", input=[deny])
    from guardwrap.testing import capture_decisions

    with capture_decisions() as cap:
        guard.check("bypass kyc")
        guard.check("fine")
    s = summarize(cap.records)
    assert s["basis"] == "decision" and s["outcomes"] == {"blocked": 1, "pass": 1}


def test_html_is_self_contained_and_escapes_values():
    records = make_records()
    call = next(r for r in records if r["type"] == "call")
    call["policy_id"] = "<script>alert(1)</script>"
    next(r for r in records if r["outcome"] == "blocked")["reasons"] = ["<b>x</b>"]
    html = render_audit_report(records)
    p = check_html(html)
    assert p.tags.count("svg") >= 4
    for heading in ("Outcomes over time", "Top reasons", "Latency percentiles", "Per policy version",
                    "Per validator", "Human review"):
        assert heading in html
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x" not in html


def test_empty_log_still_renders():
    check_html(render_audit_report([]))


def test_lazy_public_name():
    assert gw.render_audit_report is render_audit_report


CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed (/usr/bin/chromium)")
def test_report_renders_in_headless_chromium(tmp_path):
    html = tmp_path / "report.html"
    html.write_text(render_audit_report(make_records() + make_records(policy_version=2)), encoding="utf-8")
    png = tmp_path / "report.png"
    proc = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--no-first-run", "--disable-extensions", "--disable-background-networking",
         f"--user-data-dir={tmp_path / 'profile'}", "--hide-scrollbars", "--window-size=1200,2600",
         f"--screenshot={png}", html.as_uri()],
        capture_output=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-500:]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 20_000  # a blank page compresses to a few KB; charts do not
    keep = os.environ.get("GUARDWRAP_KEEP_SCREENSHOT")
    if keep:
        shutil.copy(png, keep)


# -- properties -------------------------------------------------------------------------------------

_record = st.fixed_dictionaries({
    "type": st.sampled_from(["call", "decision", "review", "gap", "lifecycle"]),
    "ts": st.one_of(st.floats(min_value=1e9, max_value=2e9), st.none()),
    "outcome": st.sampled_from(["pass", "warned", "fixed", "escalated", "blocked", "error"]),
    "reasons": st.lists(st.text(max_size=12), max_size=3),
    "validator": st.text(max_size=10),
    "policy_id": st.text(max_size=10),
    "latency_us": st.floats(min_value=0, max_value=1e6),
})


@settings(max_examples=60, deadline=None)
@given(st.lists(_record, max_size=40))
def test_any_records_are_counted_once_and_render_well_formed(records):
    s = summarize(records)
    basis = [r for r in records if r["type"] == ("call" if s["basis"] == "call" else "decision")]
    assert s["count"] == len(basis)
    assert sum(s["outcomes"].values()) == len(basis)
    assert sum(sum(c.values()) for _, c in s["timeline"]) == sum(1 for r in basis if r["ts"] is not None)
    check_html(render_audit_report(records))


@given(st.lists(st.floats(min_value=0, max_value=1e9), min_size=1), st.floats(min_value=0, max_value=100),
       st.floats(min_value=0, max_value=100))
def test_percentile_is_monotonic_and_in_range(values, q1, q2):
    values.sort()
    lo, hi = sorted((q1, q2))
    assert values[0] <= percentile(values, lo) <= percentile(values, hi) <= values[-1]
