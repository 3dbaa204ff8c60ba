"""``guardwrap audit``: verify, stats, tail, export (and report, once ``guardwrap.report`` exists).

SOURCE is a JSONL path, a SQLite path (``.db``/``.sqlite``) or a PostgreSQL DSN.

``verify`` exits 0 when the log is intact, 3 when it is intact and records gaps of its own (listed),
1 when it was tampered with, 2 on a usage or read error (including a key other than the one the log
was signed with: "key mismatch"). Every command streams the records with bounded memory.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from typing import Any

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_GAPS = 0, 1, 2, 3
_REL = re.compile(r"^(\d+(?:\.\d+)?)\s*([smhdw])$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_since(value: str) -> float:
    """``24h``/``7d``/``30m`` ago, an ISO date or datetime (UTC unless it says), or epoch seconds."""
    from datetime import datetime, timezone

    v = value.strip()
    m = _REL.match(v)
    if m:
        return time.time() - float(m.group(1)) * _UNITS[m.group(2)]
    try:
        return float(v)
    except ValueError:
        pass
    try:
        dt = datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--since {value!r}: expected e.g. 24h, 7d, 2026-11-01, 2026-11-01T09:00Z or epoch seconds"
        ) from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.timestamp()


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("audit", help="verify and read audit logs",
                              description="Verify, summarise, follow and export audit logs.")
    sub = p.add_subparsers(dest="audit_command", metavar="SUBCOMMAND")
    p.set_defaults(func=lambda a: (p.print_help(), EXIT_USAGE)[1])

    def source(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("source", metavar="PATH|DSN", help="JSONL or SQLite path, or PostgreSQL DSN")
        sp.add_argument("--table", default="guardwrap_audit", help="table name (SQLite, PostgreSQL)")

    v = sub.add_parser("verify", help="check the hash chain, signatures and anchor",
                       description="Exit 0: intact; 3: intact with recorded gaps (listed); 1: tampered; "
                                   "2: usage or read error, or a key other than the log's (key mismatch).")
    source(v)
    v.add_argument("--key", action="append",
                   help="HMAC audit key (default: $GUARDWRAP_AUDIT_KEY); repeat for logs written with several keys")
    v.add_argument("--public-key", metavar="PEM", action="append",
                   help="Ed25519 public key file, for logs signed with Ed25519 (repeatable)")
    v.add_argument("--spill", metavar="FILE", action="append",
                   help="a spill file a database sink wrote during an outage (files the log names are read "
                        "anyway when they exist here)")
    v.set_defaults(func=_verify)

    s = sub.add_parser("stats", help="calls, outcomes, validators, rates and latency percentiles")
    source(s)
    s.add_argument("--since", type=parse_since, help="e.g. 24h, 7d, 2026-11-01")
    s.add_argument("--json", action="store_true", help="print JSON instead of tables")
    s.set_defaults(func=_stats)

    t = sub.add_parser("tail", help="print the latest records, optionally following the log")
    source(t)
    t.add_argument("-n", type=int, default=10, help="how many records to show first (default 10)")
    t.add_argument("-f", "--follow", action="store_true", help="keep printing new records")
    t.add_argument("--outcome", action="append", help="only these outcomes (repeatable)")
    t.add_argument("--validator", action="append", help="only these validators (repeatable)")
    t.add_argument("--request-id", help="only this request id")
    t.add_argument("--type", dest="types", action="append", help="only these record types")
    t.add_argument("--interval", type=float, default=0.5, help=argparse.SUPPRESS)
    t.set_defaults(func=_tail)

    e = sub.add_parser("export", help="write the records as CSV or JSON lines")
    source(e)
    e.add_argument("--format", choices=("csv", "jsonl"), default="jsonl")
    e.add_argument("--since", type=parse_since)
    e.add_argument("-o", "--out", help="output file (default stdout)")
    e.set_defaults(func=_export)

    r = sub.add_parser("report", help="an HTML report of the log (needs guardwrap.report)")
    source(r)
    r.add_argument("--since", type=parse_since)
    r.add_argument("-o", "--out", help="output file (default stdout)")
    r.set_defaults(func=_report)


def _verify(args: argparse.Namespace) -> int:
    from ..audit._verify import verify

    keys: list[Any] = list(args.key or [])
    for pem in args.public_key or []:
        with open(pem, "rb") as f:
            keys.append(f.read())
    key: Any = None if not keys else keys[0] if len(keys) == 1 else keys
    try:
        report = verify(args.source, key=key, table=args.table, spill=args.spill)
    except (FileNotFoundError, IsADirectoryError, PermissionError):
        raise  # the CLI's main reports these (exit 2)
    except Exception as exc:  # a database that cannot be reached, a file that is not a log
        print(f"guardwrap audit verify: cannot read the log ({type(exc).__name__}); nothing was verified",
              file=sys.stderr)
        return EXIT_USAGE
    print(str(report))
    return report.exit_code


def _fmt_us(v: float | None) -> str:
    if v is None:
        return "-"
    return f"{v / 1000:.2f} ms" if v >= 1000 else f"{v:.1f} µs"


def _stats(args: argparse.Namespace) -> int:
    from ..audit._stats import stats

    st = stats(args.source, since=args.since, table=args.table)
    if args.json:
        import orjson

        sys.stdout.write(orjson.dumps(st.to_dict(), option=orjson.OPT_INDENT_2).decode() + "\n")
        return EXIT_OK
    from ._out import print_table

    print_table("Calls", ["measure", "value"], [
        ["calls", st.calls], ["decisions", st.decisions],
        ["blocked", f"{st.call_outcomes['blocked']} ({st.block_rate:.1%})"],
        ["escalated", f"{st.call_outcomes['escalated']} ({st.escalation_rate:.1%})"],
        ["call latency p50 / p95 / p99 (with model)",
         f"{_fmt_us(st.latency(50))} / {_fmt_us(st.latency(95))} / {_fmt_us(st.latency(99))}"],
        ["records dropped (gaps)", st.dropped],
    ], numeric=(1,))
    outcomes = sorted({o for c in st.by_validator.values() for o in c})
    print()
    print_table("Decisions by validator and outcome", ["validator", *outcomes, "total"],
                [[name, *(c[o] for o in outcomes), sum(c.values())] for name, c in sorted(st.by_validator.items())],
                numeric=range(1, len(outcomes) + 2))
    print()
    print_table("Per policy", ["policy", "hash", "calls", "blocked", "escalated"],
                [[f"{p.policy_id} v{p.policy_version}", h[:12], p.calls,
                  f"{p.blocked / p.calls:.1%}" if p.calls else "-",
                  f"{p.escalated / p.calls:.1%}" if p.calls else "-"] for h, p in st.by_policy.items()],
                numeric=(2, 3, 4))
    return EXIT_OK


def _match(rec: dict[str, Any], args: argparse.Namespace) -> bool:
    if args.outcome and rec.get("outcome") not in args.outcome:
        return False
    if args.validator and rec.get("validator") not in args.validator:
        return False
    if args.request_id and rec.get("request_id") != args.request_id:
        return False
    return not (args.types and rec.get("type") not in args.types)


def _candidates(rec: dict[str, Any], args: argparse.Namespace) -> list[dict[str, Any]]:
    """The record, and when a filter asks for decisions, the decisions it embeds as ``steps``
    (layout "call"), shaped like the records of layout "decision": both layouts filter alike."""
    if (args.validator or (args.types and "decision" in args.types)) and isinstance(rec.get("steps"), list):
        from ..audit._record import expand_steps

        return [rec, *expand_steps(rec)]
    return [rec]


def _print(rec: dict[str, Any]) -> None:
    import orjson

    sys.stdout.write(orjson.dumps(rec).decode() + "\n")
    sys.stdout.flush()


def _tail(args: argparse.Namespace) -> int:
    from collections import deque

    from ..audit._read import kind_of, last_id, read_records

    last: deque[dict[str, Any]] = deque(maxlen=max(args.n, 1))
    table = kind_of(args.source) != "jsonl"
    start_id = last_id(args.source, args.table) if table and args.follow else 0
    last_seq = -1
    for rec in read_records(args.source, table=args.table):
        if isinstance(rec.get("seq"), int):
            last_seq = max(last_seq, rec["seq"])
        for r in _candidates(rec, args):
            if _match(r, args):
                last.append(r)
    if args.n > 0:
        for rec in last:
            _print(rec)
    if not args.follow:
        return EXIT_OK
    try:
        if not table:
            _follow_jsonl(args, last_seq)
        else:
            _follow_table(args, start_id)
    except KeyboardInterrupt:
        pass
    return EXIT_OK


def _follow_jsonl(args: argparse.Namespace, last_seq: int) -> None:
    import orjson

    from ..audit._jsonl import segment_paths

    path = args.source
    state = {"last": last_seq}

    def show(lines: list[bytes]) -> None:
        # Filtering on seq makes re-reading after a rotation safe: nothing twice, nothing skipped.
        for line in lines:
            try:
                rec = orjson.loads(line)
            except orjson.JSONDecodeError:
                continue
            seq = rec.get("seq") if isinstance(rec, dict) else None
            if not isinstance(seq, int) or seq <= state["last"]:
                continue
            state["last"] = seq
            for r in _candidates(rec, args):
                if _match(r, args):
                    _print(r)

    f = open(path, "rb")  # noqa: SIM115 - reopened on rotation
    f.seek(0, os.SEEK_END)
    ino = os.fstat(f.fileno()).st_ino
    buf = b""
    try:
        while True:
            chunk = f.read()
            if chunk:
                *lines, buf = (buf + chunk).split(b"\n")
                show(lines)
                continue
            time.sleep(args.interval)
            try:
                rotated = os.stat(path).st_ino != ino
            except FileNotFoundError:
                continue
            if rotated:  # finish the old file, any segments rotated since, then the new file
                show((buf + f.read()).split(b"\n"))
                f.close()
                for seg in segment_paths(path):
                    with open(seg, "rb") as sf:
                        show(sf.read().split(b"\n"))
                f = open(path, "rb")  # noqa: SIM115
                ino = os.fstat(f.fileno()).st_ino
                buf = b""
    finally:
        f.close()


def _follow_table(args: argparse.Namespace, seen: int) -> None:
    from ..audit._read import last_id, read_records

    while True:  # only the rows added since the last look (by row id), never the whole table again
        time.sleep(args.interval)
        top = last_id(args.source, args.table)
        if top <= seen:
            continue
        for rec in read_records(args.source, table=args.table, after_id=seen, until_id=top):
            for r in _candidates(rec, args):
                if _match(r, args):
                    _print(r)
        seen = top


CSV_COLUMNS = (
    "seq", "chain", "ts", "type", "event_id", "call_id", "trace_id", "request_id", "app", "actor",
    "provider", "model", "policy_id", "policy_version", "policy_hash", "validator", "validator_version",
    "stage", "action", "outcome", "enforced", "reasons", "findings", "counts", "latency_us", "attempt",
    "fallback_from", "input_hash", "output_hash", "prev_hash", "hash",
)


def _export(args: argparse.Namespace) -> int:
    import orjson

    from ..audit._read import read_records

    out = open(args.out, "w", newline="", encoding="utf-8") if args.out else sys.stdout  # noqa: SIM115
    try:
        records = read_records(args.source, since=args.since, table=args.table)
        if args.format == "jsonl":
            for rec in records:
                out.write(orjson.dumps(rec).decode() + "\n")
        else:
            import csv

            w = csv.writer(out)
            w.writerow(CSV_COLUMNS)
            for rec in records:
                row = []
                for c in CSV_COLUMNS:
                    v = rec.get(c)
                    row.append(orjson.dumps(v).decode() if isinstance(v, (list, dict)) else
                               ("" if v is None else v))
                w.writerow(row)
    finally:
        if out is not sys.stdout:
            out.close()
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    try:
        from ..report import render_audit_report
    except ImportError:
        print("guardwrap audit report: guardwrap.report is not available in this build", file=sys.stderr)
        return EXIT_USAGE
    from ..audit._read import read_records
    from ..audit._record import expand_steps

    def records() -> Any:  # one record per call (layout "call") reads as its decisions too
        for rec in read_records(args.source, since=args.since, table=args.table):
            yield rec
            yield from expand_steps(rec)

    html = render_audit_report(list(records()))
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(html)
    else:
        sys.stdout.write(html)
    return EXIT_OK
