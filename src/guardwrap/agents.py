"""OpenAI Agents SDK integration (extra ``guardwrap[agents]``): guardrails and a guarded model.

Two ways in, best used together::

    import guardwrap as gw
    from agents import Agent

    agent = Agent(
        name="support",
        model=gw.agents.guarded_model("gpt-4o-mini", guard, openai.AsyncOpenAI(max_retries=0)),
        input_guardrails=[gw.agents.input_guardrail(guard)],
        output_guardrails=[gw.agents.output_guardrail(guard)],
    )

- `input_guardrail` / `output_guardrail` adapt a guard to the SDK's guardrail hooks: every text of
  the agent's input (strings, message items and their content parts, function-call arguments and
  outputs) or its final output (a string, or a structured output as JSON) is checked with
  ``guard.check``, and the tripwire fires when the guard blocks or escalates. A guardrail can only
  stop a run, never rewrite it, so by default a *fix* (redaction, pseudonymization) trips it too:
  the text that needed fixing would otherwise reach the model or the user as it is
  (``allow_fixes=True`` lets fixed texts pass, e.g. for output validators that only normalise).
  The input guardrail runs before the model (``run_in_parallel=False``) so that a blocked input
  is never sent. ``output_info`` carries outcomes, validators and reasons, never the text.
- `guarded_model` is the SDK's Responses model over a guarded OpenAI client
  (`guardwrap.openai.guard_client`): every model call of the run, streamed or not, has its input
  fixed and its output validated and restored, including tool calls' arguments.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ._decision import Decision

__all__ = ["guarded_model", "input_guardrail", "output_guardrail", "texts_of"]

_TEXT_KEYS = ("text", "input_text", "output_text")


def _sdk() -> Any:
    try:
        import agents
    except ImportError:
        raise ImportError("guardwrap.agents needs the OpenAI Agents SDK: pip install 'guardwrap[agents]'") from None
    return agents


def texts_of(value: Any) -> Iterator[str]:
    """Every text in an agent input or output: strings, message items' content and parts,
    function-call arguments and outputs, pydantic models and dataclasses (as JSON)."""
    if value is None:
        return
    if isinstance(value, str):
        yield value
        return
    if isinstance(value, (list, tuple)):
        for item in value:
            yield from texts_of(item)
        return
    if hasattr(value, "model_dump"):
        value = value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, dict):
        content = value.get("content")
        if isinstance(content, str):
            yield content
        elif isinstance(content, list):
            for part in content:
                if isinstance(part, str):
                    yield part
                elif isinstance(part, dict) and part.get("type") in _TEXT_KEYS and isinstance(part.get("text"), str):
                    yield part["text"]
                elif isinstance(part, dict) and isinstance(part.get("refusal"), str):
                    yield part["refusal"]
        for key in ("arguments", "output", "text"):
            if isinstance(value.get(key), str):
                yield value[key]
        if not any(k in value for k in ("content", "arguments", "output", "text")):
            yield json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
        return
    import dataclasses

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        yield json.dumps(dataclasses.asdict(value), ensure_ascii=False, sort_keys=True, default=str)
        return
    yield str(value)


def _verdict(guard: Any, value: Any, stage: str, allow_fixes: bool) -> Any:
    sdk = _sdk()
    decisions: list[Decision] = [guard.check(t, stage) for t in texts_of(value) if t]
    stops = {"blocked"} | ({"escalated"} if guard.on_escalate == "block" else set())
    if not allow_fixes:
        stops.add("fixed")
    tripped = [d for d in decisions if d.outcome in stops]
    info = {
        "guard": guard.name,
        "policy_hash": guard.policy_hash,
        "outcomes": [d.outcome for d in decisions],
        "reasons": sorted({r for d in decisions for r in d.reasons}),
        "validators": sorted({s.validator for d in decisions for s in d.steps if s.outcome != "pass"}),
    }
    return sdk.GuardrailFunctionOutput(output_info=info, tripwire_triggered=bool(tripped) and not guard.shadow)


def input_guardrail(guard: Any, *, allow_fixes: bool = False, name: str | None = None,
                    run_in_parallel: bool = False) -> Any:
    """An ``InputGuardrail`` running ``guard``'s input validators over the agent's input."""
    sdk = _sdk()

    def guardwrap_input(ctx: Any, agent: Any, value: Any) -> Any:
        return _verdict(guard, value, "input", allow_fixes)

    return sdk.InputGuardrail(guardrail_function=guardwrap_input, name=name or f"guardwrap:{guard.name}",
                              run_in_parallel=run_in_parallel)


def output_guardrail(guard: Any, *, allow_fixes: bool = False, name: str | None = None) -> Any:
    """An ``OutputGuardrail`` running ``guard``'s output validators over the agent's final output."""
    sdk = _sdk()

    def guardwrap_output(ctx: Any, agent: Any, value: Any) -> Any:
        return _verdict(guard, value, "output", allow_fixes)

    return sdk.OutputGuardrail(guardrail_function=guardwrap_output, name=name or f"guardwrap:{guard.name}")


def guarded_model(model: str, guard: Any, client: Any) -> Any:
    """The SDK's ``OpenAIResponsesModel`` for ``model`` over ``client`` (an ``openai.AsyncOpenAI``)
    guarded by ``guard``: each model call of a run goes through the guard."""
    _sdk()
    from agents.models.openai_responses import OpenAIResponsesModel

    from .openai import guard_client

    return OpenAIResponsesModel(model=model, openai_client=guard_client(client, guard))
