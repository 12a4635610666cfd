"""The application class (campaign/core/flaskapp.py): what it keeps answers as Flask does."""

from __future__ import annotations

import gc
from typing import Any

import pytest
from flask import Flask, after_this_request, session

from campaign.core.flaskapp import CampaignFlask, SignedCookieSessions


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


def test_the_serializer_is_built_once_per_key() -> None:
    app = _app("first")
    sessions = app.session_interface
    assert isinstance(sessions, SignedCookieSessions)
    built = sessions.get_signing_serializer(app)
    assert built is not None and sessions.get_signing_serializer(app) is built
    assert _read(app, _cookie_from(app, "one")) == "one"
    assert list(sessions.serializers.values()) == [built]  # every request used the kept one
    app.config["SECRET_KEY"] = "second"
    assert sessions.get_signing_serializer(app) is not built


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
    assert dict(app.synchronous) == {_plain: None}  # None: the function itself


def test_a_callable_made_for_one_request_is_not_kept_after_it() -> None:
    """after_this_request's functions are made per request: kept weakly, they go with it."""
    app = CampaignFlask("kept")

    @app.get("/")
    def page() -> str:
        @after_this_request
        def tag(response: Any) -> Any:
            response.headers["X-Tagged"] = "yes"
            return response

        return "page"

    for _ in range(3):
        assert app.test_client().get("/").headers["X-Tagged"] == "yes"
    gc.collect()
    assert all(getattr(func, "__name__", "") != "tag" for func in app.synchronous)
    assert page in app.synchronous


def test_a_coroutine_function_gets_flasks_own_answer() -> None:
    """Flask wraps an `async def` (or refuses it without its async extra); the kept app does
    the same, and keeps nothing it could not work out."""
    flask_answer: Any
    try:
        flask_answer = Flask("plain").ensure_sync(_coroutine)
    except RuntimeError as error:
        kept_app = CampaignFlask("kept")
        with pytest.raises(RuntimeError, match=str(error)[:20]):
            kept_app.ensure_sync(_coroutine)
        assert dict(kept_app.synchronous) == {}  # nothing kept that was not worked out
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
    assert dict(app.synchronous) == {}
