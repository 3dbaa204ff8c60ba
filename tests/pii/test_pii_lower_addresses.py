"""Street addresses typed in lower case after an address cue: chats lose their capitals, and an
address the detector finds in print must not be missed when typed in lower case."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import guardwrap as gw

PII = gw.PII()


def streets(text: str) -> list[str]:
    r = PII.check(text)
    return [text[f.start:f.end] for f in (r.findings if r else []) if f.entity_type == "STREET_ADDRESS"]


@pytest.mark.parametrize(("text", "value"), [
    ("address: 742 evergreen terrace, springfield", "742 evergreen terrace, springfield"),
    ("I live at 12 high street, oxford ox1 4ab", "12 high street, oxford ox1 4ab"),
    ("my address is 5 baker street london", "5 baker street london"),
    ("pls send it to 221b baker street", "221b baker street"),
    ("ship to 1200 n main st apt 4, springfield, il 62704", "1200 n main st apt 4, springfield, il 62704"),
    ("my postcode is ec1a 1bb", "ec1a 1bb"),
    ("my address is flat 3, 21 queen street, edinburgh eh2 1jx", "flat 3, 21 queen street, edinburgh eh2 1jx"),
    ('{"address": "12 high street, oxford", "dob": "x"}', "12 high street, oxford"),
    ("adresse: hauptstrasse 12, 10115 berlin", "hauptstrasse 12, 10115 berlin"),
    ("ship to 5 main st, portland, or 97201", "5 main st, portland, or 97201"),
    ("address: 12 rue de la paix, 75002 paris", "12 rue de la paix, 75002 paris"),
])
def test_a_lower_case_address_after_a_cue_is_found(text: str, value: str) -> None:
    assert streets(text) == [value]


@pytest.mark.parametrize("text", [
    "send it to 3 people by friday",
    "email to 12 people",
    "i moved to 4 new accounts last year",
    "please post 2 copies to me",
    "my address is the same as before, 2 years now",
    "12 high street",  # no cue: lower case alone is not enough
])
def test_lower_case_words_and_numbers_without_an_address_stay(text: str) -> None:
    assert streets(text) == []


PRINTED = [
    "221B Baker Street, London NW1 6XE",
    "1200 N Main St Apt 4, Springfield, IL 62704",
    "55 Collins St, Melbourne VIC 3000",
    "10 Downing Street, London SW1A 2AA",
    "742 Evergreen Terrace, Springfield",
    "Flat 3, 21 Queen Street, Edinburgh EH2 1JX",
]


@given(st.sampled_from(PRINTED), st.sampled_from(["my address is ", "address: ", "i live at ", "ship it to "]),
       st.sampled_from(["", ".", " thanks", "\nok"]))
@settings(max_examples=120)
def test_an_address_found_in_print_is_found_in_lower_case(address: str, cue: str, after: str) -> None:
    printed = streets(cue + address + after)
    assert printed and printed[0].startswith(address.split(",")[0])
    assert streets(cue + address.lower() + after) == [v.lower() for v in printed]


_PIECES = ["address", "Address: ", "my ", "live at ", "ship it to ", "post", "postcode ", "mail", "email", "12 ",
           "high street", ", oxford", " ox1 4ab", "\n", "é", " ", "zip", "ADDRESS", "send ", "to "]


@given(st.lists(st.sampled_from(_PIECES), max_size=25).map("".join))
@settings(max_examples=300)
def test_the_one_pass_key_search_finds_what_a_search_per_key_does(text: str) -> None:
    from guardwrap.pii import _lowaddr

    fast = _lowaddr.windows(text)
    keys_db = _lowaddr._keys_db
    _lowaddr._keys_db = lambda: None  # type: ignore[assignment]
    try:
        assert _lowaddr.windows(text) == fast
    finally:
        _lowaddr._keys_db = keys_db  # type: ignore[assignment]


def test_a_lower_case_address_in_a_text_beyond_ascii() -> None:
    text = "Mon adresse — 12 rue de la paix, 75002 paris"
    assert streets(text) == ["12 rue de la paix, 75002 paris"]
