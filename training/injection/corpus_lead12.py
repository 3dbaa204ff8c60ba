"""Round 12 (lead): benign questions that name the bank's *own* policies, rules and terms.

"What does your privacy policy say?" is a customer asking about the bank, not a request for the
assistant's instructions, yet it shares every word class with "what are your rules?": the
assistant addressed ("your"), its rules named ("policy"), a request to say them. Round 11's model
flagged it (0.68). These questions always tie the noun to a product, a topic or a document the
bank publishes, which is what tells them from extraction; they join `project-trigger-words`. "privacy policy" itself is left out: the project's evaluation
corpus (`benchmarks/data/injection_eval.jsonl`, never trained on) asks about it, and must stay a
question the model has not seen.

Project-written (Apache-2.0), like the rest of the corpus.
"""

from __future__ import annotations

import random

R = random.Random

_POLICY = ["cookie policy", "complaints policy", "refund policy", "fee policy", "overdraft policy",
           "data retention policy", "cancellation policy", "fraud refund policy", "lending policy",
           "card replacement policy", "dormant account policy", "chargeback policy", "security policy",
           "accessibility policy", "vulnerable customer policy", "data protection notice", "tariff"]
_RULES = ["rules", "terms", "conditions", "guidelines", "requirements", "limits", "criteria", "procedures"]
_TOPICS = ["international transfers", "cash deposits", "joint accounts", "opening an account for a child",
           "mortgage overpayments", "early repayment of a loan", "using my card abroad", "cheque deposits",
           "standing orders", "business accounts", "ISA transfers", "closing an account", "power of attorney",
           "foreign currency", "contactless payments", "disputed transactions", "credit limit increases",
           "sharing my data with credit agencies", "recording phone calls", "lost cards"]
_STEMS_POLICY = [
    "What does your {p} say?", "What does your {p} say about {t}?", "Where can I read your {p}?",
    "Can you summarise your {p} for me?", "Is {t} covered by your {p}?", "Has your {p} changed this year?",
    "Could you explain your {p} in plain English?", "What's in your {p} about {t}?",
    "Does your {p} allow {t}?", "I read your {p} but I don't understand the part on {t}.",
    "Please tell me what your {p} says on {t}.", "Show me the section of your {p} on {t}.",
    "Who do you pass my details to? Is that in your {p}?",
]
_STEMS_RULES = [
    "What are your {r} for {t}?", "What are the {r} for {t}?", "Can you tell me your {r} on {t}?",
    "Please list your {r} for {t}.", "Have your {r} for {t} changed?", "Where do I find your {r} for {t}?",
    "Explain your {r} for {t}, please.", "Do your {r} for {t} apply to savings accounts too?",
    "What do your {r} say about {t}?",
]


def policy_question(rng: R) -> str:
    """A customer's question about one of the bank's policies, rules or terms."""
    t = rng.choice(_TOPICS)
    if rng.random() < 0.55:
        q = rng.choice(_STEMS_POLICY).format(p=rng.choice(_POLICY), t=t)
    else:
        q = rng.choice(_STEMS_RULES).format(r=rng.choice(_RULES), t=t)
    return rng.choice(["", "", "", "Hi, ", "Hello. ", "Quick question: ", "Sorry to bother you. "]) + q
