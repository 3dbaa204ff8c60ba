"""Finance output rules: what a bank's assistant may not say, and what it must say.

- `NoPersonalAdvice` (policy key ``no_personal_advice``): no personalised investment advice
  ("you should move your pension into...", "the best fund for you is...").
- `NoReturnPromises` (``no_return_promises``): no promises of investment returns ("guaranteed
  returns", "risk-free", "you can't lose", "will definitely go up").
- `NoGuaranteedApproval` (``no_guaranteed_approval``): no statements that credit will be approved
  ("you will be approved", "guaranteed acceptance", "no credit checks" for a loan).
- `RequiredDisclaimers` (``required_disclaimers``): an answer that gives investment, credit or
  mortgage information carries the matching risk warning; ``action="fix"`` appends it.

Each rule reads a normalised view of the answer (case, look-alike letters, invisible characters
undone) and explains itself: the reason names the rule, each finding names the pattern family
that fired (``return-promise:guaranteed-returns``) with its offsets, and the re-ask feedback says
what to change without quoting the answer. Negated statements ("returns are not guaranteed", "we
cannot guarantee approval") do not fire.

>>> import guardwrap as gw
>>> rule = gw.NoReturnPromises()
>>> rule.check("This fund offers guaranteed returns of 8%.", None).findings[0].rule
'return-promise:guaranteed-returns'
>>> rule.check("Returns are not guaranteed and you could lose money.", None) is None
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ._decision import Finding, Result
from ._errors import PolicyError
from ._textnorm import FOLD, span
from ._validator import Validator, check_choice

__all__ = [
    "DISCLAIMERS",
    "NoGuaranteedApproval",
    "NoPersonalAdvice",
    "NoReturnPromises",
    "RequiredDisclaimers",
]

_NEGATION = re.compile(
    r"\b(?:not|no|never|cannot|can't|can not|isn't|aren't|won't|wouldn't|don't|doesn't|didn't|without|"
    r"nor|neither|nobody|no one|none)\b[^.!?\n]*$")
_CLAUSE_START = re.compile(r"[.!?;\n](?=[^.!?;\n]*$)")
_INVEST_WORDS = (r"shares?|stocks?|funds?|etfs?|bonds?|gilts?|crypto\w*|bitcoin|ethereum|pensions?|sipps?"
                 r"|portfolios?|isas?|investments?|equities|index|trackers?|gold|the\s+market|options|derivatives"
                 r"|annuit(?:y|ies)|unit\s+trusts?")
_INVEST_OBJECT = f"(?:{_INVEST_WORDS})"
_INVEST_CONTEXT = re.compile(r"\b(?:invest\w*|fund|shares?|stocks?|portfolio|crypto\w*|bitcoin|returns?|trading"
                             r"|market|equit\w+|pension|dividends?)\b")
_LENDING_CONTEXT = re.compile(r"\b(?:loans?|credit\s+cards?|cards?|mortgages?|overdrafts?|borrow\w*|lend\w*|finance"
                              r"|credit\s+(?:limits?|lines?|facilit\w+))\b")
_CONDITIONAL = re.compile(r"^[^.!?\n]{0,50}\b(?:if|subject\s+to|provided|depend\w*|eligib\w*|assess\w*"
                          r"|criteria|status|affordab\w*)\b")


class _Family:
    """One kind of statement a rule forbids: its patterns, and when a match does not count."""

    __slots__ = ("context", "name", "negatable", "pattern", "unless_after")

    def __init__(self, name: str, patterns: Iterable[str], *, negatable: bool = True,
                 context: re.Pattern[str] | None = None, unless_after: re.Pattern[str] | None = None) -> None:
        self.name = name
        self.pattern = re.compile("|".join(f"(?:{p})" for p in patterns))
        self.negatable = negatable
        self.context = context
        self.unless_after = unless_after


def _clause(view: str, s: int, e: int) -> tuple[int, int]:
    a = max(view.rfind(c, 0, s) for c in ".!?\n") + 1
    ends = [i for i in (view.find(c, e) for c in ".!?\n") if i >= 0]
    return a, (min(ends) if ends else len(view))


def _cut(text: str, holdback: int) -> int:
    """Where a stream may be cut: after the last space at least ``holdback`` characters from the
    end (0: not yet)."""
    safe = len(text) - holdback
    if safe <= 0:
        return 0
    ws = max(text.rfind(" ", 0, safe), text.rfind("\n", 0, safe))
    return ws + 1 if ws >= 0 else 0


def _negated(view: str, s: int) -> bool:
    window = view[max(0, s - 40):s]
    m = _CLAUSE_START.search(window)
    if m is not None:
        window = window[m.end():]
    return _NEGATION.search(window) is not None


class _PhraseRule(Validator):
    """A rule made of statement families, each a set of patterns matched on the folded view."""

    stage = "output"
    reason = "phrase"
    feedback = ""
    families: tuple[_Family, ...] = ()
    #: longest stretch a match may span, for streaming holdback
    holdback = 240

    def __init__(self, *, action: str = "block", families: Iterable[str] | None = None,
                 name: str | None = None) -> None:
        super().__init__(action=action, name=name)
        chosen = check_choice(families, [f.name for f in type(self).families], "families")
        self._families = tuple(f for f in type(self).families if f.name in chosen)

    def _scan(self, text: str) -> list[Finding]:
        view, origin = FOLD.view(text)
        out: list[Finding] = []
        for fam in self._families:
            for m in fam.pattern.finditer(view):
                s, e = m.span()
                if e <= s:
                    continue
                if fam.negatable and _negated(view, s):
                    continue
                if fam.context is not None or fam.unless_after is not None:
                    a, b = _clause(view, s, e)
                    if fam.context is not None and fam.context.search(view, a, b) is None:
                        continue
                    if fam.unless_after is not None and fam.unless_after.search(view[e:b]) is not None:
                        continue
                os_, oe = span(origin, s, e)
                out.append(Finding(rule=f"{self.reason}:{fam.name}", start=os_, end=oe))
        out.sort(key=lambda f: (f.start, f.end))
        return out

    def check(self, text: str, ctx: Any) -> Result | None:
        findings = self._scan(text)
        if not findings:
            return None
        return Result.fail(self.reason, findings=findings, feedback=self.feedback)

    def stream_safe(self, text: str) -> int:
        safe = _cut(text, self.holdback)
        if safe <= 0:
            return 0
        lo = max(0, safe - self.holdback)
        for f in self._scan(text[lo:]):
            if f.start + lo < safe < f.end + lo:
                return f.start + lo
        # a clause still open at the cut may yet turn out negated or conditional: cut before it
        a = max(text.rfind(c, 0, safe) for c in ".!?\n") + 1
        return a

    def config(self) -> dict[str, Any]:
        return {"families": [f.name for f in self._families]}


class NoReturnPromises(_PhraseRule):
    """Fail on promises of investment returns: guaranteed returns, risk-free investing, "you can't
    lose", certain growth, a promised return figure. Reason ``return-promise``; findings
    ``return-promise:<family>``. ``families`` picks which of ``guaranteed-returns``,
    ``risk-free``, ``cannot-lose``, ``certain-growth``, ``promised-figure`` apply (default all)."""

    name = "no_return_promises"
    version = "1"
    reason = "return-promise"
    feedback = ("the answer promises investment returns; do not promise or guarantee returns, and say "
                "that the value of investments can fall as well as rise")
    families = (
        _Family("guaranteed-returns", [
            r"\bguarantee[ds]?\s+(?:you\s+)?(?:a\s+|an\s+)?(?:\S+\s+){0,2}?(?:returns?|profits?|gains?|growth|income|yields?|payouts?)\b",
            r"\b(?:returns?|profits?|gains?|growth|income|yields?|payouts?)\s+(?:is|are)\s+(?:fully\s+|100%\s+)?"
            r"(?:guaranteed|assured|certain)\b",
            r"\b(?:assured|promised|certain)\s+(?:returns?|profits?|gains?)\b",
        ]),
        _Family("risk-free", [
            r"\b(?:risk[\s-]?free|no[\s-]risk|zero[\s-]risk)\s+(?:investments?|investing|returns?|profits?|gains?|way\s+to\s+"
            r"(?:invest|grow|make))\b",
            r"\b(?:investments?|investing|it|this|shares|stocks|funds?|crypto\w*|bitcoin|the\s+market)\s+(?:is|are)\s+"
            r"(?:completely\s+|totally\s+|100%\s+|absolutely\s+)?(?:risk[\s-]?free|a\s+safe\s+bet|a\s+sure\s+thing|"
            r"a\s+one[\s-]way\s+bet)\b",
        ]),
        _Family("cannot-lose", [
            r"\byou\s+(?:can't|cannot|can\s+not|won't|will\s+not|could\s+not|couldn't)\s+(?:possibly\s+)?lose\b",
            r"\b(?:no|zero)\s+(?:chance|risk|way)\s+(?:of|that\s+you(?:'ll|\s+will)?)\s+los(?:e|ing)\b",
        ], negatable=False, context=_INVEST_CONTEXT),
        _Family("certain-growth", [
            r"\b(?:definitely|certainly|surely|guaranteed\s+to|bound\s+to|sure\s+to)\s+(?:go\s+up|rise|grow|increase|"
            r"double|triple|outperform|beat\s+the\s+market|make\s+(?:you\s+)?(?:money|a\s+profit)|pay\s+off)\b",
            r"\b(?:will|'ll)\s+(?:double|triple)\s+your\s+(?:money|investment|savings|pension)\b",
            r"\b(?:shares?|stocks?|the\s+fund|investments?|portfolio|bitcoin|crypto\w*|property\s+prices|the\s+market)"
            r"\s+(?:will|is\s+going\s+to|are\s+going\s+to)\s+(?:keep\s+(?:going\s+up|rising|growing)|go\s+up|rise|"
            r"grow|increase|double|outperform|recover)\b",
        ]),
        _Family("promised-figure", [
            r"\byou(?:'ll|\s+will)\s+(?:definitely\s+|certainly\s+)?(?:earn|make|get|receive)\s+(?:a\s+)?(?:return\s+of\s+)?"
            r"(?:at\s+least\s+)?\d[\d.,]*\s?(?:%|per\s?cent|percent)\s+(?:a\s+year\s+|per\s+year\s+|annually\s+)?"
            r"(?:returns?\s+)?(?:on|from)\s+(?:your|this|the|an?)\s+(?:investment|portfolio|fund|shares|stocks|crypto\w*)",
        ]),
    )


class NoGuaranteedApproval(_PhraseRule):
    """Fail on statements that credit will be granted: guaranteed approval or acceptance, "you will
    be approved", "everyone is accepted", "no credit checks" for a loan or card. Reason
    ``approval-promise``; findings ``approval-promise:<family>``. Families:
    ``guaranteed-approval``, ``will-be-approved``, ``no-credit-check``."""

    name = "no_guaranteed_approval"
    version = "1"
    reason = "approval-promise"
    feedback = ("the answer promises that credit will be approved; say instead that applications are "
                "subject to status, eligibility and an affordability assessment")
    families = (
        _Family("guaranteed-approval", [
            r"\bguarantee[ds]?\s+(?:you\s+)?(?:an?\s+)?(?:approval|acceptance|to\s+be\s+(?:approved|accepted)|"
            r"(?:loan|mortgage|credit\s+card|card|overdraft)\s+approval)\b",
            r"\b(?:approval|acceptance)\s+(?:is\s+)?(?:guaranteed|certain|assured|a\s+certainty|automatic)\b",
            r"\b100\s?%\s+(?:approval|acceptance)\b",
            r"\b(?:instant|automatic)\s+approval\s+(?:for\s+)?(?:everyone|anyone|all)\b",
        ]),
        _Family("will-be-approved", [
            r"\byou(?:'ll|\s+will|\s+are\s+going\s+to|'re\s+going\s+to)\s+(?:definitely\s+|certainly\s+|surely\s+|"
            r"automatically\s+|easily\s+)?(?:be\s+(?:approved|accepted)|get\s+(?:the\s+|a\s+|your\s+)?"
            r"(?:loan|mortgage|credit\s+card|card|credit|overdraft|limit\s+increase))\b",
            r"\byour\s+(?:loan|mortgage|credit(?:\s+card)?|card|overdraft|limit\s+increase)\s+(?:application\s+)?"
            r"(?:is|has\s+been|will\s+be)\s+(?:definitely\s+|certainly\s+)?approved\b",
            r"\b(?:everyone|anyone|everybody|all\s+applicants)\s+(?:is|gets|will\s+be|are)\s+(?:approved|accepted)\b",
            r"\byou\s+(?:definitely|certainly)\s+qualify\b",
        ], unless_after=_CONDITIONAL),
        _Family("no-credit-check", [
            r"\bno\s+credit\s+checks?\b",
            r"\bwithout\s+(?:a\s+|any\s+)?credit\s+checks?\b",
        ], negatable=False, context=_LENDING_CONTEXT),
    )


class NoPersonalAdvice(_PhraseRule):
    """Fail on personalised investment advice: telling this customer what to buy, sell or move
    ("you should invest in...", "I recommend you put your pension into...", "the best fund for
    you", "in your situation I would..."). General information and risk warnings pass. Reason
    ``personal-advice``; families ``you-should``, ``we-recommend``, ``best-for-you``,
    ``your-situation``."""

    name = "no_personal_advice"
    version = "1"
    reason = "personal-advice"
    feedback = ("the answer gives personalised investment advice; give general information only and "
                "suggest speaking to a regulated financial adviser")
    families = (
        _Family("you-should", [
            r"\byou\s+(?:should|must|ought\s+to|need\s+to|had\s+better|'d\s+better)\s+(?:definitely\s+|really\s+|"
            r"probably\s+|just\s+)?(?:invest|buy|sell|put|move|transfer|switch|pay|cash\s+in|withdraw|consolidate|hold"
            r"|get\s+out\s+of|pull\s+out\s+of|allocate|go\s+for|choose|pick)\b[^.!?\n]{0,60}?\b" + _INVEST_OBJECT + r"\b",
        ]),
        _Family("we-recommend", [
            r"\b(?:i|we)(?:\s+would|'d)?\s+(?:strongly\s+)?(?:recommend|suggest|advise)\s+(?:that\s+you\s+|you\s+)?"
            r"(?:to\s+)?(?:invest|buy|sell|put|move|switch|choose|go\s+with|pick|open|transfer|hold)\b[^.!?\n]{0,60}?\b"
            + _INVEST_OBJECT + r"\b",
            r"\bmy\s+(?:recommendation|advice)\s+(?:for\s+you\s+)?(?:is|would\s+be)\s+to\s+(?:invest|buy|sell|put|move)\b",
        ]),
        _Family("best-for-you", [
            r"\b(?:the\s+)?(?:best|right|ideal|perfect|most\s+suitable)\s+(?:fund|investment|stock|share|portfolio|pension"
            r"|isa|option|choice|strategy)\s+for\s+(?:you|your\s+\w+)\b",
        ], context=_INVEST_CONTEXT),
        _Family("your-situation", [
            r"\b(?:in\s+your\s+(?:situation|position|shoes|case)|if\s+i\s+were\s+you|given\s+your\s+(?:age|circumstances|"
            r"situation|risk\s+(?:appetite|profile)|goals))\b[^.!?\n]{0,80}?\b(?:invest|buy|sell|put|move|"
            + _INVEST_WORDS + r")\b",
        ]),
    )


# -- required disclaimers ----------------------------------------------------------------------------

#: topic -> (trigger pattern, accepted disclaimer patterns, text appended by ``action="fix"``)
DISCLAIMERS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "investment": (
        r"\b(?:invest(?:ing|ment|ments|or|ors)?|stocks?\s+and\s+shares|shares|stocks|equities|index\s+funds?|"
        r"tracker\s+funds?|mutual\s+funds?|investment\s+funds?|unit\s+trusts?|etfs?|portfolios?|dividends?|"
        r"crypto\w*|bitcoin|government\s+bonds|corporate\s+bonds|gilts)\b",
        (r"capital\s+(?:is\s+)?at\s+risk",
         r"value\s+of\s+(?:your\s+|an?\s+|any\s+)?investments?\s+(?:and\s+(?:any\s+)?income\s+from\s+(?:it|them)\s+)?"
         r"can\s+(?:go|fall)\s+down\s+as\s+well\s+as\s+up",
         r"can\s+(?:go|fall)\s+down\s+as\s+well\s+as\s+(?:up|rise)",
         r"(?:may|might|could)\s+get\s+back\s+less\s+than\s+you\s+(?:invest(?:ed)?|put\s+in)",
         r"past\s+performance\s+is\s+not\s+a\s+(?:reliable\s+)?(?:guide|indicator)"),
        "Capital at risk: the value of investments can go down as well as up, and you may get back less "
        "than you invested.",
    ),
    "credit": (
        r"\b(?:loans?|borrow(?:ing)?|credit\s+cards?|overdrafts?|apr|credit\s+limits?|buy\s+now,?\s+pay\s+later|"
        r"lend(?:ing)?|finance\s+agreements?|car\s+finance)\b",
        (r"subject\s+to\s+(?:status|affordability|eligibility|(?:credit\s+)?approval|(?:a\s+)?credit\s+check)",
         r"representative\s+example",
         r"(?:lending|credit|borrowing)\s+is\s+subject\s+to"),
        "Credit is subject to status and affordability.",
    ),
    "mortgage": (
        r"\b(?:mortgages?|remortgag\w*|secured\s+loans?|home\s+loans?|equity\s+release)\b",
        (r"(?:home|property)\s+(?:may|could|might)\s+be\s+repossessed",),
        "Your home may be repossessed if you do not keep up repayments on your mortgage.",
    ),
}


class RequiredDisclaimers(Validator):
    """Require a risk warning when the answer gives investment, credit or mortgage information.

    For each of ``topics`` (default ``investment``, ``credit``, ``mortgage``; see `DISCLAIMERS`)
    whose trigger words appear, one of the accepted warnings must appear too. ``accepted`` adds
    wordings per topic (plain phrases, matched ignoring case and spacing); ``text`` replaces the
    warning that ``action="fix"`` (the default) appends. Reason ``missing-disclaimer``; one finding
    per topic, ``missing-disclaimer:<topic>``, at the first trigger. On a stream with ``fix`` or
    ``warn`` the text flows and the warning is appended at the end; with other actions the
    answer is held until it is complete.
    """

    name = "required_disclaimers"
    version = "1"
    stage = "output"
    action = "fix"
    actions = frozenset({"fix", "block", "escalate", "warn", "reask"})

    def __init__(self, *, action: str = "fix", topics: Iterable[str] | None = None,
                 accepted: Mapping[str, Iterable[str]] | None = None, text: Mapping[str, str] | None = None,
                 name: str | None = None) -> None:
        super().__init__(action=action, name=name)
        chosen = check_choice(topics, list(DISCLAIMERS), "topics")
        extra = dict(accepted or {})
        texts = dict(text or {})
        for where, mapping in (("accepted", extra), ("text", texts)):
            for t in mapping:
                if t not in chosen:
                    raise PolicyError(f"{where} names topic {t!r}, which is not checked", key=f"{where}.{t}",
                                      expected=" | ".join(chosen))
        self._topics: list[tuple[str, re.Pattern[str], re.Pattern[str], str]] = []
        self._config: dict[str, Any] = {}
        for t in chosen:
            trigger, patterns, default = DISCLAIMERS[t]
            phrases = extra.get(t, ())
            if isinstance(phrases, str):
                raise PolicyError(f"accepted.{t} must be a list", key=f"accepted.{t}", expected="a list of phrases")
            own = []
            for p in phrases:
                if not isinstance(p, str) or not p.strip():
                    raise PolicyError(f"bad accepted phrase for {t!r}", key=f"accepted.{t}", expected="non-empty text")
                own.append(r"\s+".join(re.escape(w) for w in FOLD.view(p)[0].split()))
            warning = texts.get(t, default)
            if not isinstance(warning, str) or not warning.strip():
                raise PolicyError(f"text.{t} is empty", key=f"text.{t}", expected="the warning to append")
            ok = re.compile("|".join(f"(?:{p})" for p in (*patterns, *own)))
            self._topics.append((t, re.compile(trigger), ok, warning.strip()))
            self._config[t] = {"accepted": sorted(phrases), "text": warning.strip()}
        self.topics = tuple(chosen)
        self.holdback = 240
        if self.action in ("fix", "warn"):
            self.stream_safe = self._stream_safe

    def _state(self, text: str) -> tuple[dict[str, tuple[int, int]], set[str]]:
        view, origin = FOLD.view(text)
        triggered: dict[str, tuple[int, int]] = {}
        present: set[str] = set()
        for t, trigger, ok, _ in self._topics:
            m = trigger.search(view)
            if m is not None:
                triggered[t] = span(origin, *m.span())
            if ok.search(view) is not None:
                present.add(t)
        return triggered, present

    def check(self, text: str, ctx: Any) -> Result | None:
        triggered, present = self._state(text)
        at_end = False
        if ctx is not None and getattr(ctx, "streaming", False):
            key = ("required-disclaimers", id(self))
            seen_t, seen_p = ctx.state.get(key, ({}, set()))
            for t in triggered:
                seen_t.setdefault(t, triggered[t])
            seen_p |= present
            ctx.state[key] = (seen_t, seen_p)
            if not ctx.final:
                return None
            triggered, present, at_end = seen_t, seen_p, True
        missing = [t for t, *_ in self._topics if t in triggered and t not in present]
        if not missing:
            return None
        n = len(text)
        findings = [Finding(rule=f"missing-disclaimer:{t}", start=n if at_end else triggered[t][0],
                            end=n if at_end else triggered[t][1]) for t in missing]
        fix = None
        if self.action == "fix":
            warnings = " ".join(w for t, _, _, w in self._topics if t in missing)
            fix = text.rstrip() + ("\n\n" if text.strip() else "") + warnings
        names = " and ".join(missing)
        return Result.fail("missing-disclaimer", fix=fix, findings=findings,
                           feedback=f"the answer gives {names} information without the required risk warning; "
                                    "include it")

    def _stream_safe(self, text: str) -> int:
        safe = _cut(text, self.holdback)
        if safe <= 0:
            return 0
        # never cut through a warning: it must be seen whole in one segment
        view = text[max(0, safe - self.holdback):]
        lo = max(0, safe - self.holdback)
        v, origin = FOLD.view(view)
        for _, _, ok, _ in self._topics:
            for m in ok.finditer(v):
                s, e = span(origin, *m.span())
                if s + lo < safe < e + lo:
                    safe = s + lo
        return safe

    def config(self) -> dict[str, Any]:
        return {"topics": self._config}

    def __repr__(self) -> str:
        return f"RequiredDisclaimers(topics={list(self.topics)!r}, action={self.action!r})"
