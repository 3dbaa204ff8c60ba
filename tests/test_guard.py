"""The Guard: ordering, short-circuiting, actions, shadow mode, errors, audit records."""

from __future__ import annotations

import re

import pytest

import guardwrap as gw


class Recorder(gw.Validator):
    """Test validator: records what it saw; fails when ``needle`` is in the text."""

    def __init__(self, name, needle=None, *, action="block", fix=None, findings=True, log=None):
        self.name = name
        self.needle = needle
        self._fix = fix
        self._findings = findings
        self.seen: list[str] = []
        self.log = log if log is not None else []
        super().__init__(action=action)

    def check(self, text, ctx):
        self.seen.append(text)
        self.log.append(self.name)
        if self.needle is None or self.needle not in text:
            return None
        i = text.index(self.needle)
        findings = [gw.Finding("SECRET", i, i + len(self.needle), 0.9)] if self._findings else []
        fix = self._fix(text) if self._fix else None
        return gw.Result.fail(f"{self.name}-hit", fix=fix, findings=findings)


def test_validators_run_in_order_and_each_sees_the_previous_output():
    log: list[str] = []
    a = Recorder("a", "cat", action="fix", fix=lambda t: t.replace("cat", "dog"), log=log)
    b = Recorder("b", "dog", action="warn", log=log)
    c = Recorder("c", log=log)
    guard = gw.Guard("g", input=[a, b, c])
    d = guard.check("my cat")
    assert log == ["a", "b", "c"]
    assert b.seen == ["my dog"]
    assert d.text == "my dog"
    assert d.outcome == "fixed"  # worst of fixed and warned
    assert [s.outcome for s in d.steps] == ["fixed", "warned", "pass"]
    assert d.reasons == ("a-hit", "b-hit")


def test_first_block_stops_the_chain():
    log: list[str] = []
    guard = gw.Guard("g", input=[Recorder("a", log=log), Recorder("b", "x", log=log), Recorder("c", log=log)])
    d = guard.check("x marks")
    assert d.outcome == "blocked"
    assert log == ["a", "b"]
    assert d.validators == ("a", "b")


def test_shadow_mode_runs_everything_and_changes_nothing(memory_sink):
    log: list[str] = []
    a = Recorder("a", "card", action="redact", log=log)
    b = Recorder("b", "bomb", action="block", log=log)
    c = Recorder("c", log=log)
    guard = gw.Guard("g", input=[a, b, c], mode="shadow", audit=memory_sink)
    seen = []

    @guard
    def llm(prompt):
        seen.append(prompt)
        return "ok"

    assert llm("card and bomb") == "ok"
    assert seen == ["card and bomb"]  # the model got the original text
    assert log == ["a", "b", "c"]  # the block did not stop the chain
    decisions = memory_sink.of_type("decision")
    assert [r["outcome"] for r in decisions] == ["fixed", "blocked", "pass"]
    assert all(r["enforced"] is False for r in memory_sink.records)
    assert memory_sink.of_type("call")[0]["outcome"] == "blocked"


def test_enforce_blocks_the_call_and_never_calls_the_model(memory_sink):
    guard = gw.Guard("g", input=[Recorder("deny", "wire it all")], audit=memory_sink)
    called = []

    @guard
    def llm(prompt):
        called.append(prompt)
        return "ok"

    with pytest.raises(gw.Blocked) as info:
        llm("please wire it all offshore")
    assert called == []
    assert info.value.decision.outcome == "blocked"
    assert info.value.decision.steps[0].validator == "deny"
    call = memory_sink.of_type("call")[0]
    assert call["outcome"] == "blocked" and call["output_hash"] is None


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ("redact", "pin <SECRET> ok"),
        ("mask", "pin **34 ok"),
        ("pseudonymize", "pin <SECRET_1> ok"),
    ],
)
def test_span_actions_rewrite_findings(action, expected):
    guard = gw.Guard("g", input=[Recorder("v", "1234", action=action)])
    d = guard.check("pin 1234 ok")
    assert d.outcome == "fixed"
    assert d.text == expected


