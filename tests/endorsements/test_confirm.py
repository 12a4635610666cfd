"""Confirming by mail (a GET never confirms), expired links, withdrawal with erasure."""

from __future__ import annotations

import datetime as dt

import time_machine
from flask.testing import FlaskClient
from sqlalchemy import select

from campaign.audit.models import AuditEvent
from campaign.db import utcnow
from campaign.extensions import db
from campaign.pledges import tokens as pledge_tokens
from tests.endorsements.helpers import (
    confirm_path,
    endorsements,
    links_in,
    mails,
    manage_path,
    post_with_csrf,
    sign,
)


def test_opening_the_link_does_not_confirm_pressing_the_button_does(client: FlaskClient) -> None:
    sign(client)
    confirm_link, _manage = links_in(mails()[0].body_text)
    assert client.get(confirm_link).status_code == 200
    assert endorsements()[0].confirmed_at is None
    response = post_with_csrf(client, confirm_link)
    assert response.status_code == 200
    assert "Manage your endorsement" in response.get_data(as_text=True)
    [row] = endorsements()
    assert row.confirmed_at is not None and row.review == "pending"
    assert post_with_csrf(client, confirm_link).status_code == 200  # again: nothing changes
    assert endorsements()[0].confirmed_at == row.confirmed_at


def test_confirming_without_csrf_is_a_400(client: FlaskClient) -> None:
    sign(client)
    [row] = endorsements()
    assert client.post(confirm_path(row.id)).status_code == 400
    assert endorsements()[0].confirmed_at is None


def test_forged_and_foreign_tokens_are_404(client: FlaskClient) -> None:
    sign(client)
    [row] = endorsements()
    assert client.get("/endorsement/confirm/not-a-token").status_code == 404
    pledge_link = pledge_tokens.make_token(pledge_tokens.CONFIRM, row.id)
    assert client.get(f"/endorsement/confirm/{pledge_link}").status_code == 404
    assert client.get(f"/endorsement/confirm/{'x' * 600}").status_code == 404
    assert client.get(manage_path(row.id + 999)).status_code == 404


def test_an_expired_link_offers_a_new_one(client: FlaskClient) -> None:
    sign(client)
    [row] = endorsements()
    path = confirm_path(row.id)
    with time_machine.travel(utcnow() + dt.timedelta(days=8), tick=False):
        page = client.get(path)
        assert page.status_code == 200 and "This link has expired" in page.get_data(as_text=True)
        assert post_with_csrf(client, path).status_code == 410
        resend = post_with_csrf(client, path.replace("/confirm/", "/resend/"))
        assert resend.status_code == 302
    assert endorsements()[0].confirmed_at is None
    assert len(mails()) == 2


def test_withdrawal_erases_and_unlists(client: FlaskClient) -> None:
    sign(client)
    [row] = endorsements()
    assert post_with_csrf(client, manage_path(row.id), {"action": ""}).status_code == 400
    response = post_with_csrf(client, manage_path(row.id), {"action": "withdraw"})
    assert response.status_code == 302
    [row] = endorsements()
    assert row.withdrawn_at is not None and row.name == "" and row.statement == ""
    assert "lucia" not in row.email and "example.org" not in row.email_canonical
    [mail] = mails()
    assert "lucia" not in mail.to_address and mail.status == "failed"
    assert client.get(manage_path(row.id)).status_code == 404
    actions = db.session.scalars(select(AuditEvent.action).filter_by(entity_type="endorsement"))
    assert "endorsement.withdrawn" in list(actions)
    # Signing again after a withdrawal makes a new endorsement.
    assert sign(client).status_code == 302
    assert len(endorsements()) == 2
