"""A short attack put anywhere in a long benign document is still found (issue 13: "a jailbreak
hidden in the middle of a 20 KB document counts").

Generated placements (`training/injection/dilution.py`): project-written attacks of every
technique family, at most 600 characters, each put at random word boundaries of ~20 KB benign
documents made of the project's letters, statements, terms, e-mails and code. Until round 6 the
learned tier scored windows of two ~512-character chunks and divided a window's n-gram sum by the
square root of its length, so the letter's words drowned a short attack: about a quarter of such
placements were found, against nine tenths of the same attacks alone. Windows are now of 2, 4 and
8 chunks of ~128 characters. Measured here: the placements of attacks detected alone.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import guardwrap as gw

TRAINING = Path(__file__).resolve().parents[2] / "training" / "injection"


@pytest.fixture(scope="module")
def dilution():
    sys.path.insert(0, str(TRAINING))
    try:
        import dilution

        yield dilution
    finally:
        sys.path.remove(str(TRAINING))


def test_short_attacks_in_long_documents_are_found_about_as_often_as_alone(dilution) -> None:
    pi = gw.PromptInjection()
    r = dilution.measure(lambda t: pi.score(t) >= 0.5, per_family=2, per_attack=2, n_docs=4)
    k_alone, n_alone = r["alone"]
    k_placed, n_placed = r["placed"]
    k, n = r["placed, detected alone"]
    assert n_alone >= 100 and n_placed == 2 * n_alone
    # the documents alone are not flagged
    assert r["documents"][0] == 0
    # of the placements of attacks detected alone, most are detected in the document (round 5:
    # 27%, now ~70%; the rest are short attacks whose words a 256-character window still dilutes)
    assert k / n >= 0.6, r
    # and overall, placed detection is not far below detection alone (round 5: 0.26 against 0.92)
    assert k_placed / n_placed >= k_alone / n_alone - 0.25, r
