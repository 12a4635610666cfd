"""A PostgreSQL cluster of a test's own, to stop and start without touching the suite's."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg

from tests.support.servers import free_port, wait_for_port

# initdb refuses root: as root, the cluster runs as the user scripts/services.sh creates.
RUN_AS = "campaign-pg"
USER = "campaign"


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name) or ""]
    if not found[-1]:
        raise RuntimeError(f"{name} is not installed: run `make test`, which installs PostgreSQL")
    return found[-1]


class PostgresCluster:
    """initdb in a temporary directory; start, stop (fast shutdown) and start again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="campaign-pg-"))
        self.data = self.dir / "data"
        self.root = os.geteuid() == 0
        if self.root:
            shutil.chown(self.dir, RUN_AS)
        self._run(_bin("initdb"), "-D", str(self.data), "-U", USER, "--auth=trust", "-E", "UTF8")

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", RUN_AS, "--"] if self.root else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, cwd=self.dir)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{USER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        admin = self.url().replace("+psycopg", "")
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def start(self) -> None:
        options = f"-h 127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off"
        log = str(self.dir / "server.log")
        self._run(_bin("pg_ctl"), "-D", str(self.data), "-l", log, "-w", "-o", options, "start")
        wait_for_port(self.port)

    def stop(self) -> None:
        self._run(_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        wait_for_port(self.port, up=False)

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
