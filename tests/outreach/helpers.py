"""Shared pieces of the outreach view tests: a coordinator's client, valid forms, counts."""

from __future__ import annotations

import datetime as dt

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from campaign.audit.models import AuditEvent
from campaign.extensions import db
from campaign.outreach.models import OutreachTask, TaskUpdate
from tests.support.forms import submit
from tests.support.rows import count

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
    """Post the form for *path* on *form_path* (default: *path*), as a browser would, with
    *data* filled in."""
    return submit(client, path, data, form_path)


def written() -> tuple[int, int, int]:
    """How many tasks, thread entries and audit events exist: unchanged when nothing is written."""
    db.session.expire_all()
    return count(OutreachTask), count(TaskUpdate), count(AuditEvent)


def reload(task_id: int) -> OutreachTask:
    db.session.expire_all()
    task = db.session.get(OutreachTask, task_id)
    assert task is not None
    return task
