"""Every kind of mail, in all six languages, as the relay receives it: the standard headers, list
headers on list mail, UTF-8, no remote images, and a plain-text part that says what the HTML
part says (every link of the HTML is in the text, and so is every paragraph without a link: a
paragraph with one is worded for a button or a link text, and says it with its address)."""

from __future__ import annotations

import re
from email import message_from_bytes, policy
from email.message import EmailMessage
from html.parser import HTMLParser

import pytest
from flask import Flask

from campaign.mail.smtp import build_message
from tests.mail.kinds import KINDS, produce

LIST_MAIL = {
    "alert",
    "digest_weekly",
    "digest_monthly",
    "migrants_day_supporter",
    "migrants_day_partner",
    "task_due",
    "task_overdue",
}
DOMAIN = "campaign.example.org"


class Visible(HTMLParser):
    """The text a reader sees in an HTML part, by block, and its links and images."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = [""]
        self.linked: set[int] = set()  # blocks holding a link
        self.links: list[str] = []
        self.remote: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))
            self.linked.add(len(self.blocks) - 1)
        for name in ("src", "background", "style"):
            value = str(values.get(name) or "")
            if re.search(r"https?:|url\(", value):
                self.remote.append(f"<{tag} {name}={value}>")
        if tag in ("p", "li", "h1", "h2", "h3", "tr", "br", "div", "table", "ul", "dt", "dd"):
            self.blocks.append("")

    def handle_data(self, data: str) -> None:
        self.blocks[-1] += data


def _words(text: str) -> str:
    return " ".join(text.split())


def _parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None, "a text and an HTML part"
    for part in (text, html):
        assert part.get_content_charset() in ("utf-8", "us-ascii")
    return str(text.get_content()), str(html.get_content())


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_carries_the_headers_and_says_the_same_in_both_parts(
    app: Flask, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for locale, row in produce(app, kind, monkeypatch).items():
        where = f"{kind} in {locale}"
        raw = build_message(row).as_bytes()
        message = message_from_bytes(raw, policy=policy.default)
        assert isinstance(message, EmailMessage)
        assert message["Date"] and message["Auto-Submitted"] == "auto-generated", where
        assert str(message["Message-ID"]).endswith(f"@{DOMAIN}>"), where
        if kind in LIST_MAIL:
            assert DOMAIN in str(message["List-Id"]), where
            assert str(message["List-Unsubscribe"]).startswith(f"<https://{DOMAIN}/"), where
            assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click", where
        text, html = _parts(message)
        seen = Visible()
        seen.feed(html)
        assert not seen.remote, f"{where}: remote content {seen.remote}"
        flat = _words(text)
        missing = [link for link in seen.links if link not in text]
        assert not missing, f"{where}: links only in the HTML part: {missing}"
        plain = [_words(b) for n, b in enumerate(seen.blocks) if n not in seen.linked]
        unsaid = [block for block in plain if block and block not in flat]
        assert not unsaid, f"{where}: said only in the HTML part: {unsaid}"
