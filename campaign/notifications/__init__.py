"""Notifications: subscriptions, status-change alerts, Migrants Day reminders, digests."""

from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/subscriptions")

from campaign.notifications import views  # noqa: E402,F401
