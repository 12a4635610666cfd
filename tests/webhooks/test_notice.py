"""The notice of a disabled endpoint: to the organisation's contact and each of its users, in
their language, once per disabling, through the outbox; and no mail a filter would call spam."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from campaign.db import utcnow
from campaign.extensions import db
from campaign.mail.models import OutboundEmail
from campaign.mail.smtp import build_message
from campaign.webhooks.notices import queue_disabled_notice
from tests.factories import OrganisationFactory, WebhookEndpointFactory
from tests.mail.spam import verdict
from tests.support.auth import make_user

LOCALES = ("en", "ar", "zh", "fr", "ru", "es")


def _notices(endpoint_id: int) -> list[OutboundEmail]:
    query = select(OutboundEmail).where(
        OutboundEmail.idempotency_key.like(f"webhook-disabled:{endpoint_id}:%")
    )
    return list(db.session.scalars(query.order_by(OutboundEmail.to_address)))


def test_one_notice_per_address_per_disabling(
    app: Flask, monkeypatch: pytest.MonkeyPatch, published_jobs: list[Any]
) -> None:
    monkeypatch.setitem(app.config, "SITE_URL", "https://campaign.example.org")
    monkeypatch.setitem(
        app.config,
        "MAIL_DEFAULT_SENDER",
        "Migrant Workers Convention campaign <campaign@campaign.example.org>",
    )
    organisation = OrganisationFactory(
        name="Kafa'a <Migrant> Rights", contact_email="Contact@Kafaa.example.org"
    )
    for locale in LOCALES:
        user = make_user("partner", email=f"{locale}@kafaa.example.org", organisation=organisation)
        user.locale = locale
    make_user("partner", email="other@elsewhere.example.org")  # another organisation's
    endpoint = WebhookEndpointFactory(
        organisation=organisation, url="https://hooks.kafaa.example.org/campaign?x=1&y=2"
    )
    endpoint.is_active, endpoint.disabled_at = False, utcnow()
    db.session.flush()
    assert queue_disabled_notice(endpoint_id=endpoint.id, failures=5) == 7
    assert queue_disabled_notice(endpoint_id=endpoint.id, failures=5) == 0  # once
    rows = _notices(endpoint.id)
    assert [row.to_address for row in rows] == sorted(
        ["contact@kafaa.example.org", *(f"{locale}@kafaa.example.org" for locale in LOCALES)]
    )
    english = next(row for row in rows if row.to_address == "en@kafaa.example.org")
    assert english.subject == "Your webhook endpoint was disabled after repeated failures"
    assert endpoint.url in english.body_text and "5 deliveries failed" in english.body_text
    assert "Kafa&#39;a &lt;Migrant&gt; Rights" in (english.body_html or "")
    assert "https://hooks.kafaa.example.org/campaign?x=1&amp;y=2" in (english.body_html or "")
    for row in rows[:2]:  # the contact's (English) and the Arabic reader's: ~4 s each
        score = verdict(build_message(row).as_bytes()).score
        assert score <= 1.0, (row.to_address, score)
