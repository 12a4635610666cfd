"""The world the fuzz runs in: the shared world of every role, plus valid tokens for the
pages behind mailed links, and the real values to fill each path parameter with."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from argon2 import PasswordHasher
from flask import Flask
from werkzeug.routing import MapAdapter

from campaign.accounts import tokens as account_tokens
from campaign.accounts.invitations import invite_user
from campaign.accounts.models import User
from campaign.endorsements import tokens as endorsement_tokens
from campaign.extensions import db
from campaign.notifications import tokens as subscription_tokens
from campaign.pledges import tokens as pledge_tokens
from campaign.states.models import REGIONS
from tests.factories import EndorsementFactory
from tests.fuzz.catalogue import Route, routes
from tests.fuzz.strategies import FuzzRequest
from tests.notifications.helpers import subscriber
from tests.pledges.helpers import signed
from tests.support.world import World, build_world

OWN_USER = re.compile(r"/admin/users/([0-9]+)/")
ROLES = ("anonymous", "partner", "coordinator", "admin")
USER_OF_ROLE = {"partner": "partner_a", "coordinator": "coordinator", "admin": "admin"}


@dataclass
class Target:
    world: World
    routes: list[Route]
    by_name: dict[str, list[str]]  # path parameter -> real values, the best first
    by_rule: dict[str, dict[str, list[str]]]  # rule -> parameter -> real values, first
    real: list[str]  # every real id and code, for form fields and query arguments
    adapter: MapAdapter  # the URL map, to match a form's action to its rule

    def values(self, route: Route, name: str) -> Sequence[str]:
        return self.by_rule.get(route.rule, {}).get(name) or self.by_name.get(name, [])

    def user(self, role: str) -> User | None:
        return self.world.users[USER_OF_ROLE[role]] if role in USER_OF_ROLE else None


def cheap_hasher() -> PasswordHasher:
    """The cheapest argon2, for the fuzz: it is about input, and every login attempt would
    otherwise cost a real verification (most of a run's time)."""
    return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def _tokens(world: World) -> dict[str, dict[str, list[str]]]:
    """A valid token for every mailed-link route (and the supporter's data they lead to).
    The reset link is partner B's, never a fuzzed role's own: a fuzzed password change must
    not log its client out."""
    unconfirmed = signed("individual", email="fuzz.later@example.org", confirmed=False)
    confirmed = signed("individual", email="fuzz.amina@example.org")
    invited = invite_user(
        actor=world.users["admin"], email="fuzz.invited@example.org", role="coordinator"
    )
    follower = subscriber("fuzz.follower@example.org", follows=["MEX"])
    pending = subscriber("fuzz.pending@example.org", confirmed=False)
    official = EndorsementFactory(email="fuzz.official@example.org")
    db.session.commit()
    other = world.users["partner_b"]
    confirm = pledge_tokens.make_token(pledge_tokens.CONFIRM, unconfirmed.id)
    preferences = subscription_tokens.make_token(subscription_tokens.PREFERENCES, follower.id)
    invite = account_tokens.make_token(
        account_tokens.INVITE, invited.id, invited.credential_fingerprint()
    )
    reset = account_tokens.make_token(
        account_tokens.RESET, other.id, other.credential_fingerprint()
    )
    pending_token = subscription_tokens.make_token(subscription_tokens.CONFIRM, pending.id)
    manage = pledge_tokens.make_token(pledge_tokens.MANAGE, confirmed.id)
    endorsed = endorsement_tokens.make_token(endorsement_tokens.CONFIRM, official.id)
    links = {
        "/pledge/confirm/<token>": confirm,
        "/pledge/resend/<token>": confirm,
        "/pledge/manage/<token>": manage,
        "/account/invitation/<token>": invite,
        "/account/reset/<token>": reset,
        "/subscriptions/confirm/<token>": pending_token,
        "/subscriptions/preferences/<token>": preferences,
        "/subscriptions/unsubscribe/<token>": preferences,
        "/endorsement/confirm/<token>": endorsed,
        "/endorsement/resend/<token>": endorsed,
        "/endorsement/manage/<token>": endorsement_tokens.make_token(
            endorsement_tokens.MANAGE, official.id
        ),
    }
    found = {rule: {"token": [token]} for rule, token in links.items()}
    found["/my-data/<source>/<token>.<fmt>"] = {
        "source": ["pledge", "subscription"],
        "token": [manage, preferences],
        "fmt": ["json", "csv"],
    }
    return found


def build_target(app: Flask) -> Target:
    """Build the world (committed, inside whatever transaction the caller holds)."""
    world = build_world()
    by_rule = _tokens(world)
    for rule, values in world.by_rule.items():
        by_rule[rule] = {name: [str(value)] for name, value in values.items()}
    by_name: dict[str, list[str]] = {name: [str(v)] for name, v in world.values.items()}
    by_name["iso3"] += ["NPL", "ZWE", "mex"]
    by_name["region"] = list(REGIONS)
    by_name["name"] += ["organisations", "partnerships", "nothing"]
    by_name["key"] += ["pledge_limit_sustained", "nothing"]
    by_name["user_id"] = [str(user.id) for user in world.users.values()]
    by_name["organisation_id"] += [str(world.b.id)]
    by_name["kind"] = ["individual", "organisation"]  # the OSDI petitions
    by_name["person_id"] = by_name["signature_id"] = by_name["pledge_id"]
    real = sorted({value for values in by_name.values() for value in values})
    return Target(world, routes(app), by_name, by_rule, real, app.url_map.bind("localhost"))


def keeps_session(request: FuzzRequest, role: str, target: Target) -> bool:
    """False for the requests that would end the fuzzed role's session: logging out, and
    the admin deactivating themself or changing their own role. (Anything else that changes
    who is logged in, such as accepting the invitation, is undone by logging back in.)"""
    route = request.route
    if route.method != "POST" or role == "anonymous":
        return True
    if route.endpoint == "accounts.logout":
        return False
    user = target.user(role)
    found = OWN_USER.search(request.path)
    own = user is not None and found is not None and int(found.group(1)) == user.id
    return not (
        role == "admin" and route.endpoint in ("admin.user_active", "admin.user_role") and own
    )
