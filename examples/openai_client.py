"""A guarded OpenAI client: PII pseudonymized on the way out, restored on the way back.

Runs against OpenAI when OPENAI_API_KEY is set; otherwise it starts guardwrap's local fake
server (127.0.0.1, no network), so it works on a fresh machine:

    python examples/openai_client.py
"""

from __future__ import annotations

import os
import re

import openai

import guardwrap as gw
from guardwrap.fakellm import FakeLLM

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@gw.validator(name="email", action="pseudonymize")
def email(text, ctx):
    """A tiny stand-in for gw.PII(entities=["EMAIL_ADDRESS"])."""
    found = [gw.Finding("EMAIL_ADDRESS", m.start(), m.end()) for m in EMAIL.finditer(text)]
    return gw.Result.fail("email", findings=found) if found else None


def main() -> None:
    sink = gw.MemorySink()
    guard = gw.Guard(
        "example-openai",
        input=[email],
        retry=gw.Retry(3, on="transient", backoff=0.2),
        fallback=[gw.Static("Sorry, I can't help with that right now.")],
        timeout=30,
        audit=sink,
    )
    fake = None
    if os.environ.get("OPENAI_API_KEY"):
        raw, model = openai.OpenAI(max_retries=0), "gpt-4o-mini"
    else:
        fake = FakeLLM().start()
        fake.responder = lambda req: {"echo": True}  # the fake model repeats what it received
        raw, model = openai.OpenAI(base_url=fake.openai_url, api_key="local", max_retries=0), "fake-model"
    try:
        client = gw.openai.guard_client(raw, guard)
        question = "Please update my contact address to jane.roe@example.com."
        answer = client.chat.completions.create(model=model, messages=[{"role": "user", "content": question}])
        print("caller got:     ", answer.choices[0].message.content)
        if fake is not None:
            print("provider saw:   ", fake.requests[-1].user_texts()[-1])
        call = sink.of_type("call")[-1]
        print("audit record:   ", {k: call[k] for k in ("outcome", "provider", "model", "attempt", "usage")})
    finally:
        if fake is not None:
            fake.stop()


if __name__ == "__main__":
    main()
