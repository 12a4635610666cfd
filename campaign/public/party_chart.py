"""The number of parties over time, since the Convention's adoption: a server-drawn SVG chart.

It is built from each party's date of consent as the StatusChange history gives it (corrections
applied: `recompute_state` keeps `State.consented_on` true to the history).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass

from campaign.states.treaty import ADOPTED_ON as ADOPTED
from campaign.states.treaty import IN_FORCE_ON as IN_FORCE
from campaign.states.treaty import INSTRUMENTS_FOR_ENTRY_INTO_FORCE as THRESHOLD

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 16, 28


@dataclass(frozen=True)
class PartyChart:
    width: int
    height: int
    line: str  # the step line of the count
    area: str  # the same, closed down to the axis
    threshold_y: float
    in_force_x: float
    x_ticks: list[tuple[float, int]]  # (x, year)
    y_ticks: list[tuple[float, int]]  # (y, parties)
    by_year: list[tuple[int, int]]  # parties at the end of each year, for the table
    total: int


def count_on(dates: list[dt.date], day: dt.date) -> int:
    """Parties on *day*: consents dated that day or before (*dates* sorted)."""
    return bisect_right(dates, day)


def party_chart(consented_on: list[dt.date], today: dt.date) -> PartyChart:
    dates = sorted(day for day in consented_on if ADOPTED <= day <= today)
    top = max(THRESHOLD, len(dates))
    top = (top // 10 + 1) * 10
    span = (today - ADOPTED).days or 1

    def x(day: dt.date) -> float:
        return round(LEFT + (day - ADOPTED).days / span * (WIDTH - LEFT - RIGHT), 1)

    def y(count: int) -> float:
        return round(HEIGHT - BOTTOM - count / top * (HEIGHT - TOP - BOTTOM), 1)

    steps = [f"M{x(ADOPTED)} {y(0)}"]
    for count, day in enumerate(dates, start=1):
        steps.append(f"H{x(day)}V{y(count)}")
    steps.append(f"H{x(today)}")
    line = "".join(steps)
    years = range(1995, today.year + 1, 5)
    return PartyChart(
        width=WIDTH,
        height=HEIGHT,
        line=line,
        area=f"{line}V{y(0)}Z",
        threshold_y=y(THRESHOLD),
        in_force_x=x(IN_FORCE),
        x_ticks=[(x(dt.date(year, 1, 1)), year) for year in years],
        y_ticks=[(y(count), count) for count in range(0, top + 1, 10)],
        by_year=[
            (year, count_on(dates, min(dt.date(year, 12, 31), today)))
            for year in range(ADOPTED.year, today.year + 1)
        ],
        total=len(dates),
    )
