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

from .._native import kernel
from . import (
    _addresses,
    _banking,
    _cards,
    _crypto,
    _dates,
    _idnums,
    _lowaddr,
    _names,
    _national,
    _negatives,
    _phone,
    _shapes,
    _web,
)
from ._layout import MAX_LINE, Doc
from ._resolve import Span, resolve

#: the C kernel (None: not built, or GUARDWRAP_PURE_PYTHON)
_K = kernel("guardwrap.pii._cscan")

FAMILIES = (_cards, _banking, _national, _idnums, _phone, _web, _crypto, _dates, _names, _addresses)

#: Words in the text before a candidate that make it more likely to be that entity.
CONTEXT_WORDS: dict[str, tuple[str, ...]] = {k: v for f in FAMILIES for k, v in f.CONTEXT.items()}
#: Words that make a number less likely to be personal data (applied when no context word comes
#: after them, and only to scores that no checksum backs).
NEGATIVE_WORDS = _negatives.WORDS

# Score a context word adds: weak formats get more, as they are nothing without it.
_BOOST = 0.35
_WEAK_BOOST = 0.5
_WEAK = frozenset({"US_BANK_NUMBER", "US_PASSPORT", "US_DRIVER_LICENSE"})
_NEGATIVE = 0.35
CTX_WINDOW = 48
_NEG_WINDOW = 24  # a negative word must be close: "order 12345", "version 2.3"
#: a line holding at most this much before a value ("Client: ") takes context from the line before
_LINE_PREFIX = 48
#: how far after a passport word its number may come
_PASSPORT_REACH = 40
#: upper-cased window for lower-case ids (an IBAN with its spaces fits)
_LP_WINDOW = 52
#: mixed-case Ethereum addresses whose EIP-55 checksum is checked, per text (pure-Python Keccak
#: costs ~0.5 ms; past this many, an address is taken as one without checking)
_MAX_ETH_CHECKS = 8

_A = regex.ASCII
# A run of digit groups joined by single separators: cards, phones, SSNs, IPv4, dates, ...
_RUN = regex.compile(r"[0-9]+(?:(?:[ \-./_\u00a0]|\)[ .\-]?| ?\()[0-9]+)*\)?", _A)
_GROUP = re.compile(r"[0-9]+")  # `re`: asked once per run, its per-call cost is lower
_STRIP = str.maketrans("", "", " -./_()\u00a0")
_DIGITS_DEL = str.maketrans("", "", "0123456789")
_TO9 = str.maketrans("0123456789", "9999999999")
_HEX = "0123456789abcdefABCDEF"
#: card fields that may be glued after a card number ("4111111111111111exp12/26")
_CARD_FIELDS = ("exp", "cvv", "cvc", "ccv", "valid", "security", "sec")
# A card's digit groups joined by the same separator of one to three characters that `_RUN` does
# not join ("4111*1111*1111*1111", "4111 - 1111 - 1111 - 1111", "[4111][1111][1111][1111]",
# '"4111","1111",...'): no letter, digit or line break in it, not only spaces.
_LOOSE_CARD = re.compile(
    r"(?<![0-9A-Za-z])([0-9]{4})([^0-9A-Za-z\n]{1,3})([0-9]{4,6})\2([0-9]{3,5})(?:\2([0-9]{1,4}))?(?:\2([0-9]{1,3}))?(?![0-9])"
)
#: separators that also delimit columns: a card written with one needs a card word or field
_COLUMN_SEPS = frozenset(",;|\t")


def _loose_sep(text: str, e: int) -> bool:
    """What follows a run of four digits at ``e`` may join card groups `_RUN` does not join: no
    letter, digit or line break, and not a space before a letter, a digit or another space (the
    C kernel's ``loose_sep``)."""
    c = text[e]
    if c.isalnum() or c == "\n":
        return False
    if c != " ":
        return True
    d = text[e + 1]
    return not d.isalnum() and not d.isspace()


def _glued_card_len(text: str, s: int, e: int) -> bool:
    """The cheap gate of `Detector._glued_card`: the run holds 13 to 19 digits."""
    return e - s >= 13 and 13 <= len(text[s:e].translate(_STRIP)) <= 19


# word characters as `str.isalnum` or "_" reads them (`re`'s Unicode ``\w`` is exactly that)
_WORD_CHARS = re.compile(r"\w*")
#: the word characters after a glued number that can start a card field
_FIELD_REACH = re.compile(rf"\w{{0,{max(map(len, _CARD_FIELDS))}}}")


def _word_at(doc: Doc, s: int) -> tuple[int, int, bool]:
    """``(start, end, all hex digits)`` of the run of word characters (`str.isalnum` or "_") that
    holds ``text[s]``. Kept on ``doc`` for the glued numbers after it in the same word: each word
    is read once per scan, so a long word holding many glued numbers costs time linear in its
    length (it cost the square when each number read the whole word)."""
    got = doc.word
    if got is not None and got[0] <= s < got[1]:
        return got
    text = doc.text
    a = s
    while a and (text[a - 1].isalnum() or text[a - 1] == "_"):
        a -= 1
    b = _WORD_CHARS.match(text, s).end()  # type: ignore[union-attr]  # always matches
    got = doc.word = (a, b, not text[a:b].strip(_HEX))
    return got


