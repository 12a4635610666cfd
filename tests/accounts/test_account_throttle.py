"""Login throttled per account as well as per client: guesses spread over many client addresses
against one account are slowed (429 after LOGIN_ACCOUNT_RATE_LIMIT failures), the same for an
address with no account, while the account's own browser still logs in."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from campaign.accounts.devices import COOKIE
from tests.conftest import isolated_client
from tests.support.auth import PASSWORD, csrf_from, make_user

LOGIN = "/account/login"


def _attempt(
    client: FlaskClient, email: str, password: str, address: str = "203.0.113.9"
) -> TestResponse:
    token = csrf_from(client, LOGIN)
    data = {"csrf_token": token, "email": email, "password": password}
    return client.post(LOGIN, data=data, environ_base={"REMOTE_ADDR": address})


def _spread_guesses(app: Flask, email: str, count: int) -> list[int]:
    """*count* wrong guesses at *email*, each from another client address (a botnet)."""
    answers = []
    for number in range(count):
        client = isolated_client(app)
        answers.append(
            _attempt(client, email, "wrong guess", f"198.51.100.{number + 1}").status_code
        )
    return answers


def test_guesses_from_many_addresses_are_throttled_per_account(
    app: Flask, fresh_limits: None
) -> None:
    make_user("coordinator", "ada@example.org")
    answers = _spread_guesses(app, "ada@example.org", 8)
    assert answers[:5] == [401] * 5
    assert answers[5:] == [429] * 3
    # A stranger with the right password, from yet another address, is held back too.
    response = _attempt(isolated_client(app), "ada@example.org", PASSWORD, "192.0.2.77")
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0


def test_an_unknown_account_gets_the_same_answers(app: Flask, fresh_limits: None) -> None:
    make_user("coordinator", "ada@example.org")
    known = _spread_guesses(app, "ada@example.org", 7)
    unknown = _spread_guesses(app, "nobody@example.org", 7)
    assert known == unknown


def test_the_accounts_own_browser_still_logs_in(app: Flask, fresh_limits: None) -> None:
    make_user("coordinator", "ada@example.org")
    own = isolated_client(app)
    assert _attempt(own, "ada@example.org", PASSWORD).status_code == 302
    assert own.get_cookie(COOKIE) is not None
    own.post("/account/logout", data={"csrf_token": csrf_from(own, "/admin/")})
    assert _spread_guesses(app, "ada@example.org", 8)[-1] == 429
    # The throttle holds strangers back; the coordinator's browser is not locked out.
    assert _attempt(own, "ada@example.org", PASSWORD).status_code == 302


def test_a_forged_device_cookie_does_not_bypass_the_throttle(
    app: Flask, fresh_limits: None
) -> None:
    make_user("coordinator", "ada@example.org")
    _spread_guesses(app, "ada@example.org", 6)
    for forged in ("x", "W10.abc.def", "e" * 2000):
        client = isolated_client(app)
        client.set_cookie(COOKIE, forged)
        assert _attempt(client, "ada@example.org", PASSWORD, "192.0.2.8").status_code == 429


def test_a_successful_login_forgets_the_failures(app: Flask, fresh_limits: None) -> None:
    make_user("coordinator", "ada@example.org")
    assert _spread_guesses(app, "ada@example.org", 4) == [401] * 4
    assert _attempt(isolated_client(app), "ada@example.org", PASSWORD).status_code == 302
    assert _spread_guesses(app, "ada@example.org", 5) == [401] * 5


def test_the_account_key_ignores_case_and_spaces(app: Flask, fresh_limits: None) -> None:
    make_user("coordinator", "ada@example.org")
    spellings = ["ADA@example.org", " ada@EXAMPLE.org", "Ada@Example.Org", "ada@example.org"]
    answers = [
        _attempt(isolated_client(app), email, "wrong", f"198.51.100.{n}").status_code
        for n, email in enumerate(spellings * 2, start=1)
    ]
    assert answers[:5] == [401] * 5 and answers[5:] == [429] * 3
