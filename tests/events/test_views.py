"""Events through the pages: the journey (a partner posts, a coordinator approves, the public
sees it), the lists and their filters, the calendars, and the table of bad inputs."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar

from campaign.events.models import Event
from campaign.extensions import db
from tests.events.helpers import (
    EVENT,
    count_events,
    event_audits,
    events,
    partner_of,
    post_event,
)
from tests.factories import EventFactory, OrganisationFactory, PartnershipFactory, state
from tests.support.auth import csrf_from, log_in, make_user

NEW = "/partner/events/new"
ADMIN_NEW = "/admin/events/new"


def _review(client: FlaskClient, event_id: int, decision: str, reason: str = "") -> int:
    token = csrf_from(client, "/admin/events")
    response = client.post(
        f"/admin/events/{event_id}/review",
        data={"csrf_token": token, "decision": decision, "reason": reason},
    )
    return response.status_code


def test_a_partner_names_only_organisations_whose_names_it_may_see(
    app: Flask, client: FlaskClient
) -> None:
    """Its own, the steering committee's and its states' other partners: not an organisation
    working elsewhere, nor one known only from a pledge."""
    partner_of(client, "SEN")
    fellow = OrganisationFactory(name="Dakar Workers Union")
    PartnershipFactory(organisation=fellow, state=state("SEN"))
    elsewhere = OrganisationFactory(name="Kathmandu Secret Network")
    PartnershipFactory(organisation=elsewhere, state=state("NPL"))
    db.session.commit()
    page = client.get(NEW).get_data(as_text=True)
    assert "Dakar Workers Union" in page and "Kathmandu Secret Network" not in page
    before = len(events())
    response = post_event(client, NEW, organisations=[str(elsewhere.id)])
    assert response.status_code == 400
    assert len(events()) == before
    assert "Kathmandu Secret Network" not in response.get_data(as_text=True)


def test_partner_posts_coordinator_approves_public_sees(
    app: Flask, client: FlaskClient, new_client
) -> None:
    partner_of(client, "SEN")
    other = OrganisationFactory(name="Dakar Workers Union")
    PartnershipFactory(organisation=other, state=state("SEN"))  # a fellow partner in Senegal
    db.session.commit()
    response = post_event(client, NEW, organisations=[str(other.id)])
    assert response.status_code == 302, response.get_data(as_text=True)
    [event] = events()
    assert event.review == "pending" and event.created_via == "portal"
    assert {o.name for o in event.organisations} == {
        "Senegal Migrant Network",
        "Dakar Workers Union",
    }
    public = new_client()
    assert public.get(f"/events/{event.id}").status_code == 404
    assert public.get(f"/events/{event.id}.ics").status_code == 404
    assert "Migrants Day panel in Dakar" not in public.get("/events").get_data(as_text=True)
    assert "Migrants Day panel in Dakar" in client.get("/partner/events").get_data(as_text=True)

    coordinator = new_client()
    log_in(coordinator, make_user("coordinator"))
    assert "Migrants Day panel in Dakar" in coordinator.get("/admin/events").get_data(as_text=True)
    assert _review(coordinator, event.id, "approve") == 302
    assert event_audits() == ["event.created", "event.approved"]

    page = public.get(f"/events/{event.id}").get_data(as_text=True)
    assert "18:00" in page and "Africa/Dakar" in page and "Dakar Workers Union" in page
    assert "Migrants Day panel in Dakar" in public.get("/events?state=SEN").get_data(as_text=True)
    assert "Migrants Day panel in Dakar" in public.get("/fr/events").get_data(as_text=True)
    calendar = Calendar.from_ical(public.get("/events.ics").data)
    [item] = [c for c in calendar.walk("VEVENT") if str(c["summary"]) == EVENT["title"]]
    assert item["dtstart"].dt == dt.datetime(2030, 12, 18, 18, 0, tzinfo=dt.UTC)  # Dakar is UTC+0


def test_a_rejection_needs_a_reason_and_keeps_the_event_private(
    app: Flask, coordinator: FlaskClient, new_client
) -> None:
    event = EventFactory(review="pending", published_at=None, created_via="portal")
    db.session.commit()
    assert _review(coordinator, event.id, "reject", "") == 400
    assert _review(coordinator, event.id, "reject", "Not open to the public") == 302
    db.session.expire_all()
    assert db.session.get(Event, event.id).review == "rejected"
    assert new_client().get(f"/events/{event.id}").status_code == 404
    assert _review(coordinator, event.id, "approve") == 400  # reviewed once


def test_a_coordinators_event_is_published_at_once(app: Flask, coordinator: FlaskClient) -> None:
    response = post_event(
        coordinator, ADMIN_NEW, state="FRA", city="Paris", timezone="Europe/Paris"
    )
    assert response.status_code == 302
    [event] = events()
    assert event.review == "approved" and event.starts_at.hour == 17  # 18:00 in Paris
    page = coordinator.get(response.headers["Location"]).get_data(as_text=True)
    assert "Europe/Paris" in page


def test_lists_filters_and_archive(app: Flask, client: FlaskClient) -> None:
    now = dt.datetime.now(dt.UTC)
    EventFactory(title="Soon in Dakar", starts_at=now + dt.timedelta(days=2))
    EventFactory(
        title="Vigil in Manila",
        kind="vigil",
        state=state("PHL"),
        city="Manila",
        timezone="Asia/Manila",
        starts_at=now + dt.timedelta(days=1),
    )
    EventFactory(title="Last year in Dakar", starts_at=now - dt.timedelta(days=400))
    EventFactory(
        title="Waiting in Dakar",
        review="pending",
        published_at=None,
        starts_at=now + dt.timedelta(days=3),
    )
    db.session.commit()
    page = client.get("/events").get_data(as_text=True)
    assert page.index("Vigil in Manila") < page.index("Soon in Dakar")
    assert "Last year in Dakar" not in page and "Waiting in Dakar" not in page
    assert "Last year in Dakar" in client.get("/events/archive").get_data(as_text=True)
    assert "Soon in Dakar" not in client.get("/events?region=Asia").get_data(as_text=True)
    assert "Vigil in Manila" not in client.get("/events?kind=panel").get_data(as_text=True)
    month = (now + dt.timedelta(days=1)).strftime("%Y-%m")
    assert "Vigil in Manila" in client.get(f"/events?month={month}&kind=vigil").get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    "query",
    [
        "state=%0d%0a",
        "month=2026-13",
        "month=99999-01",
        "month=２０２６-01",
        "page=99999999999999999999",
        "region=<script>",
        "kind=%00",
        "state=SEN&page=-1",
        "month=%E2%80%AE",
    ],
)
def test_bad_filters_are_ignored(app: Flask, client: FlaskClient, query: str) -> None:
    assert client.get(f"/events?{query}").status_code == 200
    assert client.get(f"/events/archive?{query}").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/events/99999999999999999999",
        "/events/0",
        "/events/-1",
        "/events/1.ics",
        "/events/99999999999999999999.ics",
    ],
)
def test_missing_and_overflowing_ids(app: Flask, client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_each_events_calendar_is_valid_utc(app: Flask, client: FlaskClient) -> None:
    event = EventFactory(
        title="Briefing\r\nBCC: x",
        timezone="America/Mexico_City",
        state=state("MEX"),
        city="Ciudad de México",
        description="línea 1\nline 2 😀",
        starts_at=dt.datetime(2030, 12, 18, 0, 30, tzinfo=dt.UTC),
    )
    db.session.commit()
    response = client.get(f"/events/{event.id}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    body = response.data
    assert b"DTSTART:20301218T003000Z" in body and b"\r\n" in body
    [item] = Calendar.from_ical(body).walk("VEVENT")
    assert str(item["summary"]) == "Briefing\r\nBCC: x" or "BCC" in str(item["summary"])
    assert "America/Mexico_City" in str(item["description"])
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    assert b"\nBCC" not in body.replace(b"\r\n ", b"")


BAD_INPUTS = [
    ({"timezone": "Mars/Olympus_Mons"}, "not a time zone"),
    ({"timezone": "Europe/Paris\r\nX"}, "line breaks"),
    ({"end_time": "17:00"}, "must end after"),
    ({"start_on": "2030-02-30"}, "YYYY-MM-DD"),
    ({"start_on": "18/12/2030"}, "YYYY-MM-DD"),
    ({"end_on": "99999-12-18"}, "YYYY-MM-DD"),
    ({"start_time": "25:00"}, "HH:MM"),
    ({"start_time": "６:00"}, "HH:MM"),
    ({"title": "<script>alert(1)</script>"}, "&lt; and &gt;"),
    ({"title": "Panel\r\nBcc: x"}, "line breaks"),
    ({"title": '=HYPERLINK("http://x")'}, "letter or a digit"),
    ({"title": "Panel \u202egnp.exe"}, "direction-control"),
    ({"title": ""}, "title"),
    ({"city": ""}, "city"),
    ({"kind": "online", "online_url": ""}, "https link"),
    ({"kind": "hybrid", "online_url": "http://insecure.example.org"}, "https://"),
    ({"online_url": "javascript:alert(1)"}, "https://"),
    ({"contact": "not an address"}, "https://"),
    ({"contact": "x@"}, "valid email"),
    ({"kind": "rave"}, "Not a valid choice"),
    ({"language": "de"}, "Not a valid choice"),
    ({"organisations": ["99999999999999999999"]}, "valid choice"),
    ({"state": "ATL"}, "Not a valid choice"),
]


@pytest.mark.parametrize(("changes", "message"), BAD_INPUTS)
def test_bad_inputs_say_why_and_save_nothing(
    app: Flask, coordinator: FlaskClient, changes: dict, message: str
) -> None:
    response = post_event(coordinator, ADMIN_NEW, **changes)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count_events() == 0


def test_astral_and_rtl_text_is_kept(app: Flask, coordinator: FlaskClient) -> None:
    title = "يوم المهاجرين الدولي 😀 𝕄"
    assert post_event(coordinator, ADMIN_NEW, title=title).status_code == 302
    [event] = events()
    assert event.title == title
    assert title in coordinator.get(f"/events/{event.id}").get_data(as_text=True)


def test_missing_csrf_and_duplicates(app: Flask, client: FlaskClient) -> None:
    partner_of(client, "SEN")
    assert post_event(client, NEW, csrf=False).status_code == 400
    assert count_events() == 0
    assert post_event(client, NEW).status_code == 302
    assert post_event(client, NEW).status_code == 302
    assert count_events() == 1


def test_a_partner_cannot_post_for_a_state_not_its_own(app: Flask, client: FlaskClient) -> None:
    partner_of(client, "SEN")
    response = post_event(client, NEW, state="FRA", city="Paris")
    assert response.status_code == 400 and "Not a valid choice" in response.get_data(as_text=True)
    assert count_events() == 0
    assert "France" not in client.get(NEW).get_data(as_text=True)


def test_only_partners_use_the_portal_and_only_coordinators_the_back_office(
    app: Flask, role_client: tuple[str, FlaskClient]
) -> None:
    role, client = role_client
    portal, back_office = client.get(NEW).status_code, client.get(ADMIN_NEW).status_code
    if role == "anonymous":
        assert portal == back_office == 302
    elif role == "partner":
        assert (portal, back_office) == (200, 403)
    else:
        assert (portal, back_office) == (403, 200)


def test_a_partner_links_its_migrants_day_task(app: Flask, client: FlaskClient) -> None:
    from tests.events.helpers import organisation
    from tests.factories import OutreachTaskFactory

    partner_of(client, "SEN")
    own = OutreachTaskFactory(
        organisation=organisation("Senegal Migrant Network"),
        state=state("SEN"),
        kind="migrants_day",
        title="Hold a panel",
    )
    others = OutreachTaskFactory(state=state("SEN"), kind="migrants_day", title="Theirs")
    db.session.commit()
    form = client.get(NEW).get_data(as_text=True)
    assert "SEN: Hold a panel" in form and "Theirs" not in form
    assert post_event(client, NEW, task=str(others.id)).status_code == 400
    assert post_event(client, NEW, task=str(own.id)).status_code == 302
    [event] = events()
    assert event.task_id == own.id
    assert "SEN: Hold a panel" not in client.get(NEW).get_data(as_text=True)  # taken


def test_a_coordinator_edits_an_event(app: Flask, coordinator: FlaskClient) -> None:
    event = EventFactory(title="Panel", timezone="Africa/Dakar")
    db.session.commit()
    path = f"/admin/events/{event.id}/edit"
    page = coordinator.get(path).get_data(as_text=True)
    assert 'value="Africa/Dakar"' in page
    response = post_event(
        coordinator, path, title="Panel moved", timezone="Europe/Paris", state="FRA"
    )
    assert response.status_code == 302
    [edited] = events()
    assert edited.title == "Panel moved" and edited.timezone == "Europe/Paris"
    assert edited.starts_at == dt.datetime(2030, 12, 18, 17, 0, tzinfo=dt.UTC)
    assert event_audits()[-1] == "event.updated"
    token = csrf_from(coordinator, path)
    partial = coordinator.post(path, data={"csrf_token": token, "title": "Only a title"})
    assert partial.status_code == 400
    assert events()[0].title == "Panel moved"
    assert coordinator.get("/admin/events/99999999999999999999/edit").status_code == 404
