"""The status report: where the Convention stood on a date, as a page, a PDF and a CSV."""

from flask import Blueprint

bp = Blueprint("report", __name__)

from campaign.report import views  # noqa: E402,F401
