"""Which parts of a call the guard reads, and what happens to what it cannot read."""

from __future__ import annotations

import os
from typing import Any

import pytest

import guardwrap as gw

os.environ.setdefault("GUARDWRAP_AUDIT_KEY", "channels-test-key-0123456789abcdef")
CARD = "4111 1111 1111 1111"


def pii(action: str = "pseudonymize") -> gw.PII:
    return gw.PII(["CREDIT_CARD", "EMAIL_ADDRESS"], action=action)


def capture(guard: gw.Guard) -> tuple[list[Any], Any]:
    seen: list[Any] = []

    def model(*args: Any, **kwargs: Any) -> str:
        seen.append((args, kwargs))
        return "ok"

    return seen, guard.wrap(model)


class Opaque:
    """An object the guard has no way to read."""

    __slots__ = ("secret",)

    def __init__(self) -> None:
        self.secret = CARD


@pytest.mark.parametrize("value", [b"card 4111111111111111", bytearray(b"x"), Opaque()])
def test_what_cannot_be_read_fails_closed_and_the_error_names_no_value(value: Any) -> None:
    sink = gw.MemorySink()
    seen, ask = capture(gw.Guard("g", input=[pii()], audit=sink))
    with pytest.raises(gw.UncheckedInput) as err:
        ask("hello", value)
    assert seen == []
    msg = str(err.value)
    assert "argument 1" in msg and type(value).__name__ in msg and "4111" not in msg
    calls = [r for r in sink.records if r["type"] == "call"]
    assert calls[-1]["outcome"] == "blocked" and "unreadable-input" in calls[-1]["reasons"]


def test_shadow_mode_and_allow_record_unreadable_input_and_go_on() -> None:
    for kwargs in ({"mode": "shadow"}, {"unreadable": "allow"}):
        sink = gw.MemorySink()
        seen, ask = capture(gw.Guard("g", input=[pii()], audit=sink, **kwargs))
        assert ask("hello", b"\x00\x01") == "ok" and len(seen) == 1
        steps = [r for r in sink.records if r["type"] == "decision" and r.get("validator") == "guard"]
        assert steps and steps[0]["outcome"] == "warned" and steps[0]["reasons"] == ["unreadable-input"]


def test_callables_and_small_numbers_are_not_text_and_not_unreadable() -> None:
    seen, ask = capture(gw.Guard("g", input=[pii()]))
    ask("hello", print, lambda x: x, 42, 3.5, None, True)
    assert len(seen) == 1


def test_a_method_s_self_is_not_read() -> None:
    guard = gw.Guard("g", input=[pii("redact")])

    class Bot:
        __slots__ = ()

        @guard
        def ask(self, prompt: str) -> str:
            return prompt

    assert Bot().ask(f"card {CARD}") == "card <CREDIT_CARD>"


def test_prompt_names_exactly_the_arguments_checked() -> None:
    guard = gw.Guard("g", input=[pii("redact")])
    seen = []

    def model(a: str, b: str, c: str) -> str:
        seen.append((a, b, c))
        return "ok"

    guard.wrap(model, prompt=("a", "c"))(CARD, CARD, CARD)
    assert seen == [("<CREDIT_CARD>", CARD, "<CREDIT_CARD>")]


def test_too_many_texts_fail_closed_with_a_clear_error() -> None:
    seen, ask = capture(gw.Guard("g", input=[pii()], max_texts=100))
    with pytest.raises(gw.UncheckedInput, match="more than 100 texts"):
        ask([{"role": "user", "content": str(i)} for i in range(101)])
    assert seen == []
    with pytest.raises(gw.PolicyError):
        gw.Guard("g", max_texts=0)


