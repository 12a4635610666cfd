"""The headers every response carries, and the hosts the site answers for.

Flask-Talisman sets the Content-Security-Policy (the site's own scripts, styles, images and
forms only; no inline script or style; no framing), X-Content-Type-Options, Referrer-Policy,
Permissions-Policy, X-Frame-Options and, in production, Strict-Transport-Security. Pages that
belong to one person (the back office, the portal, account pages, a page opened from a mailed
token, anything shown to someone logged in) are `Cache-Control: no-store`. Flask's own
TRUSTED_HOSTS check refuses a request for any other Host with 400, so a forged Host header never
reaches a link or a redirect.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import flask_talisman
from flask import Flask, current_app, g, request
from flask_login import current_user
from werkzeug.datastructures import Headers
from werkzeug.wrappers import Response

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "object-src": "'none'",
}
PERMISSIONS = {
    feature: "()"
    for feature in (
        "browsing-topics",
        "camera",
        "geolocation",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
    )
}
PRIVATE_PREFIXES = ("/admin", "/partner", "/account")
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


class Talisman(flask_talisman.Talisman):
    """Flask-Talisman, its headers worked out once per view, not on every request.

    Talisman reads a view's options four times a request and joins the policies again each
    time: a twentieth of a pledge's time in the profile. Without nonces, a view's headers are
    the same on every response but Strict-Transport-Security (it depends on the request's
    scheme), so they are kept per endpoint, as Talisman itself wrote them. A view given options
    of its own (Talisman's decorator), or any view when nonces are on, is left to Talisman on
    every request."""

    def init_app(self, app: Flask, **options: Any) -> None:
        super().init_app(app, **options)
        self.kept: dict[str | None, list[tuple[str, str]]] = {}
        if self.session_cookie_secure and not app.debug:
            app.config["SESSION_COOKIE_SECURE"] = True  # Talisman sets it on every request

    def _same_every_time(self) -> bool:
        """No nonce, and the view has no options of its own."""
        if self.content_security_policy_nonce_in:
            return False
        view = current_app.view_functions.get(request.endpoint or "")
        return not hasattr(view, "talisman_view_options")

    def _force_https(self) -> Any:
        if self.force_https or not self._same_every_time():
            return super()._force_https()
        return None

    def _make_nonce(self) -> None:
        if not self._same_every_time():
            super()._make_nonce()

    def _set_response_headers(self, response: Response) -> Response:
        if not self._same_every_time():
            return super()._set_response_headers(response)
        headers = self.kept.get(request.endpoint)
        if headers is None:
            written = Headers()
            options = self._get_local_options()
            self._set_feature_policy_headers(written, options)
            self._set_permissions_policy_headers(written, options)
            self._set_document_policy_headers(written, options)
            self._set_frame_options_headers(written, options)
            self._set_content_security_policy_headers(written, options)
            self._set_referrer_policy_headers(written)
            headers = self.kept[request.endpoint] = list(written.items())
        for name, value in headers:
            response.headers[name] = value
        if self.strict_transport_security:
            self._set_hsts_headers(response.headers)
        return response


def trusted_hosts(app: Flask) -> list[str]:
    """TRUSTED_HOSTS as set (a list, or a comma-separated string), else SITE_URL's host, and
    outside production the machine's own names too (`make run`, the test client)."""
    configured = app.config.get("TRUSTED_HOSTS")
    if isinstance(configured, str):
        configured = [host.strip() for host in configured.split(",") if host.strip()]
    if configured:
        return list(configured)
    hosts = [urlsplit(str(app.config["SITE_URL"])).hostname or "localhost"]
    if app.config.get("ENV_NAME") != "production":
        hosts += [host for host in LOCAL_HOSTS if host not in hosts]
    return hosts


def talisman_options(app: Flask) -> dict[str, Any]:
    production = app.config.get("ENV_NAME") == "production"
    return {
        "force_https": False,  # the proxy in front redirects; HSTS keeps browsers on https
        "strict_transport_security": production,
        "strict_transport_security_include_subdomains": False,
        "content_security_policy": CSP,
        "frame_options": "DENY",
        "referrer_policy": "no-referrer",
        "permissions_policy": PERMISSIONS,
        "session_cookie_secure": bool(app.config.get("SESSION_COOKIE_SECURE", False)),
        "session_cookie_http_only": True,
        "session_cookie_samesite": str(app.config.get("SESSION_COOKIE_SAMESITE", "Lax")),
    }


def init_security(app: Flask) -> None:
    app.config["TRUSTED_HOSTS"] = trusted_hosts(app)
    # Registered before Talisman's own: after-request functions run last-registered first,
    # so this one sees (and narrows) the headers Talisman has set.
    app.after_request(frame_only_where_allowed)
    Talisman().init_app(app, **talisman_options(app))
    app.after_request(no_store_private_pages)


def allow_framing_by(origins: list[str]) -> None:
    """Let this response be framed by *origins* (an embeddable page: campaign/embed/); an
    empty list keeps it unframeable. Every other response stays `frame-ancestors 'none'`."""
    g.frame_ancestors = list(origins)


_FRAME_ANCESTORS = re.compile(r"frame-ancestors [^;]*")


def frame_only_where_allowed(response: Response) -> Response:
    origins = g.get("frame_ancestors")
    if not origins:
        return response
    policy = response.headers.get("Content-Security-Policy", "")
    allowed = "frame-ancestors " + " ".join(origins)
    response.headers["Content-Security-Policy"] = _FRAME_ANCESTORS.sub(allowed, policy)
    response.headers.pop("X-Frame-Options", None)  # DENY would win in older browsers
    return response


def private_page() -> bool:
    """A page for one person: the back office, the portal, an account page, a page opened with
    a token from a mail, or any page shown to someone logged in."""
    if request.path.startswith(PRIVATE_PREFIXES) or any(
        "token" in name for name in (request.view_args or {})
    ):
        return True
    return bool(getattr(current_user, "is_authenticated", False))


def no_store_private_pages(response: Response) -> Response:
    if private_page():
        response.headers["Cache-Control"] = "no-store"
        response.headers.setdefault("Pragma", "no-cache")
    return response
