"""Benchmark 1, the pledge surge: the real form against B1 and B2, then proof nothing was lost."""

from __future__ import annotations

import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import requests

from bench.sink import read_log
from bench.wrk import WrkResult, run_wrk

TARGETS = ("app", "b1", "b2")
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PENDING_CONFIRMATIONS = (
    "SELECT count(*) FROM outbound_emails WHERE idempotency_key LIKE 'pledge-confirm:%%' "
    "AND status IN ('queued', 'sending')"
)


@dataclass(frozen=True)
class SurgePlan:
    stamp: str  # digits: makes every address of this benchmark run unique
    urls: dict[str, str]  # target -> base URL
    connections: tuple[int, ...]
    seconds: float
    rounds: int
    out: Path


def session_and_token(base: str) -> tuple[str, str]:
    """A session cookie and the CSRF token of the form, as a browser gets them."""
    response = requests.get(f"{base}/pledge/individual", timeout=10)
    response.raise_for_status()
    found = TOKEN.search(response.text)
    if found is None:
        raise RuntimeError("no csrf_token on /pledge/individual")
    cookie = "; ".join(f"{c.name}={c.value}" for c in response.cookies)
    return found.group(1), cookie


def _wrk(plan: SurgePlan, target: str, run_id: str, conns: int, seconds: float) -> WrkResult:
    token, cookie = session_and_token(plan.urls["app"]) if target == "app" else ("-", "x=1")
    logs = plan.out / run_id
    logs.mkdir(parents=True, exist_ok=True)
    url = f"{plan.urls[target]}/pledge/individual"
    return run_wrk(
        url,
        connections=conns,
        seconds=seconds,
        script="pledge.lua",
        args=[run_id, token, cookie, str(logs)],
    )


def measure(plan: SurgePlan) -> dict[str, Any]:
    """Interleaved rounds; each round rotates the order so no target always goes first."""
    for target in TARGETS:  # warm both gunicorn workers of every target
        _wrk(plan, target, f"{plan.stamp}w{target}", 4, 1)
    runs: list[dict[str, Any]] = []
    for round_no in range(plan.rounds):
        order = TARGETS[round_no % 3 :] + TARGETS[: round_no % 3]
        for conns in plan.connections:
            for target in order:
                run_id = f"{plan.stamp}{target}r{round_no}c{conns}"
                result = _wrk(plan, target, run_id, conns, plan.seconds)
                runs.append(
                    {
                        "target": target,
                        "round": round_no,
                        "connections": conns,
                        "run_id": run_id,
                        **result.as_dict(),
                    }
                )
                print(
                    f"  surge {target:>3} c={conns:<3} round {round_no + 1}: "
                    f"{result.acked_per_second:8.1f}/s p99 {result.p99_ms:7.1f} ms",
                    flush=True,
                )
    return {"runs": runs, "summary": summarise(runs, plan)}


def summarise(runs: list[dict[str, Any]], plan: SurgePlan) -> dict[str, Any]:
    summary: dict[str, Any] = {}
    for conns in plan.connections:
        mine = [run for run in runs if run["connections"] == conns]

        def of(target: str, key: str, rows: list[dict[str, Any]] = mine) -> list[float]:
            return [run[key] for run in rows if run["target"] == target]

        rounds = sorted({run["round"] for run in mine})
        per_round = {
            target: {
                r: run["per_second"]
                for run in mine
                for r in rounds
                if run["target"] == target and run["round"] == r
            }
            for target in TARGETS
        }
        summary[str(conns)] = {
            **{f"{t}_per_second": statistics.median(of(t, "per_second")) for t in TARGETS},
            **{f"{t}_p50_ms": statistics.median(of(t, "p50_ms")) for t in TARGETS},
            **{f"{t}_p99_ms": statistics.median(of(t, "p99_ms")) for t in TARGETS},
            "app_over_b1": statistics.median(
                per_round["app"][r] / per_round["b1"][r] for r in rounds
            ),
            "app_over_b2": statistics.median(
                per_round["app"][r] / per_round["b2"][r] for r in rounds
            ),
        }
    return summary


