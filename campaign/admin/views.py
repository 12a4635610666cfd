"""Back-office pages for coordinators and admins."""

from __future__ import annotations

from flask import render_template

from campaign.accounts.policy import role_required
from campaign.admin import bp


@bp.get("/")
@role_required("coordinator")
def index() -> str:
    return render_template("admin/index.html")
