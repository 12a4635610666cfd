"""POST /mail/bounces: bounce events from a mail provider that posts them as JSON.

Authenticated by `Authorization: Bearer <MAIL_BOUNCE_WEBHOOK_TOKEN>` (no token set: 404). The
body is `{"events": [{"id": "...", "email": "...", "type": "hard"|"soft", "detail": "..."}]}`;
every event is checked before any is recorded, so a bad one refuses the whole post (400,
nothing written). Each event id counts once: a provider retrying a delivery changes nothing.
"""

from __future__ import annotations

import hmac
from typing import Any

from flask import Blueprint, abort, current_app, jsonify, request
from werkzeug.wrappers import Response

from campaign.core.addresses import InvalidEmail, normalise_email
from campaign.extensions import csrf, db
from campaign.mail import suppression
from campaign.notifications.services import record_bounce

bp = Blueprint("mail", __name__, url_prefix="/mail")
MAX_EVENTS = 1000
MAX_BODY = 1_000_000


def _authorised() -> bool:
    token = current_app.config.get("MAIL_BOUNCE_WEBHOOK_TOKEN")
    if not token:
        abort(404)
    given = request.headers.get("Authorization", "")
    return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


def _refuse(message: str, code: int = 400) -> tuple[Response, int]:
    return jsonify(error=message), code


def _event(value: Any, number: int) -> tuple[str, str, str, str]:
    """(id, address, kind, detail) of event *number*; ValueError saying what is wrong."""
    if not isinstance(value, dict):
        raise ValueError(f"event {number} is not an object")
    event_id, email, kind, detail = (value.get(k) for k in ("id", "email", "type", "detail"))
    if not isinstance(event_id, str) or not 0 < len(event_id) <= 150 or not event_id.isprintable():
        raise ValueError(f"event {number}: id must be a string of 1 to 150 printable characters")
    if kind not in suppression.KINDS:
        raise ValueError(f"event {number}: type must be 'hard' or 'soft'")
    if not isinstance(email, str) or len(email) > 254:
        raise ValueError(f"event {number}: email must be an address")
    try:
        address = normalise_email(email)
    except InvalidEmail as error:
        raise ValueError(f"event {number}: email is not valid ({error})") from error
    if detail is not None and not isinstance(detail, str):
        raise ValueError(f"event {number}: detail must be a string")
    return event_id, address, str(kind), (detail or "")[:2000]


@bp.post("/bounces")
@csrf.exempt  # a provider posts with a token, not a session
def bounces() -> tuple[Response, int]:
    if not _authorised():
        return _refuse("a valid bearer token is required", 401)
    if (request.content_length or 0) > MAX_BODY:
        return _refuse("the body is too large", 413)
    body = request.get_json(silent=True)
    events = body.get("events") if isinstance(body, dict) else None
    if not isinstance(events, list) or not 0 < len(events) <= MAX_EVENTS:
        return _refuse(f'send {{"events": [...]}} with 1 to {MAX_EVENTS} events')
    try:
        checked = [_event(value, number) for number, value in enumerate(events, 1)]
    except ValueError as error:
        return _refuse(str(error))
    recorded = 0
    for event_id, address, kind, detail in checked:
        if suppression.record_bounce_report(
            address=address,
            kind=kind,
            source="webhook",
            report_key=f"webhook:{event_id}",
            detail=detail or f"{kind} bounce reported by the provider",
        ):
            recorded += 1
            if kind == "hard":
                record_bounce(address=address)
    db.session.commit()
    return jsonify(recorded=recorded, seen_before=len(checked) - recorded), 200
