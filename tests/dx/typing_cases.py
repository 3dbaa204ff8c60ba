"""Type-checked, never run: ``test_typing.py`` runs ``mypy --strict`` on this file.

A line ending in ``# E: <code>`` must get exactly that mypy error; every other line must get none.
``assert_type`` lines fail (as errors) when the inferred type differs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Coroutine, Iterator
from typing import Any

from pydantic import BaseModel
from typing_extensions import assert_type

import guardwrap as gw


class Answer(BaseModel):
    text: str


guard = gw.Guard("typed", input=[gw.PII(action="redact")], output=[gw.JsonSchema(Answer)])
plain = gw.Guard("plain", input=[gw.MaxLength(chars=100)])


# -- @guard keeps the wrapped signature: sync, async, generator, async generator ----------------

@plain
def ask(prompt: str, *, temperature: float = 0.0) -> str:
    return prompt


@plain
async def aask(prompt: str) -> str:
    return prompt


@plain
def stream(prompt: str) -> Iterator[str]:
    yield prompt


@plain
async def astream(prompt: str) -> AsyncIterator[str]:
    yield prompt


assert_type(ask("hi"), str)
assert_type(ask("hi", temperature=0.2), str)
assert_type(stream("hi"), Iterator[str])
assert_type(astream("hi"), AsyncIterator[str])

ask(1, 2, 3)  # E: call-arg, arg-type
ask(42)  # E: arg-type
ask("hi", temprature=0.2)  # E: call-arg
ask()  # E: call-arg
bad = aask(b"bytes")  # E: arg-type
stream("a", "b")  # E: call-arg
n: int = ask("hi")  # E: assignment
# Per-call context is a keyword the wrapped function does not declare: type-checked code uses
# `with gw.context(...)` instead.
ask("hi", gw_context={"request_id": "r-1"})  # E: call-arg
with gw.context(request_id="r-1"):
    assert_type(ask("hi"), str)


# -- guard.wrap: with and without the function, prompt= and returns= ------------------------------

def call_model(question: str, system: str = "") -> str:
    return '{"text": "ok"}'


async def acall_model(question: str) -> str:
    return '{"text": "ok"}'


wrapped = plain.wrap(call_model, prompt="question")
assert_type(wrapped("q", system="s"), str)
wrapped(question=1)  # E: arg-type

typed = guard.wrap(call_model, returns=Answer)
assert_type(typed("q"), Answer)
field = typed("q").txt  # E: attr-defined
atyped = guard.wrap(acall_model, returns=Answer)


@guard.wrap(returns=Answer)
def ask_answer(prompt: str) -> str:
    return '{"text": "ok"}'


@plain.wrap(prompt="question")
def ask_question(context: str, question: str) -> str:
    return question


assert_type(ask_answer("q"), Answer)
assert_type(ask_question("c", "q"), str)
ask_answer(None)  # E: arg-type
ask_question("c")  # E: call-arg


async def awaits() -> None:
    assert_type(await aask("hi"), str)
    assert_type(await atyped("q"), Answer)
    assert_type([piece async for piece in astream("hi")], list[str])
    await aask(3)  # E: arg-type


coroutine: Coroutine[Any, Any, Answer] = atyped("q")
wrong: Coroutine[Any, Any, str] = atyped("q")  # E: assignment


# -- methods stay methods ---------------------------------------------------------------------------

class Bot:
    @plain
    def reply(self, prompt: str) -> str:
        return prompt


assert_type(Bot().reply("hi"), str)
Bot().reply(3)  # E: arg-type


# -- the rest of the surface is typed too --------------------------------------------------------------

assert_type(plain.check("text"), gw.Decision)
assert_type(plain.check("text").outcome, str)
gw.Guard("g", mode=1)  # E: arg-type
gw.Retry(attempts="3")  # E: arg-type


@gw.validator(name="no-acct", stage="input", action="block")
def no_acct(text: str, ctx: gw.CallContext) -> gw.Result | None:
    return gw.Result.fail("account-number") if "acct#" in text else None


gw.Guard("v", input=[no_acct])
