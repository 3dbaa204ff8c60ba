"""No raw personal data anywhere: JSONL, SQLite rows, PostgreSQL rows, log output, exceptions."""

from __future__ import annotations

import io
import logging
import os
import re
import sqlite3
import uuid

import pytest
from faker import Faker

import guardwrap as gw

PG_DSN = os.environ.get("GUARDWRAP_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
SSN = re.compile(r"\b\d{3}-\d{2}-\d{4}\b")


@gw.validator(name="pii-like", stage="both", action="redact")
def pii_like(text, ctx):
    found = [gw.Finding("EMAIL_ADDRESS", m.start(), m.end(), 0.9) for m in EMAIL.finditer(text)]
    found += [gw.Finding("US_SSN", m.start(), m.end(), 0.85) for m in SSN.finditer(text)]
    return gw.Result.fail("pii", findings=found) if found else None


@gw.validator(name="no-wire", stage="input", action="block")
def no_wire(text, ctx):
    return gw.Result.fail("wire-transfer") if "wire" in text else None


@gw.validator(name="json-only", stage="output", action="reask")
def json_only(text, ctx):
    return None if text.startswith("{") else gw.Result.fail("not-json", feedback="answer in JSON")


def people(n=40):
    fake = Faker()
    Faker.seed(1234)
    out = []
    for _ in range(n):
        out.append({"name": fake.name(), "email": fake.email(), "ssn": fake.ssn(),
                    "phone": fake.phone_number(), "iban": fake.iban(), "card": fake.credit_card_number(),
                    "address": fake.street_address()})
    return out


def secrets(ps):
    vals = set()
    for p in ps:
        vals.update(v for v in p.values() if len(v) >= 6)
    return vals


def run_guard(sinks, ps):
    errors = []
    guard = gw.Guard("leak", input=[pii_like, no_wire], output=[json_only, pii_like], audit=sinks)
    attempts = {"n": 0}

    @guard
    def ask(prompt: str) -> str:
        attempts["n"] += 1
        # a careless model: first answer repeats personal data in prose, the re-ask answers in JSON
        if attempts["n"] % 2:
            return f"Sure {ps[0]['name']}, I wrote to {ps[0]['email']} about {prompt}"
        return '{"ok": true, "note": "contact ' + ps[1]["email"] + '"}'

    for i, p in enumerate(ps):
        text = (f"My name is {p['name']}, email {p['email']}, SSN {p['ssn']}, phone {p['phone']}, "
                f"IBAN {p['iban']}, card {p['card']}, I live at {p['address']}.")
        if i % 4 == 0:
            text += " Please wire it all now."
        with gw.context(actor=p["email"], request_id=f"req-{i}"):
            try:
                ask(text)
            except gw.GuardrailError as exc:
                errors.append(str(exc))
                errors.append(repr(exc))
                errors.append(repr(exc.decision))
    guard.close()
    assert errors, "the blocking rule never fired"
    return errors


def assert_clean(blob, vals, where):
    leaked = sorted(v for v in vals if v in blob)
    assert not leaked, f"{len(leaked)} raw values found in {where}"


def test_no_raw_values_in_any_sink_log_or_exception(tmp_path):
    ps = people()
    vals = secrets(ps)
    log_out = io.StringIO()
    handler = logging.StreamHandler(log_out)

    class JsonExtra(logging.Formatter):
        def format(self, record):
            import orjson

            return super().format(record) + " " + orjson.dumps(getattr(record, "guardwrap", {})).decode()

    handler.setFormatter(JsonExtra("%(levelname)s %(name)s %(message)s"))
    logger = logging.getLogger("guardwrap")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    sinks = [gw.JsonlSink(tmp_path / "leak.jsonl"), gw.SqliteSink(tmp_path / "leak.db"),
             gw.LoggingSink("guardwrap.audit.leak")]
    pg_table = None
    try:
        import psycopg

        with psycopg.connect(PG_DSN, connect_timeout=3):
            pg_table = f"gw_leak_{uuid.uuid4().hex[:10]}"
            sinks.append(gw.PostgresSink(PG_DSN, table=pg_table))
    except Exception:
        pg_table = None
    try:
        errors = run_guard(sinks, ps)
    finally:
        logger.removeHandler(handler)

    jsonl = (tmp_path / "leak.jsonl").read_text()
    assert '"type":"call"' in jsonl and '"entity_type":"EMAIL_ADDRESS"' in jsonl  # it did record
    assert '"outcome":"blocked"' in jsonl
    assert_clean(jsonl, vals, "the JSONL log")
    anchor = (tmp_path / "leak.jsonl.anchor").read_text()
    assert_clean(anchor, vals, "the anchor")

    con = sqlite3.connect(tmp_path / "leak.db")
    rows = con.execute("SELECT * FROM guardwrap_audit").fetchall()
    con.close()
    assert len(rows) > 40
    assert_clean(repr(rows), vals, "the SQLite rows")

    out = log_out.getvalue()
    assert "guardwrap audit decision" in out
    assert_clean(out, vals, "the log output")
    assert_clean("\n".join(errors), vals, "exception texts")
    for s in sinks:
        assert_clean(repr(s), vals, "a sink repr")

    assert gw.audit.verify(tmp_path / "leak.jsonl").ok
    assert gw.audit.verify(tmp_path / "leak.db").ok

    if pg_table is not None:
        import psycopg

        with psycopg.connect(PG_DSN, autocommit=True) as con:
            pg_rows = con.execute(f"SELECT * FROM {pg_table}").fetchall()
            con.execute(f"DROP TABLE {pg_table}")
            con.execute(f"DROP TABLE {pg_table}_anchor")
        assert len(pg_rows) > 40
        assert_clean(repr(pg_rows), vals, "the PostgreSQL rows")


@pytest.mark.postgres
def test_postgres_is_reachable_for_the_leak_test():
    psycopg = pytest.importorskip("psycopg")
    with psycopg.connect(PG_DSN, connect_timeout=3) as con:
        assert con.execute("SELECT 1").fetchone() == (1,)
