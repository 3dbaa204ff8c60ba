"""Policy rules: deny-lists, user patterns, secrets, invisible text, length, topics, prompt leaks.

Every rule compiles what it needs once, in ``__init__``, and reports findings as rule names with
offsets and scores, never the matched text. Matching is done on the canonical view of the text
(see `guardwrap._text`: compatibility forms, invisible characters, lookalike letters, Unicode
digits and spaces, escapes; phrase rules also fold case and join spaced-out letters) so that ``\uff22ypass K\u200bYC`` (full-width B, zero-width space) is still ``bypass kyc``; offsets
point into the original text.

>>> import guardwrap as gw
>>> rule = gw.DenyTerms(["bypass kyc"])
>>> rule.check("how do I b y p a s s KYC?", None).reason
'deny-term'
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import deque
from collections.abc import Iterable, Mapping
from typing import Any

from ._decision import Finding, Result
from ._errors import PolicyError
from ._terms import TermMatcher
from ._text import canonical, prescanned
from ._textnorm import FOLD, span
from ._validator import Validator

__all__ = [
    "DenyTerms",
    "InvisibleText",
    "MaxLength",
    "RegexRule",
    "Secrets",
    "SystemPromptLeak",
    "Topics",
    "approx_tokens",
]


def _reason_code(value: Any, key: str) -> str:
    if not isinstance(value, str) or not value or len(value) > 80 or any(c.isspace() for c in value):
        raise PolicyError(f"bad reason code {value!r}", key=key,
                          expected="a short code without spaces, e.g. 'no-performance-promises'")
    return value


# -- DenyTerms ---------------------------------------------------------------------------------


class DenyTerms(Validator):
    """Fail when the text contains any of ``terms``: thousands of terms matched in one pass.

    ``whole_word`` (default) matches whole words and phrases only; ``case_sensitive=False``
    (default) folds case. Matching always undoes Unicode tricks (full-width letters, lookalikes,
    zero-width characters, combining marks, spaced-out letters). Findings have
    ``rule=reason`` (``"deny-term"``) and the offsets of the match in the original text, so
    ``action="redact"`` or ``"mask"`` rewrite just the matched words.
    """

    name = "deny_terms"
    version = "1"

    def __init__(
        self,
        terms: Iterable[str],
        *,
        action: str = "block",
        reason: str = "deny-term",
        whole_word: bool = True,
        case_sensitive: bool = False,
        name: str | None = None,
    ) -> None:
        super().__init__(action=action, name=name)
        self.reason = _reason_code(reason, "reason")
        self.whole_word = bool(whole_word)
        self.case_sensitive = bool(case_sensitive)
        self._matcher = TermMatcher(terms, case_sensitive=self.case_sensitive, whole_word=self.whole_word)
        self._terms_sorted = sorted(self._matcher.keys)

    def scan_patterns(self) -> list[tuple[str, bool]]:
        """What the guard's one scan looks for on this rule's behalf (see `guardwrap._text._scan`)."""
        return self._matcher.scan_patterns()

    def check(self, text: str, ctx: Any) -> Result | None:
        hits = self._matcher.find(text, prescanned(ctx, text))
        if not hits:
            return None
        rule = self.reason
        return Result.fail(rule, findings=[Finding(rule=rule, start=s, end=e) for s, e, _ in hits])

    def stream_safe(self, text: str) -> int:
        """The index up to which a stream may release ``text``: no match, now or as more text comes, straddles it."""
        return self._matcher.stream_safe(text)

    def config(self) -> dict[str, Any]:
        return {"terms": self._terms_sorted, "reason": self.reason, "whole_word": self.whole_word,
                "case_sensitive": self.case_sensitive}

    def __repr__(self) -> str:
        return f"DenyTerms(terms={len(self._terms_sorted)}, action={self.action!r}, reason={self.reason!r})"


# -- Topics ------------------------------------------------------------------------------------


class Topics(Validator):
    """Fail when the text is about a banned topic, judged by keyword sets.

    ``topics`` maps a topic name to its keywords: ``Topics({"crypto": ["bitcoin", "ethereum"]})``.
    A topic is hit when at least ``min_hits`` keyword matches are found (default 1). The reason is
    ``topic:<name>`` of the topic with most hits; each match is a finding with ``rule="topic:<name>"``.
    """

    name = "topics"
    version = "1"

    def __init__(
        self,
        topics: Mapping[str, Iterable[str]],
        *,
        action: str = "block",
        min_hits: int = 1,
        whole_word: bool = True,
        name: str | None = None,
    ) -> None:
        super().__init__(action=action, name=name)
        if not isinstance(topics, Mapping) or not topics:
            raise PolicyError("topics must map topic names to keyword lists", key="topics",
                              expected="{topic: [keyword, ...]}")
        if not isinstance(min_hits, int) or min_hits < 1:
            raise PolicyError(f"min_hits is {min_hits!r}", key="min_hits", expected="an integer >= 1")
        self.min_hits = min_hits
        self.whole_word = bool(whole_word)
        by_key: dict[str, list[str]] = {}
        everything: list[str] = []
        self._config: dict[str, list[str]] = {}
        for topic, words in topics.items():
            _reason_code(topic, "topics")
            words = list(words) if not isinstance(words, str) else words
            # compile each list alone first: validates it and names the topic in any error
            single = TermMatcher(words, whole_word=self.whole_word, key=f"topics.{topic}")
            for k in single.keys:
                by_key.setdefault(k, []).append(topic)
            everything.extend(words)
            self._config[topic] = sorted(single.keys)
        self._topics_by_key = by_key
        self._matcher = TermMatcher(everything, whole_word=self.whole_word, key="topics")

    def scan_patterns(self) -> list[tuple[str, bool]]:
        """What the guard's one scan looks for on this rule's behalf (see `guardwrap._text._scan`)."""
        return self._matcher.scan_patterns()

    def check(self, text: str, ctx: Any) -> Result | None:
        hits = self._matcher.find(text, prescanned(ctx, text))
        if not hits:
            return None
        counts: dict[str, int] = {}
        findings = []
        for s, e, key in hits:
            for topic in self._topics_by_key.get(key, ()):
                counts[topic] = counts.get(topic, 0) + 1
                findings.append((topic, s, e))
        banned = {t for t, n in counts.items() if n >= self.min_hits}
        if not banned:
            return None
        top = max(sorted(banned), key=lambda t: counts[t])
        return Result.fail(
            f"topic:{top}",
            findings=[Finding(rule=f"topic:{t}", start=s, end=e) for t, s, e in findings if t in banned],
        )

    def stream_safe(self, text: str) -> int:
        """The index up to which a stream may release ``text``: no match, now or as more text comes, straddles it."""
        return self._matcher.stream_safe(text)

    def config(self) -> dict[str, Any]:
        return {"topics": self._config, "min_hits": self.min_hits, "whole_word": self.whole_word}


# -- RegexRule ---------------------------------------------------------------------------------

_FLAG_LETTERS = {"i": "IGNORECASE", "m": "MULTILINE", "s": "DOTALL", "x": "VERBOSE", "a": "ASCII"}


class RegexRule(Validator):
    """Fail when a user-supplied pattern matches.

    Patterns run on the `regex <https://pypi.org/project/regex/>`_ engine with a **time limit per
    check** (``timeout``, seconds, default 0.1): a catastrophic pattern such as ``(a+)+$`` on hostile
    input is stopped, never left to hang the process. A timeout fails closed: the rule fails with
    reason ``regex-timeout`` (``block``, ``escalate`` and ``reask`` act on it; for the other actions,
    which could let the text through, the validator raises and the guard blocks with
    ``validator-error``). ``max_chars`` optionally refuses (fails closed, ``regex-input-too-long``)
    texts longer than a bound before matching at all. At most ``max_findings`` matches are reported.

    ``flags`` takes letters (``"i"``, ``"ims"``) or ``regex`` flag values; inline ``(?i)`` works too.
    ``max_match`` (characters), when given, lets the rule run on streams with that much holdback.

    Patterns match the canonical view of the text (Unicode digits and spaces, lookalike letters and
    invisible characters undone, see `guardwrap._text`); findings are offsets into the original.
    """

    name = "regex"
    version = "1"

    def __init__(
        self,
        pattern: str,
        *,
        action: str = "block",
        reason: str = "regex",
        flags: str | int = 0,
        timeout: float = 0.1,
        max_chars: int | None = None,
        max_findings: int = 1000,
        max_match: int | None = None,
        name: str | None = None,
    ) -> None:
        super().__init__(action=action, name=name)
        import regex

        self.reason = _reason_code(reason, "reason")
        if not isinstance(pattern, str) or not pattern:
            raise PolicyError("pattern is empty or not a string", key="pattern", expected="a regular expression")
        if isinstance(flags, str):
            value = 0
            for letter in flags:
                if letter not in _FLAG_LETTERS:
                    raise PolicyError(f"unknown flag {letter!r}", key="flags",
                                      expected="letters from " + "".join(_FLAG_LETTERS))
                value |= getattr(regex, _FLAG_LETTERS[letter])
            flag_value = value
        else:
            flag_value = int(flags)
        try:
            self._re = regex.compile(pattern, flag_value | regex.VERSION0)
        except regex.error as exc:
            raise PolicyError(f"pattern does not compile: {exc.args[0] if exc.args else exc}",
                              key="pattern", expected="a valid regular expression") from None
        if not (isinstance(timeout, (int, float)) and 0 < timeout <= 10):
            raise PolicyError(f"timeout is {timeout!r}", key="timeout", expected="seconds, 0 < timeout <= 10")
        if max_chars is not None and (not isinstance(max_chars, int) or max_chars < 1):
            raise PolicyError(f"max_chars is {max_chars!r}", key="max_chars", expected="an integer >= 1")
        if max_match is not None and (not isinstance(max_match, int) or max_match < 1):
            raise PolicyError(f"max_match is {max_match!r}", key="max_match", expected="an integer >= 1")
        self.pattern = pattern
        self.flags = flag_value
        self.timeout = float(timeout)
        self.max_chars = max_chars
        self.max_findings = max_findings
        self.max_match = max_match
        if max_match is not None:
            self.stream_safe = self._stream_safe

    def _closed(self, reason: str) -> Result:
        if self.action in ("block", "escalate", "reask"):
            return Result.fail(reason, feedback="the answer could not be checked")
        raise RegexTimeout(reason)

    def check(self, text: str, ctx: Any) -> Result | None:
        if self.max_chars is not None and len(text) > self.max_chars:
            return self._closed("regex-input-too-long")
        findings = []
        rule = self.reason
        view = canonical(text)
        try:
            for m in self._re.finditer(view.text, timeout=self.timeout):
                if m.end() > m.start():
                    s, e = view.span(m.start(), m.end())
                    findings.append(Finding(rule=rule, start=s, end=e))
                    if len(findings) >= self.max_findings:
                        break
        except TimeoutError:
            return self._closed("regex-timeout")
        if not findings:
            return None
        return Result.fail(rule, findings=findings)

    def _stream_safe(self, text: str) -> int:
        view = canonical(text)
        t = view.text
        safe = len(t) - int(self.max_match or 0)
        if safe <= 0:
            return 0
        try:
            for m in self._re.finditer(t, max(0, safe - int(self.max_match or 0)), timeout=self.timeout):
                if m.start() < safe < m.end():
                    return view.pos(m.start())
                if m.start() >= safe:
                    break
        except TimeoutError:
            return 0
        return view.pos(safe)

    def config(self) -> dict[str, Any]:
        return {"pattern": self.pattern, "flags": self.flags, "reason": self.reason,
                "timeout": self.timeout, "max_chars": self.max_chars}

    def __repr__(self) -> str:
        return f"RegexRule(reason={self.reason!r}, action={self.action!r})"


class RegexTimeout(Exception):
    """A `RegexRule` ran out of time on a text whose configured action could not fail closed."""


# -- Secrets -----------------------------------------------------------------------------------

_KEYWORDY = r"(?:api[_-]?key|apikey|secret|token|passw(?:or)?d|pwd|passphrase|credential|auth[_-]?key|access[_-]?key|private[_-]?key|client[_-]?secret)"
# (kind, anchors, pattern): a pattern runs only when one of its anchors occurs in the text
# (anchors are matched against the lower-cased text), so a text without any costs a few
# substring searches instead of a scan per pattern.
_SECRET_PATTERNS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("PRIVATE_KEY", ("-----begin ",), r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]{0,16384}?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|\Z)"),
    ("AWS_ACCESS_KEY", ("akia", "asia", "abia", "acca", "a3t"), r"\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}\b"),
    ("AWS_SECRET_KEY", ("aws",), r"(?i:aws.{0,20}?(?:secret|private).{0,20}?[:=]\s*[\"']?)([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])"),
    ("GITHUB_TOKEN", ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"), r"\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{60,255})\b"),
    ("GITLAB_TOKEN", ("glpat-",), r"\bglpat-[A-Za-z0-9_\-]{20,}\b"),
    ("SLACK_TOKEN", ("xox",), r"\bxox[abposr]-[A-Za-z0-9\-]{10,200}\b"),
    ("STRIPE_KEY", ("sk_live_", "sk_test_", "rk_live_", "rk_test_"), r"\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,200}\b"),
    ("GOOGLE_API_KEY", ("aiza",), r"\bAIza[0-9A-Za-z_\-]{35}(?![0-9A-Za-z_\-])"),
    ("ANTHROPIC_API_KEY", ("sk-ant-",), r"\bsk-ant-[A-Za-z0-9_\-]{32,200}\b"),
    ("OPENAI_API_KEY", ("sk-",), r"\bsk-(?!ant-)(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{32,200}\b"),
    ("AZURE_KEY", ("accountkey=", "sharedaccesskey=", "sharedaccesssignature="), r"(?i:AccountKey|SharedAccessKey|SharedAccessSignature)=[A-Za-z0-9+/=%]{20,400}"),
    ("JWT", ("eyj",), r"\beyJ[A-Za-z0-9_\-]{8,2000}\.eyJ[A-Za-z0-9_\-]{8,4000}\.[A-Za-z0-9_\-]{8,2000}"),
    ("BEARER_TOKEN", ("bearer",), r"(?i:\bbearer\s+)([A-Za-z0-9\-._~+/]{20,2000}=*)"),
    ("BASIC_AUTH", ("basic",), r"(?i:\bauthorization:\s*basic\s+)([A-Za-z0-9+/]{12,400}=*)"),
    ("DATABASE_URL", ("://",), r"(?i:\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|amqps?|mssql|sqlserver|oracle|jdbc:[a-z]+)://[^\s:/@'\"]{1,200}:)([^\s@/'\"]{1,200})(?=@)"),
    ("SECRET_ASSIGNMENT", ("key", "secret", "token", "passw", "pwd", "passphrase", "credential"), r"(?i:" + _KEYWORDY + r"[\w.\-]{0,20}[\"']?\s{0,3}(?:[:=]|=>|\bis\b)\s{0,3}[\"']?)([^\s\"',;]{8,400})"),
    # What a bank's customers type and must never reach a model: PINs, card security codes,
    # one-time codes (first: on a value two kinds find, the first kind in this order is kept),
    # passwords however weak (also labelled in other languages), memorable words.
    ("PIN", ("pin ", "pin:", "pin=", "pin#", "pin-", "pin\t", "pincode", "passcode", "pass code"),
     r"(?i:\b(?:pin|pass ?code)(?:[ -]?(?:number|code|no\.?))?\s{0,3}(?:[:=#]|\b(?:is|was)\b)?\s{0,3}[\"']?)([0-9]{4,8})\b"),
    ("CARD_SECURITY_CODE", ("cvv", "cvc", "cv2", "csc", "cvn", "security code", "card code"),
     r"(?i:\b(?:cvv2?|cvc2?|cv2|csc|cvn|(?:card )?security code|card code)\s{0,3}(?:number\s{0,3})?(?:[:=#]|\b(?:is|was)\b)?"
     r"\s{0,3}[\"']?)([0-9]{3,4})\b"),
    ("ONE_TIME_CODE", ("otp", "one-time", "one time", "verification code", "confirmation code", "auth code",
                       "authentication code", "authorisation code", "authorization code", "2fa", "sms code",
                       "tan ", "tan:", "security key code"),
     r"(?i:\b(?:otp|one[- ]time (?:pass ?code|password|code|pin)|verification code|confirmation code"
     r"|auth(?:entication|orisation|orization)? code|2fa(?: code)?|sms code|m?tan|security key code)"
     r"\s{0,3}(?:[:=#]|\b(?:is|was)\b)?\s{0,3}[\"']?)([0-9]{4,8})\b"),
    ("PASSWORD", ("passw", "pwd", "passcode", "pass code", "passphrase", "mot de passe", "kennwort", "contrase",
                  "senha", "wachtwoord", "login code"),
     r"(?i:\b(?:password|passwd|pwd|pass ?code|passphrase|mot de passe|passwort|kennwort|contrase[nñ]a|senha"
     r"|wachtwoord|login code)\b(?: for [\w .\-]{1,30}?)?\s{0,3}(?:[:=]|=>|\b(?:is|was|ist|est|es|é|is now)\b)"
     r"\s{0,3}[\"'`]?)([^\s\"'`,;]{3,127}[^\s\"'`,;.])"),  # a full stop after it ends the sentence
    ("SECURITY_ANSWER", ("memorable", "security answer", "secret answer", "security question", "maiden name"),
     r"(?i:\b(?:memorable (?:word|information|answer|name|date|place)|security answer|secret answer"
     r"|answer to (?:my|the) security question|mother'?s maiden name)\s{0,3}(?:[:=]|\b(?:is|was)\b)\s{0,3}[\"']?)"
     r"([^\s\"',;.!?]{2,64})"),
)
# Values after a password or memorable-word label that say something about it instead of being it
_NOT_A_VALUE = frozenset((
    "required", "needed", "incorrect", "wrong", "invalid", "expired", "missing", "forgotten", "forgot",
    "locked", "blocked", "correct", "not", "the", "a", "an", "my", "your", "our", "their", "this", "that",
    "it", "same", "different", "too", "too-short", "empty", "blank", "reset", "changed", "set", "unknown",
    "disabled", "mandatory", "optional", "case-sensitive", "hidden", "masked", "below", "above", "attached",
    "here", "there", "new", "old", "strong", "weak",
))
#: longest secret we hold back for on a stream, except private key blocks (held until they end)
_SECRET_HOLDBACK = 4096


def shannon_entropy(s: str) -> float:
    """Bits per character of ``s``."""
    if not s:
        return 0.0
    counts: dict[str, int] = {}
    for c in s:
        counts[c] = counts.get(c, 0) + 1
    n = len(s)
    return -sum(k / n * math.log2(k / n) for k in counts.values())


_WORDY_KINDS = frozenset({"PASSWORD", "SECURITY_ANSWER"})
#: kinds found after a label: looked for only next to where an anchor occurs (bounded work)
_LABEL_KINDS = frozenset({"PIN", "CARD_SECURITY_CODE", "ONE_TIME_CODE", "PASSWORD", "SECURITY_ANSWER"})
#: how far before an anchor its label may start ("mother's maiden name", "answer to my security
#: question"), and after it a value may end
_LABEL_BEFORE = 32
_LABEL_REACH = 240


def _labelled(rx: re.Pattern[str], t: str, low: str, anchors: tuple[str, ...]) -> list[re.Match[str]]:
    """The matches of a label-first pattern ``rx`` that start near an occurrence of an anchor in
    ``low`` (the lower-cased ``t``): a window of `_LABEL_REACH` characters each, so a long text
    with a few labels costs a few short searches instead of a scan of the whole text."""
    out: list[re.Match[str]] = []
    for a in anchors:
        i = low.find(a)
        while i >= 0:
            m = rx.search(t, max(0, i - _LABEL_BEFORE), min(len(t), i + _LABEL_REACH))
            if m is not None and m.start() <= i + len(a):
                out.append(m)
            i = low.find(a, i + len(a))
    out.sort(key=lambda m: m.start())
    return out


def _a_value(kind: str, value: str, label: str) -> bool:
    """A password or memorable word after its ``label``, not a word about it ("password is
    required", "memorable word is incorrect"). A password that is only lower-case letters needs a
    colon or "=" after its label (what forms and chats write): "my password is expiring" is prose."""
    v = value.strip(".:!?)(*")
    low = v.lower()
    if not v or low in _NOT_A_VALUE or set(low) <= set("*x•.#-_"):
        return False
    if kind == "SECURITY_ANSWER":
        return True
    return not (v.isalpha() and v.islower()) or ":" in label or "=" in label


def _looks_random(value: str, min_entropy: float) -> bool:
    classes = sum((any(c.islower() for c in value), any(c.isupper() for c in value),
                   any(c.isdigit() for c in value), any(not c.isalnum() for c in value)))
    return classes >= 2 and shannon_entropy(value) >= min_entropy


class Secrets(Validator):
    """Fail when the text holds credentials: cloud and SaaS API keys, private key blocks, JWTs,
    bearer/basic auth headers, database URLs with passwords, high-entropy values assigned to
    key-like words (``api_key = "..."``, ``password: ...``), and a bank customer's credentials
    after their label: passwords however weak, PINs, card security codes, one-time codes,
    memorable words and security answers.

    Finding kinds are upper-case (``AWS_ACCESS_KEY``, ``PRIVATE_KEY``, ``DATABASE_URL``...), so
    ``action="redact"`` yields ``<AWS_ACCESS_KEY>``. For URLs, assignments and auth headers only the
    secret part is reported. ``kinds`` limits which kinds are looked for; ``min_entropy`` (bits per
    character, default 3.0) is the bar a value next to a key-like word must clear.
    """

    name = "secrets"
    version = "1"
    KINDS = tuple(k for k, _, _ in _SECRET_PATTERNS)

    def __init__(
        self,
        *,
        action: str = "block",
        kinds: Iterable[str] | None = None,
        min_entropy: float = 3.0,
        name: str | None = None,
    ) -> None:
        super().__init__(action=action, name=name)
        chosen = self.KINDS if kinds is None else tuple(kinds)
        for k in chosen:
            if k not in self.KINDS:
                raise PolicyError(f"unknown secret kind {k!r}", key="kinds", expected=" | ".join(self.KINDS))
        self.kinds = tuple(k for k in self.KINDS if k in chosen)
        self.min_entropy = float(min_entropy)
        self._rules = tuple(
            (kind, anchors, re.compile(pat)) for kind, anchors, pat in _SECRET_PATTERNS if kind in self.kinds
        )
        # which rule each anchor (in `scan_patterns` order) belongs to
        self._anchor_rule = [n for n, (_, anchors, _) in enumerate(self._rules) for _ in anchors]

    def scan_patterns(self) -> list[tuple[str, bool]]:
        """The anchors of every kind, for the guard's one scan (see `guardwrap._text._scan`)."""
        return [(re.escape(a), True) for _, anchors, _ in self._rules for a in anchors]

    def _scan(self, text: str, hits: list[tuple[int, int, int]] | None = None) -> list[Finding]:
        out = []
        view = canonical(text)
        t = view.text
        low = view.folded
        present = None if hits is None else {self._anchor_rule[i] for i, _, _ in hits}
        for n, (kind, anchors, rx) in enumerate(self._rules):
            if present is not None:
                if n not in present:
                    continue
            elif not any(a in low for a in anchors):
                continue
            for m in (_labelled(rx, t, low, anchors) if kind in _LABEL_KINDS else rx.finditer(t)):
                g = 1 if rx.groups else 0
                s, e = m.span(g)
                if kind == "SECRET_ASSIGNMENT" and not _looks_random(t[s:e], self.min_entropy):
                    continue
                if kind in _WORDY_KINDS and not _a_value(kind, t[s:e], t[m.start():s]):
                    continue
                out.append(Finding(rule=kind, start=s, end=e))
        if len(out) > 1:  # two kinds on one value ("password: ..." is an assignment too): keep one
            out.sort(key=lambda f: (f.start, -f.end))
            kept = [out[0]]
            for f in out[1:]:
                if f.start >= kept[-1].end:
                    kept.append(f)
            out = kept
        if not view.identity:
            for f, (s, e) in zip(out, view.spans([(f.start, f.end) for f in out]), strict=True):
                f.start, f.end = s, e
        out.sort(key=lambda f: (f.start, -f.end))
        return out

    def check(self, text: str, ctx: Any) -> Result | None:
        findings = self._scan(text, prescanned(ctx, text))
        if not findings:
            return None
        return Result.fail("secret", findings=findings)

    def stream_safe(self, text: str) -> int:
        """The index up to which a stream may release ``text``: no match, now or as more text comes, straddles it."""
        begin = text.rfind("-----BEGIN ")
        if begin >= 0 and text.find("-----END ", begin) < 0:
            return begin
        safe = len(text) - 512
        if safe <= 0:
            return 0
        # cut at whitespace, and never through a match
        ws = max(text.rfind(" ", 0, safe), text.rfind("\n", 0, safe))
        safe = ws + 1 if ws >= 0 else 0
        for f in self._scan(text[max(0, safe - _SECRET_HOLDBACK):]):
            start = f.start + max(0, safe - _SECRET_HOLDBACK)
            if start < safe < f.end + max(0, safe - _SECRET_HOLDBACK):
                # back to the whitespace before the whole token (assignments report the value only)
                ws = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start))
                return ws + 1 if ws >= 0 else 0
        return safe

    def config(self) -> dict[str, Any]:
        return {"kinds": list(self.kinds), "min_entropy": self.min_entropy}


