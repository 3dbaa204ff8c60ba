"""``guard.wrap`` as a decorator factory and ``returns=``: the runtime side of the typed surface."""

from __future__ import annotations

import asyncio

import pytest
from pydantic import BaseModel

import guardwrap as gw


class Answer(BaseModel):
    text: str


def test_returns_gives_the_validated_object_sync_and_async():
    guard = gw.Guard("g", output=[gw.JsonSchema(Answer)])

    def call_model(question: str) -> str:
        return '{"text": "fine"}'

    async def acall_model(question: str) -> str:
        return '{"text": "fine"}'

    assert guard.wrap(call_model, returns=Answer)("q") == Answer(text="fine")
    assert asyncio.run(guard.wrap(acall_model, returns=Answer)("q")) == Answer(text="fine")


def test_wrap_without_a_function_is_a_decorator():
    guard = gw.Guard("g", input=[gw.PII(entities=["EMAIL_ADDRESS"], action="redact")],
                     output=[gw.JsonSchema(Answer)])
    seen = []

    @guard.wrap(prompt="question", returns=Answer)
    def ask(context: str, question: str) -> str:
        seen.append((context, question))
        return '{"text": "ok"}'

    assert ask("ctx a@b.example", "mail a@b.example") == Answer(text="ok")
    assert seen == [("ctx a@b.example", "mail <EMAIL_ADDRESS>")]  # only the named argument is guarded
    assert ask.__name__ == "ask" and ask.guard is guard


@pytest.mark.parametrize(
    ("guard_kwargs", "fn_kind", "message"),
    [
        ({}, "def", "no output JsonSchema"),
        ({"output": [gw.JsonSchema(Answer)], "mode": "shadow"}, "def", "shadow guard"),
        ({"output": [gw.JsonSchema(Answer)]}, "gen", "a stream yields text"),
        ({"output": [gw.JsonSchema(Answer)]}, "agen", "a stream yields text"),
    ],
)
def test_returns_that_cannot_hold_is_refused_when_wrapping(guard_kwargs, fn_kind, message):
    guard = gw.Guard("g", **guard_kwargs)

    def plain(prompt: str) -> str:
        return prompt

    def gen(prompt: str):
        yield prompt

    async def agen(prompt: str):
        yield prompt

    fn = {"def": plain, "gen": gen, "agen": agen}[fn_kind]
    with pytest.raises(gw.PolicyError, match=message) as info:
        guard.wrap(fn, returns=Answer)
    assert "returns" in str(info.value)


def test_returns_must_be_a_type():
    guard = gw.Guard("g", output=[gw.JsonSchema(Answer)])
    with pytest.raises(gw.PolicyError, match="must be a type"):
        guard.wrap(lambda p: p, returns="Answer")  # type: ignore[call-overload]
