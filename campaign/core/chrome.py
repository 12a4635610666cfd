"""The parts of every page that are the same for every reader in a language: the stylesheet
and feed links, the skip link and brand, the main navigation, the footer (templates/chrome/).

Rendered once per part, language and site root, and kept for the life of the process (they
change only with a deployment: the templates, the catalogues, the routes). The profile of a
page read with a session cookie (a logged-in coordinator, someone who has just signed, whom
the page cache never answers) spent most of its time rendering these: about twenty
translated strings and fifteen URLs a page. With RUNTIME_CACHE_SECONDS at 0 (the tests), they
are rendered afresh every time, so that a changed template shows at once.
"""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, render_template, request
from markupsafe import Markup

from campaign.i18n import current_language, language_links

PARTS = ("head", "feeds", "top", "nav", "footer")
_KEPT: dict[tuple[str, str, str], Markup] = {}
# The language switcher and the hreflang links: this page in every language, so kept per page
# and the scheme and host it was asked on; a bounded number, emptied when full. A page asked
# with a query string (a filter, a search) is rendered each time: no visitor can fill the
# process with copies of made-up queries.
LANGUAGE_PARTS = ("head", "nav")
KEEP_PAGES = 4096
_PAGES: dict[tuple[str, str, str, str, str, str], Markup] = {}


def chrome(part: str) -> Markup:
    """The rendered *part* for this request's language and site root."""
    if part not in PARTS:
        raise ValueError(f"no such part of the page: {part!r}")
    root = request.script_root if has_request_context() else ""
    key = (part, current_language().code, root)
    kept = _KEPT.get(key)
    if kept is not None:
        return kept
    html = Markup(render_template(f"chrome/{part}.html").strip())  # noqa: S704  (our template)
    if float(current_app.config["RUNTIME_CACHE_SECONDS"]) > 0:
        _KEPT[key] = html
    return html


def chrome_languages(part: str) -> Markup:
    """The language links of this page: the hreflang links ("head") or the switcher ("nav")."""
    if part not in LANGUAGE_PARTS:
        raise ValueError(f"no such part of the page: {part!r}")
    code = current_language().code
    key = (part, code, request.scheme, request.host, request.script_root, request.path)
    kept = _PAGES.get(key)
    if kept is not None and not request.query_string:
        return kept
    context = {"languages": language_links(), "host": request.host_url.rstrip("/")}
    html = Markup(render_template(f"chrome/languages_{part}.html", **context))  # noqa: S704
    if float(current_app.config["RUNTIME_CACHE_SECONDS"]) > 0 and not request.query_string:
        if len(_PAGES) >= KEEP_PAGES:
            _PAGES.clear()
        _PAGES[key] = html
    return html


def init_chrome(app: Flask) -> None:
    app.jinja_env.globals.update(chrome=chrome, chrome_languages=chrome_languages)
