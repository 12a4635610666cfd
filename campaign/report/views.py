"""GET /report, /report.pdf and /report.csv: the status report as at a date, in the reader's
language (`?as_at=YYYY-MM-DD`, default today; `&since=YYYY-MM-DD` starts the changes)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Response, render_template, url_for

from campaign.core.csv import csv_response
from campaign.i18n.localised import language
from campaign.report import bp
from campaign.report.content import Report, build_report
from campaign.report.export import HEADER, report_rows
from campaign.report.opening import opening
from campaign.report.params import report_dates
from campaign.report.pdf import pdf_response


def _report() -> tuple[Report, dict[str, Any]]:
    """The report the request asks for (or a 400), and the values its templates need."""
    as_at, since = report_dates()
    code = language()
    report = build_report(as_at=as_at, since=since, code=code)
    query = {"as_at": as_at.isoformat()}
    if since is not None:
        query["since"] = since.isoformat()
    values = {
        "report": report,
        "opening": opening(report, code),
        "query": query,
        "source_url": url_for("report.page", _external=True, **query),
        "today": dt.date.today(),
    }
    return report, values


@bp.get("/report")
def page() -> str:
    return render_template("report/report.html", **_report()[1])


@bp.get("/report.pdf")
def pdf() -> Response:
    report, values = _report()
    html = render_template("report/document.html", **values)
    return pdf_response(html, _filename(report, language(), "pdf"))


@bp.get("/report.csv")
def csv() -> Response:
    report = _report()[0]
    return csv_response(_filename(report, language(), "csv"), HEADER, report_rows(report))


def _filename(report: Report, code: str, extension: str) -> str:
    """mwc-status-as-at-2003-03-14-fr.pdf: ASCII only, so no header encoding is needed."""
    return f"mwc-status-as-at-{report.as_at.isoformat()}-{code}.{extension}"
