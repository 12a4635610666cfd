"""The chart of parties over time agrees with the StatusChange history, replayed state by state."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from sqlalchemy import select

from campaign.extensions import db
from campaign.public.about import parties_chart
from campaign.public.party_chart import THRESHOLD
from campaign.public.timeline import public_timeline
from campaign.states.models import State

TODAY = dt.date(2026, 11, 23)


def _consents_from_history() -> list[dt.date]:
    """Each party's date of consent, from its acts as recorded (corrections applied)."""
    days = []
    for state in db.session.scalars(select(State)).unique():
        consents = [e.effective_on for e in public_timeline(state) if e.act != "signature"]
        if consents:
            days.append(max(consents))
    return sorted(days)


def _parties_on(day: dt.date) -> int:
    return sum(consent <= day for consent in _consents_from_history())


def test_each_year_of_the_chart_equals_the_count_from_the_history(app: Flask) -> None:
    chart = parties_chart(TODAY)
    assert chart.by_year[0][0] == 1990
    for year, count in chart.by_year:
        assert count == _parties_on(dt.date(year, 12, 31)), year


def test_the_milestones_of_the_history(app: Flask) -> None:
    chart = dict(parties_chart(TODAY).by_year)
    assert chart[1999] == _parties_on(dt.date(1999, 12, 31)) == 12
    assert _parties_on(dt.date(2003, 3, 13)) < THRESHOLD <= _parties_on(dt.date(2003, 3, 14))
    assert chart[2023] == 59 and chart[2024] == 60 == _parties_on(TODAY)
    assert _parties_on(dt.date(2024, 11, 4)) == 59  # Zimbabwe acceded on 5 November 2024
