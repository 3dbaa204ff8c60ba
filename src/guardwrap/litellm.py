"""LiteLLM integration (extra ``guardwrap[litellm]``): ``litellm.completion`` through a guard.

::

    import guardwrap as gw

    llm = gw.litellm.guard_litellm(guard)
    r = llm.completion(model="anthropic/claude-3-5-haiku", messages=[...])        # any provider
    async for chunk in await llm.acompletion(model=..., messages=[...], stream=True): ...

LiteLLM answers every provider in the OpenAI chat shape, so the guarded calls behave as
`guardwrap.openai`'s: input validators see the messages and the request carries the fixed text,
every choice and every tool call's arguments go through the output validators, pseudonyms are
restored, streams release only validated text (as LiteLLM's own chunk objects), and the call
record carries ``provider="litellm"`` and the requested model.

Why a wrapper and not a LiteLLM callback: in the LiteLLM SDK (``litellm.completion``) callbacks
are loggers, called around the request, and cannot rewrite or stop it; only the LiteLLM *proxy*
lets a guardrail hook change requests. A wrapper is what guards SDK calls, fail-closed.

LiteLLM fetches its model price list from the internet when imported unless
``LITELLM_LOCAL_MODEL_COST_MAP=True`` is set. When guardwrap is the one importing it, that
variable defaults to ``True`` (guardwrap makes no network calls of its own accord); set it to
``False`` before to let LiteLLM fetch.
"""

from __future__ import annotations

import os
import time
from typing import Any

from ._sdk import GuardedStream, guarded_method, with_call_context
from .openai import ChatAdapter

__all__ = ["GuardedLiteLLM", "guard_litellm"]


def _litellm() -> Any:
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # no price-list download at import
    try:
        import litellm
    except ImportError:
        raise ImportError("guardwrap.litellm needs litellm: pip install 'guardwrap[litellm]'") from None
    return litellm


class LiteLLMAdapter(ChatAdapter):
    """`ChatAdapter` whose plain-text answers (a `gw.Static` fallback) become LiteLLM objects."""

    def _static(self, text: str) -> Any:
        lt = _litellm()
        if self.streaming:
            chunk = lt.ModelResponseStream(model="guardwrap.static", created=int(time.time()),
                                           choices=[{"index": 0, "delta": {"role": "assistant", "content": text},
                                                     "finish_reason": "stop"}])
            return GuardedStream(iter([chunk]), None)
        return lt.ModelResponse(model="guardwrap.static", created=int(time.time()),
                                choices=[{"index": 0, "finish_reason": "stop",
                                          "message": {"role": "assistant", "content": text}}])


class GuardedLiteLLM:
    """``completion`` and ``acompletion`` (LiteLLM's, or the ones given) going through ``guard``."""

    def __init__(self, guard: Any, *, completion: Any = None, acompletion: Any = None) -> None:
        if completion is None or acompletion is None:
            lt = _litellm()
            completion = completion or lt.completion
            acompletion = acompletion or lt.acompletion
        raw, araw = completion, acompletion
        self.guard = guard
        # what the model reads (messages, a predicted output) and the end user's id
        inputs = ("messages", "prediction", "user")
        self._plain = guarded_method(raw, guard, LiteLLMAdapter(), inputs)
        self._stream = guarded_method(raw, guard, LiteLLMAdapter(streaming=True), inputs)
        self._aplain = guarded_method(araw, guard, LiteLLMAdapter(), inputs)
        self._astream = guarded_method(araw, guard, LiteLLMAdapter(streaming=True), inputs)

    @staticmethod
    def _prepare(args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
        if args:
            raise TypeError("completion() takes keyword arguments only")
        if kwargs.get("stream") and kwargs.get("n") not in (None, 1):
            from ._errors import GuardrailError

            raise GuardrailError("guarded streams carry one choice only: leave n unset with stream=True")
        return with_call_context(kwargs, "litellm")

    def completion(self, *args: Any, **kwargs: Any) -> Any:
        """``litellm.completion(**kwargs)``, guarded (``stream=True`` too)."""
        kwargs = self._prepare(args, kwargs)
        return (self._stream if kwargs.get("stream") else self._plain)(**kwargs)

    async def acompletion(self, *args: Any, **kwargs: Any) -> Any:
        """``litellm.acompletion(**kwargs)``, guarded (``stream=True`` returns an async iterator)."""
        kwargs = self._prepare(args, kwargs)
        return await (self._astream if kwargs.get("stream") else self._aplain)(**kwargs)

    def __repr__(self) -> str:
        return f"<guarded litellm: {self.guard.name}>"


def guard_litellm(guard: Any) -> GuardedLiteLLM:
    """LiteLLM's ``completion``/``acompletion`` going through ``guard``."""
    return GuardedLiteLLM(guard)
