"""The Convention's own dates: adoption, entry into force, and International Migrants Day.

Facts with sources: adopted by General Assembly resolution 45/158 of 18 December 1990 (the
date is now International Migrants Day); entered into force on 1 July 2003 under article 87,
the first day of the month after three months from the 20th instrument (14 March 2003).
General Assembly resolution 55/93 of 4 December 2000 proclaimed 18 December International
Migrants Day, first kept on 18 December 2000.
"""

from __future__ import annotations

import datetime as dt

ADOPTED_ON = dt.date(1990, 12, 18)
TWENTIETH_INSTRUMENT_ON = dt.date(2003, 3, 14)
IN_FORCE_ON = dt.date(2003, 7, 1)
INSTRUMENTS_FOR_ENTRY_INTO_FORCE = 20  # article 87
MIGRANTS_DAY = (ADOPTED_ON.month, ADOPTED_ON.day)  # International Migrants Day: 18 December
FIRST_MIGRANTS_DAY = dt.date(2000, *MIGRANTS_DAY)  # resolution 55/93


def next_migrants_day(today: dt.date) -> dt.date:
    """The next International Migrants Day (18 December) on or after *today*."""
    this_year = dt.date(today.year, *MIGRANTS_DAY)
    return this_year if today <= this_year else dt.date(today.year + 1, *MIGRANTS_DAY)
