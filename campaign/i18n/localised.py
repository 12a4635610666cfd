"""State names, dates and numbers in the reader's language, from Babel's locale data (CLDR).

English keeps the registry's own names and the British order of dates ("18 December 2026");
the other five languages take the territory names and formats of their CLDR locale.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Protocol

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal
from flask import Flask
from flask_babel import get_locale

from campaign.i18n.labels import label

# The Babel locale whose formats each language of the site uses.
BABEL_LOCALES = {
    "ar": "ar",
    "zh": "zh_Hans_CN",
    "en": "en_GB",
    "fr": "fr",
    "ru": "ru",
    "es": "es",
}


class Named(Protocol):
    @property
    def iso2(self) -> str: ...

    @property
    def name(self) -> str: ...


def language() -> str:
    """The current language's code (en outside a request)."""
    try:
        locale = get_locale()
    except RuntimeError:
        return "en"
    return locale.language if locale is not None else "en"


@cache
def babel_locale(code: str) -> Locale:
    return Locale.parse(BABEL_LOCALES.get(code, "en_GB"))


def state_name(state: Named, code: str | None = None) -> str:
    """The state's name in *code* (the current language by default)."""
    code = code or language()
    if code == "en":
        return state.name
    return str(babel_locale(code).territories.get(state.iso2, state.name))


def long_date(day: dt.date | None, code: str | None = None) -> str:
    """18 December 2026, 18 décembre 2026, 2026年12月18日 ..."""
    if day is None:
        return ""
    return format_date(day, format="long", locale=babel_locale(code or language()))


def number(value: int | float, code: str | None = None) -> str:
    """1,234 / 1 234 / 1.234, as the language writes it."""
    return format_decimal(value, locale=babel_locale(code or language()))


def init_localised(app: Flask) -> None:
    app.add_template_filter(state_name, "state_name")
    app.add_template_filter(long_date, "long_date")
    app.add_template_filter(number, "number")
    app.add_template_filter(label, "label")
