"""PII detection and reversible redaction: `PII` (a validator) and `detect_pii`.

The default engine is candidate-first. One cheap scan finds the places where an entity could be
(runs of digits with separators, ``@``, ``://``, ``www.``, ``:`` for IPv6); only those candidates
are validated (Luhn, ISO 13616 mod-97 and per-country length, SSA rules, ``phonenumbers``
metadata, ABA/NHS/TFN/NRIC checksums, base58check/bech32 for Bitcoin). Text without digits, ``@``
or ``:`` costs a few string searches.

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
import ipaddress
import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from typing import Any

import regex

from . import _pii_checks as ck
from ._anonymize import mask_value
from ._context import CallContext
from ._decision import Finding, Result
from ._errors import PolicyError
from ._text import View, canonical, plain
from ._validator import Validator

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
    "DATE_TIME",
)
#: Entities that need a named-entity model (``engine="presidio"`` or ``"hybrid"``).
NER_ENTITIES = ("PERSON", "LOCATION", "ORGANIZATION", "NRP")

ENGINES = ("fast", "presidio", "hybrid")
#: Regions whose national phone formats are recognised without a ``+`` prefix, by default.
DEFAULT_PHONE_REGIONS = ("US", "GB", "DE", "FR", "IN", "AU")

#: Words in the text before a candidate that make it more likely to be that entity.
CONTEXT_WORDS: dict[str, tuple[str, ...]] = {
    "CREDIT_CARD": ("card", "visa", "mastercard", "amex", "maestro", "credit", "debit", "cc", "charge",
                    "payment", "paid with", "pay with"),
    "IBAN_CODE": ("iban", "account", "bank", "transfer", "wire"),
    "US_SSN": ("ssn", "social security", "social sec"),
    "US_ITIN": ("itin", "taxpayer", "tax id"),
    "PHONE_NUMBER": ("phone", "call", "tel", "telephone", "mobile", "cell", "fax", "contact",
                     "reach", "ring", "text me", "whatsapp", "dial", "landline"),
    "ABA_ROUTING_NUMBER": ("routing", "aba", "transit", "rtn"),
    "US_BANK_NUMBER": ("account", "acct", "a/c", "checking", "savings", "bank"),
    "US_PASSPORT": ("passport",),
    "US_DRIVER_LICENSE": ("driver", "drivers", "driving", "licence", "license", "dl"),
    "UK_NHS": ("nhs", "health service", "health number"),
    "UK_NINO": ("national insurance", "nino", "ni number"),
    "AU_TFN": ("tfn", "tax file"),
    "SG_NRIC_FIN": ("nric", "fin"),
    "IN_PAN": ("pan", "permanent account", "income tax"),
    "IP_ADDRESS": ("ip", "ipv4", "ipv6", "host", "server", "address"),
    "DATE_TIME": ("born", "birth", "dob", "d.o.b", "birthday"),
    "URL": ("url", "link", "website", "site"),
    "CRYPTO": ("bitcoin", "btc", "wallet", "crypto"),
    "EMAIL_ADDRESS": ("email", "e-mail", "mail"),
}
#: Words that make a number less likely to be personal data (applied only without positive context
#: and only to scores that no checksum backs).
NEGATIVE_WORDS = ("order", "invoice", "version", "ticket", "tracking", "sku", "receipt", "ref",
                  "reference", "case", "model", "part", "serial", "build", "release", "page")

# Score a context word adds: weak formats get more, as they are nothing without it.
_BOOST = 0.35
_WEAK_BOOST = 0.5
_WEAK = frozenset({"US_BANK_NUMBER", "US_PASSPORT", "US_DRIVER_LICENSE"})
_NEGATIVE = 0.35
#: seconds an allow pattern may spend on one finding before the finding stands
_ALLOW_TIMEOUT = 0.05
#: most characters a stream holds back for an entity still being written (longer runs without
#: whitespace, such as Chinese text, are released once they are this far behind the end)
_MAX_HOLD = 256
_CTX_WINDOW = 48
_NEG_WINDOW = 24  # a negative word must be close: "order 12345", "version 2.3"

# -- compiled patterns (cheap to compile; module import happens only when PII is first used) -----

_A = regex.ASCII
# A run of digit groups joined by single separators: cards, phones, SSNs, IPv4, dates, ...
_RUN = regex.compile(r"[0-9]+(?:(?:[ \-./\u00a0]|\)[ .\-]?| ?\()[0-9]+)*\)?", _A)
_GROUP = regex.compile(r"[0-9]+", _A)
_STRIP = str.maketrans("", "", " -./()\u00a0")
_ALNUM_DEL = str.maketrans("", "", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_DIGITS_DEL = str.maketrans("", "", "0123456789")
_TO9 = str.maketrans("0123456789", "9999999999")


def _shapes(*groupings: tuple[int, ...], seps: str = " -") -> frozenset[str]:
    return frozenset(s.join("9" * k for k in g) for g in groupings for s in seps)


_CARD_SHAPES = _shapes((4, 4, 4, 4), (4, 4, 4, 4, 3), (4, 4, 4, 1), (4, 6, 5), (4, 6, 4), (4, 4, 4, 4, 1),
                       (4, 4, 4, 4, 2), (4, 4, 4, 3))
_SSN_SHAPES = _shapes((3, 2, 4), seps=" -.")
_TFN_SHAPES = _shapes((3, 3, 3))
_ABA_SHAPES = _shapes((4, 4, 1))
_NHS_SHAPES = _shapes((3, 3, 4))
_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~.-")
_DOMAIN = regex.compile(
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}(?![A-Za-z0-9\-])", _A
)
_SCHEME = regex.compile(r"(?:https?|ftps?|sftp|wss?)$", _A | regex.IGNORECASE)
_URL_REST = regex.compile(r"[^\s<>\"'`{}|\\^]+", _A)
_IBAN = regex.compile(r"[A-Z]{2}[0-9]{2}(?:[ \-]?[A-Z0-9]){8,32}", _A)
_NINO = regex.compile(
    r"[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D](?![A-Za-z0-9])", _A
)
_PAN = regex.compile(r"[A-Z]{3}[ABCFGHLJPT][A-Z][0-9]{4}[A-Z](?![A-Za-z0-9])", _A)
_NRIC = regex.compile(r"[STFGM][0-9]{7}[A-Z](?![A-Za-z0-9])", _A)
_PASSPORT_NG = regex.compile(r"[A-Z][0-9]{8}(?![A-Za-z0-9])", _A)
_DL = regex.compile(r"[A-Z]{1,2}[0-9]{4,14}(?![A-Za-z0-9])", _A)
_BASE58 = regex.compile(r"[13][1-9A-HJ-NP-Za-km-z]{25,34}(?![A-Za-z0-9])", _A)
_BECH32 = regex.compile(r"bc1[ac-hj-np-z02-9]{11,71}(?![A-Za-z0-9])", _A)
_HEXCOLON = frozenset("0123456789abcdefABCDEF:.")
_TRAIL_PUNCT = ".,;:!?'\")]}>"
# A token that could be one group of a longer spaced id (card groups, IBAN blocks, "+44", "(0)20").
_GROUPISH = regex.compile(r"[+(]?[A-Za-z]{0,4}[0-9][0-9A-Za-z()\-./]*|[A-Z]{1,4}|[+(\-]", _A)


def _word_rx(words: Iterable[str]) -> Any:
    alts = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    # `re`, not `regex`: these run on 64-character windows, where per-call overhead dominates
    return re.compile(rf"(?<![a-z0-9])(?:{alts})(?![a-z0-9])")


_NEG_RX = _word_rx(NEGATIVE_WORDS)


class _Phone:
    """Phone validation on ``phonenumbers`` metadata, loaded lazily, for candidates only.

    Uses each region's numbering-plan pattern (``general_desc``) and possible lengths, the same
    data ``phonenumbers.is_valid_number`` starts from, without its per-call parsing cost.
    """

    def __init__(self, regions: Iterable[str]) -> None:
        try:
            import phonenumbers
            from phonenumbers.phonemetadata import PhoneMetadata
        except ImportError as exc:  # pragma: no cover - core dependency
            raise PolicyError("PHONE_NUMBER needs the phonenumbers package",
                              key="entities", expected="pip install phonenumbers") from exc
        self._meta = PhoneMetadata
        self._cc_regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE
        self._plans: dict[str, tuple[Any, frozenset[int], str] | None] = {}
        self.national: list[tuple[str, Any, frozenset[int], str]] = []
        for r in regions:
            plan = self._plan(r)
            if plan is None:
                raise PolicyError(f"unknown phone region {r!r}", key="phone_regions",
                                  expected="ISO 3166 region codes such as 'US', 'GB', 'DE'")
            self.national.append((r, *plan))

    def _plan(self, region: str) -> tuple[Any, frozenset[int], str] | None:
        if region in self._plans:
            return self._plans[region]
        meta = self._meta.metadata_for_region(region)
        plan = None
        if meta is not None and meta.general_desc is not None and meta.general_desc.national_number_pattern:
            plan = (
                regex.compile(meta.general_desc.national_number_pattern, _A),
                frozenset(meta.general_desc.possible_length or ()),
                meta.national_prefix or "",
            )
        self._plans[region] = plan
        return plan

    def international(self, digits: str) -> bool:
        """``digits`` starts with a country calling code."""
        for width in (1, 2, 3):
            regions = self._cc_regions.get(int(digits[:width]))
            if not regions:
                continue
            nn = digits[width:]
            for region in regions:
                plan = self._plan(region)
                if plan is None:
                    continue
                rx, lengths, prefix = plan
                cand = nn[len(prefix):] if prefix and nn.startswith(prefix) else nn
                if len(cand) in lengths and rx.fullmatch(cand):
                    return True
            return False
        return False

    def national_number(self, digits: str) -> bool:
        for _region, rx, lengths, prefix in self.national:
            if prefix == "0":
                # Where the trunk prefix is 0, numbers written nationally start with it.
                if not digits.startswith("0"):
                    continue
                cand = digits[1:]
            elif prefix and digits.startswith(prefix) and len(digits) - len(prefix) in lengths:
                cand = digits[len(prefix):]
            else:
                cand = digits
            if len(cand) in lengths and rx.fullmatch(cand):
                return True
        return False


class _Detector:
    """The fast engine for a fixed entity set: everything compiled once, ``scan`` on the hot path."""

    __slots__ = ("_ctx", "_email", "_ip", "_lp", "_phone", "_runs", "_url", "threshold", "want")

    def __init__(
        self,
        entities: Iterable[str],
        threshold: float,
        *,
        context: Mapping[str, Iterable[str]] | None = None,
        phone_regions: Iterable[str] = DEFAULT_PHONE_REGIONS,
    ) -> None:
        self.want = frozenset(entities)
        self.threshold = threshold
        words = {k: list(v) for k, v in CONTEXT_WORDS.items()}
        for k, extra in (context or {}).items():
            words.setdefault(k, []).extend(w.lower() for w in extra)
        self._ctx = {k: _word_rx(v) for k, v in words.items() if v}
        self._phone = _Phone(phone_regions) if "PHONE_NUMBER" in self.want else None
        self._email = "EMAIL_ADDRESS" in self.want
        self._url = "URL" in self.want
        self._ip = "IP_ADDRESS" in self.want
        numeric = self.want - {"EMAIL_ADDRESS", "URL"}
        self._runs = bool(numeric)
        # Letter-prefixed ids, keyed by how many letters precede the first digit.
        lp: dict[int, list[tuple[str, Any]]] = {}
        w = self.want
        if "CRYPTO" in w:
            lp.setdefault(2, []).append(("CRYPTO", _BECH32))
        if "IBAN_CODE" in w:
            lp.setdefault(2, []).append(("IBAN_CODE", _IBAN))
        if "UK_NINO" in w:
            lp.setdefault(2, []).append(("UK_NINO", _NINO))
        if "IN_PAN" in w:
            lp.setdefault(5, []).append(("IN_PAN", _PAN))
        if "SG_NRIC_FIN" in w:
            lp.setdefault(1, []).append(("SG_NRIC_FIN", _NRIC))
        if "US_PASSPORT" in w:
            lp.setdefault(1, []).append(("US_PASSPORT", _PASSPORT_NG))
        if "US_DRIVER_LICENSE" in w:
            lp.setdefault(1, []).append(("US_DRIVER_LICENSE", _DL))
            lp.setdefault(2, []).append(("US_DRIVER_LICENSE", _DL))
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

    def scan(self, text: str, before: str = "") -> list[tuple[int, int, str, float]]:
        """Candidate spans ``(start, end, entity, score)`` at or above the threshold, no overlaps."""
        out: list[tuple[int, int, str, float]] = []
        if self._email and "@" in text:
            self._emails(text, out)
        if self._url and ("://" in text or "www." in text):
            self._urls(text, out)
        if (self._ip and "::" in text) or (self._ip and text.count(":") >= 2):
            self._ipv6(text, out)
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
            out = _resolve(out)
        return out

    def _pre(self, text: str, pos: int, before: str) -> str:
        """The words before ``pos`` that count as its context: lower-cased, within the sentence."""
        lo = pos - _CTX_WINDOW
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

    def _emails(self, text: str, out: list[tuple[int, int, str, float]]) -> None:
        at = text.find("@")
        local = _LOCAL_CHARS
        while at != -1:
            s = at
            lo = max(0, at - 64)
            while s > lo and text[s - 1] in local:
                s -= 1
            d = _DOMAIN.match(text, at + 1, at + 256) if s < at else None
            if d:
                while s < at and text[s] == ".":
                    s += 1
                if s < at and text[at - 1] != ".":
                    out.append((s, d.end(), "EMAIL_ADDRESS", 1.0))
                    at = text.find("@", d.end())
                    continue
            at = text.find("@", at + 1)

    def _urls(self, text: str, out: list[tuple[int, int, str, float]]) -> None:
        for marker in ("://", "www."):
            i = text.find(marker)
            while i != -1:
                if marker == "://":
                    sm = _SCHEME.search(text, max(0, i - 5), i)
                    start = sm.start() if sm else -1
                    body = i + 3
                else:
                    start = i if (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "/.")) else -1
                    body = i
                if start >= 0 and (start == 0 or not text[start - 1].isalnum()):
                    m = _URL_REST.match(text, body, body + 4096)
                    if m:
                        end = m.end()
                        while end > body and text[end - 1] in _TRAIL_PUNCT:
                            if text[end - 1] == ")" and text.count("(", body, end) > text.count(")", body, end) - 1:
                                break
                            end -= 1
                        host = text[body:end].split("/", 1)[0]
                        if ("." in host and any(c.isalpha() for c in host)) or _is_ip(host):
                            out.append((start, end, "URL", 0.6))
                            i = text.find(marker, end)
                            continue
                i = text.find(marker, i + 1)

    def _ipv6(self, text: str, out: list[tuple[int, int, str, float]]) -> None:
        n = len(text)
        i = text.find(":")
        while i != -1:
            a = i
            while a > 0 and text[a - 1] in _HEXCOLON and i - a < 45:
                a -= 1
            b = i
            while b < n and text[b] in _HEXCOLON and b - a < 45:
                b += 1
            while b > i and text[b - 1] == ".":
                b -= 1
            if (a == 0 or not text[a - 1].isalnum()) and (b == n or not text[b].isalnum()):
                cand = text[a:b]
                if cand.count(":") >= 2:
                    try:
                        ipaddress.IPv6Address(cand)
                    except ValueError:
                        pass
                    else:
                        out.append((a, b, "IP_ADDRESS", 0.6))
            i = text.find(":", max(b, i + 1))

    def _letter_prefixed(self, text: str, s: int, out: list[tuple[int, int, str, float]], before: str) -> int:
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

    def _validate_lp(self, etype: str, text: str, p: int, e: int, before: str) -> tuple[int, int, str, float] | None:
        if etype == "IBAN_CODE":
            country = text[p:p + 2]
            length = ck.IBAN_LENGTHS.get(country)
            if length is None:
                return None
            raw = text[p:e]
            seps = raw[4:].translate(_ALNUM_DEL)
            if seps and seps != seps[0] * len(seps):
                return None  # mixed separators
            i = p + length
            if seps:
                # walk the blocks between separators up to the length-th alphanumeric
                sep = seps[0]
                j, count, i = p, 0, -1
                while j < e:
                    k = text.find(sep, j, e)
                    if k == -1:
                        k = e
                    if count + k - j >= length:
                        i = j + length - count
                        break
                    count += k - j
                    j = k + 1
                if i < 0:
                    return None
            if i > len(text) or (i < len(text) and text[i].isalnum()):
                return None
            value = text[p:i].replace(" ", "").replace("-", "")
            if len(value) != length:
                return None
            return (p, i, etype, 1.0) if ck.iban_mod97(value) else None
        if etype == "UK_NINO":
            value = text[p:e].replace(" ", "")
            return (p, e, etype, 0.85) if ck.uk_nino_prefix(value[:2]) else None
        if etype == "IN_PAN":
            return (p, e, etype, self._score(etype, 0.8, self._pre(text, p, before)))
        if etype == "SG_NRIC_FIN":
            ok = ck.sg_nric(text[p:e])
            if ok is False:
                return None
            base = 0.9 if ok else 0.4
            return (p, e, etype, self._score(etype, base, self._pre(text, p, before)))
        if etype == "CRYPTO":
            return (p, e, etype, 1.0) if ck.bech32_address(text[p:e]) else None
        # US_PASSPORT, US_DRIVER_LICENSE: weak shapes, context decides
        score = self._score(etype, 0.1, self._pre(text, p, before))
        return (p, e, etype, score) if score >= self.threshold else None

    def _run(self, text: str, s: int, e: int, out: list[tuple[int, int, str, float]], before: str) -> int:
        """Classify one run of digit groups; return the index up to which later runs are covered."""
        c = text[s - 1] if s else " "
        if self._lp and (c.isalpha() or (c == " " and s >= 3 and text[s - 2].isupper())):
            hit_end = self._letter_prefixed(text, s, out, before)
            if hit_end:
                return hit_end
        if c.isalpha() or c == "_":
            return e  # digits glued to a word (an id like "A17", a hash) are not a number entity
        if "CRYPTO" in self.want and text[s] in "13" and not c.isalnum():
            m = _BASE58.match(text, s)
            if m and ck.base58check(m.group()):
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
                  outer: tuple[str, str] = ("", "")) -> tuple[int, int, str, float] | None:
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

        if plus:
            if self._phone is not None and 8 <= n <= 15 and self._phone.international(digits):
                return self._pick([("PHONE_NUMBER", 0.75)], text, ws, we, before)
            return None
        # "0044..." dialled from abroad, or an account number with leading zeros: context decides
        if plain and n >= 10 and digits.startswith("00") and self._phone is not None and (
            self._phone.international(digits[2:])
        ):
            cands.append(("PHONE_NUMBER", 0.5))

        shape = "" if plain else seg.translate(_TO9)
        seps = "" if plain else shape.replace("9", "")
        sep = seps[0] if seps and seps == seps[0] * len(seps) else None  # one separator char throughout
        sliced = sep is not None and sep in outer
        if sep in (".", "-", "/") and len(seps) in (2, 3):
            parts = seg.split(sep)
            if (
                len(parts) == 4
                and sep == "."
                and "IP_ADDRESS" in want
                and all(int(p) <= 255 and (p == "0" or p[0] != "0") for p in parts)
                and (ws == 0 or text[ws - 1] not in "vV")
            ):
                return self._pick([("IP_ADDRESS", 0.6)], text, ws, we, before)
            if len(parts) == 3 and _date(parts):
                if "DATE_TIME" in want:
                    cands.append(("DATE_TIME", 0.45))
                return self._pick(cands, text, ws, we, before)
            if len(parts) == 4 and sep == ".":
                return None

        if not sliced and 13 <= n <= 19 and "CREDIT_CARD" in want and (plain or sep in (" ", "-")) and (
            ck.card_issuer_ok(digits) and ck.luhn(digits)
        ):
            regular = plain or shape in _CARD_SHAPES
            return self._pick([("CREDIT_CARD", 1.0 if regular else 0.8)], text, ws, we, before)
        if n == 12 and plain and "CREDIT_CARD" in want and ck.maestro12(digits) and ck.luhn(digits):
            cands.append(("CREDIT_CARD", 0.4))  # short Maestro numbers: only with card context

        if sliced:
            pass  # only a phone number may be cut out of a longer run of same-separated groups
        elif n == 9:
            if plain:
                if "US_SSN" in want and ck.us_ssn(digits):
                    cands.append(("US_SSN", 0.3))
                if "US_ITIN" in want and ck.us_itin(digits):
                    cands.append(("US_ITIN", 0.3))
                if "ABA_ROUTING_NUMBER" in want and ck.aba_routing(digits):
                    cands.append(("ABA_ROUTING_NUMBER", 0.3))
                if "AU_TFN" in want and ck.au_tfn(digits):
                    cands.append(("AU_TFN", 0.3))
                if "US_PASSPORT" in want:
                    cands.append(("US_PASSPORT", 0.1))
            elif shape in _SSN_SHAPES:
                if digits[0] == "9":
                    if "US_ITIN" in want and ck.us_itin(digits):
                        cands.append(("US_ITIN", 0.85))
                elif "US_SSN" in want and ck.us_ssn(digits):
                    cands.append(("US_SSN", 0.85))
            elif shape in _TFN_SHAPES:
                if "AU_TFN" in want and ck.au_tfn(digits):
                    cands.append(("AU_TFN", 0.45))
            elif shape in _ABA_SHAPES and "ABA_ROUTING_NUMBER" in want and ck.aba_routing(digits):
                cands.append(("ABA_ROUTING_NUMBER", 0.6))
        elif n == 10 and "UK_NHS" in want and (plain or shape in _NHS_SHAPES) and ck.uk_nhs(digits):
            cands.append(("UK_NHS", 0.3 if plain else 0.5))

        if plain:
            if 8 <= n <= 17 and "US_BANK_NUMBER" in want:
                cands.append(("US_BANK_NUMBER", 0.05))
            if 7 <= n <= 9 and "US_DRIVER_LICENSE" in want:
                cands.append(("US_DRIVER_LICENSE", 0.05))

        if self._phone is not None and 7 <= n <= 13 and not (cands and cands[0][1] >= 0.85):
            formatted = paren or (not plain and not seps.strip(" -.()/"))
            if (formatted or n in (10, 11)) and self._phone.national_number(digits):
                cands.append(("PHONE_NUMBER", 0.6 if formatted else 0.4))
        return self._pick(cands, text, ws, we, before)

    def _pick(self, cands: list[tuple[str, float]], text: str, ws: int, we: int, before: str) -> tuple[int, int, str, float] | None:
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


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split(":")[0] if host.count(":") == 1 else host.strip("[]"))
    except ValueError:
        return False
    return True


def _date(parts: list[str]) -> bool:
    la, lb, lc = (len(p) for p in parts)
    a, b, c = (int(p) for p in parts)
    if la == 4 and lb <= 2 and lc <= 2:
        return ck.plausible_date(a, b, c)
    if lc == 4 and la <= 2 and lb <= 2:
        return ck.plausible_date(c, b, a) or ck.plausible_date(c, a, b)
    return False


def _resolve(cands: list[tuple[int, int, str, float]]) -> list[tuple[int, int, str, float]]:
    """Drop overlaps deterministically: the higher score, then the longer span, then the earlier.

    Candidates that overlap nothing (nearly all) are kept as they are; only clusters of mutually
    overlapping ones are resolved, so the work is O(n log n), not O(n^2).
    """
    cands.sort()
    out: list[tuple[int, int, str, float]] = []
    n = len(cands)
    i = 0
    while i < n:
        j = i
        end = cands[i][1]
        while j + 1 < n and cands[j + 1][0] < end:
            j += 1
            end = max(end, cands[j][1])
        if i == j:
            out.append(cands[i])
        else:
            out.extend(_resolve_cluster(cands[i:j + 1]))
        i = j + 1
    return out


def _resolve_cluster(cands: list[tuple[int, int, str, float]]) -> list[tuple[int, int, str, float]]:
    cands.sort(key=lambda t: (-t[3], t[0] - t[1], t[0]))
    starts: list[int] = []
    kept: list[tuple[int, int, str, float]] = []
    for c in cands:
        s, e = c[0], c[1]
        k = bisect_right(starts, s)
        if (k and kept[k - 1][1] > s) or (k < len(kept) and kept[k][0] < e):
            continue  # kept spans do not overlap, so only the neighbours can overlap this one
        starts.insert(k, s)
        kept.insert(k, c)
    return kept


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
    dependencies), ``"presidio"`` (presidio-analyzer, adds PERSON/LOCATION/ORGANIZATION/NRP with an
    installed spaCy model) or ``"hybrid"`` (fast engine for pattern entities, Presidio for NER ones).
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
        supported = SUPPORTED_ENTITIES if engine == "fast" else SUPPORTED_ENTITIES + NER_ENTITIES
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
        fast = [e for e in self.entities if e in SUPPORTED_ENTITIES]
        ner = [e for e in self.entities if e in NER_ENTITIES]
        if engine == "presidio":
            fast, ner = [], list(self.entities)
        if context is not None:
            for k in context:
                if k not in supported:
                    raise PolicyError(f"context for unknown entity {k!r}", key=f"context.{k}",
                                      expected="an entity name")
        self._fast = (
            _Detector(fast, self.threshold, context=context, phone_regions=tuple(phone_regions))
            if fast else None
        )
        self._presidio = None
        if ner:
            from ._pii_presidio import PresidioEngine

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
            spans = [(*view.span(s, e), et, sc) for s, e, et, sc in spans]
        if self._presidio is not None:
            extra = self._presidio.scan(text, self.threshold)
            if extra:
                spans = _resolve(spans + extra)
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
            state[self._state_key] = (before + canonical(text).text)[-_CTX_WINDOW:]
        elif ctx is not None and ctx.before:
            # the previous message of the call ("And the account number?" / "32680173")
            before = plain(ctx.before[-_CTX_WINDOW:]) + "\n"
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
