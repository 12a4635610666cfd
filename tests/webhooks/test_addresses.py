"""Which endpoint addresses are allowed: https only, no credentials, no private networks (unless
WEBHOOK_ALLOW_PRIVATE_ADDRESSES), and nothing but plain ASCII."""

from __future__ import annotations

import pytest
from flask import Flask

from campaign.webhooks.addresses import UnsafeAddress, check_url, is_public

PUBLIC = "https://93.184.215.14/hooks/campaign"


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
     "0.0.0.0", "224.0.0.1",  # noqa: S104 "240.0.0.1", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1",
     "::", "not an address"],
)  # fmt: skip
def test_non_public_addresses(address: str) -> None:
    assert not is_public(address)


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses(address: str) -> None:
    assert is_public(address)


def test_a_public_https_address_passes(app: Flask) -> None:
    assert check_url(PUBLIC, allow_private=False) == PUBLIC


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("", "Give"),
        ("https://example.org/" + "a" * 500, "too long"),
        ("http://93.184.215.14/hook", "https://"),
        ("javascript:alert(1)", "https://"),
        ("ftp://93.184.215.14/", "https://"),
        ("https://user:pass@93.184.215.14/hook", "user name"),
        ("https://user@93.184.215.14/hook", "user name"),
        ("https://127.0.0.1/hook", "private"),
        ("https://localhost/hook", "private"),
        ("https://10.0.0.8:8443/hook", "private"),
        ("https://[::1]/hook", "private"),
        ("https://169.254.169.254/latest/meta-data", "private"),
        ("https://93.184.215.14/hook\r\nX-Injected: 1", "ASCII"),
        ("https://93.184.215.14/ho ok", "ASCII"),
        ("https://مثال.example/hook", "ASCII"),
        ("https://example.org/\u202ekoob", "ASCII"),
        ("https://example.org/\U0001f600", "ASCII"),
        ("https://93.184.215.14:99999/", "not a valid"),
        ("https:///path-only", "not a valid"),
        ("https://93.184.215.14/hook#fragment", "not a valid"),
        ("https://no-such-host.invalid/hook", "could not be found"),
    ],
)
def test_unsafe_addresses_are_refused_with_a_reason(app: Flask, url: str, reason: str) -> None:
    with pytest.raises(UnsafeAddress, match=reason):
        check_url(url, allow_private=False)


def test_private_addresses_pass_only_with_the_flag(app: Flask) -> None:
    assert check_url("https://127.0.0.1:8443/hook", allow_private=True)
    with pytest.raises(UnsafeAddress, match="https://"):
        check_url("http://127.0.0.1:8443/hook", allow_private=True)
    with pytest.raises(UnsafeAddress, match="user name"):
        check_url("https://a:b@127.0.0.1/hook", allow_private=True)
