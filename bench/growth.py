"""The growth table: the pledge POST and the status pages as the pledges grow by tens.

`bench/run.sh growth` (BENCH_GROWTH_SIZES to change the sizes, 10^4 to 10^7 by default) loads
pledges by COPY up to each size in turn, ANALYZEs, and at each size measures, interleaved with
their baselines: the pledge POST (16 connections, against B2, the minimal Flask insert into its
own table, which does not grow) and `/`, `/states/MEX` and `/api/v1/stats` for a reader with a
session cookie (no page cache) and an anonymous one (against the same bytes served bare). Reads
must stay flat as the table grows; writes may degrade only with the depth of its indexes.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path
from typing import Any

import psycopg

from bench import data, memory, surge
from bench.stack import Stack
from bench.status import PAGES, record_pages
from bench.wrk import run_wrk

SIZES = [
    int(float(size)) for size in os.environ.get("BENCH_GROWTH_SIZES", "1e4,1e5,1e6,1e7").split(",")
]
SECONDS = int(os.environ.get("BENCH_GROWTH_SECONDS", "3"))
ROUNDS = 3


def measure(stack: Stack, env: dict[str, str], urls: dict[str, str], ports: dict[str, int],
            work: Path, stamp: str) -> dict[str, Any]:  # fmt: skip
    """Every size in turn: load up to it, then the POST and page rates with their ratios."""
    db_url = env["DATABASE_URL"]
    stack.gunicorn("app", "wsgi:app", ports["app"])
    stack.gunicorn("b2", "bench.baselines:flask_insert", ports["b2"])
    _token, cookie = surge.session_and_token(urls["app"])
    record_pages(urls["app"], Path(env["BENCH_PAGES"]))
    stack.gunicorn("base", "bench.baselines:static_pages", ports["base"])
    loaded, rows = 0, []
    for size in SIZES:
        started = time.perf_counter()
        data.load_pledges(db_url, size - loaded, first=loaded)
        loaded = size
        load_seconds = time.perf_counter() - started
        row: dict[str, Any] = {"pledges": size, "load_seconds": round(load_seconds, 1)}
        row["pledge"] = _pledge_rate(urls, work / f"growth-{size}", f"{stamp}g{size}")
        for page in PAGES:
            row[page] = _page_rates(urls, page, cookie)
        row["table_mib"] = _table_mib(db_url)
        rows.append(row)
        print(f"  growth {size:>10,}: {_line(row)}", flush=True)
    exports = [n for n in (10**4, 10**5, 10**6) if n <= loaded]
    figures = {
        "export": {str(n): memory.measure("export", n, env) for n in exports},
        "import": {str(n): memory.measure("import", n, env) for n in (10**3, 10**4, 20_000, 10**6)},
    }
    print(f"  memory: {figures}", flush=True)
    return {"rows": rows, "memory": figures}


def _pledge_rate(urls: dict[str, str], out: Path, run: str) -> dict[str, float]:
    plan = surge.SurgePlan(run, urls, (16,), SECONDS, ROUNDS, out)
    ratios, app_rates = [], []
    for round_no in range(ROUNDS):
        order = ("app", "b2") if round_no % 2 == 0 else ("b2", "app")
        rates = {}
        for target in order:
            result = surge._wrk(plan, target, f"{run}{target}{round_no}", 16, SECONDS)
            if result.s4xx or result.s5xx:
                raise RuntimeError(f"pledge POST answered {result.s4xx} 4xx, {result.s5xx} 5xx")
            rates[target] = result.acked_per_second
        ratios.append(rates["app"] / rates["b2"])
        app_rates.append(rates["app"])
    return {"per_second": statistics.median(app_rates), "over_b2": statistics.median(ratios)}


def _page_rates(urls: dict[str, str], page: str, cookie: str) -> dict[str, float]:
    targets = {"anonymous": [], "cookie": [f"Cookie: {cookie}"], "base": []}
    rates: dict[str, list[float]] = {name: [] for name in targets}
    for round_no in range(ROUNDS):
        names = list(targets)[round_no % 3 :] + list(targets)[: round_no % 3]
        for name in names:
            url = f"{urls['base' if name == 'base' else 'app']}{page}"
            result = run_wrk(url, connections=16, seconds=SECONDS, script="get.lua",
                             headers=targets[name])  # fmt: skip
            rates[name].append(result.acked_per_second)
    return {
        "cookie_per_second": statistics.median(rates["cookie"]),
        "cookie_ratio": statistics.median(
            c / b for c, b in zip(rates["cookie"], rates["base"], strict=True)
        ),
        "anonymous_ratio": statistics.median(
            a / b for a, b in zip(rates["anonymous"], rates["base"], strict=True)
        ),
    }


def _table_mib(db_url: str) -> float:
    with psycopg.connect(db_url) as conn:
        found = conn.execute("SELECT pg_total_relation_size('pledges')").fetchone()
    return round(int(found[0] if found else 0) / 2**20, 1)


def _line(row: dict[str, Any]) -> str:
    pages = ", ".join(
        f"{page} {row[page]['cookie_per_second']:.0f}/s ({row[page]['cookie_ratio']:.2f})"
        for page in PAGES
    )
    pledge = row["pledge"]
    return f"POST {pledge['per_second']:.0f}/s ({pledge['over_b2']:.2f} of B2); {pages}"


def table(results: dict[str, Any]) -> str:
    """The growth table, for bench/README.md."""
    lines = [
        "pledges     table   POST/s  /B2   " + "  ".join(f"{p + ' (cookie)':>24}" for p in PAGES),
    ]
    for row in results["rows"]:
        cells = "  ".join(
            f"{row[p]['cookie_per_second']:8.0f}/s {row[p]['cookie_ratio']:4.2f} "
            f"anon {row[p]['anonymous_ratio']:4.2f}"
            for p in PAGES
        )
        lines.append(
            f"{row['pledges']:>10,} {row['table_mib']:>6.0f}M {row['pledge']['per_second']:7.0f} "
            f"{row['pledge']['over_b2']:5.2f}   {cells}"
        )
    for what, figures in results.get("memory", {}).items():
        for rows, figure in figures.items():
            lines.append(f"{what} {int(rows):>9,} rows: peak {figure['peak_mib']:.0f} MiB {figure}")
    return "\n".join(lines)
