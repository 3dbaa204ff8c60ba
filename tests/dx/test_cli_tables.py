"""CLI tables read well at 80 columns (CI logs): nothing cut, nothing wider than the terminal; rich
is optional (plain tables and a hint without it); every command that prints a table has --json."""

from __future__ import annotations

import contextlib
import io
import json
import re
import sys

import pytest

import guardwrap as gw
from guardwrap._cli import _out, build_parser, main

WIDE_HEADERS = ["validator", "pass", "warned", "fixed", "escalated", "blocked", "error", "total"]
WIDE_ROWS = [["prompt_injection_with_a_long_name", 1200, 3, 0, 45, 17, 0, 1265],
             ["pii", 1265, 0, 310, 0, 0, 0, 1575]]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _words(headers):
    return {w for h in headers for w in h.split()}


@pytest.mark.parametrize("width", [40, 60, 80, 120])
def test_plain_table_fits_and_keeps_every_header_word_whole(width):
    text = _out.render("Decisions", WIDE_HEADERS, WIDE_ROWS, numeric=range(1, 8), max_width=width)
    assert all(len(line) <= width for line in text.splitlines()), text
    tokens = set(text.split())
    assert _words(WIDE_HEADERS) <= tokens, text  # no "deci..." or "escal\u2026"
    assert "\u2026" not in text
    for value in ("1200", "1265", "1575", "310"):
        assert value in tokens


def test_long_headers_wrap_instead_of_widening_the_table():
    headers = ["calls", "block rate", "escalation rate", "p50 latency"]
    text = _out.render("", headers, [[10, "20.0%", "0.0%", "12 us"]], numeric=(0,), max_width=40)
    assert all(len(line) <= 40 for line in text.splitlines())
    assert _words(headers) <= set(text.split())


def test_numbers_are_right_aligned():
    text = _out.render("", ["name", "n"], [["a", 5], ["b", 1234]], numeric=(1,), max_width=80)
    rows = text.splitlines()[2:]
    assert rows[0].endswith("   5") and rows[1].endswith("1234")


def test_too_many_columns_print_one_block_per_row():
    headers = [f"column number {i}" for i in range(12)]
    text = _out.render("T", headers, [[f"value-{i}" for i in range(12)]], max_width=40)
    assert all(len(line) <= 40 for line in text.splitlines())
    assert "value-11" in text and "column number 11" in text


def test_rich_tables_on_a_terminal_fold_and_never_cut(monkeypatch):
    pytest.importorskip("rich")
    monkeypatch.setenv("COLUMNS", "80")
    term = Terminal()
    _out.print_table("Decisions", WIDE_HEADERS, WIDE_ROWS, numeric=range(1, 8), stream=term)
    text = re.sub(r"\x1b\[[0-9;]*m", "", term.getvalue())  # colour codes take no columns
    assert "\u2026" not in text
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "escalated" in text and "1265" in text  # long names fold onto more lines


def test_without_rich_the_cli_prints_plain_tables_and_a_hint(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "rich", None)
    monkeypatch.setitem(sys.modules, "rich.console", None)
    monkeypatch.setattr(_out, "_HINTED", [])
    term = Terminal()
    _out.print_table("T", ["a", "b"], [[1, 2]], stream=term)
    _out.echo("[green]ok[/green] done", stream=term)
    _out.print_table("T", ["a", "b"], [[3, 4]], stream=term)
    assert "ok done" in term.getvalue() and "[green]" not in term.getvalue()
    assert capsys.readouterr().err.count("guardwrap[cli]") == 1


def test_audit_stats_fits_80_columns(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    log = tmp_path / "audit.jsonl"
    long_name = gw.validator(name="a-validator-with-a-rather-long-name", action="warn")(
        lambda t, ctx: gw.Result.fail("caps") if t.isupper() else None)
    guard = gw.Guard("bot", input=[long_name, gw.MaxLength(chars=5)], audit=gw.JsonlSink(str(log)),
                     policy_id="retail-assistant", policy_version=7)

    @guard
    def ask(prompt: str) -> str:
        return "ok"

    for text in ("hi", "HELLO", "far too long"):
        with contextlib.suppress(gw.Blocked):
            ask(text)
    guard.close()
    assert main(["audit", "stats", str(log)]) == 0
    out = capsys.readouterr().out
    assert all(len(line) <= 80 for line in out.splitlines()), out
    assert "escalated" in out.split() and "a-validator-with-a-rather-long-name" in out
    assert "retail-assistant v7" in out and "\u2026" not in out


def _subcommands(parser):
    import argparse

    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield name, sub
                for sub_name, subsub in _subcommands(sub):
                    yield f"{name} {sub_name}", subsub


# commands that print tables or lists a machine might read, and must offer --json
TABLE_COMMANDS = ("audit stats", "policy test", "policy lint", "policy hash", "policy diff", "redteam",
                  "review list", "review show", "check")


def test_every_command_that_prints_a_table_has_json():
    commands = dict(_subcommands(build_parser()))
    for name in TABLE_COMMANDS:
        opts = {o for a in commands[name]._actions for o in a.option_strings}
        assert "--json" in opts, f"guardwrap {name} has no --json"


def test_policy_diff_and_lint_json(tmp_path, capsys):
    a = tmp_path / "a.yaml"
    a.write_text("id: p\nversion: 1\ninput:\n  - max_length: {chars: 100}\n")
    b = tmp_path / "b.yaml"
    b.write_text("id: p\nversion: 2\ninput:\n  - max_length: {chars: 50}\n  - secrets: {}\n")
    assert main(["policy", "diff", str(a), str(b), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert not data["same"]
    assert {(c["change"], c["rule"]) for c in data["changes"]} == {
        ("changed", "input.max_length"), ("added", "input.secrets"), ("version", "version")}
    assert main(["policy", "lint", str(a), "--json"]) == 0
    lint = json.loads(capsys.readouterr().out)
    assert lint["ok"] and lint["id"] == "p" and lint["input"] == 1
