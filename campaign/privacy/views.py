"""/my-data/pledge/<token>.json|.csv and /my-data/subscription/<token>.json|.csv: everything
held about the address behind a manage link, for its owner to take away.

The token is the never-expiring manage link of a pledge or a subscription's preferences link,
the ones every mail carries; a forged, tampered or erased one is a 404. The downloads are
`no-store` and attachments.
"""

from __future__ import annotations

import json

from flask import abort
from werkzeug.wrappers import Response

from campaign.core.csv import csv_response
from campaign.extensions import db
from campaign.notifications import tokens as subscription_tokens
from campaign.notifications.models import Subscription
from campaign.pledges import tokens as pledge_tokens
from campaign.pledges.models import Pledge
from campaign.privacy import bp
from campaign.privacy.holdings import holdings, rows

FORMATS = ("json", "csv")


def _canonical(source: str, token: str) -> str:
    if source == "pledge":
        checked = pledge_tokens.read_token(pledge_tokens.MANAGE, token)
        pledge = db.session.get(Pledge, checked.pledge_id) if checked else None
        if pledge is None or pledge.erased_at is not None:
            abort(404)
        return pledge.email_canonical
    if source == "subscription":
        found = subscription_tokens.read_token(subscription_tokens.PREFERENCES, token)
        subscription = db.session.get(Subscription, found.subscription_id) if found else None
        if subscription is None:
            abort(404)
        return subscription.email_canonical
    abort(404)


@bp.get("/<source>/<token>.<fmt>")
def download(source: str, token: str, fmt: str) -> Response:
    if fmt not in FORMATS:
        abort(404)
    held = holdings(_canonical(source, token))
    if fmt == "csv":
        return csv_response("my-data.csv", ["section", "record", "field", "value"], rows(held))
    body = json.dumps(held, ensure_ascii=False, indent=2, sort_keys=True)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="my-data.json"'
    response.headers["Cache-Control"] = "no-store"
    return response
