"""State names in each language's dictionary order (ICU collators) and list form (CLDR)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache

import icu  # PyICU ships no type information (mypy: ignore_missing_imports)
from babel.lists import format_list

from campaign.i18n.localised import BABEL_LOCALES

# ICU's own collation for each language of the site; Chinese sorts by pinyin (ICU's default
# for zh), as a Chinese reader looks a name up.
_ICU_LOCALES = {"ar": "ar", "zh": "zh", "en": "en", "fr": "fr", "ru": "ru", "es": "es"}


@cache
def _collator(code: str) -> icu.Collator:
    return icu.Collator.createInstance(icu.Locale(_ICU_LOCALES.get(code, "en")))


def sort_key(code: str) -> Callable[[str], bytes]:
    """A key that orders names as the language's dictionaries do."""
    collator = _collator(code)
    return lambda text: bytes(collator.getSortKey(text))


def collated(names: Iterable[str], code: str) -> list[str]:
    return sorted(names, key=sort_key(code))


def listed(names: Iterable[str], code: str) -> str:
    """The language's own list of *names*, collated: "A, B and C", "A、B和C", "A وB وC"."""
    return format_list(collated(names, code), locale=BABEL_LOCALES.get(code, "en_GB"))
