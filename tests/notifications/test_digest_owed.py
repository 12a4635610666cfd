"""Whether anyone is still owed a digest: asked at every chunk's end, answered without a list."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from sqlalchemy import Select, select

from campaign.extensions import db
from campaign.mail import services as outbox
from campaign.mail.models import OutboundEmail
from campaign.notifications import digests
from campaign.notifications.models import Digest
from tests.notifications.helpers import NOW, bulk_subscribers, digest_finished, unsent_digest

MONDAY = dt.date(2026, 11, 30)


def _ids(message_ids: list[int]) -> Select[int]:
    return select(OutboundEmail.id).where(OutboundEmail.id.in_(message_ids))


def _owed(digest: Digest) -> bool:
    """anyone_owed(), checked against the list plan_chunks() reads."""
    answer = digests.anyone_owed(digest)
    assert answer is bool(digests.pending_subscription_ids(digest))
    return answer


def test_owed_until_every_eligible_subscriber_is_sent_the_digest(app: Flask) -> None:
    digest = unsent_digest(MONDAY)
    first, second, *_ineligible = bulk_subscribers(
        [
            {"email": "a@example.org"},
            {"email": "b@example.org"},
            {"email": "gone@example.org", "unsubscribed_at": NOW},
            {"email": "bounced@example.org", "bounced_at": NOW},
            {"email": "monthly@example.org", "frequency": "monthly"},
            {"email": "unconfirmed@example.org", "confirmed_at": None},
        ]
    )
    assert _owed(digest)  # nobody listed yet

    # Out of id order (a chunk sent again, two workers): the newest is listed and sent first.
    theirs = digests.prepare_chunk(digest_id=digest.id, first_id=second, last_id=second)
    assert _owed(digest)  # the newest is queued, the oldest not listed
    outbox.claim_many(theirs)
    outbox.settle_sent({theirs[0]: "Subject: b"})
    assert _owed(digest)  # the newest is sent, the oldest not listed

    mine = digests.prepare_chunk(digest_id=digest.id, first_id=first, last_id=first)
    assert _owed(digest)  # the oldest is queued
    outbox.claim_many(mine)
    assert _owed(digest)  # and being sent
    outbox.settle_sent({mine[0]: "Subject: a"})
    assert not _owed(digest)  # the four others are not owed it

    (late,) = bulk_subscribers([{"email": "late@example.org"}])
    assert _owed(digest)  # subscribed since the fan-out began: not listed yet
    assert digests.finish_if_done(digest_id=digest.id) is False
    late_mail = digests.prepare_chunk(digest_id=digest.id, first_id=late, last_id=late)
    outbox.claim_many(late_mail)
    outbox.settle_sent({late_mail[0]: "Subject: c"})
    assert digests.finish_if_done(digest_id=digest.id) is True
    db.session.flush()
    assert digest_finished(digest.id)


def test_a_failed_or_held_mail_is_not_owed(app: Flask) -> None:
    """Only queued and sending mails are owed (a held one waits for a coordinator; a failed
    one was tried), as plan_chunks() reads them."""
    digest = unsent_digest(MONDAY)
    first, second = bulk_subscribers([{"email": "a@example.org"}, {"email": "b@example.org"}])
    held = digests.prepare_chunk(digest_id=digest.id, first_id=first, last_id=first)
    failed = digests.prepare_chunk(digest_id=digest.id, first_id=second, last_id=second)
    assert _owed(digest)
    outbox.set_status(_ids(held), old="queued", new="held")
    assert _owed(digest)
    outbox.set_status(_ids(failed), old="queued", new="failed")
    assert not _owed(digest)
