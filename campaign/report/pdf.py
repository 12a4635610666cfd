"""The report typeset as a PDF by WeasyPrint: the print stylesheet, Debian's Noto fonts (Arabic
and Chinese included, found through fontconfig), and nothing fetched from anywhere."""

from __future__ import annotations

from pathlib import Path

from flask import Response, current_app


def render_pdf(html: str) -> bytes:
    """*html* (a whole document) as PDF bytes. Any URL in it is refused: the one stylesheet
    is read from static/, the fonts are the system's."""
    # Imported here: WeasyPrint loads Pango when imported, and only this route needs it.
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    fetch_nothing = URLFetcher(allowed_protocols=())
    stylesheet = Path(current_app.static_folder or "static") / "css" / "report.css"
    document = HTML(string=html, url_fetcher=fetch_nothing, base_url=None)
    pdf = document.write_pdf(stylesheets=[CSS(filename=str(stylesheet), url_fetcher=fetch_nothing)])
    return bytes(pdf)


def pdf_response(html: str, filename: str) -> Response:
    response = Response(render_pdf(html), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
