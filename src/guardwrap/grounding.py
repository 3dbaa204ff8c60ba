"""Grounding: an answer's figures, dates, product names, quotes and citations must come from the
documents the model was given.

>>> import guardwrap as gw
>>> guard = gw.Guard("demo", output=[gw.Grounded(action="block")])
>>> sheet = "Easy Saver: 3.5% AER variable. Withdrawals are free. Minimum deposit \u00a31."
>>> ctx = gw.Context(sources=[("easy-saver", sheet)])
>>> guard.check("The Easy Saver pays 3.5% AER.", stage="output", context=ctx).outcome
'pass'
>>> d = guard.check("The Easy Saver pays 4.5% AER.", stage="output", context=ctx)
>>> d.outcome, [f.rule for f in d.findings]
('blocked', ['unsupported-percent'])

The check is deterministic and offline: no model, no embeddings, no network. It proves that each
checkable claim of the answer is *stated in* the sources (same figure, same unit, same kind of
rate); it does not prove that the answer's prose uses it correctly. See ``docs/grounding.md``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from operator import attrgetter
from typing import Any

from ._claims import (
    CLAIM_KINDS,
    LOCALES,
    Claim,
    Spans,
    citations,
    entities,
    exclusions,
    extract,
    grammar,
    prescan,
    prescan_ready,
    quotes,
    sentence_ends,
)
from ._claimtext import source_view
from ._claimtext import view as claim_view
from ._decision import Finding, Result
from ._errors import PolicyError
from ._sources import SourceIndex
from ._validator import Validator, check_choice

__all__ = ["CITATION_MODES", "Grounded", "sources_from_messages"]

CITATION_MODES = ("off", "check", "require")
_WITHOUT_SOURCES = ("fail", "pass")
_KIND_WORDS = {
    "money": "money amount", "percent": "percentage or rate", "date": "date", "time": "time of day",
    "duration": "duration", "number": "number", "code": "code or reference number",
    "entity": "product or fee name", "quote": "quotation",
}
_MAX_FEEDBACK_ITEMS = 8
_START = attrgetter("start")


class Grounded(Validator):
    """Fail when the answer states figures, dates, names, quotes or citations its sources do not.

    The sources are the call's ``gw.Context(sources=[...])`` (strings, or ``(id, text)`` pairs),
    plus the standing ``facts`` configured here (texts that are always true for this assistant,
    such as opening hours or a phone number). Each claim of the answer is looked up:

    - figures with their unit and role: money (``£35`` = ``35 GBP`` = ``thirty-five pounds``; an
      amount per month is not the same amount per year), percentages and rates (``3.5%`` =
      ``3.50 per cent``; an APR is not an AER), durations (``14 days`` = ``two weeks``), times,
      dates (``1 March 2026`` = ``01/03/2026`` in a day-first ``locale``), counts and other numbers,
      codes (sort codes, phone and reference numbers, product codes);
    - product and fee names (capitalised names ending in *Account*, *Saver*, *ISA*, *Fee*, *Rate*...)
      against the sources' wording;
    - double-quoted passages of at least ``quote_min_words`` words, which must appear verbatim;
    - citation markers (``[1]``, ``[doc-id]``): with ``citations="check"`` (default) each must point
      at a given source (by id, or by position from 1), and the claims of a sentence that cites
      sources must be found in those sources; ``"require"`` also fails sentences that make claims
      without citing any; ``"off"`` ignores markers.

    Each unsupported claim is a finding (``rule="unsupported-money"``, ``"unsupported-date"``, ...,
    ``"quote-not-found"``, ``"unknown-citation"``, ``"missing-citation"``, ``"miscited-<kind>"``)
    with its offsets in the answer; the score is the share of claims supported. The answer fails
    when the score is below ``min_score`` (default 1.0: any unsupported claim) or a citation is bad.

    Without sources (none given and no ``facts``) an answer that makes claims fails closed with
    reason ``no-sources``; ``without_sources="pass"`` lets it through unchecked instead. An answer
    without checkable claims always passes.

    Actions: ``block`` (default), ``escalate``, ``warn``, ``reask`` (the feedback names the kind and
    position of each unsupported claim, never a value). Output stage only. On a stream, text is
    released sentence by sentence once every claim in it has been checked.
    """

    name = "grounded"
    version = "1"
    stage = "output"
    action = "block"
    actions = frozenset({"block", "escalate", "warn", "reask"})

    def __init__(
        self,
        *,
        action: str = "block",
        kinds: Iterable[str] | None = None,
        locale: str = "en-GB",
        citations: str = "check",
        quote_min_words: int = 4,
        facts: Iterable[str] = (),
        min_score: float = 1.0,
        without_sources: str = "fail",
        max_reasks: int = 1,
        name: str | None = None,
    ) -> None:
        super().__init__(action=action, name=name)
        chosen = frozenset(check_choice(kinds, CLAIM_KINDS, "kinds"))
        if locale not in LOCALES:
            raise PolicyError(f"unknown locale {locale!r}", key="locale", expected=" | ".join(sorted(LOCALES)))
        if citations not in CITATION_MODES:
            raise PolicyError(f"unknown citations mode {citations!r}", key="citations",
                              expected=" | ".join(CITATION_MODES))
        if not isinstance(quote_min_words, int) or isinstance(quote_min_words, bool) or quote_min_words < 1:
            raise PolicyError(f"quote_min_words is {quote_min_words!r}", key="quote_min_words",
                              expected="an integer >= 1")
        if not isinstance(min_score, (int, float)) or isinstance(min_score, bool) or not 0 < min_score <= 1:
            raise PolicyError(f"min_score is {min_score!r}", key="min_score", expected="a number in (0, 1]")
        if without_sources not in _WITHOUT_SOURCES:
            raise PolicyError(f"unknown without_sources {without_sources!r}", key="without_sources",
                              expected=" | ".join(_WITHOUT_SOURCES))
        if not isinstance(max_reasks, int) or isinstance(max_reasks, bool) or max_reasks < 0:
            raise PolicyError(f"max_reasks is {max_reasks!r}", key="max_reasks", expected="an integer >= 0")
        if isinstance(facts, str):
            raise PolicyError("facts must be a list of texts", key="facts", expected="a list of strings")
        fact_list = list(facts)
        for i, f in enumerate(fact_list):
            if not isinstance(f, str):
                raise PolicyError(f"facts[{i}] is a {type(f).__name__}", key=f"facts[{i}]", expected="a string")
        self.kinds = chosen
        self.locale = locale
        self.citations = citations
        self.quote_min_words = quote_min_words
        self.min_score = float(min_score)
        self.without_sources = without_sources
        self.max_reasks = max_reasks
        self._grammar = grammar(locale)
        self._facts = "\n\n".join(source_view(f) for f in fact_list) if fact_list else None
        self._n_facts = len(fact_list)
        self._numeric = self.kinds - {"entity", "quote"}
        self._state_key = ("grounded", locale, id(self) if fact_list else None)
        # one Hyperscan pass over each answer finds where names and number words can be (the
        # database is compiled once per process); without it the readers scan on their own
        self._prescan = prescan_ready()

    # -- configuration ------------------------------------------------------------------------

    def config(self) -> dict[str, Any]:
        import hashlib

        return {
            "kinds": sorted(self.kinds), "locale": self.locale, "citations": self.citations,
            "quote_min_words": self.quote_min_words, "min_score": self.min_score,
            "without_sources": self.without_sources, "max_reasks": self.max_reasks,
            # facts may be internal: the policy hash covers their digest
            "facts_sha256": hashlib.sha256((self._facts or "").encode()).hexdigest() if self._facts else None,
        }

    def __repr__(self) -> str:
        return (f"Grounded(action={self.action!r}, locale={self.locale!r}, citations={self.citations!r}, "
                f"kinds={len(self.kinds)}, facts={self._n_facts})")

    # -- the check ------------------------------------------------------------------------------

    def _index(self, ctx: Any) -> SourceIndex | None:
        """The call's sources, indexed once per call (cached in the call's state)."""
        sources = getattr(ctx, "sources", None) if ctx is not None else None
        if not sources and not self._facts:
            return None
        state = getattr(ctx, "state", None)
        if state is None:
            return SourceIndex(sources or (), self._grammar, self._facts)
        key = (*self._state_key, id(sources))
        index = state.get(key)
        if index is None:
            index = state[key] = SourceIndex(sources or (), self._grammar, self._facts)
        return index  # type: ignore[no-any-return]

    def claims(self, text: str) -> list[Claim]:
        """The checkable claims of ``text`` (offsets into ``text``), without looking anything up."""
        v, offsets = claim_view(text)
        found = self._claims(v, citations(v))
        if offsets is not None:
            for c in found:
                c.start, c.end = offsets.span(c.start, c.end)
        return found

    def _claims(self, v: str, marks: Sequence[tuple[int, int, tuple[str, ...]]]) -> list[Claim]:
        skip = exclusions(v)
        if marks:
            skip = sorted([*skip, *((a, b) for a, b, _ in marks)])
        pre = prescan(v) if self._prescan else None
        out = extract(v, self._grammar, kinds=self._numeric, skip=skip, pre=pre) if self._numeric else []
        if "entity" in self.kinds and _has_capital_run(v):
            names = entities(v, heads=pre.heads if pre is not None else None)
            if skip:
                skipped = Spans(skip)
                out.extend(c for c in names if not skipped.holds(c.start))
            else:
                out.extend(names)
        if "quote" in self.kinds:
            out.extend(quotes(v, self.quote_min_words))
        if len(out) > 1:
            out.sort(key=_START)
        return out

    def check(self, text: str, ctx: Any) -> Result | None:
        v, offsets = claim_view(text)
        found = citations(v)  # markers hold no figures, even when they are not checked
        claims = self._claims(v, found)
        marks = [] if self.citations == "off" else found
        if not claims and not marks:
            return self._done(ctx, 0, 0, None)
        index = self._index(ctx)
        if index is None:
            if self.without_sources == "pass":
                return None
            findings = [self._finding(f"unsupported-{c.kind}", c.start, c.end, offsets) for c in claims]
            findings.extend(self._finding("unknown-citation", a, b, offsets) for a, b, _ in marks)
            findings.sort(key=lambda f: f.start)
            feedback = (_feedback("no sources were provided for", claims, offsets) if claims else
                        "the answer cites sources, but none were provided; do not cite")
            return Result.fail("no-sources", findings=findings, score=0.0, feedback=feedback)
        findings = []
        unsupported: list[Claim] = []
        cited = self._cited(v, marks, index, findings, offsets)
        if cited:
            cited_starts = [a for a, _, _ in cited]
            allowed_for = [_allowed_for(c, cited, cited_starts) for c in claims]
            # what can be settled of the lookups whatever the citations allow, in one pass
            index.settle_written([c for c, allowed in zip(claims, allowed_for, strict=True) if allowed is None])
        else:
            allowed_for = [None] * len(claims)
            index.settle_written(claims)
        settled = index.settled
        supported = 0
        for c, allowed in zip(claims, allowed_for, strict=True):
            if (allowed is None and c in settled) or index.supports(c, allowed):
                supported += 1
                continue
            if allowed is not None and index.supports(c, None):
                findings.append(self._finding(f"miscited-{c.kind}", c.start, c.end, offsets))
            else:
                findings.append(self._finding("quote-not-found" if c.kind == "quote" else f"unsupported-{c.kind}",
                                              c.start, c.end, offsets))
            unsupported.append(c)
        if self.citations == "require":
            self._require(v, claims, marks, findings, offsets)
        return self._done(ctx, supported, len(claims), findings, unsupported, offsets)

    def _done(self, ctx: Any, supported: int, total: int, findings: list[Finding] | None,
              unsupported: Sequence[Claim] = (), offsets: Any = None) -> Result | None:
        score = self._score(ctx, supported, total, final=bool(findings))
        if not findings:
            return Result.ok(score=score) if score is not None else None
        bad_citation = any(f.rule in ("unknown-citation", "missing-citation") for f in findings)
        if not bad_citation and (total == 0 or supported / total >= self.min_score):
            return Result.ok(score=score)
        findings.sort(key=lambda f: f.start)
        reason = "ungrounded" if unsupported else "bad-citation"
        what = "the sources do not state" if unsupported else "citations must point at a given source:"
        feedback = _feedback(what, unsupported, offsets) if unsupported else (
            "the answer cites sources that were not provided; cite only the given sources by their "
            "number or id" if not any(f.rule == "missing-citation" for f in findings) else
            "every sentence that states a figure, date or name must cite the source it comes from")
        return Result.fail(reason, findings=findings, score=score if score is not None else 0.0, feedback=feedback)

    def _score(self, ctx: Any, supported: int, total: int, final: bool = False) -> float | None:
        """Share of claims supported; on a stream, over all segments so far, reported on the last
        segment (or on the one that fails)."""
        if ctx is not None and getattr(ctx, "streaming", False):
            state = ctx.state
            key = ("grounded-score", id(self))
            s, t = state.get(key, (0, 0))
            s, t = s + supported, t + total
            state[key] = (s, t)
            if not (ctx.final or final):
                return None
            supported, total = s, t
        if total == 0:
            return 1.0
        return round(supported / total, 4)

    def _finding(self, rule: str, start: int, end: int, offsets: Any) -> Finding:
        if offsets is not None:
            start, end = offsets.span(start, end)
        return Finding(rule=rule, start=start, end=end)

    def _cited(self, v: str, marks: Sequence[tuple[int, int, tuple[str, ...]]], index: SourceIndex,
               findings: list[Finding], offsets: Any) -> list[tuple[int, int, frozenset[int]]]:
        """For each sentence that cites sources: (start, end, the sources it cites)."""
        if not marks:
            return []
        bounds = _sentences(v)
        by_sentence: dict[int, set[int]] = {}
        for a, b, ids in marks:
            k = _sentence_of(bounds, a, v)
            for marker in ids:
                i = index.resolve(marker)
                if i is None:
                    findings.append(self._finding("unknown-citation", a, b, offsets))
                else:
                    by_sentence.setdefault(k, set()).add(i)
        return [(bounds[k][0], bounds[k][1], frozenset(s)) for k, s in sorted(by_sentence.items())]

    def _require(self, v: str, claims: Sequence[Claim], marks: Sequence[tuple[int, int, tuple[str, ...]]],
                 findings: list[Finding], offsets: Any) -> None:
        bounds = _sentences(v)
        cited = {_sentence_of(bounds, a, v) for a, _, _ in marks}
        flagged: set[int] = set()
        for c in claims:
            k = _sentence_of(bounds, c.start, v)
            if k not in cited and k not in flagged:
                flagged.add(k)
                findings.append(self._finding("missing-citation", bounds[k][0], max(bounds[k][1], bounds[k][0] + 1),
                                              offsets))

    # -- streaming ------------------------------------------------------------------------------

    def stream_safe(self, text: str) -> int:
        """Release whole sentences only, and only once the next sentence has begun (so a citation
        after the full stop still counts for its sentence); never inside an open quotation."""
        ends = sentence_ends(text)
        n = len(text)
        safe = 0
        for e in reversed(ends):
            k = _skip_space(text, e)
            settled = k < n
            while settled and text[k] == "[":  # citation markers after the stop go with the sentence
                close = text.find("]", k)
                if close < 0 or close - k > 70:
                    settled = False
                    break
                e = close + 1
                k = _skip_space(text, e)
                settled = k < n
            if settled:
                safe = e
                break
        if safe and text.count('"', 0, safe) % 2 == 1:
            q = text.rfind('"', 0, safe)
            safe = max((e for e in ends if e <= q), default=0)
        return safe


# -- helpers -------------------------------------------------------------------------------------


def _has_capital_run(v: str) -> bool:
    return not v.islower()


def _skip_space(v: str, i: int) -> int:
    n = len(v)
    while i < n and v[i] in " \n\"')":
        i += 1
    return i


def _sentences(v: str) -> list[tuple[int, int]]:
    out = []
    a = 0
    for e in sentence_ends(v):
        out.append((a, e))
        a = e
    out.append((a, len(v)))
    return out


def _sentence_of(bounds: list[tuple[int, int]], pos: int, v: str) -> int:
    """The sentence holding ``pos``; a marker right after a full stop belongs to the sentence before."""
    k = max(0, bisect_right(bounds, (pos, len(v) + 1)) - 1)
    a = bounds[k][0]
    if k > 0 and v[a:pos].strip() == "" and "\n" not in v[a:pos]:
        return k - 1
    return k


def _allowed_for(c: Claim, cited: list[tuple[int, int, frozenset[int]]], starts: list[int]) -> frozenset[int] | None:
    """The sources cited by the sentence holding ``c`` (``cited``: disjoint sentences in order,
    ``starts`` their starts), or None."""
    k = bisect_right(starts, c.start) - 1
    if k >= 0:
        a, b, s = cited[k]
        if a <= c.start < b:
            return s
    return None


def _feedback(what: str, claims: Sequence[Claim], offsets: Any) -> str:
    """Re-ask feedback: the kind and position of each unsupported claim, never its value."""
    items = []
    for c in claims[:_MAX_FEEDBACK_ITEMS]:
        s, e = c.start, c.end
        if offsets is not None:
            s, e = offsets.span(s, e)
        items.append(f"{_KIND_WORDS.get(c.kind, c.kind)} at characters {s}-{e}")
    more = len(claims) - len(items)
    listed = "; ".join(items) + (f"; and {more} more" if more > 0 else "")
    return (f"{what} {listed}. Use only figures, dates, names and quotations that appear in the provided "
            "sources, or say that the information is not available")


def sources_from_messages(messages: Sequence[Any], roles: Sequence[str] = ("system", "tool")) -> list[tuple[str, str]]:
    """The text of OpenAI-style ``messages`` with the given ``roles`` as sources: ``(id, text)``
    pairs with ids ``system-0``, ``tool-3`` (role and message position), for
    ``gw.Context(sources=gw.sources_from_messages(messages))``. Tool results are where a RAG or
    account lookup usually puts the facts the model may state."""
    out = []
    for i, m in enumerate(messages):
        role = m.get("role") if isinstance(m, dict) else getattr(m, "role", None)
        if role not in roles:
            continue
        content = m.get("content") if isinstance(m, dict) else getattr(m, "content", None)
        if isinstance(content, str):
            text = content
        elif isinstance(content, (list, tuple)):
            text = "\n".join(p.get("text", "") for p in content if isinstance(p, dict) and isinstance(p.get("text"), str))
        else:
            continue
        if text:
            out.append((f"{role}-{i}", text))
    return out
