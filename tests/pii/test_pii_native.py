"""The PII C kernel (`guardwrap.pii._cscan`) decides exactly as its pure-Python reference.

Function by function on generated strings (hypothesis, alphabets built from the shapes each
function reads) and on the realistic corpora; then whole findings, C path against
``GUARDWRAP_PURE_PYTHON=1`` in a subprocess, on the corpora and their variants.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guardwrap.pii import _addresses, _crypto, _dates, _engine, _names

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

K = _names._K
needs_kernel = pytest.mark.skipif(K is None, reason="guardwrap.pii._cscan is not built (or pure Python)")


def _pieces(*words: str) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(words), max_size=30).map("".join)


# what the name-sequence scan reads: capitals, particles, titles with full stops, apostrophes,
# hyphens, the characters that may or may not precede a sequence, cue words
_NAME_BITS = _pieces(
    "A", "B", "J", "M", "S", "D", "Z", "a", "e", "r", "s", "t", "o", "y", ".", "'", "-", " ", "\t", "\n", "@",
    "_", "/", "0", "7", ",", ":", "=", "(", "|", '"', "Mr", "Mrs", "Ms", "St", "Sra", "Srta", "Mlle", "Dott",
    "de", "la", "van", "der", "del", "della", "binti", "Dr.", "J.", "John", "Smith", "O'Brien", "Hi ", "Dear ",
    "name: ", "Customer ", "by ", "is ", "The ", "Thanks", "Bank", "Anne-Marie",
)


@cache
def _corpus() -> list[str]:
    import pii_eval

    return ([d.text for d in pii_eval.build(60, 7)] + [d.text for d in pii_eval.build(60, 11)]
            + [d.text for d in pii_eval.build(60, 17, pii_eval.HELDOUT)])


@needs_kernel
@settings(max_examples=600, deadline=None)
@given(_NAME_BITS)
def test_seq_spans_as_the_regex_scan(text: str) -> None:
    assert K is not None
    assert K.seq_spans(text, _names._PARTS, _names._NO_SINGLE, _names._CUE_LAST_WORDS) == _names.seq_spans(text)


@needs_kernel
def test_seq_spans_on_the_corpora() -> None:
    assert K is not None
    for text in _corpus():
        for t in (text, text.upper(), text.title(), text.replace("\n", " ")):
            if t.isascii():
                got = K.seq_spans(t, _names._PARTS, _names._NO_SINGLE, _names._CUE_LAST_WORDS)
                assert got == _names.seq_spans(t)


@needs_kernel
def test_seq_spans_refuses_what_it_cannot_read() -> None:
    assert K is not None
    with pytest.raises(ValueError):
        K.seq_spans("Zoë Smith", _names._PARTS, _names._NO_SINGLE, _names._CUE_LAST_WORDS)
    with pytest.raises(TypeError):
        K.seq_spans("John Smith", set(_names._PARTS), _names._NO_SINGLE, _names._CUE_LAST_WORDS)
    with pytest.raises(TypeError):
        K.seq_spans(b"John Smith", _names._PARTS, _names._NO_SINGLE, _names._CUE_LAST_WORDS)


def test_seq_spans_is_linear_on_hostile_input() -> None:
    # long tokens, long runs of capitals and particles: bounded work per position either way
    for text in ("A" * 20000, "A " * 10000, "Ab'" * 7000, "J. " * 7000, "A de " * 4000, "Mr." * 7000):
        spans = K.seq_spans(text, _names._PARTS, _names._NO_SINGLE, _names._CUE_LAST_WORDS) if K else None
        assert spans is None or spans == _names.seq_spans(text)


@needs_kernel
@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_keccak256_as_the_python_one(data: bytes) -> None:
    assert K is not None
    assert K.keccak256(data) == _crypto.keccak256(data)


@needs_kernel
def test_keccak256_at_the_block_edges_and_known_digests() -> None:
    assert K is not None
    for n in (0, 1, 134, 135, 136, 137, 271, 272, 273, 4096):
        data = bytes(range(256)) * (n // 256) + bytes(range(n % 256))
        assert K.keccak256(data) == _crypto.keccak256(data)
    assert K.keccak256(b"").hex() == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    with pytest.raises(TypeError):
        K.keccak256("text")
    # EIP-55's own example address reads as checksummed either way
    assert _crypto.eth_checksum("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed") is True


@settings(max_examples=400, deadline=None)
@given(_pieces("my name is ", "My Name's ", "name's ", "call me ", "CALL ME ", "this is ", "i am ", "I'm ",
               "im ", "x", "a", "priya ", "john ", "smith", "\n", "_", "'", "-", " ", "Mmy name is"))
def test_intro_matches_at_the_cue_starts_as_finditer(text: str) -> None:
    want = [m.span() for m in _names._LOWER_INTRO.finditer(text)]
    assert [m.span() for m in _names.intro_matches(text, _names.intro_starts(text))] == want
    if want:
        assert _names._LOWER_HINT.search(text) is not None


_JUDGE_BITS = _pieces(
    "Mr ", "Dr. ", "Hi ", "Dear ", "John ", "Smith", "Main St", "Street ", "May 14, 1950", "Bank ", "& ", "and Sons",
    "LLC", ", John", "SMITH, JOHN", "Name: ", "Customer: ", "Regards,\n", "\n", "Thanks ", "de la ", "Cruz",
    "Morgan Stanley", "J. ", "A B", "Customer Service", " ", "the ", "Priya ", "Garcia ", "Kaiser", "Ring",
    "O'Brien", "-", '"name": "', "PO Box 5", "Agent: ", ":50K:/123\n", "applicant,ssn\n", ",", "(", "x=",
    "Kind regards,\n", "Thanks, ", "Best,\n", ":59:/DE89\n", ":50K:", ":52A:", "1/", "/", "\n\n", "name=",
    '"beneficiary": "', "Rep: ", "Caller: ", "name,amount\n", "my name is ", "I am ", "spoke with ",
    "on behalf of ", "Ref: INV-1. ", "\t", "'", "|", ";", ">", "Account holder ", "12", "MARY JONES", "Team",
    " called", " said ", " phoned about", ". ", "Kwame Mensah", "Virgin Media", " Lan", ",166-66-7739", "; +44",
    "|(0", ",,", ", 12",
    # two people or a firm on either side of an "&" (`Names._couple`)
    " & ", "&", "Tom Baker", "Sylvia ", "Mrs. ", "Mr.", "Sons Ltd", "Marks & Spencer", "Jane Doe & John Doe",
)


@cache
def _names_detector() -> _names.Names:
    return _names.Names()


def _judges_agree(text: str) -> None:
    from guardwrap.pii._layout import Doc

    assert K is not None
    nm = _names_detector()
    if not text.isascii():
        return
    for s, e in _names.seq_spans(text):
        assert K.judge(text, s, e, Doc(text), nm._cfg) == nm._judge(Doc(text), s, e), (text, s, e)


@needs_kernel
@settings(max_examples=1500, deadline=None)
@given(_JUDGE_BITS)
def test_judge_as_the_python(text: str) -> None:
    _judges_agree(text)


@needs_kernel
@pytest.mark.parametrize("text", [
    "Dear Tom & Sylvia Baker", "Dear Tom Baker & Sylvia Baker", "Hi Tom & Jerry", "Dear Mr & Mrs Smith",
    "Dear Mrs. Jane Doe & Mr. John Doe,", "Tom Baker & Sylvia", "Tom Baker & Sylvia Baker Ltd",
    "Tom Baker & Sylvia Baker, Ltd", "Tom Baker &Sylvia Baker", "Tom Baker &\tSylvia Baker", "Tom  Baker & Sylvia Baker",
    "Name: Tom Baker & Sons", "Name: Tom & Sons", "Dr Baker & Partners", "Dr Baker & Dr Smith", "Dr Baker & J. Smith",
    "Marks & Spencer", "Davis Polk & Wardwell", "The Tom Baker & Sylvia Baker", "Tom Baker & The Sylvia Baker",
    "Customer: Tom Baker & Sylvia O'Neill", "Tom Baker & Mrs", "Regards,\nTom & Sylvia Baker", "Tom Baker & Sylvia-",
])
def test_judge_as_the_python_next_to_an_ampersand(text: str) -> None:
    _judges_agree(text)


@needs_kernel
def test_judge_on_the_corpora() -> None:
    from guardwrap.pii._layout import Doc

    assert K is not None
    for text in _corpus():
        for t in (text, text.upper(), text.title()):
            _judges_agree(t)
    nm = _names_detector()
    with pytest.raises(ValueError):
        K.judge("Zoë Smith", 0, 9, Doc("Zoë Smith"), nm._cfg)
    with pytest.raises(ValueError):
        K.judge("A " * 70, 0, 140, Doc("A " * 70), nm._cfg)
    with pytest.raises(IndexError):
        K.judge("John Smith", 0, 11, Doc("John Smith"), nm._cfg)
    with pytest.raises(TypeError):
        K.judge("John Smith", 0, 10, Doc("John Smith"), nm._cfg[:-1])
    with pytest.raises(TypeError):
        K.names_config(nm._cfg[:-1], _names._PARTS, _names._NO_SINGLE, _names._CUE_LAST_WORDS)
    with pytest.raises(ValueError):
        K.names_scan("John Smith", Doc("John Smith"), object())  # not the capsule of names_config
    with pytest.raises(ValueError):
        K.names_scan("Zoë Smith", Doc("Zoë Smith"), nm._ncfg)


# --- one C call per stretch (names_scan), the surname look-up, the previous line and the table
# test read in C, the lower-case intro and label scans

_LINES_BITS = _pieces(
    "John Smith", "Mary Jones", "Kind regards,", "Thanks,", "Best", ":50K:/123", ":59:", "\n", "\n\n", "\n \n",
    " ", "\t", "x" * 30, "y" * 45, "Name: ", "a,b,c", "name,amount,iban", "Kwame Mensah,12,", ";", "|", "\t\t",
    "Rep: ", "Dear ", "Hi ", ",", ".", "!", "Priya Garcia", "O'Brien", "~", "Hello\n", " " * 85, "\n" * 90,
    " \n" * 70, "name,amount,iban\nJohn Smith,12,x\n", "ref,client,amt\n1,Priya Garcia,2\n", "a|b|c\nMary Jones|1|2\n",
    "ref;agent;x\n7;Kwame Mensah;9\n", "id\tname\tamt\n3\tJohn Smith\t4\n",
)


def _scan_agrees(text: str) -> None:
    from guardwrap.pii._layout import Doc

    assert K is not None
    nm = _names_detector()
    want = [h for s, e in _names.seq_spans(text) if (h := nm._judge(Doc(text), s, e)) is not None]
    got = []
    for hit in K.names_scan(text, Doc(text), nm._ncfg):
        if len(hit) == 2:  # the kernel's judge declines (a non-ASCII line before it): judged in Python
            assert K.judge(text, *hit, Doc(text), nm._cfg) is NotImplemented
            hit = nm._judge(Doc(text), *hit)
        if hit is not None:
            got.append(hit)
    assert got == want, text


@needs_kernel
@settings(max_examples=600, deadline=None)
@given(_JUDGE_BITS)
def test_names_scan_as_seq_spans_and_the_python_judge(text: str) -> None:
    if text.isascii():
        _scan_agrees(text)


@needs_kernel
@settings(max_examples=600, deadline=None)
@given(_LINES_BITS)
def test_previous_line_and_table_rows_read_in_c_as_the_doc(text: str) -> None:
    # blank lines, lines longer than `PREV_LINE_CHARS`, delimiters once and twice on a line:
    # `Doc.prev_line` and `Doc.column_header` are the reference of what the kernel reads itself
    _scan_agrees(text)


@needs_kernel
def test_previous_line_at_its_limits() -> None:
    # `Doc._prev_line` looks at most PREV_LINE_CHARS of a line and 4 * PREV_LINE_CHARS back
    from guardwrap.pii._layout import PREV_LINE_CHARS as W
    from guardwrap.pii._layout import Doc

    assert K is not None
    texts = []
    for gap in range(4 * W - 6, 4 * W + 6):
        texts += ["Kind regards,\n" + "\n" * gap + "John Smith", "Thanks,\n" + " \n" * (gap // 2) + "Mary Jones"]
    for k in range(W - 6, W + 6):
        texts += ["Thanks," + " " * k + "\nJohn Smith", "x" * k + " Best,\nPriya Garcia",
                  "Cheers," + " " * (k - 8) + "\n" + " " * 10 + "\nJohn Smith", ":59:/x" + " " * k + "\nKwame Mensah"]
    seen = set()
    for t in texts:
        _scan_agrees(t)
        _scan_agrees("Hello there.\n" + t)
        seen.add(tuple(K.names_scan(t, Doc(t), _names_detector()._ncfg)))
    assert len(seen) > 2  # the limits change the findings: the texts reach them


@needs_kernel
def test_names_scan_on_the_corpora() -> None:
    assert K is not None
    for text in _corpus():
        for t in (text, text.title(), text.replace("\n", "\n\n\n").replace(" ", "-" * 90, 2)):
            if t.isascii():
                _scan_agrees(t)


@needs_kernel
@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzAEIJMNOSY-' 0", max_size=20))
def test_is_last_as_the_python(word: str) -> None:
    assert K is not None
    nm = _names_detector()
    folded = _names.fold(word)
    assert K.is_last(nm._cfg, folded) == nm.is_last(folded)
    assert K.is_last(nm._cfg, folded.lower()) == nm.is_last(folded.lower())


@needs_kernel
def test_is_last_on_the_name_lists_and_near_misses() -> None:
    import gzip
    from importlib import resources

    assert K is not None
    nm = _names_detector()
    with (resources.files("guardwrap") / "data" / "names" / "surnames.txt.gz").open("rb") as fh:
        surnames = gzip.decompress(fh.read()).decode().split()
    words = surnames[::50] + [w + "x" for w in surnames[::97]] + [w[:-1] for w in surnames[::89]]
    words += [f"{a}-{b}" for a, b in zip(surnames[::301], surnames[7::301], strict=False)]
    words += ["", "a", "-", "--", "x-", "-smith", "smith-", "the", "bank", "customer", "zzzzqq"]
    known = 0
    for w in words:
        if w.isascii():
            got = K.is_last(nm._cfg, w)
            assert got == nm.is_last(w), w
            known += got
    assert known > len(surnames[::50]) // 2  # the list is read: most surnames are known
    with pytest.raises(ValueError):
        K.is_last(nm._cfg, "müller")
    bad = (*nm._cfg[:9], list(nm._cfg[9]), *nm._cfg[10:])
    with pytest.raises(TypeError):
        K.is_last(bad, "smith")


@needs_kernel
@settings(max_examples=600, deadline=None)
@given(_pieces("my name is ", "My Name's ", "name's ", "NAME'S", "call me ", "CALL ME ", "this is ", "i am ",
               "I'm ", "im ", "x", "a", "priya ", "my name", "\n", "_", "'", "-", " ", "Mmy name is", "I", "M"))
def test_cue_starts_as_the_python(text: str) -> None:
    assert K is not None
    assert K.cue_starts(text, _names._INTRO_STARTS) == _names.intro_starts(text)


_LABEL_BITS = _pieces(
    "name", "Name", "NAME", "surname", "full_name", "first-name", "customer name", "company name", "user ",
    "names", "named", "beneficiary", "payee", "holder", "account holder", "applicant", "guarantor", "signatory",
    "borrower", "remitter", ": ", ":", "=", " = ", '"', "'", "{", ",", "\t", " ", "\n", "priya sharma",
    "kwame mensah", "John Smith", "unknown", "gas council", "ab1", "x", "7", "_", "-", "joint ", "bank ",
    "7name: priya sharma", "x_name= kwame mensah", "a-payee:'john smith", "company name: gas council",
    "namx= priya sharma", "holdes: kwame mensah", "nam", "holde",
)


def _labels_agree(text: str) -> None:
    assert K is not None
    nm = _names_detector()
    want: list[tuple[int, int, str, float]] = []
    nm._lower_labels(text, text.lower(), want)
    got: list[tuple[int, int, str, float]] = []
    ends = K.label_ends(text, _names._LABEL_CORES, _names._PARTY_CORES, _names._LABEL_PREFIXES, _names._LABEL_NOT)
    for e, party in ends:
        nm._label_value(text, e, party, got)
    assert got == want, text
    # every label end the kernel gives is one of the Python loop's, in its order
    low = text.lower()
    every = [(i + len(c), c in _names._PARTY_CORES) for c in _names._LABEL_CORES
             for i in _all_finds(low, c) if _names._label_word_ok(low, i, i + len(c))]
    it = iter(every)
    assert all(x in it for x in ends), text


def _all_finds(low: str, core: str) -> list[int]:
    out = []
    i = low.find(core)
    while i >= 0:
        out.append(i)
        i = low.find(core, i + len(core))
    return out


@needs_kernel
@settings(max_examples=700, deadline=None)
@given(_LABEL_BITS)
def test_label_ends_as_the_python_label_loop(text: str) -> None:
    _labels_agree(text)


@needs_kernel
def test_intro_and_label_scans_on_the_corpora() -> None:
    assert K is not None
    for text in _corpus():
        for t in (text, text.lower(), text.upper()):
            if t.isascii():
                _labels_agree(t)
                assert K.cue_starts(t, _names._INTRO_STARTS) == _names.intro_starts(t)
    with pytest.raises(ValueError):
        K.cue_starts("my name is zoë", _names._INTRO_STARTS)
    with pytest.raises(ValueError):
        K.cue_starts("my name is x", ("My name",))
    with pytest.raises(ValueError):
        K.label_ends("name: zoë", _names._LABEL_CORES, _names._PARTY_CORES, _names._LABEL_PREFIXES, _names._LABEL_NOT)


_STREET_BITS = _pieces(
    "1", "23", "456 ", "12, ", "7A ", "N ", "E. ", "Main ", "St", "Street ", "rue ", "Rue ", "de la ", "C/ ", "Avda. ",
    "ul. ", "Długa ", "An der ", "Hauptstraße ", "\t", " ", "\n", "x", "Apt 4", ", Springfield, IL 62704",
    "Calle Mayor ", "Via ", "Roma ", "O'Brien ", "5th ", "Ave", "-", "/", "A", "\u017ft", "\uff33t ", "cul-de-sac",
)


def _street_agrees(text: str) -> None:
    assert K is not None
    for s in range(len(text)):
        run = text[s].isdigit() and (s == 0 or not text[s - 1].isdigit())
        if run and _addresses.NUMBER_FIRST.match(text, s) is not None:
            assert K.street_maybe(text, s, _addresses.STREET_KEYS), (text, s)


@needs_kernel
@settings(max_examples=1500, deadline=None)
@given(_STREET_BITS)
def test_street_maybe_never_rules_out_a_street_line(text: str) -> None:
    _street_agrees(text)


@needs_kernel
def test_street_maybe_on_the_corpora() -> None:
    assert K is not None
    ruled_out = 0
    for text in _corpus():
        for t in (text, text.upper(), text.lower()):
            _street_agrees(t)
            ruled_out += not K.street_maybe(t, 0, _addresses.STREET_KEYS)
    assert ruled_out > 0
    assert K.street_maybe("12 Baker Street", 0, _addresses.STREET_KEYS)
    assert not K.street_maybe("12 apples and 3 pears", 0, _addresses.STREET_KEYS)
    assert not K.street_maybe("12 Baker\nStreet", 0, _addresses.STREET_KEYS)
    with pytest.raises(IndexError):
        K.street_maybe("12", 3, _addresses.STREET_KEYS)


def _py_plan(t: str, s: int, e: int) -> int:
    """`_addresses.at_number`'s own decisions, written out as the kernel's plan bits."""
    assert K is not None
    plan = 0
    if _addresses._street_may_follow(t, e) and (s == 0 or not t[s - 1].isalnum()) and K.street_maybe(
        t, s, _addresses.STREET_KEYS
    ):
        plan |= 1
    if s == 0 or t[s - 1] not in " \t,\u00ba\u00b0":
        return plan
    window = t[max(0, s - 48):s]
    j = len(window) - 1
    while j > 0 and window[j] in " \t,\u00ba\u00b0.":
        j -= 1
    k = j
    while k > 0 and (window[k - 1].isalpha() or window[k - 1] in ".-'"):
        k -= 1
    word = window[k:j + 1]
    if word[0].isupper() or word[0] in "ou":
        plan |= 2
    if word.lower() in _addresses._PO_WORDS:
        plan |= 4
    if e - s in (5, 10) and 2 <= len(word) <= 3 and word.isupper():
        plan |= 8
    return plan


def _plans_agree(t: str) -> None:
    assert K is not None
    for s in range(len(t) + 1):
        for e in (s, s + 1, s + 3, s + 5, s + 10):
            if e <= len(t):
                got = K.at_number_plan(t, s, e, _addresses.STREET_KEYS, _addresses._FR_START,
                                       _addresses._ORDINALS, _addresses._PO_WORDS)
                assert got == _py_plan(t, s, e), (t, s, e)
                assert K.month_near(t, s, e, _dates._PREFIXES) == _dates._month_near(t, s, e), (t, s, e)


@needs_kernel
@settings(max_examples=800, deadline=None)
@given(_pieces("1", "23", "12345", " ", "\t", ",", "\u00ba", "\u00b0", ".", "-", "'", "/", "Box ", "box", "PO ",
               "IL ", "Main St", "5th", "st", "ST", "ave", "Av.", "rue ", "bd ", "x", "\u00c4", "\u01c5", "\u0130",
               "\u212a", "\u017f", "jan", "Dec", "F\u00e9v", "OKT", "\n", "a", "\u0663", "rd", "TH", "nd", " of ",
               "Of", "st."))
def test_address_plan_and_month_test_as_the_python(text: str) -> None:
    _plans_agree(text)


@needs_kernel
def test_address_plan_on_the_corpora() -> None:
    assert K is not None
    for text in _corpus()[::3]:
        _plans_agree(text)
    with pytest.raises(IndexError):
        K.at_number_plan("12", 1, 5, _addresses.STREET_KEYS, _addresses._FR_START, _addresses._ORDINALS,
                         _addresses._PO_WORDS)
    with pytest.raises(IndexError):
        K.month_near("12", -1, 1, _dates._PREFIXES)


_AFTER_BITS = _pieces(
    "Calle ", "Mayor ", "C/ ", "de la ", "Via ", "Roma ", "ul. ", "Dluga ", "An der ", "Kerkstraat", "Hauptstrasse",
    "Frankfurter ", "Allee", "Str.", "Kaiserring", "Offering", ", ", " ", "\t", "no. ", "n\u00ba ", "x", "1", "AB",
    ".", "-", "'", "CALLE ", "Rua ", "Am ", "Platz", "STRASSE", "\u212aatu",
)


@needs_kernel
@settings(max_examples=600, deadline=None)
@given(_AFTER_BITS)
def test_after_maybe_never_rules_out_a_street_before_the_number(window: str) -> None:
    assert K is not None
    if _addresses.NUMBER_AFTER.search(window) is not None:
        assert K.after_maybe(window, *_addresses._AFTER_TRIES)


@cache
def _windows_before_numbers() -> list[str]:
    """The 48 characters before every digit run of the corpora, as written and in upper case: what
    the address step looks back at."""
    out = []
    for text in _corpus():
        for t in (text, text.upper()):
            out.extend(t[max(0, s - 48):s] for s in range(1, len(t)) if t[s].isdigit() and not t[s - 1].isdigit())
    return out


@needs_kernel
def test_after_maybe_on_the_corpora() -> None:
    assert K is not None
    ruled_out = 0
    for window in _windows_before_numbers():
        if not K.after_maybe(window, *_addresses._AFTER_TRIES):
            ruled_out += 1
            assert _addresses.NUMBER_AFTER.search(window) is None, window
    assert ruled_out > 0


_CONTEXT_BITS = st.lists(
    st.sampled_from([*(w for ws in _engine.CONTEXT_WORDS.values() for w in ws), *_engine.NEGATIVE_WORDS,
                     " ", ",", ":", "1", "a", "x", "\n", "\u00e9", "-", "."]),
    max_size=10,
).map("".join)


@cache
def _word_sets() -> tuple[_engine.LastWord, ...]:
    det = _engine.Detector(_engine.CONTEXT_WORDS, 0.5)
    return (*det._ctx.values(), _engine._NEG_RX, _engine.LastWord(["", "a"]), _engine.LastWord(["x y", "\u00e9"]))


@needs_kernel
@settings(max_examples=800, deadline=None)
@given(_CONTEXT_BITS, st.integers(min_value=-2, max_value=70))
def test_last_context_word_as_the_regex(pre: str, lo: int) -> None:
    rev = pre[-64:][::-1]
    lo = max(0, lo)
    for rx in _word_sets():
        assert rx.last(rev, lo) == rx.last_py(rev, lo)


@cache
def _detectors() -> tuple[_engine.Detector, ...]:
    from guardwrap.pii import SUPPORTED_ENTITIES

    return (_engine.Detector(SUPPORTED_ENTITIES, 0.5),
            _engine.Detector(["PHONE_NUMBER", "US_SSN", "AU_TFN", "US_BANK_NUMBER"], 0.3),
            _engine.Detector(["PHONE_NUMBER", "DATE_TIME"], 0.5, context={"PHONE_NUMBER": ["hotline"]}))


_BASES = st.sampled_from([0.05, 0.1, 0.15, 0.3, 0.4, 0.45, 0.5, 0.6, 0.75, 0.8, 0.85, 0.9, 1.0, 1])


@needs_kernel
@settings(max_examples=800, deadline=None)
@given(_CONTEXT_BITS, st.lists(st.tuples(st.sampled_from(sorted(_engine.CONTEXT_WORDS)), _BASES), min_size=1,
                               max_size=4))
def test_pick_as_the_python(pre: str, cands: list[tuple[str, float]]) -> None:
    assert K is not None
    pre = pre[-64:]
    rev = pre[::-1]
    for d in _detectors():
        assert d._tries is not None
        labels = None if d._id_labels is None else d._id_labels._trie
        got = K.pick(cands, pre, rev, d._tries, _engine._NEG_RX._trie, labels, _engine._WEAK, d.threshold,
                     d._consts)
        want = d._pick_py(cands, pre, rev, 0, 1)
        assert (None if got is None else (0, 1, *got)) == want
        if want is not None:
            assert type(got[1]) is type(want[3])  # an int base stays an int, as in Python


_PRE_BITS = _pieces("acct", "no. ", "12. ", "Mr. ", "? ", "! ", ". ", "\n", "a,b,c\n", "1,2,3\n", "Name:", "ssn", "x",
                     "Y", "1", " ", "\t", "\u00e9", "\u0130", "St. ", "e.g. ", "A/C ", "routing number?\n",
                     # the previous line as the kernel reads it: long lines, blank runs, Unicode blanks
                     # and digits, upper case that lowers to more characters, questions and labels
                     "Q" * 39, "w " * 41, "\n\n\n\n", " \n \n", "\u2003", "\x85", "\u00a0", "\u0663", "\u00b2",
                     "\u0130STANBUL?\n", "\u00c9T\u00c9:\n", "Client: ", "And the account number?\n", "12 34\n")


@needs_kernel
@settings(max_examples=600, deadline=None)
@given(_PRE_BITS, st.sampled_from(["", "prev line?\n", "routing number:", "x"]))
def test_context_window_as_the_python(text: str, before: str) -> None:
    from guardwrap.pii._layout import Doc

    det = _detectors()[0]
    d1, d2 = Doc(text, before), Doc(text, before)
    for pos in range(len(text) + 1):
        assert det._pre(d1, pos) == det._pre_py(d2, pos), (text, before, pos)


@needs_kernel
def test_previous_line_reach_as_the_layout() -> None:
    """The kernel reads the previous line itself, with `_layout.PREV_LINE_CHARS` and the blank-line
    limit of `Doc._prev_line`: long lines, many blank lines, in front of a value at a line start."""
    from guardwrap.pii._layout import PREV_LINE_CHARS, Doc

    assert K is not None and K.PREV_LINE_CHARS == PREV_LINE_CHARS
    det = _detectors()[0]
    for lead in ("", "x" * 500 + "\n"):
        for line in ("account number?", "a" * 79 + "?", "b" * 81 + ":", "c" * 200, " ss n: ", "\u0130D:", "1 2 3", "d" * 40, "e" * 41, "\u0130" * 40):
            for blanks in (0, 1, 2, 5, 30, 100, 400):
                text = lead + line + "\n" + " \n" * blanks + "Client: 12345678"
                pos = len(text) - 8
                for before in ("", "prev?\n"):
                    d1, d2 = Doc(text, before), Doc(text, before)
                    assert det._pre(d1, pos) == det._pre_py(d2, pos), (line, blanks)


@needs_kernel
def test_column_headers_as_the_layout() -> None:
    """The kernel reads a value's column header from the document's table map itself: every
    delimiter, more columns than header cells, a header row that is no header, a table that ends,
    every position of every line, with the map built before or by the kernel's first look."""
    from guardwrap.pii._layout import Doc

    det = _detectors()[0]
    texts = []
    for d in (",", "\t", ";", "|"):
        texts += [
            f"applicant{d}ssn{d}dob{d}routing_number\nMike{d}110-67-3265{d}02/27/1983{d}242961910\n"
            f"Ann{d}123456789{d}1985-03-03{d}011000015{d}extra{d}9999\n\nnot a table 12345678",
            f"id{d}12{d}34\n1{d}2{d}3\nname{d}acct no{d}phone\nBob{d}32680173{d}020 7946 0958",
            f"a{d}b\n1{d}2{d}3\nx{d}y{d}z\n4{d}5{d}6",
        ]
    for text in texts:
        for warm in (False, True):
            d1, d2 = Doc(text), Doc(text)
            if warm:
                d1.column_header(len(text) - 1)
            for pos in range(len(text) + 1):
                assert det._pre(d1, pos) == det._pre_py(d2, pos), (text, pos)


