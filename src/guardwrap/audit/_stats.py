"""`stats(source)`: what an audit log says about a guard's behaviour, for ``guardwrap audit stats``.

Counts calls and decisions by outcome and by validator, block and escalation rates over calls,
call latency percentiles (from ``latency_us``), and the same per policy hash, so a policy change
shows up as a new row.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ._read import DEFAULT_TABLE, read_records


def percentile(sorted_values: list[float], p: float) -> float | None:
    """Nearest-rank percentile of an already sorted list (``None`` when empty)."""
    if not sorted_values:
        return None
    k = max(0, min(len(sorted_values) - 1, int(-(-p * len(sorted_values) // 100)) - 1))
    return sorted_values[k]


@dataclass
class PolicyStats:
    policy_hash: str
    policy_id: str | None = None
    policy_version: str | None = None
    calls: int = 0
    blocked: int = 0
    escalated: int = 0
    first_ts: float | None = None
    last_ts: float | None = None


@dataclass
class Stats:
    records: int = 0
    calls: int = 0
    decisions: int = 0
    dropped: int = 0
    call_outcomes: Counter[str] = field(default_factory=Counter)
    decision_outcomes: Counter[str] = field(default_factory=Counter)
    by_validator: dict[str, Counter[str]] = field(default_factory=dict)
    by_policy: dict[str, PolicyStats] = field(default_factory=dict)
    latencies_us: list[float] = field(default_factory=list, repr=False)
    first_ts: float | None = None
    last_ts: float | None = None

    def rate(self, outcome: str) -> float:
        """The share of calls with ``outcome`` (0.0 when there are no calls)."""
        return self.call_outcomes[outcome] / self.calls if self.calls else 0.0

    @property
    def block_rate(self) -> float:
        """The share of calls blocked."""
        return self.rate("blocked")

    @property
    def escalation_rate(self) -> float:
        """The share of calls escalated to a person."""
        return self.rate("escalated")

    def latency(self, p: float) -> float | None:
        """The ``p``-th percentile (0-100) of call latencies in microseconds, or None without calls."""
        return percentile(self.latencies_us, p)

    def to_dict(self) -> dict[str, Any]:
        """The statistics as JSON-able data (what ``guardwrap audit stats --json`` prints)."""
        return {
            "records": self.records,
            "calls": self.calls,
            "decisions": self.decisions,
            "dropped": self.dropped,
            "call_outcomes": dict(self.call_outcomes),
            "decision_outcomes": dict(self.decision_outcomes),
            "by_validator": {k: dict(v) for k, v in self.by_validator.items()},
            "block_rate": self.block_rate,
            "escalation_rate": self.escalation_rate,
            "latency_us": {"p50": self.latency(50), "p95": self.latency(95), "p99": self.latency(99)},
            "by_policy": {h: vars(p) for h, p in self.by_policy.items()},
            "first_ts": self.first_ts,
            "last_ts": self.last_ts,
        }


def summarize(records: Iterable[dict[str, Any]]) -> Stats:
    s = Stats()
    for r in records:
        s.records += 1
        ts = r.get("ts")
        if isinstance(ts, (int, float)):
            s.first_ts = ts if s.first_ts is None else min(s.first_ts, ts)
            s.last_ts = ts if s.last_ts is None else max(s.last_ts, ts)
        t = r.get("type")
        outcome = str(r.get("outcome"))
        if t == "decision":
            s.decisions += 1
            s.decision_outcomes[outcome] += 1
            s.by_validator.setdefault(str(r.get("validator")), Counter())[outcome] += 1
        elif t == "call":
            s.calls += 1
            s.call_outcomes[outcome] += 1
            lat = r.get("latency_us")
            if isinstance(lat, (int, float)):
                s.latencies_us.append(float(lat))
            h = str(r.get("policy_hash"))
            p = s.by_policy.get(h)
            if p is None:
                p = s.by_policy[h] = PolicyStats(h, r.get("policy_id"), r.get("policy_version"))
            p.calls += 1
            p.blocked += outcome == "blocked"
            p.escalated += outcome == "escalated"
            if isinstance(ts, (int, float)):
                p.first_ts = ts if p.first_ts is None else min(p.first_ts, ts)
                p.last_ts = ts if p.last_ts is None else max(p.last_ts, ts)
        elif t == "gap":
            s.dropped += int(r.get("dropped") or 0)
    s.latencies_us.sort()
    return s


def stats(source: str | os.PathLike[str], *, since: float | None = None, table: str = DEFAULT_TABLE) -> Stats:
    """Summarise the records of a JSONL path, SQLite path or PostgreSQL DSN."""
    return summarize(read_records(source, since=since, table=table))
