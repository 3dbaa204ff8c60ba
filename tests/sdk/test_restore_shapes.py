"""Pseudonyms come back in every answer shape a guarded call returns, not only in its text."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from typing import NamedTuple

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, Field, field_validator

import guardwrap as gw
from guardwrap._anonymize import Vault
from guardwrap._restore import RestoreError, restore_value

CARD = "4111 1111 1111 1111"
PROMPT = f"My card {CARD} was charged twice"


def pseudo_guard(*output):
    return gw.Guard("restore", input=[gw.PII(entities=["CREDIT_CARD"], action="pseudonymize")], output=list(output))


def placeholder_of(prompt: str) -> str:
    return prompt.split("card ")[1].split(" was")[0]


class Answer(BaseModel):
    text: str
    cards: list[str] = []


class Strict(BaseModel):
    text: str = Field(max_length=40)


class Shouting(BaseModel):
    text: str

    @field_validator("text")
    @classmethod
    def loud(cls, v: str) -> str:
        return v.upper()


def test_schema_answer_gets_the_real_values_back():
    guard = pseudo_guard(gw.JsonSchema(Answer))
    seen = []

    @guard
    def ask(prompt: str) -> str:
        seen.append(prompt)
        ph = placeholder_of(prompt)
        return json.dumps({"text": f"Refund for {ph} is on its way", "cards": [ph]})

    a = ask(PROMPT)
    assert CARD not in seen[0] and "<CREDIT_CARD_1>" in seen[0]
    assert isinstance(a, Answer)
    assert a.text == f"Refund for {CARD} is on its way" and a.cards == [CARD]


def test_schema_dict_answer_walks_keys_and_values():
    schema = {"type": "object", "properties": {"note": {"type": "string"}}, "additionalProperties": {"type": "string"}}
    guard = pseudo_guard(gw.JsonSchema(schema))

    @guard
    def ask(prompt: str) -> str:
        ph = placeholder_of(prompt)
        return json.dumps({"note": f"card {ph}", ph: "key"})

    assert ask(PROMPT) == {"note": f"card {CARD}", CARD: "key"}


def test_async_schema_answer_is_restored():
    guard = pseudo_guard(gw.JsonSchema(Answer, action="fix"))

    @guard
    async def ask(prompt: str) -> str:
        return 'Sure: ' + json.dumps({"text": placeholder_of(prompt)})

    assert asyncio.run(ask(PROMPT)) == Answer(text=CARD)


def test_model_is_rebuilt_through_validation():
    guard = pseudo_guard(gw.JsonSchema(Shouting))

    @guard
    def ask(prompt: str) -> str:
        return json.dumps({"text": f"card {placeholder_of(prompt)} ok"})

    # the validator ran again on the real value (the placeholder was upper case already)
    assert ask("My card 4111-1111-1111-1111 was charged twice").text == "CARD 4111-1111-1111-1111 OK"


def test_real_values_that_break_the_model_block_without_quoting_them():
    long_card = "4111 1111 1111 1111"
    guard = pseudo_guard(gw.JsonSchema(Strict))
    sink = gw.MemorySink()
    guard = gw.Guard("restore", input=guard.input, output=guard.output, audit=sink)

    @guard
    def ask(prompt: str) -> str:
        # 37 chars with the placeholder, 41 with the real card: over max_length=40 only when restored
        return json.dumps({"text": f"aaaaaaaaaaaaaaaaaaaaa {placeholder_of(prompt)}"})

    with pytest.raises(gw.Blocked) as ei:
        ask(f"My card {long_card} was charged twice")
    assert "invalid-after-restore" in ei.value.decision.reasons
    assert long_card not in str(ei.value) and "Strict" in str(ei.value)
    guard.flush()
    (call,) = sink.of_type("call")
    assert call["outcome"] == "blocked"


def test_function_returning_a_model_or_dict_without_output_validators_is_restored():
    guard = pseudo_guard()

    @guard
    def model(prompt: str) -> Answer:
        return Answer(text=f"card {placeholder_of(prompt)}")

    @guard
    def mapping(prompt: str) -> dict:
        return {"reply": [f"card {placeholder_of(prompt)}"]}

    assert model(PROMPT) == Answer(text=f"card {CARD}")
    assert mapping(PROMPT) == {"reply": [f"card {CARD}"]}


def test_shadow_mode_returns_what_the_function_returned():
    guard = gw.Guard("s", input=[gw.PII(entities=["CREDIT_CARD"], action="pseudonymize")],
                     output=[gw.JsonSchema(Answer)], mode="shadow")

    @guard
    def ask(prompt: str) -> str:
        return json.dumps({"text": prompt})

    assert ask(PROMPT) == json.dumps({"text": PROMPT})  # shadow: decided and audited, never changed


# -- the walker itself ------------------------------------------------------------------------------


class Pair(NamedTuple):
    a: str
    b: int


@dataclasses.dataclass(frozen=True)
class Rec:
    who: str
    tags: tuple[str, ...] = ()
    hidden: str = dataclasses.field(default="x", init=False)


def vault_with(*values: str) -> tuple[Vault, list[str]]:
    v = Vault()
    return v, [v.placeholder("CREDIT_CARD", x) for x in values]


def test_walker_shapes():
    v, (p1, p2) = vault_with("1111", "2222")
    value = {"l": [p1, 3, None, 1.5], "t": (p2,), "s": {p1}, "f": frozenset({p2}), "n": Pair(p1, 1),
             "d": Rec(p2, (p1,)), "m": Answer(text=p1, cards=[p2]), "b": b"<CREDIT_CARD_1>"}
    out = restore_value(value, v)
    assert out == {"l": ["1111", 3, None, 1.5], "t": ("2222",), "s": {"1111"}, "f": frozenset({"2222"}),
                   "n": Pair("1111", 1), "d": Rec("2222", ("1111",)), "m": Answer(text="1111", cards=["2222"]),
                   "b": b"<CREDIT_CARD_1>"}
    assert isinstance(out["n"], Pair)


def test_walker_returns_the_same_object_when_nothing_changes():
    v, _ = vault_with("1111")
    value = {"a": ["no placeholder", Answer(text="plain")], "b": Rec("x")}
    assert restore_value(value, v) is value
    assert restore_value(value, Vault()) is value


def test_walker_survives_cycles_and_depth():
    v, (p,) = vault_with("1111")
    loop: list = [p]
    loop.append(loop)
    out = restore_value(loop, v)
    assert out[0] == "1111"
    deep: list = [p]
    for _ in range(200):
        deep = [deep]
    restore_value(deep, v)  # bounded, no RecursionError


def test_walker_leaves_unknown_placeholders_and_other_vaults_alone():
    v, _ = vault_with("1111")
    assert restore_value({"x": "<CREDIT_CARD_9> <EMAIL_ADDRESS_1>"}, v) == {"x": "<CREDIT_CARD_9> <EMAIL_ADDRESS_1>"}


def test_walker_error_names_the_model_not_the_value():
    v, (p,) = vault_with("9" * 50)
    with pytest.raises(RestoreError) as ei:
        restore_value(Strict.model_construct(text=p), v)
    assert "9" * 50 not in str(ei.value) and "string_too_long" in str(ei.value)


@given(st.recursive(st.text(max_size=8) | st.sampled_from(["<CREDIT_CARD_1>", "<CREDIT_CARD_2>"]),
                    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=4), kids, max_size=4),
                    max_leaves=20))
def test_walker_equals_restoring_the_json_text(value):
    v, _ = vault_with("4111 1111 1111 1111", "5500 0000 0000 0004")
    # restoring every string of a JSON value == restoring its serialized text and parsing it back
    expected = json.loads(v.restore(json.dumps(value, ensure_ascii=False)))
    assert restore_value(value, v) == expected
