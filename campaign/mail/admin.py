"""The outbox for coordinators: what is queued, sent, failed or bounced; retry; resume digests."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from campaign.accounts.policy import role_required
from campaign.admin import bp
from campaign.audit.services import record_event
from campaign.core.addresses import matching_key
from campaign.core.forms import CampaignForm
from campaign.core.params import as_page
from campaign.extensions import db
from campaign.i18n.codes import code
from campaign.mail import held, suppression
from campaign.mail import services as outbox_services
from campaign.mail.models import OUTBOX_STATUSES, BounceReport, OutboundEmail, Suppression
from campaign.notifications import digests
from campaign.notifications.models import Digest
from campaign.notifications.services import clear_bounce


class OutboxActionForm(CampaignForm):
    """A button: the CSRF token is its only field."""


@bp.get("/outbox")
@role_required("coordinator")
def outbox() -> str:
    status = request.args.get("status")
    query = select(OutboundEmail).order_by(OutboundEmail.id.desc())
    if status in OUTBOX_STATUSES:
        query = query.filter_by(status=status)
    else:
        status = None
    return render_template(
        "admin/outbox.html",
        page=db.paginate(
            query, page=as_page(request.args.get("page")), per_page=50, error_out=False
        ),
        status=status,
        counts=outbox_services.status_counts(),
        paused=digests.paused_digests(),
        retryable=outbox_services.RETRYABLE,
        form=OutboxActionForm(),
    )


@bp.get("/outbox/held")
@role_required("coordinator")
def held_mail() -> str:
    """Mail held because one client asked for mail to too many new addresses, by client."""
    return render_template(
        "admin/outbox_held.html", groups=held.held_groups(), form=OutboxActionForm()
    )


@bp.post("/outbox/held/<group>/release", defaults={"action": "release"})
@bp.post("/outbox/held/<group>/discard", defaults={"action": "discard"})
@role_required("coordinator")
def settle_held(group: str, action: str) -> Response:
    form = OutboxActionForm()
    if not form.validate_on_submit():
        abort(400)
    count = held.settle_group(group=group[:40], release=action == "release", actor=current_user)
    if count == 0:
        abort(404)
    db.session.commit()
    if action == "release":
        flash(_("%(count)s held messages are being sent.", count=count))
    else:
        flash(_("%(count)s held messages were discarded.", count=count))
    return redirect(url_for("admin.held_mail"))


@bp.get("/outbox/<int:message_id>")
@role_required("coordinator")
def outbox_message(message_id: int) -> str:
    """One message: the headers it went out with, and every bounce that came back for it or
    its address."""
    message = db.session.get(OutboundEmail, message_id)
    if message is None:
        abort(404)
    key = matching_key(message.to_address)
    reports = db.session.scalars(
        select(BounceReport)
        .where((BounceReport.outbox_id == message.id) | (BounceReport.address_key == key))
        .order_by(BounceReport.received_at.desc(), BounceReport.id.desc())
        .limit(100)
    ).all()
    return render_template(
        "admin/outbox_message.html",
        message=message,
        reports=reports,
        suppression=db.session.get(Suppression, key),
        retryable=outbox_services.RETRYABLE,
        form=OutboxActionForm(),
    )


@bp.post("/outbox/<int:message_id>/retry")
@role_required("coordinator")
def retry_message(message_id: int) -> Response:
    message = db.session.get(OutboundEmail, message_id)
    if message is None:
        abort(404)
    before, suppressed = message.status, message.last_error == suppression.SUPPRESSED
    if not outbox_services.requeue(message):
        abort(409, _("A %(status)s message cannot be retried.", status=code(before, "outbox")))
    if before == "bounced" or suppressed:
        clear_bounce(address=message.to_address)  # the coordinator vouches for the address
        suppression.lift(message.to_address)
    record_event(
        actor=current_user,
        action="outbox.retried",
        entity_type="outbound_email",
        entity_id=message.id,
        before={"status": before, "last_error": message.last_error},
        after={"status": "queued"},
    )
    db.session.commit()
    flash(_("Message to %(address)s queued again.", address=message.to_address))
    if request.args.get("back") == "message":
        return redirect(url_for("admin.outbox_message", message_id=message.id))
    return redirect(url_for("admin.outbox", status=request.args.get("status")))


@bp.post("/outbox/digests/<int:digest_id>/resume")
@role_required("coordinator")
def resume_digest(digest_id: int) -> Response:
    digest = db.session.get(Digest, digest_id)
    if digest is None or digest.paused_at is None:
        abort(404)
    reason = digest.pause_reason
    digests.resume(digest=digest)
    record_event(
        actor=current_user,
        action="digest.resumed",
        entity_type="digest",
        entity_id=digest.id,
        before={"paused": reason},
    )
    db.session.commit()
    flash(
        _(
            "The %(kind)s digest of %(day)s is sending again.",
            kind=code(digest.kind, "digest"),
            day=digest.starts_on.isoformat(),
        )
    )
    return redirect(url_for("admin.outbox"))
