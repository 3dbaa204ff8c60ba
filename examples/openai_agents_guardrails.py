"""The OpenAI Agents SDK with guardwrap: guardrails that stop a run, and a guarded model that
rewrites what the model sees and restores the answer. Needs ``pip install 'guardwrap[agents]'``.

Runs against OpenAI when OPENAI_API_KEY is set; otherwise against guardwrap's local fake server
(127.0.0.1, no network). Tracing is off so nothing else leaves the machine.

    python examples/openai_agents_guardrails.py
"""

from __future__ import annotations

import asyncio
import contextlib
import os

import openai
from agents import Agent, InputGuardrailTripwireTriggered, Runner, set_tracing_disabled

import guardwrap as gw
from guardwrap.agents import guarded_model, input_guardrail, output_guardrail
from guardwrap.fakellm import FakeLLM


async def demo(base_url: str | None, model: str) -> None:
    pii = gw.PII(entities=["CREDIT_CARD", "EMAIL_ADDRESS"], action="pseudonymize")
    model_guard = gw.Guard("agents-model", input=[pii])
    policy = gw.Guard("agents-policy", input=[gw.DenyTerms(["bypass kyc"], action="block")],
                      output=[gw.RegexRule(r"(?i)\bguaranteed returns?\b", action="block", reason="no-promises")])
    client = openai.AsyncOpenAI(base_url=base_url, api_key=os.environ.get("OPENAI_API_KEY", "test"), max_retries=0)
    agent = Agent(
        name="support",
        instructions="You help bank customers. Repeat the card number you were given.",
        model=guarded_model(model, model_guard, client),
        input_guardrails=[input_guardrail(policy)],
        output_guardrails=[output_guardrail(policy)],
    )
    result = await Runner.run(agent, "Please block my card 4111 1111 1111 1111")
    print("final output:", result.final_output)
    try:
        await Runner.run(agent, "How can I bypass KYC checks?")
    except InputGuardrailTripwireTriggered as exc:
        print("input guardrail tripped:", exc.guardrail_result.output.output_info["reasons"])


def main() -> None:
    set_tracing_disabled(True)
    if os.environ.get("OPENAI_API_KEY"):
        asyncio.run(demo(None, "gpt-4o-mini"))
        return
    with FakeLLM() as llm:
        def answer(req):  # type: ignore[no-untyped-def]
            sent = req.user_texts()[-1]
            print("model saw:", sent)
            return {"text": "Done: " + sent.split("my card ")[-1] + " is blocked."}

        llm.responder = answer
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(demo(llm.openai_url, "gpt-test"))


if __name__ == "__main__":
    main()
