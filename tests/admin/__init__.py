"""Tests of the back office."""

from __future__ import annotations

from sqlalchemy import select

from campaign.audit.models import AuditEvent
from campaign.extensions import db


def audit_events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).filter_by(action=action)))
