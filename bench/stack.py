"""The processes a benchmark runs against: Redis, gunicorn, the worker and the SMTP sink."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing answered on {HOST}:{port} within {timeout:.0f}s")


def tree(pid: int) -> list[int]:
    """*pid* and its living descendants (a prefork worker's pool processes), from /proc."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            for child in (task / "children").read_text().split():
                found += tree(int(child))
    return found


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of *pid*, its living descendants and the children they
    waited for, from /proc."""
    ticks = 0
    for member in tree(pid):
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def reset_peak_memory(pid: int) -> None:
    """Start VmHWM afresh in *pid* and its descendants (Linux >= 4.0); harmless where the
    kernel refuses."""
    for member in tree(pid):
        with contextlib.suppress(OSError):
            Path(f"/proc/{member}/clear_refs").write_text("5")


def peak_memory_mib(pid: int) -> float:
    """The largest peak resident set (VmHWM) among *pid* and its descendants."""
    peak = 0
    for member in tree(pid):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
    return peak / 1024


@dataclass
class Stack:
    """Every process started here is stopped by stop(), whatever happened in between."""

    env: dict[str, str]
    logs: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, name: str, argv: list[str], port: int | None = None) -> int:
        self.logs.mkdir(parents=True, exist_ok=True)
        log = (self.logs / f"{name}.log").open("ab")
        process = subprocess.Popen(  # noqa: S603  (our own argv)
            argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        self.processes[name] = process
        if port is not None:
            wait_for_port(port)
        return process.pid

    def redis(self, port: int) -> None:
        binary = shutil.which("redis-server") or "redis-server"
        data = self.logs / "redis"
        data.mkdir(parents=True, exist_ok=True)
        argv = [binary, "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no"]
        self.start("redis", [*argv, "--dir", str(data)], port)

    def sink(self, port: int, log: Path) -> None:
        argv = [sys.executable, "-m", "bench.sink", "--port", str(port), "--log", str(log)]
        self.start("sink", argv, port)

    def gunicorn(self, name: str, app: str, port: int) -> None:
        """The app and every baseline alike: 2 sync workers (the figures' history), or
        BENCH_WEB_WORKERS (the README's production line has 4)."""
        workers = os.environ.get("BENCH_WEB_WORKERS", "2")
        argv = [str(BIN / "gunicorn"), "--workers", workers, "--worker-class", "sync"]
        argv += ["--bind", f"{HOST}:{port}", "--backlog", "2048", "--log-level", "warning"]
        self.start(name, [*argv, app], port)

    def worker(self) -> int:
        """The Celery worker as the README recommends for 2 cores (WORKER_CONCURRENCY)."""
        concurrency = os.environ.get("BENCH_WORKER_CONCURRENCY", "2")
        pool = ["--pool=solo"] if concurrency == "1" else ["--pool=prefork", "-c", concurrency]
        argv = [str(BIN / "celery"), "-A", "worker.app", "worker", *pool]
        level = os.environ.get("BENCH_WORKER_LOGLEVEL", "WARNING")
        argv += ["-Q", "campaign", f"--loglevel={level}", "--without-heartbeat"]
        argv += ["--without-gossip", "--without-mingle"]
        return self.start("worker", argv)

    def stop_one(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def stop(self) -> None:
        for name in reversed(list(self.processes)):
            self.stop_one(name)

    def alive(self, name: str) -> bool:
        process = self.processes.get(name)
        return process is not None and process.poll() is None
