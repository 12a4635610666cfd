"""Drawn input against the endorsement form, the review and the API (the values of
tests/fuzz/values.py, hostile half the time): never a 5xx, and a refused form writes nothing."""

from __future__ import annotations

import itertools

from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaign.extensions import db
from tests.endorsements.helpers import FORM, OFFICIAL, endorsements, outbox_size
from tests.factories import EndorsementFactory
from tests.fuzz.values import value
from tests.support.auth import csrf_from

KINDS = {"email": "email", "state": "choice", "accept_privacy": "boolean"}
FIELDS = st.fixed_dictionaries(
    {
        name: st.one_of(st.just(good), value(KINDS.get(name, "text"), real=(good,)))
        for name, good in OFFICIAL.items()
    }
)
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CLIENTS = itertools.count(1)


@SETTINGS
@given(fields=FIELDS)
def test_the_form_never_fails(client: FlaskClient, fields: dict[str, str]) -> None:
    token = csrf_from(client, FORM)
    rows, mails = len(endorsements()), outbox_size()
    ip = f"10.9.{next(CLIENTS) % 250}.{next(CLIENTS) % 250}"
    response = client.post(
        FORM, data={"csrf_token": token, **fields}, environ_overrides={"REMOTE_ADDR": ip}
    )
    assert response.status_code in (302, 400, 429), response.status_code
    if response.status_code != 302:
        assert (len(endorsements()), outbox_size()) == (rows, mails)


@SETTINGS
@given(decision=value("choice", choices=("verify", "reject")), reason=value())
def test_the_review_never_fails(coordinator: FlaskClient, decision: str, reason: str) -> None:
    endorsement = EndorsementFactory(confirmed=True)
    db.session.commit()
    token = csrf_from(coordinator, "/admin/endorsements")
    response = coordinator.post(
        f"/admin/endorsements/{endorsement.id}/review",
        data={"csrf_token": token, "decision": decision, "reason": reason},
    )
    assert response.status_code in (302, 400)


@SETTINGS
@given(state=value("choice"), path=st.sampled_from(["", "/counts"]))
def test_the_api_never_fails(client: FlaskClient, state: str, path: str) -> None:
    response = client.get(f"/api/v1/endorsements{path}", query_string={"state": state})
    assert response.status_code in (200, 400)
    assert response.mimetype == "application/json"
