"""`make fuzz`: the suite's fuzz, long, against the app served over real HTTP, on SQLite and
on PostgreSQL. Prints the answers by status and every 5xx with its request and traceback;
exits 1 if there was any.

    python -m tests.fuzz.long_run [--requests N] [--backend sqlite|postgresql] [--seed S]

Each database is migrated, seeded and given the world of every role (committed), then the
app (the test configuration, but with TESTING off so that errors answer 500 as in
production, and the public page cache on) listens on loopback in a thread. Every role sends
N/4 drawn requests after each route's plain one.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade

from campaign import create_app
from campaign.accounts import services as account_services
from campaign.extensions import db
from tests.fuzz.http import HttpVisitor, StreamErrors
from tests.fuzz.runner import Failure, Tally, fuzz
from tests.fuzz.targets import ROLES, Target, build_target, cheap_hasher
from tests.support.databases import PostgresBackend
from tests.support.live import LiveServer
from tests.support.servers import RedisServer, free_port

UNLIMITED = "100000 per minute"


def database_url(backend: str, workdir: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{workdir / 'fuzz.sqlite'}"
    return PostgresBackend().recreate(f"campaign_fuzz_{os.getpid()}")


def make_app(url: str, redis: RedisServer, port: int) -> Flask:
    return create_app(
        "test",
        SQLALCHEMY_DATABASE_URI=url,
        CELERY_BROKER_URL=redis.url(0),
        RATELIMIT_STORAGE_URI=redis.url(1),
        LOGIN_RATE_LIMIT=UNLIMITED,
        PASSWORD_RESET_RATE_LIMIT=UNLIMITED,
        SUBSCRIBE_RATE_LIMIT=UNLIMITED,
        SITE_URL=f"http://127.0.0.1:{port}",
        TESTING=False,
        PUBLIC_CACHE_SECONDS=5,
        RUNTIME_CACHE_SECONDS=5,
    )


def prepare(app: Flask) -> Target:
    """Migrate, seed, build the world; the users' ids and emails stay readable afterwards."""
    with app.app_context():
        upgrade()
        result = app.test_cli_runner().invoke(args=["campaign", "seed"])
        assert result.exit_code == 0, result.output
        target = build_target(app)
        for user in target.world.users.values():
            _ = (user.id, user.email)
        db.session.expunge_all()
        db.session.remove()
    return target


def run_backend(backend: str, requests: int, seed: int, redis: RedisServer) -> dict[str, Tally]:
    workdir = Path(tempfile.mkdtemp(prefix=f"campaign-fuzz-{backend}-"))
    url = database_url(backend, workdir)
    port = free_port()
    app = make_app(url, redis, port)
    errors = StreamErrors(app)
    target = prepare(app)
    server = LiveServer(app, port)
    server.start()
    tallies: dict[str, Tally] = {}
    try:
        for number, role in enumerate(ROLES):
            started = time.monotonic()
            visitor = HttpVisitor(app, server.url, target.user(role), errors)
            tallies[role] = fuzz(
                visitor,
                role,
                target,
                examples=requests // len(ROLES),
                stop_at_5xx=False,
                seed=seed + number,
            )
            seconds = time.monotonic() - started
            print(f"  {backend} {role}: {tallies[role].count} requests in {seconds:.0f}s")
    finally:
        server.stop()
        with app.app_context():
            db.engine.dispose()
        if backend == "postgresql":
            PostgresBackend().drop(f"campaign_fuzz_{os.getpid()}")
    return tallies


def report(backend: str, tallies: dict[str, Tally]) -> int:
    """Print the table of answers by status; the number of 5xx."""
    codes = sorted({code for tally in tallies.values() for code in tally.statuses})
    print(f"\n{backend}: {sum(t.count for t in tallies.values())} requests")
    print(f"{'role':<12}{'requests':>9}" + "".join(f"{code:>7}" for code in codes))
    total: Counter[int] = Counter()
    for role, tally in tallies.items():
        total.update(tally.statuses)
        cells = "".join(f"{tally.statuses.get(code, 0):>7}" for code in codes)
        print(f"{role:<12}{tally.count:>9}" + cells)
    print(f"{'all':<12}{total.total():>9}" + "".join(f"{total.get(code, 0):>7}" for code in codes))
    failures = [(role, failure) for role, tally in tallies.items() for failure in tally.failures]
    classes: dict[str, list[tuple[str, Failure]]] = {}
    for role, failure in failures:
        classes.setdefault(failure.kind, []).append((role, failure))
    for kind, members in classes.items():
        role, first = members[0]
        print(f"\n5xx, {len(members)} times: {kind}\nfirst, as {role}: {first.text}")
        for role, failure in members[1:]:
            print(f"  also as {role}: {failure.request_line}")
    return len(failures)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20_000, help="per database")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), action="append")
    parser.add_argument("--seed", type=int, default=int(os.environ.get("FUZZ_SEED", "0")))
    args = parser.parse_args()
    seed = args.seed or random.randrange(1, 2**31)
    # Quiet: the access log and Flask's tracebacks; the report shows every 5xx with its own.
    for name in ("werkzeug", "campaign", "alembic"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    print(f"fuzz: seed {seed} (FUZZ_SEED={seed} repeats this run)")
    account_services.hasher = cheap_hasher()  # as in the suite: the fuzz is about input
    account_services._DUMMY_HASH = account_services.hasher.hash("not a real password")
    redis = RedisServer()
    redis.start()
    failures = 0
    try:
        for backend in args.backend or ["sqlite", "postgresql"]:
            failures += report(backend, run_backend(backend, args.requests, seed, redis))
    finally:
        redis.stop()
    print(f"\nfuzz: {failures} answers of 5xx" if failures else "\nfuzz: no 5xx")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
