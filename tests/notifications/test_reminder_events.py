"""The supporters' International Migrants Day reminder lists the approved events coming up in
the states each subscriber follows, in the subscriber's language; nobody else's."""

from __future__ import annotations

import datetime as dt

import time_machine
from flask import Flask

from campaign.db import utcnow
from campaign.extensions import db
from campaign.notifications import reminders
from tests.factories import EventFactory, state
from tests.notifications.helpers import outbox_rows, subscriber

DAY = dt.date(2026, 12, 11)  # seven days before Migrants Day: a reminder day
AT = dt.datetime(2026, 12, 18, 17, tzinfo=dt.UTC)


def _reminders() -> dict[str, str]:
    with time_machine.travel(dt.datetime.combine(DAY, dt.time(7), dt.UTC), tick=False):
        reminders.queue_migrants_day(today=utcnow().date())
    db.session.commit()
    return {row.to_address: row.body_text for row in outbox_rows("migrants-day:")}


def test_followers_see_the_events_in_their_states(app: Flask) -> None:
    EventFactory(title="Dakar vigil for ratification", starts_at=AT)
    EventFactory(
        title="Paris panel", starts_at=AT, state=state("FRA"), city="Paris", timezone="Europe/Paris"
    )
    EventFactory(title="Pending Dakar march", starts_at=AT, review="pending", published_at=None)
    EventFactory(title="Dakar event next year", starts_at=AT + dt.timedelta(days=300))
    subscriber("follows-senegal@example.org", follows=["SEN"], frequency="weekly")
    subscriber("follows-mexico@example.org", follows=["MEX"], frequency="weekly")
    subscriber("follows-all@example.org", frequency="weekly", alerts="all")
    subscriber("suit-fr@example.org", follows=["SEN", "FRA"], frequency="weekly", locale="fr")
    db.session.commit()
    bodies = _reminders()
    senegal = bodies["follows-senegal@example.org"]
    assert "Events near you, in the states you follow:" in senegal
    assert "Dakar vigil for ratification" in senegal and "/events/" in senegal
    assert "Paris panel" not in senegal and "Pending" not in senegal and "next year" not in senegal
    assert "Dakar vigil" not in bodies["follows-mexico@example.org"]
    assert "Events near you" not in bodies["follows-mexico@example.org"]
    assert "Dakar vigil" not in bodies["follows-all@example.org"]
    french = bodies["suit-fr@example.org"]
    assert "Dakar vigil for ratification" in french and "Paris panel" in french
    assert "/fr/events/" in french
