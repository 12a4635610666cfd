"""Back office for users: coordinators invite; admins list users, change roles, deactivate."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from campaign.accounts import invitations, services
from campaign.accounts.forms import ROLE_LABELS, InviteForm, RoleForm
from campaign.accounts.models import ROLES, User
from campaign.accounts.policy import invitable_roles, role_required
from campaign.admin import bp
from campaign.core.forms import CampaignForm
from campaign.core.params import as_text
from campaign.errors import DomainError, NotPermitted
from campaign.extensions import db
from campaign.organisations.models import Organisation

# What a (de)activation says, by (active, changed): whole sentences, for translation.
_ACTIVE_MESSAGES = {
    (True, True): _l("%(email)s is reactivated."),
    (True, False): _l("%(email)s was already reactivated."),
    (False, True): _l("%(email)s is deactivated."),
    (False, False): _l("%(email)s was already deactivated."),
}


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _organisation_choices() -> list[tuple[str, str]]:
    """Organisations a partner may belong to: merged duplicates are left out."""
    query = select(Organisation).where(Organisation.merged_into_id.is_(None))
    return [(str(o.id), o.name) for o in db.session.scalars(query.order_by(Organisation.name))]


def _show_error(form: RoleForm, error: DomainError) -> None:
    field = getattr(error, "field", "role")
    target = form._fields.get(field, form.role)
    target.errors = [str(error)]


@bp.get("/users")
@role_required("admin")
def users() -> str:
    role = request.args.get("role", "")
    search = as_text(request.args.get("q"), max_length=100)
    query = select(User).options(joinedload(User.organisation)).order_by(User.email)
    if role in ROLES:
        query = query.where(User.role == role)
    if search:
        query = query.where(User.email.ilike(f"%{search}%") | User.name.ilike(f"%{search}%"))
    return render_template(
        "admin/users/list.html",
        users=list(db.session.scalars(query)),
        role=role,
        q=search,
        role_labels=ROLE_LABELS,
    )


def _detail(user: User, code: int = 200, role_form: RoleForm | None = None) -> tuple[str, int]:
    if role_form is None:
        role_form = RoleForm(formdata=None, obj=user)
        role_form.organisation.data = str(user.organisation_id or "")
    role_form.set_choices(ROLES, _organisation_choices())
    return render_template(
        "admin/users/detail.html",
        user=user,
        role_form=role_form,
        action_form=CampaignForm(formdata=None),
        is_self=user.id == current_user.id,
        role_labels=ROLE_LABELS,
    ), code


@bp.get("/users/<int:user_id>")
@role_required("admin")
def user(user_id: int) -> tuple[str, int]:
    return _detail(_user(user_id))


@bp.post("/users/<int:user_id>/role")
@role_required("admin")
def user_role(user_id: int) -> Response | tuple[str, int]:
    subject = _user(user_id)
    form = RoleForm()
    form.set_choices(ROLES, _organisation_choices())
    if not form.validate_on_submit():
        return _detail(subject, 400, form)
    try:
        changed = services.change_role(
            actor=current_user,
            user=subject,
            role=form.role.data or "",
            organisation_id=form.organisation_id(),
        )
    except DomainError as error:
        db.session.rollback()
        _show_error(form, error)
        return _detail(_user(user_id), 400, form)
    db.session.commit()
    flash(_("Role saved.") if changed else _("Nothing to change."))
    return redirect(url_for("admin.user", user_id=user_id))


@bp.post("/users/<int:user_id>/deactivate", defaults={"active": False})
@bp.post("/users/<int:user_id>/reactivate", defaults={"active": True})
@role_required("admin")
def user_active(user_id: int, active: bool) -> Response | tuple[str, int]:
    subject = _user(user_id)
    try:
        changed = services.set_active(actor=current_user, user=subject, active=active)
    except DomainError as error:
        db.session.rollback()
        abort(400, str(error))
    db.session.commit()
    flash(_ACTIVE_MESSAGES[active, changed] % {"email": subject.email})
    return redirect(url_for("admin.user", user_id=user_id))


def _invite_page(form: InviteForm, code: int, pending: int | None = None) -> tuple[str, int]:
    return render_template("admin/users/invite.html", form=form, pending=pending), code


@bp.route("/users/invite", methods=["GET", "POST"])
@role_required("coordinator")
def invite_user() -> Response | tuple[str, int]:
    form = InviteForm()
    form.set_choices(invitable_roles(current_user), _organisation_choices())
    if not form.validate_on_submit():
        return _invite_page(form, 400 if form.is_submitted() else 200)
    try:
        invited = invitations.invite_user(
            actor=current_user,
            email=form.email.data or "",
            role=form.role.data or "",
            name=form.name.data or "",
            organisation_id=form.organisation_id(),
        )
    except invitations.AlreadyInvited as error:
        db.session.rollback()
        _show_error(form, error)
        return _invite_page(form, 400, pending=error.user_id)
    except DomainError as error:
        db.session.rollback()
        _show_error(form, error)
        return _invite_page(form, 400)
    db.session.commit()
    flash(_("Invitation sent to %(email)s.", email=invited.email))
    return redirect(url_for("admin.invite_user"))


@bp.post("/users/<int:user_id>/reinvite")
@role_required("coordinator")
def reinvite_user(user_id: int) -> Response:
    subject = _user(user_id)
    try:
        sent = invitations.resend_invitation(actor=current_user, user=subject)
    except NotPermitted:
        db.session.rollback()
        abort(403)
    except DomainError as error:
        db.session.rollback()
        abort(400, str(error))
    db.session.commit()
    if sent:
        flash(_("Invitation sent again to %(email)s.", email=subject.email))
    else:
        flash(_("An invitation went out a moment ago: wait a few minutes before sending another."))
    admin = current_user.role == "admin"
    return redirect(
        url_for("admin.user", user_id=user_id) if admin else url_for("admin.invite_user")
    )