class LastWord:
    """Finds the *last* of some words in a lower-cased window, and where it ends: the nearest
    word decides. Searches the reversed window for the reversed words, so the first hit is the
    nearest one and no backtracking over the window is needed."""

    __slots__ = ("_rx", "_trie")

    def __init__(self, words: Iterable[str]) -> None:
        rev = {w[::-1] for w in words}
        #: the same words as a trie for the C kernel's `last` (None: pure Python)
        self._trie = None if _K is None else _K.trie(sorted(rev))
        # `re`, not `regex`: these run on 64-character windows, where per-call overhead dominates.
        # The words as a trie (one branch per first character, not one per word) behind a test of
        # the first character: only the start of the first match is used, and it is the same.
        firsts = "".join(sorted({w[0] for w in rev if w}))
        gate = f"(?=[{re.escape(firsts)}])" if firsts and "" not in rev else ""
        self._rx = re.compile(rf"{gate}(?<![a-z0-9])(?:{_trie(rev)})(?![a-z0-9])")

    def last(self, rev: str, lo: int = 0) -> int:
        """End (in the window) of the last word, or -1. ``rev``: the window reversed; only words
        that start at or after ``lo`` count."""
        if self._trie is not None:
            found: int = _K.last(self._trie, rev, lo)  # type: ignore[union-attr]  # set with the trie
            return found
        n = len(rev)
        m = self._rx.search(rev, 0, n - lo)
        return n - m.start() if m is not None else -1

    def last_py(self, rev: str, lo: int = 0) -> int:
        """`last` by the regex: the reference of the C kernel's."""
        n = len(rev)
        m = self._rx.search(rev, 0, n - lo)
        return n - m.start() if m is not None else -1


#: one regex for a set of literal words, as a trie (`_shapes.trie`)
_trie = _shapes.trie


def word_rx(words: Iterable[str]) -> LastWord:
    return LastWord(words)


_NEG_RX = word_rx(NEGATIVE_WORDS)
# what every IPv6 address `ipaddress` accepts holds: "::", or else eight hextets (the last two may
# be an IPv4 address), so six hextets each followed by a colon. JSON and log lines full of
# "key": "value" colons, timestamps and SWIFT field tags (":61:") skip the IPv6 walk.
# Written from the colon so that the engine looks for a ":" by its literal-prefix search and tries
# the pattern only there (``_IPV6_HINT_PY``, tried at every position, costs ~10 µs per 300 chars):
# six groups exist iff some colon has a hex digit before it and five "hex{1,4}:" after it.
_IPV6_HINT = re.compile(r":(?::|(?<=[0-9A-Fa-f]:)(?:[0-9A-Fa-f]{1,4}:){5})")
#: the hint as first written: its reference (the same texts match, not the same spans)
_IPV6_HINT_PY = re.compile(r"::|(?:[0-9A-Fa-f]{1,4}:){6}")
#: ids that are not phone numbers: a number labelled as one of these (and wanted) that failed to
#: be one is not taken for a phone
_ID_ENTITIES = (*_national.ENTITIES, *_idnums.ENTITIES, "ABA_ROUTING_NUMBER", "US_BANK_NUMBER")

# the letters `_national.NINO` allows first and second
_NINO_FIRST = frozenset("ABCEGHJKLMNOPRSTWXYZ")
_NINO_SECOND = frozenset("ABCEGHJKLMNPRSTWXYZ")

# How a letter-prefixed id is validated once its pattern matched: "strong" ids stand on their
# checksum, "scored" ones take context, "weak" ones are dropped at once below the threshold (so
# that another pattern may still claim the run).
_STRONG, _SCORED, _WEAK_LP = 0, 1, 2


def _us_passport_shape(v: str) -> bool:
    return len(v) == 9 and (v.isdigit() or v[1:].isdigit())


def _prev_context(prev: str, pre: str) -> str:
    """``pre`` with the previous line in front when that line asks or labels ("And the account
    number?", "Routing number:")."""
    if prev.endswith(("?", ":")) or (len(prev) <= 40 and not any(map(str.isdigit, prev))):
        return prev.lower() + " " + pre
    return pre


