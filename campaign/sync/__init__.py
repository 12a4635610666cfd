"""Treaty status sync from the UN Treaty Collection, reviewed by coordinators under /admin/sync."""

from flask import Blueprint

bp = Blueprint("sync", __name__, url_prefix="/admin/sync")

from campaign.sync import views  # noqa: E402,F401
