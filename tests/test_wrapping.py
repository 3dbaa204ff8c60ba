"""Wrapping forms (sync, async, generators, messages), prompt location, context propagation."""

from __future__ import annotations

import asyncio

import pytest

import guardwrap as gw


class Redact(gw.Validator):
    """Redacts every occurrence of ``word``; streams with a holdback of len(word) - 1."""

    action = "redact"

    def __init__(self, word="secret", action="redact", name="redact-word"):
        self.word = word
        self.name = name
        super().__init__(action=action)

    def _spans(self, text):
        i = text.find(self.word)
        while i >= 0:
            yield i, i + len(self.word)
            i = text.find(self.word, i + 1)

    def check(self, text, ctx):
        spans = list(self._spans(text))
        if not spans:
            return None
        return gw.Result.fail("word", findings=[gw.Finding("WORD", s, e) for s, e in spans])

    def stream_safe(self, text):
        # Hold back a tail that could still become the word, and never cut through a match.
        safe = max(len(text) - (len(self.word) - 1), 0)
        for s, e in self._spans(text):
            if s < safe < e:
                return s
        return safe


class Whole(gw.Validator):
    """Needs the whole text (no stream_safe): counts characters."""

    name = "whole"
    action = "block"

    def __init__(self, limit):
        self.limit = limit
        super().__init__()

    def check(self, text, ctx):
        return gw.Result.fail("too-long") if len(text) > self.limit else None


def chunks_of(text, size):
    return [text[i : i + size] for i in range(0, len(text), size)]


def test_sync_function_first_str_argument_is_guarded():
    seen = []

    @gw.Guard("g", input=[Redact()])
    def llm(temperature, prompt, *, model="m"):
        seen.append((temperature, prompt, model))
        return "ok"

    assert llm(0.2, "my secret", model="x") == "ok"
    assert seen == [(0.2, "my <WORD>", "x")]


def test_named_prompt_argument():
    seen = []

    def llm(system, question):
        seen.append((system, question))
        return "ok"

    guarded = gw.Guard("g", input=[Redact()]).wrap(llm, prompt="question")
    guarded("the secret system prompt", question="a secret question")
    assert seen == [("the secret system prompt", "a <WORD> question")]
    with pytest.raises(gw.GuardrailError):
        gw.Guard("g").wrap(llm, prompt="nope")


def test_messages_every_role_is_guarded_and_callers_list_untouched():
    seen = []

    @gw.Guard("g", input=[Redact()], unreadable="allow")
    def chat(messages, model="m"):
        seen.append(messages)
        return "ok"

    msgs = [
        {"role": "system", "content": "secret system"},
        {"role": "user", "content": "first secret"},
        {"role": "assistant", "content": "secret reply"},
        {"role": "user", "content": [{"type": "text", "text": "part secret"}, {"type": "image_url", "image_url": {"url": "x"}}]},
    ]
    original = repr(msgs)
    chat(messages=msgs)
    assert repr(msgs) == original  # caller's objects not mutated
    sent = seen[0]
    assert sent[0]["content"] == "<WORD> system"
    assert sent[1]["content"] == "first <WORD>"
    assert sent[2]["content"] == "<WORD> reply"
    assert sent[3]["content"][0]["text"] == "part <WORD>"
    assert sent[3]["content"][1] == {"type": "image_url", "image_url": {"url": "x"}}


def test_trusted_roles_can_be_left_unchecked():
    seen = []

    @gw.Guard("g", input=[Redact()], unchecked_roles=("system", "assistant"))
    def chat(messages):
        seen.append(messages)
        return "ok"

    chat([{"role": "system", "content": "secret system"}, {"role": "assistant", "content": "secret"},
          {"role": "user", "content": "secret"}])
    assert [m["content"] for m in seen[0]] == ["secret system", "secret", "<WORD>"]


def test_an_image_part_is_unreadable_and_fails_closed_by_default():
    calls = []

    @gw.Guard("g", input=[Redact()])
    def chat(messages):
        calls.append(1)
        return "ok"

    with pytest.raises(gw.UncheckedInput) as err:
        chat([{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "https://x/y.png"}}]}])
    assert calls == [] and "image_url part" in str(err.value)


def test_block_in_any_user_message_blocks_the_call():
    @gw.Guard("g", input=[Redact(action="block")])
    def chat(messages):
        return "ok"

    with pytest.raises(gw.Blocked):
        chat([{"role": "user", "content": "fine"}, {"role": "user", "content": "secret"}])


def test_async_function():
    @gw.Guard("g", input=[Redact()], output=[Redact()])
    async def llm(prompt):
        await asyncio.sleep(0)
        return f"echo {prompt} and secret"

    assert asyncio.run(llm("a secret")) == "echo a <WORD> and <WORD>"


def test_sync_generator_redacts_across_chunk_boundaries():
    @gw.Guard("g", output=[Redact()])
    def stream(prompt):
        yield from chunks_of("the secret is a secret, secretly", 3)

    pieces = list(stream("q"))
    out = "".join(pieces)
    assert out == "the <WORD> is a <WORD>, <WORD>ly"
    assert not any("secret" in p for p in pieces)
    assert len(pieces) > 3  # released incrementally, not buffered to the end


