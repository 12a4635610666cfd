"""Endorsements are their own table: they move no pledge counter, appear in no pledge export
or moderation queue, and a reconciliation of the pledge counters finds nothing to fix."""

from __future__ import annotations

from flask.testing import FlaskClient

from campaign.extensions import db
from campaign.pledges import counters
from campaign.pledges.moderation import moderation_queue
from tests.endorsements.helpers import confirm_path, endorsements, post_with_csrf, sign
from tests.factories import EndorsementFactory


def test_pledge_figures_ignore_endorsements(coordinator: FlaskClient) -> None:
    before = counters.totals()
    sign(coordinator)
    [row] = endorsements()
    post_with_csrf(coordinator, confirm_path(row.id))
    EndorsementFactory(verified=True, name="Verified Official")
    db.session.commit()
    assert counters.totals() == before
    assert counters.for_state("MEX") == (0, 0, 0)
    assert moderation_queue() == []
    assert counters.reconcile() == []
    export = coordinator.get("/admin/pledges/export.csv").get_data(as_text=True)
    assert "Verified Official" not in export and "lucia" not in export
    supporters = coordinator.get("/supporters").get_data(as_text=True)
    assert "Verified Official" not in supporters
