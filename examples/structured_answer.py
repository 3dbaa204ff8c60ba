"""A structured answer: the guarded call returns a validated pydantic object, re-asking the model
(without quoting its answer back) when the JSON is missing or wrong.

Runs against OpenAI when OPENAI_API_KEY is set; otherwise against guardwrap's local fake server,
scripted to answer badly once and then well:

    python examples/structured_answer.py
"""

from __future__ import annotations

import os

import openai
from pydantic import BaseModel, Field

import guardwrap as gw
from guardwrap.fakellm import FakeLLM


class Triage(BaseModel):
    intent: str = Field(description="refund | balance | complaint | other")
    urgency: int = Field(ge=1, le=5)


def main() -> None:
    sink = gw.MemorySink()
    guard = gw.Guard("example-structured", output=[gw.JsonSchema(Triage, action="reask", max_reasks=2)], audit=sink)
    fake = None
    if os.environ.get("OPENAI_API_KEY"):
        raw, model = openai.OpenAI(max_retries=0), "gpt-4o-mini"
    else:
        fake = FakeLLM().start()
        fake.reply(text='Sure! {"intent": "refund", "urgency": 9}')  # urgency out of range
        fake.reply(text='```json\n{"intent": "refund", "urgency": 4}\n```')
        raw, model = openai.OpenAI(base_url=fake.openai_url, api_key="local", max_retries=0), "fake-model"
    try:
        client = gw.openai.guard_client(raw, guard)
        messages = [
            {"role": "system", "content": 'Reply with JSON: {"intent": str, "urgency": 1-5}.'},
            {"role": "user", "content": "I was charged twice for my card and need the money back today!"},
        ]
        completion = client.chat.completions.create(model=model, messages=messages)
        triage = completion.choices[0].message.parsed
        print("validated object:", repr(triage))
        if fake is not None and len(fake.requests) > 1:
            print("re-ask feedback: ", fake.requests[1].body["messages"][-1]["content"])
        print("lifecycle events:", [r["event"] for r in sink.of_type("lifecycle")])
    finally:
        if fake is not None:
            fake.stop()


if __name__ == "__main__":
    main()
