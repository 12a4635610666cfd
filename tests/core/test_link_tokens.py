"""Link tokens are itsdangerous's own, byte for byte (campaign/core/tokens.py): signing skips
only a zlib attempt that could not have shortened the payload."""

from __future__ import annotations

import zlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from itsdangerous import URLSafeTimedSerializer
from itsdangerous.timed import TimestampSigner

from campaign.core.tokens import NEVER_SHORTER, LinkSerializer

SECRET, SALT = "a-secret-key-only-for-this-test", "subscription-preferences"
OURS, STOCK = LinkSerializer(SECRET, salt=SALT), URLSafeTimedSerializer(SECRET, salt=SALT)

PAYLOADS: list[Any] = [
    {"s": 0},
    {"s": 99999},  # the longest {"s": n} under the bound: 11 bytes
    {"s": 100000},  # 12 bytes: zlib is tried, as itsdangerous does
    {"s": 2**31 - 1},
    {"s": 1111111111},
    {},
    {"a": "aaaaaa"},  # repetitive, 14 bytes
    {"a": "a" * 200},  # compressed by itsdangerous, and so here
    {"p": 7, "e": "ملاوي@example.org"},
    {"s": "\U0001f600"},
    [1, 1, 1, 1],
    "aaaaaaaaa",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_payload_and_the_token_are_itsdangerous_own(
    payload: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert OURS.dump_payload(payload) == STOCK.dump_payload(payload)
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: 1_797_552_000)
    token = OURS.dumps(payload)
    assert token == STOCK.dumps(payload)
    assert STOCK.loads(token) == payload and OURS.loads(token) == payload


def test_a_long_repetitive_payload_is_still_compressed() -> None:
    assert OURS.dump_payload({"a": "a" * 200}).startswith(b".")


def test_zlib_is_tried_only_on_a_payload_it_could_shorten(monkeypatch: pytest.MonkeyPatch) -> None:
    tried: list[bytes] = []
    real = zlib.compress

    def recorded(data: bytes, *args: Any) -> bytes:
        tried.append(data)
        return real(data, *args)

    monkeypatch.setattr(zlib, "compress", recorded)
    OURS.dumps({"s": 99999})
    assert tried == []
    OURS.dumps({"s": 100000})
    assert tried == [b'{"s":100000}']


@settings(max_examples=400, deadline=None)
@given(
    st.dictionaries(
        st.text(max_size=3),
        st.one_of(st.integers(), st.text(max_size=12), st.booleans(), st.none()),
        max_size=3,
    )
)
def test_any_small_payload_is_encoded_as_itsdangerous_encodes_it(payload: dict[str, Any]) -> None:
    assert OURS.dump_payload(payload) == STOCK.dump_payload(payload)


@pytest.mark.parametrize("length", range(1, NEVER_SHORTER + 1))
def test_zlib_never_wins_two_bytes_under_the_bound(length: int) -> None:
    """The bound's reason: itsdangerous keeps zlib's output only when it is at least 2 bytes
    shorter, and for the most compressible inputs this short it is not."""
    for text in (b"a" * length, b"ab" * (length // 2) + b"a" * (length % 2), bytes(length)):
        assert len(zlib.compress(text)) >= len(text) - 1
