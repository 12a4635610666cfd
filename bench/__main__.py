"""`python -m bench quick|full`: start the stack, run the three benchmarks, print, save JSON.

bench/run.sh (behind `make bench` and `make bench-quick`) installs what is needed and starts
the benchmark's own PostgreSQL first; this module starts and stops everything else.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import signal
import sys
import time
from pathlib import Path
from typing import Any

from bench import cpu_split, data, digest, growth, status, surge
from bench.report import table, targets
from bench.stack import ROOT, Stack, free_port

MODES: dict[str, dict[str, Any]] = {
    "quick": {
        "surge_seconds": 2,
        "rounds": 3,
        "status_seconds": 2,
        "status_rounds": 1,
        "pledges": 100_000,
        "subscribers": 1_000,
        "baseline_mails": 1_000,
    },
    # Only the digest, for working on it: `bench/run.sh digest` (BENCH_SUBSCRIBERS to change).
    "digest": {
        "only": "digest",
        "subscribers": int(os.environ.get("BENCH_SUBSCRIBERS", "5000")),
        "baseline_mails": 2_000,
    },
    # The growth table: `bench/run.sh growth` (BENCH_GROWTH_SIZES="1e4,1e5,1e6,1e7").
    "growth": {"only": "growth"},
    # Where a pledge's CPU goes, the app's against B2's: `bench/run.sh cpu`.
    "cpu": {"only": "cpu"},
    "full": {
        "surge_seconds": 10,
        "rounds": 3,
        "status_seconds": 8,
        "status_rounds": 3,
        "pledges": 1_000_000,
        "subscribers": 100_000,
        "baseline_mails": 20_000,
    },
}
DB_NAME = "campaign_bench"


def _stop(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)  # unwinds through the finally that stops the stack


def environment(work: Path, pg_port: int, ports: dict[str, int]) -> dict[str, str]:
    url = f"postgresql://campaign@127.0.0.1:{pg_port}/{DB_NAME}"
    redis = f"redis://127.0.0.1:{ports['redis']}"
    return {
        **os.environ,
        "CAMPAIGN_ENV": "production",
        "SECRET_KEY": "bench-only-secret-key-not-for-production",
        "DATABASE_URL": url,
        "REDIS_URL": f"{redis}/0",
        "RATELIMIT_STORAGE_URI": f"{redis}/1",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(ports["smtp"]),
        "SITE_URL": f"http://127.0.0.1:{ports['app']}",
        "CAMPAIGN_INSTANCE_DIR": str(work / "instance"),
        "BENCH_DATABASE_URL": url.replace("postgresql://", "postgresql+psycopg://"),
        "BENCH_PAGES": str(work / "pages.json"),
    }


def run(mode: str, pg_port: int) -> dict[str, Any]:
    settings = MODES[mode]
    stamp = time.strftime("%Y%m%d%H%M%S")
    work = ROOT / ".services" / "bench" / f"run-{stamp}"
    names = ("redis", "smtp", "app", "b1", "b2", "base")
    ports = {name: free_port() for name in names}
    env = environment(work, pg_port, ports)
    os.environ.update(env)  # before campaign (config.py) is imported
    db_url = env["DATABASE_URL"]
    urls = {name: f"http://127.0.0.1:{ports[name]}" for name in ("app", "b1", "b2", "base")}
    sink_log = work / "sink.log"
    results: dict[str, Any] = {
        "mode": mode,
        "started": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": f"{os.cpu_count()} CPUs, {platform.python_implementation()} "
        f"{platform.python_version()}",
        "settings": settings,
    }
    stack = Stack(env, work / "logs")
    try:
        print(f"bench: database {DB_NAME} on port {pg_port}, logs in {work}", flush=True)
        data.recreate(f"postgresql://campaign@127.0.0.1:{pg_port}/postgres", DB_NAME)
        data.migrate_and_seed(env)
        data.prepare(db_url)
        stack.redis(ports["redis"])
        stack.sink(ports["smtp"], sink_log)
        if settings.get("only") == "growth":
            results["growth"] = growth.measure(stack, env, urls, ports, work, stamp)
            return results
        if settings.get("only") == "cpu":
            results["cpu"] = cpu_split.measure(stack, urls, ports, work, stamp)
            return results
        if settings.get("only") == "digest":
            worker_pid = stack.worker()
        else:
            worker_pid = pledges_and_pages(stack, env, stamp, urls, ports, work, results)
        print(f"3. digest fan-out to {settings['subscribers']:,} subscribers", flush=True)
        data.load_subscribers(db_url, settings["subscribers"])
        from campaign import create_app

        results["digest"] = digest.measure(
            create_app("production"),
            worker_pid=worker_pid,
            sink_pid=stack.processes["sink"].pid,
            sink_port=ports["smtp"],
            sink_log=sink_log,
            out=work,
            baseline_count=settings["baseline_mails"],
            timeout=1800,
        )
    finally:
        stack.stop()
    return results


def pledges_and_pages(
    stack: Stack,
    env: dict[str, str],
    stamp: str,
    urls: dict[str, str],
    ports: dict[str, int],
    work: Path,
    results: dict[str, Any],
) -> int:
    """Benchmarks 1 and 2; the worker's pid (started after the surge's timed runs)."""
    settings = results["settings"]
    db_url = env["DATABASE_URL"]
    sink_log = work / "sink.log"
    stack.gunicorn("app", "wsgi:app", ports["app"])
    stack.gunicorn("b1", "bench.baselines:bare_insert", ports["b1"])
    stack.gunicorn("b2", "bench.baselines:flask_insert", ports["b2"])

    print("1. pledge surge", flush=True)
    plan = surge.SurgePlan(
        stamp, urls, (16, 64), settings["surge_seconds"], settings["rounds"], work / "surge"
    )
    results["surge"] = surge.measure(plan)
    stack.stop_one("b1")
    stack.stop_one("b2")
    checks = surge.verify_rows(plan, results["surge"]["runs"], db_url)
    worker_pid = stack.worker()  # the queued confirmations wait in Redis until now
    mail = surge.verify_mail(plan, db_url, sink_log, timeout=900)
    results["surge"]["checks"] = {
        **checks,
        **mail,
        "problems": checks["problems"] + mail["problems"],
    }

    print(f"2. status pages: loading {settings['pledges']:,} pledges", flush=True)
    results["status"] = status_pages(env, db_url, urls, stack, ports, settings)

    return worker_pid


def status_pages(
    env: dict[str, str],
    db_url: str,
    urls: dict[str, str],
    stack: Stack,
    ports: dict[str, int],
    settings: dict[str, Any],
) -> dict[str, Any]:
    from campaign import create_app
    from campaign.extensions import db
    from campaign.pledges import counters

    started = time.perf_counter()
    data.load_pledges(db_url, settings["pledges"])
    loaded = time.perf_counter() - started
    with create_app("production").app_context():
        drift = counters.reconcile()
        db.session.commit()
    sizes = status.record_pages(urls["app"], Path(env["BENCH_PAGES"]))
    stack.gunicorn("base", "bench.baselines:static_pages", ports["base"])
    _token, cookie = surge.session_and_token(urls["app"])  # someone who has just signed
    result = status.measure(
        urls,
        connections=64,
        seconds=settings["status_seconds"],
        rounds=settings["status_rounds"],
        cookie=cookie,
    )
    stack.stop_one("base")
    return {
        **result,
        "pledges": settings["pledges"],
        "load_seconds": round(loaded, 1),
        "counter_drift": [vars(d) for d in drift],
        "page_bytes": sizes,
    }


def main() -> None:
    mode = sys.argv[1] if len(sys.argv) > 1 else "quick"
    if mode not in MODES:
        raise SystemExit(f"usage: python -m bench [{'|'.join(MODES)}]")
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    results = run(mode, int(os.environ.get("BENCH_PG_PORT", "54331")))
    results["targets"] = [list(row) for row in targets(results)]
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{time.strftime('%Y%m%dT%H%M%S')}-{mode}.json"
    path.write_text(json.dumps(results, indent=2, default=str))
    print()
    print(table(results))
    if "growth" in results:
        print(growth.table(results["growth"]))
    print(f"\nresults: {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
