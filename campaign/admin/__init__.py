"""The coordinators' back office, under /admin/."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from campaign.admin import (  # noqa: E402,F401
    audit,
    exports,
    organisations,
    outbox,
    outreach,
    pledges,
    states,
    users,
    views,
)
