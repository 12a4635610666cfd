"""Emitting: one ledger row per active, subscribed endpoint, in the unit of work of what
happened; the same fact once; the job queued only after commit; nothing on rollback."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from campaign.core.jobs import DELIVER_WEBHOOK
from campaign.extensions import db
from campaign.pledges.services import confirm_pledge
from campaign.road.stages import ensure_default_stages
from campaign.states.models import State
from campaign.states.services import Act, correct_status_change, record_status_change
from campaign.webhooks import payloads
from campaign.webhooks.models import WebhookDelivery
from campaign.webhooks.services import emit, event_id
from tests.factories import PledgeFactory, WebhookEndpointFactory, state
from tests.pledges.helpers import signed
from tests.support.auth import make_user

SOURCE = "Depositary notification C.N.7.2026.TREATIES-IV.13"


def _deliveries(**filters: Any) -> list[WebhookDelivery]:
    query = select(WebhookDelivery).filter_by(**filters).order_by(WebhookDelivery.id)
    return list(db.session.scalars(query))


def _jobs(published: list[tuple[str, tuple[Any, ...]]]) -> list[tuple[Any, ...]]:
    return [args for name, args in published if name == DELIVER_WEBHOOK]


def test_one_delivery_per_active_subscribed_endpoint(app: Flask, published_jobs: list[Any]) -> None:
    wanted = WebhookEndpointFactory(events=["status.changed"])
    also = WebhookEndpointFactory(events=["pledge.confirmed", "status.changed"])
    WebhookEndpointFactory(events=["pledge.confirmed"])  # not subscribed
    WebhookEndpointFactory(events=["status.changed"], is_active=False)  # inactive
    ids = emit(event="status.changed", key="sc-1", data={"act": "signature"})
    rows = _deliveries(event_key="sc-1")
    assert [row.endpoint_id for row in rows] == [wanted.id, also.id]
    assert sorted(ids) == [row.id for row in rows]
    assert {row.status for row in rows} == {"pending"}
    assert {row.attempt_limit for row in rows} == {app.config["WEBHOOK_MAX_ATTEMPTS"]}
    bodies = {row.body for row in rows}
    assert len(bodies) == 1  # one body for every endpoint, with one stable id
    payload = json.loads(bodies.pop())
    assert list(payload) == ["id", "event", "created_at", "data"]
    assert payload["id"] == event_id("status.changed", "sc-1") == rows[0].event_id
    assert payload["event"] == "status.changed"
    assert payload["data"] == {"act": "signature"}
    assert dt.datetime.fromisoformat(payload["created_at"]).tzinfo is not None
    assert _jobs(published_jobs) == []  # nothing before commit
    db.session.commit()
    assert sorted(job[0] for job in _jobs(published_jobs)) == sorted(ids)


def test_the_same_fact_emitted_twice_is_one_delivery(app: Flask, published_jobs: list[Any]) -> None:
    endpoint = WebhookEndpointFactory(events=["status.changed"])
    first = emit(event="status.changed", key=7, data={"n": 1})
    db.session.commit()
    again = emit(event="status.changed", key="7", data={"n": 2})
    db.session.commit()
    assert len(first) == 1 and again == []
    [row] = _deliveries(endpoint_id=endpoint.id)
    assert json.loads(row.body)["data"] == {"n": 1}
    assert len(_jobs(published_jobs)) == 1


def test_a_rolled_back_unit_of_work_leaves_no_delivery_and_no_job(
    app: Flask, published_jobs: list[Any]
) -> None:
    endpoint = WebhookEndpointFactory(events=["status.changed"])
    db.session.commit()
    assert emit(event="status.changed", key="gone", data={})
    db.session.rollback()
    assert _deliveries(endpoint_id=endpoint.id) == []
    db.session.commit()
    assert _jobs(published_jobs) == []


def test_unknown_events_are_a_programming_error(app: Flask) -> None:
    with pytest.raises(ValueError, match="unknown webhook event"):
        emit(event="pledge.signed", key=1, data={})


def test_no_endpoints_no_rows(app: Flask) -> None:
    assert emit(event="event.approved", key=1, data={}) == []


def test_recording_and_correcting_a_status_emits_status_changed(app: Flask) -> None:
    endpoint = WebhookEndpointFactory(events=["status.changed"])
    brazil = state("BRA")
    change = record_status_change(
        state=brazil,
        act=Act("signature", dt.date(2026, 9, 1), SOURCE),
        recorded_by=None,
        via="sync",
    )
    assert change is not None
    correction = correct_status_change(
        change=change,
        source=SOURCE,
        recorded_by=None,
        effective_on=dt.date(2026, 9, 2),
        via="sync",
    )
    rows = _deliveries(endpoint_id=endpoint.id)
    assert [row.event_key for row in rows] == [str(change.id), str(correction.id)]
    data = json.loads(rows[0].body)["data"]
    assert data["state"] == {"iso3": "BRA", "name": brazil.name}
    assert (data["act"], data["from_status"], data["to_status"]) == (
        "signature",
        "none",
        "signatory",
    )
    assert data["effective_on"] == "2026-09-01"
    corrected = json.loads(rows[1].body)["data"]
    assert (corrected["act"], corrected["corrects"]) == ("correction", change.id)
    assert corrected["effective_on"] == "2026-09-02"


def test_a_pledge_payload_carries_no_personal_data(app: Flask) -> None:
    pledge = PledgeFactory(
        kind="individual", name="Amina Diallo", email="amina@example.org", message="Ratify!"
    )
    data = payloads.pledge_confirmed(pledge)
    text = json.dumps(data)
    for personal in ("Amina", "amina@example.org", "Ratify!"):
        assert personal not in text
    assert data["kind"] == "individual" and data["organisation_name"] is None
    assert set(data["counts"]) == {"total", "country"}
    organisation = PledgeFactory(organisational=True, organisation_name="Kafa'a")
    assert payloads.pledge_confirmed(organisation)["organisation_name"] is None  # not yet public
    organisation.moderation = "approved"
    assert payloads.pledge_confirmed(organisation)["organisation_name"] == "Kafa'a"


def test_confirming_a_pledge_emits_pledge_confirmed(app: Flask) -> None:
    """confirm_pledge emits once its counters moved: the counts include the pledge just
    confirmed, nothing personal goes out, and confirming again emits nothing more."""
    endpoint = WebhookEndpointFactory(events=["pledge.confirmed"])
    pledge = signed("individual", confirmed=False)
    assert _deliveries(endpoint_id=endpoint.id) == []
    assert confirm_pledge(pledge=pledge)
    [row] = _deliveries(endpoint_id=endpoint.id)
    assert row.event == "pledge.confirmed" and row.event_key == str(pledge.id)
    data = json.loads(row.body)["data"]
    assert data["country"]["iso3"] == "MEX" and data["is_counted"] is True
    assert data["counts"]["country"]["individual"] >= 1
    assert data["counts"]["total"]["individual"] >= 1
    assert "Amina" not in row.body and "amina" not in row.body and "sister" not in row.body
    assert not confirm_pledge(pledge=pledge)
    assert len(_deliveries(endpoint_id=endpoint.id)) == 1


def test_a_confirmed_stage_change_emits_stage_changed(app: Flask) -> None:
    from campaign.road.services import record_stage_change
    from tests.road.helpers import move

    ensure_default_stages()
    endpoint = WebhookEndpointFactory(events=["stage.changed"])
    mexico = db.session.scalars(select(State).filter_by(iso3="MEX")).one()
    change, changed = record_stage_change(state=mexico, move=move(), actor=make_user("coordinator"))
    assert changed
    [row] = _deliveries(endpoint_id=endpoint.id)
    assert (row.event, row.event_key) == ("stage.changed", str(change.id))
    assert json.loads(row.body)["data"]["state"]["iso3"] == "MEX"
