"""Many chained rows, fast: for the tests that verify logs far larger than a test could write
through a sink in its time budget. The rows are exactly what a sink writes (same chain, same
columns); only the queue and the writer thread are skipped."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from typing import Any

from guardwrap.audit._chain import Chainer, make_signer
from guardwrap.audit._read import COLUMNS
from guardwrap.audit._table import ddl


def rows(n: int, chains: int = 1, checkpoint_every: int = 10_000) -> Iterator[tuple[Any, ...]]:
    signer = make_signer(None, None)
    for _ in range(chains):
        c = Chainer()
        since = 0
        for i in range(n // chains):
            rec = {"schema": "guardwrap.audit/1", "type": "call", "ts": 1.7e9 + i, "request_id": f"r{i}",
                   "outcome": "pass", "validator": None, "policy_hash": "ab" * 32, "latency_us": 3.5}
            line = c.seal(rec)
            yield (rec["chain"], rec["seq"], rec["ts"], "call", rec["request_id"], "pass", None, rec["policy_hash"],
                   rec["hash"], line[:-1].decode())
            since += 1
            if since >= checkpoint_every:
                cp = {"schema": "guardwrap.audit/1", "type": "checkpoint", "ts": time.time(), "count": since,
                      "alg": signer.alg, "key_id": signer.key_id}
                line = c.seal_signed(cp, signer)
                yield (cp["chain"], cp["seq"], cp["ts"], "checkpoint", None, None, None, None, cp["hash"],
                       line[:-1].decode())
                since = 0


def fill_sqlite(path: str, n: int, table: str = "guardwrap_audit") -> None:
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    for stmt in ddl(table, "id INTEGER PRIMARY KEY"):
        con.execute(stmt)
    cols = ", ".join(COLUMNS) + ", record"
    con.execute("BEGIN")
    con.executemany(f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' * (len(COLUMNS) + 1))})", rows(n))
    con.execute("COMMIT")
    con.close()


def fill_postgres(dsn: str, n: int, table: str) -> None:
    import psycopg

    with psycopg.connect(dsn, autocommit=False) as con:
        for stmt in ddl(table, "id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"):
            con.execute(stmt)
        with con.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(COLUMNS)}, record) FROM STDIN") as copy:
            for row in rows(n):
                copy.write_row(row)
        con.commit()
