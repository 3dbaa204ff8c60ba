"""Red-team runs: a corpus of attacks (and ordinary questions) through a guard, before it ships.

>>> import guardwrap as gw
>>> from guardwrap.redteam import run_redteam
>>> report = run_redteam(gw.Guard("demo"), [{"text": "What are your opening hours?", "expected": "pass"}])
>>> report.total, report.misses
(1, [])

A corpus is JSONL (one object per line: ``text``, optional ``category``, optional ``expected``,
optional ``sources``: the documents an answer must be grounded in, for ``grounded``) or
plain text (one attack per line; ``#`` starts a comment line). ``expected`` is an outcome
(``pass``, ``blocked``, ``escalated``, ``fixed``, ``warned``) or ``caught`` (blocked or escalated);
it defaults to ``caught``, since a line in an attack corpus is an attack. ``pass`` is met by any
outcome that lets the text through (pass, warned, fixed).

The run calls the guard's validators directly: nothing is written to the guard's audit sinks and
nothing is submitted to its review queue, so a red-team run never pollutes production records
(``run_redteam(..., audit=sink)`` records it in a log of its own).
Misses are reported with personal data redacted (`guardwrap.pii`), or, where that module is
unavailable, with only category, index and a keyed hash of the text.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from ._context import CallContext, Context, coerce
from ._decision import OUTCOMES
from ._errors import PolicyError
from ._privacy import redact, visible
from .audit._keys import audit_key, keyed_hash
from .audit._keys import hasher as _hasher
from .audit._record import DeferredDecision

__all__ = ["STARTER", "CorpusItem", "Miss", "RedteamReport", "load_corpus", "run_redteam"]

#: Name of the starter corpus shipped with guardwrap (``guardwrap redteam POLICY starter``).
STARTER = "starter"
#: Other corpora shipped with guardwrap, by name (output-stage corpora carry their ``sources``).
SHIPPED = {"hallucinated-figures": "hallucinated_figures.jsonl"}
EXPECTATIONS = (*OUTCOMES, "caught")
_ALIASES = {"block": "blocked", "escalate": "escalated", "fix": "fixed", "warn": "warned", "allow": "pass",
            "stop": "caught", "stopped": "caught"}
_MAX_SHOWN = 240


class CorpusItem:
    """One line of a corpus."""

    __slots__ = ("category", "expected", "index", "sources", "text")

    def __init__(self, text: str, category: str = "uncategorized", expected: str = "caught", index: int = 0,
                 sources: Any = None) -> None:
        self.text = text
        self.category = category
        self.expected = expected
        self.index = index
        self.sources = sources

    def __repr__(self) -> str:
        return f"CorpusItem(index={self.index}, category={self.category!r}, expected={self.expected!r})"


def met(expected: str, outcome: str) -> bool:
    """Whether ``outcome`` satisfies ``expected``."""
    if expected == "caught":
        return outcome in ("blocked", "escalated")
    if expected == "pass":
        return outcome in ("pass", "warned", "fixed")
    return outcome == expected


def _expectation(value: Any, where: str) -> str:
    if value is None:
        return "caught"
    e = _ALIASES.get(str(value).strip().lower(), str(value).strip().lower())
    if e not in EXPECTATIONS:
        raise PolicyError(f"unknown expected outcome {value!r}", file=where, key="expected",
                          expected=" | ".join(EXPECTATIONS))
    return e


def _item(obj: Any, index: int, where: str, line: int | None = None) -> CorpusItem:
    if isinstance(obj, CorpusItem):
        return obj
    if isinstance(obj, str):
        return CorpusItem(obj, index=index)
    if not isinstance(obj, Mapping):
        raise PolicyError("each corpus entry must be an object or a string", file=where, line=line,
                          expected='{"text": ..., "category": ..., "expected": ...}')
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        raise PolicyError("missing or empty text", file=where, line=line, key="text", expected="a string")
    category = obj.get("category") or "uncategorized"
    sources = obj.get("sources")
    if sources is not None:
        from ._context import check_sources

        try:
            sources = check_sources(sources)
        except (TypeError, ValueError) as exc:
            raise PolicyError(str(exc), file=where, line=line, key="sources",
                              expected="a list of texts or [id, text] pairs") from None
    return CorpusItem(text, str(category), _expectation(obj.get("expected"), where), index, sources)


def starter_path() -> Path:
    """Where the starter corpus is installed."""
    return Path(str(resources.files("guardwrap").joinpath("data/redteam/starter.jsonl")))


def load_corpus(corpus: str | Path | Iterable[Any]) -> list[CorpusItem]:
    """Read a corpus: a path (``.jsonl`` / ``.json`` lines or plain text), ``"starter"``, or an
    iterable of strings / ``{"text", "category", "expected"}`` mappings."""
    if isinstance(corpus, str) and corpus == STARTER:
        corpus = starter_path()
    elif isinstance(corpus, str) and corpus in SHIPPED:
        corpus = Path(str(resources.files("guardwrap").joinpath(f"data/redteam/{SHIPPED[corpus]}")))
    if isinstance(corpus, (str, Path)):
        path = Path(corpus)
        raw = path.read_text(encoding="utf-8")
        items: list[CorpusItem] = []
        is_jsonl = path.suffix.lower() in (".jsonl", ".ndjson", ".json") or raw.lstrip().startswith("{")
        for lineno, line in enumerate(raw.splitlines(), 1):
            stripped = line.strip()
            if not stripped or (not is_jsonl and stripped.startswith("#")):
                continue
            if is_jsonl:
                try:
                    obj = json.loads(stripped)
                except json.JSONDecodeError as exc:
                    raise PolicyError(f"not valid JSON ({exc.msg})", file=str(path), line=lineno,
                                      expected="one JSON object per line") from None
                items.append(_item(obj, len(items), str(path), lineno))
            else:
                items.append(CorpusItem(stripped, index=len(items)))
        return items
    return [_item(obj, i, "<corpus>") for i, obj in enumerate(corpus)]


class Miss:
    """An item whose outcome did not meet its expectation. ``text`` is redacted or ``None``."""

    __slots__ = ("category", "expected", "index", "kind", "outcome", "reasons", "text", "text_hash", "validators")

    def __init__(self, item: CorpusItem, outcome: str, reasons: tuple[str, ...], validators: tuple[str, ...],
                 key: bytes) -> None:
        self.index = item.index
        self.category = item.category
        self.expected = item.expected
        self.outcome = outcome
        self.reasons = reasons
        self.validators = validators
        # False positive: an ordinary text stopped; missed attack: an attack let through.
        if item.expected == "pass":
            self.kind = "false-positive"
        elif item.expected == "caught" or outcome in ("pass", "warned", "fixed"):
            self.kind = "missed-attack"
        else:
            self.kind = "mismatch"
        shown = redact(item.text)
        if shown is not None:
            shown = visible(shown)
        if shown is not None and len(shown) > _MAX_SHOWN:
            shown = shown[: _MAX_SHOWN - 1] + "\u2026"
        self.text = shown
        self.text_hash = keyed_hash(item.text, key)[:16]

    def to_dict(self) -> dict[str, Any]:
        """The miss as JSON-able data (text redacted or withheld)."""
        out = {name: getattr(self, name) for name in self.__slots__}
        out["reasons"], out["validators"] = list(self.reasons), list(self.validators)
        return out

    def __repr__(self) -> str:
        return f"Miss(index={self.index}, category={self.category!r}, expected={self.expected!r}, outcome={self.outcome!r})"


class RedteamReport:
    """Outcomes per category and the misses of one red-team run.

    ``categories`` maps a category to counts per outcome plus ``n`` and ``met`` (expectations met);
    ``misses`` lists what did not meet its expectation; ``ok`` is true when nothing was missed.
    """

    def __init__(self, *, guard: str, policy: Mapping[str, Any], stage: str, categories: dict[str, dict[str, int]],
                 misses: list[Miss], total: int, seconds: float, started: float, redacted: bool) -> None:
        self.guard = guard
        self.policy = dict(policy)
        self.stage = stage
        self.categories = categories
        self.misses = misses
        self.total = total
        self.seconds = seconds
        self.started = started
        self.redacted = redacted

    @property
    def ok(self) -> bool:
        """True when every text met its expectation (no attack got through, nothing ordinary stopped)."""
        return not self.misses

    def rates(self) -> dict[str, dict[str, float]]:
        """Per category: the share of items per outcome and the share caught (blocked or escalated)."""
        out: dict[str, dict[str, float]] = {}
        for cat, c in self.categories.items():
            n = c["n"] or 1
            r = {o: c.get(o, 0) / n for o in OUTCOMES}
            r["caught"] = (c.get("blocked", 0) + c.get("escalated", 0)) / n
            r["met"] = c["met"] / n
            out[cat] = r
        return out

    def to_dict(self) -> dict[str, Any]:
        """The whole report as JSON-able data (what ``guardwrap redteam --json`` prints)."""
        return {
            "guard": self.guard,
            "policy": self.policy,
            "stage": self.stage,
            "total": self.total,
            "seconds": round(self.seconds, 3),
            "started": self.started,
            "ok": self.ok,
            "categories": self.categories,
            "rates": {k: {o: round(v, 4) for o, v in r.items()} for k, r in self.rates().items()},
            "misses": [m.to_dict() for m in self.misses],
            "text_shown": "redacted" if self.redacted else "withheld",
        }

    def to_json(self, indent: int | None = 2) -> str:
        """`to_dict` as a JSON string."""
        return json.dumps(self.to_dict(), indent=indent, sort_keys=True)

    def summary(self) -> str:
        """A plain-text table: outcome rates per category, then the misses."""
        head = f"{'category':<26}{'n':>5}{'blocked':>9}{'escal.':>8}{'fixed':>7}{'warned':>8}{'pass':>7}{'met':>7}"
        lines = [head, "-" * len(head)]
        for cat, r in sorted(self.rates().items()):
            c = self.categories[cat]
            lines.append(f"{cat:<26}{c['n']:>5}" + "".join(
                f"{r[o]:>{w}.0%}" for o, w in (("blocked", 9), ("escalated", 8), ("fixed", 7), ("warned", 8), ("pass", 7))
            ) + f"{r['met']:>7.0%}")
        lines.append(f"{self.total} texts, {len(self.misses)} miss(es), {self.seconds:.2f}s, stage {self.stage}")
        for m in self.misses:
            shown = m.text if m.text is not None else f"[text withheld, hash {m.text_hash}]"
            lines.append(f"  #{m.index} {m.category} {m.kind}: expected {m.expected}, got {m.outcome}"
                         f" ({', '.join(m.reasons) or 'no reason'}): {shown}")
        return "\n".join(lines)

    def to_html(self, path: str | Path | None = None) -> str:
        """The report as one self-contained HTML page (inline SVG chart); written to ``path`` if given."""
        from . import _html as h

        keys = ["blocked", "escalated", "fixed", "warned", "pass"]
        caught = sum(c.get("blocked", 0) + c.get("escalated", 0) for c in self.categories.values())
        fps = sum(1 for m in self.misses if m.kind == "false-positive")
        missed = sum(1 for m in self.misses if m.kind == "missed-attack")
        sub = (f"guard {self.guard} \u00b7 policy {self.policy.get('id')} v{self.policy.get('version') or '-'} "
               f"\u00b7 hash {str(self.policy.get('hash', ''))[:16]} \u00b7 stage {self.stage} \u00b7 "
               f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(self.started))}")
        rate_rows = []
        for cat, r in sorted(self.rates().items()):
            c = self.categories[cat]
            rate_rows.append([cat, c["n"], *(f"{r[k]:.0%}" for k in keys), f"{r['met']:.0%}"])
        miss_rows = [
            [m.index, m.category, m.kind, m.expected, m.outcome, ", ".join(m.reasons) or "-",
             m.text if m.text is not None else f"[withheld; hash {m.text_hash}]"]
            for m in self.misses
        ]
        body = [
            h.cards([("texts", self.total), ("stopped (blocked or escalated)", caught),
                     ("attacks missed", missed), ("false positives", fps),
                     ("run time", f"{self.seconds:.2f} s")]),
            h.section("Expectations per category",
                      "<p class=\"note\">Green: the outcome the corpus expected. Red: an attack got "
                      "through. Orange: an ordinary text was stopped.</p>",
                      h.stacked_bars("Expectations met and missed per category", self._expectation_rows(),
                                     list(_EXPECTATION_COLORS), colors=_EXPECTATION_COLORS)),
            h.section("Outcomes per category",
                      h.table(["category", "n", *keys, "expectation met"], rate_rows, numeric=range(1, 8))),
            h.section(
                "Misses",
                "<p class=\"note\">Texts whose outcome did not meet the expectation. Personal data is "
                + ("redacted." if self.redacted else "withheld: only a keyed hash of each text is shown.")
                + "</p>",
                h.table(["#", "category", "kind", "expected", "outcome", "reasons", "text"], miss_rows)
                if miss_rows else "<p>None: every text met its expectation.</p>",
            ),
        ]
        html = h.page("guardwrap red-team report", body, sub)
        if path is not None:
            Path(path).write_text(html, encoding="utf-8")
        return html

    def _expectation_rows(self) -> list[tuple[str, dict[str, int]]]:
        """Per category: texts that met their expectation (stopped or let through) and the misses
        by kind, so that a category whose attacks got through can never look green."""
        rows = []
        for cat in sorted(self.categories):
            c = self.categories[cat]
            kinds = {kind: sum(1 for m in self.misses if m.category == cat and m.kind == kind)
                     for kind in ("missed-attack", "false-positive", "mismatch")}
            met_stopped = c.get("blocked", 0) + c.get("escalated", 0) - sum(
                1 for m in self.misses if m.category == cat and m.outcome in ("blocked", "escalated"))
            rows.append((cat, {
                "stopped, as expected": met_stopped,
                "let through, as expected": c["met"] - met_stopped,
                "attack missed": kinds["missed-attack"],
                "ordinary text stopped": kinds["false-positive"],
                "other mismatch": kinds["mismatch"],
            }))
        return rows

    def __repr__(self) -> str:
        return f"RedteamReport(total={self.total}, categories={len(self.categories)}, misses={len(self.misses)})"


#: Colours of the expectation chart: green only for what met its expectation.
_EXPECTATION_COLORS = {
    "stopped, as expected": "#2e7d32",
    "let through, as expected": "#81c784",
    "attack missed": "#c62828",
    "ordinary text stopped": "#ef8f00",
    "other mismatch": "#6a1b9a",
}


def run_redteam(guard: Any, corpus: str | Path | Iterable[Any], *, stage: str = "input",
                progress: Callable[[int, int], None] | None = None, audit: Any = None) -> RedteamReport:
    """Run every text of ``corpus`` through ``guard``'s ``stage`` validators and report the outcomes.

    ``progress(done, total)`` is called after each text. Nothing is written to the guard's audit
    sinks; ``audit`` (a sink or a list of sinks) records each decision there instead, tagged
    ``app="redteam"`` with a ``redteam-<index>`` request id. Returns a `RedteamReport`.
    """
    if stage not in ("input", "output"):
        raise PolicyError(f"unknown stage {stage!r}", key="stage", expected="input | output")
    items = load_corpus(corpus)
    chain = guard._in if stage == "input" else guard._out
    key = getattr(guard, "_key", None) or audit_key()
    categories: dict[str, dict[str, int]] = {}
    misses: list[Miss] = []
    started = time.time()
    t0 = time.perf_counter()
    total = len(items)
    sinks = [] if audit is None else list(audit) if isinstance(audit, (list, tuple)) else [audit]
    hasher_ = _hasher(key) if sinks else None
    run_id = f"redteam-{int(started)}"
    for done, item in enumerate(items, 1):
        # A fresh context per text, as for a real call; no review queue; audit only where asked.
        base = Context(request_id=f"{run_id}-{item.index}", app="redteam") if sinks else coerce(None)
        ctx = CallContext(guard.name, base if item.sources is None else base.merged(sources=item.sources), None)
        d = chain.run(item.text, ctx)
        if sinks and d.steps:
            pending = DeferredDecision(d, guard.policy, ctx, hasher_, None, None)
            for sink in sinks:
                for rec in pending.records(getattr(sink, "layout", "decision")):
                    sink.emit(rec)
        c = categories.setdefault(item.category, {"n": 0, "met": 0, **dict.fromkeys(OUTCOMES, 0)})
        c["n"] += 1
        c[d.outcome] += 1
        if met(item.expected, d.outcome):
            c["met"] += 1
        else:
            who = tuple(s.validator for s in d.steps if s.outcome != "pass")
            misses.append(Miss(item, d.outcome, tuple(d.reasons), who, key))
        if progress is not None:
            progress(done, total)
    policy = guard.policy
    return RedteamReport(
        guard=guard.name,
        policy={"id": policy.id, "version": policy.version, "hash": policy.hash},
        stage=stage, categories=categories, misses=misses, total=total,
        seconds=time.perf_counter() - t0, started=started, redacted=redact("") is not None,
    )
