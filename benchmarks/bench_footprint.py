"""Import time and memory: `import guardwrap` (budget 100 ms) and the RSS a built guard adds over
bare Python (budget 40 MB). Each number comes from a fresh interpreter.

``--install [REF ...]`` measures what ``pip install guardwrap`` (the core, no extras) brings: it
installs each git ref (``WORKTREE`` for the checkout as it is) into a fresh virtual environment
and reports the distributions installed besides guardwrap, pip and setuptools, their size on
disk, the three largest, and ``import guardwrap`` there; it also checks that phone numbers are
still detected (the metadata guardwrap reads comes with the package).

Run: python benchmarks/bench_footprint.py
     python benchmarks/bench_footprint.py --install main WORKTREE
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from _harness import machine, table

SRC = os.path.join(os.path.dirname(__file__), "..", "src")
# (without PYTHONDONTWRITEBYTECODE, which some CI images set: an installed package has its .pyc
# files, and an import that compiles every module from source reads 2-3x slower)
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
       "PYTHONPATH": SRC, "GUARDWRAP_AUDIT_KEY": "benchmark-key-0123456789abcdef0123456789"}

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


ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
_SKIP = {"pip", "setuptools", "wheel", "guardwrap"}
# Run inside the fresh environment: size per distribution from its RECORD, and a phone smoke test.
SIZES = """
import importlib.metadata as md, json, os
out = {}
for d in md.distributions():
    name = d.metadata["Name"].lower()
    size = 0
    for f in d.files or ():
        p = f.locate()
        if os.path.isfile(p):
            size += os.path.getsize(p)
    out[name] = size
import guardwrap as gw
phone = [f.entity_type for f in gw.detect_pii("Call me on +44 20 7946 0958 tomorrow.")]
print(json.dumps({"sizes": out, "phone": phone}))
"""


def install(ref: str, workdir: str) -> list[object]:
    """One row for ``ref``: packages, MB, largest three, and (last) the environment's python."""
    import json
    import tarfile

    src = ROOT
    if ref != "WORKTREE":
        src = os.path.join(workdir, f"src-{ref.replace('/', '_')}")
        os.makedirs(src)
        archive = subprocess.run(["git", "-C", ROOT, "archive", "--format=tar", ref], capture_output=True,
                                 check=True).stdout
        import io

        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(src, filter="data")
    venv = os.path.join(workdir, f"venv-{ref.replace('/', '_')}")
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    py = os.path.join(venv, "bin", "python")
    subprocess.run([py, "-m", "pip", "install", "-q", "--no-cache-dir", src], check=True)
    info = json.loads(subprocess.run([py, "-c", SIZES], capture_output=True, text=True, check=True,
                                     cwd=workdir).stdout)
    assert "PHONE_NUMBER" in info["phone"], f"{ref}: phone numbers are no longer detected: {info['phone']}"
    deps = {k: v for k, v in info["sizes"].items() if k not in _SKIP}
    top = sorted(deps.items(), key=lambda kv: -kv[1])[:3]
    return [ref, len(deps), sum(deps.values()) / 2**20, ", ".join(f"{k} {v / 2**20:.1f}" for k, v in top), py]


def import_ms(pythons: list[str], cwd: str, rounds: int = 9) -> list[float]:
    """Median ``import guardwrap`` per interpreter, the interpreters interleaved round by round."""
    times: list[list[float]] = [[] for _ in pythons]
    for _ in range(rounds):
        for i, py in enumerate(pythons):
            out = subprocess.run([py, "-c", IMPORT], capture_output=True, text=True, check=True, cwd=cwd)
            times[i].append(float(out.stdout.strip()))
    return [statistics.median(t) for t in times]


def main() -> None:
    if "--install" in sys.argv:
        import tempfile

        refs = sys.argv[sys.argv.index("--install") + 1:] or ["WORKTREE"]
        with tempfile.TemporaryDirectory() as tmp:
            rows = [install(ref, tmp) for ref in refs]
            for row, ms in zip(rows, import_ms([str(r.pop()) for r in rows], tmp), strict=True):
                row.append(ms)
        table(f"Core install: pip install guardwrap, no extras ({machine()})",
              ["ref", "packages", "MB", "largest (MB)", "import guardwrap (ms)"], rows)
        return
    run(IMPORT)  # (writes the .pyc files a first import of a fresh checkout lacks)
    imports = [run(IMPORT) for _ in range(7)]
    rss = [run(RSS) for _ in range(3)]
    table(f"Footprint ({machine()})", ["what", "median", "budget"], [
        ["import guardwrap (ms)", statistics.median(imports), "100"],
        ["RSS added by a guard with PII, rules, injection, JSONL audit (MB)", statistics.median(rss), "40"],
    ])


if __name__ == "__main__":
    main()
