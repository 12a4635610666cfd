"""The benchmark database: created afresh, migrated, seeded, and bulk-loaded with COPY."""

from __future__ import annotations

import datetime as dt
import random
import subprocess
from collections.abc import Iterator

import psycopg
from tqdm import tqdm

from bench.baselines import B1_TABLE, B2_TABLE
from bench.stack import BIN, ROOT

BATCH = 50_000
# Raised so 127.0.0.1, every request's address, never trips them (no pledge suspect, no mail
# held): the limiter's storage (Redis) is still hit for each of them, as in production.
SURGE_LIMITS = {
    "pledge_limit_burst": "10000000 per minute",
    "pledge_limit_sustained": "100000000 per day",
    "mail_limit_new_addresses": "100000000 per hour",
}
PLEDGE_COLUMNS = (
    "kind, name, email, email_canonical, country_id, message, is_public, wants_updates, locale, "
    "organisation_name, organisation_kind, moderation, moderation_reason, is_suspect, "
    "mails_sent, created_at, confirmed_at, withdrawn_at, is_counted"
)
SUBSCRIPTION_COLUMNS = (
    "email, email_canonical, locale, frequency, alerts, created_at, confirmed_at, "
    "unsubscribed_at, bounced_at, confirm_mails_sent, is_alerted_on_stages"
)


def recreate(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def migrate_and_seed(env: dict[str, str]) -> None:
    flask = [str(BIN / "flask"), "--app", "wsgi"]
    for args in (["db", "upgrade"], ["campaign", "seed"]):
        subprocess.run([*flask, *args], cwd=ROOT, env=env, check=True, capture_output=True)  # noqa: S603


def prepare(url: str) -> None:
    """Baseline tables shaped like pledges, and the surge's rate limits."""
    with psycopg.connect(url, autocommit=True) as conn:
        for table in (B1_TABLE, B2_TABLE):
            conn.execute(f"CREATE TABLE {table} (LIKE pledges INCLUDING ALL)")
        for key, value in SURGE_LIMITS.items():
            conn.execute(
                "INSERT INTO settings (key, value, updated_at) VALUES (%s, %s, now()) "
                "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                (key, value),
            )


def _t(value: object) -> str:
    """A value in COPY's text format."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value)


def _pledge_rows(
    count: int, states: list[tuple[int, int]], now: str, first: int = 0
) -> Iterator[str]:
    """Mostly confirmed individuals; some unconfirmed, suspect, withdrawn; a few organisations.
    Numbered from *first*, so that a table can be grown in steps."""
    rng = random.Random(8 + first)  # noqa: S311  (a fixed mix, not security)
    ids = [state_id for state_id, _ in states]
    weights = [max(population, 1) ** 0.5 for _, population in states]
    for i in range(first, first + count):
        country = None if i % 20 == 0 else rng.choices(ids, weights)[0]
        organisation = i % 1000 == 7
        moderation = ("approved" if i % 2 else "pending") if organisation else None
        confirmed = i % 19 != 3
        suspect, withdrawn = i % 200 == 11, i % 100 == 13
        counted = confirmed and not suspect and not withdrawn
        counted = counted and (not organisation or moderation == "approved")
        yield "\t".join(
            _t(v)
            for v in (
                "organisation" if organisation else "individual",
                f"Loaded Signer {i}",
                f"load-{i}@bench.example.org",
                f"load-{i}@bench.example.org",
                country,
                "",
                i % 3 == 0,
                False,
                "en",
                f"Organisation {i}" if organisation else None,
                "ngo" if organisation else None,
                moderation,
                "",
                suspect,
                1,
                now,
                now if confirmed else None,
                now if withdrawn else None,
                counted,
            )
        )


def _copy(url: str, table: str, columns: str, rows: Iterator[str], total: int, what: str) -> None:
    with psycopg.connect(url) as conn, conn.cursor() as cursor:
        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            bar = tqdm(total=total, unit=" rows", desc=what, unit_scale=True, mininterval=0.5)
            batch: list[str] = []
            for row in rows:
                batch.append(row)
                if len(batch) == BATCH:
                    copy.write("\n".join(batch) + "\n")
                    bar.update(len(batch))
                    batch = []
            if batch:
                copy.write("\n".join(batch) + "\n")
                bar.update(len(batch))
            bar.close()
        conn.commit()


def load_pledges(url: str, count: int, first: int = 0) -> None:
    """*count* pledges over the states by COPY (numbered from *first*), then their counters
    in one statement."""
    now = dt.datetime.now(dt.UTC).isoformat()
    with psycopg.connect(url) as conn:
        states = conn.execute("SELECT id, coalesce(population, 0) FROM states").fetchall()
        found = conn.execute("SELECT coalesce(max(id), 0) FROM pledges").fetchone()
    before = int(found[0]) if found else 0
    rows = _pledge_rows(count, states, now, first)
    _copy(url, "pledges", PLEDGE_COLUMNS, rows, count, "pledges (COPY)")
    with psycopg.connect(url) as conn:
        conn.execute(
            "INSERT INTO pledge_counters (scope, kind, online, offline, updated_at) "
            "SELECT coalesce(s.iso3, '---'), p.kind, count(*), 0, now() FROM pledges p "
            "LEFT JOIN states s ON s.id = p.country_id WHERE p.is_counted "
            "AND p.email LIKE 'load-%%' AND p.id > %s GROUP BY 1, 2 "
            "ON CONFLICT (scope, kind) DO UPDATE "
            "SET online = pledge_counters.online + EXCLUDED.online",
            (before,),
        )
        conn.execute("ANALYZE pledges")


def load_subscribers(url: str, count: int) -> int:
    """*count* weekly subscribers, 2% unsubscribed and 1% bounced; how many are eligible."""
    now = dt.datetime.now(dt.UTC).isoformat()

    def rows() -> Iterator[str]:
        for i in range(count):
            unsubscribed, bounced = i % 50 == 0, i % 100 == 1
            email = f"sub-{i}@bench.example.org"
            values = (
                email,
                email,
                "en",
                "weekly",
                "followed",
                now,
                now,
                now if unsubscribed else None,
                now if bounced else None,
                1,
                False,
            )
            yield "\t".join(_t(v) for v in values)

    _copy(url, "subscriptions", SUBSCRIPTION_COLUMNS, rows(), count, "subscribers (COPY)")
    with psycopg.connect(url) as conn:
        conn.execute("ANALYZE subscriptions")
        found = conn.execute(
            "SELECT count(*) FROM subscriptions WHERE confirmed_at IS NOT NULL "
            "AND unsubscribed_at IS NULL AND bounced_at IS NULL AND frequency = 'weekly'"
        ).fetchone()
    return int(found[0]) if found else 0
