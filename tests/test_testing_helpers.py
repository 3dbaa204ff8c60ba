"""guardwrap.testing: the helpers users run in their own suites."""

from __future__ import annotations

import pytest

import guardwrap as gw
from guardwrap.testing import (
    assert_blocks,
    assert_escalates,
    assert_fixes,
    assert_passes,
    assert_warns,
    capture_decisions,
)


class Word(gw.Validator):
    def __init__(self, word, action, name=None):
        self.word = word
        self.name = name or f"word-{action}"
        super().__init__(action=action)

    def check(self, text, ctx):
        i = text.find(self.word)
        if i < 0:
            return None
        return gw.Result.fail(f"{self.action}-hit", findings=[gw.Finding("WORD", i, i + len(self.word))])


guard = gw.Guard(
    "helpers",
    input=[Word("card", "redact"), Word("loud", "warn"), Word("human", "escalate"), Word("bomb", "block")],
)


def test_assertions_pass_on_matching_outcomes():
    assert_passes(guard, "hello")
    assert_fixes(guard, "my card", expected="my <WORD>", removed=("card",))
    assert_warns(guard, "loud", validator="word-warn")
    assert_escalates(guard, "human please", reason="escalate-hit")
    d = assert_blocks(guard, "a bomb", validator="word-block", reason="block-hit")
    assert d.blocked


@pytest.mark.parametrize(
    ("helper", "text"),
    [(assert_passes, "bomb"), (assert_blocks, "hello"), (assert_fixes, "hello"), (assert_warns, "card"),
     (assert_escalates, "bomb")],
)
def test_assertions_fail_with_a_message_that_omits_the_text(helper, text):
    with pytest.raises(AssertionError) as info:
        helper(guard, text)
    assert "outcome" in str(info.value)
    assert text not in str(info.value)


def test_assert_blocks_checks_validator_and_reason():
    with pytest.raises(AssertionError, match="validator"):
        assert_blocks(guard, "bomb", validator="other")
    with pytest.raises(AssertionError, match="reason"):
        assert_blocks(guard, "bomb", reason="other")


def test_assert_fixes_reports_leaks_by_index_not_value():
    with pytest.raises(AssertionError) as info:
        assert_fixes(guard, "my card is loud", removed=("loud",))
    assert "loud" not in str(info.value) and "[0]" in str(info.value)


def test_capture_decisions_sees_every_guard_even_without_sinks():
    other = gw.Guard("other", output=[Word("x", "warn")])
    with capture_decisions() as cap:
        guard.check("my card")
        other.check("x", stage="output")

        @other
        def llm(prompt):
            return "x"

        llm("q")
    assert cap.outcomes() == ["fixed", "pass", "pass", "pass", "warned", "warned"]
    assert cap.outcomes("word-redact") == ["fixed"]
    assert len(cap.calls) == 1 and cap.calls[0]["outcome"] == "warned"
    assert len(cap.by_validator("word-warn")) == 3
    guard.check("after")  # not captured any more
    assert len(cap) == 7
