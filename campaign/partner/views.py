"""Portal pages for partner users: their own organisation's work only."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from campaign.accounts.policy import role_required
from campaign.partner import bp


@bp.get("/")
@role_required("partner")
def index() -> str:
    return render_template("partner/index.html", organisation=current_user.organisation)
