"""The back-office screen of the settings editable at run time (limits), under /admin/settings."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from campaign.accounts.policy import role_required
from campaign.admin import bp
from campaign.core.forms import form_errors
from campaign.errors import DomainError
from campaign.extensions import db
from campaign.settings.forms import SettingForm
from campaign.settings.services import SETTINGS, get_setting, set_setting


@bp.route("/settings", methods=["GET"], defaults={"key": None})
@bp.route("/settings/<key>", methods=["POST"])
@role_required("admin")
def settings(key: str | None) -> str | Response | tuple[str, int]:
    form = SettingForm()
    error = None
    if key is not None:
        if key not in SETTINGS:
            abort(404)
        if form.validate_on_submit():
            try:
                set_setting(key=key, value=form.value.data or "", actor=current_user)
            except DomainError as exc:
                db.session.rollback()
                error = str(exc)
            else:
                db.session.commit()
                flash(_("Setting saved."))
                return redirect(url_for("admin.settings"))
        else:
            error = form_errors(form)
    values = {name: get_setting(name) for name in SETTINGS}
    return render_template(
        "admin/settings.html",
        settings=SETTINGS,
        values=values,
        form=form,
        error=error,
        failed_key=key,
    ), (400 if error else 200)
