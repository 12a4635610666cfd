"""The report as CSV: one row per state (all of them, as /api/v1/states?as_at lists them)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from campaign.report.content import Report

HEADER = [
    "as_at",
    "since",
    "iso3",
    "name",
    "local_name",
    "status",
    "signed_on",
    "consented_on",
    "method",
    "changed_since",
]


def report_rows(report: Report) -> Iterator[list[Any]]:
    """A row per state in the registry's order (by English name): its status on the date, the
    registry's name and the name in the report's language; `changed_since` is "yes" when one of
    its acts falls in the report's period."""
    changed = {row.iso3 for row in report.changes}
    for state in report.standings:
        yield [
            report.as_at,
            report.since,
            state.iso3,
            state.name,
            report.names[state.iso3],
            state.status,
            state.signed_on,
            state.consented_on,
            state.consent_method,
            "yes" if state.iso3 in changed else "no",
        ]
