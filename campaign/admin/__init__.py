"""The coordinators' back office, under /admin/."""

from flask import Blueprint

from campaign.admin.codes import code

bp = Blueprint("admin", __name__, url_prefix="/admin")
# Stored codes in the reader's language, for every template (the sync screens use it too).
bp.add_app_template_filter(code, "code")

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
