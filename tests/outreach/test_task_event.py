"""An outreach task's page names the Migrants Day event that carries it out: linked once the
event is public, with its review status before."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from campaign.extensions import db
from tests.factories import EventFactory, OrganisationFactory, OutreachTaskFactory, state
from tests.support.auth import log_in, make_user


def test_the_task_page_links_its_event(app: Flask, client: FlaskClient) -> None:
    organisation = OrganisationFactory(name="Dakar Migrants Network")
    task = OutreachTaskFactory(
        organisation=organisation, state=state("SEN"), kind="migrants_day", title="Vigil"
    )
    db.session.flush()
    event = EventFactory(title="Vigil at the Place de l'Indépendance", task_id=task.id)
    db.session.commit()
    log_in(client, make_user("coordinator"))
    page = client.get(f"/admin/outreach/{task.id}").get_data(as_text=True)
    assert f'href="/events/{event.id}"' in page
    assert "Vigil at the Place de l&#39;Indépendance" in page


def test_a_pending_event_shows_its_status_not_a_link(app: Flask, client: FlaskClient) -> None:
    organisation = OrganisationFactory(name="Lima Partners")
    task = OutreachTaskFactory(organisation=organisation, state=state("PER"), kind="migrants_day")
    db.session.flush()
    event = EventFactory(
        title="March in Lima", task_id=task.id, review="pending", published_at=None
    )
    db.session.commit()
    log_in(client, make_user("partner", "lima@example.org", organisation))
    page = client.get(f"/partner/tasks/{task.id}").get_data(as_text=True)
    assert "March in Lima" in page and f"/events/{event.id}" not in page
