"""``guardwrap pii [TEXT|-]``: find personal data in a text and print the findings as JSON.

Prints entity types, offsets and scores (never the values); ``--redact``/``--mask`` also print the
rewritten text. Exit 1 when something was found (for CI checks of fixtures and prompts), else 0.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

EXIT_OK, EXIT_FOUND = 0, 1


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("pii", help="find personal data in a text (offsets and types, no values)",
                              description=__doc__)
    p.add_argument("text", nargs="?", default="-", help="the text, or - (default) to read standard input")
    p.add_argument("--entities", help="comma-separated entity names (default: all)")
    p.add_argument("--threshold", type=float, default=0.5, help="minimum score, 0-1 (default 0.5)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--redact", action="store_const", const="redact", dest="rewrite",
                     help="also print the text with <ENTITY> placeholders")
    out.add_argument("--mask", action="store_const", const="mask", dest="rewrite",
                     help="also print the text masked (last 4 kept)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from .._anonymize import apply_spans
    from ..pii import PII

    text = sys.stdin.read() if args.text == "-" else args.text
    entities = [e.strip() for e in args.entities.split(",") if e.strip()] if args.entities else None
    pii = PII(entities, threshold=args.threshold)
    findings = pii.detect(text)
    result: dict[str, Any] = {
        "findings": [{"entity_type": f.entity_type, "start": f.start, "end": f.end, "score": round(f.score, 4)}
                     for f in findings],
    }
    if args.rewrite:
        result["text"] = apply_spans(text, findings, args.rewrite)
    print(json.dumps(result, ensure_ascii=False))
    return EXIT_FOUND if findings else EXIT_OK
