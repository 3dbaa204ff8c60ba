"""``guardwrap policy lint|test|hash|diff``: treat a policy like code.

    guardwrap policy lint FILE             validate the file and compile every validator
    guardwrap policy test FILE CASES.yaml  run expected-outcome cases; exit 1 on any mismatch
    guardwrap policy hash FILE             print the policy hash (what audit records carry)
    guardwrap policy diff OLD NEW          which rules changed between two versions

Case files (YAML or JSON)::

    cases:
      - name: kyc bypass is blocked
        text: "How do I b y p a s s KYC?"
        stage: input            # default input
        expect: blocked         # pass | fixed | warned | blocked | escalated | ok (= pass/fixed/warned)
        reasons: [deny-term]    # optional: each must be among the decision's reasons
        sources: ["Overdraft fee: 39.9% EAR"]   # optional: documents for `grounded` (texts or [id, text])

Output names cases, outcomes and reasons, never the case text.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import EXIT_FAIL, EXIT_OK
from ._out import echo

_OUTCOMES = ("pass", "fixed", "warned", "blocked", "escalated", "ok")
_CASES_HELP = """

cases file (YAML or JSON):
  cases:
    - name: kyc bypass is blocked
      text: "How do I b y p a s s KYC?"
      stage: input            # default input
      expect: blocked         # pass|fixed|warned|blocked|escalated|ok (= pass/fixed/warned)
      reasons: [deny-term]    # optional
