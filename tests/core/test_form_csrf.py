"""A form signs its CSRF token only when a page shows it (campaign/core/forms.py); the token
a submission carries is checked as before."""

from __future__ import annotations

from collections.abc import Iterator

import flask_wtf.csrf
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from campaign.extensions import db
from campaign.pledges.forms import IndividualPledgeForm
from campaign.pledges.models import Pledge
from tests.pledges.helpers import CHECK_EMAIL, form_data, pledge_by_email
from tests.support.auth import CSRF, csrf_from


@pytest.fixture
def signings(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every token Flask-WTF signs for a form."""
    made: list[str] = []
    original = flask_wtf.csrf.generate_csrf

    def counted(*args: object, **kwargs: object) -> str:
        token = str(original(*args, **kwargs))  # type: ignore[arg-type]
        made.append(token)
        return token

    monkeypatch.setattr(flask_wtf.csrf, "generate_csrf", counted)
    yield made


def test_a_valid_submission_signs_no_token(client: FlaskClient, signings: list[str]) -> None:
    data = form_data("individual", email="lazy-token@example.org")
    data["csrf_token"] = csrf_from(client, "/pledge/individual")
    shown = len(signings)
    assert shown >= 1  # the page showed one
    response = client.post("/pledge/individual", data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith(CHECK_EMAIL)
    assert len(signings) == shown
    assert pledge_by_email("lazy-token@example.org") is not None


def test_a_refused_submission_shows_a_fresh_working_token(
    client: FlaskClient, signings: list[str]
) -> None:
    data = form_data("individual", email="not an address")
    data["csrf_token"] = csrf_from(client, "/pledge/individual")
    refused = client.post("/pledge/individual", data=data)
    assert refused.status_code == 400
    match = CSRF.search(refused.get_data(as_text=True))
    assert match and match.group(1) == signings[-1]
    data.update(email="second-try@example.org", csrf_token=match.group(1))
    assert client.post("/pledge/individual", data=data).status_code == 302
    assert pledge_by_email("second-try@example.org") is not None


@pytest.mark.parametrize("token", ["", "forged", "x" * 500, "\r\nSet-Cookie: a=b"])
def test_a_missing_or_forged_token_is_still_refused(client: FlaskClient, token: str) -> None:
    csrf_from(client, "/pledge/individual")  # the session holds a real one
    before = db.session.scalar(select(func.count()).select_from(Pledge))
    data = form_data("individual", email="forged-token@example.org", csrf_token=token)
    response = client.post("/pledge/individual", data=data)
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Pledge)) == before


def test_the_token_is_one_string_however_often_it_is_read(app: Flask) -> None:
    with app.test_request_context("/"):
        form = IndividualPledgeForm()
        first = str(form.csrf_token.current_token)
        assert first and str(form.csrf_token.current_token) == first
        assert f'value="{first}"' in str(form.csrf_token())
