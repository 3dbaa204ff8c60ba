"""Where a name ends, next to a comma after a title and next to an "&".

- A title goes before a surname, so a comma after that surname ends the name: in "Herr Müller,
  Ihre Karte" (German capitalises the formal "Ihre") the words after the comma are no given name,
  as they are in a record's "SMITH, John" after a label. The formal pronouns of the languages a
  European bank writes in ("Ihre", "Votre", "Usted") are common words, never a name.
- An "&" between two people ("Tom Baker & Sylvia Baker", "Mr & Mrs Smith") joins two names, so
  both are found; between surnames or before a firm word ("Marks & Spencer", "Tom Baker & Sons
  Ltd") it names a firm, so neither side is a person.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import guardwrap as gw
from guardwrap.pii._names import TITLES

PII = gw.PII()


def people(text: str) -> list[str]:
    return [text[f.start:f.end] for f in PII.detect(text) if f.entity_type == "PERSON"]


@pytest.mark.parametrize(("text", "names"), [
    ("Herr Müller, Ihre IBAN ist bestätigt.", ["Müller"]),
    ("Sehr geehrte Frau Schneider, Ihre Karte ist gesperrt.", ["Schneider"]),
    ("Dear Mr Okafor, Your New Card is on its way.", ["Okafor"]),
    ("Beneficiary: SMITH, JOHN", ["SMITH, JOHN"]),  # a label, not a title: the record form stays
    ("Joint account: Tom Baker & Sylvia Baker", ["Tom Baker", "Sylvia Baker"]),
    ("Mr & Mrs John Smith called", ["John Smith"]),
    ("Mr & Mrs Smith", ["Smith"]),
    ("Mrs. Jane Doe & Mr. John Doe", ["Jane Doe", "John Doe"]),
    ("JOHN SMITH & MARY SMITH", ["JOHN SMITH", "MARY SMITH"]),
])
def test_names_next_to_a_comma_or_an_ampersand(text: str, names: list[str]) -> None:
    assert people(text) == names


@pytest.mark.parametrize("text", [
    "Marks & Spencer", "Davis Polk & Wardwell", "SCHARROO & VAN DEN BROEK", "Johnson & Johnson",
    "Tom Baker & Sons Ltd", "Mary Smith & John Smith Ltd", "Sylvia Baker & Co", "Tom & Jerry",
    "Simon & Schuster", "Ernst & Young LLP",
])
def test_an_ampersand_in_a_firm_name_is_no_person(text: str) -> None:
    assert people(text) == []


_CAPS = st.sampled_from(["Ihre", "Your", "Votre", "Ihnen", "Ihr", "Thank", "We", "The", "IBAN", "Karte",
                         "Konto", "Please", "Unser", "Kontonummer"])
_SURNAMES = st.sampled_from(["Müller", "Okafor", "Schneider", "Nakamura", "Fernández", "Kowalczyk",
                             "Brown", "Mensah", "Ivanova", "O'Neill"])


@settings(max_examples=60, deadline=None)
@given(title=st.sampled_from(sorted(t for t in TITLES if t.isalpha() and len(t) > 1)), surname=_SURNAMES,
       w1=_CAPS, w2=_CAPS)
def test_after_a_title_the_comma_ends_the_name(title: str, surname: str, w1: str, w2: str) -> None:
    text = f"{title.capitalize()} {surname}, {w1} {w2} ist bestätigt."
    for name in people(text):
        assert "," not in name and w1 not in name.split(), (text, name)
