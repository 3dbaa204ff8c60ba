"""``guardwrap redteam POLICY CORPUS``: run a corpus of attacks through a policy and report.

    guardwrap redteam policy.yaml starter --html redteam.html
    guardwrap redteam policy.yaml attacks.jsonl --json > redteam.json

CORPUS is a JSONL or plain-text file, or ``starter`` for the corpus shipped with guardwrap. Prints
outcome rates per category and the misses (personal data redacted). Exit 1 when any text missed its
expectation (an attack got through, or an ordinary text was stopped), 0 otherwise.

The policy's own audit sinks and review queue are never opened: a red-team run writes nothing to
production logs unless ``--use-policy-audit`` says so; ``--audit PATH`` records it in a log of its own.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from . import EXIT_FAIL, EXIT_OK

#: Show a progress bar (on a terminal) from this many texts up.
PROGRESS_FROM = 50


def register(sub: Any) -> None:
    p = sub.add_parser("redteam", help="run a corpus of attacks through a policy",
                       description="Run a red-team corpus through a policy's validators and report "
                                   "outcome rates per category and the misses (values redacted).")
    p.add_argument("policy", metavar="POLICY", help="policy file (YAML or TOML)")
    p.add_argument("corpus", metavar="CORPUS", help="JSONL or text file, one attack per line; 'starter' "
                                                    "or 'hallucinated-figures' (with --stage output) for a built-in corpus")
    p.add_argument("--stage", choices=["input", "output"], default="input",
                   help="which validators to run (default input)")
    p.add_argument("--html", metavar="FILE", help="also write a self-contained HTML report")
    p.add_argument("--json", action="store_true", help="print the report as JSON instead of a table")
    p.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    p.add_argument("--allow-misses", action="store_true", help="exit 0 even when texts missed")
    p.add_argument("--audit", metavar="PATH",
                   help="record the run's decisions in this audit log (JSONL, or .db for SQLite); by default "
                        "nothing is recorded")
    p.add_argument("--use-policy-audit", action="store_true",
                   help="record the run's decisions in the audit sinks the policy configures (production logs: "
                        "only when you mean it)")
    p.set_defaults(func=run)


def _progress_bar(total: int, enabled: bool) -> Any:
    if not enabled or total < PROGRESS_FROM or not sys.stderr.isatty():
        return None
    from ._out import rich_console

    if rich_console(sys.stderr) is None:
        return None  # no rich: no bar (the hint says how to get one)
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    return Progress(TextColumn("red-team"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=Console(stderr=True), transient=True)


def run(args: argparse.Namespace) -> int:
    from ..policy import load_guard
    from ..redteam import load_corpus, run_redteam

    # A red-team run never opens the policy's own audit sinks (its production log) or review queue
    # unless asked: building the guard with them would already write lifecycle records there.
    guard = load_guard(args.policy) if args.use_policy_audit else load_guard(args.policy, audit=None, review=None)
    audit: Any = None
    if args.use_policy_audit:
        audit = list(guard.sinks)
    elif args.audit:
        from ..review import _open_sink

        audit = _open_sink(args.audit)
    items = load_corpus(args.corpus)
    bar = _progress_bar(len(items), not args.no_progress)
    if bar is None:
        report = run_redteam(guard, items, stage=args.stage, audit=audit)
    else:
        with bar:
            task = bar.add_task("run", total=len(items))
            report = run_redteam(guard, items, stage=args.stage, audit=audit,
                                 progress=lambda done, total: bar.update(task, completed=done))
    if audit is not None:
        for sink in audit if isinstance(audit, list) else [audit]:
            sink.close()
    if args.html:
        report.to_html(args.html)
    if args.json:
        print(report.to_json())
    else:
        _print_summary(report)
    if args.html and not args.json:
        print(f"HTML report: {args.html}", file=sys.stderr)
    return EXIT_OK if report.ok or args.allow_misses else EXIT_FAIL



def _print_summary(report: Any) -> None:
    """Outcome shares per category as a table that fits the terminal, then the misses."""
    from ._out import print_table

    keys = ("blocked", "escalated", "fixed", "warned", "pass")
    rows = []
    for cat, r in sorted(report.rates().items()):
        c = report.categories[cat]
        rows.append([cat, c["n"], *(f"{r[k]:.0%}" for k in keys), f"{r['met']:.0%}"])
    print_table("Outcome shares per category", ["category", "n", *keys, "met"], rows, numeric=range(1, 8))
    print(f"{report.total} texts, {len(report.misses)} miss(es), {report.seconds:.2f}s, stage {report.stage}")
    for m in report.misses:
        shown = m.text if m.text is not None else f"[text withheld, hash {m.text_hash}]"
        print(f"  #{m.index} {m.category} {m.kind}: expected {m.expected}, got {m.outcome}"
              f" ({', '.join(m.reasons) or 'no reason'}): {shown}")
