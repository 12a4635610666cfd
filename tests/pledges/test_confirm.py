"""Confirming: GET shows a button, only POST confirms, tokens work only where they were meant."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from campaign.pledges import tokens
from campaign.pledges.models import Pledge
from campaign.pledges.moderation import moderate_pledge
from tests.pledges.helpers import (
    CHECK_EMAIL,
    at,
    confirm,
    confirm_path,
    counted,
    links_in,
    outbox,
    pledges,
    post_with_csrf,
    sign,
)
from tests.support.auth import make_user

START = dt.datetime(2026, 12, 18, 9, 0, tzinfo=dt.UTC)


def _signed(client: FlaskClient, kind: str = "individual") -> tuple[Pledge, str, str]:
    """A fresh unconfirmed pledge and the confirm and manage links from its mail."""
    assert sign(client, kind).status_code == 302
    [pledge] = pledges()
    [mail] = outbox()
    return pledge, *links_in(mail.body_text)


def test_opening_the_link_shows_a_button_and_confirms_nothing(client: FlaskClient) -> None:
    pledge, link, _ = _signed(client)
    for _ in range(3):  # a mail scanner may follow the link several times
        page = client.get(link)
        assert page.status_code == 200
        body = page.get_data(as_text=True)
        assert "Confirm my pledge" in body and f'action="{link}"' in body
    [pledge] = pledges()
    assert pledge.confirmed_at is None and not pledge.is_counted
    assert counted("MEX") == 0


def test_pressing_confirm_counts_the_pledge_once(client: FlaskClient) -> None:
    _, link, _ = _signed(client)
    response = confirm(client, link)
    assert response.status_code == 200
    assert "your pledge is confirmed" in response.get_data(as_text=True)
    [pledge] = pledges()
    assert pledge.confirmed_at is not None and pledge.is_counted
    assert counted("MEX") == 1
    first_confirmed_at = pledge.confirmed_at
    again = confirm(client, link)
    assert again.status_code == 200
    assert counted("MEX") == 1
    assert pledges()[0].confirmed_at == first_confirmed_at


def test_confirmations_add_up_per_country(client: FlaskClient) -> None:
    for email, country in [("a@example.org", "MEX"), ("b@example.org", "MEX"), ("c@x.org", "---")]:
        assert sign(client, email=email, country=country).status_code == 302
    for pledge in pledges():
        assert confirm(client, confirm_path(pledge.id)).status_code == 200
    assert (counted("MEX"), counted("---"), counted("PHL")) == (2, 1, 0)


def _tampered(pledge: Pledge) -> str:
    """A token whose payload names another pledge, under the original signature."""
    good = tokens.make_token(tokens.CONFIRM, pledge.id)
    other = tokens.make_token(tokens.CONFIRM, pledge.id + 1)
    return other.split(".")[0] + "." + ".".join(good.split(".")[1:])


MISUSE: dict[str, tuple[str, Callable[[Pledge], str]]] = {
    "tampered": ("confirm", _tampered),
    "garbage": ("confirm", lambda p: "not-a-token"),
    "too-long": ("confirm", lambda p: tokens.make_token(tokens.CONFIRM, p.id) + "A" * 600),
    "unsigned-payload": ("confirm", lambda p: tokens.make_token(tokens.CONFIRM, p.id)[:-1]),
    "no-such-pledge": ("confirm", lambda p: tokens.make_token(tokens.CONFIRM, 987654)),
    "manage-token-on-confirm": ("confirm", lambda p: tokens.make_token(tokens.MANAGE, p.id)),
    "confirm-token-on-manage": ("manage", lambda p: tokens.make_token(tokens.CONFIRM, p.id)),
    "confirm-token-on-resend-manage": ("resend", lambda p: tokens.make_token(tokens.MANAGE, p.id)),
    "forged-with-another-key": (
        "confirm",
        lambda p: (
            __import__("itsdangerous")
            .URLSafeTimedSerializer("guessed", salt=tokens.CONFIRM)
            .dumps({"p": p.id})
        ),
    ),
}


@pytest.mark.parametrize("case", MISUSE)
def test_token_misuse_gives_404_and_changes_nothing(client: FlaskClient, case: str) -> None:
    pledge, _, _ = _signed(client)
    assert confirm(client, confirm_path(pledge.id)).status_code == 200
    route, make = MISUSE[case]
    path = f"/pledge/{route}/{make(pledge)}"
    if route != "resend":
        assert client.get(path).status_code == 404
    for action in ("withdraw", "erase", "stop-updates"):
        assert post_with_csrf(client, path, {"action": action}).status_code == 404
    [after] = pledges()
    assert (after.confirmed_at, after.withdrawn_at, after.erased_at) == (
        pledge.confirmed_at,
        None,
        None,
    )
    assert after.is_counted and after.name == pledge.name
    assert counted("MEX") == 1
    assert len(outbox()) == 1


def test_unconfirmed_pledge_is_not_confirmed_by_a_misused_token(client: FlaskClient) -> None:
    _, _, manage = _signed(client)
    token = manage.rsplit("/", 1)[1]
    assert post_with_csrf(client, f"/pledge/confirm/{token}").status_code == 404
    assert pledges()[0].confirmed_at is None and counted("MEX") == 0


def test_expired_link_offers_a_new_one(client: FlaskClient) -> None:
    with at(START):
        pledge, link, _ = _signed(client)
        pledge_id = pledge.id
    with at(START + dt.timedelta(days=7, minutes=-1)):  # still good on the seventh day
        assert "Confirm my pledge" in client.get(link).get_data(as_text=True)
    expired = START + dt.timedelta(days=7, minutes=1)
    with at(expired):
        page = client.get(link)
        assert page.status_code == 200
        body = page.get_data(as_text=True)
        assert "This link has expired" in body and "Send me a new link" in body
        assert "Confirm my pledge" not in body
        refused = post_with_csrf(client, link, page=link)
        assert refused.status_code == 410
        assert "Send me a new link" in refused.get_data(as_text=True)
        assert pledges()[0].confirmed_at is None and counted("MEX") == 0
        resend = post_with_csrf(client, link.replace("/confirm/", "/resend/"), page=link)
        assert resend.status_code == 302 and resend.headers["Location"] == CHECK_EMAIL
        second = outbox()[1]
        assert second.idempotency_key == f"pledge-confirm:{pledge_id}:2"
        new_link, _ = links_in(second.body_text)
        assert new_link != link
        assert confirm(client, new_link).status_code == 200
    assert pledges()[0].is_counted and counted("MEX") == 1


def test_expired_link_resends_within_the_cap(client: FlaskClient) -> None:
    with at(START):
        _, link, _ = _signed(client)
    resend = link.replace("/confirm/", "/resend/")
    for day in range(8, 16):
        with at(START + dt.timedelta(days=day)):
            assert post_with_csrf(client, resend, page=link).status_code == 302
    assert len(outbox()) == 5


def test_a_confirmed_organisation_counts_only_once_approved(client: FlaskClient) -> None:
    _, link, _ = _signed(client, "organisation")
    assert "We will check" in confirm(client, link).get_data(as_text=True)
    [pledge] = pledges()
    assert pledge.confirmed_at is not None and pledge.moderation == "pending"
    assert not pledge.is_counted and counted("LBN", "organisation") == 0
    moderate_pledge(pledge=pledge, approve=True, reason="", actor=make_user("coordinator"))
    assert pledges()[0].is_counted and counted("LBN", "organisation") == 1
    assert counted("LBN") == 0


def test_manage_link_from_the_mail_opens_the_manage_page(client: FlaskClient) -> None:
    _, _, manage = _signed(client)
    page = client.get(manage)
    assert page.status_code == 200
    assert "Your pledge is not confirmed yet" in page.get_data(as_text=True)