def test_a_long_conversation_writes_one_record_per_validator() -> None:
    sink = gw.MemorySink()
    guard = gw.Guard("g", input=[pii(), gw.DenyTerms(["bypass kyc"])], audit=sink)
    seen, ask = capture(guard)
    msgs = [{"role": "user" if i % 2 else "assistant", "content": f"message {i} with ann{i}@example.org"}
            for i in range(200)]
    ask(msgs)
    guard.flush()
    decisions = [r for r in sink.records if r["type"] == "decision"]
    assert sorted(r["validator"] for r in decisions) == ["deny_terms", "pii"]
    pii_rec = next(r for r in decisions if r["validator"] == "pii")
    assert len(pii_rec["findings"]) == 200 and {f["part"] for f in pii_rec["findings"]} == set(range(200))
    assert all("@example.org" not in m["content"] for m in seen[0][0][0])


def test_a_card_split_over_two_messages_is_pseudonymised_and_restored() -> None:
    guard = gw.Guard("g", input=[pii()], output=[gw.MaxLength(chars=1000)])
    sent: list[Any] = []

    def model(messages: list[dict[str, str]]) -> str:
        sent.append(messages)
        return "noted " + messages[0]["content"].split()[-1]

    answer = guard.wrap(model)([{"role": "user", "content": "My card 4111 1111"},
                                {"role": "user", "content": "1111 1111"}])
    contents = [m["content"] for m in sent[0]]
    assert "4111" not in "".join(contents) and contents[0].startswith("My card <CREDIT_CARD_")
    assert answer == "noted 4111 1111 1111 1111"


def test_context_from_the_previous_message_counts() -> None:
    guard = gw.Guard("g", input=[gw.PII(["US_SSN"], action="redact")])
    seen, ask = capture(guard)
    ask([{"role": "assistant", "content": "What is your social security number?"},
         {"role": "user", "content": "It is 864245962"}])
    assert "864245962" not in seen[0][0][0][1]["content"]


def test_tool_call_arguments_split_into_digit_groups_are_one_card() -> None:
    from guardwrap._texts import check_tool_args

    guard = gw.Guard("g", output=[gw.PII(action="redact")])
    ctx = gw.CallContext("g", gw.Context())
    d, new = check_tool_args(guard._out_tools, '{"card": ["4111", "1111", "1111", "1111"], "n": 1}', ctx,
                             stop_on_block=True)
    assert d.outcome == "fixed" and "4111" not in new and '"n":1' in new


def test_dataclasses_are_read_and_rebuilt_and_dates_are_not_text() -> None:
    import dataclasses
    import datetime
    import decimal
    import uuid

    @dataclasses.dataclass(frozen=True)
    class Payment:
        note: str
        when: datetime.date
        ref: uuid.UUID
        amount: decimal.Decimal

    seen, ask = capture(gw.Guard("g", input=[pii("redact")]))
    p = Payment(f"card {CARD}", datetime.date(2026, 11, 30), uuid.UUID(int=7), decimal.Decimal("4111111111111111"))
    ask(p)
    sent = seen[0][0][0]
    assert isinstance(sent, Payment) and sent.note == "card <CREDIT_CARD>" and sent.when == p.when
    assert "4111" not in str(sent.amount) and p.note == f"card {CARD}"


def test_a_plain_text_document_is_read_and_checked_and_a_pdf_one_is_not() -> None:
    seen, ask = capture(gw.Guard("g", input=[pii("redact")]))
    doc = {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": f"card {CARD}"},
           "title": "statement"}
    blocks = {"type": "document", "source": {"type": "content", "content": [{"type": "text", "text": f"card {CARD}"}]}}
    assert ask(messages=[{"role": "user", "content": [doc, blocks]}]) == "ok"
    sent = seen[0][1]["messages"][0]["content"]
    assert sent[0]["source"]["data"] == "card <CREDIT_CARD>"
    assert sent[1]["source"]["content"][0]["text"] == "card <CREDIT_CARD>"
    pdf = {"type": "document", "source": {"type": "base64", "media_type": "application/pdf", "data": "JVBERi0xLjQK"}}
    image_in_doc = {"type": "document", "source": {"type": "content", "content": [
        {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}}]}}
    for part in (pdf, image_in_doc):
        with pytest.raises(gw.UncheckedInput):
            ask(messages=[{"role": "user", "content": [part]}])
    assert len(seen) == 1
