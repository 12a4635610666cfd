"""Managing a pledge from any mail: withdraw, stop updates, erase personal data."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import String, Text, select

from campaign.audit.models import AuditEvent
from campaign.extensions import db
from campaign.pledges.models import Pledge
from campaign.pledges.moderation import moderate_pledge
from tests.pledges.helpers import (
    confirm_path,
    counted,
    manage_path,
    outbox,
    pledges,
    post_with_csrf,
    signed,
)
from tests.support.auth import make_user


def _manage(client: FlaskClient, pledge_id: int, action: str | None) -> tuple[int, str]:
    path = manage_path(pledge_id)
    response = post_with_csrf(client, path, {"action": action} if action else {}, page=path)
    return response.status_code, response.get_data(as_text=True)


def _only() -> Pledge:
    [pledge] = pledges()
    return pledge


def test_withdrawing_uncounts_the_pledge(client: FlaskClient) -> None:
    pledge = signed()
    assert counted("MEX") == 1
    assert _manage(client, pledge.id, "withdraw")[0] == 302
    after = _only()
    assert after.withdrawn_at is not None and not after.is_counted
    assert counted("MEX") == 0
    page = client.get(manage_path(pledge.id)).get_data(as_text=True)
    assert "Your pledge is withdrawn." in page and "no longer counted" in page
    assert _manage(client, pledge.id, "withdraw")[0] == 302  # twice is harmless
    assert counted("MEX") == 0


def test_withdrawing_an_unconfirmed_pledge_leaves_the_count_alone(client: FlaskClient) -> None:
    signed(confirmed=False, email="other@example.org", country=None)
    pledge = signed()
    other = pledges()[0]
    assert _manage(client, other.id, "withdraw")[0] == 302
    assert counted("MEX") == 1 and counted("---") == 0
    assert _manage(client, pledge.id, "withdraw")[0] == 302
    assert counted("MEX") == 0


def test_confirm_link_brings_back_a_withdrawn_pledge(client: FlaskClient) -> None:
    pledge = signed()
    _manage(client, pledge.id, "withdraw")
    path = confirm_path(pledge.id)
    assert post_with_csrf(client, path, page=path).status_code == 200
    assert _only().is_counted and counted("MEX") == 1


def test_stopping_updates(client: FlaskClient) -> None:
    pledge = signed()
    assert pledge.wants_updates
    assert _manage(client, pledge.id, "stop-updates")[0] == 302
    after = _only()
    assert not after.wants_updates and after.is_counted and after.withdrawn_at is None
    assert counted("MEX") == 1


PERSONAL_ORGANISATION: dict[str, Any] = {
    "name": "Rana Haddad",
    "email": "Rana.Haddad+pledge@kafaa.example.org",
    "message": "Signed by Rana, our director, from her home in Beirut.",
    "contact_role": "Director, personal phone +961 1 234 567",
}


@pytest.mark.parametrize("kind", ["individual", "organisation"])
def test_erasing_leaves_no_personal_data_and_keeps_the_count(
    client: FlaskClient, kind: str
) -> None:
    fields: dict[str, Any] = {"name": "Amina Yusuf"}
    if kind == "organisation":
        fields = PERSONAL_ORGANISATION
    pledge = signed(kind, ip="203.0.113.7", **fields)
    assert pledge.ip_hash is not None
    if kind == "organisation":
        moderate_pledge(pledge=pledge, approve=True, reason="", actor=make_user("coordinator"))
        db.session.commit()
    scope_count = counted(pledge.scope, kind)
    assert scope_count == 1
    given = (pledge.name, pledge.email, pledge.email_canonical, pledge.message)
    personal = [
        value
        for value in (*given, pledge.email.split("@")[0], pledge.ip_hash, pledge.contact_role)
        if value
    ]
    assert _manage(client, pledge.id, "erase")[0] == 302

    after = _only()
    assert after.erased_at is not None
    assert after.name == "" and after.message == "" and after.ip_hash is None
    assert after.contact_role is None and after.email.endswith(".invalid")
    assert not after.is_public and not after.wants_updates
    for column in Pledge.__table__.columns:
        if isinstance(column.type, String | Text):
            value = getattr(after, column.key) or ""
            for secret in personal:
                assert secret.lower() not in value.lower(), (column.key, value)
    assert after.is_counted and counted(pledge.scope, kind) == scope_count

    [event] = db.session.scalars(
        select(AuditEvent).filter_by(action="pledge.erased", entity_id=pledge.id)
    ).all()
    assert event.entity_type == "pledge"
    recorded = f"{event.actor_label} {event.before} {event.after}"
    assert not any(secret.lower() in recorded.lower() for secret in personal)


def test_erasing_also_blanks_the_mails_kept_for_the_pledge(client: FlaskClient) -> None:
    pledge = signed(name="Amina Yusuf")
    other = signed(name="Rana Haddad", email="rana@example.org")
    [mail] = outbox(pledge.id)
    assert "Amina Yusuf" in mail.body_text and mail.status == "queued"
    _manage(client, pledge.id, "erase")
    [mail] = outbox(pledge.id)
    for value in (mail.to_address, mail.body_text, mail.body_html or "", mail.subject):
        assert "amina" not in value.lower()
    assert mail.status == "failed"  # never sent to an erased address
    [kept] = outbox(other.id)
    assert "Rana Haddad" in kept.body_text and kept.status == "queued"


def test_after_erasure_the_links_are_dead(client: FlaskClient) -> None:
    pledge = signed()
    assert _manage(client, pledge.id, "erase")[0] == 302
    assert client.get(manage_path(pledge.id)).status_code == 404
    assert client.get(confirm_path(pledge.id)).status_code == 404
    assert _manage_status_without_page(client, pledge.id) == 404


def _manage_status_without_page(client: FlaskClient, pledge_id: int) -> int:
    return post_with_csrf(client, manage_path(pledge_id), {"action": "withdraw"}).status_code


@pytest.mark.parametrize("action", [None, "", "delete", "withdraw;erase", "ERASE"])
def test_unknown_action_is_refused(client: FlaskClient, action: str | None) -> None:
    pledge = signed()
    status, page = _manage(client, pledge.id, action)
    assert status == 400
    assert "Please choose one of the options." in page
    after = _only()
    assert after.withdrawn_at is None and after.erased_at is None and after.wants_updates
    assert counted("MEX") == 1


@pytest.mark.parametrize("action", ["withdraw", "stop-updates", "erase"])
def test_missing_csrf_token_is_refused(client: FlaskClient, action: str) -> None:
    pledge = signed()
    response = client.post(manage_path(pledge.id), data={"action": action})
    assert response.status_code == 400
    assert "Your form expired" in response.get_data(as_text=True)
    after = _only()
    assert after.withdrawn_at is None and after.erased_at is None and after.wants_updates
    assert after.name == "Amina Yusuf" and counted("MEX") == 1
