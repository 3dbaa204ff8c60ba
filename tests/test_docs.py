"""The documentation builds and runs as written.

- ``mkdocs build --strict`` passes offline (broken links, missing pages and API reference entries
  that do not resolve fail), and the API reference page is generated from the docstrings;
- every ``python`` block in README.md and docs/*.md runs: a page's blocks in order, in one
  namespace, in a fresh directory holding a copy of ``examples/``. A block that is deliberately
  not runnable is preceded by ``<!-- not run: why -->``;
- every ``guardwrap ...`` command line in a ``bash``/``sh`` block parses with the real CLI parser,
  so the docs cannot name a flag or subcommand the CLI does not have.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_FENCE = re.compile(r"(?P<skip><!--\s*not run:[^\n]*-->\s*\n)?^```(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^```",
                    re.S | re.M)


def blocks(page: Path, *langs: str) -> list[tuple[int, str, bool]]:
    """``(line, body, runs)`` of each fenced block in ``page`` whose language is in ``langs``."""
    text = page.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start("body")) + 1, m["body"], not m["skip"])
            for m in _FENCE.finditer(text) if m["lang"] in langs]


def _id(page: Path) -> str:
    return str(page.relative_to(ROOT))


# -- mkdocs ---------------------------------------------------------------------------------------


@pytest.mark.skipif(not (ROOT / "mkdocs.yml").exists(), reason="no mkdocs.yml")
def test_mkdocs_build_strict_with_the_api_reference(tmp_path):
    pytest.importorskip("mkdocs")
    pytest.importorskip("mkdocstrings")
    env = {**os.environ, "NO_PROXY": "*", "no_proxy": "*", "HTTP_PROXY": "http://127.0.0.1:9",
           "HTTPS_PROXY": "http://127.0.0.1:9"}  # offline: anything fetched would fail the build
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(ROOT / "mkdocs.yml"),
         "-d", str(tmp_path / "site")],
        capture_output=True, text=True, timeout=300, env=env,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (tmp_path / "site" / "compliance" / "index.html").exists()
    ref = (tmp_path / "site" / "reference" / "index.html").read_text(encoding="utf-8")
    # generated from docstrings: signatures and the docstrings of the hooks users implement
    for expected in ("guardwrap.Guard", "Validator", "check", "Look at", "OutputAdapter",
                     "The answer text in", "Sink", "emit", "JsonSchema", "Retry", "render_audit_report"):
        assert expected in ref, f"API reference lacks {expected!r}"


def test_every_page_is_in_the_nav():
    yaml = pytest.importorskip("yaml")
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    in_nav = {next(iter(item.values())) for item in config["nav"]}
    on_disk = {p.name for p in (ROOT / "docs").glob("*.md")}
    assert on_disk == in_nav


# -- python blocks --------------------------------------------------------------------------------

_DRIVER = """
import sys, traceback
ns = {"__name__": "__main__"}
for line, path in zip(sys.argv[1::2], sys.argv[2::2]):
    code = open(path, encoding="utf-8").read()
    try:
        exec(compile(code, f"{PAGE}:{line}", "exec"), ns)
    except SystemExit:
        raise
    except BaseException:
        traceback.print_exc()
        print(f"BLOCK FAILED: {PAGE} block at line {line}", file=sys.stderr)
        sys.exit(1)
for v in list(ns.values()):
    close = getattr(v, "close", None)
    if type(v).__name__ in ("Guard", "JsonlSink", "SqliteSink", "ReviewQueue") and callable(close):
        close()
"""


@pytest.mark.parametrize("page", [p for p in PAGES if blocks(p, "python")], ids=_id)
def test_python_blocks_run_as_written(page, tmp_path):
    runnable = [(line, body) for line, body, runs in blocks(page, "python") if runs]
    if not runnable:
        pytest.skip("no runnable python block")
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    args = []
    for i, (line, body) in enumerate(runnable):
        f = tmp_path / f"_block{i}.py"
        f.write_text(body, encoding="utf-8")
        args += [str(line), str(f)]
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY")}
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("GUARDWRAP_AUDIT_KEY", "docs-test-key-0123456789abcdef0123456789")
    proc = subprocess.run([sys.executable, "-c", _DRIVER.replace("PAGE", repr(_id(page))), *args],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]


def test_skip_markers_say_why():
    for page in PAGES:
        for m in re.finditer(r"<!--\s*not run:([^\n]*)-->", page.read_text(encoding="utf-8")):
            assert len(m[1].split()) >= 2, f"{_id(page)}: say why a block does not run"


# -- command lines --------------------------------------------------------------------------------


def command_lines(page: Path) -> list[tuple[int, list[str]]]:
    out = []
    for line0, body, _ in blocks(page, "bash", "sh", "shell", "console"):
        for k, raw in enumerate(body.splitlines()):
            words = shlex.split(raw, comments=True)
            if words[:1] == ["$"]:
                words = words[1:]
            if not words or words[0] != "guardwrap":
                continue
            for stop in ("|", ">", ">>", "&&", ";"):
                if stop in words:
                    words = words[: words.index(stop)]
            out.append((line0 + k, words[1:]))
    return out


@pytest.mark.parametrize("page", [p for p in PAGES if command_lines(p)], ids=_id)
def test_documented_commands_parse(page, capsys):
    from guardwrap._cli import build_parser

    parser = build_parser()
    for line, argv in command_lines(page):
        try:
            args = parser.parse_args(argv)
        except SystemExit:
            pytest.fail(f"{_id(page)}:{line}: `guardwrap {' '.join(argv)}` does not parse:\n"
                        + capsys.readouterr().err)
        assert getattr(args, "func", None) is not None, f"{_id(page)}:{line}: incomplete command"


def test_the_cli_review_queue_default_is_the_documented_one():
    from guardwrap.review import DEFAULT_PATH

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f'gw.ReviewQueue("{DEFAULT_PATH}")' in readme
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        assert '"review.sqlite3"' not in text and "=review.sqlite3" not in text, _id(page)
