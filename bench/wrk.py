"""Running wrk with our Lua scripts and reading back the one JSON line they print."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent / "wrk"


@dataclass(frozen=True)
class WrkResult:
    """What one wrk run measured; latencies in milliseconds."""

    seconds: float
    requests: int
    acked: int
    s4xx: int
    s5xx: int
    socket_errors: int
    p50_ms: float
    p99_ms: float

    @property
    def acked_per_second(self) -> float:
        return self.acked / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, float]:
        return {
            "seconds": round(self.seconds, 3),
            "requests": self.requests,
            "acked": self.acked,
            "s4xx": self.s4xx,
            "s5xx": self.s5xx,
            "socket_errors": self.socket_errors,
            "per_second": round(self.acked_per_second, 1),
            "p50_ms": round(self.p50_ms, 2),
            "p99_ms": round(self.p99_ms, 2),
        }


def run_wrk(
    url: str,
    *,
    connections: int,
    seconds: float,
    script: str,
    args: list[str] | None = None,
    headers: list[str] | None = None,
) -> WrkResult:
    """wrk with one thread per connection (so a thread's responses answer its requests),
    sending *headers* ("Name: value") with every request."""
    binary = shutil.which("wrk")
    if binary is None:
        raise RuntimeError("wrk is not installed (apt-get install -y wrk)")
    argv = [binary, "-t", str(connections), "-c", str(connections), "-d", f"{seconds}s"]
    argv += ["--timeout", "10s", "-s", str(SCRIPTS / script), url]
    for header in headers or []:
        argv += ["-H", header]
    if args:
        argv += ["--", *args]
    done = subprocess.run(argv, capture_output=True, text=True, check=True)  # noqa: S603
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH-JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result:\n{done.stdout}\n{done.stderr}")
    raw = json.loads(line.removeprefix("BENCH-JSON "))
    return WrkResult(
        seconds=raw["duration_us"] / 1e6,
        requests=raw["requests"],
        acked=raw["acked"],
        s4xx=raw["s4xx"],
        s5xx=raw["s5xx"],
        socket_errors=raw["connect_errors"]
        + raw["read_errors"]
        + raw["write_errors"]
        + raw["timeouts"],
        p50_ms=raw["p50_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
    )
