"""The review screen: coordinators approve or reject; bad input changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from campaign.core.jobs import STATUS_CHANGE_ALERTS
from campaign.extensions import db
from campaign.sync.models import ProposedChange
from tests.support.auth import csrf_from, log_in, make_user
from tests.sync.support import FIFTY_NINE, SIXTY, registry, retire_zimbabwe, state, sync_bytes

INDEX = "/admin/sync/"


def _zimbabwe_proposal() -> int:
    retire_zimbabwe()
    [proposal] = sync_bytes(SIXTY).run.proposals
    db.session.commit()
    return proposal.id


def _proposal(proposal_id: int) -> ProposedChange:
    db.session.expire_all()
    proposal = db.session.get(ProposedChange, proposal_id)
    assert proposal is not None
    return proposal


def test_the_screen_lists_pending_proposals_and_failed_runs(coordinator: FlaskClient) -> None:
    proposal_id = _zimbabwe_proposal()
    sync_bytes(b"<!DOCTYPE html><html><body>Maintenance</body></html>")
    db.session.commit()
    page = coordinator.get(INDEX).get_data(as_text=True)
    assert f'id="proposal-{proposal_id}"' in page and "Zimbabwe" in page
    assert "New party" in page and "accession on 2024-11-05" in page
    assert "The source sent an HTML page" in page


def test_a_run_page_shows_its_message_and_proposals(coordinator: FlaskClient) -> None:
    run = sync_bytes(FIFTY_NINE).run
    db.session.commit()
    page = coordinator.get(f"/admin/sync/runs/{run.id}").get_data(as_text=True)
    assert "missing from the document" in page and "Waiting for review" in page
    assert coordinator.get("/admin/sync/runs/999999").status_code == 404


def test_approving_records_alerts_once_and_twice_is_harmless(
    coordinator: FlaskClient, published_jobs: list[Any]
) -> None:
    proposal_id = _zimbabwe_proposal()
    token = csrf_from(coordinator, INDEX)
    url = f"/admin/sync/proposals/{proposal_id}/approve"
    response = coordinator.post(url, data={"csrf_token": token, "note": "Checked on the UNTC"})
    assert response.status_code == 302
    proposal = _proposal(proposal_id)
    assert proposal.status == "approved" and proposal.review_note == "Checked on the UNTC"
    assert (state("ZWE").status, state("ZWE").consented_on) == ("party", dt.date(2024, 11, 5))
    assert published_jobs == [(STATUS_CHANGE_ALERTS, (proposal.status_change_id,))]

    again = coordinator.post(url, data={"csrf_token": token}, follow_redirects=True)
    assert again.status_code == 200 and "already reviewed" in again.get_data(as_text=True)
    assert len(published_jobs) == 1 and len(state("ZWE").changes) == 1


def test_rejecting_without_a_note_is_refused_with_a_message(coordinator: FlaskClient) -> None:
    proposal_id = _zimbabwe_proposal()
    token = csrf_from(coordinator, INDEX)
    before = registry()
    response = coordinator.post(
        f"/admin/sync/proposals/{proposal_id}/reject", data={"csrf_token": token, "note": "  "}
    )
    assert response.status_code == 400
    assert "the note is required" in response.get_data(as_text=True)
    assert _proposal(proposal_id).status == "pending" and registry() == before

    response = coordinator.post(
        f"/admin/sync/proposals/{proposal_id}/reject",
        data={"csrf_token": token, "note": "Deposit not yet confirmed"},
    )
    assert response.status_code == 302
    assert _proposal(proposal_id).status == "rejected" and registry()[:2] == before[:2]


def test_a_conflict_cannot_be_approved(coordinator: FlaskClient) -> None:
    [conflict] = sync_bytes(FIFTY_NINE).run.proposals
    db.session.commit()
    token = csrf_from(coordinator, INDEX)
    response = coordinator.post(
        f"/admin/sync/proposals/{conflict.id}/approve", data={"csrf_token": token}
    )
    assert response.status_code == 409
    assert "never applied by the sync" in response.get_data(as_text=True)
    assert _proposal(conflict.id).status == "pending" and state("ZWE").status == "party"


def test_missing_csrf_is_refused(coordinator: FlaskClient) -> None:
    proposal_id = _zimbabwe_proposal()
    before = registry()
    for action in ("approve", "reject"):
        response = coordinator.post(
            f"/admin/sync/proposals/{proposal_id}/{action}", data={"note": "x"}
        )
        assert response.status_code == 400
    assert _proposal(proposal_id).status == "pending" and registry() == before


def test_an_unknown_proposal_is_404(coordinator: FlaskClient) -> None:
    token = csrf_from(coordinator, INDEX)
    for action in ("approve", "reject"):
        response = coordinator.post(
            f"/admin/sync/proposals/999999/{action}", data={"csrf_token": token, "note": "x"}
        )
        assert response.status_code == 404


def test_partners_and_anonymous_visitors_are_kept_out(app: Flask, client: FlaskClient) -> None:
    proposal_id = _zimbabwe_proposal()
    anonymous = client.get(INDEX)
    assert anonymous.status_code == 302 and "/account/login" in anonymous.headers["Location"]
    assert client.post(f"/admin/sync/proposals/{proposal_id}/approve").status_code in (302, 400)
    log_in(client, make_user("partner"))
    assert client.get(INDEX).status_code == 403
    token = csrf_from(client, "/partner/")
    response = client.post(
        f"/admin/sync/proposals/{proposal_id}/approve", data={"csrf_token": token}
    )
    assert response.status_code == 403
    assert _proposal(proposal_id).status == "pending"


def test_admins_may_review(app: Flask, client: FlaskClient) -> None:
    log_in(client, make_user("admin"))
    assert client.get(INDEX).status_code == 200
