"""Numbers said digit by digit in words: the canonical view writes them in digits, so every
validator reads them, and a redaction replaces exactly the spoken words."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import guardwrap as gw
from guardwrap._text import canonical
from guardwrap._text._spoken import DIGIT_OF, spoken_digit_edits
from guardwrap.pii._cards import luhn

WORDS_OF: dict[str, list[str]] = {}
for _w, _d in DIGIT_OF.items():
    WORDS_OF.setdefault(_d, []).append(_w)

CARD = "4111111111111111"
# The first view of a text beyond ASCII loads the character table (0.07-0.26 s): done here, so no
# hypothesis example pays it inside its deadline.
canonical("\uff11 \u00e9 four one")


@pytest.mark.parametrize(("text", "digits"), [
    ("my card number is four one one one one one one one one one one one one one one one", CARD),
    ("call me on oh two oh, seven nine four six, oh nine five eight", "02079460958"),
    ("Phone: zero-two-zero-seven-nine-four-six-zero-nine-five-eight.", "02079460958"),
    ("account five five five double four, triple one two", "555441112"),
    ("ma carte: quatre un un un un un un un", "41111111"),
    ("FOUR ONE ONE ONE, one one one one", "41111111"),
    ("it's 4 one 1 zero one 1 1 1", "41101111"),
])
def test_spoken_digits_read_as_digits(text: str, digits: str) -> None:
    assert digits in canonical(text).text


@pytest.mark.parametrize("text", [
    "one or two, three to five days",
    "we need one, maybe two",
    "1 2 3 and that is it",
    "one two three",  # too short to be a number
    "five six seven",
    "someone two nine",  # "someone" is no digit word
    "I have one two-year-old and one three-year-old",
    "one two six one two six one",  # no digit word of four letters before another: not a run
])
def test_prose_with_number_words_is_left_alone(text: str) -> None:
    assert canonical(text).text == text


def test_a_spoken_card_is_redacted_in_place() -> None:
    guard = gw.Guard(name="spoken", input=[gw.PII(action="redact")])
    text = "Hi, card four one one one one one one one one one one one one one one one, thanks"
    out = guard.check(text, stage="input").text
    assert out == "Hi, card <CREDIT_CARD>, thanks"


def test_a_spoken_phone_number_in_a_transcript_is_found() -> None:
    pii = gw.PII(entities=["PHONE_NUMBER"])
    text = "Client: my number is oh two oh seven nine four six, oh nine five eight.\nAgent: thanks"
    res = pii.check(text)
    assert res is not None
    (f,) = res.findings
    assert text[f.start:f.end] == "oh two oh seven nine four six, oh nine five eight"


_SEPS = st.sampled_from([" ", ", ", "-", " - ", ". ", "  "])


@st.composite
def spoken(draw: st.DrawFn) -> tuple[str, str]:
    digits = draw(st.text(alphabet="0123456789", min_size=7, max_size=19))
    # the first word has four letters or more, so the run has the pair it needs
    words = [draw(st.sampled_from([w for w in WORDS_OF[digits[0]] if len(w) >= 4]))]
    words += [draw(st.sampled_from(WORDS_OF[d])) for d in digits[1:]]
    words = [w.upper() if draw(st.booleans()) else w for w in words]
    text = words[0]
    for w in words[1:]:
        text += draw(_SEPS) + w
    return text, digits


@given(spoken(), st.sampled_from(["", "my number is ", "Ref: "]), st.sampled_from(["", " thanks", "."]))
@settings(max_examples=300)
def test_any_spoken_number_reads_as_its_digits(case: tuple[str, str], before: str, after: str) -> None:
    said, digits = case
    text = before + said + after
    view = canonical(text)
    assert view.text == before + digits + after
    # the digits map back onto exactly the spoken words
    s = len(before)
    assert view.span(s, s + len(digits)) == (s, s + len(said))


@given(st.lists(st.sampled_from(["one", "two", " ", ",", "or", "x", "1", "oh", "double "]), max_size=40).map("".join))
@settings(max_examples=300)
def test_edits_only_ever_replace_words_by_digits_and_drop_separators(text: str) -> None:
    for a, b, rep in spoken_digit_edits(text):
        assert rep == "" or rep.isdigit()
        assert rep != "" or set(text[a:b]) <= set(" \t,.-")


def _luhn_card(body: str) -> str:
    """``body`` with the Luhn check digit that makes it a card number."""
    return next(body + c for c in "0123456789" if luhn(body + c))


@st.composite
def spoken_card(draw: st.DrawFn) -> str:
    digits = _luhn_card("4" + draw(st.text(alphabet="0123456789", min_size=14, max_size=14)))
    seps = [draw(_SEPS) for _ in digits[1:]]
    words = [draw(st.sampled_from([w for w in WORDS_OF[digits[0]] if len(w) >= 4]))]
    words += [draw(st.sampled_from(WORDS_OF[d])) for d in digits[1:]]
    return words[0] + "".join(s + w for s, w in zip(seps, words[1:], strict=True))


@given(spoken_card(), st.lists(st.integers(min_value=1, max_value=12), min_size=1, max_size=40))
@settings(max_examples=60, deadline=None)
def test_a_card_said_in_a_stream_is_redacted_however_chunked(said: str, sizes: list[int]) -> None:
    text = "Your card is " + said + " and that is all."
    chunks = []
    pos = i = 0
    while pos < len(text):
        k = sizes[i % len(sizes)]
        chunks.append(text[pos:pos + k])
        pos += k
        i += 1
    guard = gw.Guard(name="spoken-stream", output=[gw.PII(action="redact")])

    @guard.wrap
    def stream(prompt: str):  # type: ignore[no-untyped-def]
        yield from chunks

    out = "".join(stream("hi"))
    assert out == "Your card is <CREDIT_CARD> and that is all."
    assert guard.check(text, stage="output").text == out
