"""`stats(source)`: what an audit log says about a guard's behaviour, for ``guardwrap audit stats``.

Counts calls and decisions by outcome and by validator, block and escalation rates over calls,
call latency percentiles (from ``latency_us``), and the same per policy hash, so a policy change
shows up as a new row. Records stream from the source and latencies go into a fixed set of
logarithmic buckets (percentiles within 1%), so memory stays bounded for logs of any length.
Both record layouts count alike: the ``steps`` of a ``call`` record are decisions.
"""

from __future__ import annotations

import math
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ._read import DEFAULT_TABLE, read_records
from ._record import expand_steps


def percentile(sorted_values: list[float], p: float) -> float | None:
    """Nearest-rank percentile of an already sorted list (``None`` when empty)."""
    if not sorted_values:
        return None
    k = max(0, min(len(sorted_values) - 1, int(-(-p * len(sorted_values) // 100)) - 1))
    return sorted_values[k]


class Histogram:
    """Counts of non-negative values in logarithmic buckets 1% wide: bounded memory, percentiles
    within 1% of the exact nearest-rank value."""

    __slots__ = ("buckets", "n", "zeros")
    _BASE = math.log(1.01)

    def __init__(self) -> None:
        self.buckets: Counter[int] = Counter()
        self.n = 0
        self.zeros = 0

    def add(self, v: float) -> None:
        self.n += 1
        if v <= 0:
            self.zeros += 1
        else:
            self.buckets[math.floor(math.log(v) / self._BASE)] += 1

    def percentile(self, p: float) -> float | None:
        if not self.n:
            return None
        rank = max(1, min(self.n, math.ceil(p * self.n / 100)))
        if rank <= self.zeros:
            return 0.0
        seen = self.zeros
        for b in sorted(self.buckets):
            seen += self.buckets[b]
            if seen >= rank:
                return round(math.exp((b + 0.5) * self._BASE), 6)
        return None  # pragma: no cover - rank <= n


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
    latencies_us: Histogram = field(default_factory=Histogram, repr=False)
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
        """The ``p``-th percentile (0-100) of call latencies in microseconds (within 1%), or None
        without calls."""
        return self.latencies_us.percentile(p)

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
        if "steps" in r:
            for d in expand_steps(r):
                s.decisions += 1
                outcome = str(d.get("outcome"))
                s.decision_outcomes[outcome] += 1
                s.by_validator.setdefault(str(d.get("validator")), Counter())[outcome] += 1
        ts = r.get("ts")
        if isinstance(ts, (int, float)):
            s.first_ts = ts if s.first_ts is None else min(s.first_ts, ts)
            s.last_ts = ts if s.last_ts is None else max(s.last_ts, ts)
        t = r.get("type")
        outcome = str(r.get("outcome"))
        if t == "decision" and "steps" not in r:
            s.decisions += 1
            s.decision_outcomes[outcome] += 1
            s.by_validator.setdefault(str(r.get("validator")), Counter())[outcome] += 1
        elif t == "call":
            s.calls += 1
            s.call_outcomes[outcome] += 1
            lat = r.get("latency_us")
            if isinstance(lat, (int, float)):
                s.latencies_us.add(float(lat))
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
            n = r.get("dropped")
            s.dropped += n if type(n) is int else 0
    return s


def stats(source: str | os.PathLike[str], *, since: float | None = None, table: str = DEFAULT_TABLE) -> Stats:
    """Summarise the records of a JSONL path, SQLite path or PostgreSQL DSN."""
    return summarize(read_records(source, since=since, table=table))