def _acked(directory: Path) -> set[tuple[int, int]]:
    acked: set[tuple[int, int]] = set()
    for path in directory.glob("acked-*.txt"):
        tid = int(path.stem.split("-")[1])
        acked |= {(tid, int(line)) for line in path.read_text().split()}
    return acked


def verify_rows(plan: SurgePlan, runs: list[dict[str, Any]], db_url: str) -> dict[str, Any]:
    """Every acknowledged pledge exists; rows - acks <= connections; no 5xx; none suspect."""
    problems: list[str] = []
    with psycopg.connect(db_url) as conn:
        for run in (r for r in runs if r["target"] == "app"):
            run_id = run["run_id"]
            emails = conn.execute(
                "SELECT email FROM pledges WHERE email LIKE %s", (f"p-{run_id}-%",)
            ).fetchall()
            rows = {tuple(int(x) for x in e.split("@")[0].split("-")[2:4]) for (e,) in emails}
            acked = _acked(plan.out / run_id)
            if len(acked) != run["acked"]:
                problems.append(
                    f"{run_id}: {len(acked)} logged acks but wrk counted {run['acked']}"
                )
            if acked - rows:
                problems.append(f"{run_id}: {len(acked - rows)} acknowledged pledges missing")
            if not 0 <= len(rows) - len(acked) <= run["connections"]:
                problems.append(f"{run_id}: {len(rows)} rows for {len(acked)} acknowledgements")
            if run["s5xx"] or run["s4xx"]:
                problems.append(f"{run_id}: {run['s5xx']} 5xx and {run['s4xx']} 4xx responses")
        suspect = conn.execute(
            "SELECT count(*) FROM pledges WHERE email LIKE %s AND is_suspect", (f"p-{plan.stamp}%",)
        ).fetchone()
        total = conn.execute(
            "SELECT count(*) FROM pledges WHERE email LIKE %s", (f"p-{plan.stamp}%",)
        ).fetchone()
        held = conn.execute(
            "SELECT count(*) FROM outbound_emails WHERE to_address LIKE %s AND status = 'held'",
            (f"p-{plan.stamp}%",),
        ).fetchone()
    if suspect and suspect[0]:
        problems.append(f"{suspect[0]} pledges marked suspect: the rate limit tripped")
    if held and held[0]:
        problems.append(f"{held[0]} confirmations held: the new-address limit tripped")
    return {"pledges": total[0] if total else 0, "problems": problems}


def verify_mail(plan: SurgePlan, db_url: str, sink_log: Path, timeout: float) -> dict[str, Any]:
    """Once the worker has drained the outbox: exactly one confirmation per pledge at the sink."""
    started = time.monotonic()
    with psycopg.connect(db_url, autocommit=True) as conn:
        while True:
            row = conn.execute(PENDING_CONFIRMATIONS).fetchone()
            if row is not None and row[0] == 0:
                break
            if time.monotonic() - started > timeout:
                return {"drained": False, "problems": [f"{row} confirmations still pending"]}
            time.sleep(0.5)
        emails = {
            e
            for (e,) in conn.execute(
                "SELECT email FROM pledges WHERE email LIKE %s", (f"p-{plan.stamp}%",)
            )
        }
    drain_seconds = time.monotonic() - started
    got = Counter(rcpt for rcpt, key in read_log(sink_log) if key.startswith("pledge-confirm:"))
    mine = {rcpt: n for rcpt, n in got.items() if rcpt.startswith(f"p-{plan.stamp}")}
    problems = []
    if set(mine) != emails:
        problems.append(
            f"{len(emails - set(mine))} pledges without mail, "
            f"{len(set(mine) - emails)} mails to no pledge"
        )
    if any(n != 1 for n in mine.values()):
        problems.append(f"{sum(1 for n in mine.values() if n != 1)} addresses mailed twice")
    return {
        "drained": True,
        "drain_seconds": round(drain_seconds, 1),
        "mails": sum(mine.values()),
        "problems": problems,
    }