# -- InvisibleText -----------------------------------------------------------------------------

_INVISIBLE_CLASSES: tuple[tuple[str, str], ...] = (
    ("zero-width", "\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200d\u2060-\u2064\u3164\ufeff\uffa0"),
    ("bidi-control", "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"),
    ("tag-characters", "\U000e0000-\U000e007f"),
    ("variation-selectors", "\ufe00-\ufe0f\U000e0100-\U000e01ef"),
    ("control-characters", "\x00-\x08\x0b\x0c\x0e-\x1f\x7f"),
)
_INVISIBLE_RE = re.compile("[" + "".join(c for _, c in _INVISIBLE_CLASSES) + "]+")
_CLASS_RES = tuple((name, re.compile(f"[{chars}]")) for name, chars in _INVISIBLE_CLASSES)
_JOINERS = "\u200c\u200d"
#: most findings a rule reports for one text (the work on the text is done in full regardless)
MAX_FINDINGS = 1000


def _benign(text: str, s: int, e: int) -> bool:
    """A lone joiner between two non-ASCII characters (emoji sequences, Indic and Persian scripts)
    or a lone variation selector after a visible character (emoji presentation) is ordinary text."""
    if e - s != 1 or s == 0 or (e >= len(text) and text[s] in _JOINERS):
        return False
    ch = text[s]
    prev = text[s - 1]
    if ch in _JOINERS:
        nxt = text[e]
        return prev > "\x7f" and nxt > "\x7f" and not prev.isspace() and not nxt.isspace()
    if "\ufe00" <= ch <= "\ufe0f":
        return not prev.isspace() and _INVISIBLE_RE.match(prev) is None
    return False


