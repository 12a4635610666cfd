"""Domain errors, and the handlers that turn errors into responses.

Error pages speak the language of the page; JSON errors (the API) stay in English.
"""

from __future__ import annotations

import logging

from flask import Flask, g, jsonify, render_template, request
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError, default_exceptions
from werkzeug.wrappers import Response

from campaign.db import DATABASE_UNAVAILABLE, describe_outage
from campaign.extensions import db, login_manager

log = logging.getLogger(__name__)
# How long a reader is asked to wait while the database cannot be reached.
RETRY_AFTER_SECONDS = 60

# Werkzeug's own descriptions, word for word, so that they can be translated on error pages.
DESCRIPTIONS: dict[int, LazyString] = {
    400: _l("The browser (or proxy) sent a request that this server could not understand."),
    401: _l(
        "The server could not verify that you are authorized to access the URL requested. You"
        " either supplied the wrong credentials (e.g. a bad password), or your browser doesn't"
        " understand how to supply the credentials required."
    ),
    403: _l(
        "You don't have the permission to access the requested resource. It is either"
        " read-protected or not readable by the server."
    ),
    404: _l(
        "The requested URL was not found on the server. If you entered the URL manually please"
        " check your spelling and try again."
    ),
    405: _l("The method is not allowed for the requested URL."),
    409: _l(
        "A conflict happened while processing the request. The resource might have been"
        " modified while the request was being processed."
    ),
    410: _l(
        "The requested URL is no longer available on this server and there is no forwarding"
        " address. If you followed a link from a foreign page, please contact the author of"
        " this page."
    ),
    413: _l("The data value transmitted exceeds the capacity limit."),
    414: _l(
        "The length of the requested URL exceeds the capacity limit for this server. The"
        " request cannot be processed."
    ),
    415: _l("The server does not support the media type transmitted in the request."),
    500: _l(
        "The server encountered an internal error and was unable to complete your request."
        " Either the server is overloaded or there is an error in the application."
    ),
    503: _l(
        "The server is temporarily unable to service your request due to maintenance downtime"
        " or capacity problems. Please try again later."
    ),
}
UNAVAILABLE = (
    "The database cannot be reached just now. Please try again in a minute; nothing you sent "
    "was lost or half-saved."
)
CSRF_MESSAGE = "Your form expired or was sent from elsewhere. Please reload the page and try again."
TOO_MANY = "Too many attempts. Please wait a little and try again."


class DomainError(Exception):
    """A rule of the campaign was broken; the message is fit to show a user."""


class NotPermitted(DomainError):
    """The current user may not do this."""


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _page_message(error: HTTPException) -> str:
    """What an error page says, in the page's language.

    A description given to abort() is already the caller's (translated) text; Werkzeug's
    default description is replaced by our translation of the same words.
    """
    code = error.code or 500
    if code == 429:
        return _("Too many attempts. Please wait a little and try again.")
    default = default_exceptions.get(code)
    if code in DESCRIPTIONS and (default is None or error.description == default.description):
        return str(DESCRIPTIONS[code])
    return error.description or error.name


PLAIN = {"Content-Type": "text/plain; charset=utf-8"}


def register_error_handlers(app: Flask) -> None:
    register_outage_handler(app)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str | Response, int]:
        # Flask-WTF's own reason ("The CSRF token is missing.") is never shown: this is.
        if _wants_json():
            return jsonify(error=CSRF_MESSAGE), 400
        message = _(
            "Your form expired or was sent from elsewhere. Please reload the page and try again."
        )
        return render_template("errors/error.html", code=400, message=message), 400

    @app.errorhandler(SecurityError)
    def untrusted_host(error: SecurityError) -> tuple[str, int, dict[str, str]]:
        # A Host that is not in TRUSTED_HOSTS: no URL can be built for it, so no page either.
        return "Bad Request: this site does not answer for that host.\n", 400, PLAIN

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str | Response, int, dict[str, str]]:
        code = error.code or 500
        # Keep what the error says beyond its body: Retry-After (429, 503), Allow (405).
        headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
        if _wants_json():
            message = TOO_MANY if code == 429 else (error.description or error.name)
            return jsonify(error=message), code, headers
        page = render_template("errors/error.html", code=code, message=_page_message(error))
        return page, code, headers


def register_outage_handler(app: Flask) -> None:
    """The database down (or locked past the busy timeout): 503 and Retry-After, one log line.

    The failed unit of work was never committed, so nothing of the request is stored.
    """

    def database_unavailable(error: Exception) -> tuple[str | Response, int, dict[str, str]]:
        log.warning("%s %s: 503, %s", request.method, request.path, describe_outage(error))
        try:
            db.session.rollback()
        except DATABASE_UNAVAILABLE:
            db.session().invalidate()
        if "_login_user" not in g:  # loading the user needs the database: show the page anyway
            g._login_user = login_manager.anonymous_user()
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
        if _wants_json():
            return jsonify(error=UNAVAILABLE), 503, headers
        message = _(
            "The database cannot be reached just now. Please try again in a minute; nothing you "
            "sent was lost or half-saved."
        )
        return render_template("errors/error.html", code=503, message=message), 503, headers

    for error_class in DATABASE_UNAVAILABLE:
        app.register_error_handler(error_class, database_unavailable)
