"""Reading the report back: its figures, the states of each table, the PDF's text."""

from __future__ import annotations

import html
import re
import subprocess

from flask.testing import FlaskClient

TABLES = ("parties", "signatories", "changes")


def report_page(client: FlaskClient, query: str, code: str = "en") -> str:
    prefix = "" if code == "en" else f"/{code}"
    response = client.get(f"{prefix}/report?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def figures(page: str) -> dict[str, int]:
    """The summary table's figures, by name (parties, signatories, ...)."""
    return {
        name: int(value) for name, value in re.findall(r'data-stat="(\w+)">([0-9]+)</td>', page)
    }


def table(page: str, name: str) -> list[str]:
    """The ISO3 codes of a table's rows, in the table's order ([] when it is not shown)."""
    match = re.search(rf'<table[^>]*id="{name}-table".*?</table>', page, re.S)
    return re.findall(r'<tr data-iso3="([A-Z]{3})"', match.group(0)) if match else []


def opening(page: str) -> str:
    match = re.search(r'<p class="report-opening">(.*?)</p>', page, re.S)
    assert match, "no opening paragraph"
    return html.unescape(match.group(1))


def pdf_text(pdf: bytes) -> str:
    """What poppler's pdftotext reads from *pdf* (its default reading order)."""
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode()
