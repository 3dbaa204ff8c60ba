# ruff: noqa: RUF001  (lookalike and invisible characters are what these tests are about)
"""The bypass matrix: ordinary and copy-paste transforms of protected values, sent through every
channel a model sees, must never reach the model (input) or the caller (output, stream, tool-call
arguments) in a recoverable form. Synthetic values only.

A *leak* is judged independently of the guard's own logic: what the wrapped function received
(or what the caller got back), read through the canonical view, still holds the value's digits
(numbers), its personal part (e-mail), the encoded token (base64/hex), or the call went ahead at
all (a deny term with action ``block``).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

import guardwrap as gw
from guardwrap._text import canonical
from guardwrap._walk import walk

ROOT = Path(__file__).resolve().parents[2]
os.environ.setdefault("GUARDWRAP_AUDIT_KEY", "bypass-matrix-test-key-0123456789")

# -- protected values (synthetic): (name, value, sentence around it, kind) ---------------------

SECRETS: list[tuple[str, str, str]] = [
    ("card", "4111 1111 1111 1111", "my card is {} thanks"),
    ("card2", "5555 5555 5555 4444", "pay with card {} now"),
    ("ssn", "864-24-5962", "my SSN is {} ok"),
    ("email", "ann.smith@example.org", "email me: {} please"),
    ("iban", "DE89 3704 0044 0532 0130 00", "my IBAN is {} ok"),
    ("phone", "+44 20 7946 0958", "call me on {} today"),
    ("deny", "bypass kyc", "how do I {} quickly"),
]
NUMERIC = {"card", "card2", "ssn", "iban", "phone"}

# -- transforms of the value: (name, function, applies to) ------------------------------------

FULLWIDTH = {c: chr(ord(c) + 0xFEE0) for c in map(chr, range(0x21, 0x7F))}


def _digits(base: int) -> Callable[[str], str]:
    return lambda v: "".join(chr(base + int(c)) if c.isdigit() else c for c in v)


def _between(sep: str) -> Callable[[str], str]:
    return lambda v: sep.join(v)


def _spaces(sep: str) -> Callable[[str], str]:
    return lambda v: v.replace(" ", sep)


def _dashes(d: str) -> Callable[[str], str]:
    return lambda v: v.replace("-", d).replace(" ", d) if any(c.isdigit() for c in v) else v.replace(" ", d)


def _mid_break(br: str) -> Callable[[str], str]:
    def f(v: str) -> str:
        i = v.find(" ", len(v) // 3)
        return v if i < 0 else v[:i] + br + v[i + 1:]
    return f


CYRILLIC = str.maketrans({"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і",
                          "s": "ѕ", "A": "А", "E": "Е", "O": "О", "P": "Р", "C": "С", "B": "В", "K": "К"})
SMALL_CAPS = str.maketrans({"b": "ʙ", "y": "ʏ", "p": "ᴘ", "a": "ᴀ", "s": "ꜱ", "k": "ᴋ", "c": "ᴄ"})

TRANSFORMS: list[tuple[str, Callable[[str], str], Callable[[str], bool]]] = [
    ("identity", lambda v: v, lambda k: True),
    ("fullwidth", lambda v: "".join(FULLWIDTH.get(c, c) for c in v), lambda k: True),
    ("fullwidth-digits-ideographic-space", lambda v: "".join(FULLWIDTH.get(c, c) for c in v).replace(" ", "\u3000"),
     lambda k: k in NUMERIC),
    ("arabic-indic-digits", _digits(0x0660), lambda k: k in NUMERIC),
    ("devanagari-digits", _digits(0x0966), lambda k: k in NUMERIC),
    ("bengali-digits", _digits(0x09E6), lambda k: k in NUMERIC),
    ("math-bold-digits", _digits(0x1D7CE), lambda k: k in NUMERIC),
    ("thin-space", _spaces("\u2009"), lambda k: True),
    ("nbsp", _spaces("\u00a0"), lambda k: True),
    ("narrow-nbsp", _spaces("\u202f"), lambda k: True),
    ("figure-space", _spaces("\u2007"), lambda k: True),
    ("em-space", _spaces("\u2003"), lambda k: True),
    ("unicode-hyphen", _dashes("\u2010"), lambda k: k in NUMERIC),
    ("non-breaking-hyphen", _dashes("\u2011"), lambda k: k in NUMERIC),
    ("en-dash", _dashes("\u2013"), lambda k: k in NUMERIC),
    ("minus-sign", _dashes("\u2212"), lambda k: k in NUMERIC),
    ("zero-width-space", _between("\u200b"), lambda k: True),
    ("zero-width-joiner", _between("\u200d"), lambda k: True),
    ("word-joiner", _between("\u2060"), lambda k: True),
    ("bom", _between("\ufeff"), lambda k: True),
    ("soft-hyphen", _between("\u00ad"), lambda k: True),
    ("mongolian-vs", _between("\u180b"), lambda k: True),
    ("variation-selector", _between("\ufe0f"), lambda k: True),
    ("combining-grapheme-joiner", _between("\u034f"), lambda k: True),
    ("combining-underline", lambda v: "".join(c + "\u0332" if c.isalnum() else c for c in v), lambda k: True),
    ("tab-separated", lambda v: v.replace(" ", "\t").replace("-", "\t"), lambda k: k in NUMERIC),
    ("wide-spaces", lambda v: v.replace(" ", "   ").replace("-", "  "), lambda k: k in NUMERIC),
    ("digit-by-digit", lambda v: " ".join(c for c in v if c.isdigit()), lambda k: k in ("card", "card2", "ssn")),
    ("line-break", _mid_break("\n"), lambda k: k in NUMERIC),
    ("crlf-indented", _mid_break("\r\n   "), lambda k: k in NUMERIC),
    ("line-separator", _mid_break("\u2028"), lambda k: k in NUMERIC),
    ("lower-case", str.lower, lambda k: k in ("iban", "deny")),
    ("upper-case", str.upper, lambda k: k in ("email", "deny")),
    ("cyrillic-lookalikes", lambda v: v.translate(CYRILLIC), lambda k: k in ("email", "iban", "deny")),
    ("small-capitals", lambda v: v.translate(SMALL_CAPS), lambda k: k == "deny"),
    ("fullwidth-at", lambda v: v.replace("@", "＠").replace(".", "．"), lambda k: k == "email"),
    ("url-encoded-at", lambda v: v.replace("@", "%40"), lambda k: k == "email"),
    ("url-encoded-all", lambda v: "".join(f"%{ord(c):02X}" for c in v), lambda k: True),
    ("html-decimal", lambda v: "".join(f"&#{ord(c)};" for c in v), lambda k: True),
    ("html-hex", lambda v: "".join(f"&#x{ord(c):x};" for c in v), lambda k: True),
    ("html-named-at", lambda v: v.replace("@", "&commat;").replace(".", "&period;"), lambda k: k == "email"),
    ("json-escapes", lambda v: "".join(f"\\u{ord(c):04x}" for c in v), lambda k: True),
    ("spelled-at-dot", lambda v: v.replace("@", " [at] ").replace(".", " [dot] "), lambda k: k == "email"),
    ("spelled-at-dot-words", lambda v: v.replace("@", " at ").replace(".", " dot "), lambda k: k == "email"),
    ("spelled-at-parens", lambda v: v.replace("@", "(at)"), lambda k: k == "email"),
    ("spaced-at", lambda v: v.replace("@", " @ "), lambda k: k == "email"),
    ("spaced-at-and-dot", lambda v: v.replace("@", " @ ").replace(".org", " . org"), lambda k: k == "email"),
    ("markdown-bold", lambda v: f"**{v}**", lambda k: True),
    ("backticks", lambda v: f"`{v}`", lambda k: True),
    ("quoted", lambda v: f'"{v}"', lambda k: True),
    ("parenthesised", lambda v: f"({v})", lambda k: True),
    ("spaced-letters", lambda v: "  ".join(v.replace(" ", "")), lambda k: k == "deny"),
    ("dotted-letters", lambda v: ".".join(v.replace(" ", "")), lambda k: k == "deny"),
    ("base64", lambda v: base64.b64encode(v.encode()).decode(), lambda k: k != "deny"),
    ("hex", lambda v: v.encode().hex(), lambda k: k != "deny"),
]
ENCODED = {"base64", "hex"}


def _all_text(value: Any) -> str:
    return "".join(leaf.text for leaf in walk(value, max_leaves=100_000).leaves)


def leaked(secret: str, token: str, transform: str, got: Any) -> bool:
    """Whether ``got`` (what the model or the caller received) still holds ``token`` (the
    transformed value) in a form someone could read back."""
    raw = _all_text(got)
    if transform in ENCODED:
        return token in raw
    view = canonical(raw).folded
    value = dict((n, v) for n, v, _ in SECRETS)[secret]
    if secret in NUMERIC:
        digits = "".join(c for c in view if c.isdigit())
        return "".join(c for c in value if c.isdigit()) in digits
    if secret == "email":
        return "annsmith" in "".join(c for c in view if c.isalnum())
    raise AssertionError(secret)


# -- configurations ------------------------------------------------------------------------------

README_INPUT = [
    gw.PII(entities=["EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IBAN_CODE"], action="pseudonymize"),
    gw.DenyTerms(["bypass kyc", "structure the deposits"], action="block"),
    gw.PromptInjection(action="escalate"),
    gw.MaxLength(chars=8000),
]


def configs() -> dict[str, Callable[[], gw.Guard]]:
    return {
        "readme": lambda: gw.Guard("readme", input=README_INPUT),
        "hardened": lambda: gw.Guard("hardened", input=[gw.InvisibleText(), *README_INPUT]),
        "retail-policy": lambda: gw.Guard.from_policy(str(ROOT / "examples/policies/retail_banking.yaml"),
                                                      audit=None, review=None),
    }


class Msg:
    """A message object of some SDK: role and content attributes."""

    def __init__(self, role: str, content: Any) -> None:
        self.role = role
        self.content = content


class Request(BaseModel):
    question: str


def _split(text: str, token: str) -> tuple[str, str] | None:
    i = text.find(token)
    j = token.find(" ", len(token) // 3)
    if i < 0 or j < 0:
        return None
    return text[:i + j], text[i + j + 1:]


# channel name -> builds (args, kwargs) for `ask(*args, **kwargs)` from the text; None: not applicable
CHANNELS: dict[str, Callable[[str, str], tuple[tuple[Any, ...], dict[str, Any]] | None]] = {
    "first-arg": lambda t, tok: ((t,), {}),
    "second-arg": lambda t, tok: (("hello", t), {}),
    "keyword": lambda t, tok: ((), {"question": t}),
    "user-message": lambda t, tok: (([{"role": "user", "content": t}],), {}),
    "system-message": lambda t, tok: (([{"role": "system", "content": t}, {"role": "user", "content": "hi"}],), {}),
    "developer-message": lambda t, tok: (([{"role": "developer", "content": t}],), {}),
    "tool-message": lambda t, tok: (([{"role": "tool", "tool_call_id": "c1", "content": t}],), {}),
    "assistant-history": lambda t, tok: (([{"role": "assistant", "content": t}, {"role": "user", "content": "ok"}],), {}),
    "human-role": lambda t, tok: (([{"role": "human", "content": t}],), {}),
    "no-role": lambda t, tok: (([{"content": t}],), {}),
    "role-tuple": lambda t, tok: (([("user", t)],), {}),
    "message-object": lambda t, tok: (([Msg("user", t)],), {}),
    "content-part": lambda t, tok: (([{"role": "user", "content": [{"type": "text", "text": t}]}],), {}),
    "anthropic-tool-result": lambda t, tok: (([{"role": "user", "content": [
        {"type": "tool_result", "tool_use_id": "t1", "content": [{"type": "text", "text": t}]}]}],), {}),
    "pydantic-arg": lambda t, tok: ((Request(question=t),), {}),
    "nested-dict": lambda t, tok: (({"data": {"notes": [t]}},), {}),
    "split-messages": lambda t, tok: None if (p := _split(t, tok)) is None else (
        ([{"role": "user", "content": p[0]}, {"role": "user", "content": p[1]}],), {}),
}


def _run_input(guard: gw.Guard, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any | None:
    """What the model received, or None when the guard stopped the call."""
    seen: list[Any] = []

    def model(*a: Any, **k: Any) -> str:
        seen.append((a, k))
        return "ok"

    try:
        guard.wrap(model)(*args, **kwargs)
    except gw.Blocked:  # blocked, escalated, unreadable: nothing reached the model
        return None
    return seen[0]


CASES = [(s, t) for s, _, _ in SECRETS for t, _, applies in TRANSFORMS if applies(s)]
# Known gaps, each owned by an open piece of work; strict, so the marker goes when the gap closes.
GAPS: dict[tuple[str, str], str] = {}  # ("iban", "lower-case") closed by issue 12


def _params(cases: list[tuple[str, str]]) -> list[Any]:
    return [pytest.param(s, t, id=f"{s}-{t}", marks=[pytest.mark.xfail(strict=True, reason=GAPS[(s, t)])]
                         if (s, t) in GAPS else []) for s, t in cases]


@pytest.fixture(scope="module")
def guards() -> dict[str, gw.Guard]:
    return {name: make() for name, make in configs().items()}


@pytest.mark.parametrize("config", ["readme", "hardened", "retail-policy"])
@pytest.mark.parametrize(("secret", "transform"), _params(CASES))
def test_input_never_reaches_the_model(guards: dict[str, gw.Guard], config: str, secret: str, transform: str) -> None:
    value, sentence = next((v, s) for n, v, s in SECRETS if n == secret)
    fn = next(f for n, f, _ in TRANSFORMS if n == transform)
    token = fn(value)
    text = sentence.format(token)
    leaks = []
    for channel, build in CHANNELS.items():
        call = build(text, token)
        if call is None:
            continue
        got = _run_input(guards[config], *call)
        if got is None:
            continue
        if secret == "deny" or leaked(secret, token, transform, got):
            leaks.append(channel)
    assert leaks == [], f"{secret}/{transform} reached the model through {leaks}"


@pytest.mark.parametrize("number", [4111111111111111, 4111111111111111.0, {"card": 4111111111111111.0}])
def test_a_card_number_passed_as_a_number_is_checked(guards: dict[str, gw.Guard], number: Any) -> None:
    got = _run_input(guards["readme"], (number,), {})
    assert got is not None and "4111111111111111" not in _all_text(got)
    assert "4111111111111111" not in repr(got)


# -- output: answers, streams and tool-call arguments ----------------------------------------------


class Answer(BaseModel):
    text: str


def output_guard() -> gw.Guard:
    return gw.Guard("out", output=[
        gw.JsonSchema(Answer, action="reask", max_reasks=1),
        gw.RegexRule(r"(?i)\bguaranteed returns?\b", action="block", reason="no-performance-promises"),
        gw.DenyTerms(["bypass kyc"], action="block"),
        gw.PII(action="redact"),
    ])


def stream_guard() -> gw.Guard:
    return gw.Guard("stream", output=[
        gw.RegexRule(r"(?i)\bguaranteed returns?\b", action="block", reason="no-promises", max_match=40),
        gw.DenyTerms(["bypass kyc"], action="block"),
        gw.PII(action="redact"),
    ])


OUT_CASES = [c for c in CASES if c[1] not in ENCODED or c[0] != "deny"]


@pytest.mark.parametrize(("secret", "transform"), _params(OUT_CASES))
def test_output_never_reaches_the_caller(secret: str, transform: str) -> None:
    value, sentence = next((v, s) for n, v, s in SECRETS if n == secret)
    token = next(f for n, f, _ in TRANSFORMS if n == transform)(value)
    answer = sentence.format(token)
    results = []
    # a JSON answer (json.dumps writes non-ASCII as \\u escapes), validated into a model
    g = output_guard()
    with contextlib.suppress(gw.Blocked):
        results.append(("json", g.wrap(lambda q: json.dumps({"text": answer}))("q")))
    # a structured answer: a dict, and the value split over two list items at one of its spaces
    with contextlib.suppress(gw.Blocked):
        results.append(("dict", g.wrap(lambda q: {"answer": answer, "n": 1})("q")))
    parts = _split(answer, token)  # the value cut at one of its spaces, as the input channels do
    if parts is not None:
        with contextlib.suppress(gw.Blocked):
            results.append(("list-split", g.wrap(lambda q: list(parts))("q")))
    # streams, in chunks of several sizes
    sg = stream_guard()
    for size in (1, 3, 7, 64):
        def gen(q: str, size: int = size) -> Any:
            for i in range(0, len(answer), size):
                yield answer[i:i + size]
        with contextlib.suppress(gw.Blocked):
            results.append((f"stream-{size}", "".join(sg.wrap(gen)("q"))))
    leaks = [name for name, got in results if secret == "deny" or leaked(secret, token, transform, got)]
    assert leaks == [], f"{secret}/{transform} reached the caller through {leaks}"


class ToolAdapter(gw.OutputAdapter):
    """A model result with a text and one tool call's JSON arguments."""

    def get(self, result: Any) -> str | None:
        return str(result["content"])

    def set(self, result: Any, text: str, value: Any = None) -> Any:
        return {**result, "content": text}

    def tool_texts(self, result: Any) -> list[str]:
        return [result["arguments"]]

    def set_parts(self, result: Any, text: str, parts: list[str], value: Any = None) -> Any:
        return {**result, "content": text, "arguments": parts[0]}


TOOL_SECRETS = ["card", "card2", "iban", "ssn", "phone", "email"]


@pytest.mark.parametrize("secret", TOOL_SECRETS)
@pytest.mark.parametrize("transform", ["identity", "fullwidth", "arabic-indic-digits", "thin-space", "zero-width-space"])
def test_tool_call_arguments_are_walked(secret: str, transform: str) -> None:
    value = next(v for n, v, _ in SECRETS if n == secret)
    token = next(f for n, f, _ in TRANSFORMS if n == transform)(value)
    g = gw.Guard("tools", output=[gw.PII(action="redact")])
    shapes = [
        {"card": token},
        {"details": {"value": token, "note": "x"}},
        {"parts": token.replace("\u200b", "").split(" ") if " " in value else [token]},
        {"parts": [int(p) if p.isdigit() else p for p in value.split(" ")]} if transform == "identity" else {"v": token},
    ]
    for args in shapes:
        raw = json.dumps(args, ensure_ascii=False)
        out = g.wrap(lambda q, raw=raw: {"content": "done", "arguments": raw}, output=ToolAdapter())("q")
        assert not leaked(secret, token, transform, json.loads(out["arguments"])), (args, out["arguments"])