class InvisibleText(Validator):
    """Fail on characters that hide text or reorder it: zero-width characters, bidi overrides and
    isolates, Unicode tag characters (used to smuggle instructions), runs of variation selectors,
    and ASCII control characters. Emoji joiners and single emoji variation selectors are allowed.

    The default action is ``fix``: the characters are removed. Findings have ``rule`` set to the
    class (``zero-width``, ``bidi-control``, ``tag-characters``, ...); the reason is
    ``invisible-text``.
    """

    name = "invisible_text"
    version = "1"
    action = "fix"

    def __init__(self, *, action: str = "fix", name: str | None = None) -> None:
        super().__init__(action=action, name=name)

    def _scan(self, text: str, keep: int | None = None) -> tuple[list[Finding], str]:
        """Findings (the first ``keep`` of them, or all) and the text without what they found."""
        # Fast path: plain ASCII with no control characters other than tab and line breaks.
        if text.isascii() and text.replace("\n", "").replace("\t", "").replace("\r", "").isprintable():
            return [], text
        out: list[Finding] = []

        def drop(m: re.Match[str]) -> str:
            s, e = m.span()
            if _benign(text, s, e):
                return m.group()
            if keep is None or len(out) < keep:
                run = m.group()
                kind = next((n for n, r in _CLASS_RES if r.search(run)), "zero-width")
                out.append(Finding(rule=kind, start=s, end=e))
            return ""

        return out, _INVISIBLE_RE.sub(drop, text)

    def check(self, text: str, ctx: Any) -> Result | None:
        """Fail on hidden characters; the fix removes them."""
        # With action fix, the fix removes every hidden character, and a text made of thousands of
        # them needs no more than the first MAX_FINDINGS in the record; span actions need them all.
        fix = self.action == "fix"
        findings, cleaned = self._scan(text, MAX_FINDINGS if fix else None)
        if not findings:
            return None
        return Result.fail("invisible-text", fix=cleaned if fix else None, findings=findings)

    def stream_safe(self, text: str) -> int:
        """The index up to which a stream may release ``text``: no match, now or as more text comes, straddles it."""
        # hold back one character (a joiner's right neighbour decides) and any trailing run
        safe = len(text) - 1
        while safe > 0 and _INVISIBLE_RE.match(text, safe - 1) is not None:
            safe -= 1
        return max(safe, 0)


