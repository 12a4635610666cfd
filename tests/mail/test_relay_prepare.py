"""A batch encoded before it is sent (Relay.prepare, as a digest chunk does) goes out as it
would have if each message were encoded in its turn: the same bytes but for the Date, the
message a row holds when it is sent (not one prepared for another row of its id), and a row
that cannot be encoded fails in its own turn, not the batch's."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from campaign.mail import relay, smtp
from campaign.mail.services import Claimed
from tests.support.servers import SmtpSink

LIST = {"List-Id": "Updates <updates.example.org>", "List-Unsubscribe": "<https://x.test/u/t>"}
ROWS = [
    Claimed(11, "t:plain", "amina@example.org", "Hello", "Body\n", None, {}, 1),
    Claimed(12, "t:html", "b@example.org", "Digest", "Text", "<p>Body</p>", LIST, 1),
    Claimed(13, "t:arabic", "c@example.org", "ملخص", "نص عربي", "<p dir=rtl>نص</p>", {}, 1),
    Claimed(14, "t:astral", "d@example.org", "Zhōngwén 中文 𠀋 🎉", "𠀋 🎉", None, LIST, 1),
    Claimed(15, "t:long", "e@example.org", "Long", "x" * 2000, "<p>" + "y" * 995, {}, 1),
    Claimed(16, "t:idn", "名前@例え.jp", "Unicode address", "Body", None, {}, 1),
    Claimed(17, "t:formula", "f@example.org", "=HYPERLINK(1)", "@SUM(1)\n+1", None, {}, 1),
    Claimed(
        18, "t:script", "g@example.org", "<script>x</script>", "a", "<script>1</script>", {}, 1
    ),
]
DATE = re.compile(rb"^Date: [^\r\n]*\r\n", re.MULTILINE)


def _without_date(raw: bytes) -> bytes:
    return DATE.sub(b"", raw)


@pytest.fixture
def encodes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The ids of the rows the relay encodes, each time it does (the real encode runs)."""
    seen: list[int] = []
    real: Callable[[Any], smtp.Encoded] = smtp.encode

    def counted(row: Any) -> smtp.Encoded:
        seen.append(row.id)
        return real(row)

    monkeypatch.setattr(relay, "encode", counted)  # Relay.prepare's
    monkeypatch.setattr(smtp, "encode", counted)  # deliver's, for a row not prepared
    return seen


def test_a_prepared_batch_goes_out_as_encoded_in_turn(
    app: Flask, smtp_sink: SmtpSink, encodes: list[int]
) -> None:
    smtp_sink.clear()
    with app.app_context():
        expected = {row.id: smtp.encode(row) for row in ROWS}
        encodes.clear()
        with relay.Relay() as connection:
            connection.prepare(ROWS)
            assert sorted(encodes) == [row.id for row in ROWS]
            for row in ROWS:
                prepared, (sender, raw, options) = connection.ready[row.id]
                assert prepared is row
                assert (sender, _without_date(raw), options) == (
                    expected[row.id][0],
                    _without_date(expected[row.id][1]),
                    expected[row.id][2],
                )
            blocks = [connection.send(row) for row in ROWS]
            assert connection.ready == {}
    assert sorted(encodes) == [row.id for row in ROWS]  # none encoded again
    for row, block in zip(ROWS, blocks, strict=True):
        assert _without_date(block.encode()) == _without_date(
            smtp.header_block(expected[row.id][1]).encode()
        )
    assert [message["X-Campaign-Key"] for message in smtp_sink.messages] == [
        row.idempotency_key for row in ROWS
    ]


def test_a_row_goes_out_as_it_is_when_sent_not_as_prepared(
    app: Flask, smtp_sink: SmtpSink, encodes: list[int]
) -> None:
    """A deferred message is written (a new row of the same id) after its batch is prepared:
    what was prepared for the row it replaced is not sent."""
    smtp_sink.clear()
    before = ROWS[0]
    after = dataclasses.replace(before, subject="Written since", body_text="New body")
    with app.app_context(), relay.Relay() as connection:
        connection.prepare([before])
        block = connection.send(after)
        assert connection.ready == {}
    assert "Subject: Written since" in block
    [message] = smtp_sink.messages
    assert message["Subject"] == "Written since"
    assert message.get_payload().strip() == "New body"
    assert encodes == [before.id, after.id]


@pytest.mark.parametrize(
    "subject", ["Hi\nBcc: victim@example.org", "Hi\r\nBcc: v@x.test", "Hi\rBcc: v@x.test"]
)
def test_a_row_that_cannot_be_encoded_fails_in_its_turn(
    app: Flask, smtp_sink: SmtpSink, subject: str
) -> None:
    smtp_sink.clear()
    bad = dataclasses.replace(ROWS[1], id=99, idempotency_key="t:bad", subject=subject)
    with app.app_context(), relay.Relay() as connection:
        connection.prepare([ROWS[0], bad, ROWS[2]])
        assert set(connection.ready) == {ROWS[0].id, ROWS[2].id}
        connection.send(ROWS[0])
        with pytest.raises(ValueError, match=r"linefeed|carriage return"):
            connection.send(bad)
        connection.send(ROWS[2])
    assert [message["X-Campaign-Key"] for message in smtp_sink.messages] == ["t:plain", "t:arabic"]


def test_what_a_batch_left_unsent_is_dropped_when_the_next_is_prepared(
    app: Flask, smtp_sink: SmtpSink
) -> None:
    """A suppressed row, or a batch cut short by a pause, is not kept for the chunk's life."""
    with app.app_context(), relay.Relay() as connection:
        connection.prepare(ROWS[:3])
        connection.send(ROWS[0])
        connection.prepare(ROWS[3:5])
        assert set(connection.ready) == {ROWS[3].id, ROWS[4].id}
