"""The growth table: the pledge POST and the status pages as the pledges grow by tens.

`bench/run.sh growth` (BENCH_GROWTH_SIZES to change the sizes, 10^4 to 10^7 by default) loads
pledges by COPY up to each size in turn, ANALYZEs, and at each size measures, interleaved with
their baselines (the surge's and the status benchmark's own rounds): the pledge POST (16
connections, against B2, the minimal Flask insert into its own table, which does not grow),
and `/`, `/states/MEX` and `/api/v1/stats` for a reader with a session cookie (no page cache)
and an anonymous one (against the same bytes served bare). Reads
must stay flat as the table grows; writes may degrade only with the depth of its indexes.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import psycopg

from bench import data, memory, status, surge
from bench.stack import Stack
from bench.status import PAGES, record_pages

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
    stack.gunicorn("b1", "bench.baselines:bare_insert", ports["b1"])
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
        row.update(_page_rates(urls, cookie))
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
    """The surge's own interleaved rounds, at 16 connections."""
    summary = surge.measure(surge.SurgePlan(run, urls, (16,), SECONDS, ROUNDS, out))["summary"]
    return {"per_second": summary["16"]["app_per_second"], "over_b2": summary["16"]["app_over_b2"]}


def _page_rates(urls: dict[str, str], cookie: str) -> dict[str, dict[str, float]]:
    """The status benchmark's own interleaved rounds, at 16 connections, per page."""
    summary = status.measure(urls, connections=16, seconds=SECONDS, rounds=ROUNDS, cookie=cookie)
    return {
        page: {
            "cookie_per_second": row["cookie_per_second"],
            "cookie_ratio": row["cookie_ratio"],
            "anonymous_ratio": row["ratio"],
        }
        for page, row in summary["summary"].items()
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
