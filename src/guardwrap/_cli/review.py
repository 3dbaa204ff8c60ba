"""``guardwrap review``: list, show, approve and reject escalated cases.

    guardwrap review list [--status pending|approved|rejected|all] [--json]
    guardwrap review show ID [--json]
    guardwrap review approve ID --reviewer NAME [--reason TEXT]
    guardwrap review reject ID --reviewer NAME --reason TEXT

``--queue`` names the SQLite file or PostgreSQL DSN (default ``$GUARDWRAP_REVIEW_QUEUE`` or
``guardwrap-review.sqlite3``); ``--audit`` the audit log that verdicts are written to (default
``$GUARDWRAP_REVIEW_AUDIT``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from . import EXIT_FAIL, EXIT_OK, EXIT_USAGE


def register(sub: Any) -> None:
    p = sub.add_parser("review", help="list and decide escalated cases (human review)",
                       description="List, show, approve and reject cases in the review queue.")
    p.set_defaults(func=lambda args: (p.print_help(), EXIT_USAGE)[1])
    actions = p.add_subparsers(dest="review_command", metavar="ACTION")

    def common(q: argparse.ArgumentParser) -> None:
        q.add_argument("--queue", default=None, metavar="PATH|DSN",
                       help="review queue: SQLite file or PostgreSQL DSN "
                            "(default $GUARDWRAP_REVIEW_QUEUE or guardwrap-review.sqlite3)")
        q.add_argument("--table", default="guardwrap_review", help="table name (default guardwrap_review)")

    q = actions.add_parser("list", help="list cases (pending by default)")
    common(q)
    q.add_argument("--status", default="pending", choices=["pending", "approved", "rejected", "all"])
    q.add_argument("--limit", type=int, default=100)
    q.add_argument("--json", action="store_true", help="print JSON lines")
    q.set_defaults(func=_list)

    q = actions.add_parser("show", help="show one case (redacted text, decision, ids)")
    common(q)
    q.add_argument("id")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=_show)

    for verb in ("approve", "reject"):
        q = actions.add_parser(verb, help=f"{verb} a pending case; writes a review audit record")
        common(q)
        q.add_argument("id")
        q.add_argument("--reviewer", default=os.environ.get("GUARDWRAP_REVIEWER"),
                       help="who decides (default $GUARDWRAP_REVIEWER)")
        q.add_argument("--reason", default=None, required=verb == "reject",
                       help="why (required to reject); do not paste customer data here")
        q.add_argument("--audit", default=os.environ.get("GUARDWRAP_REVIEW_AUDIT"), metavar="PATH|DSN",
                       help="audit log the verdict is written to (default $GUARDWRAP_REVIEW_AUDIT)")
        q.add_argument("--json", action="store_true")
        q.set_defaults(func=_decide, verb=verb)


def _open(args: argparse.Namespace, audit: str | None = None) -> Any:
    from ..review import DEFAULT_PATH, ReviewQueue, is_dsn

    target = args.queue or os.environ.get("GUARDWRAP_REVIEW_QUEUE") or DEFAULT_PATH
    if is_dsn(target):
        return ReviewQueue(dsn=target, table=args.table, audit=audit)
    if not os.path.exists(target):
        # Do not create an empty queue by mistake (a typo in --queue would look like "no cases").
        raise FileNotFoundError(2, "no review queue", target)
    return ReviewQueue(target, table=args.table, audit=audit)


def _list(args: argparse.Namespace) -> int:
    with _open(args) as queue:
        cases = queue.list(None if args.status == "all" else args.status, limit=args.limit)
        if args.json:
            for case in cases:
                print(json.dumps(case.to_dict(), sort_keys=True))
        else:
            from ._out import print_table

            print_table("", ["id", "status", "created", "stage", "policy", "reasons"],
                        [[c.id, c.status, c.to_dict()["created"], c.stage or "-",
                          f"{c.policy_id or '-'} v{c.policy_version or '-'}", ",".join(c.reasons) or "-"]
                         for c in cases])
            print(f"{len(cases)} case(s)", file=sys.stderr)
    return EXIT_OK


def _safe(value: Any) -> str:
    from .._privacy import visible

    return visible(str(value))


def _show_case(case: Any, as_json: bool) -> None:
    d = case.to_dict()
    if as_json:
        print(json.dumps(d, indent=2, sort_keys=True))
        return
    for key in ("id", "status", "created", "decided", "reviewer", "reason", "guard", "stage", "outcome",
                "policy_id", "policy_version", "policy_hash", "request_id", "trace_id", "call_id"):
        print(f"{key + ':':<16}{_safe(d[key]) if d[key] is not None else '-'}")
    print(f"{'reasons:':<16}{', '.join(d['reasons']) or '-'}")
    print(f"{'event_ids:':<16}{', '.join(d['event_ids']) or '-'}")
    for step in d["decision"].get("steps", []):
        if step.get("outcome") != "pass":
            print(f"{'step:':<16}{step['validator']} -> {step['outcome']} "
                  f"({', '.join(step.get('reasons', []))}; findings {step.get('findings', 0)})")
    for f in d["decision"].get("findings", []):
        print(f"{'finding:':<16}{f.get('entity_type') or f.get('rule')} [{f['start']}:{f['end']}] "
              f"score {f['score']}")
    print("text (redacted):" if d["text"] is not None else "text: withheld (only its keyed hash is kept)")
    if d["text"] is not None:
        from .._privacy import visible

        print(visible(d["text"], keep_newlines=True))


def _show(args: argparse.Namespace) -> int:
    from ..review import ReviewNotFound

    with _open(args) as queue:
        try:
            case = queue.get(args.id)
        except ReviewNotFound as exc:
            print(f"guardwrap: {exc}", file=sys.stderr)
            return EXIT_USAGE
        _show_case(case, args.json)
    return EXIT_OK


def _decide(args: argparse.Namespace) -> int:
    from ..review import ReviewError, ReviewNotFound

    if not args.reviewer:
        print("guardwrap: --reviewer NAME is required (or set GUARDWRAP_REVIEWER)", file=sys.stderr)
        return EXIT_USAGE
    if not args.audit:
        print("guardwrap: warning: no --audit log given: the verdict is kept in the queue only",
              file=sys.stderr)
    with _open(args, audit=args.audit) as queue:
        try:
            if args.verb == "approve":
                case = queue.approve(args.id, reviewer=args.reviewer, reason=args.reason)
            else:
                case = queue.reject(args.id, reviewer=args.reviewer, reason=args.reason)
        except ReviewNotFound as exc:
            print(f"guardwrap: {exc}", file=sys.stderr)
            return EXIT_USAGE
        except ReviewError as exc:
            print(f"guardwrap: {exc}", file=sys.stderr)
            return EXIT_FAIL
        if args.json:
            print(json.dumps(case.to_dict(), sort_keys=True))
        else:
            print(f"{case.id} {case.status} by {case.reviewer}")
    return EXIT_OK
