"""Email addresses: one stored form, one canonical form per mailbox, nothing malformed."""

from __future__ import annotations

import pytest

from campaign.core.addresses import InvalidEmail, canonical_email, normalise_email


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("amina@example.org", "amina@example.org"),
        ("Amina.Yusuf@Example.ORG", "amina.yusuf@example.org"),
        ("  amina@example.org  ", "amina@example.org"),
        ("Amina.Yusuf+Pledge@GoogleMail.com", "amina.yusuf+pledge@googlemail.com"),
        ("josé@exämple.org", "josé@exämple.org"),
    ],
)
def test_normalised_form_is_lower_case_and_keeps_the_address(given: str, stored: str) -> None:
    assert normalise_email(given) == stored


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("Amina@Example.org", "amina@example.org"),
        ("amina+pledge@example.org", "amina@example.org"),
        ("amina+a+b@example.org", "amina@example.org"),
        ("Amina.Yusuf@gmail.com", "aminayusuf@gmail.com"),
        ("a.m.i.n.a+tag@GMAIL.com", "amina@gmail.com"),
        ("Amina.Yusuf@googlemail.com", "aminayusuf@gmail.com"),
        ("amina.yusuf@example.org", "amina.yusuf@example.org"),
        ("amina.yusuf@outlook.com", "amina.yusuf@outlook.com"),
        ("amina.yusuf+news@yahoo.com", "amina.yusuf@yahoo.com"),
        ("amina.yusuf@gmail.example.org", "amina.yusuf@gmail.example.org"),
        # An address that is only a tag is its own mailbox, not the domain's catch-all.
        ("+tag@example.org", "+tag@example.org"),
    ],
)
def test_canonical_form(given: str, canonical: str) -> None:
    assert canonical_email(given) == canonical


def test_aliases_of_one_mailbox_share_a_canonical_form_and_others_do_not() -> None:
    same = {
        canonical_email(a)
        for a in ("AminaYusuf@gmail.com", "amina.yusuf+x@googlemail.com", "a.minayusuf@gmail.com")
    }
    assert same == {"aminayusuf@gmail.com"}
    assert canonical_email("amina.yusuf@example.org") != canonical_email("aminayusuf@example.org")
    assert canonical_email("+a@example.org") != canonical_email("+b@example.org")


@pytest.mark.parametrize(
    "given",
    [
        "",
        "amina",
        "amina@",
        "@example.org",
        "amina@@example.org",
        "amina yusuf@example.org",
        "amina@example",
        "amina@-example.org",
        "amina@example.org\r\nBcc: victim@example.org",
        "amina@example.org\nBcc: victim@example.org",
        "amina@example.org\r",
        "amina\n@example.org",
        "amina@exam\x00ple.org",
        "<amina@example.org>",
        "Amina <amina@example.org>",
    ],
)
def test_malformed_addresses_are_rejected(given: str) -> None:
    with pytest.raises(InvalidEmail):
        normalise_email(given)
    with pytest.raises(InvalidEmail):
        canonical_email(given)
