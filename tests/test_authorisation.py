"""Who reaches what: every back-office and portal route, for every kind of visitor.

The routes are read from the app's URL map, so a new route without a row here fails the test
(`test_every_protected_route_is_in_the_table`). Each visitor gets the exact status code the
table says; partners never see a word of another organisation's work.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.conftest import isolated_client
from tests.support.auth import csrf_from, log_in
from tests.support.world import World, build_world

VISITORS = ("anonymous", "partner_a", "partner_b", "coordinator", "admin")
SECRETS_OF_B = ("Bravo secret lobbying plan", "Bravo Migrant Network", "bravo.partner@example.org")

# Who may use a route: "partner" (the portal), "coordinator" (coordinators and admins), "admin".
STAFF = "coordinator"
# (method, route) -> (who may use it, the status code the allowed get for the request below)
ROUTES: dict[tuple[str, str], tuple[str, int]] = {
    ("GET", "/admin/audit"): ("admin", 200),
    ("GET", "/admin/export/<name>.csv"): (STAFF, 200),
    ("GET", "/admin/organisations"): (STAFF, 200),
    ("GET", "/admin/organisations/new"): (STAFF, 200),
    ("POST", "/admin/organisations/new"): (STAFF, 400),
    ("GET", "/admin/organisations/<int:organisation_id>/edit"): (STAFF, 200),
    # A POST missing the form's fields is refused: it never blanks what it left out.
    ("POST", "/admin/organisations/<int:organisation_id>/edit"): (STAFF, 400),
    ("GET", "/admin/organisations/<int:organisation_id>"): (STAFF, 200),
    ("POST", "/admin/organisations/<int:organisation_id>/steering"): (STAFF, 400),
    ("POST", "/admin/organisations/<int:organisation_id>/partnerships"): (STAFF, 400),
    ("POST", "/admin/organisations/<int:organisation_id>/merge"): (STAFF, 400),
    ("GET", "/admin/organisations/import"): (STAFF, 200),
    ("POST", "/admin/organisations/import"): (STAFF, 400),
    ("GET", "/admin/outbox"): (STAFF, 200),
    ("GET", "/admin/outbox/<int:message_id>"): (STAFF, 200),
    ("GET", "/admin/outbox/held"): (STAFF, 200),
    ("POST", "/admin/outbox/held/<group>/release"): (STAFF, 404),  # no such group held
    ("POST", "/admin/outbox/held/<group>/discard"): (STAFF, 404),
    ("POST", "/admin/outbox/<int:message_id>/retry"): (STAFF, 302),
    ("POST", "/admin/outbox/digests/<int:digest_id>/resume"): (STAFF, 302),
    ("GET", "/admin/outreach"): (STAFF, 200),
    ("GET", "/admin/outreach/board"): (STAFF, 200),
    ("GET", "/admin/outreach/export.csv"): (STAFF, 200),
    ("GET", "/admin/outreach/new"): (STAFF, 200),
    ("POST", "/admin/outreach/new"): (STAFF, 400),
    ("GET", "/admin/outreach/<int:task_id>/edit"): (STAFF, 200),
    ("POST", "/admin/outreach/<int:task_id>/edit"): (STAFF, 400),
    ("GET", "/admin/outreach/<int:task_id>"): (STAFF, 200),
    ("POST", "/admin/outreach/<int:task_id>/updates"): (STAFF, 400),
    ("GET", "/admin/outreach/bulk"): (STAFF, 200),
    ("POST", "/admin/outreach/bulk"): (STAFF, 400),
    ("GET", "/admin/pledges/moderation"): (STAFF, 200),
    ("POST", "/admin/pledges/<int:pledge_id>/moderate"): (STAFF, 400),
    ("GET", "/admin/pledges/export.csv"): (STAFF, 200),
    ("GET", "/admin/pledges/counts"): (STAFF, 200),
    ("POST", "/admin/pledges/counts"): (STAFF, 400),
    ("POST", "/admin/pledges/reconcile"): (STAFF, 302),
    ("GET", "/admin/settings"): ("admin", 200),
    ("POST", "/admin/settings/<key>"): ("admin", 400),
    ("GET", "/admin/states"): (STAFF, 200),
    ("GET", "/admin/states/<iso3>"): (STAFF, 200),
    ("POST", "/admin/states/<iso3>/changes"): (STAFF, 400),
    ("POST", "/admin/states/<iso3>/changes/<int:change_id>/correct"): (STAFF, 400),
    ("POST", "/admin/states/<iso3>/profile"): (STAFF, 400),
    ("GET", "/admin/users"): ("admin", 200),
    ("GET", "/admin/users/<int:user_id>"): ("admin", 200),
    ("POST", "/admin/users/<int:user_id>/role"): ("admin", 400),
    ("POST", "/admin/users/<int:user_id>/reactivate"): ("admin", 302),
    ("POST", "/admin/users/<int:user_id>/deactivate"): ("admin", 302),
    ("GET", "/admin/users/invite"): (STAFF, 200),
    ("POST", "/admin/users/invite"): (STAFF, 400),
    ("POST", "/admin/users/<int:user_id>/reinvite"): (
        STAFF,
        400,
    ),  # the user has a password already
    ("GET", "/admin/"): (STAFF, 200),
    ("GET", "/partner/"): ("partner", 200),
    ("GET", "/partner/tasks/<int:task_id>"): ("partner", 200),
    ("POST", "/partner/tasks/<int:task_id>/updates"): ("partner", 400),
    ("GET", "/admin/sync/"): (STAFF, 200),
    ("GET", "/admin/sync/runs/<int:run_id>"): (STAFF, 200),
    ("POST", "/admin/sync/proposals/<int:proposal_id>/approve"): (STAFF, 302),
    ("POST", "/admin/sync/proposals/<int:proposal_id>/reject"): (STAFF, 400),
    # Webhooks (partner B's endpoint, one failed delivery); delete is registered last.
    ("GET", "/admin/webhooks"): (STAFF, 200),
    ("GET", "/admin/webhooks/new"): (STAFF, 200),
    ("POST", "/admin/webhooks/new"): (STAFF, 400),
    ("GET", "/admin/webhooks/<int:endpoint_id>"): (STAFF, 200),
    ("GET", "/admin/webhooks/<int:endpoint_id>/edit"): (STAFF, 200),
    ("POST", "/admin/webhooks/<int:endpoint_id>/edit"): (STAFF, 400),
    ("POST", "/admin/webhooks/<int:endpoint_id>/rotate"): (STAFF, 200),
    ("POST", "/admin/webhooks/<int:endpoint_id>/enable"): (STAFF, 302),
    ("GET", "/admin/webhooks/deliveries/<int:delivery_id>"): (STAFF, 200),
    ("POST", "/admin/webhooks/deliveries/<int:delivery_id>/redeliver"): (STAFF, 302),
    ("POST", "/admin/webhooks/<int:endpoint_id>/delete"): (STAFF, 302),
    # Officials' endorsements.
    ("GET", "/admin/endorsements"): (STAFF, 200),
    ("POST", "/admin/endorsements/<int:endorsement_id>/review"): (STAFF, 400),
    ("GET", "/admin/endorsements/export.csv"): (STAFF, 200),
    # The road to ratification: proposals for coordinators, the stages for admins.
    ("GET", "/admin/road/"): (STAFF, 200),
    ("POST", "/admin/road/changes/<int:change_id>/confirm"): (STAFF, 302),
    ("POST", "/admin/road/changes/<int:change_id>/reject"): (STAFF, 400),
    ("GET", "/admin/road/stages"): ("admin", 200),
    ("POST", "/admin/road/stages"): ("admin", 400),
    ("POST", "/admin/road/stages/<int:stage_id>/rename"): ("admin", 400),
    ("POST", "/admin/road/stages/<int:stage_id>/up"): ("admin", 302),
    ("POST", "/admin/road/stages/<int:stage_id>/down"): ("admin", 302),
    ("POST", "/admin/road/stages/<int:stage_id>/retire"): ("admin", 302),
    ("POST", "/admin/road/stages/<int:stage_id>/restore"): ("admin", 302),
    ("POST", "/admin/states/<iso3>/road"): (STAFF, 400),
    ("GET", "/partner/road/<iso3>"): ("partner", 200),
    ("POST", "/partner/road/<iso3>"): ("partner", 400),
    # Events and materials.
    ("GET", "/admin/events"): (STAFF, 200),
    ("GET", "/admin/events/new"): (STAFF, 200),
    ("POST", "/admin/events/new"): (STAFF, 400),
    ("GET", "/admin/events/<int:event_id>/edit"): (STAFF, 200),
    ("POST", "/admin/events/<int:event_id>/edit"): (STAFF, 400),
    ("POST", "/admin/events/<int:event_id>/review"): (STAFF, 400),
    ("GET", "/admin/materials"): (STAFF, 200),
    ("GET", "/admin/materials/new"): (STAFF, 200),
    ("POST", "/admin/materials/new"): (STAFF, 400),
    ("GET", "/admin/materials/<int:material_id>"): (STAFF, 200),
    ("POST", "/admin/materials/<int:material_id>"): (STAFF, 400),
    ("GET", "/partner/events"): ("partner", 200),
    ("GET", "/partner/events/new"): ("partner", 200),
    ("POST", "/partner/events/new"): ("partner", 400),
    ("GET", "/partner/materials"): ("partner", 200),
    # Embeds: the origins allowed to frame an organisation's pledge form.
    ("GET", "/admin/organisations/<int:organisation_id>/embed"): (STAFF, 200),
    ("POST", "/admin/organisations/<int:organisation_id>/embed"): (STAFF, 400),
    ("POST", "/admin/organisations/<int:organisation_id>/embed/remove"): (STAFF, 400),
    # API keys (partner B's key).
    ("GET", "/admin/organisations/<int:organisation_id>/api-keys"): (STAFF, 200),
    ("POST", "/admin/organisations/<int:organisation_id>/api-keys"): (STAFF, 400),
    ("POST", "/admin/api-keys/<int:key_id>/scopes"): (STAFF, 400),
    ("POST", "/admin/api-keys/<int:key_id>/revoke"): (STAFF, 302),
    # Pledge imports (one uploaded, not yet checked). The mapping's fields left out keep the
    # mapping guessed from the header, so the bare POST starts the dry run (nothing is written
    # to pledges); with the dry run under way, discarding or resuming is refused (409).
    ("GET", "/admin/pledges/imports"): (STAFF, 200),
    ("POST", "/admin/pledges/imports"): (STAFF, 400),
    ("GET", "/admin/pledges/imports/<int:import_id>"): (STAFF, 200),
    ("GET", "/admin/pledges/imports/<int:import_id>/mapping"): (STAFF, 200),
    ("POST", "/admin/pledges/imports/<int:import_id>/mapping"): (STAFF, 302),
    ("POST", "/admin/pledges/imports/<int:import_id>/run"): (STAFF, 400),
    ("POST", "/admin/pledges/imports/<int:import_id>/resume"): (STAFF, 409),
    ("POST", "/admin/pledges/imports/<int:import_id>/discard"): (STAFF, 409),
}


@pytest.fixture
def world(app: Flask, fresh_limits: None) -> World:
    return build_world()  # every visitor logs in from one address: fresh login limits


def _rules(app: Flask) -> Iterator[tuple[str, str, str]]:
    """(method, endpoint, path) for every route under /admin and /partner."""
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(("/admin", "/partner")):
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            yield method, rule.endpoint, rule.rule


def test_every_protected_route_is_in_the_table(app: Flask) -> None:
    found = {(method, path) for method, _, path in _rules(app)}
    assert found == set(ROUTES)


def _expected(visitor: str, access: str, allowed_status: int, endpoint: str) -> int:
    if visitor == "anonymous":
        return 302  # to the login page
    role = "partner" if visitor.startswith("partner_") else visitor
    allowed = {
        "partner": role == "partner",
        STAFF: role in ("coordinator", "admin"),
        "admin": role == "admin",
    }[access]
    if not allowed:
        return 403
    if visitor == "partner_b" and endpoint.startswith("partner.task"):
        return 404  # partner A's task does not exist for partner B
    if visitor == "partner_b" and endpoint in ("partner.road", "partner.propose_stage"):
        return 403  # Mexico is partner A's state, not B's
    return allowed_status


@pytest.mark.parametrize("visitor", VISITORS)
def test_each_visitor_gets_exactly_what_the_table_says(
    app: Flask, world: World, visitor: str
) -> None:
    client = isolated_client(app)
    if visitor != "anonymous":
        log_in(client, world.users[visitor])
    token = csrf_from(client, "/pledge/individual")  # a form every visitor can open
    seen: dict[tuple[str, str], int] = {}
    leaks: list[str] = []
    wrong: list[str] = []
    for method, endpoint, path in _rules(app):
        url = path
        for name, value in world.values_for(path).items():
            url = url.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", str(value))
        response = (
            client.get(url) if method == "GET" else client.post(url, data={"csrf_token": token})
        )
        seen[(method, url)] = response.status_code
        access, allowed_status = ROUTES[(method, path)]
        expected = _expected(visitor, access, allowed_status, endpoint)
        if response.status_code != expected:
            wrong.append(f"{method} {url}: {response.status_code}, expected {expected}")
        elif expected == 302 and visitor == "anonymous":
            assert "/account/login" in response.headers["Location"], url
        if visitor == "partner_a":
            body = response.get_data(as_text=True)
            leaks += [f"{url}: {secret}" for secret in SECRETS_OF_B if secret in body]
    assert wrong == [], "\n".join(wrong)
    assert leaks == []
    assert len(seen) == len(list(_rules(app)))  # every route was tried
