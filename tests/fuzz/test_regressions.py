"""Every input that once answered 500, one test each, with the exact answer it must get now.

The suite runs on SQLite and on PostgreSQL (TEST_BACKEND), so each case is checked on both.
The requests that answer "exactly like the first" used to be 500s on SQLite (naive and aware
datetimes compared); the rest were found at the edge, some of them by the fuzz.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from campaign.accounts.models import User
from campaign.extensions import db
from campaign.organisations.models import Organisation
from tests.factories import state
from tests.fuzz.targets import Target
from tests.support.auth import csrf_from
from tests.support.forms import submit

Client = Callable[[str], FlaskClient]
HUGE = "99999999999999999999"  # 20 digits: beyond a 64-bit id


# Ids beyond 64 bits in a path: 404, never an overflow in the database driver.
HUGE_IDS = [
    ("partner", "GET", f"/partner/tasks/{HUGE}", {}),
    ("coordinator", "GET", f"/admin/organisations/{HUGE}", {}),
    ("coordinator", "GET", f"/admin/organisations/{HUGE}/edit", {}),
    ("coordinator", "GET", f"/admin/outreach/{HUGE}", {}),
    ("coordinator", "GET", f"/admin/sync/runs/{HUGE}", {}),
    ("coordinator", "POST", f"/admin/outbox/{HUGE}/retry", {}),
    ("coordinator", "POST", f"/admin/outbox/digests/{HUGE}/resume", {}),
    ("coordinator", "POST", f"/admin/pledges/{HUGE}/moderate", {"decision": "approve"}),
    ("coordinator", "POST", f"/admin/pledges/{HUGE}/moderate", {"decision": "reject"}),
    ("coordinator", "POST", f"/admin/sync/proposals/{HUGE}/approve", {}),
    ("coordinator", "POST", f"/admin/sync/proposals/{HUGE}/reject", {"note": "no"}),
]


@pytest.mark.parametrize(("role", "method", "path", "form"), HUGE_IDS)
def test_an_id_beyond_64_bits_is_404(
    as_role: Client, role: str, method: str, path: str, form: dict[str, str]
) -> None:
    client = as_role(role)
    data = {"csrf_token": csrf_from(client, "/pledge/individual"), **form}
    assert client.open(path, method=method, data=data).status_code == 404


# Page and organisation numbers beyond 64 bits, or not ASCII digits: the filter is ignored.
LISTS = [
    ("partner", "/partner/", "Alpha letter"),
    ("coordinator", "/admin/outreach", "Alpha letter"),
    ("coordinator", "/admin/outreach/board", "Alpha letter"),
    ("coordinator", "/admin/outbox", "someone@example.org"),
    ("admin", "/admin/audit", "user.invited"),
]
ODD_NUMBERS = ["page=" + HUGE, "page=²", "organisation=" + HUGE, "organisation=²"]


@pytest.mark.parametrize("query", ODD_NUMBERS)
@pytest.mark.parametrize(("role", "path", "shown"), LISTS)
def test_an_odd_number_in_the_query_is_ignored(
    as_role: Client, role: str, path: str, shown: str, query: str
) -> None:
    response = as_role(role).get(f"{path}?{query}")
    assert response.status_code == 200
    assert shown in response.get_data(as_text=True)


@pytest.mark.parametrize("query", ODD_NUMBERS)
def test_the_outreach_export_is_whole_with_an_odd_number(as_role: Client, query: str) -> None:
    client = as_role("coordinator")
    plain = client.get("/admin/outreach/export.csv").get_data(as_text=True)
    response = client.get(f"/admin/outreach/export.csv?{query}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body == plain and body.endswith("\n")
    assert any("Alpha letter" in row for row in csv.reader(io.StringIO(body)))


def test_the_audit_log_until_the_last_day_of_9999(as_role: Client) -> None:
    response = as_role("admin").get("/admin/audit?until=9999-12-31")
    assert response.status_code == 200
    assert "user.invited" in response.get_data(as_text=True)


def _organisations() -> int:
    return db.session.scalar(select(func.count()).select_from(Organisation)) or 0


def test_an_import_cell_past_the_csv_limit_is_refused_by_line(as_role: Client) -> None:
    client = as_role("coordinator")
    before = _organisations()
    body = "name,kind\nFine,ngo\nHuge," + "x" * 131_073 + "\n"
    data = {
        "csrf_token": csrf_from(client, "/admin/organisations/import"),
        "file": (io.BytesIO(body.encode()), "orgs.csv"),
        "apply": "y",
    }
    response = client.post("/admin/organisations/import", data=data)
    assert response.status_code == 400
    assert "Line 3 cannot be read" in response.get_data(as_text=True)
    assert _organisations() == before


FORM_PAGES = [
    "/pledge/individual",
    "/pledge/organisation",
    "/subscriptions/",
    "/account/login",
    "/account/forgot-password",
]


@pytest.mark.parametrize("path", FORM_PAGES)
def test_head_on_a_form_page_answers_like_get(as_role: Client, path: str) -> None:
    client = as_role("anonymous")
    head, get = client.head(path), client.get(path)
    assert head.status_code == get.status_code == 200
    assert head.get_data() == b""
    assert head.headers["Content-Type"] == get.headers["Content-Type"]


def test_an_edit_carrying_only_the_csrf_token_changes_nothing(
    as_role: Client, target: Target
) -> None:
    organisation = target.world.a
    organisation.country = state("MEX")
    db.session.commit()
    client = as_role("coordinator")
    path = f"/admin/organisations/{organisation.id}/edit"
    response = client.post(path, data={"csrf_token": csrf_from(client, path)})
    assert response.status_code == 400
    db.session.expire_all()
    assert organisation.country is not None and organisation.country.iso3 == "MEX"
    assert organisation.name == "Alpha Workers Centre"


def _same_answer(first: TestResponse, second: TestResponse) -> None:
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert first.get_data() == second.get_data()


def test_signing_twice_with_one_address_answers_alike(as_role: Client) -> None:
    client = as_role("anonymous")
    fields = {
        "name": "Amina Yusuf",
        "email": "amina.twice@example.org",
        "country": "MEX",
        "accept_privacy": "y",
    }
    first = submit(client, "/pledge/individual", fields)
    _same_answer(first, submit(client, "/pledge/individual", fields))
    assert first.headers["Location"].endswith("/pledge/check-your-email")


def test_a_second_reset_request_answers_alike(as_role: Client) -> None:
    client = as_role("anonymous")
    fields = {"email": "coordinator@example.org"}
    first = submit(client, "/account/forgot-password", fields)
    _same_answer(first, submit(client, "/account/forgot-password", fields))


def test_sending_an_invitation_again_answers_alike(as_role: Client) -> None:
    client = as_role("admin")
    invited = {"email": "invited.twice@example.org", "role": "coordinator", "name": ""}
    assert submit(client, "/admin/users/invite", invited).status_code == 302
    user_id = db.session.scalars(select(User.id).filter_by(email=invited["email"])).one()
    path, page = f"/admin/users/{user_id}/reinvite", f"/admin/users/{user_id}"
    first = submit(client, path, {}, form_path=page)
    _same_answer(first, submit(client, path, {}, form_path=page))


def test_subscribing_an_address_again_answers_alike(as_role: Client) -> None:
    client = as_role("anonymous")
    fields = {"email": "follower.twice@example.org", "alerts": "all", "frequency": "monthly"}
    first = submit(client, "/subscriptions/", fields)
    _same_answer(first, submit(client, "/subscriptions/", fields))


# Found by the fuzz: a JSON body was read as the form (a number, a string or a nested list
# for a form was a 500), and a file sent under a text field's name reached its validators.
JSON_BODIES = [b"1", b"1e+308", b"true", b'"x"', b"[" * 5000 + b"]" * 5000]
JSON_PATHS = ["/pledge/individual", "/account/login", "/subscriptions/", "/admin/outreach/new"]


@pytest.mark.parametrize("body", JSON_BODIES, ids=["int", "float", "bool", "string", "deep"])
@pytest.mark.parametrize("path", JSON_PATHS)
def test_a_json_body_to_a_form_is_an_empty_submission(
    as_role: Client, path: str, body: bytes
) -> None:
    client = as_role("coordinator")
    token = csrf_from(client, "/pledge/individual")
    headers = {"X-CSRFToken": token, "Content-Type": "application/json"}
    assert client.post(path, data=body, headers=headers).status_code == 400


FILE_FOR_TEXT = [
    ("/pledge/individual", "name"),
    ("/account/login", "email"),
    ("/account/forgot-password", "email"),
    ("/admin/states/MEX/changes", "source"),
    ("/admin/settings/pledge_limit_burst", "value"),
]


@pytest.mark.parametrize(("path", "name"), FILE_FOR_TEXT)
def test_a_file_for_a_text_field_is_not_sent(as_role: Client, path: str, name: str) -> None:
    client = as_role("admin")
    data = {"csrf_token": csrf_from(client, "/pledge/individual")}
    data[name] = (io.BytesIO(b"x"), "a.txt")  # type: ignore[assignment]
    assert client.post(path, data=data, content_type="multipart/form-data").status_code == 400


# Found by the fuzz on PostgreSQL, which refuses a NUL in any string: searches with one.
NUL_SEARCHES = [
    ("coordinator", "/admin/organisations?q=Alpha%00", "Alpha Workers Centre"),
    ("admin", "/admin/users?q=alpha%00", "alpha.partner@example.org"),
    ("admin", "/admin/audit?actor=%00&action=user%00&entity=%00user", "user.invited"),
]


@pytest.mark.parametrize(("role", "path", "shown"), NUL_SEARCHES)
def test_a_search_with_a_nul_searches_without_it(
    as_role: Client, role: str, path: str, shown: str
) -> None:
    response = as_role(role).get(path)
    assert response.status_code == 200
    assert shown in response.get_data(as_text=True)


def test_a_steering_form_refused_under_a_nul_search_renders(
    as_role: Client, target: Target
) -> None:
    client = as_role("coordinator")
    path = f"/admin/organisations/{target.world.a.id}/steering?q=a%00b"
    data = {"csrf_token": csrf_from(client, "/pledge/individual"), "role": "nonsense"}
    assert client.post(path, data=data).status_code == 400
