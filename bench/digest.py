"""Benchmark 3, the digest fan-out: the real worker through Redis to the sink, against a loop."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import psycopg
from flask import Flask

from bench.sink import read_log
from bench.stack import ROOT, cpu_seconds, peak_memory_mib, reset_peak_memory

ELIGIBLE = (
    "SELECT email FROM subscriptions WHERE confirmed_at IS NOT NULL AND unsubscribed_at IS NULL "
    "AND bounced_at IS NULL AND frequency = 'weekly'"
)


def render_sample(app: Flask, path: Path) -> int:
    """One digest mail as the worker would build it, pre-rendered for the baseline loop."""
    from campaign.mail import compose
    from campaign.mail.models import OutboundEmail
    from campaign.mail.smtp import build_message
    from campaign.notifications import messages
    from campaign.notifications.content import digest_content
    from campaign.notifications.digests import period_start, previous_start
    from campaign.notifications.models import Subscription

    with app.app_context():
        start = period_start("weekly", dt.date.today())
        content = digest_content("weekly", previous_start("weekly", start), start)
        bodies = messages.render_shared("digest", "en", **content)
        subscriber = Subscription(id=1, email="sample@bench.example.org", locale="en")
        line = compose.subject("digest", period=content["period"])
        draft = messages.personalise(subscriber, "digest:0:1", line, bodies)
        row = OutboundEmail(
            id=0,
            idempotency_key=draft.key,
            to_address=draft.to,
            subject=draft.subject,
            body_text=draft.text,
            body_html=draft.html,
            headers=draft.headers,
        )
        raw = build_message(row).as_bytes()  # as the worker sends it
    path.write_bytes(raw)
    return len(raw)


def baseline(port: int, message: Path, count: int, tag: str) -> dict[str, float]:
    argv = [sys.executable, "-m", "bench.smtp_loop", "--port", str(port)]
    argv += ["--message", str(message), "--count", str(count), "--tag", tag]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=True)  # noqa: S603
    result: dict[str, float] = json.loads(done.stdout)
    return result


# Every SENT_CHECK_SECONDS, whether every eligible subscriber's mail is sent (one join over the
# ledger: not every half second); once it is, a digest still not marked finished FINISH_GRACE
# seconds later is a problem reported at once, not a wait for the whole timeout.
SENT_CHECK_SECONDS = 10
FINISH_GRACE = 60.0
ALL_SENT = (
    "SELECT count(*) FROM digest_deliveries d JOIN outbound_emails o ON o.id = d.message_id "
    "WHERE d.digest_id = %s AND o.status = 'sent'"
)


def _all_sent(conn: psycopg.Connection[Any], digest_id: int, eligible: int) -> bool:
    row = conn.execute(ALL_SENT, (digest_id,)).fetchone()
    return row is not None and row[0] >= eligible


def fan_out(
    app: Flask, worker_pid: int, sink_pid: int, sink_log: Path, timeout: float
) -> dict[str, Any]:
    """Build this week's digest, commit (which queues its dispatch) and wait for the sink."""
    from campaign.extensions import db
    from campaign.notifications.digests import build_digest

    reset_peak_memory(worker_pid)
    cpu_before, sink_before = cpu_seconds(worker_pid), cpu_seconds(sink_pid)
    started = time.perf_counter()
    with app.app_context():
        digest = build_digest(kind="weekly", today=dt.date.today())
        digest_id = digest.id
        db.session.commit()
    prefix = f"digest:{digest_id}:"
    checks, graced = 0, False
    with psycopg.connect(app.config["SQLALCHEMY_DATABASE_URI"].replace("+psycopg", "")) as conn:
        eligible = {email for (email,) in conn.execute(ELIGIBLE)}
        all_sent_at: float | None = None
        while True:
            finished = conn.execute(
                "SELECT finished_at IS NOT NULL FROM digests WHERE id = %s", (digest_id,)
            ).fetchone()
            now = time.perf_counter()
            if all_sent_at is None and now - started > SENT_CHECK_SECONDS * (1 + checks):
                checks += 1
                all_sent_at = now if _all_sent(conn, digest_id, len(eligible)) else None
            conn.commit()
            if finished and finished[0]:
                break
            graced = all_sent_at is not None and now - all_sent_at > FINISH_GRACE
            if now - started > timeout or graced:
                break
            time.sleep(0.5)
    seconds = time.perf_counter() - started
    worker_cpu = cpu_seconds(worker_pid) - cpu_before
    sink_cpu = cpu_seconds(sink_pid) - sink_before
    got = Counter(rcpt for rcpt, key in read_log(sink_log) if key.startswith(prefix))
    problems = []
    if not (finished and finished[0]):
        why = "a minute after every mail was sent" if graced else f"after {timeout:.0f} s"
        problems.append(f"digest not finished {why}")
    if set(got) != eligible:
        problems.append(
            f"{len(eligible - set(got))} eligible subscribers without the digest, "
            f"{len(set(got) - eligible)} ineligible ones with it"
        )
    if any(n != 1 for n in got.values()):
        problems.append(f"{sum(1 for n in got.values() if n != 1)} subscribers got it twice")
    mails = sum(got.values())
    return {
        "eligible": len(eligible),
        "mails": mails,
        "seconds": round(seconds, 2),
        "per_second": round(mails / seconds, 1) if seconds else 0,
        "worker_cpu_ms_per_mail": round(1000 * worker_cpu / max(mails, 1), 3),
        "sink_cpu_ms_per_mail": round(1000 * sink_cpu / max(mails, 1), 3),
        "worker_peak_mib": round(peak_memory_mib(worker_pid), 1),
        "problems": problems,
    }


def measure(
    app: Flask,
    *,
    worker_pid: int,
    sink_pid: int,
    sink_port: int,
    sink_log: Path,
    out: Path,
    baseline_count: int,
    timeout: float,
) -> dict[str, Any]:
    """Baseline, digest, baseline: the digest's cost per mail against the loop's on both sides."""
    message = out / "digest-sample.eml"
    size = render_sample(app, message)
    before = _baseline(sink_pid, sink_port, message, baseline_count, "base-a")
    digest = fan_out(app, worker_pid, sink_pid, sink_log, timeout)
    after = _baseline(sink_pid, sink_port, message, baseline_count, "base-b")
    base_wall = statistics_mean(1000 * b["seconds"] / b["mails"] for b in (before, after))
    base_cpu = statistics_mean(1000 * b["cpu_seconds"] / b["mails"] for b in (before, after))
    digest_wall = 1000 * digest["seconds"] / max(digest["mails"], 1)
    return {
        "message_bytes": size,
        "baseline_before": before,
        "baseline_after": after,
        "digest": digest,
        "baseline_wall_ms_per_mail": round(base_wall, 3),
        "baseline_cpu_ms_per_mail": round(base_cpu, 3),
        "digest_wall_ms_per_mail": round(digest_wall, 3),
        "wall_ratio": round(digest_wall / base_wall, 2),
        "cpu_ratio": round(digest["worker_cpu_ms_per_mail"] / base_cpu, 2),
    }


def _baseline(sink_pid: int, port: int, message: Path, count: int, tag: str) -> dict[str, float]:
    sink_before = cpu_seconds(sink_pid)
    result = baseline(port, message, count, tag)
    sink_cpu = cpu_seconds(sink_pid) - sink_before
    return {
        **result,
        "per_second": round(result["mails"] / result["seconds"], 1),
        "sink_cpu_ms_per_mail": round(1000 * sink_cpu / count, 3),
    }


def statistics_mean(values: Any) -> float:
    items = list(values)
    return sum(items) / len(items)
