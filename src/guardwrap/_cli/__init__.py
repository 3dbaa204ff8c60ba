"""The ``guardwrap`` command line.

Each command group lives in its own module here (``check``, ``policy``, ``audit``, ``review``,
``redteam``) with a ``register(subparsers)`` function; modules are imported only to build the parser,
and heavy work is imported inside the command that needs it.

Exit codes: 0 success / pass, 1 a check failed (blocked, tampered, mismatch), 2 usage or policy error.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from collections.abc import Sequence

COMMAND_MODULES = ("check", "policy", "audit", "review", "redteam", "pii")

EXIT_OK = 0
EXIT_FAIL = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = argparse.ArgumentParser(
        prog="guardwrap",
        description="Guardrails around LLM calls: check text, lint and test policies, verify audit logs.",
    )
    parser.add_argument("--version", action="version", version=f"guardwrap {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        if importlib.util.find_spec(f"{__name__}.{name}") is None:
            continue
        importlib.import_module(f"{__name__}.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    from .._errors import PolicyError

    try:
        return int(args.func(args) or 0)
    except PolicyError as exc:
        print(f"guardwrap: policy error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        print(f"guardwrap: {exc.strerror}: {exc.filename}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
