# ruff: noqa: RUF001  (lookalike and invisible characters are what these tests are about)
"""The canonical view: what it undoes, and that its offsets always lead back to the original."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import guardwrap as gw
from guardwrap._text import canonical, plain

ROOT = Path(__file__).resolve().parents[2]
# The first view of a text beyond ASCII loads the character table (0.07-0.26 s): done here, so no
# hypothesis example pays it inside its deadline.
canonical("\uff11 \u00e9 four one")

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180b", "\u180e", "\ufe0f",
             "\u034f", "\U000e0041", "\u2066", "\u202e", "\u0301"]
SPACES = ["\u00a0", "\u2009", "\u202f", "\u2007", "\u3000", "\u2002", "\u2003", "\u205f", "\u1680"]
DIGIT_ZEROS = [0x0660, 0x06F0, 0x0966, 0x09E6, 0x0E50, 0xFF10, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6]
DASHES = ["\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212", "\ufe63", "\uff0d"]

ascii_words = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E,
                                             blacklist_characters="%&\\"), max_size=80)


def _check_alignment(text: str) -> None:
    v = canonical(text)
    n = len(v.text)
    prev = 0
    for i in range(n):
        s, e = v.span(i, i + 1)
        assert 0 <= s < e <= len(text)  # every view character comes from original characters
        assert s >= prev  # in order
        prev = s
    assert v.pos(n) == len(text)
    assert v.span(0, n)[0] >= 0 and v.span(0, n)[1] <= len(text)


@given(st.text(max_size=200))
@settings(max_examples=300)
def test_every_view_offset_maps_into_the_original(text: str) -> None:
    _check_alignment(text)


@given(st.lists(st.sampled_from(["a", " ", "%41", "\u200b", "\ufb01", "\uff11", "&#52;"]), max_size=60).map("".join),
       st.lists(st.tuples(st.integers(0, 130), st.integers(0, 20)), max_size=40), st.booleans())
def test_mapping_many_spans_at_once_is_mapping_each(text: str, raw: list[tuple[int, int]], ordered: bool) -> None:
    v = canonical(text)
    n = len(v.text)
    pairs = [(min(s, n), min(s + k, n)) for s, k in raw]
    if ordered:
        pairs.sort()
    assert v.spans(pairs) == [v.span(s, e) for s, e in pairs]


@given(ascii_words)
def test_plain_ascii_is_its_own_view(text: str) -> None:
    if "\n" in text or " dot " in text.lower() or "at]" in text.lower() or "at)" in text.lower():
        return
    v = canonical(text)
    assert v.identity and v.text is text


@given(ascii_words, st.lists(st.tuples(st.integers(0, 80), st.sampled_from(INVISIBLE)), max_size=10))
def test_invisible_characters_change_nothing(text: str, inserts: list[tuple[int, str]]) -> None:
    dirty = text
    for pos, ch in sorted(inserts, reverse=True):
        dirty = dirty[:pos] + ch + dirty[pos:]
    assert plain(dirty) == plain(text)


@given(st.text(alphabet="0123456789 -", max_size=40), st.sampled_from(DIGIT_ZEROS))
def test_digits_of_every_script_read_as_ascii(digits: str, zero: int) -> None:
    other = "".join(chr(zero + int(c)) if c.isdigit() else c for c in digits)
    assert plain(other) == plain(digits)


@given(st.text(alphabet="0123456789 ", max_size=40), st.sampled_from(SPACES), st.sampled_from(DASHES))
def test_spaces_and_dashes_are_unified(digits: str, space: str, dash: str) -> None:
    assert plain(digits.replace(" ", space)) == plain(digits)
    assert plain(digits.replace(" ", dash)) == plain(digits.replace(" ", "-"))


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1, max_size=30),
       ascii_words, ascii_words,
       st.sampled_from(["fullwidth", "zero-width", "url", "html", "json"]))
def test_a_redaction_through_the_view_replaces_exactly_the_original_span(
        value: str, before: str, after: str, how: str) -> None:
    if how == "fullwidth":
        encoded = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in value)
    elif how == "zero-width":
        encoded = "\u200b".join(value)
    elif how == "url":
        encoded = "".join(f"%{ord(c):02X}" for c in value)
    elif how == "html":
        encoded = "".join(f"&#{ord(c)};" for c in value)
    else:
        encoded = "".join(f"\\u{ord(c):04x}" for c in value)
    text = f"{before}\x01{encoded}\x01{after}"  # \x01: a control the view drops, marking the edges
    v = canonical(text)
    # the value's characters in the view, mapped back, cover exactly the encoded span
    target = canonical(encoded).text
    i = v.text.find(target, len(canonical(before).text))
    assert i >= 0
    s, e = v.span(i, i + len(target))
    start = len(before) + 1
    assert (s, e) == (start, start + len(encoded))


def test_the_character_table_is_what_the_generator_makes() -> None:
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "gen_text_tables.py"), "--check"],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr


def test_examples_from_the_field() -> None:
    cases = {
        "card ４１１１ １１１１ １１１１ １１１１": "card 4111 1111 1111 1111",
        "card 4111\u20091111\u20091111\u20091111": "card 4111 1111 1111 1111",
        "SSN 864\u201024\u20105962": "SSN 864-24-5962",
        "ann.smith＠example.org": "ann.smith@example.org",
        "email=rebecca.brown%40icloud.com": "email=rebecca.brown@icloud.com",
        "4111 1111\n1111 1111": "4111 1111 1111 1111",
        "by\u180bpass kyc": "bypass kyc",
        "bypaꜱꜱ kyc": "bypass kyc",
        "\u0432ypa\u0455\u0455 \u043a\u0443c": "bypass kyc",
        "ann [at] example [dot] org": "ann@example.org",
        "&#52;&#x31;11": "4111",
        "\\u0034111": "4111",
        "card 4111\t1111\t1111\t1111": "card 4111 1111 1111 1111",
        "card 4111   1111  \t 1111 1111": "card 4111 1111 1111 1111",
        "SSN 8 6 4 2 4 5 9 6 2 thanks": "SSN 864245962 thanks",
        "options 1 2 3 and 4 5": "options 1 2 3 and 4 5",
        "ann.smith @ example . org": "ann.smith@example.org",
        "ann @ example dot org": "ann@example.org",
        "5 @ 3.50 each": "5 @ 3.50 each",
        "meet me @ home. Call": "meet me @ home. Call",
    }
    for raw, want in cases.items():
        assert plain(raw) == want, raw


def test_the_view_is_cached_for_the_same_string_and_rewrites_keep_the_rest() -> None:
    text = "keep this: card ４１１１ １１１１ １１１１ １１１１ and this"
    assert canonical(text) is canonical(text)
    d = gw.Guard(input=[gw.PII(["CREDIT_CARD"], action="redact")]).check(text)
    assert d.text == "keep this: card <CREDIT_CARD> and this"


PIECES = ["%41", "%4", "&#52;", "&amp;", "&", "\\u0034", "\\n", "\\", "4\n1", "4 \r\n 1", "\n", "dot", "DoT",
          "[at]", "(AT)", "at", "ann", ".", "@", " ", "x", "\x01", "\x7f", "\t", "9", " @ ", "@ ", "org",
          "1 ", "  ", " 2", "3", "one", "ONE", "Two", " nine", "oh", "double ", ", ", "-", "un", "zwei"]


@given(st.one_of(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=120),
                 st.lists(st.sampled_from(PIECES), max_size=30).map("".join)))
@settings(max_examples=800)
def test_the_scan_s_view_hints_cover_every_ascii_text_whose_view_differs(text: str) -> None:
    import re

    from guardwrap._text._scan import VIEW_HINTS
    from guardwrap._text._view import _build

    hinted = any(re.search(p, text, re.IGNORECASE if caseless else 0) for p, caseless in VIEW_HINTS)
    if not hinted:
        assert _build(text).text == text

