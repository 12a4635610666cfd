"""Events' rules: time zones, clock changes, places, partners' states, duplicates, reviews."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from flask import Flask

from campaign.errors import NotPermitted
from campaign.events import queries, services
from campaign.events.services import EventData, EventError
from campaign.extensions import db
from tests.factories import (
    EventFactory,
    OrganisationFactory,
    OutreachTaskFactory,
    PartnershipFactory,
    UserFactory,
    state,
)


def _data(**changes: object) -> EventData:
    base = EventData(
        title="Vigil for migrant workers",
        kind="vigil",
        start_on=dt.date(2030, 12, 18),
        start_time=dt.time(18, 0),
        end_on=dt.date(2030, 12, 18),
        end_time=dt.time(19, 30),
        timezone="Europe/Paris",
        city="Paris",
        state=state("FRA"),
        online_url=None,
        language="fr",
        description="",
        contact="https://vigil.example.org",
        organisations=[],
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_local_times_are_stored_in_utc(app: Flask) -> None:
    coordinator = UserFactory(role="coordinator")
    event, created = services.create_event(data=_data(), actor=coordinator, via="admin")
    assert created and event.review == "approved" and event.published_at is not None
    assert event.starts_at == dt.datetime(2030, 12, 18, 17, 0, tzinfo=dt.UTC)
    assert event.local_start.hour == 18 and event.local_start.tzinfo.key == "Europe/Paris"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"timezone": "../../etc/passwd"}, "timezone"),
        ({"timezone": "Europe/Paris\x00"}, "timezone"),
        ({"end_time": dt.time(17, 0)}, "end_on"),
        ({"end_time": dt.time(18, 0)}, "end_on"),
        ({"end_on": dt.date(2030, 12, 17)}, "end_on"),
        # 29 March 2026, 02:30 never happened in Paris: the clocks went from 02:00 to 03:00.
        (
            {
                "start_on": dt.date(2026, 3, 29),
                "start_time": dt.time(2, 30),
                "end_on": dt.date(2026, 3, 29),
            },
            "start_time",
        ),
        ({"state": None}, "state"),
        ({"city": ""}, "city"),
        ({"kind": "online", "online_url": None}, "online_url"),
        ({"kind": "hybrid", "online_url": None}, "online_url"),
    ],
)
def test_impossible_events_are_refused(app: Flask, changes: dict, field: str) -> None:
    coordinator = UserFactory(role="coordinator")
    with pytest.raises(EventError) as refused:
        services.create_event(data=_data(**changes), actor=coordinator, via="admin")
    assert refused.value.field == field and str(refused.value)


def test_an_online_event_needs_no_place(app: Flask) -> None:
    coordinator = UserFactory(role="coordinator")
    data = _data(kind="online", state=None, city="", online_url="https://meet.example.org/x")
    event, _ = services.create_event(data=data, actor=coordinator, via="admin")
    assert event.state is None and event.online_url == "https://meet.example.org/x"


def test_a_partner_posts_only_for_its_own_states_and_waits(app: Flask) -> None:
    organisation = OrganisationFactory()
    PartnershipFactory(organisation=organisation, state=state("FRA"))
    partner = UserFactory(role="partner", organisation=organisation)
    event, _ = services.create_event(data=_data(), actor=partner, via="portal")
    assert event.review == "pending" and event.published_at is None
    assert organisation in event.organisations
    with pytest.raises(NotPermitted):
        services.create_event(
            data=_data(state=state("SEN"), city="Dakar"), actor=partner, via="portal"
        )


def test_the_same_event_twice_is_one_event(app: Flask) -> None:
    coordinator = UserFactory(role="coordinator")
    first, created = services.create_event(data=_data(), actor=coordinator, via="admin")
    again, created_again = services.create_event(data=_data(), actor=coordinator, via="admin")
    assert created and not created_again and first.id == again.id


def test_review_approves_once_and_rejects_with_a_reason(app: Flask) -> None:
    coordinator = UserFactory(role="coordinator")
    pending = EventFactory(review="pending", published_at=None, created_via="portal")
    with pytest.raises(EventError):
        services.review_event(event=pending, approve=False, reason=" ", actor=coordinator)
    services.review_event(event=pending, approve=True, reason="", actor=coordinator)
    assert pending.review == "approved" and pending.published_at is not None
    with pytest.raises(EventError):
        services.review_event(event=pending, approve=False, reason="late", actor=coordinator)
    other = EventFactory(review="pending", published_at=None, created_via="portal")
    services.review_event(
        event=other, approve=False, reason="Not a campaign event", actor=coordinator
    )
    assert other.review == "rejected" and other.review_reason == "Not a campaign event"


def test_a_task_links_only_to_its_own_states_migrants_day_event(app: Flask) -> None:
    coordinator = UserFactory(role="coordinator")
    letter = OutreachTaskFactory(state=state("FRA"), kind="letter")
    with pytest.raises(EventError):
        services.create_event(data=_data(task=letter), actor=coordinator, via="admin")
    task = OutreachTaskFactory(state=state("FRA"), kind="migrants_day", title="Migrants Day")
    event, _ = services.create_event(data=_data(task=task), actor=coordinator, via="admin")
    assert event.task_id == task.id
    assert queries.event_for_task(task.id) == event
    assert queries.event_for_task(letter.id) is None


def test_integration_reads(app: Flask) -> None:
    """events_near (reminders), event_dots (the map) and the digest's counts."""
    sen, fra = state("SEN"), state("FRA")
    day = dt.datetime(2030, 12, 18, 12, tzinfo=dt.UTC)
    near = EventFactory(state=sen, starts_at=day, published_at=day - dt.timedelta(days=3))
    EventFactory(
        state=sen, starts_at=day + dt.timedelta(days=1), review="pending", published_at=None
    )
    EventFactory(state=fra, city="Paris", starts_at=day - dt.timedelta(days=2), published_at=day)
    EventFactory(
        state=fra,
        city="Lyon",
        starts_at=dt.datetime(2030, 6, 1, tzinfo=dt.UTC),
        published_at=dt.datetime(2030, 5, 1, tzinfo=dt.UTC),
    )
    db.session.flush()
    week = (day - dt.timedelta(days=7), day + dt.timedelta(days=7))
    assert list(queries.events_near([sen.id], *week)) == [near]
    assert queries.events_near([], *week) == []
    assert queries.event_dots(2030) == {"SEN": 1, "FRA": 1}
    counts = queries.new_event_counts(day - dt.timedelta(days=7), day + dt.timedelta(hours=1))
    assert counts == {sen.id: 1, fra.id: 1}
    assert queries.followed_count(counts, [sen.id, fra.id, state("MEX").id]) == 2


