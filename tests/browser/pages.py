"""Every public page, in every language: the list the accessibility and HTML tests walk."""

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
    NOT_FOUND,
)


def localised(path: str, code: str) -> str:
    return path if code == "en" else f"/{code}{path}"


ALL_PAGES = [localised(path, code) for code in LANGUAGES for path in PUBLIC_PATHS]