def test_hash_action_is_keyed_and_stable():
    g1 = gw.Guard("g", input=[Recorder("v", "1234", action="hash")], audit_key="k1" * 20)
    g2 = gw.Guard("g", input=[Recorder("v", "1234", action="hash")], audit_key="k2" * 20)
    t1, t1b, t2 = g1.check("pin 1234").text, g1.check("pin 1234").text, g2.check("pin 1234").text
    assert "1234" not in t1
    assert t1 == t1b
    assert t1 != t2
    assert re.fullmatch(r"pin <SECRET:[0-9a-f]{16}>", t1)


def test_fix_without_a_fix_fails_closed():
    guard = gw.Guard("g", input=[Recorder("v", "bad", action="fix")])
    d = guard.check("so bad")
    assert d.outcome == "blocked"
    assert d.reasons == ("unfixable",)


def test_escalate_raises_with_the_decision_and_flag_lets_it_through():
    v = Recorder("needs-human", "refund", action="escalate")

    @gw.Guard("g", input=[v])
    def llm(prompt):
        return "sure"

    with pytest.raises(gw.Escalated) as info:
        llm("refund me")
    assert info.value.decision.outcome == "escalated"
    assert isinstance(info.value, gw.Blocked)

    @gw.Guard("g", input=[Recorder("needs-human", "refund", action="escalate")], on_escalate="flag")
    def llm2(prompt):
        return "sure"

    assert llm2("refund me") == "sure"


def test_escalation_goes_to_the_review_queue():
    class Queue:
        def __init__(self):
            self.cases = []

        def submit(self, decision, *, ctx, policy):
            self.cases.append((decision.outcome, policy.hash))
            return "rev-1"

    q = Queue()
    guard = gw.Guard("g", input=[Recorder("v", "refund", action="escalate")], review=q)

    @guard
    def llm(prompt):
        return "x"

    with pytest.raises(gw.Escalated) as info:
        llm("refund")
    assert info.value.review_id == "rev-1"
    assert "rev-1" in str(info.value)
    assert q.cases == [("escalated", guard.policy_hash)]


def test_a_validator_that_raises_fails_closed():
    class Broken(gw.Validator):
        name = "broken"

        def check(self, text, ctx):
            raise RuntimeError("secret 4111 1111 1111 1111 in the message")

    d = gw.Guard("g", input=[Broken()]).check("hello")
    assert d.outcome == "blocked"
    assert d.reasons == ("validator-error",)
    assert d.steps[0].error == "RuntimeError"  # the type, never the message

    class Lenient(Broken):
        on_error = "pass"

    assert gw.Guard("g", input=[Lenient()]).check("hello").outcome == "warned"


def test_output_validators_fix_the_answer_and_the_call_returns_it(memory_sink):
    guard = gw.Guard("g", output=[Recorder("promise", "guaranteed", action="fix",
                                           fix=lambda t: t.replace("guaranteed", "possible"))],
                     audit=memory_sink)

    @guard
    def llm(prompt):
        return "guaranteed returns"

    assert llm("invest?") == "possible returns"
    out = memory_sink.of_type("decision")[0]
    assert out["stage"] == "output" and out["outcome"] == "fixed" and out["attempt"] == 1


def test_output_block_raises_blocked():
    @gw.Guard("g", output=[Recorder("promise", "guaranteed")])
    def llm(prompt):
        return "guaranteed returns"

    with pytest.raises(gw.Blocked) as info:
        llm("invest?")
    assert info.value.decision.stage == "output"


