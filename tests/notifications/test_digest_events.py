"""A digest tells each subscriber how many Migrants Day events were announced in its period in
the states they follow ("3 new events in your followed states"), in their language."""

from __future__ import annotations

import datetime as dt

from flask import Flask

from campaign.extensions import db
from campaign.notifications import digests
from tests.factories import EventFactory, state
from tests.notifications.helpers import outbox_rows, subscriber

MONDAY = dt.date(2026, 11, 30)
PUBLISHED = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)  # in the week before MONDAY


def test_each_subscriber_counts_the_events_in_the_states_they_follow(app: Flask) -> None:
    for _ in range(3):
        EventFactory(published_at=PUBLISHED)  # Senegal
    EventFactory(published_at=PUBLISHED, state=state("FRA"), city="Paris", timezone="Europe/Paris")
    EventFactory(published_at=PUBLISHED - dt.timedelta(days=20))  # an earlier week
    EventFactory(published_at=None, review="pending")
    senegal = subscriber("senegal@example.org", follows=["SEN"], frequency="weekly")
    both = subscriber("both@example.org", follows=["SEN", "FRA"], frequency="weekly", locale="fr")
    mexico = subscriber("mexico@example.org", follows=["MEX"], frequency="weekly")
    db.session.commit()
    digest = digests.build_digest(kind="weekly", today=MONDAY)
    db.session.commit()
    digests.prepare_chunk(
        digest_id=digest.id,
        first_id=min(senegal.id, both.id, mexico.id),
        last_id=max(senegal.id, both.id, mexico.id),
    )
    db.session.commit()
    bodies = {row.to_address: row.body_text for row in outbox_rows(f"digest:{digest.id}:")}
    assert "3 new events in your followed states" in bodies["senegal@example.org"]
    assert "/events" in bodies["senegal@example.org"]
    [line] = [x for x in bodies["both@example.org"].splitlines() if x.endswith("/fr/events")]
    assert line.startswith("4 ")  # in French, the four in Senegal and France
    assert "new event" not in bodies["mexico@example.org"]