@needs_kernel
def test_context_window_on_the_corpora() -> None:
    from guardwrap.pii._layout import Doc

    det = _detectors()[0]
    for text in _corpus()[::4]:
        for before in ("", "And the account number?\n"):
            d1, d2 = Doc(text, before), Doc(text, before)
            for pos in range(len(text) + 1):
                assert det._pre(d1, pos) == det._pre_py(d2, pos)


@needs_kernel
def test_trie_and_last_refuse_bad_input() -> None:
    assert K is not None
    with pytest.raises(TypeError):
        K.trie(["ok", 3])
    with pytest.raises(TypeError):
        K.trie(5)
    with pytest.raises(ValueError):
        K.last("not a capsule", "abc")
    with pytest.raises(ValueError):
        K.after_maybe("Calle ", "x", "y")
    d = _detectors()[0]
    with pytest.raises(ValueError):
        K.pick([("US_SSN", 0.3)], "ab", "a", d._tries, _engine._NEG_RX._trie, None, _engine._WEAK, 0.5, d._consts)
    with pytest.raises(TypeError):
        K.pick([("US_SSN",)], "ab", "ba", d._tries, _engine._NEG_RX._trie, None, _engine._WEAK, 0.5, d._consts)


_FINDINGS = """
import json, sys
sys.path.insert(0, sys.argv[1])
import pii_eval
import guardwrap as gw
from guardwrap import _native
texts = ([d.text for d in pii_eval.build(80, 7)] + [d.text for d in pii_eval.build(80, 11)]
         + [d.text for d in pii_eval.build(80, 17, pii_eval.HELDOUT)])
texts += [t.upper() for t in texts[::4]] + [t.lower() for t in texts[1::4]] + [t.replace("\\n", " ") for t in texts[2::4]]
out = {"status": _native.status(), "findings": []}
for p in (gw.PII(), gw.PII(["PERSON", "STREET_ADDRESS", "US_SSN", "PHONE_NUMBER"])):
    for t in texts:
        out["findings"].append([(f.entity_type, f.start, f.end, f.score) for f in p.detect(t)])
print(json.dumps(out))
"""


def _findings(pure: bool) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUARDWRAP_")}
    env["PYTHONHASHSEED"] = "0"  # Faker's Italian cities depend on it
    if pure:
        env["GUARDWRAP_PURE_PYTHON"] = "1"
    r = subprocess.run([sys.executable, "-c", _FINDINGS, str(ROOT / "benchmarks")], env=env,
                       capture_output=True, text=True, check=True)
    out: dict[str, object] = json.loads(r.stdout)
    return out


@needs_kernel
def test_whole_findings_are_the_same_with_and_without_the_kernel() -> None:
    c, py = _findings(False), _findings(True)
    assert c["status"]["guardwrap.pii._cscan"] == "C"  # type: ignore[index]
    assert set(py["status"].values()) == {"python"}  # type: ignore[attr-defined]
    assert c["findings"] == py["findings"]
