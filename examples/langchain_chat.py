"""A LangChain chat model behind a guard: every message checked, answers validated, streams too.

Offline: langchain-core's echo model stands in for a real one (``ChatOpenAI(...)``,
``ChatAnthropic(...)``: any chat model goes where it is). Needs ``pip install 'guardwrap[langchain]'``.

    python examples/langchain_chat.py
"""

from __future__ import annotations

import os

from langchain_core.language_models.fake_chat_models import ParrotFakeChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate

import guardwrap as gw
from guardwrap.langchain import guard_chat_model

os.environ.setdefault("GUARDWRAP_AUDIT_KEY", "demo-key-not-for-production-0123456789abcdef")


def main() -> None:
    sink = gw.MemorySink()
    guard = gw.Guard(
        "langchain-demo",
        input=[gw.PII(entities=["CREDIT_CARD", "EMAIL_ADDRESS"], action="pseudonymize"),
               gw.DenyTerms(["bypass kyc"], action="block")],
        output=[gw.RegexRule(r"(?i)\bguaranteed returns?\b", action="block", reason="no-performance-promises")],
        audit=sink,
    )
    seen: list[str] = []

    class Recording(ParrotFakeChatModel):
        """Echoes the last message back, and remembers what it was sent."""

        def _generate(self, messages, stop=None, run_manager=None, **kwargs):  # type: ignore[no-untyped-def]
            seen.append(str(messages[-1].content))
            return super()._generate(messages, stop, run_manager, **kwargs)

    chat = guard_chat_model(Recording(), guard)
    prompt = ChatPromptTemplate.from_messages([("system", "You help bank customers."), ("human", "{question}")])
    chain = prompt | chat | StrOutputParser()

    answer = chain.invoke({"question": "Block my card 4111 1111 1111 1111 please"})
    print("model saw:", seen[-1])
    print("caller got:", answer)

    streamed = "".join(chunk.content for chunk in chat.stream("Mail me at jane.roe@example.com"))
    print("streamed (its placeholder restored):", streamed)

    try:
        chain.invoke({"question": "How do I bypass KYC?"})
    except gw.Blocked as exc:
        print("blocked:", exc)
    print("calls audited:", [r["outcome"] for r in sink.of_type("call")])


if __name__ == "__main__":
    main()
