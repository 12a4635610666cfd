"""The run (the job's function in this process): pledges created as the dry run said, marked
as imported and linked to the import, counted without mail or mailed when chosen; safe to run
twice, resumed after a crash at the last committed batch; discard."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from campaign.audit.models import AuditEvent
from campaign.extensions import db
from campaign.mail.models import OutboundEmail
from campaign.notifications.models import Subscription
from campaign.pledges import counters, imports
from campaign.pledges.import_batch import Batch
from campaign.pledges.import_models import ImportedPledge
from campaign.pledges.models import Pledge
from tests.pledge_imports.helpers import (
    LIST,
    PLAIN,
    dry_run,
    outcomes,
    reload,
    run_job,
    start_run,
    stored_files,
)

ROWS = "".join(
    f"Person {n},Surname,person{n}@example.org,{'MEX' if n % 2 else 'PH'},,yes,yes\n"
    for n in range(12)
)
FILE = (
    "First Name,Last Name,Email,Country,Message,Public,Updates\n"
    + ROWS
    + ROWS.split("\n")[0]
    + "\n"
)


def _count(model: type) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def _run(client: FlaskClient, content: str, **options: str) -> int:
    pledge_import = dry_run(client, content)
    import_id = pledge_import.id
    response = start_run(client, pledge_import, **options)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    assert reload(import_id).state == "running"
    assert run_job(import_id) == "done"
    return import_id


def test_without_mail_pledges_are_confirmed_on_paper_counted_and_never_subscribed(
    coordinator: FlaskClient,
) -> None:
    before = counters.totals()["individual"]
    import_id = _run(coordinator, FILE)
    done = reload(import_id)
    assert done.state == "done"
    assert (done.created, done.merged, done.refused) == (12, 1, 0)
    assert (done.created, done.merged, done.refused) == (
        done.dry_created,
        done.dry_merged,
        done.dry_refused,
    )
    pledges = db.session.scalars(select(Pledge).where(Pledge.email.like("person%"))).all()
    assert len(pledges) == 12
    assert all(p.source == "import" and p.confirmed_at and p.is_counted for p in pledges)
    assert not any(p.wants_updates for p in pledges)  # nobody proved the address
    assert counters.totals()["individual"] == before + 12
    assert counters.for_state("PHL")[0] >= 6
    assert _count(Subscription) == 0 and _count(OutboundEmail) == 0
    links = db.session.scalars(select(ImportedPledge).filter_by(import_id=import_id)).all()
    assert sorted(link.line for link in links) == list(range(2, 14))
    assert not any(path.name == done.stored_name for path in stored_files())
    actions = db.session.scalars(
        select(AuditEvent.action).filter_by(entity_type="pledge_import", entity_id=import_id)
    ).all()
    assert actions == [
        "pledge_import.uploaded",
        "pledge_import.run",
        "pledge_import.finished",
    ]
    page = coordinator.get(f"{LIST}/{import_id}").get_data(as_text=True)
    assert 'value="13" max="13"' in page and 'id="created">12<' in page


def test_the_same_file_imported_twice_merges_everything(coordinator: FlaskClient) -> None:
    _run(coordinator, FILE)
    pledges = _count(Pledge)
    again = reload(_run(coordinator, FILE))
    assert (again.dry_created, again.created, again.merged, again.refused) == (0, 0, 13, 0)
    assert _count(Pledge) == pledges
    notes = outcomes(again, "run")
    assert notes[2] == ("merged", "Already pledged: nothing is changed.")


def test_with_mail_pledges_wait_for_confirmation_and_keep_their_wish(
    coordinator: FlaskClient,
) -> None:
    before = counters.totals()["individual"]
    import_id = _run(coordinator, FILE, send_mail="y", locale="fr")
    assert reload(import_id).mailed == 12
    pledges = db.session.scalars(select(Pledge).where(Pledge.email.like("person%"))).all()
    assert all(p.confirmed_at is None and not p.is_counted and p.wants_updates for p in pledges)
    assert {p.locale for p in pledges} == {"fr"}
    mails = db.session.scalars(select(OutboundEmail)).all()
    assert len(mails) == 12
    assert {m.idempotency_key for m in mails} == {f"pledge-confirm:{p.id}:1" for p in pledges}
    assert counters.totals()["individual"] == before


def test_mail_is_capped_per_import(coordinator: FlaskClient) -> None:
    coordinator.application.config["PLEDGE_IMPORT_MAIL_CAP"] = 5
    try:
        pledge_import = dry_run(coordinator, FILE)
        response = start_run(coordinator, pledge_import, send_mail="y")
    finally:
        coordinator.application.config["PLEDGE_IMPORT_MAIL_CAP"] = 10_000
    assert response.status_code == 400
    assert "at most 5 people" in response.get_data(as_text=True)
    assert _count(Pledge) == 0


def test_the_run_needs_the_coordinators_word(coordinator: FlaskClient) -> None:
    pledge_import = dry_run(coordinator, PLAIN)
    response = start_run(coordinator, pledge_import, attest="")
    assert response.status_code == 400
    assert reload(pledge_import.id).state == "checked"


def test_a_crash_loses_at_most_one_batch_and_the_job_resumes(coordinator: FlaskClient) -> None:
    coordinator.application.config["PLEDGE_IMPORT_BATCH_ROWS"] = 5
    try:
        pledge_import = dry_run(coordinator, FILE)
        import_id = pledge_import.id
        start_run(coordinator, pledge_import)
        assert imports.work_batch(import_id) is True  # one batch, committed
        db.session.commit()
        # A second copy of the job that read the import before that batch was committed:
        stale = Batch(reload(import_id), listed=10)
        stale.start_offset = stale.pledge_import.data_offset
        with pytest.raises(imports.Superseded):
            imports._advance(stale.pledge_import, stale)
        db.session.rollback()
        assert reload(import_id).processed == 5
        assert run_job(import_id) == "done"  # the redelivered job goes on from row 7
        assert run_job(import_id) == "done"  # and once more: nothing left to do
    finally:
        coordinator.application.config["PLEDGE_IMPORT_BATCH_ROWS"] = 500
    done = reload(import_id)
    assert (done.processed, done.created, done.merged) == (13, 12, 1)
    assert _count(Pledge) == 12


def test_discard_removes_the_file_and_writes_nothing(coordinator: FlaskClient) -> None:
    pledge_import = dry_run(coordinator, FILE)
    import_id, stored = pledge_import.id, pledge_import.stored_name
    page = coordinator.get(f"{LIST}/{import_id}").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    response = coordinator.post(f"{LIST}/{import_id}/discard", data={"csrf_token": token})
    assert response.status_code == 302
    assert reload(import_id).state == "discarded"
    assert not any(path.name == stored for path in stored_files())
    assert _count(Pledge) == 0
    again = coordinator.post(f"{LIST}/{import_id}/discard", data={"csrf_token": token})
    assert again.status_code == 409
    assert coordinator.post(f"{LIST}/{import_id}/discard").status_code == 400  # no CSRF
