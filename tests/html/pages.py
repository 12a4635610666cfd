"""Every HTML page of the app, read from its URL map: the data they show, the URLs to fetch.

A GET route is either fetched here (with its path parameters filled from `World.values`) or
listed in `NOT_HTML` with the reason; `test_every_get_route_is_fetched_or_excluded` keeps it
that way, so a new page is checked without anyone remembering to add it. Every POST route is
sent an empty form too, and what it answers in HTML (a form with its errors, a "confirmed"
page) is checked as well.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from flask import Flask

from campaign.accounts import tokens as account_tokens
from campaign.accounts.invitations import invite_user
from campaign.accounts.models import User
from campaign.endorsements import tokens as endorsement_tokens
from campaign.extensions import db
from campaign.notifications import tokens as subscription_tokens
from campaign.pledges import tokens as pledge_tokens
from campaign.states.models import REGIONS
from tests.factories import (
    EndorsementFactory,
    OutboundEmailFactory,
    OutreachTaskFactory,
    TaskUpdateFactory,
)
from tests.notifications.helpers import subscriber
from tests.pledges.helpers import signed
from tests.support.world import World
from tests.support.world import build_world as build_shared_world

# GET routes that answer something other than an HTML page: nothing for the checker to read.
NOT_HTML = {
    "/static/<path:filename>": "stylesheets and scripts",
    "/admin/export/<name>.csv": "CSV",
    "/admin/outreach/export.csv": "CSV",
    "/admin/pledges/export.csv": "CSV",
    "/api/v1/states": "JSON",
    "/api/v1/stats": "JSON",
    "/feeds/campaign-dates.ics": "iCalendar",
    "/feeds/status-changes.atom": "Atom",
    "/report.csv": "CSV",
    "/report.pdf": "PDF",
    "/admin/endorsements/export.csv": "CSV",
    "/api/v1/endorsements": "JSON",
    "/api/v1/endorsements/counts": "JSON",
    "/api/v1/events": "JSON",
    "/api/v1/events/<int:event_id>": "JSON",
    "/api/v1/materials": "JSON",
    "/api/v1/openapi.json": "JSON",
    "/api/osdi/v1/": "HAL+JSON, behind an API key",
    "/api/osdi/v1/people": "HAL+JSON, behind an API key",
    "/api/osdi/v1/people/<int:person_id>": "HAL+JSON, behind an API key",
    "/api/osdi/v1/petitions": "HAL+JSON, behind an API key",
    "/api/osdi/v1/petitions/<kind>": "HAL+JSON, behind an API key",
    "/api/osdi/v1/petitions/<kind>/signatures": "HAL+JSON, behind an API key",
    "/api/osdi/v1/petitions/<kind>/signatures/<int:signature_id>": "HAL+JSON, behind an API key",
    "/events.ics": "iCalendar",
    "/events/<int:event_id>.ics": "iCalendar",
    "/materials/<int:material_id>/latest": "a redirect to the latest version's file",
    "/materials/files/<int:version_id>": "the document itself (a PDF here)",
    "/my-data/<source>/<token>.<fmt>": "JSON or CSV, as an attachment",
}
# More than one page from one route: filters, a state of each status, both pledge forms.
VARIANTS = {
    "/states": ["/states?status=party&region=Africa", "/states?status=none"],
    "/states/<iso3>": ["/states/ARM", "/states/BRA", "/states/ZWE"],
    "/admin/states/<iso3>": ["/admin/states/ARM", "/admin/states/BRA"],
    "/subscriptions/": ["/subscriptions/?state=MEX"],
    "/admin/outreach": ["/admin/outreach?overdue=1&sort=state&dir=desc"],
    "/regions/<region>": [f"/regions/{region}" for region in REGIONS],
    "/report": ["/report?as_at=1993-12-31"],
    "/events": ["/events/archive"],
}
NOT_FOUND = "/no-such-page"  # the 404 page, in every language like the rest


def build_world() -> World:
    """The shared world (tests/support/world.py) and what makes every page show in full: a
    second card in the moderation queue (two forms on one page), an overdue task, an update
    in partner A's thread, and a valid token for each page a mailed link opens."""
    world = build_shared_world()
    OutreachTaskFactory(organisation=world.a, due_on=dt.date.today() - dt.timedelta(days=3))
    TaskUpdateFactory(task=world.a_task, author=world.users["partner_a"], text="We met them.")
    signed("organisation", email="contact@sawt.example.org", organisation_name="Sawt al-Amal")
    staff = world.users["coordinator"]
    held = OutboundEmailFactory(
        status="held", held_for="client-0123456789abcdef", to_address="flood@example.org"
    )
    world.values.update(
        group=held.held_for,
        region=REGIONS[0],
        kind="individual",  # an OSDI petition: its POST answers JSON, behind a key
        user_id=staff.id,  # not partner A: the POSTs deactivate this user
        **_links(world.users["admin"], staff),
    )
    return world