def test_async_generator_redacts_across_chunk_boundaries():
    @gw.Guard("g", output=[Redact()])
    async def stream(prompt):
        for c in chunks_of("a secret here", 2):
            yield c

    async def collect():
        return [p async for p in stream("q")]

    pieces = asyncio.run(collect())
    assert "".join(pieces) == "a <WORD> here"


def test_stream_block_midway_releases_only_validated_text(memory_sink):
    @gw.Guard("g", output=[Redact(action="block")], audit=memory_sink)
    def stream(prompt):
        yield from chunks_of("harmless text, then the secret, then more", 4)

    got = []
    with pytest.raises(gw.Blocked):
        for piece in stream("q"):
            got.append(piece)
    assert "secret" not in "".join(got)
    assert "".join(got).startswith("harmless")
    assert memory_sink.of_type("call")[0]["outcome"] == "blocked"
    assert [r["outcome"] for r in memory_sink.of_type("decision")] == ["blocked"]


def test_stream_with_a_whole_text_validator_buffers_until_the_end():
    released_before_end = []

    @gw.Guard("g", output=[Whole(limit=10)])
    def stream(prompt):
        for c in ["0123", "4567", "89ab"]:
            yield c
            released_before_end.append(c)

    it = stream("q")
    with pytest.raises(gw.Blocked):
        next(it)
    assert released_before_end == ["0123", "4567", "89ab"]  # the whole stream was read first


def test_stream_restores_pseudonyms_split_across_chunks():
    guard = gw.Guard("g", input=[Redact(action="pseudonymize")])

    @guard
    def stream(prompt):
        assert prompt == "tell <WORD_1>"
        yield "about <WO"
        yield "RD_1> now"

    assert "".join(stream("tell secret")) == "about secret now"


def test_sync_function_returning_an_iterator_is_streamed():
    @gw.Guard("g", output=[Redact()])
    def llm(prompt):
        return iter(["sec", "ret!"])

    assert "".join(llm("q")) == "<WORD>!"


def test_shadow_stream_passes_chunks_through_and_audits(memory_sink):
    @gw.Guard("g", output=[Redact(action="block")], mode="shadow", audit=memory_sink)
    def stream(prompt):
        yield from ["a sec", "ret"]

    assert list(stream("q")) == ["a sec", "ret"]
    rec = memory_sink.of_type("decision")[0]
    assert rec["outcome"] == "blocked" and rec["enforced"] is False


def test_pseudonymize_round_trip_through_a_call():
    @gw.Guard("g", input=[Redact(action="pseudonymize")])
    def llm(prompt):
        assert "secret" not in prompt
        return f"You said {prompt.split()[-1]}"

    assert llm("my word is secret") == "You said secret"


def test_conversation_pseudonyms_are_stable_across_turns():
    guard = gw.Guard("g", input=[Redact(action="pseudonymize")])
    prompts = []

    @guard
    def llm(prompt):
        prompts.append(prompt)
        return "ok"

    with gw.context(conversation_id="conv-1"):
        llm("secret one")
        llm("and secret again")
    assert prompts == ["<WORD_1> one", "and <WORD_1> again"]


def test_context_propagates_across_await_and_tasks(memory_sink):
    guard = gw.Guard("g", input=[Redact()], audit=memory_sink)

    @guard
    async def llm(prompt):
        await asyncio.sleep(0)
        return "ok"

    async def one(i):
        with gw.context(request_id=f"r-{i}"):
            await asyncio.sleep(0)
            await llm(f"q{i}")

    async def main():
        with gw.context(actor="a", metadata={"tenant": "t1"}):
            await asyncio.gather(*(one(i) for i in range(5)))
            task = asyncio.create_task(llm("from a task"))
            await task

    asyncio.run(main())
    calls = memory_sink.of_type("call")
    assert sorted(r["request_id"] for r in calls[:5]) == [f"r-{i}" for i in range(5)]
    assert calls[5]["request_id"] is None
    assert all(r["actor"] for r in calls)
    # each call's decision record carries the same request id as its call record
    by_call = {}
    for r in memory_sink.records:
        by_call.setdefault(r["call_id"], set()).add(r["request_id"])
    assert all(len(ids) == 1 for ids in by_call.values())


def test_gw_context_keyword_is_removed_before_the_call(memory_sink):
    seen = []

    @gw.Guard("g", audit=memory_sink)
    def llm(prompt, **kwargs):
        seen.append(kwargs)
        return "ok"

    llm("q", gw_context={"request_id": "r-9"}, temperature=0)
    assert seen == [{"temperature": 0}]
    assert memory_sink.records[-1]["request_id"] == "r-9"


def test_nested_context_blocks_override_and_restore():
    with gw.context(request_id="outer", actor="a"):
        with gw.context(request_id="inner"):
            c = gw._context.current()
            assert (c.request_id, c.actor) == ("inner", "a")
        assert gw._context.current().request_id == "outer"
    assert gw._context.current().request_id is None
    with pytest.raises(TypeError), gw.context(nonsense=1):
        pass


def test_acheck():
    guard = gw.Guard("g", input=[Redact(action="block")])
    assert asyncio.run(guard.acheck("a secret")).outcome == "blocked"


def test_wrapped_function_keeps_its_identity():
    guard = gw.Guard("g")

    @guard
    def ask(prompt: str) -> str:
        """Doc."""
        return prompt

    assert ask.__name__ == "ask" and ask.__doc__ == "Doc." and ask.guard is guard
