"""`_dates.birth_after` (a cheap test, then `BIRTH_AFTER`) answers as the pattern alone, at every
position of generated text and of the realistic corpora."""

from __future__ import annotations

import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from guardwrap.pii import _dates

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

_BITS = st.lists(st.sampled_from([
    " ", "  ", "\t", "(", "[", ":", "/", "|", "-", "\u2013", "\u2014", ")", "]", ".", ",", ";", "\n", "\r",
    "dob", "DOB", "Dob", "d.o.b.", "D.O.B", "date of birth", "Birth date", "birthdate", "Birthday", "birthday party",
    "geb.", "Geburtsdatum", "date de naissance", "fecha de nacimiento", "data di nascita", "geboortedatum",
    "data urodzenia", "x", "1", "03/03/1985", "\u017f", "\u212a", "\u00e9", "D", "b", "g", "F",
]), max_size=12).map("".join)


def _agree(text: str) -> None:
    for k in range(len(text) + 1):
        assert _dates.birth_after(text, k) == (_dates.BIRTH_AFTER.match(text, k) is not None), (text, k)


@settings(max_examples=800, deadline=None)
@given(_BITS)
def test_birth_after_as_the_pattern(text: str) -> None:
    _agree(text)


def test_birth_after_on_the_corpora() -> None:
    import pii_eval

    texts = [d.text for d in pii_eval.build(80, 7)] + [d.text for d in pii_eval.build(40, 17, pii_eval.HELDOUT)]
    hits = 0
    for text in texts:
        for t in (text, text.upper()):
            _agree(t)
            hits += any(_dates.birth_after(t, k) for k in range(len(t)))
    assert hits > 0
    assert _dates.birth_after("03/03/1985 (DOB)", 10) and not _dates.birth_after("03/03/1985 birthday party", 10)
