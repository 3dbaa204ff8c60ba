"""The C classification of digit runs (`_cscan.run_tail`, with `_cscan.runs_config`) decides exactly
as its pure-Python reference (`Detector._run_tail_py` / `Detector._classify`).

Whole scans of one Detector with the kernel and of its twin without it, on generated digit-heavy
text (valid and invalid cards, SSNs, ITINs, ABA, TFN, NHS numbers, phones with + / 00 / parentheses,
dates in every grouping, IBANs in any case, ISBNs, amounts and units, every separator the run
pattern takes, context and negative words, letters glued on either side) and on the corpora.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guardwrap.pii import SUPPORTED_ENTITIES
from guardwrap.pii._engine import _K, Detector

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

needs_kernel = pytest.mark.skipif(_K is None, reason="guardwrap.pii._cscan is not built (or pure Python)")

FIVE = ("EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IBAN_CODE")
NUMERIC = tuple(e for e in SUPPORTED_ENTITIES if e not in ("PERSON", "STREET_ADDRESS"))
ENTITY_SETS = {
    "all": SUPPORTED_ENTITIES,
    "five": FIVE,
    "numeric": NUMERIC,
    "phone": ("PHONE_NUMBER",),
    "card+date": ("CREDIT_CARD", "DATE_TIME", "IP_ADDRESS"),
}


@cache
def _pair(name: str) -> tuple[Detector, Detector]:
    fast = Detector(ENTITY_SETS[name], 0.5)
    ref = Detector(ENTITY_SETS[name], 0.5)
    ref._rcfg = None  # the pure-Python reference path
    return fast, ref


def _agree(text: str, before: str = "") -> None:
    for name in ENTITY_SETS:
        fast, ref = _pair(name)
        assert fast._rcfg is not None
        assert fast.scan(text, before) == ref.scan(text, before), (name, text)


_DIGITS = st.sampled_from([
    # cards (valid Luhn, various issuers), a failing one, short Maestro
    "4111111111111111", "4111 1111 1111 1111", "4111-1111-1111-1111", "4111.1111.1111.1111", "5555 5555 5555 4444",
    "378282246310005", "3782 822463 10005", "6011111111111117", "4111 1111 1111 1112", "501800000009",
    "4111 1111 1111 1111 123", "4111 1111 1111 1111 12/26", "3530111333300000", "30569309025904",
    "6200000000000005", "2223003122003222", "6304000000000000", "4222222222222", "3566 0020 2036 0505",
    # SSN / ITIN / ABA / TFN / NHS / accounts
    "536-22-8173", "536 22 8173", "536228173", "912-70-1234", "912701234", "078-05-1120", "666-12-3456",
    "011000015", "0110 0001 5", "123 456 782", "943 476 5919", "9434765919", "32680173", "01669615",
    "1234 5678 90", "12345678901234",
    # phones
    "+1 (415) 555-2671", "+44 20 7946 0958", "(415) 555-2671", "415-555-2671", "020 7946 0958", "07700 900123",
    "0043 664 1234567", "001-760-580-3965", "0044 20 7946 0958", "00491701234567", "922986569", "612 345 678",
    # dates, times, versions, IPs, ISBNs
    "03/03/1985", "1985-03-03", "3.3.1985", "9/15/61", "19850303", "03 03 1985", "1985 03 03", "31-02-1990",
    "2026-06-24 05:12:33", "10.0.0.1", "192.168.001.1", "1.2.3.4.5", "978-3-16-148410-0", "0-306-40615-2",
    "9783161484100", "12:30", "2021-717443", "612-270-6921",
    # fragments and odd separators
    "1", "12", "123", "1234", "12345", "123456", "0", "00", "1_2_3_4", "12\u00a0345\u00a0678", "1(2)3", "12)34",
    "1 2 3 4 5 6 7 8 9 10", "1-2-3-4-5-6-7-8-9-10-11",
])
_WORDS = st.sampled_from([
    " ", "  ", "\n", ", ", ". ", ": ", "-", "/", ".", "(", ")", "+", "x", "$", "EUR ", " USD", " kg", "%", " dollars",
    "card ", "ssn ", "SSN: ", "routing ", "account ", "acct no ", "phone ", "call me on ", "tel ", "dob: ",
    "date of birth ", "born ", "passport ", "nhs ", "tfn ", "itin ", "order ", "invoice ", "ref ", "version ",
    "ORD-", "/INV/", "REF_", "IBAN ", "iban: ", "DE89 3704 0044 0532 0130 00", "de89370400440532013000",
    "GB82 WEST 1234 5698 7654 32", "gb82west12345698765432", "gb82WEST0", "NI ", "AB 12 34 56 C", "ab123456c",
    "3rd March 1985", "21st of Jan 1990", "Jan 10, 1944", "09-Dec-1998", "st ", "th", "rd", "of ", "March ",
    "a", "Z", "_", "v", "V", "abc", "1st", "12kg", "A17", "bc1", "0x", "\t", "applicant,ssn,dob\n",
    "Rep: And the account number?\nClient: ",
    # what the run's first steps ask: addresses, letter-prefixed ids, base58, glued ids, non-ASCII
    "Main Street", " High St", "Hauptstrasse ", "rue de la Paix", "PO Box ", "Postfach ", "NY ", ", CA ", "Apt ",
    "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "12345678Z", "131052-308T",
    "X1234567L", "ABCDE1234F", "S1234567D", "CLARK853312JX9KU", "\u00e9", "\u0130", "\u212a", "\u0663", "\u00b2",
    "\u00ba", "Stra\u00dfe ", "ul. ", "\u00a0",
    # amounts and units on either side
    "\u00a3", "\u20ac", "\u00a5", "chf ", "PLN", "gbp\t", " %", " pcs", " Kg", "\u212ag", "\u017fhares", " units",
])


@needs_kernel
@settings(max_examples=1500, deadline=None)
@given(st.lists(st.one_of(_DIGITS, _WORDS), max_size=14).map("".join))
def test_runs_as_the_python(text: str) -> None:
    _agree(text)


@needs_kernel
@settings(max_examples=800, deadline=None)
@given(st.text(alphabet=st.sampled_from("0123456789 -./_()+\u00a0:,$xX9aSst\u0663\u00b2\u00e9\u00a3\u20acEeUuRr%k"), max_size=60))
def test_runs_on_digit_noise_as_the_python(text: str) -> None:
    _agree(text)


@needs_kernel
def test_runs_on_the_examples() -> None:
    for text in [
        "DOB 3rd March 1985", "born 21st of Jan 1990", "dob: 19850303", "date of birth: 03 03 1985",
        "call 0043 664 1234567 today", "phone 001-760-580-3965", "IBAN DE89 3704 0044 0532 0130 00.",
        "card 4111 1111 1111 1111 123", "My card 4111 1111 1111 1111 12/26 123", "Pay 5555 5555 5555 4444 100 dollars",
        "TFN 123 456 783", "ssn 536228173 and 912-70-1234", "(415) 555-2671", "+1 (415) 555-2671",
        "ISBN 978-3-16-148410-0", "1.2.3.4 and v1.2.3.4 and 10.0.0.1", "2026-06-24 05:12:33",
        "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20", "4111 1111 1111 1111 " * 30,
    ]:
        _agree(text)
        _agree(text, "Rep: And the account number?\n")


@needs_kernel
def test_runs_on_the_corpora() -> None:
    import bench_pii
    import pii_eval

    texts = ([d.text for d in pii_eval.build(150, 7)] + [d.text for d in pii_eval.build(150, 11)]
             + [d.text for d in pii_eval.build(150, 17, pii_eval.HELDOUT)] + list(bench_pii.TEXTS.values()))
    for text in texts:
        _agree(text)


@needs_kernel
def test_run_tail_checks_its_arguments() -> None:
    fast, _ = _pair("five")
    with pytest.raises(IndexError):
        _K.run_tail(fast._rcfg, fast, None, "12345", 2, 9, False, [])  # type: ignore[union-attr]
    with pytest.raises(TypeError):
        _K.run_tail(fast._rcfg, fast, None, b"12345", 0, 5, False, [])  # type: ignore[union-attr]
    with pytest.raises(ValueError):
        _K.run_tail(object(), fast, None, "12345", 0, 5, False, [])  # type: ignore[union-attr]


_IBAN_BITS = st.lists(st.sampled_from([
    "DE89", "GB82", "gb82", "FR14", "XX12", "DE", "3704", "0044", "0532", "0130", "00", "WEST", "west", "1234",
    "5698", "7654", "32", "2010", "0510", "0013", "M026", "06", " ", "-", ".", "/", "_", "0", "A", "z", ",", "\u00e9",
]), max_size=16).map("".join)


@needs_kernel
@settings(max_examples=1500, deadline=None)
@given(_IBAN_BITS, st.booleans())
def test_iban_end_as_the_python(text: str, upper: bool) -> None:
    from guardwrap.pii import _banking

    if upper:
        text = text.upper()
    for m in _banking.IBAN.finditer(text):
        got = _K.iban_end(text, m.start(), m.end(), _banking.IBAN_LENGTHS)  # type: ignore[union-attr]
        assert got == _banking.iban_end_py(text, m.start(), m.end()), text


@needs_kernel
def test_iban_end_on_known_ibans() -> None:
    from guardwrap.pii import _banking

    for text, end in [("DE89 3704 0044 0532 0130 00", 27), ("DE89370400440532013000 please", 22),
                      ("GB82 WEST 1234 5698 7654 32 0/363", 27), ("GB82WEST0GB82WESTA,SSN,B", None),
                      ("DE89 3704 0044 0532 0130 01", None), ("XX89 3704 0044 0532 0130 00", None)]:
        m = _banking.IBAN.match(text)
        assert m is not None
        assert _banking.iban_end_py(text, 0, m.end()) == end
        assert _K.iban_end(text, 0, m.end(), _banking.IBAN_LENGTHS) == end  # type: ignore[union-attr]
    with pytest.raises(IndexError):
        _K.iban_end("DE89", 0, 9, _banking.IBAN_LENGTHS)  # type: ignore[union-attr]


@settings(max_examples=400, deadline=None)
@given(st.sampled_from([chr(c) for c in range(128)]), st.booleans(),
       st.sampled_from(["", "ur", "sd", "bp", "%", "g", "m", "s", "hares", "nits", "łotych", "ollars", "x"]))
def test_unit_firsts_cover_every_unit(first: str, spaced: bool, rest: str) -> None:
    """The C kernel asks `unit_after` only when the character after the number (past one space) is
    non-ASCII or in `UNIT_FIRSTS`: no unit starts with any other ASCII character."""
    from guardwrap.pii import _negatives

    text = "123" + (" " if spaced else "") + first + rest
    if first.lower() not in _negatives.UNIT_FIRSTS and not (first == " " and not spaced):
        assert not _negatives.unit_after(text, 3)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789", min_size=13, max_size=19), st.sampled_from(["", " ", "-", "."]))
def test_idnums_propose_nothing_past_twelve_digits(digits: str, sep: str) -> None:
    """The C kernel asks `_idnums.propose` only for 9 to 12 digits."""
    from guardwrap.pii import _idnums

    seg = sep.join(digits[i:i + 4] for i in range(0, len(digits), 4))
    shape = seg.translate(str.maketrans("0123456789", "9999999999")) if sep else ""
    cands: list[tuple[str, float]] = []
    _idnums.propose(digits, seg, shape, not sep, frozenset(SUPPORTED_ENTITIES), cands)
    assert cands == []


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(["a", "Z", "0", "9", "-", ".", "@", "x" * 62, "com", "co.uk", "\u00e9", " ", "_",
                                 "ex-ample", "org", "b"]), max_size=12).map("".join))
def test_email_domain_on_re_as_on_regex(text: str) -> None:
    import regex

    from guardwrap.pii import _web

    old = regex.compile(_web.DOMAIN_PATTERN, regex.ASCII)
    for i in range(len(text) + 1):
        a, b = old.match(text, i, i + 256), _web._DOMAIN.match(text, i, i + 256)
        assert (a and a.span()) == (b and b.span()), (text, i)
