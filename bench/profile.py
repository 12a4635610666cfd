"""`python -m bench.profile`: py-spy on the three hot paths, their heaviest functions printed.

Run through `bench/run.sh profile` (it starts the benchmark's PostgreSQL). Samples one
gunicorn worker while wrk posts pledges or reads the home page, and the Celery worker
while it fans out a digest; raw profiles are kept under .services/bench/run-*/profile/.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from bench import data, surge
from bench.__main__ import DB_NAME, environment
from bench.stack import BIN, ROOT, Stack, free_port
from bench.wrk import run_wrk


def children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in found]


def record(pid: int, seconds: int, out: Path) -> None:
    """Sample *pid* and its subprocesses (a prefork worker's pool) for *seconds*."""
    argv = [str(BIN / "py-spy"), "record", "-p", str(pid), "-d", str(seconds), "--subprocesses"]
    argv += ["-f", "raw", "-o", str(out), "--nonblocking"]
    subprocess.run(argv, check=True, capture_output=True)  # noqa: S603


def top(path: Path, limit: int = 40) -> str:
    """Inclusive share of samples per function (file:function), heaviest first, leaving out
    the frames nearly every sample has (the server's or worker's own loop)."""
    inclusive: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        n = int(count)
        total += n
        frames = {frame.split(" (")[0] + " " + frame.split("(")[-1].split(":")[0]
                  for frame in stack.split(";")}  # fmt: skip
        for frame in frames:
            inclusive[frame] += n
    shown = [(frame, n) for frame, n in inclusive.most_common() if n < 0.9 * total][:limit]
    rows = [f"{100 * n / total:5.1f}%  {frame}" for frame, n in shown]
    return f"{path.name}: {total} samples\n" + "\n".join(rows)


def profile_http(
    name: str,
    master: int,
    url: str,
    script: str,
    args: list[str],
    out: Path,
    headers: list[str] | None = None,
) -> None:
    worker = children(master)[0]
    thread = threading.Thread(target=record, args=(worker, 8, out / f"{name}.txt"))
    thread.start()
    time.sleep(0.5)
    run_wrk(url, connections=16, seconds=8, script=script, args=args, headers=headers)
    thread.join()
    print(top(out / f"{name}.txt"), flush=True)


def main() -> None:
    pg_port = int(os.environ.get("BENCH_PG_PORT", "54331"))
    stamp = time.strftime("%Y%m%d%H%M%S")
    work = ROOT / ".services" / "bench" / f"run-{stamp}"
    ports = {name: free_port() for name in ("redis", "smtp", "app", "b1", "b2", "base")}
    env = environment(work, pg_port, ports)
    os.environ.update(env)
    out = work / "profile"
    out.mkdir(parents=True)
    stack = Stack(env, work / "logs")
    try:
        data.recreate(f"postgresql://campaign@127.0.0.1:{pg_port}/postgres", DB_NAME)
        data.migrate_and_seed(env)
        data.prepare(env["DATABASE_URL"])
        stack.redis(ports["redis"])
        stack.sink(ports["smtp"], work / "sink.log")
        stack.gunicorn("app", "wsgi:app", ports["app"])
        master = stack.processes["app"].pid
        app = f"http://127.0.0.1:{ports['app']}"
        token, cookie = surge.session_and_token(app)
        (out / "acks").mkdir()
        run_wrk(f"{app}/", connections=4, seconds=1, script="get.lua")
        profile_http("pledge", master, f"{app}/pledge/individual", "pledge.lua",
                     [f"{stamp}x", token, cookie, str(out / "acks")], out)  # fmt: skip
        profile_http("home", master, f"{app}/", "get.lua", [], out)
        # A reader with a session cookie (someone who has just signed): no page cache.
        signed = [f"Cookie: {cookie}"]
        profile_http("home-cookie", master, f"{app}/", "get.lua", [], out, signed)
        profile_http("state-cookie", master, f"{app}/states/MEX", "get.lua", [], out, signed)
        data.load_subscribers(env["DATABASE_URL"], 3000)
        import redis

        redis.Redis.from_url(env["REDIS_URL"]).flushdb()  # the pledges' confirmations: not now
        worker = stack.worker()
        time.sleep(3)
        from campaign import create_app
        from campaign.extensions import db
        from campaign.notifications.digests import build_digest

        flask_app = create_app("production")
        with flask_app.app_context():
            build_digest(kind="weekly", today=dt.date.today())
            db.session.commit()
        record(worker, 15, out / "digest.txt")
        print(top(out / "digest.txt"), flush=True)
    finally:
        stack.stop()
    print(f"raw profiles: {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
