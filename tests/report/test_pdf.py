"""The PDF: typeset by the real WeasyPrint in each language, read back by poppler's pdftotext
and pdffonts (nothing mocked)."""

from __future__ import annotations

import re
import subprocess

import pytest
from flask.testing import FlaskClient

from tests.report.helpers import opening, pdf_text, report_page

# As at 31 December 1993 (2 parties, 3 signatories), two state names in each language, as
# Babel's CLDR data writes them.
NAMES = {
    "en": ("Egypt", "Morocco", "Philippines"),
    "fr": ("Égypte", "Maroc", "Philippines"),
    "es": ("Egipto", "Marruecos", "Filipinas"),
    "ru": ("Египет", "Марокко", "Филиппины"),
    "zh": ("埃及", "摩洛哥", "菲律宾"),
    "ar": ("مصر", "المغرب", "الفلبين"),
}


def _pdf(client: FlaskClient, code: str, query: str = "as_at=1993-12-31") -> bytes:
    prefix = "" if code == "en" else f"/{code}"
    response = client.get(f"{prefix}/report.pdf?{query}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="mwc-status-as-at-{query[-10:]}-{code}.pdf"'
    )
    assert response.data.startswith(b"%PDF-")
    return response.data


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("code", sorted(NAMES))
def test_the_pdf_in_each_language_says_what_the_page_says(client: FlaskClient, code: str) -> None:
    text = pdf_text(_pdf(client, code))
    for name in NAMES[code]:
        assert name in text, (code, name)
    if code != "ar":
        # The whole opening paragraph, as the page words it (line breaks aside). Arabic is
        # checked by words only: pdftotext puts the right-to-left runs of a mixed line in an
        # order of its own (with U+202B marks), so the sentence does not come back whole.
        assert _squeezed(opening(report_page(client, "as_at=1993-12-31", code))) in _squeezed(text)
    assert "/report?as_at=1993-12-31" in text  # the source line, on every page


def test_arabic_reads_right_to_left(client: FlaskClient) -> None:
    """In the Arabic PDF the first column (the state) is at the right of the page; in the
    English one at the left. pdftotext -bbox gives each word's box, its letters in visual
    order (so مصر comes back as رصم)."""

    def x_of(pdf: bytes, word: str) -> tuple[float, float]:
        boxes = subprocess.run(
            ["pdftotext", "-bbox", "-enc", "UTF-8", "-", "-"],
            input=pdf,
            capture_output=True,
            check=True,
        ).stdout.decode()
        width = float(re.search(r'<page width="([0-9.]+)"', boxes).group(1))  # type: ignore[union-attr]
        found = re.search(rf'<word xMin="([0-9.]+)"[^>]*>{word}</word>', boxes)
        assert found, word
        return float(found.group(1)), width

    x, width = x_of(_pdf(client, "ar"), "مصر"[::-1])
    assert x > width / 2
    x, width = x_of(_pdf(client, "en"), "Egypt")
    assert x < width / 2


@pytest.mark.parametrize(
    ("code", "font"), [("ar", "Noto-Naskh-Arabic"), ("zh", "Noto-Sans-CJK-SC")]
)
def test_the_fonts_are_debians_noto_embedded(client: FlaskClient, code: str, font: str) -> None:
    fonts = subprocess.run(
        ["pdffonts", "-"], input=_pdf(client, code), capture_output=True, check=True
    ).stdout.decode()
    assert font in fonts


def test_todays_pdf_counts_sixty_parties(client: FlaskClient) -> None:
    import datetime as dt

    text = pdf_text(_pdf(client, "en", f"as_at={dt.date.today().isoformat()}"))
    assert "by 60 States, namely," in re.sub(r"\s+", " ", text)
