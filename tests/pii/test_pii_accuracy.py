"""A small, seeded run of benchmarks/pii_accuracy.py: guardwrap must match or beat Presidio's
pattern recognizers on precision and recall for every entity both support."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest

pytest.importorskip("presidio_analyzer")
pytest.importorskip("faker")

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import pii_accuracy


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network access during the PII accuracy run")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture(scope="module")
def docs():
    return pii_accuracy.build(60, seed=3)


def test_data_set_has_every_entity_and_decoys(docs):
    gold = {t for d in docs for _, _, t in d.gold}
    assert gold == set(pii_accuracy.ENTITIES)
    for d in docs:
        for s, e, _ in d.gold:
            assert d.text[s:e].strip() == d.text[s:e] and e > s


def test_guardwrap_at_least_as_good_as_presidio(docs, no_network):
    ours = pii_accuracy.score(docs, pii_accuracy.guardwrap_predict())
    theirs = pii_accuracy.score(docs, pii_accuracy.presidio_predict())
    worse = {
        ent: (ours[ent], theirs[ent])
        for ent in pii_accuracy.ENTITIES
        if ours[ent]["precision"] < theirs[ent]["precision"] or ours[ent]["recall"] < theirs[ent]["recall"]
    }
    assert not worse
    # and good in absolute terms, so that a Presidio regression cannot hide ours
    assert all(ours[e]["recall"] >= 0.9 and ours[e]["precision"] >= 0.9 for e in pii_accuracy.ENTITIES)
