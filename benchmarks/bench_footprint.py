"""Import time and memory: `import guardwrap` (budget 100 ms) and the RSS a built guard adds over
bare Python (budget 40 MB). Each number comes from a fresh interpreter.

Run: python benchmarks/bench_footprint.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from _harness import machine, table

SRC = os.path.join(os.path.dirname(__file__), "..", "src")
ENV = {**os.environ, "PYTHONPATH": SRC, "GUARDWRAP_AUDIT_KEY": "benchmark-key-0123456789abcdef0123456789"}

IMPORT = "import time; t = time.perf_counter(); import guardwrap; print((time.perf_counter() - t) * 1000)"
RSS = """
import resource, tempfile, os
def rss(): return int(open('/proc/self/statm').read().split()[1]) * os.sysconf('SC_PAGE_SIZE') / 2**20
base = rss()
import guardwrap as gw
guard = gw.Guard("full", input=[gw.PII(), gw.DenyTerms(["bypass kyc"] * 1 + [f"term {i}" for i in range(49)]),
                 gw.PromptInjection(), gw.MaxLength(chars=8000), gw.Secrets(), gw.InvisibleText()],
                 output=[gw.PII(action="redact")], audit=gw.JsonlSink(tempfile.mktemp()))
guard.check("Card 4111 1111 1111 1111, mail a@b.com, +1 415 555 2671, IBAN DE89370400440532013000")
print(rss() - base)
"""


def run(code: str) -> float:
    out = subprocess.run([sys.executable, "-c", code], env=ENV, capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    imports = [run(IMPORT) for _ in range(7)]
    rss = [run(RSS) for _ in range(3)]
    table(f"Footprint ({machine()})", ["what", "median", "budget"], [
        ["import guardwrap (ms)", statistics.median(imports), "100"],
        ["RSS added by a guard with PII, rules, injection, JSONL audit (MB)", statistics.median(rss), "40"],
    ])


if __name__ == "__main__":
    main()
