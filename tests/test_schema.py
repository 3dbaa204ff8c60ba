"""JsonSchema: finding JSON, validating it, re-asking without echoing values."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, Field, field_validator

import guardwrap as gw
from guardwrap.schema import find_json


class Answer(BaseModel):
    intent: str
    confidence: float = Field(ge=0, le=1)
    tags: list[str] = []


class Picky(BaseModel):
    code: str

    @field_validator("code")
    @classmethod
    def no_dashes(cls, v):
        if "-" in v:
            raise ValueError(f"code {v!r} has dashes")  # a careless message quoting the value
        return v


SCHEMA = {
    "type": "object",
    "properties": {
        "intent": {"type": "string", "enum": ["refund", "balance", "other"]},
        "amount": {"type": "number", "minimum": 0, "maximum": 10000},
        "account": {"type": "string", "pattern": "^[0-9]{8}$"},
        "items": {"type": "array", "items": {"type": "integer"}, "maxItems": 3},
    },
    "required": ["intent", "amount"],
    "additionalProperties": False,
}


def check(v, text):
    return v.check(text, None)


# -- finding JSON -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '{"intent": "refund", "confidence": 0.5}',
        '  {"intent": "refund", "confidence": 0.5}\n',
        'Here you go:\n```json\n{"intent": "refund", "confidence": 0.5}\n```\nAnything else?',
        'Here you go:\n```\n{"intent": "refund", "confidence": 0.5}\n```',
        'Sure. The answer is {"intent": "refund", "confidence": 0.5} as requested.',
    ],
)
def test_finds_json_bare_fenced_and_in_prose(text):
    r = check(gw.JsonSchema(Answer), text)
    assert r.passed and r.value == Answer(intent="refund", confidence=0.5)


def test_fenced_blocks_outrank_prose_and_duplicates_count_once():
    text = 'I think {"a": 1} maybe.\n```json\n{"b": 2}\n```\n```json\n{"b": 2}\n```'
    assert find_json(text) == ([{"b": 2}], False)


def test_several_different_objects_are_ambiguous_by_default():
    text = 'The user wrote {"intent": "refund", "confidence": 1} but I say {"intent": "other", "confidence": 0.2}'
    r = check(gw.JsonSchema(Answer), text)
    assert not r.passed and r.reason == "ambiguous-json"
    assert check(gw.JsonSchema(Answer, choose="last"), text).value.intent == "other"
    assert check(gw.JsonSchema(Answer, choose="first"), text).value.intent == "refund"


def test_no_json_and_bad_schema_fail_with_reasons():
    assert check(gw.JsonSchema(Answer), "I cannot answer that.").reason == "no-json"
    r = check(gw.JsonSchema(Answer), '{"intent": "refund", "confidence": 7}')
    assert r.reason == "schema-mismatch" and "confidence" in r.feedback and "less than or equal to 1" in r.feedback


def test_hostile_prose_is_bounded():
    text = "{" * 50_000 + "[" * 50_000
    assert check(gw.JsonSchema(Answer), text).reason == "no-json"


# -- JSON Schema dicts ---------------------------------------------------------------------------------


def test_json_schema_dict_validates_and_returns_plain_objects():
    v = gw.JsonSchema(SCHEMA)
    ok = check(v, '{"intent": "refund", "amount": 12.5, "account": "12345678", "items": [1, 2]}')
    assert ok.passed and ok.value["amount"] == 12.5
    bad = check(v, '{"intent": "steal", "amount": -1, "account": "12ab", "items": [1, "x", 3, 4], "zzz": 1}')
    assert not bad.passed
    fb = bad.feedback
    for expected in ("intent: must be one of", "amount: must be at least 0", "account: must match the pattern",
                     "items[1]: must be of type integer", "items: must have at most 3 items",
                     "has a property the schema does not allow"):
        assert expected in fb
    assert "zzz" not in fb and "steal" not in fb and "12ab" not in fb


def test_json_schema_required_combinators_and_refs():
    schema = {
        "$defs": {"money": {"type": "number", "exclusiveMinimum": 0}},
        "type": "object",
        "properties": {"pay": {"$ref": "#/$defs/money"}, "who": {"anyOf": [{"type": "string"}, {"type": "null"}]}},
        "required": ["pay"],
    }
    v = gw.JsonSchema(schema)
    assert check(v, '{"pay": 3, "who": null}').passed
    assert "pay: is required" in check(v, '{"who": "x"}').feedback
    assert "pay: must be greater than 0" in check(v, '{"pay": 0}').feedback
    assert "who: must match one of the allowed shapes" in check(v, '{"pay": 1, "who": 5}').feedback


@pytest.mark.parametrize(
    ("schema", "key"),
    [
        ({"type": "object", "propertiez": {}}, "json_schema.propertiez"),
        ({"type": "strnig"}, "json_schema.type"),
        ({"$ref": "http://example.com/s.json"}, "json_schema"),
        ({"type": "string", "pattern": "("}, "json_schema.pattern"),
    ],
)
def test_bad_schema_is_a_policy_error(schema, key):
    with pytest.raises(gw.PolicyError) as ei:
        gw.JsonSchema(schema)
    assert ei.value.key == key


def test_bad_options_are_policy_errors():
    with pytest.raises(gw.PolicyError):
        gw.JsonSchema(Answer, choose="random")
    with pytest.raises(gw.PolicyError):
        gw.JsonSchema(Answer, max_reasks=-1)
    with pytest.raises(gw.PolicyError):
        gw.JsonSchema(Answer, action="redact")


# -- fix ----------------------------------------------------------------------------------------------


def test_fix_coerces_safely_and_normalizes_the_text():
    v = gw.JsonSchema(SCHEMA, action="fix")
    r = check(v, 'Result: {"intent": "refund", "amount": "12"}')
    assert not r.passed and r.fix is not None
    assert json.loads(r.fix) == {"intent": "refund", "amount": 12} and r.value == {"intent": "refund", "amount": 12}
    assert check(v, '{"intent":"refund","amount":12}').passed
    # not coercible: no fix, so the chain blocks it as unfixable
    assert check(v, '{"intent": "refund", "amount": "twelve"}').fix is None


def test_fix_through_a_guard_returns_the_object():
    guard = gw.Guard("g", output=[gw.JsonSchema(Answer, action="fix")])
    ask = guard.wrap(lambda p: 'ok: {"intent": "x", "confidence": "0.5"}')
    assert ask("q") == Answer(intent="x", confidence=0.5)


# -- re-ask through a guard ----------------------------------------------------------------------------


class Model:
    """Answers badly until it sees feedback, then well."""

    def __init__(self, bad, good, fix_after=1):
        self.bad, self.good, self.fix_after = bad, good, fix_after
        self.prompts = []

    def __call__(self, prompt):
        self.prompts.append(prompt)
        return self.good if len(self.prompts) > self.fix_after else self.bad


def test_reask_fixes_a_schema_failure_with_plain_prompt(memory_sink):
    model = Model('{"intent": "refund", "confidence": 3}', '{"intent": "refund", "confidence": 0.3}')
    guard = gw.Guard("g", output=[gw.JsonSchema(Answer, max_reasks=2)], audit=memory_sink)
    assert guard.wrap(model)("what now?") == Answer(intent="refund", confidence=0.3)
    assert len(model.prompts) == 2
    assert model.prompts[1].startswith("what now?\n\n") and "confidence" in model.prompts[1]
    (reask,) = [r for r in memory_sink.of_type("lifecycle") if r["event"] == "reask"]
    assert reask["attempt"] == 2 and reask["reasons"] == ["schema-mismatch"]
    assert memory_sink.of_type("call")[-1]["attempt"] == 2


def test_reask_with_messages_appends_a_user_message():
    seen = []

    def chat(messages):
        seen.append(messages)
        return "no json here" if len(seen) == 1 else '{"intent": "a", "confidence": 1}'

    guard = gw.Guard("g", output=[gw.JsonSchema(Answer)])
    msgs = [{"role": "system", "content": "be terse"}, {"role": "user", "content": "hi"}]
    assert guard.wrap(chat)(msgs).intent == "a"
    assert len(seen[1]) == 3 and seen[1][-1]["role"] == "user" and "no-json" in seen[1][-1]["content"]
    assert len(msgs) == 2  # the caller's list is not mutated


def test_reasks_stop_at_max_reasks_then_block():
    model = Model("nope", "nope")
    guard = gw.Guard("g", output=[gw.JsonSchema(Answer, max_reasks=2)])
    with pytest.raises(gw.Blocked) as ei:
        guard.wrap(model)("q")
    assert len(model.prompts) == 3
    assert ei.value.decision.reasons == ("no-json",)


def test_block_action_does_not_reask():
    model = Model("nope", '{"intent": "a", "confidence": 1}')
    guard = gw.Guard("g", output=[gw.JsonSchema(Answer, action="block")])
    with pytest.raises(gw.Blocked):
        guard.wrap(model)("q")
    assert len(model.prompts) == 1


def test_async_reask():
    import asyncio

    calls = []

    async def model(prompt):
        calls.append(prompt)
        return '{"intent": 1}' if len(calls) == 1 else '{"intent": "a", "confidence": 0}'

    guard = gw.Guard("g", output=[gw.JsonSchema(Answer)])
    assert asyncio.run(guard.wrap(model)("q")).intent == "a"
    assert len(calls) == 2


# -- no values in feedback or errors -------------------------------------------------------------------

secrets = st.from_regex(r"[A-Za-z][A-Za-z0-9]{9,23}", fullmatch=True)


@settings(max_examples=60, deadline=None)
@given(secret=secrets)
def test_feedback_never_contains_values_from_the_answer(secret):
    answers = [
        json.dumps({"intent": 5, "confidence": secret, "tags": [secret, 3]}),
        json.dumps({"intent": secret, "confidence": 2.0}),
        json.dumps({"intent": "x", "confidence": 0.1, "tags": {secret: secret}}),
        json.dumps({secret: "x"}),
        f"prose with {secret} and no json",
    ]
    picky = json.dumps({"code": f"{secret}-1"})
    for v in (gw.JsonSchema(Answer), gw.JsonSchema(SCHEMA)):
        for a in answers:
            r = v.check(a, None)
            assert not r.passed
            assert secret not in (r.feedback or "") and secret not in repr(r)
    r = gw.JsonSchema(Picky).check(picky, None)
    assert not r.passed and secret not in r.feedback and "failed a check (value_error)" in r.feedback
    r = gw.JsonSchema(SCHEMA).check(json.dumps({"intent": "refund", "amount": 1, "items": {secret: 1}}), None)
    assert secret not in r.feedback


@settings(max_examples=30, deadline=None)
@given(secret=secrets)
def test_reask_prompt_and_blocked_error_hold_no_value_from_input_or_answer(secret):
    prompts = []

    def model(prompt):
        prompts.append(prompt)
        return json.dumps({"intent": secret, "confidence": secret})

    guard = gw.Guard("g", output=[gw.JsonSchema(Answer, max_reasks=1)])
    with pytest.raises(gw.Blocked) as ei:
        guard.wrap(model)(f"my account is {secret}")
    feedback = prompts[1][len(prompts[0]):]
    assert secret not in feedback
    assert secret not in str(ei.value) and secret not in repr(ei.value.decision)
