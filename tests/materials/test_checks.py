"""The type of an upload from its content, and the name it is kept under."""

from __future__ import annotations

import pytest
from flask import Flask

from campaign.materials.checks import FileRefused, check_upload
from tests.materials import samples

LIMIT = 1024 * 1024


@pytest.mark.parametrize(
    ("name", "data", "content_type", "kept_as"),
    [
        ("summary.pdf", samples.pdf(), "application/pdf", "summary.pdf"),
        ("flyer.PNG", samples.png(), "image/png", "flyer.png"),
        ("photo.jpeg", samples.jpeg(), "image/jpeg", "photo.jpg"),
        ("photo.webp", samples.webp(), "image/webp", "photo.webp"),
        (
            "letter.docx",
            samples.docx(),
            samples.docx.__name__
            and "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "letter.docx",
        ),
        (
            "figures.xlsx",
            samples.xlsx(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "figures.xlsx",
        ),
        ("guide.odt", samples.odt(), "application/vnd.oasis.opendocument.text", "guide.odt"),
        ("no extension", samples.pdf(), "application/pdf", "no extension.pdf"),
        ("report.v2", samples.pdf(), "application/pdf", "report.v2.pdf"),
        (
            "Résumé de la Convention.pdf",
            samples.pdf(),
            "application/pdf",
            "Résumé de la Convention.pdf",
        ),
        ("ملخص الاتفاقية.pdf", samples.pdf(), "application/pdf", "ملخص الاتفاقية.pdf"),
    ],
)
def test_accepted_files(
    app: Flask, name: str, data: bytes, content_type: str, kept_as: str
) -> None:
    checked = check_upload(name, data, LIMIT)
    assert (checked.content_type, checked.filename) == (content_type, kept_as)
    assert len(checked.sha256) == 64


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("empty.pdf", b"", "empty"),
        ("flyer.png", samples.pdf(), "ends in .png"),
        ("summary.pdf", samples.HTML, "not a PDF"),
        ("page.html", samples.HTML, "not a PDF"),
        ("logo.svg", samples.SVG, "SVG"),
        ("logo.png", samples.SVG, "SVG"),
        ("macro.docx", samples.docm(), "macros"),
        ("archive.docx", samples.plain_zip(), "macros"),
        ("broken.docx", b"PK\x03\x04garbage", "macros"),
        ("../../etc/passwd.pdf", samples.pdf(), "path"),
        ("C:\\Users\\x\\summary.pdf", samples.pdf(), "path"),
        ("summary\x00.pdf", samples.pdf(), "control"),
        ("summary\r\n.pdf", samples.pdf(), "control"),
        ("invoice\u202efdp.exe", samples.pdf(), "control"),
        ("=HYPERLINK(1).pdf", samples.pdf(), "letter or a digit"),
        (".htaccess", samples.pdf(), "letter or a digit"),
        ("big.pdf", samples.pdf() + b"0" * LIMIT, "larger than"),
    ],
)
def test_refused_files(app: Flask, name: str, data: bytes, says: str) -> None:
    with pytest.raises(FileRefused) as refused:
        check_upload(name, data, LIMIT)
    assert says in str(refused.value)
