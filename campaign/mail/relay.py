"""One SMTP connection reused for many messages, and a batch encoded before it is sent."""

from __future__ import annotations

import smtplib
from collections.abc import Iterable
from types import TracebackType

from campaign.mail.smtp import Encoded, Mail, TemporaryFailure, close, connect, deliver, encode


class Relay:
    """One SMTP connection reused for many messages, reopened after a failure.

    `with Relay() as relay: relay.send(row)`; send raises like deliver().
    """

    def __init__(self) -> None:
        self.client: smtplib.SMTP | None = None
        self.connections = 0
        self.ready: dict[int, tuple[Mail, Encoded]] = {}

    def prepare(self, rows: Iterable[Mail]) -> None:
        """Encode *rows* now, one after another, for send() to use. Encoded between SMTP
        exchanges, a message cost about three times as much CPU as in a run of encodes: each
        exchange waits on the relay, and whatever runs meanwhile takes the CPU's caches. A row
        that cannot be encoded is left to send(), which encodes it again and raises in turn.
        What an earlier batch left unsent (suppressed, or the digest paused) is dropped."""
        self.ready = {}
        for row in rows:
            try:
                self.ready[row.id] = (row, encode(row))
            except Exception:  # noqa: S112 -- raised again by send(), in its turn
                continue

    def send(self, row: Mail) -> str:
        ready = self.ready.pop(row.id, None)
        encoded = ready[1] if ready is not None and ready[0] is row else None
        try:
            if self.client is None:
                self.client = connect()
                self.connections += 1
            return deliver(row, self.client, encoded)
        except (smtplib.SMTPException, OSError) as error:  # connecting failed
            self.reset()
            raise TemporaryFailure(f"{type(error).__name__}: {error}") from error
        except TemporaryFailure:
            self.reset()  # the relay may have hung up: a 421 closes the session
            raise
        # A PermanentFailure leaves the session usable: smtplib has reset it (RSET).

    def reset(self) -> None:
        if self.client is not None:
            close(self.client)
            self.client = None

    def __enter__(self) -> Relay:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.reset()