def test_an_approved_event_is_told_to_the_webhooks_once(app: Flask) -> None:
    from sqlalchemy import select

    from campaign.webhooks.models import WebhookDelivery
    from tests.factories import WebhookEndpointFactory

    WebhookEndpointFactory(events=["event.approved"])
    WebhookEndpointFactory(events=["status.changed"])
    coordinator = UserFactory(role="coordinator")
    pending = EventFactory(review="pending", published_at=None, created_via="portal")
    services.review_event(event=pending, approve=True, reason="", actor=coordinator)
    event, _ = services.create_event(data=_data(), actor=coordinator, via="admin")
    rejected = EventFactory(review="pending", published_at=None, created_via="portal")
    services.review_event(event=rejected, approve=False, reason="No", actor=coordinator)
    deliveries = db.session.scalars(select(WebhookDelivery)).all()
    assert sorted(d.event_key for d in deliveries) == sorted([str(pending.id), str(event.id)])
    assert all(d.event == "event.approved" for d in deliveries)
    assert '"title":"Vigil for migrant workers"' in next(
        d.body for d in deliveries if d.event_key == str(event.id)
    )


def test_reminder_lines_in_the_readers_language(app: Flask) -> None:
    from campaign.events.display import reminder_items, when

    event = EventFactory(
        title="Veillée",
        starts_at=dt.datetime(2030, 12, 18, 18, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2030, 12, 19, 1, 0, tzinfo=dt.UTC),
        timezone="America/Mexico_City",
        state=state("MEX"),
        city="Ciudad de México",
    )
    [line] = reminder_items([event], "fr")
    assert line["title"] == "Veillée" and line["url"].endswith(f"/fr/events/{event.id}")
    assert "18 décembre 2030" in line["when"] and "12:00" in line["when"]
    assert "America/Mexico_City" in line["when"] and "Mexique" in line["where"]
    assert "December" in when(event, "en") and "19:00" in when(event, "en")


def test_a_task_is_carried_out_by_one_event(app: Flask) -> None:
    coordinator = UserFactory(role="coordinator")
    task = OutreachTaskFactory(state=state("FRA"), kind="migrants_day", title="One event")
    first, _ = services.create_event(data=_data(task=task), actor=coordinator, via="admin")
    services.update_event(event=first, data=_data(task=task, title="Renamed"), actor=coordinator)
    with pytest.raises(EventError) as refused:
        services.create_event(
            data=_data(task=task, title="Another"), actor=coordinator, via="admin"
        )
    assert refused.value.field == "task"
