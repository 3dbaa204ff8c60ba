"""``guardwrap check POLICY [TEXT|-] [--stage input|output] [--json]``: one decision, printed.

Exit 0 when the text may go on (pass, fixed, warned), 1 when it is blocked or escalated, 2 on a
usage or policy error. The text itself is printed only with ``--show-text``.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from . import EXIT_FAIL, EXIT_OK, EXIT_USAGE


def register(sub: Any) -> None:
    p = sub.add_parser(
        "check",
        help="run a policy's validators over a text and print the decision",
        description="Run the input (or output) validators of POLICY over TEXT (or stdin with '-', "
                    "or when TEXT is omitted) and print the decision as JSON. Nothing is sent to a model "
                    "and no audit record is written unless the policy's audit sink is kept (--audit).",
        epilog="exit status: 0 pass/fixed/warned, 1 blocked/escalated, 2 usage or policy error",
    )
    p.add_argument("policy", metavar="POLICY", help="policy file (.yaml, .yml or .toml)")
    p.add_argument("text", metavar="TEXT", nargs="?", default="-", help="text to check, or - for stdin")
    p.add_argument("--stage", choices=("input", "output"), default="input", help="which validators (default input)")
    p.add_argument("--json", action="store_true", help="print compact JSON (one line) instead of indented JSON")
    p.add_argument("--show-text", action="store_true",
                   help="include the text after fixes in the output (may contain personal data)")
    p.add_argument("--audit", action="store_true", help="write the decision to the policy's audit sink")
    p.add_argument("--source", metavar="FILE", action="append", default=[],
                   help="a document the answer must be grounded in (for `grounded`); repeatable, id = file name")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..policy import load_policy

    text = sys.stdin.read() if args.text == "-" else args.text
    policy = load_policy(args.policy)
    # a dry run by default: no audit records, nothing queued for review
    overrides: dict[str, Any] = {} if args.audit else {"audit": None, "review": None}
    guard = policy.build(**overrides)
    context = None
    if args.source:
        from pathlib import Path

        from .._context import Context

        context = Context(sources=[(Path(f).name, Path(f).read_text(encoding="utf-8")) for f in args.source])
    try:
        d = guard.check(text, stage=args.stage, context=context)
    finally:
        guard.close()
    out = d.to_dict()
    out["policy_id"] = policy.id
    out["policy_version"] = policy.version
    if args.show_text:
        out["text"] = d.text
    if args.json:
        print(json.dumps(out, separators=(",", ":"), ensure_ascii=False))
    else:
        print(json.dumps(out, indent=2, ensure_ascii=False))
    if d.outcome in ("blocked", "escalated"):
        return EXIT_FAIL
    return EXIT_OK if d.outcome in ("pass", "fixed", "warned") else EXIT_USAGE
