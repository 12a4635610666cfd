"""The five catalogues are complete: every message the code and templates mark is translated,
none is fuzzy, and every translation keeps the placeholders of its English original."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "campaign" / "translations"
LANGUAGES = ("ar", "zh", "fr", "ru", "es")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """What `make translations` extracts today from the code and the templates."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pybabel"),
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "--ignore-dirs",  # the default also skips `_*` folders, such as templates/_macros
            ".*",
            "-k",
            "lazy_gettext",
            "-k",
            "_l",
            "-o",
            str(pot),
            "--no-location",
            ".",
        ],
        cwd=ROOT,
        check=True,
    )
    catalog = _read(pot)
    assert len(catalog) > 300, "extraction found too few messages"
    return catalog


def _ids(catalog: Catalog) -> set[str | tuple[str, ...]]:
    return {message.id for message in catalog if message.id}


@pytest.mark.parametrize("code", LANGUAGES)
def test_catalogue_covers_every_marked_message(marked: Catalog, code: str) -> None:
    catalog = _read(TRANSLATIONS / code / "LC_MESSAGES" / "messages.po")
    missing = _ids(marked) - _ids(catalog)
    assert not missing, (
        f"{code}: run `make translations`; not in the catalogue: {sorted(map(str, missing))[:10]}"
    )


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(code: str) -> None:
    catalog = _read(TRANSLATIONS / code / "LC_MESSAGES" / "messages.po")
    problems = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        if not all(strings):
            problems.append(f"untranslated: {message.id!r}")
        originals = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set().union(*(PLACEHOLDER.findall(o) for o in originals)) - {"num"}
        for string in strings:
            if set(PLACEHOLDER.findall(string or "")) - {"num"} != wanted:
                problems.append(f"placeholders differ: {message.id!r} -> {string!r}")
    assert not problems, f"{code}: {len(problems)} problems, e.g. {problems[:5]}"


def test_a_page_reads_in_each_language(client: FlaskClient) -> None:
    """The compiled catalogues are used: the home page's heading differs in each language."""
    headings = set()
    for code in ("en", *LANGUAGES):
        page = client.get("/" if code == "en" else f"/{code}/").get_data(as_text=True)
        heading = re.search(r"<h1>(.*?)</h1>", page)
        assert heading
        headings.add(heading.group(1))
    assert len(headings) == 6
