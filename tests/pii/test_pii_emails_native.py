"""E-mail addresses: the C kernel's ``email_locals`` (where the local part before each ``@`` starts)
is its pure-Python reference (`_web._local_starts_py`), and `_web.emails` finds the same addresses
with and without the kernel, on generated texts of every string kind (local-part characters and
the ones RFC 5322 allows but a query string uses, dots, runs longer than the 64 characters looked
at, ``@`` next to ``@``) and on the corpora."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guardwrap.pii import _web

ROOT = Path(__file__).resolve().parents[2]
K = _web._K
pytestmark = pytest.mark.skipif(K is None, reason="guardwrap.pii._cscan is not built (or pure Python)")

PIECES = [*"@.._-+aZ0!#$%'*+^`{|}~&=?/ \n", "example.org", "ann", "maria.gonzalez", "x" * 63, "y" * 64,
          "z" * 65, "@@", ".@", "@.", "é", "\u3000", "\U0001d422", "[at]", "mail me: ", "<EMAIL_ADDRESS>"]


def same(text: str) -> None:
    assert K.email_locals(text) == _web._local_starts_py(text), text[:200]
    got: list[_web.Span] = []
    _web.emails(text, got)
    saved = _web._K
    _web._K = None
    try:
        want: list[_web.Span] = []
        _web.emails(text, want)
    finally:
        _web._K = saved
    assert got == want, text[:200]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60).map("".join))
def test_generated_texts(text: str) -> None:
    same(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_unicode(text: str) -> None:
    same(text)
    same(text.replace(" ", "@"))


def test_addresses_found_and_their_edges() -> None:
    found: list[_web.Span] = []
    _web.emails("mail ann.lee@example.org or .bob@x.io, not a@ or @b.org", found)
    assert [(s, e) for s, e, _, _ in found] == [(5, 24), (29, 37)]
    for text in ["@", "a@", "@a", "a@b.co", "." * 70 + "@example.org", "x" * 70 + "@example.org",
                 "a.@b.co", "&a=b@c.org", "a@b@c.org", "é@a.org", "aé@b.org", "\U0001d422a@b.org"]:
        same(text)
        same(text + " " + text)
    rng = random.Random(4)
    for _ in range(3000):
        same("".join(rng.choice(PIECES) for _ in range(rng.randrange(30))))


def test_every_corpus_in_the_repository() -> None:
    n = 0
    for path in sorted((ROOT / "src/guardwrap/data/redteam").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                same(json.loads(line)["text"])
                n += 1
    for path in sorted((ROOT / "benchmarks/data").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line.strip() else {}
            for key in ("text", "answer"):
                if isinstance(row.get(key), str):
                    same(row[key])
                    n += 1
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import pii_eval

    for doc in pii_eval.build(200, 7):
        same(doc.text)
        n += 1
    assert n > 500


def test_bad_argument() -> None:
    with pytest.raises(TypeError):
        K.email_locals(b"a@b.org")
