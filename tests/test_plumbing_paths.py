"""The guard's shortcuts against the general paths they skip: the same texts, decisions and
records.

- `Guard._call_in` (input validators only, nothing around the call) against `Guard._call`;
- `apply_spans` on findings already in order (no sort) against the sorting path;
- `Chain.run`'s findings and reasons (from the steps that did not pass) against every step's.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import guardwrap as gw
from guardwrap._anonymize import Vault, apply_spans, hash_token, mask_value, non_overlapping
from guardwrap._decision import Finding
from guardwrap._io import DEFAULT_OUTPUT, PromptSpec

_VOLATILE = {"ts", "event_id", "call_id", "latency_us", "model_us", "seq"}


def _stable(rec: Any) -> Any:
    if isinstance(rec, dict):
        return {k: _stable(v) for k, v in rec.items() if k not in _VOLATILE}
    if isinstance(rec, list):
        return [_stable(v) for v in rec]
    return rec


def _reference_spans(text: str, findings: list[Finding], action: str, vault: Vault | None = None) -> str:
    """`apply_spans` as it was before its shortcuts: sort, drop overlaps, rewrite each span."""
    parts: list[str] = []
    pos = 0
    for f in non_overlapping(findings):
        value = text[f.start:f.end]
        kind = f.kind
        if action == "redact":
            rep = f"<{kind}>"
        elif action == "mask":
            rep = mask_value(value)
        elif action == "hash":
            rep = hash_token(kind, value, b"k" * 32)
        else:
            assert vault is not None
            rep = vault.placeholder(kind, value)
        parts.append(text[pos:f.start])
        parts.append(rep)
        pos = f.end
    parts.append(text[pos:])
    return "".join(parts)


class _Kind(Finding):
    __slots__ = ()

    @property
    def kind(self) -> str:
        return "CUSTOM"


spans = st.lists(st.tuples(st.integers(-3, 60), st.integers(-3, 60), st.sampled_from(["EMAIL_ADDRESS", "", None]),
                           st.sampled_from(["deny", None]), st.booleans()), max_size=8)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=60), raw=spans, action=st.sampled_from(["redact", "mask", "hash", "pseudonymize"]),
       ordered=st.booleans(), as_list=st.booleans())
def test_apply_spans_matches_the_sorting_path(text: str, raw: list[Any], action: str, ordered: bool,
                                              as_list: bool) -> None:
    fs = [(_Kind if custom else Finding)(et, a, b, rule=rule) for a, b, et, rule, custom in raw]
    if ordered:  # what validators report: in order, no overlaps (the shortcut's case)
        fs = non_overlapping(fs)
    arg: Any = fs if as_list else tuple(fs)
    got = apply_spans(text, arg, action, vault=Vault(), hash_key=b"k" * 32)
    assert got == _reference_spans(text, fs, action, Vault())


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(st.text(max_size=80), st.text(alphabet="ab \u00e9\u65e5\U0001f600", max_size=80)),
       raw=st.lists(st.tuples(st.integers(-2, 90), st.integers(-2, 90),
                              st.sampled_from(["EMAIL_ADDRESS", "", None, "\u00c9TAT", "\u65e5", "\U0001f600"]),
                              st.sampled_from(["deny", None, "", "r\u00e8gle"])), max_size=10),
       ordered=st.booleans(), as_list=st.booleans())
def test_redact_kernel_matches_the_python_path(text: str, raw: list[Any], ordered: bool, as_list: bool) -> None:
    """`_cfold.redact` (`apply_spans` with ``redact``) == the Python path and the reference, for
    texts and kinds of every string width; on findings in order that lie in the text it answers
    (no fallback), otherwise it hands back None."""
    from guardwrap import _anonymize

    cf = _anonymize._cf
    if cf is None:
        pytest.skip("the C kernel is not built (or GUARDWRAP_PURE_PYTHON)")
    fs = [Finding(et, a, b, rule=rule) for a, b, et, rule in raw]
    if ordered:
        fs = non_overlapping(fs)
    arg: Any = fs if as_list else tuple(fs)
    want = _reference_spans(text, fs, "redact")
    got = cf.redact(text, arg, Finding)
    ends = [0, *(f.end for f in fs)]
    fits = all(ends[i] <= f.start < f.end <= len(text) for i, f in enumerate(fs))
    assert (got is not None) == fits
    if got is not None:
        assert got == want
    assert apply_spans(text, arg, "redact") == want
    _anonymize._cf = None
    try:
        assert apply_spans(text, arg, "redact") == want
    finally:
        _anonymize._cf = cf
    assert cf.redact(text, iter(fs), Finding) is None  # not a list or tuple
    assert cf.redact(text, [_Kind("X", 0, 1)], Finding) is None  # not exactly a Finding


def test_redact_kernel_makes_the_narrowest_str() -> None:
    """The redacted text is of the narrowest kind its characters need (as str equality requires):
    the wide characters redacted away leave ASCII or Latin-1; a wide kind widens it."""
    from guardwrap import _anonymize

    for text, spans, kind in [("card \uff14\uff11 ok", [(5, 7)], "CREDIT_CARD"), ("\u00e9 \u65e5 x", [(2, 3)], "K"),
                              ("a \U0001f600 b", [(2, 3)], "E"), ("ab", [(0, 1)], "\u65e5"), ("\u00e9\u00e9", [(0, 2)], "K"),
                              ("x \U0001f600\u65e5\u00e9", [(2, 4)], "K"), ("plain", [(0, 5)], "\u00c9")]:
        fs = [Finding(kind, a, b) for a, b in spans]
        want = _reference_spans(text, fs, "redact")
        got = apply_spans(text, fs, "redact")
        assert got == want and got.isascii() == want.isascii()
        assert _anonymize._cf is None or _anonymize._cf.redact(text, fs, Finding) == want


def _validators(action: str) -> list[Any]:
    return [gw.PII(["EMAIL_ADDRESS", "CREDIT_CARD", "US_SSN", "PHONE_NUMBER"], action=action),
            gw.DenyTerms(["bypass kyc", "money mule", "use a"], action="block"),
            gw.MaxLength(chars=400)]


_TEXTS = st.one_of(
    st.text(max_size=80),
    st.lists(st.sampled_from(["mail ann@example.org", "card 4111 1111 1111 1111", "ssn 078-05-1120", "hello",
                              "bypass kyc", "please use a pen", "call +1 212 555 0100", "x" * 90, "money  mule",
                              "\u200bbypass\u200b kyc"]), max_size=6).map(" ".join))


def _run(path: str, mode: str, answer: str, texts: list[str]) -> tuple[Any, ...]:
    sink = gw.MemorySink(layout="call")
    action = "pseudonymize" if answer in ("echo", "echo-dict") else "redact"
    guard = gw.Guard("g", input=_validators(action), audit=sink, mode=mode)
    seen: list[tuple[Any, ...]] = []

    def model(*prompts: str) -> Any:
        seen.append(prompts)
        if answer == "error":
            raise KeyError("model failed")
        if answer == "none":
            return {"text": "ok"}
        if answer == "stream":
            return iter(["an ", "answer"])
        if answer == "echo":  # placeholders in the answer: restored for the caller
            return " | ".join(prompts)
        if answer == "echo-dict":
            return {"said": list(prompts)}
        return "an answer"

    # (the wrapper a guard like this one builds takes the shortcut)
    assert "_call_in" in guard.wrap(model).__code__.co_names
    spec = PromptSpec(model, None, guard.unchecked_roles)
    try:
        if path == "_call_in":
            out: Any = guard._call_in(spec, model, tuple(texts), {})
        else:
            out = guard._call(spec, DEFAULT_OUTPUT, model, tuple(texts), {})
        if answer == "stream":
            out = list(out)
        outcome: Any = ("ok", out)
    except (gw.Blocked, KeyError) as exc:
        outcome = ("raised", type(exc).__name__, getattr(getattr(exc, "decision", None), "reasons", None))
    guard.close()
    assert sink.records
    return outcome, seen, [_stable(r) for r in sink.records]


@pytest.mark.parametrize("mode", ["enforce", "shadow"])
@pytest.mark.parametrize("answer", ["plain", "none", "error", "stream", "echo", "echo-dict"])
@settings(max_examples=25, deadline=None)
@given(texts=st.lists(_TEXTS, min_size=1, max_size=3))
def test_call_in_matches_the_general_call(mode: str, answer: str, texts: list[str]) -> None:
    """A guard with input validators only answers and audits through `_call_in` exactly as
    through `_call`: the same result or exception, the same texts reaching the model, the same
    call records (ids, times and latencies aside)."""
    assert _run("_call_in", mode, answer, texts) == _run("_call", mode, answer, texts)
