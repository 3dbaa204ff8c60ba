"""`PostgresSink`: the audit trail in PostgreSQL (psycopg 3, extra ``guardwrap[postgres]``).

Batches go in with ``COPY`` in one transaction together with the chain's anchor row. Several
processes may write to the same table: each sink (and each forked child) has its own chain id.
"""

from __future__ import annotations

from typing import Any

from ._read import COLUMNS
from ._table import Row, TableSink, ddl


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
        self._con: Any = None
        self._start()

    def __repr__(self) -> str:
        return f"PostgresSink(table={self.table!r}, durability={self.durability!r})"

    def _connect(self) -> None:
        con = self._psycopg.connect(self._dsn, autocommit=False)
        with con.transaction():
            # Two sinks creating the table at once would race on the catalog; serialise them.
            con.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (self.table,))
            for stmt in ddl(self.table, "id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"):
                con.execute(stmt)
        if self.durability == "none":
            con.execute("SET synchronous_commit = off")
            con.commit()
        self._con = con
        self._copy = f"COPY {self.table} ({', '.join(COLUMNS)}, record) FROM STDIN"
        self._upsert = (f"INSERT INTO {self.table}_anchor (chain, seq, hash, anchor) VALUES (%s, %s, %s, %s) "
                        "ON CONFLICT (chain) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, "
                        "anchor = excluded.anchor")

    def _commit(self, rows: list[Row], anchor: tuple[str, int, str, str] | None) -> None:
        if not rows and anchor is None:
            return
        con = self._con
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
            con.rollback()
            raise

    def _alive(self) -> bool:
        return self._con is not None and not self._con.closed

    def _disconnect(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None
