"""A new pledge and its mail, committed by their one statement (pledges/statements.py): on
PostgreSQL, when the request has begun nothing else, the statement runs in autocommit, with no
BEGIN or COMMIT round trips. Each outcome of it, with real commits, on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from campaign.accounts.services import create_user
from campaign.core import jobs
from campaign.extensions import db
from campaign.mail import guard, suppression
from campaign.mail.models import OutboundEmail
from campaign.pledges.mail import CONFIRM_KEY
from campaign.pledges.models import Pledge
from campaign.settings.services import set_setting
from tests.pledges.helpers import sign
from tests.public.test_query_budget import on_execute, statements

VENUE = "203.0.113.9"
# Queued, or already taken by the session's worker when an earlier test started it.
SENDING = {"queued", "sending", "sent"}


@pytest.fixture
def cached(app: Flask, committed: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Real commits; settings and states kept per process, as in production."""
    monkeypatch.setitem(app.config, "RUNTIME_CACHE_SECONDS", 60)


@contextmanager
def autocommitted(app: Flask) -> Iterator[list[bool]]:
    """For each WITH statement sent inside the block: whether its connection was in autocommit."""
    seen: list[bool] = []

    def record(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("WITH new_pledge"):
            seen.append(bool(conn.connection.driver_connection.autocommit))

    with on_execute(app, record):
        yield seen


def _alone(seen: list[bool]) -> list[bool]:
    """What *seen* should be for one new pledge written alone, on this database."""
    return [True] if db.engine.dialect.name == "postgresql" else []


def _setting(key: str, value: str) -> None:
    admin = create_user(email="admin@example.org", password="correct horse battery", role="admin")
    set_setting(key=key, value=value, actor=admin)
    db.session.commit()


def _rows() -> list[tuple[str, str, str | None, bool, str, str | None]]:
    """(address, status, group, suspect, key, error) of every pledge's mail, oldest first. By
    key, not by the worker's reference (cleared once the worker has written the bodies)."""
    db.session.expire_all()
    pledges = {pledge.id: pledge for pledge in db.session.scalars(select(Pledge))}
    mails = db.session.scalars(
        select(OutboundEmail)
        .where(OutboundEmail.idempotency_key.startswith(CONFIRM_KEY))
        .order_by(OutboundEmail.id)
    )
    rows = []
    for mail in mails:
        pledge = pledges[int(mail.idempotency_key.split(":")[1])]
        status = "queued" if mail.status in SENDING else mail.status
        row = (pledge.email, status, mail.held_for, pledge.is_suspect)
        rows.append((*row, mail.idempotency_key, mail.last_error))
    return rows


def _warm(client: FlaskClient) -> None:
    """One pledge from elsewhere, so the next request finds the caches loaded."""
    assert sign(client, email="warm@example.net", ip="192.0.2.200").status_code == 302


def test_a_new_pledge_and_its_mail_commit_in_one_statement(
    app: Flask, client: FlaskClient, cached: None, fresh_limits: None, published_jobs: list[Any]
) -> None:
    _warm(client)
    published_jobs.clear()
    with autocommitted(app) as seen:
        assert sign(client, email="ana@example.org", ip=VENUE).status_code == 302
    assert seen == _alone(seen)
    pledge = db.session.scalars(select(Pledge).filter_by(email="ana@example.org")).one()
    key = f"pledge-confirm:{pledge.id}:1"
    assert _rows()[-1] == ("ana@example.org", "queued", None, False, key, None)
    [message_id] = db.session.scalars(select(OutboundEmail.id).filter_by(idempotency_key=key))
    assert published_jobs == [("campaign.send_email", (message_id,))]  # after it committed


@contextmanager
def session_transactions() -> Iterator[list[object]]:
    """Every transaction the ORM session begins inside the block (savepoints left out)."""
    begun: list[object] = []

    def record(_session: Any, transaction: Any) -> None:
        if transaction.parent is None:
            begun.append(transaction)

    event.listen(Session, "after_transaction_create", record)
    try:
        yield begun
    finally:
        event.remove(Session, "after_transaction_create", record)


@pytest.mark.parametrize("window", [0, 5], ids=["one job per mail", "one job per window"])
def test_a_pledge_written_alone_is_sent_with_no_transaction_begun(
    app: Flask,
    client: FlaskClient,
    cached: None,
    fresh_limits: None,
    published_jobs: list[Any],
    monkeypatch: pytest.MonkeyPatch,
    window: int,
) -> None:
    """Its statement committed it: its sending job goes at once, and the request neither
    begins nor commits a transaction of its own (on SQLite, the two INSERTs commit as one)."""
    monkeypatch.setitem(app.config, "MAIL_NUDGE_SECONDS", window)
    monkeypatch.setattr(jobs, "_ON_ITS_WAY", {})
    _warm(client)
    published_jobs.clear()
    jobs._ON_ITS_WAY.clear()  # the warming pledge's job is on its way: no more in its window
    with session_transactions() as begun:
        assert sign(client, email="alone@example.org", ip=VENUE).status_code == 302
    alone = db.engine.dialect.name == "postgresql"
    assert len(begun) == (0 if alone else 1)
    [message_id] = db.session.scalars(
        select(OutboundEmail.id).where(OutboundEmail.to_address == "alone@example.org")
    )
    job = ("campaign.send_pending", ()) if window else ("campaign.send_email", (message_id,))
    assert published_jobs == [job]


def test_a_suspect_pledge_is_held_in_the_same_statement(
    app: Flask, client: FlaskClient, cached: None, fresh_limits: None, published_jobs: list[Any]
) -> None:
    _setting("pledge_limit_burst", "1 per minute")
    assert sign(client, email="first@example.org", ip=VENUE).status_code == 302
    published_jobs.clear()
    with autocommitted(app) as seen:
        assert sign(client, email="second@example.org", ip=VENUE).status_code == 302
    assert seen == _alone(seen)
    with app.test_request_context():
        group = guard.group_of(VENUE)
    last = _rows()[-1]
    assert last[:4] == ("second@example.org", "held", group, True)
    assert published_jobs == []  # never mailed before a coordinator releases it


def test_a_client_over_its_new_addresses_has_the_mail_held(
    app: Flask, client: FlaskClient, cached: None, fresh_limits: None, published_jobs: list[Any]
) -> None:
    _setting("mail_limit_new_addresses", "1 per hour")
    assert sign(client, email="first@example.org", ip=VENUE).status_code == 302
    # The first time over: coordinators are alerted, which begins the request's transaction.
    with autocommitted(app) as seen:
        assert sign(client, email="second@example.org", ip=VENUE).status_code == 302
    assert seen == ([False] if db.engine.dialect.name == "postgresql" else [])
    with autocommitted(app) as seen:
        assert sign(client, email="third@example.org", ip=VENUE).status_code == 302
    assert seen == _alone(seen)
    assert [row[:2] for row in _rows()[-2:]] == [
        ("second@example.org", "held"),
        ("third@example.org", "held"),
    ]
    last = _rows()[-1]
    assert (last[0], last[1], last[3], last[5]) == (
        "third@example.org",
        "held",
        False,  # held for the client, not suspect itself
        guard.HELD_REASON,
    )


def test_a_suppressed_address_is_stored_and_its_mail_kept_failed(
    app: Flask, client: FlaskClient, cached: None, fresh_limits: None, published_jobs: list[Any]
) -> None:
    suppression.record_bounce_report(
        address="gone@example.org", kind="hard", source="smtp", report_key="smtp:gone"
    )
    db.session.commit()
    _warm(client)
    published_jobs.clear()
    with autocommitted(app) as seen:
        assert sign(client, email="Gone+pledge@Example.org", ip=VENUE).status_code == 302
    assert seen == _alone(seen)
    last = _rows()[-1]
    assert last[:2] == ("gone+pledge@example.org", "failed")
    assert last[5] == suppression.SUPPRESSED
    assert published_jobs == []


def test_signing_again_writes_no_second_pledge_and_mails_once_more(
    app: Flask, client: FlaskClient, cached: None, fresh_limits: None, published_jobs: list[Any]
) -> None:
    _warm(client)
    assert sign(client, email="twice@example.org", ip=VENUE).status_code == 302
    with autocommitted(app) as seen, statements(app) as sent:
        assert sign(client, email="twice@example.org", ip=VENUE).status_code == 302
    assert seen == _alone(seen), sent  # tried alone; the address had signed: nothing written
    db.session.expire_all()
    [pledge] = db.session.scalars(select(Pledge).filter_by(email="twice@example.org"))
    assert pledge.mails_sent == 1  # within the resend cooldown: no second mail yet
    keys = [row[4] for row in _rows() if row[0] == "twice@example.org"]
    assert keys == [f"pledge-confirm:{pledge.id}:1"]


def test_a_request_that_began_a_transaction_writes_inside_it(
    app: Flask, client: FlaskClient, committed: Any, fresh_limits: None
) -> None:
    """Settings read afresh (the tests' default) begin the session's transaction first: the
    statement joins it, and the pledge is committed with the rest of the request."""
    with autocommitted(app) as seen:
        assert sign(client, email="inside@example.org", ip=VENUE).status_code == 302
    assert seen == ([False] if db.engine.dialect.name == "postgresql" else [])
    assert _rows()[-1][:2] == ("inside@example.org", "queued")


# Each case in one test: a test with real commits empties and seeds the database afterwards.
TEXTS = [
    ("مريم الحسن", "نعم للاتفاقية"),  # right-to-left
    ("Zhāng 𠀋𡈽", "支持 🌍 𝔘𝔫𝔦𝔱𝔶"),  # astral characters
    ('O\'Brien \\ "Ana"', "=1+2; '; DROP TABLE pledges; --"),  # quotes, formula, SQL
]
REFUSED: list[dict[str, Any]] = [
    {"email": "ana@example.org\r\nBcc: x@example.net"},  # header injection
    {"email": "not an address"},
    {"name": ""},
    {"name": "x" * 201},
    {"csrf": False},
]


def test_text_goes_through_the_one_statement_unchanged(
    app: Flask, client: FlaskClient, cached: None, fresh_limits: None
) -> None:
    _warm(client)
    for n, (name, message) in enumerate(TEXTS):
        email = f"text{n}@example.org"
        with autocommitted(app) as seen:
            response = sign(client, email=email, ip=VENUE, name=name, message=message)
        assert response.status_code == 302
        assert seen == _alone(seen), name
        db.session.expire_all()
        pledge = db.session.scalars(select(Pledge).filter_by(email=email)).one()
        assert (pledge.name, pledge.message) == (name, message)


def test_a_refused_form_writes_nothing(
    app: Flask, client: FlaskClient, cached: None, fresh_limits: None
) -> None:
    _warm(client)
    before = _rows()
    for changes in REFUSED:
        with autocommitted(app) as seen:
            response = sign(client, ip=VENUE, **changes)
        assert (response.status_code, seen) == (400, []), changes
    assert _rows() == before
