"""The endorsements' four mails, in the six languages, made by the production code: the
right links and no address of anyone else, and SpamAssassin scores none above 1.0 (as
tests/mail/test_spam_score.py does for every other kind)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
import time_machine
from flask import Flask

from campaign.accounts.services import create_user
from campaign.endorsements import services
from campaign.extensions import db
from campaign.mail.models import OutboundEmail
from campaign.mail.smtp import build_message
from tests.endorsements.helpers import endorsements
from tests.factories.base import state
from tests.mail.kinds import LOCALES, NOW, SENDER, SITE_URL, address, mails
from tests.mail.spam import spamassassin, verdict
from tests.support.auth import PASSWORD

THRESHOLD = 1.0


def _sign(*, confirm: bool = False) -> None:
    for locale in LOCALES:
        data = services.EndorsementData(
            name="Lucía Hernández",
            office="Member of Parliament",
            institution="Chamber of Deputies",
            state=state("MEX"),
            party="Partido Ejemplo",
            statement="I will work for ratification in the Chamber.",
            proof_url="https://diputados.example.org/members/lucia-hernandez",
            email=address(locale),
            locale=locale,
        )
        services.sign_endorsement(data=data, ip=None)
    if confirm:
        for row in endorsements():
            services.confirm_endorsement(endorsement=row)


def _again() -> None:
    _sign(confirm=True)
    for row in endorsements():
        row.last_mailed_at = None  # past the resend cooldown
    _sign()


def _reviewed(verify: bool) -> Callable[[], None]:
    def produce() -> None:
        actor = create_user(email="coordinator@example.org", password=PASSWORD, role="coordinator")
        _sign(confirm=True)
        reason = "" if verify else "The page you gave does not name you as a member."
        for row in endorsements():
            services.review_endorsement(endorsement=row, verify=verify, reason=reason, actor=actor)

    return produce


KINDS: dict[str, tuple[str, Callable[[], None]]] = {
    "endorsement_confirm": ("endorsement-confirm:", _sign),
    "endorsement_already": ("endorsement-confirm:", _again),
    "endorsement_verified": ("endorsement-review:", _reviewed(True)),
    "endorsement_rejected": ("endorsement-review:", _reviewed(False)),
}


def _produce(app: Flask, kind: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, OutboundEmail]:
    monkeypatch.setitem(app.config, "SITE_URL", SITE_URL)
    monkeypatch.setitem(app.config, "MAIL_DEFAULT_SENDER", SENDER)
    prefix, make = KINDS[kind]
    with time_machine.travel(NOW, tick=False):
        make()
        db.session.flush()
    found = mails(prefix)  # the latest of each address: for "already", its second mail
    assert sorted(found) == sorted(LOCALES), f"{kind}: mails only in {sorted(found)}"
    return found


@pytest.mark.parametrize("kind", KINDS)
def test_each_mail_in_each_language(app: Flask, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    spamassassin()
    found = _produce(app, kind, monkeypatch)
    for locale, row in found.items():
        assert row.to_address == address(locale)
        assert f"{SITE_URL}/{locale}/endorsement/manage/" in row.body_text or (
            locale == "en" and f"{SITE_URL}/endorsement/manage/" in row.body_text
        ), row.body_text
        assert "Lucía Hernández" in row.body_text and "example.org/members" not in row.body_text
    if kind == "endorsement_already":
        assert "already confirmed" in found["en"].body_text
    raw = {locale: build_message(row).as_bytes() for locale, row in found.items()}
    with ThreadPoolExecutor(max_workers=3) as pool:
        verdicts = dict(zip(raw, pool.map(verdict, raw.values()), strict=True))
    lines = [f"  {locale}: {verdicts[locale].describe()}" for locale in LOCALES]
    print(f"{kind}\n" + "\n".join(lines))
    over = [locale for locale in LOCALES if verdicts[locale].score > THRESHOLD]
    assert not over, f"{kind}: above {THRESHOLD} in {over}:\n" + "\n".join(lines)
