"""Real faults for the audit tests: a small tmpfs that fills up, a private PostgreSQL server that is
stopped and started for real (never the shared one on 5432: other suites use it meanwhile)."""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

REQUIRE = os.environ.get("GUARDWRAP_REQUIRE_POSTGRES") == "1"  # set in CI: there, nothing here may skip


def _unavailable(reason: str) -> None:
    if REQUIRE:
        pytest.fail(f"{reason} (GUARDWRAP_REQUIRE_POSTGRES=1: CI must run the fault tests)")
    pytest.skip(reason)


class Tmpfs:
    """A mounted tmpfs of a few MB and a way to fill it to the last byte and free it again."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.filler = path / "filler.bin"

    def fill(self) -> int:
        """Write a filler file until the disk is full; returns its size."""
        size = 0
        with open(self.filler, "ab", buffering=0) as f:
            for chunk in (1 << 16, 4096, 512, 64, 1):
                data = b"\0" * chunk
                while True:
                    try:
                        n = f.write(data)
                    except OSError as exc:
                        if exc.errno != errno.ENOSPC:
                            raise
                        break
                    size += n or 0
                    if not n:
                        break
        return size

    def free(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.remove(self.filler)


@pytest.fixture
def tmpfs(tmp_path):
    """A 4 MB tmpfs, mounted for the test (root only: CI runs as root)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root (CI runs as root)")
    mnt = tmp_path / "tmpfs"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m,mode=0777", "tmpfs", str(mnt)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
    try:
        yield Tmpfs(mnt)
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PrivatePostgres:
    """A throwaway PostgreSQL cluster in a temp dir on a free port, run as the ``postgres`` user."""

    def __init__(self) -> None:
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        initdb = bins[-1] if bins else shutil.which("initdb")
        if initdb is None:
            _unavailable("no initdb found to run a private PostgreSQL server")
        self.bin = os.path.dirname(str(initdb))
        self.dir = tempfile.mkdtemp(prefix="gw-pg-")
        self.port = _free_port()
        self.dsn = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        self._run("initdb", "-D", f"{self.dir}/data", "-A", "trust", "-U", "postgres", "--no-sync")

    def _run(self, tool: str, *args: str) -> None:
        user = "postgres" if os.geteuid() == 0 else None
        r = subprocess.run([os.path.join(self.bin, tool), *args], capture_output=True, text=True, user=user,
                           timeout=60)
        if r.returncode != 0:
            raise RuntimeError(f"{tool} failed: {r.stderr.strip()[-500:]}")

    def start(self) -> None:
        self._run("pg_ctl", "-D", f"{self.dir}/data", "-l", f"{self.dir}/log", "-w", "-t", "30", "-o",
                  f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", f"{self.dir}/data", "-m", "fast", "-w", "-t", "30", "stop")

    def destroy(self) -> None:
        with contextlib.suppress(Exception):
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="module")
def private_pg():
    """A private PostgreSQL server this module may stop and start at will."""
    pytest.importorskip("psycopg")
    try:
        pg = PrivatePostgres()
        pg.start()
    except (RuntimeError, OSError, subprocess.SubprocessError, KeyError) as exc:
        _unavailable(f"cannot run a private PostgreSQL server here: {exc}")
    try:
        yield pg
    finally:
        pg.destroy()


def wait_until(pred, timeout: float = 10.0, step: float = 0.02) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(step)
    return pred()