def test_reask_calls_the_model_again_with_feedback():
    prompts = []

    @gw.Guard("g", output=[Recorder("fmt", "prose", action="reask")])
    def llm(prompt):
        prompts.append(prompt)
        return "prose answer" if len(prompts) == 1 else '{"ok": true}'

    assert llm("question") == '{"ok": true}'
    assert len(prompts) == 2
    assert prompts[1].startswith("question\n\n")
    assert "fmt-hit" in prompts[1]


def test_reask_gives_up_after_max_reasks():
    calls = []
    v = Recorder("fmt", "prose", action="reask")
    v.max_reasks = 2

    @gw.Guard("g", output=[v])
    def llm(prompt):
        calls.append(prompt)
        return "prose"

    with pytest.raises(gw.Blocked):
        llm("q")
    assert len(calls) == 3


def test_records_one_per_validator_plus_one_per_call(memory_sink):
    guard = gw.Guard("g", input=[Recorder("a"), Recorder("b")], output=[Recorder("c")], audit=memory_sink,
                     policy_id="retail", policy_version=3)

    @guard
    def llm(prompt):
        return "fine"

    with gw.context(request_id="req-1", actor="customer-42", model="m-1"):
        llm("hi")
    recs = memory_sink.records
    assert [(r["type"], r["validator"]) for r in recs] == [
        ("decision", "a"), ("decision", "b"), ("decision", "c"), ("call", None)]
    assert {r["request_id"] for r in recs} == {"req-1"}
    assert {r["model"] for r in recs} == {"m-1"}
    assert {r["policy_id"] for r in recs} == {"retail"}
    assert {r["policy_version"] for r in recs} == {"3"}
    assert len({r["call_id"] for r in recs}) == 1
    assert len({r["event_id"] for r in recs}) == 4
    actor = recs[0]["actor"]
    assert actor and "customer-42" not in actor and len(actor) == 64
    call = recs[-1]
    assert call["input_hash"] != call["output_hash"]
    assert all(r["schema"] == "guardwrap.audit/1" for r in recs)


def test_multiple_sinks_each_get_their_own_records():
    s1, s2 = gw.MemorySink(), gw.MemorySink()
    guard = gw.Guard("g", input=[Recorder("a")], audit=[s1, s2])
    guard.check("x")
    assert len(s1.records) == len(s2.records) == 1
    assert s1.records[0] is not s2.records[0]


def test_policy_hash_changes_with_rules_not_with_identity():
    a = gw.Guard("g", input=[Recorder("a", "x")])
    b = gw.Guard("g", input=[Recorder("a", "x")])
    c = gw.Guard("g", input=[Recorder("a", "x", action="warn")])
    assert a.policy_hash == b.policy_hash
    assert a.policy_hash != c.policy_hash
    assert re.fullmatch(r"[0-9a-f]{64}", a.policy_hash)


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"mode": "loud"}, "mode"),
        ({"input": [object()]}, "input"),
        ({"input": [Recorder("r", action="reask")]}, "input"),
        ({"on_escalate": "maybe"}, "on_escalate"),
        ({"audit": [object()]}, "audit"),
        ({"fallback": ["not callable"]}, "fallback"),
    ],
)
def test_bad_configuration_is_a_policy_error_naming_the_key(kwargs, key):
    with pytest.raises(gw.PolicyError) as info:
        gw.Guard("g", **kwargs)
    assert info.value.key == key


def test_unknown_action_is_rejected():
    with pytest.raises(gw.PolicyError, match="expected"):
        Recorder("r", action="explode")


def test_custom_validator_by_protocol_without_subclassing():
    class Plain:
        name = "plain"
        version = "2"
        action = "warn"

        def check(self, text, ctx):
            return gw.Result.fail("too-short") if len(text) < 3 else gw.Result.ok()

    d = gw.Guard("g", input=[Plain()]).check("hi")
    assert d.outcome == "warned" and d.steps[0].version == "2"


