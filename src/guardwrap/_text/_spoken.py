"""Numbers said digit by digit in words ("four one one one ...", "oh two oh seven, double nine"),
as call transcripts and dictated messages write them, found as edits that put digits in their place.

A run is seven or more digits, each a digit word or a single digit, with a digit word of four
letters or more followed by another digit word somewhere in it ("four one", "zero two", "quatre
un"), so "one or two", "three to five days" and "1 2 3" stay prose. English, German,
French, Spanish, Italian and Dutch digit words (ASCII spellings); "double" and "triple" before a
digit repeat it; "oh" is zero. Separators between the words: spaces, tabs, commas, hyphens, full stops.
"""

from __future__ import annotations

import functools
import re

from . import _hs

Edit = tuple[int, int, str]

_WORDS = {
    "0": "zero oh null nul cero",
    "1": "one eins un une uno een",
    "2": "two zwei deux dos due twee",
    "3": "three drei trois tres tre drie",
    "4": "four vier quatre cuatro quattro",
    "5": "five funf cinq cinco cinque vijf",
    "6": "six sechs seis sei zes",
    "7": "seven sieben sept siete sette zeven",
    "8": "eight acht huit ocho otto",
    "9": "nine neun neuf nueve nove negen",
}
#: a digit word (lower case) -> its digit
DIGIT_OF = {w: d for d, words in _WORDS.items() for w in words.split()}
_REPEAT = {"double": 2, "triple": 3, "doppel": 2, "doble": 2, "doppio": 2}

_WORD = "|".join(sorted(DIGIT_OF, key=len, reverse=True))
_REP = "|".join(_REPEAT)
_TOKEN = rf"(?:(?:{_REP})[ -])?(?:{_WORD}|[0-9])"
_SEP = r"[ \t,.\-]{1,3}"
# a run of four or more tokens (seven digits need four at least: a repeat counts three at most);
# the rest of the rule is checked in `spoken_digit_edits`
_RUN = re.compile(rf"(?i)\b{_TOKEN}(?:{_SEP}{_TOKEN}){{3,}}\b")
_TOK = re.compile(rf"(?i)(?:({_REP})[ -])?({_WORD}|[0-9])")

# A digit word of four letters or more, then another digit word: in every run, so the view hints
# and `might_speak` look for it. (Short words, "oh", "un", "one", "six", are in so much text as
# parts of words that a hint starting with them costs the scan of every plain text 40% more.)
_WORD4 = "|".join(sorted((w for w in DIGIT_OF if len(w) >= 4), key=len, reverse=True))
HINT = rf"\b(?:{_WORD4})[ \t,.\-]{{1,3}}(?:{_WORD})\b"
_HINT = re.compile(HINT, re.IGNORECASE)


@functools.cache
def _hint_db() -> _hs.Database | None:
    return _hs.compile_db([(HINT, True, True)])


def _stop(hid: int, start: int, end: int, flags: int, ctx: object) -> bool:
    return True


def might_speak(text: str) -> bool:
    """Cheap test before `spoken_digit_edits`: two digit words side by side (one Hyperscan pass)."""
    db = _hint_db()
    if db is None:
        return _HINT.search(text) is not None
    return not db.scan(text.encode("utf-8", "replace"), _stop)


def spoken_digit_edits(text: str) -> list[Edit]:
    """Edits that write each spoken digit run of ``text`` as its digits, separators removed."""
    out: list[Edit] = []
    for m in _RUN.finditer(text):
        edits: list[Edit] = []
        digits = 0
        paired = prev_word = False
        pos = m.start()
        for t in _TOK.finditer(text, m.start(), m.end()):
            if t.start() > pos:
                edits.append((pos, t.start(), ""))  # the separator
            rep, word = t.group(1), t.group(2)
            is_word = not word.isdigit()
            paired = paired or (is_word and prev_word)
            prev_word = is_word and len(word) >= 4
            n = _REPEAT[rep.lower()] if rep else 1
            digits += n
            edits.append((t.start(), t.end(), (DIGIT_OF[word.lower()] if is_word else word) * n))
            pos = t.end()
        if digits >= 7 and paired:
            out.extend(edits)
    return out


_PARTS = re.compile(r"[^,.\-]+")


def _digitish(token: str) -> bool:
    """A whitespace-separated token that could be (part of) a spoken digit run: digit words,
    digits (the view writes a run said so far as one number) and repeats, joined by commas, full
    stops or hyphens ("four,", "zero-two-zero")."""
    parts = _PARTS.findall(token.lower())  # none: a separator alone ("four - two")
    return all(p in DIGIT_OF or p in _REPEAT or (p.isascii() and p.isdigit()) for p in parts)


def run_start(text: str, cut: int, limit: int) -> int:
    """For streams: where the spoken digit tokens that end just before ``cut`` start (``cut`` when
    none do), looking back at most ``limit`` characters, so a number still being said is held back
    until it is complete."""
    start = cut
    j = cut
    while True:
        i = j
        while i > 0 and text[i - 1].isspace():
            i -= 1
        s = i
        while s > 0 and not text[s - 1].isspace():
            s -= 1
        if s == i or cut - s > limit or not _digitish(text[s:i]):
            return start
        start = j = s
