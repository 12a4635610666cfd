"""The audit log, for admins: who changed what, before and after; filtered and paginated."""

from __future__ import annotations

import datetime as dt

from flask import render_template, request
from sqlalchemy import select

from campaign.accounts.policy import role_required
from campaign.admin import bp
from campaign.audit.models import AuditEvent
from campaign.core.params import as_date, as_page, as_text
from campaign.extensions import db


def _date(name: str) -> dt.date | None:
    return as_date(request.args.get(name))


@bp.get("/audit")
@role_required("admin")
def audit() -> str:
    query = select(AuditEvent).order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    actor = as_text(request.args.get("actor"), max_length=254)
    action = as_text(request.args.get("action"), max_length=60)
    entity = as_text(request.args.get("entity"), max_length=60)
    if actor:
        query = query.where(AuditEvent.actor_label.ilike(f"%{actor}%"))
    if action:
        query = query.where(AuditEvent.action.startswith(action, autoescape=True))
    if entity:
        query = query.where(AuditEvent.entity_type == entity)
    if since := _date("since"):
        query = query.where(AuditEvent.created_at >= dt.datetime.combine(since, dt.time(), dt.UTC))
    if until := _date("until"):
        end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), dt.UTC)
        query = query.where(AuditEvent.created_at < end)
    page = db.paginate(query, page=as_page(request.args.get("page")), per_page=50, error_out=False)
    filters = {
        "actor": actor,
        "action": action,
        "entity": entity,
        "since": request.args.get("since", ""),
        "until": request.args.get("until", ""),
    }
    return render_template("admin/audit.html", page=page, filters=filters)
