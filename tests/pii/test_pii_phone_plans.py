"""`Phones.national_number` (one joined pattern per cut of the number, chosen by length,
formatting and leading digits) answers as `_national_number_py` (region by region) for the
default regions, for region sets with two-digit and one-digit trunk prefixes and none, on
generated digit strings and on every digit run of the realistic corpora; and the fallback for
prefixes it cannot key on."""

from __future__ import annotations

import random
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from test_pii_native import _corpus  # tests/pii is on sys.path (rootdir-relative)

from guardwrap.pii import _phone

REGION_SETS = (
    _phone.DEFAULT_REGIONS,
    ("HU", "RU", "US", "GB"),  # "06" and "8" trunk prefixes
    ("ES", "IT", "PL", "PT"),  # none
    ("FR",),
)
PHONES = [_phone.Phones(r) for r in REGION_SETS]


def same(digits: str) -> None:
    for p in PHONES:
        for formatted in (True, False):
            assert p.national_number(digits, formatted) == p._national_number_py(digits, formatted), (digits, formatted)


@settings(max_examples=1500, deadline=None)
@given(st.sampled_from(["", "0", "00", "06", "1", "8", "07", "02", "3", "6", "9"]),
       st.text(alphabet="0123456789", min_size=0, max_size=16))
def test_generated_numbers(lead: str, rest: str) -> None:
    same(lead + rest)


def test_random_numbers_of_every_length() -> None:
    rng = random.Random(3)
    hits = 0
    for _ in range(20000):
        n = rng.randrange(4, 17)
        digits = rng.choice(["0", "1", "06", "8", ""]) + "".join(rng.choice("0123456789") for _ in range(n))
        same(digits)
        hits += PHONES[0].national_number(digits)
    assert hits > 100


def test_corpora_digit_runs() -> None:
    hits = 0
    for text in _corpus():
        for m in re.finditer(r"[0-9][0-9 ()\-.]{5,20}[0-9]", text):
            digits = re.sub(r"[^0-9]", "", m.group())
            same(digits)
            hits += PHONES[0].national_number(digits)
    assert hits > 10


def test_fallback_when_prefixes_are_too_long_to_key_on() -> None:
    p = _phone.Phones(("GB", "HU"))
    p._lead = None
    for digits in ("02079460958", "0612345678", "06301234567", "2079460958", "12345"):
        for formatted in (True, False):
            assert p.national_number(digits, formatted) == p._national_number_py(digits, formatted)
