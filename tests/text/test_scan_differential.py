# ruff: noqa: RUF001  (lookalike and invisible characters are part of the generated texts)
"""The one-scan matcher is an exact prefilter: guards built with and without it decide the same,
to the finding, on every corpus in the repository and on generated text."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import guardwrap as gw
from guardwrap._text import _scan

ROOT = Path(__file__).resolve().parents[2]
os.environ.setdefault("GUARDWRAP_AUDIT_KEY", "scan-differential-key-0123456789ab")

pytestmark = pytest.mark.skipif(not _scan.AVAILABLE, reason="Hyperscan is not installed: there is one path only")

DENY = ["bypass kyc", "structure the deposits", "use a", "open an account", "move money", "smurfing",
        "money mule", "fake id", "avoid the ctr", "front running"]


def validators() -> list[Any]:
    return [
        gw.InvisibleText(),
        gw.PII(action="redact"),
        gw.DenyTerms(DENY, action="block"),
        gw.DenyTerms(["Bypass KYC"], case_sensitive=True, action="warn", name="deny_cs"),
        gw.DenyTerms(["kyc"], whole_word=False, action="warn", name="deny_sub"),
        gw.Topics({"crypto": ["bitcoin", "crypto margin"], "advice": ["which stocks"]}, action="warn"),
        gw.Secrets(action="redact"),
        gw.PromptInjection(action="warn"),
        gw.MaxLength(chars=100_000),
    ]


def build(enabled: bool, mode: str = "enforce") -> tuple[gw.Guard, gw.Guard]:
    old = _scan.ENABLED
    _scan.ENABLED = enabled
    try:
        guard = gw.Guard("diff", input=validators(), mode=mode)
        out = gw.Guard("diff-out", output=validators()[1:], mode=mode)
    finally:
        _scan.ENABLED = old
    return guard, out


WITH = build(True)
WITHOUT = build(False)
assert WITH[0]._in.matcher is not None and WITHOUT[0]._in.matcher is None


def summary(d: gw.Decision) -> Any:
    return (d.outcome, d.text, d.reasons,
            [(s.validator, s.outcome, s.reasons, [(f.kind, f.start, f.end) for f in s.findings]) for s in d.steps])


def same(text: str) -> None:
    for i, stage in ((0, "input"), (1, "output")):
        a = WITH[i].check(text, stage=stage)
        b = WITHOUT[i].check(text, stage=stage)
        assert summary(a) == summary(b), text[:200]


def corpora() -> Iterator[str]:
    for path in sorted((ROOT / "src/guardwrap/data/redteam").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield json.loads(line)["text"]
    for path in sorted((ROOT / "benchmarks/data").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line.strip() else {}
            for key in ("text", "answer"):
                if isinstance(row.get(key), str):
                    yield row[key]
    for path in sorted((ROOT / "examples/policies").glob("*CASES*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            yield case["text"]


def test_every_corpus_in_the_repository() -> None:
    n = 0
    for text in corpora():
        same(text)
        n += 1
    assert n > 500


def test_the_bypass_matrix_texts() -> None:
    from test_bypass_matrix import SECRETS, TRANSFORMS

    for _, value, sentence in SECRETS:
        for _, fn, _ in TRANSFORMS:
            same(sentence.format(fn(value)))


WORDS = ["bypass", "kyc", "use", "a", "an", "open", "account", "move", "money", "ignore", "previous",
         "instructions", "api_key", "password", "=", "sk-", "AKIA", "bitcoin", "4111", "1111", "@",
         "example.org", "b y p a s s", "k.y.c", "\u200b", "ｂｙｐａｓｓ", "\n", "  ", "-", "_", "BYPASS", "KYC",
         "mule", "structure", "the", "deposits", "fake", "id", "which", "stocks", "%40", "&#52;", "\\u0034"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=8)), max_size=40),
       st.sampled_from([" ", "", "  ", "\n", "-"]))
def test_generated_text(parts: list[str], sep: str) -> None:
    same(sep.join(parts))


SPACED_PARTS = ["b", "y", "p", "a", "s", "K", "1", "4", "bypass", "kyc", " ", "  ", "   ", "    ", ".", "..",
                "-", "_", "*", "/", "|", "·", ",", "\n", "\t", "x y", "b.y.p", "b-y-p-a-s-s"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(SPACED_PARTS), max_size=30))
def test_the_spaced_letters_hint_fires_wherever_letters_are_joined(parts: list[str]) -> None:
    """The scan's hint for spaced-out letters is what lets a term matcher run on a text whose view
    joins a run ("b y p a s s"): it must fire on every ASCII view that has one."""
    from guardwrap._terms import TermMatcher

    text = "".join(parts)
    m = TermMatcher(["bypass", "kyc"])
    matcher = _scan.compile_matcher([(0, m.scan_patterns())])
    assert matcher is not None
    hits = matcher.scan_view(text)
    view, _, runs = m._norm.view_runs(text)
    if hits is None or not view.isascii():
        return  # not scanned: the matcher scans the text itself
    if runs:
        assert any(index == 1 for index, _, _ in hits.get(0)), text
    same(text)
