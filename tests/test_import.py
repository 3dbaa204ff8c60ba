"""`import guardwrap` stays light: no heavy or network modules, and lazy names resolve."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pydantic", "phonenumbers", "presidio_analyzer", "spacy", "torch", "httpx", "requests", "openai",
         "anthropic", "psycopg", "opentelemetry", "cryptography", "tenacity", "rich", "yaml", "urllib3")


def test_import_pulls_in_no_heavy_module():
    code = "import sys, guardwrap; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = {m.split(".")[0] for m in out.split()}
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_unknown_attribute_is_an_attribute_error():
    import guardwrap as gw

    try:
        gw.DoesNotExist  # noqa: B018
    except AttributeError as exc:
        assert "DoesNotExist" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("expected AttributeError")


def test_cli_runs_as_a_module():
    out = subprocess.run([sys.executable, "-m", "guardwrap", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("guardwrap ")
