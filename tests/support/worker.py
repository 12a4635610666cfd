"""A real Celery worker process, consuming from the test Redis, using the test database."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class CeleryWorker:
    """`celery -A worker.app worker` in a subprocess, with the environment the tests choose."""

    def __init__(self, env: dict[str, str], *, respawn: bool = False) -> None:
        """With *respawn*, run under scripts/respawn, as `make run`'s Procfile does."""
        self.env = {**os.environ, **env, "CAMPAIGN_ENV": "test"}
        self.prefix = [str(ROOT / "scripts" / "respawn")] if respawn else []
        self.log = Path(tempfile.mkstemp(prefix="campaign-worker-", suffix=".log")[1])
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60.0) -> None:
        self.log.write_text("")
        handle = self.log.open("ab")
        self.process = subprocess.Popen(
            [
                *self.prefix,
                sys.executable,
                "-m",
                "celery",
                "-A",
                "worker.app",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "-Q",
                "campaign",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "ready." in self.log.read_text(errors="replace"):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        output = self.log.read_text()[-4000:]
        self.kill()  # under respawn, the wrapper would go on starting it
        raise RuntimeError("the Celery worker did not start:\n" + output)

    def kill(self) -> None:
        """SIGKILL: the worker dies without acknowledging what it was doing (and under respawn,
        the wrapper and the worker both)."""
        if self.process is not None:
            for pid in [self.process.pid, *_descendants(self.process.pid)]:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            self.process.wait(timeout=20)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def _descendants(pid: int) -> list[int]:
    """Every process below *pid* (the respawn wrapper's worker, and its own children)."""
    found: list[int] = []
    waiting = [pid]
    while waiting:
        parent = waiting.pop()
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except OSError:
            continue
        found += [int(child) for child in children]
        waiting += [int(child) for child in children]
    return found
