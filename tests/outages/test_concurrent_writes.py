"""Web, worker and beat write to one database at once: nobody meets "database is locked"."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from sqlalchemy import func, select

from campaign.audit.models import AuditEvent
from campaign.extensions import db
from campaign.pledges.models import PledgeCounter
from tests.support.worker import ROOT
from tests.support.writer import SCOPE

ROUNDS = 150


def test_two_processes_writing_at_once_lose_nothing(
    committed: Any, service_env: dict[str, str]
) -> None:
    db.session.add(PledgeCounter(scope=SCOPE[0], kind=SCOPE[1], online=0))
    db.session.commit()
    env = {**os.environ, **service_env, "CAMPAIGN_ENV": "test"}
    writers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.support.writer", label, str(ROUNDS)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for label in ("web", "worker")
    ]
    outputs = [writer.communicate(timeout=300) for writer in writers]
    for writer, (out, err) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0 and "done" in out, err[-3000:]
    db.session.expire_all()
    events = select(func.count()).where(AuditEvent.action == "test.concurrent_write")
    assert db.session.scalar(events) == 2 * ROUNDS
    assert db.session.get(PledgeCounter, SCOPE).online == 2 * ROUNDS  # type: ignore[union-attr]