# -- MaxLength ---------------------------------------------------------------------------------

_WIDE = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\u3040-\u30ff]")


def approx_tokens(text: str) -> int:
    """Approximate LLM token count without a tokenizer.

    The larger of two estimates common BPE tokenizers sit close to on English prose: one token per
    4 characters, and 4 tokens per 3 words; plus one per CJK character (about one token each).
    Good to within roughly 20 % for English; it overestimates rather than under.
    """
    n = len(text)
    est = max((n + 3) // 4, (len(text.split()) * 4 + 2) // 3)
    if not text.isascii():
        est += len(_WIDE.findall(text))
    return est


class MaxLength(Validator):
    """Fail when the text is longer than ``chars`` characters or ``tokens`` approximate tokens
    (see `approx_tokens`; no tokenizer is downloaded). With ``action="fix"`` the text is cut
    to the limit. Needs the whole text, so a streamed answer is checked once it is complete.
    """

    name = "max_length"
    version = "1"

    def __init__(
        self,
        chars: int | None = None,
        tokens: int | None = None,
        *,
        action: str = "block",
        name: str | None = None,
    ) -> None:
        super().__init__(action=action, name=name)
        if chars is None and tokens is None:
            raise PolicyError("give chars or tokens", key="chars", expected="chars=<int> and/or tokens=<int>")
        for key, v in (("chars", chars), ("tokens", tokens)):
            if v is not None and (not isinstance(v, int) or isinstance(v, bool) or v < 1):
                raise PolicyError(f"{key} is {v!r}", key=key, expected="an integer >= 1")
        self.chars = chars
        self.tokens = tokens

    def check(self, text: str, ctx: Any) -> Result | None:
        n = len(text)
        if self.chars is not None and n > self.chars:
            return Result.fail("too-long", fix=text[: self.chars] if self.action == "fix" else None,
                               findings=[Finding(rule="max-length", start=self.chars, end=n)],
                               score=n / self.chars)
        if self.tokens is not None and n > self.tokens:  # a token is at least one character
            est = approx_tokens(text)
            if est > self.tokens:
                cut = int(n * self.tokens / est)
                return Result.fail("too-many-tokens", fix=text[:cut] if self.action == "fix" else None,
                                   findings=[Finding(rule="max-tokens", start=cut, end=n)],
                                   score=est / self.tokens)
        return None

    def config(self) -> dict[str, Any]:
        return {"chars": self.chars, "tokens": self.tokens}


# -- SystemPromptLeak --------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")


class SystemPromptLeak(Validator):
    """Fail when an answer repeats the configured system prompt, verbatim or nearly.

    Both texts are normalised and cut into overlapping runs of ``shingle`` words (default 4). The
    score is the share of the system prompt's runs that reappear in the answer; the rule fails at
    ``threshold`` (default 0.4), or when ``min_words`` (default 20) consecutive words of the prompt
    reappear, whichever comes first, so quoting a long prompt in part is caught too. Findings mark
    the repeated stretches of the answer. Output stage only; needs the whole answer.
    """

    name = "system_prompt_leak"
    version = "1"
    stage = "output"

    def __init__(
        self,
        system_prompt: str,
        *,
        threshold: float = 0.4,
        shingle: int = 4,
        min_words: int | None = 20,
        action: str = "block",
        name: str | None = None,
    ) -> None:
        super().__init__(action=action, name=name)
        if not isinstance(system_prompt, str) or not system_prompt.strip():
            raise PolicyError("system_prompt is empty", key="system_prompt", expected="the system prompt text")
        if not (isinstance(threshold, (int, float)) and 0 < threshold <= 1):
            raise PolicyError(f"threshold is {threshold!r}", key="threshold", expected="a number in (0, 1]")
        if not isinstance(shingle, int) or shingle < 1:
            raise PolicyError(f"shingle is {shingle!r}", key="shingle", expected="an integer >= 1")
        words = _WORD.findall(FOLD.view(system_prompt)[0])
        if not words:
            raise PolicyError("system_prompt has no words", key="system_prompt", expected="the system prompt text")
        self.shingle = min(shingle, len(words))
        self.threshold = float(threshold)
        self.min_words = min_words
        k = self.shingle
        self._shingles = frozenset(tuple(words[i:i + k]) for i in range(len(words) - k + 1))
        self._first = frozenset(sh[0] for sh in self._shingles)
        self._fingerprint = hashlib.sha256(" ".join(words).encode()).hexdigest()

    def check(self, text: str, ctx: Any) -> Result | None:
        """Fail when the text repeats enough of the system prompt."""
        view, origin = FOLD.view(text)
        k = self.shingle
        first = self._first
        shingles = self._shingles
        seen: set[tuple[str, ...]] = set()
        # covered stretches: (first word index, last word index + 1, view start, view end), merged
        # as they are found; one pass over the words, holding only the last k of them
        runs: list[tuple[int, int, int, int]] = []
        window: deque[re.Match[str]] = deque(maxlen=k)
        for i, m in enumerate(_WORD.finditer(view)):
            window.append(m)
            if len(window) < k or window[0].group() not in first:  # most words start no shingle
                continue
            sh = tuple(w.group() for w in window)
            if sh in shingles:
                seen.add(sh)
                a = i - k + 1
                if runs and a <= runs[-1][1]:
                    runs[-1] = (runs[-1][0], i + 1, runs[-1][2], m.end())
                else:
                    runs.append((a, i + 1, window[0].start(), m.end()))
        if not seen:
            return None
        score = len(seen) / len(shingles)
        longest = max(b - a for a, b, _, _ in runs)
        if score < self.threshold and (self.min_words is None or longest < self.min_words):
            return None
        findings = []
        for _, _, vs, ve in runs:
            s, e = span(origin, vs, ve)
            findings.append(Finding(rule="system-prompt-leak", start=s, end=e, score=round(score, 4)))
        return Result.fail("system-prompt-leak", findings=findings, score=round(score, 4),
                           feedback="the answer repeats confidential instructions; do not quote them")

    def config(self) -> dict[str, Any]:
        # the prompt itself may be confidential: the hash covers a fingerprint of it
        return {"system_prompt_sha256": self._fingerprint, "threshold": self.threshold,
                "shingle": self.shingle, "min_words": self.min_words}
