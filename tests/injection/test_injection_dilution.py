"""A short attack put anywhere in a long benign document (issue 13: "a jailbreak hidden in the
middle of a 20 KB document counts"): measured, with today's level held and the target marked.

Generated placements (`training/injection/dilution.py`): project-written attacks of every
technique family, at most 600 characters, each put at random word boundaries of ~20 KB benign
documents made of the project's letters, statements, terms, e-mails and code.

Known limit (benchmarks/injection.md, "Round 6"): the learned tier scores windows of two
~512-character chunks and divides a window's n-gram sum by the square root of its length, so the
document's words, which are benign evidence, drown a short attack: about a quarter of the
placements are found, against nine tenths of the same attacks alone (round 8: about a fifth, since
long benign documents are trained on and calibrated for; benchmarks/injection.md, "Round 8"). Smaller windows were tried
(chunks of 64, 128 and 256 characters, wider windows over groups of them): they find up to ~0.6 of
the placements, but fragments of benign documents then score like short attacks, raise the
threshold and cost held-out detection (macro 0.556 -> 0.45-0.51) and FPR on long documents.
Round 11c: small windows (two ~64-character chunks) beside the windows, read against the rest of
the document with their own calibrated bias, the weights unchanged: 0.549 of the placements of the
full draw (0.179 before), no long benign document flagged.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import guardwrap as gw

TRAINING = Path(__file__).resolve().parents[2] / "training" / "injection"


@pytest.fixture(scope="module")
def measured() -> dict[str, tuple[int, int]]:
    sys.path.insert(0, str(TRAINING))
    try:
        import dilution
    finally:
        sys.path.remove(str(TRAINING))
    pi = gw.PromptInjection()
    out: dict[str, tuple[int, int]] = dilution.measure(lambda t: pi.score(t) >= 0.5, per_family=2, per_attack=2,
                                                       n_docs=4)
    return out


def test_the_placements_are_generated_as_described(measured: dict[str, tuple[int, int]]) -> None:
    n_alone = measured["alone"][1]
    assert n_alone >= 100 and measured["placed"][1] == 2 * n_alone
    assert measured["alone"][0] / n_alone >= 0.85  # the attacks are the training families'


def test_long_benign_documents_are_not_flagged(measured: dict[str, tuple[int, int]]) -> None:
    assert measured["documents"][0] == 0


def test_placed_attacks_are_found_at_least_as_often_as_today(measured: dict[str, tuple[int, int]]) -> None:
    # today (round 8's model): 33 of the 192 placements of attacks found alone (0.17). Lowered from
    # 0.2 in round 8, with the reason: round 5's model found 67 of 194 in these documents (once they
    # are drawn with round 4's pools, as training draws them), partly because its windows of long
    # terms and e-mails sat near the threshold (it flagged 15% of long benign documents); trained
    # and calibrated on long documents, the documents' windows score lower and so do attacks in them
    k, n = measured["placed, detected alone"]
    assert k / n >= 0.15, measured


def test_small_windows_find_placed_attacks_the_windows_miss(measured: dict[str, tuple[int, int]]) -> None:
    # round 11c: with the small windows, 120 of these 204 placements (0.59; 35 without them, 0.17)
    k, n = measured["placed, detected alone"]
    assert k / n >= 0.5, measured


@pytest.mark.xfail(strict=True, reason="known limit: short attacks are diluted in long documents (issue 13)")
def test_placed_attacks_are_found_about_as_often_as_alone(measured: dict[str, tuple[int, int]]) -> None:
    k_alone, n_alone = measured["alone"]
    k_placed, n_placed = measured["placed"]
    assert k_placed / n_placed >= k_alone / n_alone - 0.05, measured
