"""A monitoring report from audit records: one self-contained HTML page with inline SVG charts.

>>> from guardwrap.report import render_audit_report
>>> html = render_audit_report([{"type": "call", "ts": 1700000000.0, "outcome": "pass", "latency_us": 12.0}])
>>> html.startswith("<!DOCTYPE html>")
True

It shows what post-deployment monitoring asks for: outcomes over time, the most frequent reasons
(coloured by the outcome they led to), the guard's own overhead apart from the model's time, and
the same per policy version and per validator, plus review verdicts and any gaps (records dropped
under back-pressure). Records hold no raw text, and neither does the page:
only counts, reason codes, validator names and timings. Open it in any browser, offline.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from . import _html as h

__all__ = ["percentile", "render_audit_report", "summarize"]

OUTCOME_KEYS = ("pass", "warned", "fixed", "escalated", "blocked", "error")
_BUCKETS = (60, 300, 900, 3600, 6 * 3600, 86400, 7 * 86400)
_MAX_BUCKETS = 48


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..100) of already sorted values; 0.0 when empty."""
    if not sorted_values:
        return 0.0
    k = max(0, min(len(sorted_values) - 1, int(-(-q * len(sorted_values) // 100)) - 1))
    return float(sorted_values[k])


def _ts(value: Any) -> float | None:
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
        except ValueError:
            return None
    return None


def _bucket_size(span: float) -> int:
    for size in _BUCKETS:
        if span / size <= _MAX_BUCKETS:
            return size
    return _BUCKETS[-1]


def _bucket_label(start: float, size: int) -> str:
    fmt = "%m-%d" if size >= 86400 else ("%m-%d %H:00" if size >= 3600 else "%H:%M")
    return time.strftime(fmt, time.gmtime(start))


def _pcts(values: list[float]) -> dict[str, float]:
    values.sort()
    return {"p50": percentile(values, 50), "p90": percentile(values, 90), "p95": percentile(values, 95),
            "p99": percentile(values, 99), "max": values[-1] if values else 0.0}


def summarize(records: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The aggregates the report draws, as data (also useful for ``guardwrap audit stats``).

    Calls are counted from ``call`` records; when a log has none (e.g. only ``guard.check`` was
    used), decision records stand in for them.
    """
    calls: list[Mapping[str, Any]] = []
    decisions: list[Mapping[str, Any]] = []
    reviews: Counter[str] = Counter()
    types: Counter[str] = Counter()
    gaps = 0
    for r in records:
        if not isinstance(r, Mapping):
            continue
        t = str(r.get("type", "?"))
        types[t] += 1
        if t == "call":
            calls.append(r)
        elif t == "decision":
            decisions.append(r)
        elif t == "review":
            reviews[str(r.get("review_action") or r.get("outcome") or "?")] += 1
        elif t == "gap":
            gaps += int(r.get("count") or r.get("dropped") or 1)
    basis = calls or decisions
    stamps = [s for s in (_ts(r.get("ts")) for r in basis) if s is not None]
    first, last = (min(stamps), max(stamps)) if stamps else (None, None)

    timeline: list[tuple[str, dict[str, int]]] = []
    if first is not None and last is not None:
        size = _bucket_size(max(last - first, 1.0))
        start = first - first % size
        n = int((last - start) // size) + 1
        counts: list[Counter[str]] = [Counter() for _ in range(n)]
        for r in basis:
            s = _ts(r.get("ts"))
            if s is not None:
                counts[int((s - start) // size)][str(r.get("outcome"))] += 1
        timeline = [(_bucket_label(start + i * size, size), dict(c)) for i, c in enumerate(counts)]
    else:
        size = 0

    outcomes = Counter(str(r.get("outcome")) for r in basis)
    reasons: Counter[str] = Counter()
    reason_outcomes: dict[str, Counter[str]] = defaultdict(Counter)
    by_validator: dict[str, Counter[str]] = defaultdict(Counter)
    validator_latency: dict[str, list[float]] = defaultdict(list)
    for r in decisions:
        name = str(r.get("validator") or "?")
        by_validator[name][str(r.get("outcome"))] += 1
        if r.get("outcome") != "pass":
            for x in r.get("reasons") or ():
                reasons[str(x)] += 1
                reason_outcomes[str(x)][str(r.get("outcome"))] += 1
        lat = r.get("latency_us")
        if isinstance(lat, (int, float)):
            validator_latency[name].append(float(lat))
    if not decisions:
        for r in calls:
            if r.get("outcome") != "pass":
                for x in r.get("reasons") or ():
                    reasons[str(x)] += 1
                    reason_outcomes[str(x)][str(r.get("outcome"))] += 1

    by_policy: dict[str, Counter[str]] = defaultdict(Counter)
    policy_latency: dict[str, list[float]] = defaultdict(list)
    for r in basis:
        label = f"{r.get('policy_id') or '-'} v{r.get('policy_version') or '-'} ({str(r.get('policy_hash') or '')[:10]})"
        by_policy[label][str(r.get("outcome"))] += 1
        lat = _overhead(r)
        if lat is not None:
            policy_latency[label].append(lat)
    call_latency = [float(r["latency_us"]) for r in basis if isinstance(r.get("latency_us"), (int, float))]
    overhead = [v for v in map(_overhead, basis) if v is not None]
    model = [float(r["model_us"]) for r in basis if isinstance(r.get("model_us"), (int, float))]

    return {
        "records": sum(types.values()),
        "types": dict(types),
        "basis": "call" if calls else "decision",
        "count": len(basis),
        "first": first,
        "last": last,
        "bucket_seconds": size,
        "timeline": timeline,
        "outcomes": dict(outcomes),
        "reasons": reasons.most_common(15),
        # the outcome each reason led to most often: what its bar's colour says
        "reason_outcome": {k: _most_severe_common(c) for k, c in reason_outcomes.items()},
        "latency_us": _pcts(call_latency),
        "overhead_us": _pcts(overhead),
        "overhead_count": len(overhead),
        "model_us": _pcts(model),
        "by_policy": {k: dict(v) for k, v in by_policy.items()},
        "policy_latency_us": {k: _pcts(v) for k, v in policy_latency.items() if v},
        "by_validator": {k: dict(v) for k, v in by_validator.items()},
        "validator_latency_us": {k: _pcts(v) for k, v in validator_latency.items()},
        "reviews": dict(reviews),
        "gaps": gaps,
    }


def _overhead(r: Mapping[str, Any]) -> float | None:
    """The guard's own time in one record: a call's latency less its model time (``model_us``:
    the wrapped call, retries, waits, fallbacks), or a decision's validator time. None when a call
    record does not say how long the model took (older logs, streams)."""
    lat = r.get("latency_us")
    if not isinstance(lat, (int, float)):
        return None
    if r.get("type") != "call":
        return float(lat)
    model = r.get("model_us")
    if not isinstance(model, (int, float)):
        return None
    return max(float(lat) - float(model), 0.0)


def _most_severe_common(c: Counter[str]) -> str:
    top = max(c.values())
    return max((o for o, n in c.items() if n == top), key=lambda o: _SEVERITY.get(o, 0))


_SEVERITY = {k: i for i, k in enumerate(OUTCOME_KEYS)}


def _when(ts: float | None) -> str:
    if ts is None:
        return "-"
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def _dur(us: float) -> str:
    return f"{us / 1000:,.1f} ms" if us >= 1000 else f"{us:,.1f} \u00b5s"


def render_audit_report(records: Iterable[Mapping[str, Any]], *, title: str = "guardwrap audit report") -> str:
    """One self-contained HTML page summarising ``records`` (dicts in the ``guardwrap.audit/1`` schema).

    Nothing in the page is fetched from anywhere; it holds only counts, reason codes, validator and
    policy names, and timings.
    """
    s = summarize(records)
    n = s["count"] or 1
    out = s["outcomes"]
    stopped = out.get("blocked", 0) + out.get("escalated", 0)
    keys = [k for k in OUTCOME_KEYS if any(k in c for _, c in s["timeline"]) or k in out] or ["pass"]
    unit = "calls" if s["basis"] == "call" else "decisions"
    sub = f"{s['records']} records \u00b7 {_when(s['first'])} to {_when(s['last'])} \u00b7 generated {_when(time.time())}"

    body = [h.cards([
        (unit, s["count"]),
        ("blocked", f"{out.get('blocked', 0)} ({out.get('blocked', 0) / n:.1%})"),
        ("escalated", f"{out.get('escalated', 0)} ({out.get('escalated', 0) / n:.1%})"),
        ("fixed (e.g. redacted)", out.get("fixed", 0)),
        ("p95 guard overhead", f"{s['overhead_us']['p95']:,.1f} \u00b5s" if s["overhead_count"] else "-"),
        ("p95 call incl. model", _dur(s["latency_us"]["p95"]) if s["basis"] == "call" else "-"),
        ("review verdicts", sum(v for k, v in s["reviews"].items() if k != "submitted")),
    ])]
    if s["gaps"]:
        body.append(f"<p><strong>Warning:</strong> {s['gaps']} record(s) were dropped under back-pressure "
                    "(gap records present). See the audit page of the documentation.</p>")
    if s["timeline"]:
        mins = s["bucket_seconds"] // 60
        step = f"{mins} min" if mins < 60 else (f"{mins // 60} h" if mins < 1440 else f"{mins // 1440} d")
        body.append(h.section(f"Outcomes over time ({unit} per {step}, UTC)",
                              h.stacked_columns("Outcomes over time", s["timeline"], keys)))
    else:
        body.append(h.section("Outcomes over time", "<p>No call or decision records.</p>"))
    if s["reasons"]:
        shown = [k for k in OUTCOME_KEYS if k in s["reason_outcome"].values()]
        body.append(h.section(
            "Top reasons",
            "<p class=\"note\">Each bar is coloured by the outcome the reason led to most often.</p>",
            h.legend(shown),
            h.bars("Most frequent reasons", [(k, float(v)) for k, v in s["reasons"]],
                   fills=[h.color(s["reason_outcome"][k]) for k, _ in s["reasons"]]),
        ))
    else:
        body.append(h.section("Top reasons", "<p>No validator reported a reason.</p>"))
    if s["overhead_count"]:
        over = h.bars("Guard overhead percentiles", list(s["overhead_us"].items()), unit=" \u00b5s",
                      fill="#1565c0")
    else:
        over = "<p>These records do not say how long the model took (no <code>model_us</code>), so the " \
               "guard's own overhead cannot be told apart from it.</p>"
    body.append(h.section(
        "Guard overhead (\u00b5s): validators and audit hand-off, without the model",
        over,
        h.table(["validator", "p50 \u00b5s", "p95 \u00b5s", "p99 \u00b5s", "max \u00b5s"],
                [[name, *(f"{p[q]:,.1f}" for q in ("p50", "p95", "p99", "max"))]
                 for name, p in sorted(s["validator_latency_us"].items())], numeric=range(1, 5))
        if s["validator_latency_us"] else "",
    ))
    if s["basis"] == "call":
        lat = s["latency_us"]
        body.append(h.section(
            "Call latency including the model (end to end: model, retries, waits, fallbacks)",
            h.table(["", "p50", "p90", "p95", "p99", "max"],
                    [["whole call", *(_dur(lat[q]) for q in ("p50", "p90", "p95", "p99", "max"))],
                     ["of which the model", *(_dur(s["model_us"][q]) for q in ("p50", "p90", "p95", "p99", "max"))]],
                    numeric=range(1, 6)),
        ))
    pol_rows = sorted(s["by_policy"].items())
    body.append(h.section(
        "Per policy version",
        h.stacked_bars("Outcome shares per policy version", pol_rows, keys) if pol_rows else "",
        h.table(["policy", unit, "blocked", "escalated", "overhead p50 \u00b5s", "overhead p95 \u00b5s"],
                [[label, sum(c.values()), c.get("blocked", 0), c.get("escalated", 0),
                  *(f"{s['policy_latency_us'][label][q]:,.1f}" if label in s["policy_latency_us"] else "-"
                    for q in ("p50", "p95"))]
                 for label, c in pol_rows], numeric=range(1, 6)),
    ))
    if s["by_validator"]:
        body.append(h.section("Per validator",
                              h.stacked_bars("Outcome shares per validator", sorted(s["by_validator"].items()),
                                             [k for k in OUTCOME_KEYS if any(k in c for c in s["by_validator"].values())])))
    body.append(h.section(
        "Human review",
        h.table(["review action", "records"], sorted(s["reviews"].items()), numeric=(1,))
        if s["reviews"] else "<p>No review records.</p>",
        f"<p class=\"note\">{stopped} {unit} were stopped (blocked or escalated) in this period.</p>",
    ))
    body.append(h.section("Record types", h.table(["type", "records"], sorted(s["types"].items()), numeric=(1,))))
    return h.page(title, body, sub)
