"""Recording, proposing, confirming and rejecting changes of stage; the stages' editor."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from campaign.audit.models import AuditEvent
from campaign.core.jobs import STAGE_CHANGE_ALERTS
from campaign.errors import NotPermitted
from campaign.extensions import db
from campaign.road import queries, services, stages
from campaign.road.models import StageChange
from campaign.road.public import by_stage, state_road
from campaign.states.models import StatusChange
from tests.factories import RoadStageFactory, StageChangeFactory, state
from tests.factories.road import default_stage
from tests.road.helpers import changes, move, partner_of
from tests.support.auth import make_user
from tests.support.rows import count


def test_six_default_stages_are_seeded_in_order(app: Flask) -> None:
    keys = [stage.key for stage in stages.all_stages()]
    assert keys == [
        "no_action",
        "government_considering",
        "government_approved",
        "before_parliament",
        "parliament_approved",
        "deposited",
    ]


def test_a_coordinators_record_is_confirmed_at_once_audited_and_alerts_after_commit(
    app: Flask, published_jobs: list[Any]
) -> None:
    coordinator = make_user("coordinator")
    change, changed = services.record_stage_change(
        state=state("BRA"), move=move(), actor=coordinator
    )
    assert changed and change.status == "confirmed" and change.decided_by == coordinator
    assert published_jobs == []  # only after commit
    db.session.commit()
    assert published_jobs == [(STAGE_CHANGE_ALERTS, (change.id,))]
    event = db.session.scalars(select(AuditEvent).filter_by(action="road.change_recorded")).one()
    assert event.after is not None and event.after["state"] == "BRA"
    again, changed_again = services.record_stage_change(
        state=state("BRA"), move=move(), actor=coordinator
    )
    assert (again.id, changed_again) == (change.id, False)
    assert len(changes("BRA")) == 1


def test_a_stage_change_never_edits_the_treaty_status(app: Flask) -> None:
    coordinator = make_user("coordinator")
    brazil = state("BRA")
    before = (brazil.status, brazil.signed_on, brazil.consented_on, brazil.consent_method)
    acts = count(StatusChange)
    services.record_stage_change(state=brazil, move=move("deposited"), actor=coordinator)
    db.session.commit()
    db.session.expire_all()
    brazil = state("BRA")
    assert (brazil.status, brazil.signed_on, brazil.consented_on, brazil.consent_method) == before
    assert count(StatusChange) == acts


def test_a_partner_proposes_for_its_own_state_only_and_twice_is_one_proposal(app: Flask) -> None:
    partner = partner_of("BRA")
    change, created = services.propose_stage_change(
        state=state("BRA"), move=move(), partner=partner
    )
    assert created and change.status == "proposed" and change.organisation_id
    again, created_again = services.propose_stage_change(
        state=state("BRA"), move=move(), partner=partner
    )
    assert (again.id, created_again) == (change.id, False)
    with pytest.raises(NotPermitted):
        services.propose_stage_change(state=state("ARG"), move=move(), partner=partner)
    assert changes("ARG") == []
    assert state_road("BRA") is None  # not confirmed: nothing public


def test_confirming_shows_it_and_a_second_decision_is_refused(
    app: Flask, published_jobs: list[Any]
) -> None:
    partner, coordinator = partner_of("BRA"), make_user("coordinator")
    change, _ = services.propose_stage_change(state=state("BRA"), move=move(), partner=partner)
    services.confirm_stage_change(change=change, actor=coordinator)
    db.session.commit()
    assert published_jobs == [(STAGE_CHANGE_ALERTS, (change.id,))]
    road = state_road("BRA")
    assert road is not None and road.current.stage_key == "government_approved"
    with pytest.raises(services.AlreadyDecided):
        services.confirm_stage_change(change=change, actor=coordinator)
    with pytest.raises(services.AlreadyDecided):
        services.reject_stage_change(change=change, actor=coordinator, reason="No")
    db.session.rollback()
    assert changes("BRA")[0].status == "confirmed"


def test_rejecting_needs_a_reason_and_a_rejected_proposal_can_be_made_again(app: Flask) -> None:
    partner, coordinator = partner_of("BRA"), make_user("coordinator")
    change, _ = services.propose_stage_change(state=state("BRA"), move=move(), partner=partner)
    with pytest.raises(services.RoadError):
        services.reject_stage_change(change=change, actor=coordinator, reason="  ")
    services.reject_stage_change(change=change, actor=coordinator, reason="No such decision")
    assert change.status == "rejected" and change.reject_reason == "No such decision"
    renewed, created = services.propose_stage_change(
        state=state("BRA"), move=move(), partner=partner
    )
    assert created and renewed.id != change.id


def test_a_coordinators_record_of_a_waiting_proposal_confirms_it(app: Flask) -> None:
    partner, coordinator = partner_of("BRA"), make_user("coordinator")
    change, _ = services.propose_stage_change(state=state("BRA"), move=move(), partner=partner)
    same, changed = services.record_stage_change(state=state("BRA"), move=move(), actor=coordinator)
    assert same.id == change.id and changed and same.status == "confirmed"
    assert len(changes("BRA")) == 1


@pytest.mark.parametrize("day", [dt.date(1990, 12, 17), None], ids=["early", "future"])
def test_dates_outside_adoption_to_today_are_refused(app: Flask, day: dt.date | None) -> None:
    # Tomorrow, worked out when the test runs: a run may cross midnight.
    day = day or dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(services.RoadError):
        services.record_stage_change(
            state=state("BRA"), move=move(day=day), actor=make_user("coordinator")
        )
    assert changes("BRA") == []


def test_the_database_keeps_one_live_change_per_state_stage_and_date(app: Flask) -> None:
    first = StageChangeFactory(effective_on=dt.date(2025, 5, 5))
    with pytest.raises(IntegrityError), db.session.begin_nested():
        StageChangeFactory(state=first.state, stage=first.stage, effective_on=first.effective_on)


def test_a_retired_stage_takes_no_change(app: Flask) -> None:
    admin = make_user("admin")
    extra = RoadStageFactory()
    stages.retire_stage(stage=extra, actor=admin)
    retired = services.Move(stage=extra, effective_on=dt.date(2026, 1, 5), source="Gazette")
    with pytest.raises(services.RoadError):
        services.record_stage_change(state=state("BRA"), move=retired, actor=admin)


def test_the_current_stage_is_the_latest_by_date_whatever_the_order_recorded(app: Flask) -> None:
    coordinator = make_user("coordinator")
    later = move("before_parliament", dt.date(2026, 4, 1))
    earlier = move("government_approved", dt.date(2025, 11, 3))
    services.record_stage_change(state=state("BRA"), move=later, actor=coordinator)
    services.record_stage_change(state=state("BRA"), move=earlier, actor=coordinator)
    assert queries.current_changes()[state("BRA").id].stage.key == "before_parliament"
    road = state_road("BRA")
    assert road is not None
    assert [entry.stage_key for entry in road.history] == [
        "before_parliament",
        "government_approved",
    ]


def test_by_stage_lists_the_closest_stage_first_and_the_latest_change_first(app: Flask) -> None:
    coordinator = make_user("coordinator")
    for iso3, key, day in [
        ("BRA", "government_approved", dt.date(2025, 1, 2)),
        ("ARG", "government_approved", dt.date(2026, 1, 2)),
        ("IND", "parliament_approved", dt.date(2024, 1, 2)),
    ]:
        services.record_stage_change(state=state(iso3), move=move(key, day), actor=coordinator)
    groups, unknown = by_stage()
    named = {group.stage_key: [listed.iso3 for listed in group.states] for group in groups}
    assert [group.stage_key for group in groups][:2] == ["deposited", "parliament_approved"]
    assert named["government_approved"] == ["ARG", "BRA"]
    assert named["parliament_approved"] == ["IND"]
    assert unknown == 193 - 3


def test_stages_editor_adds_renames_moves_and_retires_only_an_unused_stage(app: Flask) -> None:
    admin = make_user("admin")
    added = stages.add_stage(name="  Referred to the constitutional court ", actor=admin)
    assert added.name == "Referred to the constitutional court"
    assert stages.all_stages()[-1] is added
    stages.move_stage(stage=added, offset=-1, actor=admin)
    assert stages.all_stages()[-2] is added
    with pytest.raises(stages.StageError):
        stages.add_stage(name="before PARLIAMENT", actor=admin)
    with pytest.raises(stages.StageError):
        stages.move_stage(stage=stages.all_stages()[0], offset=-1, actor=admin)
    considering = default_stage("government_considering")
    services.record_stage_change(
        state=state("BRA"), move=move("government_considering"), actor=admin
    )
    with pytest.raises(stages.StageError):
        stages.retire_stage(stage=considering, actor=admin)
    stages.retire_stage(stage=added, actor=admin)
    assert added.is_retired
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"road.stage_added", "road.stage_moved", "road.stage_retired"} <= actions


def test_a_default_stage_is_translated_until_renamed(app: Flask) -> None:
    admin = make_user("admin")
    stage = default_stage("before_parliament")
    assert stages.stage_label(stage.key, stage.name) == "Before parliament"
    with app.test_request_context("/fr/"):
        from flask_babel import force_locale

        with force_locale("fr"):
            translated = stages.stage_label(stage.key, stage.name)
            stages.rename_stage(stage=stage, name="Before the National Assembly", actor=admin)
            assert stages.stage_label(stage.key, stage.name) == "Before the National Assembly"
    assert translated  # the catalogue's (English until the translations are merged)


def test_waiting_lists_only_proposals(app: Flask) -> None:
    StageChangeFactory()
    partner = partner_of("BRA")
    change, _ = services.propose_stage_change(state=state("BRA"), move=move(), partner=partner)
    assert [waiting.id for waiting in queries.waiting()] == [change.id]
    assert count(StageChange) == 2
