import os

import pytest

PG_DSN = os.environ.get("GUARDWRAP_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")

# A fixed audit key for the suite: keyed hashes are then stable and no "random key" warning fires.
os.environ.setdefault("GUARDWRAP_AUDIT_KEY", "test-audit-key-0123456789abcdef0123456789abcdef")


@pytest.fixture
def memory_sink():
    import guardwrap as gw

    return gw.MemorySink()


@pytest.fixture(scope="session")
def pg_dsn():
    """The test PostgreSQL server. Skipped when it cannot be reached, except where
    GUARDWRAP_REQUIRE_POSTGRES=1 (CI), where an unreachable server fails the test."""
    psycopg = pytest.importorskip("psycopg")
    try:
        psycopg.connect(PG_DSN, connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        if os.environ.get("GUARDWRAP_REQUIRE_POSTGRES") == "1":
            raise
        pytest.skip(f"PostgreSQL not reachable at {PG_DSN}: {type(exc).__name__}")
    return PG_DSN
