"""The fast engine's findings do not change when its internals are made faster.

`data/pii_findings.json` holds, per document, a digest of the findings the engine gave before the
cost work of issues 12/14 (entity, offsets, score) on the realistic corpora of
``benchmarks/pii_eval.py`` (development kinds, seeds 7 and 11; held-out kinds, seed 17), on
variants of them (lower case, upper case, lines joined, a previous message as context) and on the
speed benchmark's texts, for three entity sets. A restructuring that changes any finding fails
here, naming the documents; a deliberate change of behaviour regenerates the file:

    PYTHONPATH=src python tests/pii/test_pii_same_findings.py --write

The corpora are generated with Faker, and a few of its providers (Italian cities) depend on the
interpreter's hash seed: each document's text digest is stored beside its findings, and a document
whose text came out otherwise is left out. The dev extra pins Faker; under another version most
texts differ and the test is skipped, under the pinned one that fails.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).resolve().parent / "data" / "pii_findings.json"
#: the Faker version the dev extra pins (the digests were taken with it)
PINNED_FAKER = re.search(r'"faker==([0-9.]+)"', (ROOT / "pyproject.toml").read_text()).group(1)  # type: ignore[union-attr]
sys.path.insert(0, str(ROOT / "benchmarks"))

FIVE = ["EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IBAN_CODE"]
DOCS = 300


def configs() -> dict[str, list[str] | None]:
    from guardwrap.pii import SUPPORTED_ENTITIES

    return {
        "all": None,
        "five": FIVE,
        "numeric": [e for e in SUPPORTED_ENTITIES if e not in ("PERSON", "STREET_ADDRESS")],
    }


def corpora() -> dict[str, list[tuple[str, str]]]:
    """``name -> [(text, before), ...]``"""
    import bench_pii
    import pii_eval

    dev7 = [d.text for d in pii_eval.build(DOCS, 7)]
    dev11 = [d.text for d in pii_eval.build(DOCS, 11)]
    held = [d.text for d in pii_eval.build(DOCS, 17, pii_eval.HELDOUT)]
    out: dict[str, list[tuple[str, str]]] = {
        "dev7": [(t, "") for t in dev7],
        "dev11": [(t, "") for t in dev11],
        "held17": [(t, "") for t in held],
        "bench": [(t, "") for t in bench_pii.TEXTS.values()],
    }
    mixed = dev7[::3] + held[::3]
    out["variants"] = (
        [(t.lower(), "") for t in mixed] + [(t.upper(), "") for t in mixed]
        + [(t.replace("\n", " "), "") for t in mixed] + [(t[len(t) // 3:], "") for t in mixed]
        + [(a + "\n" + b, "") for a, b in zip(dev11[::5], held[1::5], strict=False)]
    )
    out["before"] = [(t, p[-60:] + "\n") for p, t in zip(dev11[::2], dev11[1::2], strict=False)]
    return out


def _digest(items: Iterator[object]) -> str:
    return hashlib.sha256(json.dumps(list(items)).encode()).hexdigest()[:12]


def texts_digests(docs: list[tuple[str, str]]) -> list[str]:
    return [_digest(iter(d)) for d in docs]


def findings_digests(cfg: list[str] | None, docs: list[tuple[str, str]]) -> list[str]:
    import guardwrap as gw

    pii = gw.PII(cfg)
    return [_digest((f.entity_type, f.start, f.end, round(f.score, 6)) for f in pii.detect(t, before=b))
            for t, b in docs]


def compute() -> dict[str, object]:
    data: dict[str, object] = {}
    for name, docs in corpora().items():
        data[name] = {"texts": texts_digests(docs),
                      "findings": {k: findings_digests(cfg, docs) for k, cfg in configs().items()}}
    return data


@pytest.fixture(scope="module")
def stored() -> dict[str, object]:
    pytest.importorskip("faker")
    return json.loads(FIXTURE.read_text())  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def docs() -> dict[str, list[tuple[str, str]]]:
    pytest.importorskip("faker")
    return corpora()


@pytest.mark.parametrize("corpus", ["dev7", "dev11", "held17", "bench", "variants", "before"])
@pytest.mark.parametrize("cfg", ["all", "five", "numeric"])
def test_same_findings_as_before(stored, docs, corpus, cfg):
    entry = stored[corpus]
    texts = texts_digests(docs[corpus])
    assert len(texts) == len(entry["texts"])
    same = [i for i, (a, b) in enumerate(zip(texts, entry["texts"], strict=True)) if a == b]
    if len(same) < 0.9 * len(texts):
        import faker

        # the dev extra pins the Faker the digests were taken with: with it, a changed corpus is a bug
        # (a generator that reads today's date, say), not a reason to skip
        assert faker.VERSION != PINNED_FAKER, f"{corpus}: the generated texts changed under Faker {PINNED_FAKER}"
        pytest.skip(f"Faker {faker.VERSION} generates other texts than {PINNED_FAKER}, the stored digests' version")
    got = findings_digests(configs()[cfg], [docs[corpus][i] for i in same])
    want = [entry["findings"][cfg][i] for i in same]
    differ = [i for i, a, b in zip(same, got, want, strict=True) if a != b]
    assert not differ, f"{len(differ)} documents of {corpus} changed findings, first {differ[:10]}"


if __name__ == "__main__":
    if "--write" in sys.argv:
        FIXTURE.parent.mkdir(exist_ok=True)
        FIXTURE.write_text(json.dumps(compute(), separators=(",", ":")) + "\n")
        print(f"wrote {FIXTURE} ({FIXTURE.stat().st_size} bytes)")
