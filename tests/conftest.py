import os

import pytest

# A fixed audit key for the suite: keyed hashes are then stable and no "random key" warning fires.
os.environ.setdefault("GUARDWRAP_AUDIT_KEY", "test-audit-key-0123456789abcdef0123456789abcdef")


@pytest.fixture
def memory_sink():
    import guardwrap as gw

    return gw.MemorySink()
