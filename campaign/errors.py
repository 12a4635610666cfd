"""Domain errors, and the handlers that turn errors into responses."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response


class DomainError(Exception):
    """A rule of the campaign was broken; the message is fit to show a user."""


class NotPermitted(DomainError):
    """The current user may not do this."""


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str | Response, int]:
        message = (
            "Your form expired or was sent from elsewhere. Please reload the page and try again."
        )
        if _wants_json():
            return jsonify(error=message), 400
        return render_template("errors/error.html", code=400, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str | Response, int]:
        code = error.code or 500
        message = error.description or error.name
        if code == 429:
            message = "Too many attempts. Please wait a little and try again."
        if _wants_json():
            return jsonify(error=message), code
        return render_template("errors/error.html", code=code, message=message), code
