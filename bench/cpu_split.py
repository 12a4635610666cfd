"""Where the CPU of a pledge POST goes: `bench/run.sh cpu`.

The app and B2 (the minimal Flask insert) in turn, three rounds at 64 connections
(BENCH_CPU_CONNECTIONS, BENCH_CPU_SECONDS to change), and for each run the CPU time per
accepted pledge of each process taking part, read from /proc before and after: the gunicorn
workers, every PostgreSQL backend, Redis and wrk. On 2 cores all of it competes for the same
CPU, so a target's rate follows its total: the app's ratio to B2 is the ratio of the totals.
"""

from __future__ import annotations

import os
import resource
import statistics
from pathlib import Path
from typing import Any

from bench import surge
from bench.stack import ROOT, Stack, cpu_seconds

CONNECTIONS = int(os.environ.get("BENCH_CPU_CONNECTIONS", "64"))
SECONDS = int(os.environ.get("BENCH_CPU_SECONDS", "4"))
ROUNDS = 3
PARTS = ("gunicorn", "postgresql", "redis", "wrk")


def _postgres_seconds() -> float:
    """CPU of the benchmark's PostgreSQL: its postmaster and every backend."""
    postmaster = (ROOT / ".services" / "bench" / "pg" / "postmaster.pid").read_text().split()[0]
    return cpu_seconds(int(postmaster))


def _wrk_seconds() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk runs as our child
    return used.ru_utime + used.ru_stime


def _sample(stack: Stack, target: str) -> dict[str, float]:
    return {
        "gunicorn": cpu_seconds(stack.processes[target].pid),
        "postgresql": _postgres_seconds(),
        "redis": cpu_seconds(stack.processes["redis"].pid),
        "wrk": _wrk_seconds(),
    }


def measure(stack: Stack, urls: dict[str, str], ports: dict[str, int], work: Path,
            stamp: str) -> dict[str, Any]:  # fmt: skip
    stack.gunicorn("app", "wsgi:app", ports["app"])
    stack.gunicorn("b2", "bench.baselines:flask_insert", ports["b2"])
    plan = surge.SurgePlan(stamp, urls, (CONNECTIONS,), SECONDS, ROUNDS, work / "cpu")
    for target in ("app", "b2"):  # warm both workers of each
        surge._wrk(plan, target, f"{stamp}w{target}", 4, 1)
    runs: list[dict[str, Any]] = []
    for round_no in range(ROUNDS):
        for target in ("app", "b2") if round_no % 2 == 0 else ("b2", "app"):
            before = _sample(stack, target)
            result = surge._wrk(plan, target, f"{stamp}{target}r{round_no}", CONNECTIONS, SECONDS)
            after = _sample(stack, target)
            ms = {part: 1000 * (after[part] - before[part]) / result.acked for part in PARTS}
            runs.append({"target": target, "per_second": result.acked_per_second, "ms": ms})
            shares = " ".join(f"{part} {ms[part]:.2f}" for part in PARTS)
            print(
                f"  cpu {target:>3} round {round_no + 1}: {result.acked_per_second:7.1f}/s, "
                f"ms per pledge: {shares}, total {sum(ms.values()):.2f}",
                flush=True,
            )
    summary = {
        target: {
            part: round(statistics.median(r["ms"][part] for r in runs if r["target"] == target), 3)
            for part in PARTS
        }
        for target in ("app", "b2")
    }
    return {"connections": CONNECTIONS, "runs": runs, "median_ms_per_pledge": summary}
