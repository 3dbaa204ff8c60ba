"""A re-ask sends the first prompt plus one feedback paragraph about the latest answer: the
paragraph is never repeated, however many re-asks come before."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

import guardwrap as gw
from guardwrap._guard import reask_feedback


class Answer(BaseModel):
    text: str
    urgency: int


FEEDBACK_HEAD = "Your previous answer did not pass validation"


def test_plain_prompt_carries_one_feedback_paragraph_per_try():
    prompts: list[str] = []
    guard = gw.Guard("g", output=[gw.JsonSchema(Answer, max_reasks=3)])

    @guard
    def ask(prompt: str) -> str:
        prompts.append(prompt)
        return '{"text": "x"}' if len(prompts) < 4 else '{"text": "x", "urgency": 2}'

    assert ask("Triage this ticket.") == Answer(text="x", urgency=2)
    assert len(prompts) == 4
    assert prompts[0] == "Triage this ticket."
    for p in prompts[1:]:
        assert p.startswith("Triage this ticket.\n\n")
        assert p.count(FEEDBACK_HEAD) == 1
        assert "urgency" in p  # says what failed


def test_messages_get_one_feedback_message_per_try():
    seen: list[list[dict]] = []
    guard = gw.Guard("g", output=[gw.JsonSchema(Answer, max_reasks=2)])

    @guard
    def chat(messages: list[dict]) -> str:
        seen.append(messages)
        return "no json here"

    with pytest.raises(gw.Blocked):
        chat([{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Triage this."}])
    assert len(seen) == 3
    for msgs in seen[1:]:
        texts = [m["content"] for m in msgs]
        assert texts[:2] == ["Be brief.", "Triage this."]
        assert sum(FEEDBACK_HEAD in t for t in texts) == 1


def test_feedback_changes_with_the_latest_failure():
    prompts: list[str] = []
    guard = gw.Guard("g", output=[gw.JsonSchema(Answer, max_reasks=2)])
    answers = iter(["not json", '{"text": "x"}', '{"text": "x", "urgency": 1}'])

    @guard
    def ask(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers)

    ask("q")
    assert "no-json" in prompts[1] and "urgency" not in prompts[1]
    assert "schema-mismatch" in prompts[2] and "urgency" in prompts[2] and "no-json" not in prompts[2]


def test_feedback_never_quotes_the_answer():
    d = gw.Guard("g", output=[gw.JsonSchema(Answer)]).check('{"text": "SECRET-VALUE", "urgency": "high"}',
                                                           stage="output")
    assert "SECRET-VALUE" not in reask_feedback(d) and "high" not in reask_feedback(d)
