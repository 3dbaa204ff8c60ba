"""The audit HTML report: aggregates from real guard records, self-contained HTML, optional render."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
from collections import Counter

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
    for heading in ("Outcomes over time", "Top reasons", "Guard overhead", "Per policy version",
                    "Per validator", "Human review"):
        assert heading in html
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x" not in html


def test_empty_log_still_renders():
    check_html(render_audit_report([]))


def test_lazy_public_name():
    assert gw.render_audit_report is render_audit_report


# -- what the report says it measures -----------------------------------------------------------------


def test_call_records_carry_the_model_time_apart_from_the_guard():
    sink = gw.MemorySink()
    guard = gw.Guard("bot", input=[deny], audit=sink, retry=gw.Retry(attempts=2, on=(TimeoutError,),
                                                                      sleep=lambda s: None))
    calls = []

    @guard
    def ask(prompt: str) -> str:
        calls.append(prompt)
        if len(calls) == 1:
            raise TimeoutError
        return "ok"

    ask("hello")
    with contextlib.suppress(gw.Blocked):
        ask("bypass kyc")  # blocked before the model: no model time at all
    ok, blocked = [r for r in sink.records if r["type"] == "call"]
    assert 0 <= ok["model_us"] <= ok["latency_us"]  # the retried model call is the model's time
    assert "model_us" not in blocked


def test_overhead_is_latency_less_model_time():
    base = {"type": "call", "ts": T0, "outcome": "pass", "policy_id": "p", "policy_version": 1}
    records = [{**base, "latency_us": 50_319.0, "model_us": 50_000.0},
               {**base, "latency_us": 40_250.0, "model_us": 40_000.0},
               {**base, "latency_us": 30_000.0}]  # an old record: model time unknown
    s = summarize(records)
    assert s["overhead_count"] == 2
    assert s["overhead_us"]["p50"] == 250.0 and s["overhead_us"]["max"] == 319.0
    assert s["latency_us"]["max"] == 50_319.0 and s["model_us"]["max"] == 50_000.0
    html = render_audit_report(records)
    overhead = html[html.index("Guard overhead"):html.index("Call latency including the model")]
    assert "319" in overhead and "50,319" not in overhead
    assert "50.3 ms" in html[html.index("Call latency including the model"):]


def test_reason_bars_are_coloured_by_outcome():
    records = [
        {"type": "decision", "ts": T0, "validator": "pii", "outcome": "fixed", "reasons": ["pii-redacted"]},
        {"type": "decision", "ts": T0, "validator": "pii", "outcome": "fixed", "reasons": ["pii-redacted"]},
        {"type": "decision", "ts": T0, "validator": "deny", "outcome": "blocked", "reasons": ["deny-term"]},
        {"type": "decision", "ts": T0, "validator": "inj", "outcome": "escalated", "reasons": ["injection"]},
    ]
    html = render_audit_report(records)
    reasons = html[html.index("Top reasons"):html.index("Guard overhead")]
    fills = dict(re.findall(r'<title>([\w-]+)</title>[^<]*</text><rect [^>]*fill="(#\w+)"', reasons))
    from guardwrap._html import OUTCOME_COLORS

    assert fills == {"pii-redacted": OUTCOME_COLORS["fixed"], "deny-term": OUTCOME_COLORS["blocked"],
                     "injection": OUTCOME_COLORS["escalated"]}


def test_long_policy_labels_are_not_clipped():
    records = make_records(1)
    for r in records:
        r["policy_id"] = "retail-banking-assistant-eu-west"
    html = render_audit_report(records)
    label = next(k for k in summarize(records)["by_policy"])
    assert len(label) > 40
    assert f"</title>{label}</text>" in html  # drawn whole, in a label column wide enough


# -- in a real browser ----------------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
#: The flags a sandboxed, offline CI machine needs; a fresh profile per run.
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                  "--disable-extensions", "--hide-scrollbars", "--enable-logging=stderr", "--v=0")


needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("GUARDWRAP_REQUIRE_CHROMIUM"),
    reason="headless Chromium not installed (.ci/run installs it and requires these tests)")


def _chromium(tmp_path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None, "GUARDWRAP_REQUIRE_CHROMIUM is set but /usr/bin/chromium is missing"
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    return subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120)


def _console_errors(stderr: str) -> list[str]:
    # Page console messages and refused loads (the page's CSP forbids fetching anything).
    return [line for line in stderr.splitlines()
            if ("CONSOLE" in line and ":ERROR:" in line) or "Refused to" in line or "Uncaught" in line]


def _render(tmp_path, html: str, name: str) -> tuple[str, list[tuple[int, int, int]]]:
    page = tmp_path / f"{name}.html"
    page.write_text(html, encoding="utf-8")
    dom = _chromium(tmp_path, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-800:]
    assert _console_errors(dom.stderr) == []
    png = tmp_path / f"{name}.png"
    shot = _chromium(tmp_path, "--window-size=1100,1800", f"--screenshot={png}", page.as_uri())
    assert shot.returncode == 0, shot.stderr[-800:]
    assert _console_errors(shot.stderr) == []
    keep = os.environ.get("GUARDWRAP_KEEP_SCREENSHOT")
    if keep:
        shutil.copy(png, f"{keep}-{name}.png")
    return dom.stdout, read_png(png.read_bytes())


@pytest.mark.slow
@needs_chromium
def test_report_renders_in_headless_chromium_as_a_person_sees_it(tmp_path):
    records = make_records() + make_records(policy_version=2)
    dom, pixels = _render(tmp_path, render_audit_report(records), "audit")
    assert dom.count("<svg") >= 4 and "Guard overhead" in dom  # the browser parsed every chart
    _assert_not_blank(pixels)
    from guardwrap._html import OUTCOME_COLORS

    seen = _colours(pixels)
    for outcome in ("pass", "blocked", "escalated"):  # the charts are drawn, in outcome colours
        assert _hex(OUTCOME_COLORS[outcome]) in seen, outcome


@pytest.mark.slow
@needs_chromium
def test_redteam_report_renders_and_shows_missed_attacks_in_red(tmp_path):
    from guardwrap.redteam import _EXPECTATION_COLORS, run_redteam

    guard = gw.Guard("bot", input=[deny])  # catches almost nothing: most attacks are missed
    report = run_redteam(guard, "starter")
    dom, pixels = _render(tmp_path, report.to_html(), "redteam")
    assert "<svg" in dom
    _assert_not_blank(pixels)
    seen = _colours(pixels)
    assert _hex(_EXPECTATION_COLORS["attack missed"]) in seen
    assert _hex(_EXPECTATION_COLORS["let through, as expected"]) in seen  # the benign category


def _hex(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _colours(pixels: list[tuple[int, int, int]]) -> set[tuple[int, int, int]]:
    counts = Counter(pixels)
    return {c for c, n in counts.items() if n >= 200}  # a bar, not an anti-aliased edge


def _assert_not_blank(pixels: list[tuple[int, int, int]]) -> None:
    ink = sum(1 for p in pixels if p != (255, 255, 255))
    assert ink / len(pixels) > 0.02, f"the page looks blank ({ink} non-white pixels)"


def read_png(data: bytes) -> list[tuple[int, int, int]]:
    """The RGB pixels of an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium writes)."""
    import struct
    import zlib

    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    assert header is not None
    width, height, depth, ctype, _, _, interlace = header
    assert depth == 8 and ctype in (2, 6) and interlace == 0, header
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    out: list[tuple[int, int, int]] = []
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out.extend(tuple(line[i:i + 3]) for i in range(0, stride, bpp))
        prev = line
    return out


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
