"""`PostgresSink`: the audit trail in PostgreSQL (psycopg 3, extra ``guardwrap[postgres]``).

Batches go in with ``COPY`` in one transaction together with the chain's anchor row. Several
processes may write to the same table: each sink (and each forked child) has its own chain id.
When the server goes away the batch is rolled back and retried after a reconnect (with backoff);
``spill=PATH`` keeps ``sync`` callers going meanwhile (see `TableSink`).
"""

from __future__ import annotations

import contextlib
from typing import Any

from ._read import COLUMNS
from ._table import Row, TableSink, ddl

#: seconds one connection attempt may take; the writer retries with backoff after that
CONNECT_TIMEOUT = 5


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        raise ImportError(
            "PostgresSink needs psycopg 3: pip install 'guardwrap[postgres]'"
        ) from None
    return psycopg


class PostgresSink(TableSink):
    """Hash-chained records in a PostgreSQL table, written by a background thread.

    >>> import guardwrap as gw
    >>> sink = gw.PostgresSink("postgresql://audit@db/audit", table="guardwrap_audit")  # doctest: +SKIP

    ``durability="none"`` turns ``synchronous_commit`` off for the sink's session; ``"batch"`` and
    ``"sync"`` commit each batch durably. The DSN is never logged (it may hold a password).
    """

    def __init__(self, dsn: str, **kwargs: Any) -> None:
        self._psycopg = _psycopg()
        super().__init__(**kwargs)
        self._dsn = dsn
        self._start()

    def __repr__(self) -> str:
        return f"PostgresSink(table={self.table!r}, durability={self.durability!r})"

    def _connect(self) -> None:
        con = self._psycopg.connect(self._dsn, autocommit=False, connect_timeout=CONNECT_TIMEOUT)
        try:
            with con.transaction():
                # Two sinks creating the table at once would race on the catalog; serialise them.
                con.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (self.table,))
                for stmt in ddl(self.table, "id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"):
                    con.execute(stmt)
            if self.durability == "none":
                con.execute("SET synchronous_commit = off")
                con.commit()
        except BaseException:
            con.close()
            raise
        self._con = con
        self._copy = f"COPY {self.table} ({', '.join(COLUMNS)}, record) FROM STDIN"
        self._upsert = (f"INSERT INTO {self.table}_anchor (chain, seq, hash, anchor) VALUES (%s, %s, %s, %s) "
                        "ON CONFLICT (chain) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, "
                        "anchor = excluded.anchor")

    def _commit(self, rows: list[Row], anchor: tuple[str, int, str, str] | None) -> None:
        if not rows and anchor is None:
            return
        con = self._con
        if con is None:
            raise self._psycopg.OperationalError("not connected")
        try:
            with con.cursor() as cur:
                if rows:
                    with cur.copy(self._copy) as copy:
                        for row in rows:
                            copy.write_row(row)
                if anchor is not None:
                    cur.execute(self._upsert, anchor)
            con.commit()
        except BaseException:
            with contextlib.suppress(Exception):  # the connection is gone; the caller drops it
                con.rollback()
            raise

    def _last_row(self, chain: str) -> tuple[int, str] | None:
        con = self._con
        row = con.execute(f"SELECT seq, hash FROM {self.table} WHERE chain = %s ORDER BY seq DESC LIMIT 1",
                          (chain,)).fetchone()
        con.rollback()
        return (int(row[0]), str(row[1])) if row else None

    def _retryable(self, exc: BaseException) -> bool:
        pg = self._psycopg
        if isinstance(exc, (pg.OperationalError, pg.InterfaceError, pg.IntegrityError, OSError)):
            return True  # the server went away (or our view of the chain is off: reconciled on reconnect)
        return not isinstance(exc, pg.Error)

    def _cause(self, exc: BaseException) -> str:
        pg = self._psycopg
        if isinstance(exc, (pg.OperationalError, pg.InterfaceError)):
            return "database-unavailable"
        if isinstance(exc, pg.Error):
            return f"database-{type(exc).__name__}"
        return super()._cause(exc)
