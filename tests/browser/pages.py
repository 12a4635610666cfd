"""Every public page, in every language: the list the accessibility and HTML tests walk (an
event's page, which needs an event, is walked by its own test in test_accessibility.py)."""

from __future__ import annotations

from campaign.i18n import LANGUAGES

NOT_FOUND = "/no-such-page"
PUBLIC_PATHS = (
    "/",
    "/states",
    "/states?status=party&region=Africa",
    "/states/MEX",
    "/states/ARM",
    "/states/BRA",
    "/regions/Africa",
    "/map",
    "/about",
    "/supporters",
    "/supporters/MEX",
    "/pledge/individual",
    "/pledge/organisation",
    "/pledge/check-your-email",
    "/pledge/privacy",
    "/pledge/confirm/not-a-token",
    "/pledge/manage/not-a-token",
    "/subscriptions/",
    "/subscriptions/?state=MEX",
    "/subscriptions/check-your-email",
    "/subscriptions/confirm/not-a-token",
    "/account/login",
    "/account/forgot-password",
    "/account/forgot-password/sent",
    "/report?as_at=1993-12-31",
    "/road-to-ratification",
    "/pledge/official",
    "/events",
    "/events/archive",
    "/materials",
    "/embed/pledge",
    "/embed/count",
    "/api/v1/docs",
    NOT_FOUND,
)


def localised(path: str, code: str) -> str:
    return path if code == "en" else f"/{code}{path}"


ALL_PAGES = [localised(path, code) for code in LANGUAGES for path in PUBLIC_PATHS]
# What axe walks in Chromium (a few seconds a page, on each database): every page in English,
# Arabic (right to left) and Chinese (another script, other line breaks), and the home page
# and the pledge form in the other three. The markup is the same template in every language;
# what a language changes (direction, script, lengths) these cover. The HTML checker, much
# cheaper, still walks ALL_PAGES.
AXE_LANGUAGES = ("en", "ar", "zh")
AXE_PAGES = [
    localised(path, code)
    for code in LANGUAGES
    for path in PUBLIC_PATHS
    if code in AXE_LANGUAGES or path in ("/", "/pledge/individual")
]
