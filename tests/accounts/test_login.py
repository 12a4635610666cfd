"""Logging in and out: one answer for every failure, CSRF, rate limits, safe redirects, roles."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from campaign.accounts.models import User
from campaign.accounts.services import InvalidAccount, create_user
from campaign.accounts.views import FAILED
from campaign.extensions import db
from tests.support.auth import PASSWORD, csrf_from, log_in, make_user

LOGIN = "/account/login"
TOKEN_VALUE = re.compile(r'(name="csrf_token"[^>]*value=")[^"]+(")')


def _post(
    client: FlaskClient, email: str, password: str, next_: str | None = None
) -> tuple[int, str, str | None]:
    """POST the login form with a fresh token: status, body, Location."""
    token = csrf_from(client, LOGIN)
    response = client.post(
        LOGIN,
        query_string={"next": next_} if next_ is not None else None,
        data={"csrf_token": token, "email": email, "password": password},
    )
    return response.status_code, response.get_data(as_text=True), response.location


def _user(email: str) -> User:
    db.session.expire_all()
    return db.session.scalars(select(User).filter_by(email=email)).one()


def _users() -> int:
    return db.session.scalar(select(func.count()).select_from(User)) or 0


def _logged_in(client: FlaskClient) -> bool:
    return client.get("/admin/").status_code == 200


def test_wrong_password_and_unknown_email_get_the_same_answer(client: FlaskClient) -> None:
    make_user("admin", "known@example.org")
    wrong_status, wrong_body, _ = _post(client, "known@example.org", "not the password")
    unknown_status, unknown_body, _ = _post(client, "nobody@example.org", PASSWORD)

    def neutral(body: str, email: str) -> str:
        # The form echoes what was typed and carries a fresh token; nothing else may differ.
        return TOKEN_VALUE.sub(r"\1TOKEN\2", body).replace(email, "EMAIL")

    assert wrong_status == unknown_status == 401
    assert FAILED in wrong_body
    assert neutral(wrong_body, "known@example.org") == neutral(unknown_body, "nobody@example.org")
    assert _user("known@example.org").last_login_at is None


@pytest.mark.parametrize(
    ("role", "home"),
    [("admin", "/admin/"), ("coordinator", "/admin/"), ("partner", "/partner/")],
)
def test_correct_login_goes_to_the_role_home(client: FlaskClient, role: str, home: str) -> None:
    email = f"{role}@example.org"
    make_user(role, email)
    status, _, location = _post(client, email, PASSWORD)
    assert (status, location) == (302, home)
    assert client.get(home).status_code == 200
    assert _user(email).last_login_at is not None


def test_email_is_matched_without_case_or_surrounding_space(client: FlaskClient) -> None:
    make_user("admin", "admin@example.org")
    status, _, location = _post(client, "  ADMIN@Example.ORG ", PASSWORD)
    assert (status, location) == (302, "/admin/")


def test_an_address_is_kept_in_its_mailable_form_and_found_by_either_spelling(
    client: FlaskClient,
) -> None:
    """An IDN domain is stored as punycode (what the relay can mail); typed either way, it logs
    in. Letters beyond ASCII before the @ cannot be mailed: no such account is made."""
    user = make_user("coordinator", "Ana@Bücher.example")
    assert user.email == "ana@xn--bcher-kva.example"
    assert _post(client, "ana@bücher.example", PASSWORD)[0] == 302
    with pytest.raises(InvalidAccount, match="plain"):
        create_user(email="𝔘𝔫𝔦@example.org", password=PASSWORD, role="coordinator")


def test_post_without_csrf_token_is_refused(client: FlaskClient) -> None:
    make_user("admin", "admin@example.org")
    client.get(LOGIN)
    response = client.post(LOGIN, data={"email": "admin@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert "form expired" in response.get_data(as_text=True)
    assert not _logged_in(client)
    assert _user("admin@example.org").last_login_at is None


def test_eleventh_attempt_in_a_minute_is_refused_even_with_the_right_password(
    client: FlaskClient,
) -> None:
    make_user("admin", "admin@example.org")
    for number in range(10):  # other accounts each time: the per-client limit, not the account's
        assert _post(client, f"guess{number}@example.org", "wrong password")[0] == 401
    token = csrf_from(client, LOGIN)
    data = {"csrf_token": token, "email": "admin@example.org", "password": PASSWORD}
    response = client.post(LOGIN, data=data)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "Too many attempts. Please wait a little and try again." in response.get_data(
        as_text=True
    )
    assert not _logged_in(client)
    assert _user("admin@example.org").last_login_at is None


def test_limit_counts_posts_only(client: FlaskClient) -> None:
    for _ in range(12):
        assert client.get(LOGIN).status_code == 200
    make_user("admin", "admin@example.org")
    assert _post(client, "admin@example.org", PASSWORD)[0] == 302


def test_deactivated_user_cannot_log_in(client: FlaskClient) -> None:
    user = make_user("admin", "gone@example.org")
    user.is_active = False
    db.session.commit()
    status, body, _ = _post(client, "gone@example.org", PASSWORD)
    assert status == 401 and FAILED in body
    assert not _logged_in(client)
    assert _user("gone@example.org").last_login_at is None


def test_deactivation_ends_an_open_session(client: FlaskClient) -> None:
    user = make_user("admin", "admin@example.org")
    log_in(client, user)
    assert _logged_in(client)
    user.is_active = False
    db.session.commit()
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize(
    ("target", "destination"),
    [
        ("/admin/states?status=party", "/admin/states?status=party"),
        ("//evil.example", "/admin/"),
        ("http://evil.example", "/admin/"),
        ("https://evil.example/admin/", "/admin/"),
        ("https:evil.example", "/admin/"),
        ("/\\evil.example", "/admin/"),
        ("/\t/evil.example", "/admin/"),
        ("\\\\evil.example", "/admin/"),
        ("javascript:alert(1)", "/admin/"),
        ("admin/", "/admin/"),
        ("", "/admin/"),
    ],
)
def test_next_is_honoured_only_for_same_site_paths(
    client: FlaskClient, target: str, destination: str
) -> None:
    make_user("admin", "admin@example.org")
    status, _, location = _post(client, "admin@example.org", PASSWORD, next_=target)
    assert (status, location) == (302, destination)


def test_anonymous_visitor_is_sent_to_login_and_back(client: FlaskClient) -> None:
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.location == "/account/login?next=%2Fadmin%2F"
    make_user("coordinator", "coordinator@example.org")
    _, _, location = _post(client, "coordinator@example.org", PASSWORD, next_="/admin/")
    assert location == "/admin/"


def test_logout_needs_post_with_csrf(client: FlaskClient) -> None:
    log_in(client, make_user("admin", "admin@example.org"))
    assert client.get("/account/logout").status_code == 405
    assert client.post("/account/logout").status_code == 400
    assert _logged_in(client)

    token = csrf_from(client, "/")
    response = client.post("/account/logout", data={"csrf_token": token})
    assert (response.status_code, response.location) == (302, "/")
    assert "You are logged out." in client.get("/").get_data(as_text=True)
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        (None, "/admin/", 302),
        (None, "/partner/", 302),
        ("partner", "/admin/", 403),
        ("coordinator", "/partner/", 403),
        ("admin", "/partner/", 403),
        ("coordinator", "/admin/", 200),
        ("admin", "/admin/", 200),
        ("partner", "/partner/", 200),
    ],
)
def test_roles_are_enforced(client: FlaskClient, role: str | None, path: str, status: int) -> None:
    if role is not None:
        log_in(client, make_user(role))
    response = client.get(path)
    assert response.status_code == status
    if status == 302:
        assert response.location.startswith("/account/login?next=")


LONG_EMAIL = "a" * 288 + "@example.org"


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("", PASSWORD),
        ("admin@example.org", ""),
        ("   ", "   "),
        (LONG_EMAIL, PASSWORD),
        ("admin@example.org", "x" * 2000),
        ("a@b.org\r\nBcc: x@y.org", PASSWORD),
        ("admin@example.org\r\nBcc: x@y.org", PASSWORD),
        ("=cmd|' /C calc'!A0", PASSWORD),
        ("admin@example.org", "=cmd|' /C calc'!A0"),
        ("<script>alert(1)</script>", PASSWORD),
        ("\u202eadmin@example.org", PASSWORD),
        ("admin@example.org", "\u202e" + PASSWORD),
        ("𝔘𝔫𝔦@example.org", "𝔘𝔫𝔦 𝔘𝔫𝔦 𝔘𝔫𝔦 𝔘𝔫𝔦"),
        ("admin\x00@example.org", PASSWORD),
        ("admin@example.org", PASSWORD + "\x00"),
        ("admin@example.org' OR '1'='1", PASSWORD),
    ],
)
def test_bad_input_is_refused_without_error_or_write(
    client: FlaskClient, email: str, password: str
) -> None:
    make_user("admin", "admin@example.org")
    before = _users()
    status, body, _ = _post(client, email, password)
    assert status in (400, 401)
    assert "<script>alert(1)</script>" not in body
    assert _users() == before
    assert _user("admin@example.org").last_login_at is None
    assert not _logged_in(client)
