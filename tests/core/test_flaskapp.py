"""The application class (campaign/core/flaskapp.py): what it keeps answers as Flask does."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask, session

from campaign.core.flaskapp import CampaignFlask


def _app(secret: str, *fallbacks: str) -> CampaignFlask:
    app = CampaignFlask("kept")
    app.config.update(SECRET_KEY=secret, SECRET_KEY_FALLBACKS=list(fallbacks))

    @app.post("/set/<value>")
    def set_value(value: str) -> str:
        session["value"] = value
        return "set"

    @app.get("/get")
    def get_value() -> str:
        return str(session.get("value", "(none)"))

    return app


def _cookie_from(app: Flask, value: str) -> str:
    client = app.test_client()
    assert client.post(f"/set/{value}").status_code == 200
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def _read(app: Flask, cookie: str) -> str:
    client = app.test_client()
    client.set_cookie("session", cookie)
    return client.get("/get").get_data(as_text=True)


@pytest.mark.parametrize(
    ("signed_by", "read_by", "expected"),
    [
        (("old",), ("old",), "ٱلسلام 𝔘"),
        (("old",), ("new",), "(none)"),  # another key: the cookie is refused, not trusted
        (("old",), ("new", "old"), "ٱلسلام 𝔘"),  # the old key as a fallback: still read
        (("new", "old"), ("new",), "ٱلسلام 𝔘"),  # signed with the current key
    ],
    ids=["same key", "another key", "old key as fallback", "signed with the new key"],
)
def test_the_kept_serializer_follows_the_keys(
    signed_by: tuple[str, ...], read_by: tuple[str, ...], expected: str
) -> None:
    writer = _app(*signed_by)
    cookie = _cookie_from(writer, "ٱلسلام 𝔘")
    reader = _app(*read_by)
    assert _read(reader, cookie) == expected
    assert _read(reader, cookie) == expected  # and again, from the kept serializer


def test_a_key_changed_while_running_is_used_at_once() -> None:
    app = _app("first")
    cookie = _cookie_from(app, "kept")
    assert _read(app, cookie) == "kept"
    app.config["SECRET_KEY"] = "second"
    assert _read(app, cookie) == "(none)"
    assert _read(app, _cookie_from(app, "again")) == "again"


def test_without_a_secret_key_there_is_no_session() -> None:
    app = _app("")
    app.config.update(SECRET_KEY=None, TESTING=True)
    with pytest.raises(RuntimeError, match="secret key"):
        app.test_client().post("/set/x")


def _plain() -> str:
    return "plain"


async def _coroutine() -> str:
    return "coroutine"


def test_a_plain_function_is_returned_as_it_is_and_kept() -> None:
    app = CampaignFlask("kept")
    assert app.ensure_sync(_plain) is _plain
    assert app.ensure_sync(_plain) is _plain
    assert app.synchronous == {_plain: _plain}


def test_a_coroutine_function_gets_flasks_own_answer() -> None:
    """Flask wraps an `async def` (or refuses it without its async extra); the kept app does
    the same, and keeps nothing it could not work out."""
    flask_answer: Any
    try:
        flask_answer = Flask("plain").ensure_sync(_coroutine)
    except RuntimeError as error:
        with pytest.raises(RuntimeError, match=str(error)[:20]):
            CampaignFlask("kept").ensure_sync(_coroutine)
        return
    kept = CampaignFlask("kept").ensure_sync(_coroutine)
    assert kept() == flask_answer() == "coroutine"


def test_an_unhashable_callable_is_answered_and_not_kept() -> None:
    class Unhashable:
        __hash__ = None  # type: ignore[assignment]

        def __call__(self) -> str:
            return "called"

    app = CampaignFlask("kept")
    callable_ = Unhashable()
    assert app.ensure_sync(callable_) is callable_
    assert app.synchronous == {}
