"""The C redaction (`_cfold.redact`, behind `apply_spans(..., "redact")`) gives the pure-Python text
for every mix of string kinds, in particular a Latin-1 text whose non-ASCII characters all lie in
the redacted spans: the kept text is ASCII, and CPython 3.11's `PyUnicode_CopyCharacters` from a
Latin-1 string into an ASCII one checked the wrong characters and raised SystemError
("%A\\u00b5 KA bypass" with "A\\u00b5 KA" redacted, found by test_scan_differential)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guardwrap._anonymize import apply_spans
from guardwrap._decision import Finding


def python_redact(text: str, findings: list[Finding]) -> str:
    return apply_spans(text, iter(findings), "redact")  # an iterator: the pure-Python path


def finding(start: int, end: int, kind: str = "PERSON") -> Finding:
    return Finding(validator="pii", entity_type=kind, start=start, end=end, score=0.9)


@pytest.mark.parametrize(("text", "spans"), [
    ("%A\u00b5 KA bypass", [(1, 6)]),
    ("\u00e9\u00e9 keep this", [(0, 2)]),
    ("keep \u00e9 this \u00e9", [(5, 6), (12, 13)]),
    ("ab \u4e2d\u6587 cd", [(3, 5)]),
    ("ab \U0001f600 cd \u00e9", [(3, 4)]),
])
def test_kept_text_of_a_narrower_kind(text: str, spans: list[tuple[int, int]]) -> None:
    fs = [finding(a, b) for a, b in spans]
    out = apply_spans(text, fs, "redact")
    assert out == python_redact(text, fs)
    assert out.isascii() == all(c.isascii() for c in python_redact(text, fs))


CHARS = st.sampled_from(["a", " ", "%", "K", "\u00b5", "\u00e9", "\u4e2d", "\U0001f600", "7"])


@settings(max_examples=300, deadline=None)
@given(st.lists(CHARS, min_size=1, max_size=30), st.data())
def test_any_kinds_and_spans_as_the_python(chars: list[str], data: st.DataObject) -> None:
    text = "".join(chars)
    cuts = sorted(set(data.draw(st.lists(st.integers(0, len(text)), max_size=6))))
    spans = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2) if cuts[i] < cuts[i + 1]]
    fs = [finding(a, b, data.draw(st.sampled_from(["PERSON", "CREDIT_CARD", "IBAN_CODE"]))) for a, b in spans]
    out = apply_spans(text, fs, "redact")
    expected = python_redact(text, fs)
    assert out == expected
    assert out.isascii() == expected.isascii()
