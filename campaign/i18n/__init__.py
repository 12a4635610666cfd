"""The six UN languages: the language in the URL (`/fr/...`), Flask-Babel, switcher, hreflang.

A request for `/fr/states` is served as `/states` with the script name `/fr`, so every URL the
application builds on a French page (`url_for`, redirects) stays under `/fr` without any route
knowing about languages. A path without a prefix is English.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from babel import Locale
from babel.support import NullTranslations
from flask import Flask, current_app, g, request
from flask_babel import Babel, get_translations

from campaign.i18n.localised import init_localised

DEFAULT = "en"


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in the language itself, for the switcher
    direction: str  # "ltr" or "rtl"


LANGUAGES: dict[str, Language] = {
    language.code: language
    for language in (
        Language("ar", "العربية", "rtl"),
        Language("zh", "中文", "ltr"),
        Language("en", "English", "ltr"),
        Language("fr", "Français", "ltr"),
        Language("ru", "Русский", "ltr"),
        Language("es", "Español", "ltr"),
    )
}
ENVIRON_KEY = "campaign.language"
_PREFIX = re.compile(r"^/(" + "|".join(LANGUAGES) + r")(?=/|$)")

babel = Babel()

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class LanguagePrefix:
    """WSGI middleware: move a leading `/<language>` from the path to the script name."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO", "") or ""
        match = _PREFIX.match(path)
        if match:
            code = match.group(1)
            environ[ENVIRON_KEY] = code
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + "/" + code
            environ["PATH_INFO"] = path[match.end() :] or "/"
        else:
            environ[ENVIRON_KEY] = DEFAULT
        return self.app(environ, start_response)


def known(code: str | None) -> str:
    """*code* if the site speaks it, else English (a stored locale, a mail's language)."""
    return code if code is not None and code in LANGUAGES else DEFAULT


def site_url(path: str, code: str | None = None) -> str:
    """An absolute link on SITE_URL (never the Host a request sent), under `/<code>` for a
    language other than English: where a mail's links lead."""
    language = known(code)
    prefix = "" if language == DEFAULT else f"/{language}"
    return str(current_app.config["SITE_URL"]).rstrip("/") + prefix + path


def current_language() -> Language:
    code = request.environ.get(ENVIRON_KEY, DEFAULT) if request else DEFAULT
    return LANGUAGES.get(code, LANGUAGES[DEFAULT])


def _locale() -> Locale:
    """Flask-Babel's locale selector: the request's language (English outside a request: a
    worker, a command), as a Locale parsed once per language. Flask-Babel parses what its
    selector returns on every request, and takes a Locale as it is."""
    try:
        code = current_language().code
    except RuntimeError:
        code = DEFAULT
    return _parsed(code)


@cache
def _parsed(code: str) -> Locale:
    return Locale.parse(code)


def _root() -> str:
    """The script name without the language: where the application itself is mounted."""
    script = request.environ.get("SCRIPT_NAME", "")
    code = request.environ.get(ENVIRON_KEY, DEFAULT)
    suffix = "/" + code
    return script[: -len(suffix)] if script.endswith(suffix) else script


def language_links() -> list[dict[str, str]]:
    """This page in every language: code, name, direction and path, for the switcher and
    the hreflang links."""
    root, path = _root(), request.path
    query = request.query_string.decode("latin-1")
    tail = path + (f"?{query}" if query else "")
    return [
        {
            "code": language.code,
            "name": language.name,
            "dir": language.direction,
            "href": f"{root}/{language.code}{tail}",
        }
        for language in LANGUAGES.values()
    ]


def init_i18n(app: Flask) -> None:
    babel.init_app(app, locale_selector=_locale, default_translation_directories="translations")
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: _catalogue().ugettext(s),
        ngettext=lambda s, p, n: _catalogue().ungettext(s, p, n),
        pgettext=lambda c, s: _catalogue().upgettext(c, s),
        npgettext=lambda c, s, p, n: _catalogue().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.wsgi_app = LanguagePrefix(app.wsgi_app)  # type: ignore[method-assign]
    init_localised(app)

    @app.context_processor
    def language_context() -> dict[str, Any]:
        language = current_language()
        return {
            "lang": language.code,
            "text_dir": language.direction,
            "languages": language_links,
        }


def _catalogue() -> NullTranslations:
    """The catalogue of the language being rendered, found once per request and language.

    Flask-Babel's own template callables look it up anew for every message (its context, the
    domain, the locale, its cache: a third of the time a page took to render). It is kept
    beside Flask-Babel's per-request state with the locale it is for, so force_locale (a mail
    rendered in its recipient's language) finds the other catalogue.
    """
    state = g.get("_flask_babel")
    if state is not None:
        kept = getattr(state, "campaign_catalogue", None)
        if kept is not None and kept[0] is getattr(state, "babel_locale", None):
            return kept[1]
    catalogue = get_translations()
    state = g.get("_flask_babel")
    if state is not None:
        state.campaign_catalogue = (getattr(state, "babel_locale", None), catalogue)
    return catalogue