def _links(admin: User, staff: User) -> dict[str, str]:
    """The pages that open from a mailed link: rule -> a valid token."""
    unconfirmed = signed("individual", email="later@example.org", confirmed=False)
    confirmed = signed("individual", email="amina@example.org")
    invited = invite_user(actor=admin, email="invited@example.org", role="coordinator")
    follower = subscriber("follower@example.org", follows=["MEX"])
    pending = subscriber("pending@example.org", confirmed=False)
    official = EndorsementFactory(email="official@example.org")
    db.session.commit()
    confirm = pledge_tokens.make_token(pledge_tokens.CONFIRM, unconfirmed.id)
    preferences = subscription_tokens.make_token(subscription_tokens.PREFERENCES, follower.id)
    return {
        "/pledge/confirm/<token>": confirm,
        "/pledge/resend/<token>": confirm,
        "/pledge/manage/<token>": pledge_tokens.make_token(pledge_tokens.MANAGE, confirmed.id),
        "/account/invitation/<token>": account_tokens.make_token(
            account_tokens.INVITE, invited.id, invited.credential_fingerprint()
        ),
        "/account/reset/<token>": account_tokens.make_token(
            account_tokens.RESET, staff.id, staff.credential_fingerprint()
        ),
        "/subscriptions/confirm/<token>": subscription_tokens.make_token(
            subscription_tokens.CONFIRM, pending.id
        ),
        "/subscriptions/preferences/<token>": preferences,
        "/subscriptions/unsubscribe/<token>": preferences,
        "/endorsement/confirm/<token>": endorsement_tokens.make_token(
            endorsement_tokens.CONFIRM, official.id
        ),
        "/endorsement/resend/<token>": endorsement_tokens.make_token(
            endorsement_tokens.CONFIRM, official.id
        ),
        "/endorsement/manage/<token>": endorsement_tokens.make_token(
            endorsement_tokens.MANAGE, official.id
        ),
    }


def get_rules(app: Flask, method: str = "GET") -> Iterator[str]:
    """Every route's rule that answers *method*."""
    for rule in app.url_map.iter_rules():
        if method in (rule.methods or set()):
            yield rule.rule


def fill(rule: str, values: dict[str, object]) -> str:
    """*rule* with each `<converter:name>` replaced by its value (by rule, then by name)."""
    path = rule
    for argument in _arguments(rule):
        name = argument.split(":")[-1]
        value = values.get(rule) if name == "token" else values.get(name)
        assert value is not None, f"no value for <{argument}> in {rule}: add one to build_world"
        path = path.replace(f"<{argument}>", str(value))
    return path


def _arguments(rule: str) -> list[str]:
    return [part.split(">", 1)[0] for part in rule.split("<")[1:]]


def paths(app: Flask, values: dict[str, object]) -> list[str]:
    """The path of every HTML page: one per GET route, its variants, and the 404 page."""
    found: list[str] = []
    for rule in get_rules(app):
        if rule in NOT_HTML:
            continue
        found.append(fill(rule, values))
        found += VARIANTS.get(rule, [])
    return [*sorted(set(found)), NOT_FOUND]


def post_paths(app: Flask, values: dict[str, object]) -> list[str]:
    """Where every form posts to."""
    return sorted({fill(rule, values) for rule in get_rules(app, "POST")})


def localised(path: str, code: str) -> str:
    return path if code == "en" else f"/{code}{path}"
