"""The fast engine: finds candidates in one pass, asks the family detectors, decides.

Candidates are the places an entity could be: runs of digit groups (with the letters just before
them for ids such as IBANs or NINOs), ``@``, ``://``/``www.``, ``:`` for IPv6. Family modules
(`_cards`, `_banking`, `_national`, `_phone`, `_web`, `_crypto`, `_dates`) validate and *propose*
``(entity, base score)``; this module adds context (a context word in the candidate's sentence
raises a score, a negative word close before it lowers one that no checksum backs), applies the
threshold and resolves overlaps. Families never import the engine.

Precedence for a run of digit groups, in the order the engine applies it:

1. ``+`` just before: only an international phone number.
2. ``00`` and a valid country code, plain: a phone number (0.5), still open to the rules below.
3. Dotted quad of octets: only an IPv4 address. Three groups that make a calendar date: only a
   date. Any other dotted quad: nothing.
4. A validated card number (issuer, length, Luhn) in a card grouping or plain: only a card.
5. The remaining families propose in this order (earlier wins a tie): short Maestro; 9 digits:
   SSN, ITIN, ABA, TFN, passport by shape and checksum; 10 digits: NHS; plain 8-17 digits: bank
   account, 7-9 digits: driving licence; a national phone number unless a proposal already scores
   0.85 or more.
6. The best score after context wins; a single proposal of 0.9 or more ignores context.

A run cut out of a longer same-separated chain (``sliced``) may only be a phone number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import regex

from . import _banking, _cards, _crypto, _dates, _national, _phone, _web
from ._resolve import Span, resolve

FAMILIES = (_cards, _banking, _national, _phone, _web, _crypto, _dates)

#: Words in the text before a candidate that make it more likely to be that entity.
CONTEXT_WORDS: dict[str, tuple[str, ...]] = {k: v for f in FAMILIES for k, v in f.CONTEXT.items()}
#: Words that make a number less likely to be personal data (applied only without positive context
#: and only to scores that no checksum backs).
NEGATIVE_WORDS = ("order", "invoice", "version", "ticket", "tracking", "sku", "receipt", "ref",
                  "reference", "case", "model", "part", "serial", "build", "release", "page")

# Score a context word adds: weak formats get more, as they are nothing without it.
_BOOST = 0.35
_WEAK_BOOST = 0.5
_WEAK = frozenset({"US_BANK_NUMBER", "US_PASSPORT", "US_DRIVER_LICENSE"})
_NEGATIVE = 0.35
CTX_WINDOW = 48
_NEG_WINDOW = 24  # a negative word must be close: "order 12345", "version 2.3"

_A = regex.ASCII
# A run of digit groups joined by single separators: cards, phones, SSNs, IPv4, dates, ...
_RUN = regex.compile(r"[0-9]+(?:(?:[ \-./\u00a0]|\)[ .\-]?| ?\()[0-9]+)*\)?", _A)
_GROUP = regex.compile(r"[0-9]+", _A)
_STRIP = str.maketrans("", "", " -./()\u00a0")
_DIGITS_DEL = str.maketrans("", "", "0123456789")
_TO9 = str.maketrans("0123456789", "9999999999")


def word_rx(words: Iterable[str]) -> Any:
    alts = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    # `re`, not `regex`: these run on 64-character windows, where per-call overhead dominates
    return re.compile(rf"(?<![a-z0-9])(?:{alts})(?![a-z0-9])")


_NEG_RX = word_rx(NEGATIVE_WORDS)

# How a letter-prefixed id is validated once its pattern matched: "strong" ids stand on their
# checksum, "scored" ones take context, "weak" ones are dropped at once below the threshold (so
# that another pattern may still claim the run).
_STRONG, _SCORED, _WEAK_LP = 0, 1, 2


class Detector:
    """The fast engine for a fixed entity set: everything compiled once, ``scan`` on the hot path."""

    __slots__ = ("_ctx", "_email", "_ip", "_lp", "_phone", "_runs", "_url", "threshold", "want")

    def __init__(
        self,
        entities: Iterable[str],
        threshold: float,
        *,
        context: Mapping[str, Iterable[str]] | None = None,
        phone_regions: Iterable[str] = _phone.DEFAULT_REGIONS,
    ) -> None:
        self.want = frozenset(entities)
        self.threshold = threshold
        words = {k: list(v) for k, v in CONTEXT_WORDS.items()}
        for k, extra in (context or {}).items():
            words.setdefault(k, []).extend(w.lower() for w in extra)
        self._ctx = {k: word_rx(v) for k, v in words.items() if v}
        self._phone = _phone.Phones(phone_regions) if "PHONE_NUMBER" in self.want else None
        self._email = "EMAIL_ADDRESS" in self.want
        self._url = "URL" in self.want
        self._ip = "IP_ADDRESS" in self.want
        numeric = self.want - {"EMAIL_ADDRESS", "URL"}
        self._runs = bool(numeric)
        # Letter-prefixed ids, keyed by how many letters precede the first digit.
        lp: dict[int, list[tuple[str, Any]]] = {}
        w = self.want
        if "CRYPTO" in w:
            lp.setdefault(2, []).append(("CRYPTO", _crypto.BECH32))
        if "IBAN_CODE" in w:
            lp.setdefault(2, []).append(("IBAN_CODE", _banking.IBAN))
        if "UK_NINO" in w:
            lp.setdefault(2, []).append(("UK_NINO", _national.NINO))
        if "IN_PAN" in w:
            lp.setdefault(5, []).append(("IN_PAN", _national.PAN))
        if "SG_NRIC_FIN" in w:
            lp.setdefault(1, []).append(("SG_NRIC_FIN", _national.NRIC))
        if "US_PASSPORT" in w:
            lp.setdefault(1, []).append(("US_PASSPORT", _national.PASSPORT_NG))
        if "US_DRIVER_LICENSE" in w:
            lp.setdefault(1, []).append(("US_DRIVER_LICENSE", _national.DL))
            lp.setdefault(2, []).append(("US_DRIVER_LICENSE", _national.DL))
        self._lp = lp

    # -- scoring -------------------------------------------------------------------------------

    def _score(self, etype: str, base: float, pre: str) -> float:
        rx = self._ctx.get(etype)
        if rx is not None and rx.search(pre):
            return min(1.0, base + (_WEAK_BOOST if etype in _WEAK else _BOOST))
        if base < 0.8 and _NEG_RX.search(pre, max(0, len(pre) - _NEG_WINDOW)):
            return base - _NEGATIVE
        return base

    # -- the scan ------------------------------------------------------------------------------

    def scan(self, text: str, before: str = "") -> list[Span]:
        """Candidate spans ``(start, end, entity, score)`` at or above the threshold, no overlaps."""
        out: list[Span] = []
        if self._email and "@" in text:
            _web.emails(text, out)
        if self._url and ("://" in text or "www." in text):
            _web.urls(text, out)
        if (self._ip and "::" in text) or (self._ip and text.count(":") >= 2):
            _web.ipv6(text, out)
        if self._runs:
            skip = 0
            for m in _RUN.finditer(text):
                s = m.start()
                if s < skip:
                    continue
                skip = self._run(text, s, m.end(), out, before)
        if not out:
            return out
        thr = self.threshold
        out = [c for c in out if c[3] >= thr]
        if len(out) > 1:
            out = resolve(out)
        return out

    def _pre(self, text: str, pos: int, before: str) -> str:
        """The words before ``pos`` that count as its context: lower-cased, within the sentence."""
        lo = pos - CTX_WINDOW
        if lo >= 0:
            pre = text[lo:pos].lower()
        else:
            pre = (before[lo:] + text[:pos]).lower() if before else text[:pos].lower()
        # A context word in the previous sentence is about something else ("no." and other short
        # abbreviations do not end a sentence).
        cut = max(pre.rfind("? "), pre.rfind("! "), pre.rfind("\n"))
        dot = pre.rfind(". ")
        while dot > cut:
            w = dot
            while w > 0 and pre[w - 1].isalnum():
                w -= 1
            if dot - w > 3 or (dot > w and pre[w:dot].isdigit()):
                cut = dot
                break
            dot = pre.rfind(". ", 0, dot)
        return pre[cut + 1:] if cut >= 0 else pre

    def _letter_prefixed(self, text: str, s: int, out: list[Span], before: str) -> int:
        """Ids that start with letters (IBAN, NINO, PAN, NRIC, passports, licences, bc1...)."""
        p = s
        lo = max(0, s - 5)
        while p > lo and text[p - 1].isalpha():
            p -= 1
        spaced = False
        if p == s and s >= 3 and text[s - 1] == " " and text[s - 2].isupper() and text[s - 3].isupper():
            p, spaced = s - 3, True  # "AB 12 34 56 C"
        if p > 0 and text[p - 1].isalnum():
            return 0
        letters = 2 if spaced else s - p
        for etype, rx in self._lp.get(letters, ()):
            if spaced and etype != "UK_NINO":
                continue
            m = rx.match(text, p)
            if m is None:
                continue
            hit = self._validate_lp(etype, text, p, m.end(), before)
            if hit is not None:
                out.append(hit)
                return hit[1]
        return 0

    def _validate_lp(self, etype: str, text: str, p: int, e: int, before: str) -> Span | None:
        if etype == "IBAN_CODE":
            end = _banking.iban_end(text, p, e)
            return None if end is None else (p, end, etype, 1.0)
        if etype == "UK_NINO":
            value = text[p:e].replace(" ", "")
            return (p, e, etype, 0.85) if _national.uk_nino_prefix(value[:2]) else None
        if etype == "IN_PAN":
            return (p, e, etype, self._score(etype, 0.8, self._pre(text, p, before)))
        if etype == "SG_NRIC_FIN":
            ok = _national.sg_nric(text[p:e])
            if ok is False:
                return None
            base = 0.9 if ok else 0.4
            return (p, e, etype, self._score(etype, base, self._pre(text, p, before)))
        if etype == "CRYPTO":
            return (p, e, etype, 1.0) if _crypto.bech32_address(text[p:e]) else None
        # US_PASSPORT, US_DRIVER_LICENSE: weak shapes, context decides
        score = self._score(etype, 0.1, self._pre(text, p, before))
        return (p, e, etype, score) if score >= self.threshold else None

    def _run(self, text: str, s: int, e: int, out: list[Span], before: str) -> int:
        """Classify one run of digit groups; return the index up to which later runs are covered."""
        c = text[s - 1] if s else " "
        if self._lp and (c.isalpha() or (c == " " and s >= 3 and text[s - 2].isupper())):
            hit_end = self._letter_prefixed(text, s, out, before)
            if hit_end:
                return hit_end
        if c.isalpha() or c == "_":
            return e  # digits glued to a word (an id like "A17", a hash) are not a number entity
        if "CRYPTO" in self.want and text[s] in "13" and not c.isalnum():
            m = _crypto.BASE58.match(text, s)
            if m and _crypto.base58check(m.group()):
                end: int = m.end()
                out.append((s, end, "CRYPTO", 1.0))
                return end
        n = len(text)
        ge = e - 1 if text[e - 1] == ")" else e
        if ge < n and text[ge].isalnum() and not (text[ge] == "x" and text[ge + 1:ge + 2].isdigit()):
            return e  # glued to letters on the right: "12kg", "3rd"
        if e < n - 1 and text[e] in ".-/" and text[e + 1].isdigit():
            return e  # part of a longer dotted/dashed code the run pattern stopped short of
        hit = self._classify(text, s, ge, before)
        if hit is not None:
            out.append(hit)
            return e
        if ge - s < 7 or text[s:ge].isdigit():
            return e
        # The whole run is not one entity: try its sub-runs of digit groups, longest first.
        groups = [(g.start(), g.end()) for g in _GROUP.finditer(text, s, ge)]
        ng = len(groups)
        if ng > 8:
            seps = text[s:ge].translate(_DIGITS_DEL)
            if seps == seps[0] * len(seps):
                return e  # a long chain of same-separated numbers is a table, not an entity
        i = 0
        while i < ng:
            # Only windows of at most 19 digits can be an entity: bounded work per group, so a
            # hostile run of thousands of groups stays linear.
            j = i
            digits = groups[i][1] - groups[i][0]
            while j + 1 < ng and digits + groups[j + 1][1] - groups[j + 1][0] <= 19:
                j += 1
                digits += groups[j][1] - groups[j][0]
            if i == 0 and j == ng - 1:
                digits -= groups[j][1] - groups[j][0]
                j -= 1  # the whole run was tried already
            hit = None
            while j >= i and digits >= 5:
                # separators joining this window to its neighbours: a window that shares its
                # own separator with a neighbour is a slice of a longer code, not an entity
                outer = (text[groups[i - 1][1]:groups[i][0]] if i else "",
                         text[groups[j][1]:groups[j + 1][0]] if j < ng - 1 else "")
                hit = self._classify(text, groups[i][0], groups[j][1], before, outer)
                if hit is not None:
                    break
                digits -= groups[j][1] - groups[j][0]
                j -= 1
            if hit is not None:
                out.append(hit)
                i = j + 1
            else:
                i += 1
        return e

    def _classify(self, text: str, gs: int, ge: int, before: str,
                  outer: tuple[str, str] = ("", "")) -> Span | None:
        """The best entity for the digit groups ``text[gs:ge]`` (with a ``+``/``(`` just before)."""
        seg = text[gs:ge]
        digits = seg.translate(_STRIP)
        n = len(digits)
        if n > 19 or n < 5:
            return None
        want = self.want
        ws = gs
        # "(415) 555-2671": the parenthesis belongs to the number, unless glued to a word before it
        paren = gs > 0 and text[gs - 1] == "(" and (gs == 1 or not text[gs - 2].isalnum())
        if paren:
            ws = gs - 1
        plus = ws > 0 and text[ws - 1] == "+"
        if plus:
            ws -= 1
        if ws > 0 and text[ws - 1].isalnum():
            return None
        we = ge
        if we < len(text) and text[we] == ")" and seg.count("(") + paren > seg.count(")"):
            we += 1
        plain = n == len(seg)
        cands: list[tuple[str, float]] = []
        phone = self._phone

        # 1. a "+" prefix: an international phone number or nothing
        if plus:
            if phone is not None and 8 <= n <= 15 and phone.international(digits):
                return self._pick([("PHONE_NUMBER", 0.75)], text, ws, we, before)
            return None
        # 2. "0044..." dialled from abroad, or an account number with leading zeros: context decides
        if plain and n >= 10 and digits.startswith("00") and phone is not None and (
            phone.international(digits[2:])
        ):
            cands.append(("PHONE_NUMBER", 0.5))

        shape = "" if plain else seg.translate(_TO9)
        seps = "" if plain else shape.replace("9", "")
        sep = seps[0] if seps and seps == seps[0] * len(seps) else None  # one separator char throughout
        sliced = sep is not None and sep in outer
        # 3. dotted quads and dates
        if sep in (".", "-", "/") and len(seps) in (2, 3):
            parts = seg.split(sep)
            if sep == "." and "IP_ADDRESS" in want and _web.dotted_quad(parts, text, ws):
                return self._pick([("IP_ADDRESS", 0.6)], text, ws, we, before)
            if len(parts) == 3 and _dates.numeric_date(parts):
                if "DATE_TIME" in want:
                    cands.append(("DATE_TIME", 0.45))
                return self._pick(cands, text, ws, we, before)
            if len(parts) == 4 and sep == ".":
                return None

        # 4. a validated card number
        if not sliced and 13 <= n <= 19 and "CREDIT_CARD" in want:
            score = _cards.card(digits, shape, plain, sep)
            if score is not None:
                return self._pick([("CREDIT_CARD", score)], text, ws, we, before)
        # 5. everything else proposes; ties go to the earlier proposal
        if n == 12 and plain and "CREDIT_CARD" in want:
            score = _cards.short_maestro(digits)
            if score is not None:
                cands.append(("CREDIT_CARD", score))

        if sliced:
            pass  # only a phone number may be cut out of a longer run of same-separated groups
        elif n == 9:
            if plain:
                if "US_SSN" in want and _national.us_ssn(digits):
                    cands.append(("US_SSN", 0.3))
                if "US_ITIN" in want and _national.us_itin(digits):
                    cands.append(("US_ITIN", 0.3))
                if "ABA_ROUTING_NUMBER" in want and _banking.aba_routing(digits):
                    cands.append(("ABA_ROUTING_NUMBER", 0.3))
                if "AU_TFN" in want and _national.au_tfn(digits):
                    cands.append(("AU_TFN", 0.3))
                if "US_PASSPORT" in want:
                    cands.append(("US_PASSPORT", 0.1))
            elif shape in _national.SSN_SHAPES:
                if digits[0] == "9":
                    if "US_ITIN" in want and _national.us_itin(digits):
                        cands.append(("US_ITIN", 0.85))
                elif "US_SSN" in want and _national.us_ssn(digits):
                    cands.append(("US_SSN", 0.85))
            elif shape in _national.TFN_SHAPES:
                if "AU_TFN" in want and _national.au_tfn(digits):
                    cands.append(("AU_TFN", 0.45))
            elif shape in _banking.ABA_SHAPES and "ABA_ROUTING_NUMBER" in want and _banking.aba_routing(digits):
                cands.append(("ABA_ROUTING_NUMBER", 0.6))
        elif n == 10 and "UK_NHS" in want and (plain or shape in _national.NHS_SHAPES) and _national.uk_nhs(digits):
            cands.append(("UK_NHS", 0.3 if plain else 0.5))

        if plain:
            if 8 <= n <= 17 and "US_BANK_NUMBER" in want:
                cands.append(("US_BANK_NUMBER", 0.05))
            if 7 <= n <= 9 and "US_DRIVER_LICENSE" in want:
                cands.append(("US_DRIVER_LICENSE", 0.05))

        if phone is not None and 7 <= n <= 13 and not (cands and cands[0][1] >= 0.85):
            formatted = paren or (not plain and not seps.strip(" -.()/"))
            if (formatted or n in (10, 11)) and phone.national_number(digits):
                cands.append(("PHONE_NUMBER", 0.6 if formatted else 0.4))
        return self._pick(cands, text, ws, we, before)

    def _pick(self, cands: list[tuple[str, float]], text: str, ws: int, we: int, before: str) -> Span | None:
        if not cands:
            return None
        if len(cands) == 1 and cands[0][1] >= 0.9:
            return (ws, we, cands[0][0], cands[0][1])  # validated and unambiguous: context adds nothing
        pre = self._pre(text, ws, before)
        best = None
        best_score = -1.0
        for etype, base in cands:
            score = self._score(etype, base, pre)
            if score > best_score:
                best, best_score = etype, score
        if best is None or best_score < self.threshold:
            return None
        return (ws, we, best, best_score)
