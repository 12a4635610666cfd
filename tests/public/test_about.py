"""About the Convention, and the chart of parties over time drawn from the registry."""

from __future__ import annotations

import datetime as dt
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from campaign.extensions import db
from campaign.public.about import parties_chart
from campaign.public.party_chart import THRESHOLD, count_on, party_chart
from campaign.states.models import State

STEERING = (
    "December 18",
    "Human Rights Watch",
    "International Catholic Migration Commission",
    "International Confederation of Free Trade Unions",
    "International Labour Office",
    "International Movement Against All Forms of Discrimination and Racism",
    "International Organization for Migration",
    "Migrants Forum in Asia",
    "Migrants Rights International",
    "Office of the High Commissioner for Human Rights",
    "Public Services International",
    "Women's International League for Peace and Freedom",
    "World Council of Churches",
)


def test_the_page_makes_the_case_names_the_committee_and_tells_the_history(
    client: FlaskClient,
) -> None:
    response = client.get("/about")
    assert response.status_code == 200
    page = response.get_data(as_text=True).replace("&#39;", "'")
    points = page[page.index('<ol class="six-points">') :]
    assert points[: points.index("</ol>")].count("<li>") == 6
    assert all(f"<li>{name}</li>" in page for name in STEERING)
    for day in ("1990-12-18", "2003-03-14", "2003-07-01"):
        assert f'<time datetime="{day}">' in page
    assert "60 parties" in page


def test_the_twentieth_party_is_the_one_of_14_march_2003(app: Flask) -> None:
    """The registry agrees with history: the 20th instrument, then entry into force."""
    chart = parties_chart(dt.date(2026, 11, 23))
    by_year = dict(chart.by_year)
    assert chart.total == 60 and by_year[2026] == 60
    assert by_year[1990] == 0 and by_year[2002] < THRESHOLD <= by_year[2003]
    dates = sorted(day for day in db.session.scalars(select(State.consented_on)) if day is not None)
    assert count_on(dates, dt.date(2003, 3, 13)) == THRESHOLD - 1
    assert count_on(dates, dt.date(2003, 3, 14)) == THRESHOLD + 1  # El Salvador, Guatemala


def test_count_on_is_a_step_on_the_day_of_consent() -> None:
    dates = [dt.date(2003, 3, 14), dt.date(2003, 3, 14), dt.date(2005, 1, 1)]
    assert count_on(dates, dt.date(2003, 3, 13)) == 0
    assert count_on(dates, dt.date(2003, 3, 14)) == 2
    assert count_on(dates, dt.date(2030, 1, 1)) == 3


def test_the_chart_draws_one_step_per_party_and_the_threshold() -> None:
    today = dt.date(2026, 11, 23)
    dates = [dt.date(1995, 6, 1) + dt.timedelta(days=100 * n) for n in range(25)]
    chart = party_chart([*dates, dt.date(1980, 1, 1), dt.date(2030, 1, 1)], today)
    assert chart.total == 25  # consents before adoption or in the future are not drawn
    assert len(re.findall(r"H[\d.]+V", chart.line)) == 25
    top = chart.y_ticks[-1][1]
    assert top == 30 and chart.y_ticks[0] == (272.0, 0)
    assert chart.y_ticks[-1][0] < chart.threshold_y < chart.y_ticks[0][0]
    assert [year for _, year in chart.x_ticks] == [1995, 2000, 2005, 2010, 2015, 2020, 2025]
