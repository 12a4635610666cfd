"""Abuse: per-address limits mark pledges suspect without telling anyone; IPs only hashed."""

from __future__ import annotations

import hashlib

import pytest
from flask.testing import FlaskClient
from sqlalchemy import String, Text

from campaign.accounts.services import create_user
from campaign.extensions import db
from campaign.pledges import counters
from campaign.pledges.models import Pledge
from campaign.settings.services import set_setting
from tests.pledges.helpers import confirm, confirm_path, counted, outbox, pledges, sign

LOCAL_IP = "127.0.0.1"  # what the test client sends as the remote address


def _limit(key: str, value: str) -> None:
    admin = create_user(email="admin@example.org", password="correct horse battery", role="admin")
    set_setting(key=key, value=value, actor=admin)
    db.session.commit()


def _string_values(pledge: Pledge) -> list[str]:
    return [
        str(getattr(pledge, column.key) or "")
        for column in Pledge.__table__.columns
        if isinstance(column.type, String | Text)
    ]


@pytest.mark.parametrize(
    ("key", "value"), [("pledge_limit_burst", "3 per minute"), ("pledge_limit_sustained", "3/day")]
)
def test_over_the_limit_is_answered_alike_and_never_counted(
    client: FlaskClient, key: str, value: str
) -> None:
    _limit(key, value)
    responses = [
        sign(client, email=f"signer{n}@example.org", name=f"Signer {n}") for n in range(1, 5)
    ]
    assert {(r.status_code, r.headers["Location"], r.get_data()) for r in responses} == {
        (responses[0].status_code, responses[0].headers["Location"], responses[0].get_data())
    }
    assert responses[0].status_code == 302
    assert [p.is_suspect for p in pledges()] == [False, False, False, True]
    assert len(outbox()) == 4  # the sender sees nothing different, mail included
    for pledge in pledges():
        assert confirm(client, confirm_path(pledge.id)).status_code == 200
    assert [p.is_counted for p in pledges()] == [True, True, True, False]
    assert counted("MEX") == 3
    assert counters.reconcile() == []  # the suspect stays out on a recount too
    assert counted("MEX") == 3


def test_another_address_has_its_own_limit(client: FlaskClient) -> None:
    _limit("pledge_limit_burst", "1 per minute")
    assert sign(client, email="first@example.org").status_code == 302
    assert sign(client, email="second@example.org", ip="198.51.100.23").status_code == 302
    assert sign(client, email="third@example.org", ip="198.51.100.23").status_code == 302
    assert [p.is_suspect for p in pledges()] == [False, False, True]


def test_only_a_keyed_hash_of_the_address_is_stored(client: FlaskClient) -> None:
    sign(client, email="one@example.org")
    sign(client, email="two@example.org")
    one, two = pledges()
    assert one.ip_hash is not None and len(one.ip_hash) == 64
    assert one.ip_hash == two.ip_hash  # enough to group abuse from one address
    for pledge in (one, two):
        assert not any(LOCAL_IP in value for value in _string_values(pledge))
    assert one.ip_hash != hashlib.sha256(LOCAL_IP.encode()).hexdigest()  # not a plain hash
