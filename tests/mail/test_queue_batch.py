"""queue_batch answers every key's row id from its one INSERT, and reads back only the keys it
skipped: a chunk run again after a crash finds the rows the first run wrote, as they were, and
writes the rest; a suppressed address's row is written failed."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from campaign.extensions import db
from campaign.mail import suppression
from campaign.mail.batch import queue_batch
from campaign.mail.models import OutboundEmail
from campaign.mail.services import Draft


def _draft(n: int, text: str = "first run") -> Draft:
    return Draft(f"t:batch:{n}", f"reader{n}@example.org", "Digest", text, f"<p>{text}</p>")


def _keys(drafts: list[Draft]) -> list[str]:
    return [draft.to for draft in drafts]


def _stored() -> dict[str, tuple[int, str, str]]:
    rows = db.session.execute(
        select(OutboundEmail.idempotency_key, OutboundEmail.id, OutboundEmail.body_text)
        .where(OutboundEmail.idempotency_key.like("t:batch:%"))
        .add_columns(OutboundEmail.status)
    )
    return {key: (message_id, text, status) for key, message_id, text, status in rows}


@pytest.mark.parametrize(
    ("before", "now"),
    [
        ([], [0, 1, 2]),  # a first run: every row new
        ([0, 1, 2], [0, 1, 2]),  # run again after every row was written
        ([1], [0, 1, 2]),  # a crash after some: the rest written
        ([0, 2], [2, 0, 3, 1]),  # in another order, with a new one among them
        ([0], [0]),
    ],
)
def test_every_key_gets_its_row_id_new_or_written_before(
    app: Flask, before: list[int], now: list[int]
) -> None:
    first = [_draft(n) for n in before]
    earlier = queue_batch(first, _keys(first))
    again = [_draft(n, "second run") for n in now]
    ids = queue_batch(again, _keys(again))
    stored = _stored()
    assert set(ids) == {draft.key for draft in again}
    assert all(ids[key] == stored[key][0] for key in ids)
    assert len(set(ids.values())) == len(ids)
    for key, message_id in earlier.items():
        assert ids.get(key, message_id) == message_id
        assert stored[key][1] == "first run"  # not written again
    for draft in again:
        if draft.key not in earlier:
            assert stored[draft.key][1] == "second run"
    assert len(stored) == len(set(before) | set(now))


def test_a_suppressed_address_is_written_failed_with_its_id(app: Flask) -> None:
    suppression.record_bounce_report(
        address="reader1@example.org", kind="hard", source="smtp", report_key="t:r1"
    )
    db.session.flush()
    drafts = [_draft(n) for n in range(3)]
    ids = queue_batch(drafts, _keys(drafts))
    stored = _stored()
    assert set(ids) == {draft.key for draft in drafts}
    assert {key: stored[key][2] for key in ids} == {
        "t:batch:0": "queued",
        "t:batch:1": "failed",
        "t:batch:2": "queued",
    }


def test_nothing_to_queue_writes_nothing(app: Flask) -> None:
    assert queue_batch([], []) == {}
    assert _stored() == {}
