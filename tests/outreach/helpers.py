"""Shared pieces of the outreach view tests: a coordinator's client, valid forms, counts."""

from __future__ import annotations

import datetime as dt

from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from campaign.audit.models import AuditEvent
from campaign.extensions import db
from campaign.outreach.models import OutreachTask, TaskUpdate
from tests.support.auth import csrf_from

DUE = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=30)).isoformat()


def task_form(organisation_id: int, **changes: str) -> dict[str, str]:
    return {
        "state": "BRA",
        "organisation": str(organisation_id),
        "kind": "letter",
        "title": "Letter to the Minister of Labour",
        "description": "Ask for a meeting before the budget debate.",
        "due_on": DUE,
        **changes,
    }


def post_form(
    client: FlaskClient, path: str, data: dict[str, str], form_path: str = ""
) -> TestResponse:
    """Post *data* to *path* with the CSRF token of the form on *form_path* (default: *path*)."""
    token = csrf_from(client, form_path or path)
    return client.post(path, data={"csrf_token": token, **data})


def written() -> tuple[int, int, int]:
    """How many tasks, thread entries and audit events exist: unchanged when nothing is written."""
    db.session.expire_all()
    return tuple(  # type: ignore[return-value]
        db.session.scalar(select(func.count()).select_from(model)) or 0
        for model in (OutreachTask, TaskUpdate, AuditEvent)
    )


def reload(task_id: int) -> OutreachTask:
    db.session.expire_all()
    task = db.session.get(OutreachTask, task_id)
    assert task is not None
    return task
