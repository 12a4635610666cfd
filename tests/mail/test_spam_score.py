"""Every kind of mail, in all six languages, scored by SpamAssassin: none above 1.0.

Each mail (tests/mail/kinds.py) is read back from the outbox, built by the SMTP layer as the
relay receives it and fed to `spamassassin -L -t` (Debian's package, installed by `make test`).
The site runs on a real domain, as in production: the tests' own SITE_URL (an IP address) and
sender (localhost) are nothing a reader ever gets.
"""

from __future__ import annotations

import pytest
from flask import Flask

from campaign.mail.models import OutboundEmail
from campaign.mail.smtp import build_message
from tests.mail.kinds import KINDS, LOCALES, produce
from tests.mail.spam import Verdict, spamassassin, verdicts

THRESHOLD = 1.0


def _verdicts(mails: dict[str, OutboundEmail]) -> dict[str, Verdict]:
    raw = {locale: build_message(row).as_bytes() for locale, row in mails.items()}
    return dict(zip(raw, verdicts(list(raw.values())), strict=True))


@pytest.mark.parametrize("kind", KINDS)
def test_no_mail_scores_above_the_threshold(
    app: Flask, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    spamassassin()  # missing: the test fails, saying what installs it
    mails = produce(app, kind, monkeypatch)
    verdicts = _verdicts(mails)  # built now, so that the Date header is today's
    lines = [f"  {locale}: {verdicts[locale].describe()}" for locale in LOCALES]
    print(f"{kind}\n" + "\n".join(lines))
    over = [locale for locale in LOCALES if verdicts[locale].score > THRESHOLD]
    assert not over, (
        f"{kind}: SpamAssassin scores above {THRESHOLD} in {', '.join(over)}:\n" + "\n".join(lines)
    )
