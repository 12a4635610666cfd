"""A digest batch's suppression check (notifications/queries.suppressed_messages): just before
its first send, the messages of subscribers suppressed since the chunk was written."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from sqlalchemy import select

from campaign.extensions import db
from campaign.mail.models import Suppression
from campaign.notifications import digests, queries
from campaign.notifications.models import DigestDelivery
from tests.notifications.helpers import NOW, bulk_subscribers, unsent_digest

MONDAY = dt.date(2026, 11, 30)


def test_a_batch_finds_exactly_the_messages_of_subscribers_suppressed_since(app: Flask) -> None:
    digest = unsent_digest(MONDAY)
    emails = ["a@example.org", "b@example.org", "c@example.org"]
    first, second, third = bulk_subscribers([{"email": email} for email in emails])
    ids = digests.prepare_chunk(digest_id=digest.id, first_id=first, last_id=third)
    assert len(ids) == 3 and queries.suppressed_messages(ids) == set()

    # b hard-bounced after its mail was queued; c has one soft bounce, not yet suppressed.
    db.session.add_all(
        [
            Suppression(address_key=emails[1], address=emails[1], suppressed_at=NOW),
            Suppression(address_key=emails[2], address=emails[2], soft_bounces=1),
        ]
    )
    db.session.flush()
    message_of = dict(
        db.session.execute(
            select(DigestDelivery.subscription_id, DigestDelivery.message_id).where(
                DigestDelivery.digest_id == digest.id
            )
        ).all()
    )
    assert queries.suppressed_messages(ids) == {message_of[second]}
    assert queries.suppressed_messages([message_of[first], message_of[third]]) == set()
    assert queries.suppressed_messages([]) == set()
    # Numbers no message id can be match nothing, and fail nothing, on either database.
    beyond = [2**31, 2**63, 2**64 + 7, -(2**70), 0]
    assert queries.suppressed_messages([*beyond, message_of[second]]) == {message_of[second]}
    assert queries.suppressed_messages(beyond) == set()
