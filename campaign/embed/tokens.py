"""The embedded form's token: proof that a submission comes from a form this site served.

Flask-WTF's token lives in the session cookie, and a page framed on another site gets no
cookie (browsers block third-party cookies, and the session cookie is SameSite=Lax). The
embed sets no cookie at all; its form carries a signed, timed token instead, and the POST must
come from this site's own origin (the framed page; `Origin` and `Sec-Fetch-Site` say so).
Cross-site request forgery needs a credential the browser adds on its own; the embed has
none, so what remains is spam, which the pledge limits, the mail guard and dedupe already meet.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

SALT = "embed-form"
MAX_AGE_SECONDS = 2 * 3600


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def form_token(organisation_id: int | None) -> str:
    return _serializer().dumps({"o": organisation_id or 0, "n": secrets.token_urlsafe(8)})


def token_is_valid(token: object, organisation_id: int | None) -> bool:
    if not isinstance(token, str) or not token or len(token) > 200:
        return False
    try:
        data = _serializer().loads(token, max_age=MAX_AGE_SECONDS)
    except BadSignature:  # expired tokens are a subclass
        return False
    return isinstance(data, dict) and data.get("o") == (organisation_id or 0)


def from_this_site() -> bool:
    """The POST came from a page of this site (the framed form), as the browser tells it.

    `Sec-Fetch-Site` is the browser's own word on it. `Origin` is `null` on this site's own
    POSTs (its pages' Referrer-Policy is no-referrer), so only another site's origin counts
    against a submission."""
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    if origin is None or origin == "null":
        return True
    own = urlsplit(request.host_url)
    return origin == f"{own.scheme}://{own.netloc}"
