"""Streaming: text is released sentence by sentence once its claims are checked; an unsupported
figure never reaches the caller in enforce mode."""

from __future__ import annotations

import asyncio

import pytest

import guardwrap as gw

SHEET = "Easy Saver: 3.25% AER variable. Minimum deposit \u00a31. Interest is paid monthly."


def chunks(text: str, size: int):
    return [text[i:i + size] for i in range(0, len(text), size)]


@pytest.mark.parametrize("size", [1, 3, 7, 50])
def test_faithful_stream_is_released_whole(size):
    guard = gw.Guard("s", output=[gw.Grounded()])
    answer = "The Easy Saver pays 3.25% AER. You can open it with \u00a31. Interest is paid monthly."

    @guard
    def stream(q: str):
        yield from chunks(answer, size)

    with gw.context(sources=[SHEET]):
        assert "".join(stream("q")) == answer


@pytest.mark.parametrize("size", [1, 2, 5, 13])
def test_unsupported_figure_is_never_released(size):
    guard = gw.Guard("s", output=[gw.Grounded()])
    answer = "The Easy Saver pays 3.25% AER. You can open it with \u00a31. The fee is \u00a35. Thanks!"
    got = []

    @guard
    def stream(q: str):
        yield from chunks(answer, size)

    with pytest.raises(gw.Blocked) as err, gw.context(sources=[SHEET]):
        for piece in stream("q"):
            got.append(piece)
    released = "".join(got)
    assert "\u00a35" not in released and "fee" not in released
    assert released == "The Easy Saver pays 3.25% AER. You can open it with \u00a31."[:len(released)]
    f = err.value.decision.findings[0]
    assert f.rule == "unsupported-money" and answer[f.start:f.end] == "\u00a35"


def test_a_figure_split_across_chunks_is_read_whole():
    v = gw.Grounded()
    # "£3" then "5": nothing is settled until the sentence ends and the next begins
    assert v.stream_safe("The fee is \u00a33") == 0
    assert v.stream_safe("The fee is \u00a335.") == 0
    assert v.stream_safe("The fee is \u00a335. Then") == len("The fee is \u00a335.")
    # a citation after the full stop still belongs to the sentence
    assert v.stream_safe("The fee is \u00a335. [") == 0
    assert v.stream_safe("The fee is \u00a335. [1] Then") == len("The fee is \u00a335. [1]")
    # an open quotation is held back whole
    text = 'It says "the fee is waived. Always. For" and'
    assert v.stream_safe(text) == 0
    assert v.stream_safe("The rate is 3.5%. Next") == len("The rate is 3.5%.")


def test_stream_score_covers_the_whole_answer():
    sink = gw.MemorySink()
    guard = gw.Guard("s", output=[gw.Grounded(action="warn")], audit=sink, audit_key="k" * 32)
    answer = "It pays 3.25% AER. It opens with \u00a31. The fee is \u00a35. Bye."

    @guard
    def stream(q: str):
        yield from chunks(answer, 4)

    with gw.context(sources=[SHEET]):
        assert "".join(stream("q")) == answer
    decision = next(r for r in sink.records if r["type"] == "decision")
    assert decision["outcome"] == "warned"
    assert decision["score"] == pytest.approx(2 / 3, abs=1e-3)
    assert [(f["rule"], answer[f["start"]:f["end"]]) for f in decision["findings"]] == [("unsupported-money", "\u00a35")]


def test_async_stream():
    guard = gw.Guard("s", output=[gw.Grounded()])

    @guard
    async def stream(q: str):
        for piece in chunks("It pays 3.25% AER. It pays 9% AER. Bye.", 5):
            yield piece

    async def main():
        got = []
        with gw.context(sources=[SHEET]), pytest.raises(gw.Blocked):
            async for piece in stream("q"):
                got.append(piece)
        return "".join(got)

    assert "9%" not in asyncio.run(main())


def test_shadow_mode_checks_the_whole_stream_and_changes_nothing():
    sink = gw.MemorySink()
    guard = gw.Guard("s", output=[gw.Grounded()], mode="shadow", audit=sink, audit_key="k" * 32)
    answer = "It pays 9% AER. Bye."

    @guard
    def stream(q: str):
        yield from chunks(answer, 3)

    with gw.context(sources=[SHEET]):
        assert "".join(stream("q")) == answer
    assert any(r.get("reasons") == ["ungrounded"] for r in sink.records if r["type"] == "decision")