def test_function_validator_decorator():
    @gw.validator(name="no-caps", stage="input", action="block")
    def no_caps(text, ctx):
        return gw.Result.fail("caps") if text.isupper() else None

    guard = gw.Guard("g", input=[no_caps])
    assert guard.check("HELLO").outcome == "blocked"
    assert guard.check("hello").outcome == "pass"
    with pytest.raises(gw.PolicyError):
        gw.Guard("g", output=[no_caps])


def test_check_rejects_an_unknown_stage():
    with pytest.raises(ValueError):
        gw.Guard("g").check("x", stage="middle")


def test_fallback_and_retry():
    attempts = []

    def flaky(prompt):
        attempts.append(1)
        if len(attempts) < 2:
            raise ConnectionError("reset")
        return "ok"

    guard = gw.Guard("g", retry=gw.Retry(attempts=3, on=(ConnectionError,), backoff=0, jitter=0))
    assert guard.wrap(flaky)("q") == "ok"
    assert len(attempts) == 2

    def down(prompt):
        raise TimeoutError

    sink = gw.MemorySink()
    g2 = gw.Guard("g", fallback=[gw.Static("Sorry.")], audit=sink)
    assert g2.wrap(down)("q") == "Sorry."
    assert sink.of_type("call")[0]["fallback_from"] == "down"


def test_an_exception_from_the_model_is_audited_and_reraised(memory_sink):
    @gw.Guard("g", audit=memory_sink)
    def llm(prompt):
        raise KeyError("boom")

    with pytest.raises(KeyError):
        llm("q")
    call = memory_sink.of_type("call")[0]
    assert call["outcome"] == "error" and call["error"] == "KeyError"


def test_non_text_results_need_an_adapter_when_output_validators_exist():
    @gw.Guard("g", output=[Recorder("a")])
    def llm(prompt):
        return b"raw bytes"

    with pytest.raises(gw.GuardrailError, match="adapter"):
        llm("q")

    @gw.Guard("g", output=[Recorder("a")])
    def llm_parts(prompt):
        return {"answer": "ok", "blob": b"raw bytes"}

    with pytest.raises(gw.GuardrailError, match="adapter"):
        llm_parts("q")

    @gw.Guard("g")
    def llm2(prompt):
        return {"answer": 1}

    assert llm2("q") == {"answer": 1}


def test_guard_as_context_manager_closes_its_sinks():
    sink = gw.MemorySink()
    with gw.Guard("g", audit=sink) as guard:
        guard.check("x")
    assert sink.closed


def test_structured_answers_are_checked_like_a_conversation():
    # a dict, list, pydantic model or dataclass answer: every string (and large number) is read,
    # values split across fields are joined, and the caller gets the answer rebuilt with the fixes
    from dataclasses import dataclass

    from pydantic import BaseModel

    class Answer(BaseModel):
        text: str
        ref: int = 1

    @dataclass
    class Note:
        body: str

    g = gw.Guard("g", output=[gw.PII(["CREDIT_CARD"], action="redact")])
    assert g(lambda p: {"answer": "card 4111 1111 1111 1111"})("q") == {"answer": "card <CREDIT_CARD>"}
    assert g(lambda p: Answer(text="card 4111 1111 1111 1111"))("q") == Answer(text="card <CREDIT_CARD>")
    assert g(lambda p: Note("card 4111 1111 1111 1111"))("q") == Note("card <CREDIT_CARD>")
    assert g(lambda p: {"n": 4111111111111111})("q") == {"n": "<CREDIT_CARD>"}
    split = g(lambda p: ["card 4111 1111", "1111 1111"])("q")
    assert "4111" not in "".join(split) and "1111 1111" not in "".join(split)
    assert g(lambda p: {"answer": 1})("q") == {"answer": 1}  # nothing to read: nothing to decide
    blocker = gw.Guard("g", output=[gw.DenyTerms(["bypass kyc"], action="block")])
    with pytest.raises(gw.Blocked):
        blocker(lambda p: {"steps": ["how to bypass", "kyc"]})("q")
