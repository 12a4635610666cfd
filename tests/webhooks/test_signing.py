"""Secrets derived from a stored salt, and the receiver's check: a good signature passes, another
secret, another body or an old timestamp (a replay) does not."""

from __future__ import annotations

import pytest
from flask import Flask

from campaign.webhooks.signing import (
    InvalidSignature,
    endpoint_secret,
    new_salt,
    signature_header,
    verify_signature,
)

BODY = b'{"id":"e1","event":"status.changed","data":{"state":{"iso3":"MEX"}}}'
NOW = 1_800_000_000


def test_a_secret_is_derived_again_from_its_salt_and_the_key(app: Flask) -> None:
    salt = new_salt()
    secret = endpoint_secret(salt)
    assert secret.startswith("whsec_") and len(secret) == 6 + 64
    assert endpoint_secret(salt) == secret  # what the worker derives to sign
    assert endpoint_secret(new_salt()) != secret
    assert endpoint_secret(salt, key="another server key") != secret
    assert salt not in secret


def test_the_receiver_accepts_a_good_signature() -> None:
    header = signature_header("whsec_right", NOW, BODY)
    assert header.startswith(f"t={NOW},v1=")
    assert verify_signature("whsec_right", header, BODY, now=NOW + 10) == NOW


@pytest.mark.parametrize(
    ("secret", "body", "now", "reason"),
    [
        ("whsec_wrong", BODY, NOW, "does not match"),
        ("whsec_right", BODY + b" ", NOW, "does not match"),
        ("whsec_right", BODY, NOW + 301, "too old"),  # replayed six minutes later
        ("whsec_right", BODY, NOW - 301, "too old"),  # or from the future
    ],
)
def test_the_receiver_refuses_another_secret_body_or_an_old_timestamp(
    secret: str, body: bytes, now: int, reason: str
) -> None:
    header = signature_header("whsec_right", NOW, BODY)
    with pytest.raises(InvalidSignature, match=reason):
        verify_signature(secret, header, body, now=now)


@pytest.mark.parametrize("header", ["", "v1=abc", "t=soon,v1=abc", f"t={NOW}"])
def test_a_malformed_header_is_refused(header: str) -> None:
    with pytest.raises(InvalidSignature):
        verify_signature("whsec_right", header, BODY, now=NOW)
