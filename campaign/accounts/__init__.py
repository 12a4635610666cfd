"""Accounts: logging in and out, and the users behind the back office and the portal."""

from flask import Blueprint

bp = Blueprint("accounts", __name__, url_prefix="/account")

from campaign.accounts import views  # noqa: E402,F401
