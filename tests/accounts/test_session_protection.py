"""Session protection guards a login, not a visitor: a session that holds only a CSRF token
is left alone (no cookie sent back on every page); a logged-in session is checked as before."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.support.auth import csrf_from, log_in, make_user

PAGES = ["/", "/states/MEX", "/api/v1/stats", "/pledge/check-your-email", "/fr/"]


@pytest.mark.parametrize("path", PAGES)
def test_a_visitor_with_a_form_session_is_sent_no_cookie_on_each_page(
    client: FlaskClient, path: str
) -> None:
    csrf_from(client, "/pledge/individual")  # the form's session: a CSRF token
    with client.session_transaction() as session:
        token = session["csrf_token"]
    for _ in range(2):
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers.getlist("Set-Cookie") == []
    with client.session_transaction() as session:  # still the token the form was given
        assert session["csrf_token"] == token


def test_a_login_seen_from_another_browser_is_no_longer_fresh(client: FlaskClient) -> None:
    """A login session is permanent (it expires when idle), so Flask-Login's protection marks
    it not fresh rather than ending it; it still runs for every session that holds a login."""
    log_in(client, make_user("coordinator"))
    assert client.get("/admin/").status_code == 200
    with client.session_transaction() as session:
        assert session["_fresh"] is True and session["_id"]
    elsewhere = {"HTTP_USER_AGENT": "Other/1.0", "REMOTE_ADDR": "203.0.113.250"}
    assert client.get("/admin/", environ_base=elsewhere).status_code == 200
    with client.session_transaction() as session:
        assert session["_fresh"] is False
