"""LiteLLM behind a guard: any provider, one policy. Needs ``pip install 'guardwrap[litellm]'``.

Offline: LiteLLM's OpenAI-compatible route to guardwrap's local fake server (127.0.0.1); point
``model`` at ``anthropic/...``, ``bedrock/...`` etc. for real providers.

    python examples/litellm_completion.py
"""

from __future__ import annotations

import os

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # no price-list download at import

import guardwrap as gw
from guardwrap.fakellm import FakeLLM
from guardwrap.litellm import guard_litellm


def main() -> None:
    guard = gw.Guard("litellm-demo", input=[gw.PII(entities=["EMAIL_ADDRESS"], action="pseudonymize")],
                     output=[gw.PII(entities=["CREDIT_CARD"], action="redact")])
    llm = guard_litellm(guard)
    with FakeLLM() as server:
        server.responder = lambda req: {"text": f"Noted ({req.user_texts()[-1]}). Card on file: 4111 1111 1111 1111."}
        common = {"model": "openai/gpt-test", "api_base": server.openai_url, "api_key": "test"}
        r = llm.completion(messages=[{"role": "user", "content": "I am jane.roe@example.com"}], **common)
        print("provider saw:", server.requests[0].user_texts()[-1])
        print("caller got:", r.choices[0].message.content)
        chunks = llm.completion(messages=[{"role": "user", "content": "stream please"}], stream=True, **common)
        print("streamed:", "".join(c.choices[0].delta.content or "" for c in chunks if c.choices))


if __name__ == "__main__":
    main()
