"""Types that check: ``mypy --strict`` on the package is clean, and a guarded function keeps its
signature, so a wrong call is a type error (``typing_cases.py`` marks each expected error)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CASES = Path(__file__).with_name("typing_cases.py")
_ERROR = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): error: (?P<msg>.*?)\s+\[(?P<code>[a-z-]+)\]$")
_EXPECT = re.compile(r"#\s*E:\s*(?P<codes>[a-z-]+(?:\s*,\s*[a-z-]+)*)\s*$")

pytest.importorskip("mypy")


def _mypy(*targets: str) -> list[str]:
    return [sys.executable, "-m", "mypy", "--strict", "--show-error-codes", "--no-error-summary",
            "--hide-error-context", "--no-pretty", *targets]


def _errors(proc: subprocess.CompletedProcess[str]) -> list[tuple[str, int, str, str]]:
    assert proc.returncode in (0, 1), proc.stderr[-2000:] or proc.stdout[-2000:]
    found = []
    for line in proc.stdout.splitlines():
        m = _ERROR.match(line)
        if m:
            found.append((m["path"], int(m["line"]), m["code"], m["msg"]))
        else:
            assert ": note:" in line or not line.strip(), f"unexpected mypy output: {line}"
    return found


def expected_errors(source: str) -> set[tuple[int, str]]:
    out = set()
    for no, line in enumerate(source.splitlines(), 1):
        m = _EXPECT.search(line)
        if m:
            out.update((no, code.strip()) for code in m["codes"].split(","))
    return out


def test_expectation_markers_are_parsed():
    assert expected_errors("x = 1\nf(1)  # E: arg-type\ng()  # E: call-arg, arg-type\n") == {
        (2, "arg-type"), (3, "call-arg"), (3, "arg-type")}


# both mypy runs (tens of seconds with a cold cache) start when collection ends, one after the
# other in one lane (they share mypy's cache), beside the other tests
@pytest.mark.background(_mypy(str(CASES.relative_to(ROOT))), lane="mypy")
def test_wrong_calls_to_guarded_functions_are_type_errors_and_nothing_else_is(
        background_run: Callable[[], subprocess.CompletedProcess[str]]) -> None:
    found = _errors(background_run())
    got = {(line, code) for _, line, code, _ in found}
    want = expected_errors(CASES.read_text())
    assert want, "the cases file lost its expectation markers"
    details = "\n".join(f"  line {line}: [{code}] {msg}" for _, line, code, msg in found)
    assert got - want == set(), f"unexpected type errors:\n{details}"
    assert want - got == set(), f"expected errors mypy did not report: {sorted(want - got)}\n{details}"


@pytest.mark.background(_mypy("src/"), lane="mypy")
def test_package_is_clean_under_mypy_strict(background_run: Callable[[], subprocess.CompletedProcess[str]]) -> None:
    found = _errors(background_run())
    assert found == [], "\n".join(f"{p}:{line}: [{code}] {msg}" for p, line, code, msg in found)
