"""PII detection and reversible redaction: `PII` (a validator) and `detect_pii`.

The default engine (`_engine`) is candidate-first. One cheap scan finds the places where an entity
could be (runs of digits with separators, ``@``, ``://``, ``www.``, ``:`` for IPv6); only those
candidates are validated by the family detectors (`_cards`: Luhn and issuer ranges; `_banking`:
ISO 13616 mod-97 and per-country length, ABA; `_national`: SSA rules, NHS/TFN/NRIC checksums;
`_phone`: ``phonenumbers`` metadata; `_web`; `_crypto`: base58check/bech32/EIP-55; `_dates`).
Names (`_names`) and street addresses (`_addresses`) are found by the structure around them
(labels, titles, sign-offs, table columns, house number + street word) before any name list.
Context reaches across lines and table columns (`_layout`).

Scores follow Presidio's idea: a validated strong format scores high; weak formats (a bare 9-digit
number could be an SSN, a routing number, a passport...) score low and need a context word in the
preceding words ("routing", "passport", ...) to cross the threshold; negative context ("order",
"invoice", "version", ...) lowers scores that no checksum backs. Findings carry entity type,
offsets and score, never the value.

The rewriting itself (``redact``, ``mask``, ``hash``, ``pseudonymize``) is done by the guard's
chain from the findings (`guardwrap._anonymize`); ``block``/``warn``/``escalate`` work as for any
validator.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from typing import Any

import regex

from .._anonymize import mask_value
from .._context import CallContext
from .._decision import Finding, Result
from .._errors import PolicyError
from .._text import View, _spoken, canonical, plain
from .._validator import Validator
from . import _phone
from ._engine import CONTEXT_WORDS as CONTEXT_WORDS
from ._engine import CTX_WINDOW, Detector
from ._engine import NEGATIVE_WORDS as NEGATIVE_WORDS
from ._resolve import Span
from ._resolve import resolve as _resolve

__all__ = ["NER_ENTITIES", "PII", "SUPPORTED_ENTITIES", "detect_pii"]

#: Entities the fast engine detects (Presidio's names).
SUPPORTED_ENTITIES = (
    "CREDIT_CARD",
    "IBAN_CODE",
    "US_SSN",
    "PHONE_NUMBER",
    "EMAIL_ADDRESS",
    "IP_ADDRESS",
    "URL",
    "CRYPTO",
    "US_ITIN",
    "US_BANK_NUMBER",
    "ABA_ROUTING_NUMBER",
    "US_PASSPORT",
    "US_DRIVER_LICENSE",
    "UK_NHS",
    "UK_NINO",
    "IN_PAN",
    "SG_NRIC_FIN",
    "AU_TFN",
    "AU_ABN",
    "AU_ACN",
    "AU_MEDICARE",
    "IN_AADHAAR",
    "IN_VOTER",
    "ES_NIF",
    "ES_NIE",
    "IT_FISCAL_CODE",
    "PL_PESEL",
    "NL_BSN",
    "FI_PERSONAL_IDENTITY_CODE",
    "US_EIN",
    "VAT_ID",
    "DATE_TIME",
    "PASSPORT",
    "UK_DRIVER_LICENSE",
    "PERSON",
    "STREET_ADDRESS",
)
#: Entities that need a named-entity model (``engine="presidio"`` or ``"hybrid"``).
NER_ENTITIES = ("PERSON", "LOCATION", "ORGANIZATION", "NRP")

#: found from a text's structure or by a model rather than by a pattern: they yield to patterns
_STRUCTURAL = frozenset(NER_ENTITIES) | {"STREET_ADDRESS"}
_ALL_ENTITIES = SUPPORTED_ENTITIES + tuple(e for e in NER_ENTITIES if e not in SUPPORTED_ENTITIES)

ENGINES = ("fast", "presidio", "hybrid")
#: Regions whose national phone formats are recognised without a ``+`` prefix, by default.
DEFAULT_PHONE_REGIONS = _phone.DEFAULT_REGIONS

#: seconds an allow pattern may spend on one finding before the finding stands
_ALLOW_TIMEOUT = 0.05
#: most characters a stream holds back for an entity still being written (longer runs without
#: whitespace, such as Chinese text, are released once they are this far behind the end)
_MAX_HOLD = 256
# A token that could be one group of a longer spaced id (card groups, IBAN blocks, "+44", "(0)20"),
# also in quotes or brackets, or a separator between groups ("4111 * 1111", '"4111" "1111"').
_GROUPISH = regex.compile(
    r"[+(]?[A-Za-z]{0,4}[0-9][0-9A-Za-z()\-./]*|[A-Z]{1,4}|[^\w\s]{0,3}[0-9]+[^\w\s]{0,3}|[^\w\s]{1,3}",
    regex.ASCII)


def _merge_ner(text: str, fast: list[Span], ner: list[Span]) -> list[Span]:
    """Fast-engine findings and a model's NER spans, merged. A pattern finding (an IP address, an
    SSN: validated or backed by its context) always wins over a NER span it overlaps, which keeps
    only its parts outside the pattern findings (``Joseph Larson,166-66-7739`` read as one PERSON
    keeps ``Joseph Larson``). NER spans and the fast engine's own PERSON/STREET_ADDRESS findings
    are resolved by score."""
    patterns = [f for f in fast if f[2] not in _STRUCTURAL]  # sorted, never overlapping
    ends = [f[1] for f in patterns]
    pieces: list[Span] = [f for f in fast if f[2] in _STRUCTURAL]
    for s, e, et, sc in ner:
        parts = [(s, e)]
        k = bisect_right(ends, s)
        while k < len(patterns) and patterns[k][0] < e:
            ps, pe = patterns[k][0], patterns[k][1]
            nxt = []
            for a, b in parts:
                if a < ps:
                    nxt.append((a, min(b, ps)))
                if pe < b:
                    nxt.append((max(a, pe), b))
            parts = nxt
            k += 1
        for a, b in parts:
            while a < b and not text[a].isalnum():
                a += 1
            while b > a and not text[b - 1].isalnum():
                b -= 1
            if b - a >= 2:
                pieces.append((a, b, et, sc))
    return sorted(patterns + _resolve(pieces))


def _check_entities(entities: Iterable[str] | None, supported: tuple[str, ...], engine: str) -> tuple[str, ...]:
    if entities is None:
        return supported
    if isinstance(entities, str):
        entities = [entities]
    out = []
    for ent in entities:
        if not isinstance(ent, str) or ent not in supported:
            raise PolicyError(
                f"unknown entity {ent!r} for engine {engine!r}",
                key="entities",
                expected="some of " + ", ".join(supported),
            )
        if ent not in out:
            out.append(ent)
    if not out:
        raise PolicyError("no entities given", key="entities", expected="at least one entity name, or None for all")
    return tuple(out)


def _check_threshold(threshold: Any) -> float:
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0.0 <= threshold <= 1.0:
        raise PolicyError(f"bad threshold {threshold!r}", key="threshold", expected="a number from 0 to 1")
    return float(threshold)


def _normal(value: str) -> str:
    return "".join(c for c in value if c.isalnum()).casefold()


class PII(Validator):
    """Find personal data and redact, mask, hash, pseudonymize, block or warn.

    >>> import guardwrap as gw
    >>> gw.Guard(input=[gw.PII(action="redact")]).check("mail me: ann@example.org").text
    'mail me: <EMAIL_ADDRESS>'

    ``entities``: Presidio entity names (default: every entity the engine supports).
    ``threshold``: minimum score (0-1) for a finding. ``engine``: ``"fast"`` (default, no extra
    dependencies; PERSON and STREET_ADDRESS by structure and name lists), ``"presidio"``
    (presidio-analyzer, adds LOCATION/ORGANIZATION/NRP with an installed spaCy model) or
    ``"hybrid"`` (the fast engine plus Presidio's NER; pattern findings win over NER spans).
    ``allow``: values (compared ignoring separators and case) or compiled patterns (full match)
    never flagged; ``allow_patterns``: the same patterns as strings (for policy files). ``mask_char``/``mask_keep``: for ``action="mask"``; ``mask_keep`` may be a mapping
    ``{entity: n}`` with an optional ``"default"``. ``context``: extra context words per entity.
    ``phone_regions``: regions whose national formats count as phone numbers. ``hash_key``: key
    for ``action="hash"`` (default: the audit key).
    """

    name = "pii"
    version = "1"
    action = "redact"
    stage = "both"
    actions = frozenset({"redact", "mask", "hash", "pseudonymize", "block", "warn", "escalate"})

    def __init__(
        self,
        entities: Iterable[str] | None = None,
        action: str = "redact",
        *,
        threshold: float = 0.5,
        engine: str = "fast",
        allow: Iterable[Any] = (),
        allow_patterns: Iterable[str] = (),
        mask_char: str = "*",
        mask_keep: int | Mapping[str, int] = 4,
        context: Mapping[str, Iterable[str]] | None = None,
        name: str = "pii",
        phone_regions: Iterable[str] = DEFAULT_PHONE_REGIONS,
        hash_key: bytes | str | None = None,
        model: str | None = None,
        analyzer: Any = None,
        language: str = "en",
    ) -> None:
        super().__init__(action=action, name=name)
        if engine not in ENGINES:
            raise PolicyError(f"unknown engine {engine!r}", key="engine", expected=" | ".join(ENGINES))
        self.engine = engine
        self.threshold = _check_threshold(threshold)
        if not isinstance(mask_char, str) or len(mask_char) != 1:
            raise PolicyError(f"bad mask_char {mask_char!r}", key="mask_char", expected="one character")
        self.mask_char = mask_char
        self._mask_by_entity: dict[str, int] | None = None
        if isinstance(mask_keep, Mapping):
            keeps = {str(k): v for k, v in mask_keep.items()}
            for k, v in keeps.items():
                if isinstance(v, bool) or not isinstance(v, int) or v < 0:
                    raise PolicyError(f"bad mask_keep for {k}", key=f"mask_keep.{k}", expected="an integer >= 0")
            self.mask_keep = keeps.pop("default", 4)
            self._mask_by_entity = keeps
        elif isinstance(mask_keep, bool) or not isinstance(mask_keep, int) or mask_keep < 0:
            raise PolicyError(f"bad mask_keep {mask_keep!r}", key="mask_keep", expected="an integer >= 0 or {entity: n}")
        else:
            self.mask_keep = mask_keep
        if context is not None and not isinstance(context, Mapping):
            raise PolicyError("context must map entity names to words", key="context",
                              expected="{ENTITY: [word, ...]}")
        self.hash_key = hash_key.encode() if isinstance(hash_key, str) else hash_key
        if self.hash_key is not None and len(self.hash_key) < 16:
            raise PolicyError("hash_key is shorter than 16 bytes: anyone could recompute the hashes",
                              key="hash_key", expected="a secret of at least 16 bytes, or None for the audit key")
        supported = SUPPORTED_ENTITIES if engine == "fast" else _ALL_ENTITIES
        self.entities = _check_entities(entities, supported, engine)
        self._allow_values: set[str] = set()
        self._allow_patterns: list[Any] = []
        if isinstance(allow, str):
            allow = [allow]
        for item in allow:
            if isinstance(item, str):
                self._allow_values.add(_normal(item))
            elif hasattr(item, "fullmatch"):
                self._allow_patterns.append(item)
            else:
                raise PolicyError(f"bad allow entry of type {type(item).__name__}", key="allow",
                                  expected="strings or compiled regular expressions")
        if isinstance(allow_patterns, str):
            allow_patterns = [allow_patterns]
        for i, pat in enumerate(allow_patterns):
            try:
                # matched only against a finding's own text, on the regex engine with a time limit
                self._allow_patterns.append(regex.compile(pat, regex.VERSION0))
            except (regex.error, TypeError) as exc:
                raise PolicyError(f"allow pattern {i} does not compile ({exc})", key=f"allow_patterns[{i}]",
                                  expected="a regular expression") from None
        # hybrid: the fast engine for what it supports (PERSON included), the model for the NER
        # entities (PERSON too: the two are merged, validated patterns first)
        fast = [e for e in self.entities if e in SUPPORTED_ENTITIES]
        ner = [e for e in self.entities if e in NER_ENTITIES]
        if engine == "presidio":
            fast, ner = [], list(self.entities)
        elif engine == "fast":
            ner = []
        if context is not None:
            for k in context:
                if k not in supported:
                    raise PolicyError(f"context for unknown entity {k!r}", key=f"context.{k}",
                                      expected="an entity name")
        self._fast = (
            Detector(fast, self.threshold, context=context, phone_regions=tuple(phone_regions))
            if fast else None
        )
        self._presidio = None
        if ner:
            from ._presidio import PresidioEngine

            self._presidio = PresidioEngine(ner, model=model, analyzer=analyzer, language=language)
        self._state_key = f"pii:{id(self)}"

    def config(self) -> dict[str, Any]:
        allow = sorted(self._allow_values) + sorted(p.pattern for p in self._allow_patterns)
        return {
            "entities": list(self.entities),
            "threshold": self.threshold,
            "engine": self.engine,
            # the allow-list may hold real numbers: the policy hash needs only their digest
            "allow": hashlib.sha256("\n".join(allow).encode()).hexdigest()[:16] if allow else None,
            "mask_char": self.mask_char,
            "mask_keep": self.mask_keep if self._mask_by_entity is None else {
                "default": self.mask_keep, **self._mask_by_entity},
        }

    def detect(self, text: str, *, before: str = "") -> list[Finding]:
        """Findings in ``text``, sorted by start, never overlapping. ``before``: preceding text
        (context words only).

        Detection reads the canonical view of the text (Unicode digits and spaces, invisible
        characters, escapes undone, see `guardwrap._text`); offsets are the original text's, so a
        rewrite replaces exactly the characters that made up the value.
        """
        view = canonical(text)
        spans = self._view_spans(view, before)
        if spans and not view.identity:
            spans = [(*o, et, sc) for o, (_, _, et, sc) in
                     zip(view.spans([(s, e) for s, e, _, _ in spans]), spans, strict=True)]
        if self._presidio is not None:
            extra = self._presidio.scan(text, self.threshold)
            if extra:
                spans = _merge_ner(text, spans, extra) if self._fast is not None else _resolve(extra)
        if spans and (self._allow_values or self._allow_patterns):
            spans = [c for c in spans if not self._allowed(text[c[0]:c[1]])]
        name = self.name
        return [Finding(et, s, e, sc, validator=name) for s, e, et, sc in spans]

    def _view_spans(self, view: View, before: str = "") -> list[tuple[int, int, str, float]]:
        """Fast-engine spans in view offsets, base64/hex blobs that hide a value included."""
        if self._fast is None:
            return []
        spans = self._fast.scan(view.text, before)
        blobs = view.blobs()
        if blobs:
            for bs, be, decoded in blobs:
                inner = self._fast.scan(plain(decoded))
                if inner:  # the whole blob stands for what it hides
                    best = max(inner, key=lambda c: c[3])
                    spans.append((bs, be, best[2], best[3]))
            spans = _resolve(spans)
        return spans

    def _allowed(self, value: str) -> bool:
        value = plain(value)
        if self._allow_values and _normal(value) in self._allow_values:
            return True
        for p in self._allow_patterns:
            try:
                if p.fullmatch(value, timeout=_ALLOW_TIMEOUT) if isinstance(p, regex.Pattern) else p.fullmatch(value):
                    return True
            except TimeoutError:
                continue  # fail closed: a value we could not clear stays a finding
        return False

    def check(self, text: str, ctx: CallContext | None = None) -> Result | None:
        before = ""
        if ctx is not None and ctx.streaming:
            # A stream is checked segment by segment: keep the tail of what came before, so that
            # context words just before a segment still count.
            state = ctx.state
            before = state.get(self._state_key, "")
            state[self._state_key] = (before + canonical(text).text)[-CTX_WINDOW:]
        elif ctx is not None and ctx.before:
            # the previous message of the call ("And the account number?" / "32680173")
            before = plain(ctx.before[-CTX_WINDOW:]) + "\n"
        findings = self.detect(text, before=before)
        if not findings:
            return None
        fix = None
        if self.action == "mask" and self._mask_by_entity:
            fix = self._mask(text, findings)
        return Result.fail("pii", fix=fix, findings=findings, score=max(f.score for f in findings))

    def _mask(self, text: str, findings: list[Finding]) -> str:
        parts = []
        pos = 0
        by = self._mask_by_entity or {}
        for f in findings:
            keep = by.get(f.entity_type or "", self.mask_keep)
            parts.append(text[pos:f.start])
            parts.append(mask_value(text[f.start:f.end], char=self.mask_char, keep=keep))
            pos = f.end
        parts.append(text[pos:])
        return "".join(parts)

    def stream_safe(self, text: str) -> int:
        """For streams: the index before which no finding, present or still to come, can straddle.

        Holds back the trailing token (an e-mail or URL still being written) and, when it could be
        a group of a spaced number ("4111 1111 11"), the groups before it; never more than
        ``_MAX_HOLD`` characters, so text without spaces (Chinese, a long token) keeps flowing and
        a stream costs time linear in its length.
        """
        view = canonical(text)
        t = view.text
        n = len(t)
        k = n
        while k > 0 and not t[k - 1].isspace() and n - k < _MAX_HOLD:
            k -= 1
        cut = k
        if k == n or _GROUPISH.fullmatch(t, k, n):
            while cut > 1 and t[cut - 1] == " " and not t[cut - 2].isspace() and n - cut < _MAX_HOLD:
                j = cut - 1
                while j > 0 and not t[j - 1].isspace():
                    j -= 1
                if not _GROUPISH.fullmatch(t, j, cut - 1):
                    break
                cut = j
        cut = _spoken.run_start(t, cut, _MAX_HOLD)  # "four one one ...", still being said
        if cut <= 0:
            return 0
        # never cut through a finding (bounded window: entities are short)
        lo = max(0, cut - 160)
        for s, e, _, _ in self._view_spans(canonical(t[lo:])):
            if s + lo < cut < e + lo:
                cut = s + lo
                break
        return view.pos(cut)

    def __repr__(self) -> str:
        return f"PII(entities={len(self.entities)}, action={self.action!r}, engine={self.engine!r}, threshold={self.threshold})"


_DEFAULTS: dict[tuple[tuple[str, ...] | None, float], PII] = {}


def detect_pii(text: str, entities: Iterable[str] | None = None, *, threshold: float | None = None) -> list[Finding]:
    """Findings (entity type, offsets, score) of personal data in ``text`` with the fast engine.

    >>> [(f.entity_type, f.start, f.end) for f in detect_pii("card 4111 1111 1111 1111")]
    [('CREDIT_CARD', 5, 24)]
    """
    key = (None if entities is None else tuple(entities), 0.5 if threshold is None else float(threshold))
    pii = _DEFAULTS.get(key)
    if pii is None:
        if len(_DEFAULTS) > 64:
            _DEFAULTS.clear()
        pii = _DEFAULTS[key] = PII(entities, action="redact", threshold=key[1])
    return pii.detect(text)