class Detector:
    """The fast engine for a fixed entity set: everything compiled once, ``scan`` on the hot path."""

    __slots__ = ("_addr", "_addr_only", "_cards", "_consts", "_ctx", "_dates", "_email", "_eth", "_glued", "_id_labels", "_idnums", "_ip",
                 "_lp", "_names", "_passport", "_phone", "_rcfg", "_runs", "_tries", "_url", "threshold", "want")

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
        labels = [w for e in _ID_ENTITIES if e in self.want for w in words.get(e, ())]
        self._id_labels = word_rx(labels) if labels else None
        #: what the C kernel's ``pick`` reads (None: pure Python)
        self._tries = None if _K is None else {k: rx._trie for k, rx in self._ctx.items()}
        self._consts = (_NEGATIVE, _BOOST, _WEAK_BOOST, _NEG_WINDOW)
        self._phone = _phone.Phones(phone_regions) if "PHONE_NUMBER" in self.want else None
        self._email = "EMAIL_ADDRESS" in self.want
        self._url = "URL" in self.want
        self._ip = "IP_ADDRESS" in self.want
        self._eth = "CRYPTO" in self.want
        self._dates = "DATE_TIME" in self.want
        self._passport = "PASSPORT" in self.want
        self._names = _names.Names() if "PERSON" in self.want else None
        self._addr = "STREET_ADDRESS" in self.want
        self._addr_only: Detector | None = None  # built on first use by `_lower_addresses`
        numeric = self.want - {"EMAIL_ADDRESS", "URL", "PERSON"}
        self._runs = bool(numeric)
        # Letter-prefixed ids, keyed by how many letters precede the first digit. The flag says
        # whether the letters may be written in lower case (True: validated ids, matched in upper
        # case; None: the pattern itself says which case; False: upper case only).
        lp: dict[int, list[tuple[str, Any, bool | None]]] = {}
        w = self.want
        if "CRYPTO" in w:
            lp.setdefault(2, []).append(("CRYPTO", _crypto.BECH32, None))
        if "IBAN_CODE" in w:
            lp.setdefault(2, []).append(("IBAN_CODE", _banking.IBAN, True))
        if "UK_NINO" in w:
            lp.setdefault(2, []).append(("UK_NINO", _national.NINO, True))
        if "UK_DRIVER_LICENSE" in w:
            for n in range(1, 6):
                lp.setdefault(n, []).append(("UK_DRIVER_LICENSE", _national.UK_DL, False))
        if "IN_PAN" in w:
            lp.setdefault(5, []).append(("IN_PAN", _national.PAN, False))
        if "SG_NRIC_FIN" in w:
            lp.setdefault(1, []).append(("SG_NRIC_FIN", _national.NRIC, False))
        if "US_PASSPORT" in w:
            lp.setdefault(1, []).append(("US_PASSPORT", _national.PASSPORT_NG, False))
        if "US_DRIVER_LICENSE" in w:
            for n in (1, 2):
                lp.setdefault(n, []).append(("US_DRIVER_LICENSE", _national.DL, False))
                lp.setdefault(n, []).append(("US_DRIVER_LICENSE", _national.DL_GROUPED, False))
        if self._addr:
            for n in (1, 2):
                lp.setdefault(n, []).append(("STREET_ADDRESS", _addresses.UK_POSTCODE, False))
        for etype, n, rx, any_case in _idnums.LETTER_PREFIXED:
            if etype in w:
                lp.setdefault(n, []).append((etype, rx, any_case))
        self._lp = lp
        #: national ids of `_idnums` made of digit groups / of digits and a check letter after them
        self._idnums = bool(w.intersection(_idnums.ENTITIES))
        self._glued = "ES_NIF" in w or "FI_PERSONAL_IDENTITY_CODE" in w
        self._cards = "CREDIT_CARD" in w
        #: what the C kernel's ``run_tail`` reads (None: pure Python, `_run_tail_py`)
        self._rcfg = None if _K is None else self._runs_config()

    def _runs_config(self, c_propose: bool = True) -> Any:
        w = self.want
        flags = sum(bit for bit, on in (
            (1, "CREDIT_CARD" in w), (2, "IP_ADDRESS" in w), (4, "DATE_TIME" in w), (8, "US_SSN" in w),
            (16, "US_ITIN" in w), (32, "ABA_ROUTING_NUMBER" in w), (64, "AU_TFN" in w),
            (128, "US_PASSPORT" in w), (256, "UK_NHS" in w), (512, "US_BANK_NUMBER" in w),
            (1024, "US_DRIVER_LICENSE" in w), (2048, self._idnums), (4096, self._addr), (8192, "CRYPTO" in w),
            (16384, bool(self._lp)), (32768, self._glued),
            # the IBAN is the only letter-prefixed id wanted (the input guard's five): done in C
            (65536, self._lp == {2: [("IBAN_CODE", _banking.IBAN, True)]})) if on)
        phone = self._phone

        def propose(digits: str, seg: str, shape: str, plain: bool, cands: list[tuple[str, float]]) -> None:
            _idnums.propose(digits, seg, shape, plain, w, cands)

        return _K.runs_config(  # type: ignore[union-attr]
            flags, None if phone is None else phone.international, None if phone is None else phone.national_number,
            # `_idnums.propose` in C (its entity bits), or called back (the reference, for the tests)
            _idnums.proposed_mask(w) if c_propose else propose, Detector._pick, _negatives.unit_after, _negatives.currency_before, _cards.CARD_SHAPES,
            _national.SSN_SHAPES, _national.TFN_SHAPES, _banking.ABA_SHAPES, _national.NHS_SHAPES,
            _dates.SPACED_SHAPES, _national.DL_SHAPES, _dates.FULL, _dates.SHORT,
            (_addresses.STREET_KEYS, _addresses._FR_START, _addresses._ORDINALS, _addresses._PO_WORDS,
             _dates._PREFIXES, sum(1 << k for k in _idnums.GLUED_LENS), Detector._addr_hit,
             Detector._letter_prefixed, Detector._base58_hit, Detector._date_hit, Detector._glued_hit,
             sum(1 << k for k in self._lp if k < 16) | (1 << 16 if "UK_NINO" in w else 0) | _idnums.MAX_PREFIX << 20,
             sum(1 << (ord(ch) - 65) for ch in _NINO_FIRST), sum(1 << (ord(ch) - 65) for ch in _NINO_SECOND),
             *_addresses._AFTER_TRIES),
            _negatives.UNIT_FIRSTS, _banking.IBAN_LENGTHS, Detector._glued_card if self._cards else None,
            Detector._loose_card if self._cards else None,
            # `_pick` in C for the runs (`_pre` and `_pick_py` are the reference)
            (self._tries, _NEG_RX._trie, None if self._id_labels is None else self._id_labels._trie, _WEAK,
             self.threshold, self._consts, _prev_context, CTX_WINDOW, _LINE_PREFIX, MAX_LINE, self._dates,
             Detector._birth_after))

    # -- the steps of `_run` that the C kernel's ``runs`` calls back (each after its cheap test) --

    def _addr_hit(self, doc: Doc, s: int, e: int, plan: int, out: list[Span]) -> int:
        """An address at the run ``text[s:e]`` whose `at_number_plan` is ``plan``: its end, or -1."""
        return self._address(doc, _addresses._planned(doc.text, s, e, plan), out)

    def _address(self, doc: Doc, addr: tuple[int, int, float] | None, out: list[Span]) -> int:
        """Keep a proposed address ``(start, end, base score)`` that its context scores at or above
        the threshold: its end, or -1."""
        if addr is not None:
            a_s, a_e, base = addr
            score = self._score("STREET_ADDRESS", base, self._pre(doc, a_s))[0]
            if score >= self.threshold:
                out.append((a_s, a_e, "STREET_ADDRESS", score))
                return a_e
        return -1

    def _glued_card(self, doc: Doc, s: int, e: int, out: list[Span]) -> int:
        """A payment card in the run ``text[s:e]`` that is glued to letters on either side
        ("card4111111111111111", "4111-1111-1111-1111exp 12/26"); returns ``e``, the run is done.

        Reading such digits as no number (what other glued runs get) would let a card through
        whenever a user or an attacker drops a space. The card must validate (issuer, length,
        Luhn) and be printed plain or in one separator; plain digits must not be part of a
        long hexadecimal string (a hash or a key holds digit runs). Digits not in a card's grouping
        also need a card word before them or a card field glued after them ("exp", "cvv"):
        references such as "TXN20261130123456" are digits glued to letters too.
        """
        text = doc.text
        ge = e - 1 if text[e - 1] == ")" else e
        seg = text[s:ge]
        seps = seg.translate(_DIGITS_DEL)
        sep = seps[:1]
        if seps and (seps != sep * len(seps) or sep not in " -"):
            return e
        digits = seg.replace(sep, "") if sep else seg
        if not 13 <= len(digits) <= 19:
            return e
        shape = seg.translate(_TO9)
        # (the same number glued again and again, "g4111...g4111...", is validated once)
        key = (digits, shape, not seps, sep or None)
        last = doc.card
        if last is not None and last[0] == key:
            score = last[1]
        else:
            score = _cards.card(digits, shape, not seps, sep or None)
            doc.card = (key, score)
        if score is None:
            return e
        if not seps:
            a, b, all_hex = _word_at(doc, s)
            if b - a >= 24 and all_hex:
                return e  # "deadbeef4111111111111111cafe": part of a hexadecimal string (a hash, a key)
        # the word characters glued after the number, as far as a card field can reach
        after = text[ge:_FIELD_REACH.match(text, ge).end()]  # type: ignore[union-attr]  # always matches
        if (not seps or shape not in _cards.CARD_SHAPES) and not self._card_cue(doc, s, after):
            return e
        out.append((s, ge, "CREDIT_CARD", score))
        return e

    def _card_cue(self, doc: Doc, s: int, after: str) -> bool:
        """A card number at ``s`` that needs a cue has one: a card field right ``after`` it
        ("exp", "cvv") or a card word in its context before it."""
        if after.lower().startswith(_CARD_FIELDS):
            return True
        pre = self._pre(doc, s)
        last = doc.cue  # (the context of a number glued in a long word is the same as the last one's)
        if last is not None and last[0] == pre:
            return last[1]
        found = self._score("CREDIT_CARD", 0.0, pre)[1] >= 0
        doc.cue = (pre, found)
        return found

    def _lower_addresses(self, text: str, out: list[Span]) -> None:
        """Street addresses typed in lower case after an address cue (see `_lowaddr`): the line
        after the cue is read again as an address is printed, by an address-only detector."""
        wins = _lowaddr.windows(text)
        if not wins:
            return
        det = self._addr_only
        if det is None:
            det = self._addr_only = Detector(("STREET_ADDRESS",), 0.0)
            det._addr_only = det  # it reads printed copies: no lower-case pass of its own
        for s, printed in wins:
            for a, b, etype, score in det.scan(printed, text[max(0, s - CTX_WINDOW):s]):
                if etype == "STREET_ADDRESS":
                    out.append((s + a, s + b, etype, score))

    def _loose_card(self, doc: Doc, s: int, out: list[Span]) -> int:
        """A payment card at ``s`` whose groups are joined by a separator people type but `_RUN`
        does not join ("4111*1111*1111*1111", "4111 - 1111 - ..."): its end, or -1. The card must
        validate (issuer, length, Luhn) and be grouped as cards are printed; with a column separator
        (comma, semicolon, bar, tab) it also needs a card word before it or a card field after it,
        as a row of numbers is not a card."""
        text = doc.text
        m = _LOOSE_CARD.match(text, s)
        if m is None:
            return -1
        sep = m.group(2)
        if not sep.strip(" "):
            return -1  # spaces only: `_RUN` and the view read those
        spaced = " ".join(g for g in (m.group(1), *m.groups()[2:]) if g is not None)
        digits = spaced.replace(" ", "")
        shape = spaced.translate(_TO9)
        if not 13 <= len(digits) <= 19 or shape not in _cards.CARD_SHAPES:
            return -1
        score = _cards.card(digits, shape, False, " ")
        if score is None:
            return -1
        e = m.end()
        if (sep.strip()[:1] in _COLUMN_SEPS or "\t" in sep) and not self._card_cue(
                doc, s, text[e:e + 12].lstrip(" ,;|\t:")):
            return -1
        out.append((s, e, "CREDIT_CARD", score))
        return e

    @staticmethod
    def _base58_hit(text: str, s: int, out: list[Span]) -> int:
        m = _crypto.BASE58.match(text, s)
        if m and _crypto.base58check(m.group()):
            end: int = m.end()
            out.append((s, end, "CRYPTO", 1.0))
            return end
        return -1

    def _date_hit(self, doc: Doc, s: int, g: int, out: list[Span]) -> int:
        date = _dates.written_date(doc.text, s, g)
        if date is None:
            return -1
        ds, de, base = date
        hit = self._pick([("DATE_TIME", base)], doc, ds, de)
        if hit is not None:
            out.append(hit)
        return de

    def _glued_hit(self, doc: Doc, s: int, out: list[Span]) -> int:
        got = _idnums.glued(doc.text, s, self.want)  # "12345678Z", "131052-308T"
        if got is not None:
            hit = self._pick([(got[1], got[2])], doc, s, got[0])
            if hit is not None:
                out.append(hit)
                return got[0]
        return -1

    # -- scoring -------------------------------------------------------------------------------

    def _score(self, etype: str, base: float, pre: str) -> tuple[float, int]:
        """Score after context, and where the deciding context word ended in ``pre`` (-1: none).

        The nearest word decides: a context word raises the score unless a negative word comes
        after it ("account 12345, rrn 412345678901": the RRN is a reference).
        """
        rx = self._ctx.get(etype)
        rev = pre[::-1]
        pos = rx.last(rev) if rx is not None else -1
        if base < 0.8:
            neg = _NEG_RX.last(rev, max(0, len(pre) - _NEG_WINDOW))
            if neg > pos:
                return base - _NEGATIVE, -1
        if pos >= 0:
            return min(1.0, base + (_WEAK_BOOST if etype in _WEAK else _BOOST)), pos
        return base, -1

    # -- the scan ------------------------------------------------------------------------------

    def scan(self, text: str, before: str = "") -> list[Span]:
        """Candidate spans ``(start, end, entity, score)`` at or above the threshold, no overlaps."""
        out: list[Span] = []
        doc = Doc(text, before)
        if self._email and "@" in text:
            _web.emails(text, out)
        if self._url and ("://" in text or "www." in text):
            _web.urls(text, out)
        if self._ip and text.count(":") >= 2 and _IPV6_HINT.search(text) is not None:
            _web.ipv6(text, out)
        if self._eth and ("0x" in text or "0X" in text):
            self._ethereum(doc, out)
        if self._passport:
            self._passports(doc, out)
        if self._names is not None:
            self._names.scan(doc, out)
        if self._runs and self._rcfg is not None:
            _K.runs(self._rcfg, self, doc, text, out)  # type: ignore[union-attr]  # `_run` in C
        elif self._runs:
            skip = 0
            for m in _RUN.finditer(text):
                s = m.start()
                if s < skip:
                    continue
                skip = self._run(doc, s, m.end(), out)
        if self._addr and self._addr_only is not self:
            self._lower_addresses(text, out)
        if not out:
            return out
        thr = self.threshold
        out = [c for c in out if c[3] >= thr]
        if len(out) > 1:
            out = resolve(out)
        return out

    def _pre(self, doc: Doc, pos: int) -> str:
        """The words that count as context for a value at ``pos``, lower-cased: those before it in
        its sentence; the previous line when that asks or labels ("And the account number?") and
        this line holds little before the value; the column header when the value is in a table."""
        if _K is not None:
            got: str | None = _K.pre_window(doc.text, pos, doc.before, doc.multiline, doc, _prev_context,
                                            CTX_WINDOW, _LINE_PREFIX, MAX_LINE)
            if got is not None:
                return got
        return self._pre_py(doc, pos)

    def _pre_py(self, doc: Doc, pos: int) -> str:
        """`_pre` in Python: the reference of the C kernel's ``pre_window``, and what runs where
        that declines (a non-ASCII window, text from before the scan)."""
        text = doc.text
        before = doc.before
        lo = pos - CTX_WINDOW
        if lo >= 0:
            pre = text[lo:pos].lower()
        else:
            pre = (before[lo:] + text[:pos]).lower() if before else text[:pos].lower()
        # A context word in the previous sentence is about something else ("no." and other short
        # abbreviations do not end a sentence).
        nl = pre.rfind("\n")
        cut = max(pre.rfind("? "), pre.rfind("! "), nl)
        dot = pre.rfind(". ")
        while dot > cut:
            w = dot
            while w > 0 and pre[w - 1].isalnum():
                w -= 1
            if dot - w > 3 or (dot > w and pre[w:dot].isdigit()):
                cut = dot
                break
            dot = pre.rfind(". ", 0, dot)
        if cut >= 0:
            pre = pre[cut + 1:]
        if not doc.multiline:
            if before and nl >= 0 and cut == nl and pos <= _LINE_PREFIX:
                # the previous message of the call, or a stream's previous segment
                return _prev_context(before.rstrip().rsplit("\n", 1)[-1].strip()[-80:], pre)
            return pre
        ls = doc.line_start(pos)
        if ls > 0:
            header = doc.column_header(pos)
            if header is not None:
                return pre + " " + header + ": "
        if ls > 0 and nl >= 0 and cut == nl and pos - ls <= _LINE_PREFIX:
            return _prev_context(doc.prev_line(ls), pre)
        return pre

    def _ethereum(self, doc: Doc, out: list[Span]) -> None:
        checked = 0
        for m in _crypto.ETH.finditer(doc.text):
            body = m.group()[2:]
            ok = None
            if checked < _MAX_ETH_CHECKS:
                ok = _crypto.eth_checksum(body)
                checked += ok is not None
            if ok is False:
                base = 0.3  # mixed case that fails EIP-55: a typo, or no address at all
            elif ok:
                base = 1.0
            else:
                base = 0.6
            s = m.start()
            score = base if base >= 0.9 else self._score("CRYPTO", base, self._pre(doc, s))[0]
            out.append((s, m.end(), "CRYPTO", score))

    def _passports(self, doc: Doc, out: list[Span]) -> None:
        """Passport numbers of any country, right after a passport word or in a table column
        whose header names passports."""
        text = doc.text
        # Every passport word holds "pas" or "travel doc"; in any case, with U+017F (long s) for an "s" (the only
        # character besides "S" that case-folds to an ASCII letter these words use). Asking the
        # lower-cased text costs a fraction of the case-insensitive search over a long text.
        low = text.lower()
        if "pas" not in low and "pa\u017f" not in low and "travel doc" not in low:
            return
        first = _national.PASSPORT_HINT.search(text)
        if first is None:
            return
        us = "US_PASSPORT" in self.want
        seen = -1
        for h in _national.PASSPORT_HINT.finditer(text, first.start()):
            m = _national.PASSPORT_ANY.search(text, h.end(), h.end() + _PASSPORT_REACH)
            if m is None or "\n\n" in text[h.end():m.start()]:
                continue
            if not (us and _us_passport_shape(m.group())):  # US-shaped: the digit-run path names it
                out.append((m.start(), m.end(), "PASSPORT", 0.85))
                seen = m.end()
        if "\n" in text:
            for m in _national.PASSPORT_ANY.finditer(text, first.end()):
                if m.start() < seen:
                    continue
                header = doc.column_header(m.start())
                if header is not None and _national.PASSPORT_HINT.search(header) and not (
                    us and _us_passport_shape(m.group())
                ):
                    out.append((m.start(), m.end(), "PASSPORT", 0.85))

    def _letter_prefixed(self, doc: Doc, s: int, out: list[Span]) -> int:
        """Ids that start with letters (IBAN, NINO, PAN, NRIC, passports, licences, bc1...)."""
        text = doc.text
        p = s
        lo = max(0, s - _idnums.MAX_PREFIX)
        while p > lo and text[p - 1].isalpha():
            p -= 1
        spaced = False
        if p == s and s >= 3 and text[s - 1] == " " and text[s - 2].isalpha() and text[s - 3].isalpha():
            # "AB 12 34 56 C": only a NINO is written so, and most two-letter words ("is", "on")
            # cannot start one
            pu = text[s - 3:s - 1].upper()
            if len(pu) == 2 and (pu[0] not in _NINO_FIRST or pu[1] not in _NINO_SECOND):
                return 0
            p, spaced = s - 3, True
        if p > 0 and text[p - 1].isalnum():
            return 0
        letters = 2 if spaced else s - p
        prefix = text[p:p + letters]
        upper = prefix.isupper()
        window = ""
        for etype, rx, any_case in self._lp.get(letters, ()):
            if spaced and etype != "UK_NINO":
                continue
            if upper or any_case is None:
                m = rx.match(text, p)
                if m is None:
                    continue
                hit = self._validate_lp(etype, doc, p, m.end(), text, 0)
            elif any_case and prefix.isalpha():
                # "gb17srlg25423280705683", "NI eb878984d": validated ids in lower or mixed case
                if not window:
                    window = text[p:p + _LP_WINDOW].upper()
                m = rx.match(window)
                if m is None:
                    continue
                hit = self._validate_lp(etype, doc, p, p + m.end(), window, p)
            else:
                continue
            if hit is not None:
                out.append(hit)
                return hit[1]
        return 0

    def _validate_lp(self, etype: str, doc: Doc, p: int, e: int, text: str, off: int) -> Span | None:
        """``text`` is the document's text (``off`` 0) or an upper-cased window of it starting at
        ``off``; ``p`` and ``e`` are document offsets."""
        if etype == "IBAN_CODE":
            end = _banking.iban_end(text, p - off, e - off)
            return None if end is None else (p, end + off, etype, 1.0)
        if etype == "UK_NINO":
            value = text[p - off:e - off].replace(" ", "")
            return (p, e, etype, 0.85) if _national.uk_nino_prefix(value[:2]) else None
        if etype == "IN_PAN":
            return (p, e, etype, self._score(etype, 0.8, self._pre(doc, p))[0])
        if etype == "SG_NRIC_FIN":
            ok = _national.sg_nric(text[p:e])
            if ok is False:
                return None
            base = 0.9 if ok else 0.4
            return (p, e, etype, self._score(etype, base, self._pre(doc, p))[0])
        if etype == "CRYPTO":
            return (p, e, etype, 1.0) if _crypto.bech32_address(text[p:e]) else None
        if etype == "STREET_ADDRESS":  # a UK postcode standing alone
            return (p, e, etype, self._score(etype, _addresses.POSTCODE, self._pre(doc, p))[0])
        if etype == "UK_DRIVER_LICENSE":
            # the structure (month, day, padding) is checked by the pattern: found without context
            return (p, e, etype, self._score(etype, 0.7, self._pre(doc, p))[0])
        if etype in _idnums.ENTITIES:
            got = _idnums.check_lp(etype, text[p - off:e - off])
            if got is None:
                return None
            score = got if got >= 0.9 else self._score(etype, got, self._pre(doc, p))[0]
            return (p, e, etype, score) if score >= self.threshold else None
        # US_PASSPORT, US_DRIVER_LICENSE: weak shapes, context decides
        score = self._score(etype, 0.1, self._pre(doc, p))[0]
        return (p, e, etype, score) if score >= self.threshold else None

    def _run(self, doc: Doc, s: int, e: int, out: list[Span]) -> int:
        """Classify one run of digit groups; return the index up to which later runs are covered."""
        text = doc.text
        c = text[s - 1] if s else " "
        # the first group of the run: a house number, a ZIP code, a day (a line break between two
        # digit runs reads as a space, so "Hauptstrasse 12 / 10115 Berlin" is one run)
        g = _GROUP.match(text, s, e).end()  # type: ignore[union-attr]  # a run starts with a digit
        if self._cards and g == e and e - s == 4 and not c.isalnum() and e < len(text) - 1 and _loose_sep(text, e):
            hit_end = self._loose_card(doc, s, out)
            if hit_end > 0:
                return hit_end
        if self._addr and (g - s <= 6 or (e - s == 10 and text[s + 5] == "-")) and not c.isalnum():
            a_e = self._address(doc, _addresses.at_number(text, s, e if e - s == 10 else g), out)
            if a_e >= 0:
                return a_e
        if self._lp and (c.isalpha() or (c == " " and s >= 3 and text[s - 2].isalpha())):
            hit_end = self._letter_prefixed(doc, s, out)
            if hit_end:
                return hit_end
        if c.isalpha() or c == "_":
            # digits glued to a word (an id like "A17", a hash) are not a number entity, but a
            # payment card stays one ("card4111111111111111")
            return self._glued_card(doc, s, e, out) if self._cards and _glued_card_len(text, s, e) else e
        if "CRYPTO" in self.want and text[s] in "13" and not c.isalnum():
            m = _crypto.BASE58.match(text, s)
            if m and _crypto.base58check(m.group()):
                end: int = m.end()
                out.append((s, end, "CRYPTO", 1.0))
                return end
        n = len(text)
        if e < n - 1 and text[e] == ":" and text[e + 1].isdigit():
            # "2026-06-24 05:12:33": the last group is an hour, not part of the number
            k = e - 1
            while k > s and text[k].isdigit():
                k -= 1
            if k <= s:
                return e
            e = k
        ge = e - 1 if text[e - 1] == ")" else e
        if self._dates and g - s <= 4 and g < n - 1 and (text[g] in " -./," or (s and text[s - 1] in " -./")
                                                         or text[g:g + 2].lower() in _dates.ORDINAL):
            date = _dates.written_date(text, s, g)
            if date is not None:
                ds, de, base = date
                hit = self._pick([("DATE_TIME", base)], doc, ds, de)
                if hit is not None:
                    out.append(hit)
                return de
        if e - s < 4:
            return e  # three characters or fewer: no number entity (dates and houses were tried)
        if self._glued and ge < n and ge - s in _idnums.GLUED_LENS and (text[ge].isupper() or text[ge] == "-"):
            got = _idnums.glued(text, s, self.want)  # "12345678Z", "131052-308T"
            if got is not None:
                hit = self._pick([(got[1], got[2])], doc, s, got[0])
                if hit is not None:
                    out.append(hit)
                    return got[0]
        if ge < n and text[ge].isalnum() and not (text[ge] == "x" and text[ge + 1:ge + 2].isdigit()):
            # glued to letters on the right ("12kg", "3rd"): not a number entity, but a payment card
            # stays one ("4111 1111 1111 1111exp")
            return self._glued_card(doc, s, e, out) if self._cards and _glued_card_len(text, s, e) else e
        if e < n - 1 and text[e] in ".-/" and text[e + 1].isdigit():
            return e  # part of a longer dotted/dashed code the run pattern stopped short of
        coded = _negatives.glued_code(text, s)
        if self._rcfg is not None:
            _K.run_tail(self._rcfg, self, doc, text, s, ge, coded, out)  # type: ignore[union-attr]
        else:
            self._run_tail_py(doc, s, ge, coded, out)
        return e

    def _run_tail_py(self, doc: Doc, s: int, ge: int, coded: bool, out: list[Span]) -> None:
        """The run ``text[s:ge]`` classified whole, else its windows of digit groups (hits go to
        ``out``): the reference of the C kernel's ``run_tail``."""
        text = doc.text
        hit = self._classify(doc, s, ge, coded=coded)
        if hit is not None:
            out.append(hit)
            return
        if ge - s < 7 or text[s:ge].isdigit():
            return
        digits_all = text[s:ge].translate(_STRIP)
        if len(digits_all) in (10, 13) and _negatives.isbn(digits_all, text[s:ge]):
            return  # an ISBN: no part of it is anything else
        # The whole run is not one entity: try its sub-runs of digit groups, longest first.
        groups = [(g.start(), g.end()) for g in _GROUP.finditer(text, s, ge)]
        ng = len(groups)
        if ng > 8:
            seps = text[s:ge].translate(_DIGITS_DEL)
            if seps == seps[0] * len(seps):
                return  # a long chain of same-separated numbers is a table, not an entity
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
                # a card may be followed by a CVV, an expiry or an amount in the same run
                tail = groups[j + 1][1] - groups[j + 1][0] if j < ng - 1 else 0
                lead = groups[i - 1][1] - groups[i - 1][0] if i else 0
                hit = self._classify(doc, groups[i][0], groups[j][1], outer, coded=coded,
                                     card_ok=tail != 4 and lead != 4)
                if hit is not None:
                    break
                digits -= groups[j][1] - groups[j][0]
                j -= 1
            if hit is not None:
                out.append(hit)
                i = j + 1
            else:
                i += 1

    def _classify(self, doc: Doc, gs: int, ge: int, outer: tuple[str, str] = ("", ""), *,
                  coded: bool = False, card_ok: bool = False) -> Span | None:
        """The best entity for the digit groups ``text[gs:ge]`` (with a ``+``/``(`` just before).

        ``coded``: the run continues a reference code (only a validated card may stand);
        ``card_ok``: a card grouping cut from a longer run may still be a card (what follows it is
        no fifth card group).
        """
        text = doc.text
        seg = text[gs:ge]
        # a run holds ASCII digits and separators only: all digits is the common case
        digits = seg if seg.isdigit() else seg.translate(_STRIP)
        n = len(digits)
        if n > 19 or n < 4:
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
                return self._pick([("PHONE_NUMBER", 0.75)], doc, ws, we)
            return None
        # 2. "0044..." dialled from abroad, or an account number with leading zeros: context decides
        if n >= 10 and digits.startswith("00") and phone is not None and not coded and (
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
                return self._pick([("IP_ADDRESS", 0.6)], doc, ws, we)
            if len(parts) == 3:
                base = _dates.numeric_date(parts)
                if base is not None:
                    if "DATE_TIME" in want and not coded:
                        cands.append(("DATE_TIME", base))
                    return self._pick(cands, doc, ws, we)
            if len(parts) == 4 and sep == "." and not (shape in _cards.CARD_SHAPES and "CREDIT_CARD" in want):
                return None  # a dotted code (a version, an OID), unless grouped as a card
        if n < 5:
            return None

        # 4. a validated card number
        if (not sliced or (card_ok and shape in _cards.CARD_SHAPES)) and 13 <= n <= 19 and "CREDIT_CARD" in want:
            score = _cards.card(digits, shape, plain, sep)
            if score is not None:
                return self._pick([("CREDIT_CARD", score)], doc, ws, we)
        if coded or (n in (10, 13) and _negatives.isbn(digits, seg)):
            return None  # part of a reference code, or an ISBN
        # 5. everything else proposes; ties go to the nearer context word, then the earlier proposal
        if n == 12 and plain and "CREDIT_CARD" in want:
            score = _cards.short_maestro(digits)
            if score is not None:
                cands.append(("CREDIT_CARD", score))

        if sliced:
            if sep == ".":
                return None  # a slice of a dotted code (an IP address, a version) is nothing
            # only a phone number may be cut out of a longer run of same-separated groups
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
        if self._idnums and not sliced and n >= 9:
            _idnums.propose(digits, seg, shape, plain, want, cands)  # ABN, Aadhaar, PESEL, BSN, EIN...

        if n == 8 and "DATE_TIME" in want and not sliced and (plain or shape in _dates.SPACED_SHAPES):
            # "DOB 19850303", "date of birth: 03 03 1985": a date only when its context says so
            base = _dates.compact_date(digits)
            if base is not None:
                cands.append(("DATE_TIME", base))
        if plain:
            if 8 <= n <= 17 and "US_BANK_NUMBER" in want:
                cands.append(("US_BANK_NUMBER", 0.05))
            if 7 <= n <= 9 and "US_DRIVER_LICENSE" in want:
                cands.append(("US_DRIVER_LICENSE", 0.05))
        elif not sliced and sep in (" ", "-"):
            # account numbers and licences written in groups ("acct 1234 5678 90")
            if 8 <= n <= 17 and "US_BANK_NUMBER" in want:
                cands.append(("US_BANK_NUMBER", 0.05))
            if 8 <= n <= 9 and "US_DRIVER_LICENSE" in want and shape in _national.DL_SHAPES:
                cands.append(("US_DRIVER_LICENSE", 0.05))

        if phone is not None and 7 <= n <= 13 and not (cands and cands[0][1] >= 0.85) and (
            shape not in _national.SSN_SHAPES
        ):
            formatted = paren or (not plain and not seps.strip(" -.()/"))
            if (formatted or n in (10, 11)) and phone.national_number(digits, formatted):
                cands.append(("PHONE_NUMBER", 0.6 if formatted else 0.4))
            elif plain and n == 9 and phone.national_number(digits, True):
                # "my cell is 922986569": a bare 9-digit national number stands only by its context
                cands.append(("PHONE_NUMBER", 0.15))
        if cands and (_negatives.unit_after(text, we) or _negatives.currency_before(text, ws)):
            cands = [c for c in cands if c[1] >= 0.8]  # an amount or a measure
        return self._pick(cands, doc, ws, we)

    def _pick(self, cands: list[tuple[str, float]], doc: Doc, ws: int, we: int) -> Span | None:
        if not cands:
            return None
        if len(cands) == 1 and cands[0][1] >= 0.9:
            return (ws, we, cands[0][0], cands[0][1])  # validated and unambiguous: context adds nothing
        pre = self._pre(doc, ws)
        rev = pre[::-1]
        if self._tries is not None:  # the same choice in C (the loop below is the reference)
            labels_trie = None if self._id_labels is None else self._id_labels._trie
            got = _K.pick(cands, pre, rev, self._tries, _NEG_RX._trie, labels_trie,  # type: ignore[union-attr]
                          _WEAK, self.threshold, self._consts)
            hit = None if got is None else (ws, we, got[0], got[1])
        else:
            hit = self._pick_py(cands, pre, rev, ws, we)
        if hit is None and self._dates:
            return self._birth_after(cands, doc.text, ws, we)
        return hit

    def _birth_after(self, cands: list[tuple[str, float]], text: str, ws: int, we: int) -> Span | None:
        """A date labelled after it: "10 Jan 1944 (date of birth)", "03/03/1985 - DOB"."""
        for etype, base in cands:
            if etype == "DATE_TIME" and _dates.birth_after(text, we):
                score = min(1.0, base + _BOOST)
                return (ws, we, etype, score) if score >= self.threshold else None
        return None

    def _pick_py(self, cands: list[tuple[str, float]], pre: str, rev: str, ws: int, we: int) -> Span | None:
        """`_pick` after the context window: the reference of the C kernel's ``pick``."""
        neg = -2  # the nearest negative word, looked for once (-2: not yet)
        ctx = self._ctx
        best = None
        best_score = -1.0
        best_key = (False, -1.0, -2)
        for etype, base in cands:
            # as `_score`, with the window reversed once and the negative word found once
            rx = ctx.get(etype)
            pos = rx.last(rev) if rx is not None else -1
            if base < 0.8:
                if neg == -2:
                    neg = _NEG_RX.last(rev, max(0, len(pre) - _NEG_WINDOW))
                if neg > pos:
                    score, pos = base - _NEGATIVE, -1
                elif pos >= 0:
                    score = min(1.0, base + (_WEAK_BOOST if etype in _WEAK else _BOOST))
                else:
                    score = base
            elif pos >= 0:
                score = min(1.0, base + (_WEAK_BOOST if etype in _WEAK else _BOOST))
            else:
                score = base
            # a proposal its context names beats one that only has the shape ("DL# 123 456 789")
            key = (pos >= 0, score, pos)
            if key > best_key:
                best, best_score, best_key = etype, score, key
        if best is None or best_score < self.threshold:
            return None
        labels = self._id_labels
        if best == "PHONE_NUMBER" and best_key[2] < 0 and labels is not None and (
            labels.last(rev, max(0, len(pre) - _NEG_WINDOW)) >= 0
        ):
            return None  # labelled as another kind of id that it failed to be ("TFN 123 456 783")
        return (ws, we, best, best_score)