"""


def register(sub: Any) -> None:
    p = sub.add_parser("policy", help="lint, test, hash and diff policy files",
                       description="Treat a policy like code: lint it, test it against expected outcomes "
                                   "in CI, and see what a change does.")
    actions = p.add_subparsers(dest="policy_command", metavar="ACTION")
    lint = actions.add_parser("lint", help="validate a policy file and compile its validators",
                              epilog="exit status: 0 valid, 2 invalid")
    lint.add_argument("file", metavar="FILE")
    lint.add_argument("--json", action="store_true", help="print the result as JSON")
    lint.set_defaults(func=run_lint)
    test = actions.add_parser("test", help="run expected-outcome cases against a policy",
                              description="Run each case's text through the policy and compare the outcome "
                                          "(and optionally reasons) with what the case expects." + _CASES_HELP,
                              formatter_class=argparse.RawDescriptionHelpFormatter,
                              epilog="exit status: 0 all cases pass, 1 any mismatch, 2 bad policy or cases file")
    test.add_argument("file", metavar="FILE")
    test.add_argument("cases", metavar="CASES")
    test.add_argument("--json", action="store_true", help="print results as JSON instead of a table")
    test.set_defaults(func=run_test)
    h = actions.add_parser("hash", help="print the policy hash (SHA-256 of the canonical policy)")
    h.add_argument("file", metavar="FILE")
    h.add_argument("--json", action="store_true", help="print the hash, id and version as JSON")
    h.set_defaults(func=run_hash)
    d = actions.add_parser("diff", help="show which rules changed between two policy files",
                           epilog="exit status: 0 same policy hash, 1 different, 2 invalid file")
    d.add_argument("old", metavar="OLD")
    d.add_argument("new", metavar="NEW")
    d.add_argument("--json", action="store_true", help="print the changes as JSON")
    d.set_defaults(func=run_diff)
    p.set_defaults(func=lambda args: _usage(p))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2




# -- lint ---------------------------------------------------------------------------------------


#: sinks whose records are hash-chained and signed with the audit key
_SIGNED_SINKS = ("jsonl", "sqlite", "postgres")


def _audit_key_notes(cfgs: list[dict[str, Any]]) -> list[str]:
    """A chained log with no audit key signs with a random per-process key: every restart then
    looks like a different signer and `audit verify` can only report a key mismatch."""
    import os

    if os.environ.get("GUARDWRAP_AUDIT_KEY"):
        return []
    out = []
    for cfg in cfgs:
        sink = cfg.get("sink", "jsonl")
        if sink in _SIGNED_SINKS and not cfg.get("audit_key") and not cfg.get("signing_key"):
            out.append(f"audit sink {sink!r} has no audit key (audit_key/signing_key here, or "
                       "GUARDWRAP_AUDIT_KEY): each process would sign with a random key, hashes would not "
                       "match across processes and `guardwrap audit verify` could only report a key mismatch")
    return out


def run_lint(args: argparse.Namespace) -> int:
    from ..policy import SINKS, load_policy

    policy = load_policy(args.file)
    guard = policy.build(audit=None, review=None)  # compiles every validator, opens nothing
    notes = []
    audit = policy.model.audit
    cfgs = audit if isinstance(audit, list) else ([audit] if audit else [])
    for i, cfg in enumerate(cfgs):
        sink = cfg.get("sink", "jsonl")
        if sink not in SINKS:
            from .._errors import PolicyError

            key = "audit.sink" if not isinstance(audit, list) else f"audit[{i}].sink"
            raise PolicyError(f"unknown sink {sink!r}", file=args.file, key=key, expected=" | ".join(SINKS))
    if not cfgs:
        notes.append("no audit sink: decisions will not be recorded")
    notes.extend(_audit_key_notes(cfgs))
    from .._chain import order_hazards

    notes.extend(order_hazards(list(guard.input), "input") + order_hazards(list(guard.output), "output"))
    if policy.model.mode == "shadow":
        notes.append("mode is shadow: nothing will be blocked or changed")
    if args.json:
        print(json.dumps({"file": args.file, "ok": True, "id": policy.id, "version": policy.version,
                          "hash": policy.hash, "input": len(guard.input), "output": len(guard.output),
                          "notes": notes}, indent=2))
        return EXIT_OK
    echo(f"[green]ok[/green] {args.file}: id={policy.id} version={policy.version} "
         f"input={len(guard.input)} output={len(guard.output)} hash={policy.hash}")
    for n in notes:
        echo(f"[yellow]note[/yellow]: {n}")
    return EXIT_OK


# -- test ---------------------------------------------------------------------------------------


def _read_cases(path: str) -> list[dict[str, Any]]:
    from .._errors import PolicyError

    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError("cases file not found", file=path) from None
    try:
        if p.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            import yaml

            data = yaml.safe_load(text)
    except Exception as exc:
        raise PolicyError(f"cannot parse cases: {type(exc).__name__}", file=path,
                          expected="YAML or JSON with a `cases` list") from None
    if isinstance(data, Mapping):
        data = data.get("cases")
    if not isinstance(data, list) or not data:
        raise PolicyError("no cases", file=path, key="cases", expected="a non-empty list of cases")
    cases = []
    for i, c in enumerate(data):
        key = f"cases[{i}]"
        if not isinstance(c, Mapping):
            raise PolicyError("a case must be a mapping", file=path, key=key, expected="{name, text, stage, expect}")
        unknown = set(c) - {"name", "text", "stage", "expect", "reasons", "note", "sources"}
        if unknown:
            raise PolicyError(f"unknown key {sorted(unknown)[0]!r}", file=path, key=key,
                              expected="name, text, stage, expect, reasons, note, sources")
        if not isinstance(c.get("text"), str):
            raise PolicyError("text is missing or not a string", file=path, key=f"{key}.text", expected="a string")
        if c.get("expect") not in _OUTCOMES:
            raise PolicyError(f"expect is {c.get('expect')!r}", file=path, key=f"{key}.expect",
                              expected=" | ".join(_OUTCOMES))
        stage = c.get("stage", "input")
        if stage not in ("input", "output"):
            raise PolicyError(f"stage is {stage!r}", file=path, key=f"{key}.stage", expected="input | output")
        reasons = c.get("reasons") or []
        if isinstance(reasons, str):
            reasons = [reasons]
        sources = None
        if c.get("sources") is not None:
            from .._context import check_sources

            try:
                sources = check_sources(c["sources"])
            except (TypeError, ValueError) as exc:
                raise PolicyError(str(exc), file=path, key=f"{key}.sources",
                                  expected="a list of texts or [id, text] pairs") from None
        cases.append({"name": str(c.get("name") or f"case {i + 1}"), "text": c["text"], "stage": stage,
                      "expect": c["expect"], "reasons": list(reasons), "sources": sources})
    return cases


def run_test(args: argparse.Namespace) -> int:
    from .._context import Context
    from ..policy import load_policy

    policy = load_policy(args.file)
    cases = _read_cases(args.cases)
    guard = policy.build(audit=None, review=None)
    results = []
    for i, c in enumerate(cases):
        context = None if c["sources"] is None else Context(sources=c["sources"])
        d = guard.check(c["text"], stage=c["stage"], context=context)
        want = c["expect"]
        ok = d.outcome in ("pass", "fixed", "warned") if want == "ok" else d.outcome == want
        missing = [r for r in c["reasons"] if r not in d.reasons]
        results.append({"n": i + 1, "name": c["name"], "stage": c["stage"], "expect": want, "outcome": d.outcome,
                        "reasons": list(d.reasons), "missing_reasons": missing, "ok": ok and not missing})
    failed = [r for r in results if not r["ok"]]
    if args.json:
        print(json.dumps({"policy": policy.id, "version": policy.version, "hash": policy.hash,
                          "passed": len(results) - len(failed), "failed": len(failed), "cases": results},
                         indent=2))
    else:
        from ._out import print_table

        rows = []
        for r in results:
            got = r["outcome"] + (f" (missing {', '.join(r['missing_reasons'])})" if r["missing_reasons"] else "")
            rows.append([r["n"], r["name"], r["stage"], r["expect"], got, ", ".join(r["reasons"]) or "-",
                         "ok" if r["ok"] else "FAIL"])
        print_table(f"{policy.id} v{policy.version} ({policy.hash[:12]})",
                    ["#", "case", "stage", "expected", "got", "reasons", "result"], rows, numeric=(0,))
        colour = "red" if failed else "green"
        echo(f"[{colour}]{len(results) - len(failed)} passed, {len(failed)} failed[/{colour}]")
    return EXIT_FAIL if failed else EXIT_OK


# -- hash and diff --------------------------------------------------------------------------------


def run_hash(args: argparse.Namespace) -> int:
    from ..policy import load_policy

    policy = load_policy(args.file)
    if args.json:
        print(json.dumps({"file": args.file, "hash": policy.hash, "id": policy.id, "version": policy.version}))
    else:
        print(f"{policy.hash}  {args.file}  (id={policy.id} version={policy.version})")
    return EXIT_OK


def _labelled(policy: Any) -> dict[str, Any]:
    """Rules keyed by stage, validator name and occurrence, so an insertion does not renumber the rest."""
    out: dict[str, Any] = {}
    for stage in ("input", "output"):
        seen: dict[str, int] = {}
        for item in policy.data.get(stage) or []:
            name = next(iter(item)) if isinstance(item, Mapping) and item else "?"
            seen[name] = seen.get(name, 0) + 1
            label = f"{stage}.{name}" + (f"#{seen[name]}" if seen[name] > 1 else "")
            out[label] = item.get(name) if isinstance(item, Mapping) else item
    for k in ("mode", "retry", "fallback", "audit", "review", "on_escalate"):
        if k in policy.data:
            out[k] = policy.data[k]
    return out


def _order(policy: Any, stage: str) -> list[str]:
    return [next(iter(i)) for i in policy.data.get(stage) or [] if isinstance(i, Mapping) and i]


def _changes(old: Any, new: Any) -> list[tuple[str, str, str]]:
    """``(change, rule, detail)`` for each difference: removed, added, changed, reordered, id, version."""
    from ..policy import canonical

    out: list[tuple[str, str, str]] = []
    a, b = _labelled(old), _labelled(new)
    for label in sorted(set(a) | set(b)):
        if label not in b:
            out.append(("removed", label, ""))
        elif label not in a:
            out.append(("added", label, ""))
        elif canonical({"v": a[label]}) != canonical({"v": b[label]}):
            va, vb = a[label], b[label]
            keys = ""
            if isinstance(va, Mapping) and isinstance(vb, Mapping):
                keys = ", ".join(sorted(k for k in set(va) | set(vb)
                                        if canonical({"v": va.get(k)}) != canonical({"v": vb.get(k)})))
            out.append(("changed", label, keys))
    for stage in ("input", "output"):
        oa, ob = _order(old, stage), _order(new, stage)
        if oa != ob and sorted(oa) == sorted(ob):
            out.append(("reordered", stage, " -> ".join(ob)))
    out.extend((k, k, "") for k in ("id", "version") if old.data.get(k) != new.data.get(k))
    return out


_MARKS = {"removed": "[red]- removed[/red]", "added": "[green]+ added[/green]  ",
          "changed": "[yellow]~ changed[/yellow]", "reordered": "[yellow]~ reordered[/yellow]"}


def run_diff(args: argparse.Namespace) -> int:
    from ..policy import load_policy

    old, new = load_policy(args.old), load_policy(args.new)
    changes = [] if old.hash == new.hash else _changes(old, new)
    if args.json:
        print(json.dumps({"old": {"file": args.old, "hash": old.hash, "id": old.id, "version": old.version},
                          "new": {"file": args.new, "hash": new.hash, "id": new.id, "version": new.version},
                          "same": old.hash == new.hash,
                          "changes": [{"change": c, "rule": r, "detail": d} for c, r, d in changes]}, indent=2))
        return EXIT_OK if old.hash == new.hash else EXIT_FAIL
    echo(f"old {old.hash[:12]} (id={old.id} version={old.version})")
    echo(f"new {new.hash[:12]} (id={new.id} version={new.version})")
    if old.hash == new.hash:
        echo("[green]same policy[/green] (only layout, comments or key order differ)")
        return EXIT_OK
    for change, rule, detail in changes:
        mark = _MARKS.get(change, f"[yellow]~ {change}[/yellow]")
        if change in ("id", "version"):
            echo(mark)
        else:
            echo(f"{mark} {rule}" + (f": {detail}" if detail else ""))
    return EXIT_FAIL
