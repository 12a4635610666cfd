"""Pledge import job: the dry run or the run of one import, one committed batch at a time."""

from __future__ import annotations

import logging

from celery import shared_task

from campaign.core import jobs
from campaign.extensions import db
from campaign.pledges import imports
from campaign.pledges.import_files import FileRefused

log = logging.getLogger(__name__)


@shared_task(name=jobs.PLEDGE_IMPORT)
def pledge_import(import_id: int) -> str:
    """Work through the import's rows from where it stands; safe to run twice (a second run
    finds the first one's position, or is superseded by it) and after a crash (it resumes at
    the last committed batch)."""
    while True:
        try:
            more = imports.work_batch(import_id)
            db.session.commit()
        except imports.Superseded:
            db.session.rollback()
            return "superseded"
        except FileRefused as refusal:
            db.session.rollback()
            imports.fail(import_id=import_id, message=str(refusal))
            db.session.commit()
            return "failed"
        finally:
            db.session.expunge_all()  # each batch starts with an empty session: constant memory
        if not more:
            return "done"
