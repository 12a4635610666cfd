"""The coordinators' export of confirmed pledges says where each came in."""

from __future__ import annotations

from flask.testing import FlaskClient

from campaign.db import utcnow
from campaign.extensions import db
from campaign.pledges.export import HEADER, confirmed_pledge_rows
from tests.factories import OrganisationFactory, PledgeFactory


def test_the_export_has_the_source_column(client: FlaskClient) -> None:
    organisation = OrganisationFactory()
    db.session.flush()
    form = PledgeFactory(confirmed=True)
    osdi = PledgeFactory(
        confirmed_at=utcnow(), source="osdi", source_organisation_id=organisation.id
    )
    db.session.flush()
    rows = {row[0]: dict(zip(HEADER, row, strict=True)) for row in confirmed_pledge_rows()}
    assert rows[form.id]["source"] == "form"
    assert rows[osdi.id]["source"] == "osdi"


def test_a_new_pledge_defaults_to_the_form(client: FlaskClient) -> None:
    pledge = PledgeFactory()
    db.session.flush()
    db.session.refresh(pledge)
    assert (pledge.source, pledge.source_organisation_id) == ("form", None)
