"""The report's opening paragraph, in the words of the Secretary-General's reports.

"As at 10 June 2003, the Convention had been ratified by 22 States, namely, ... In addition,
11 States, namely, ..., have signed the Convention." Parties are counted whether they ratified
or acceded, so the sentence says "ratified or acceded to", as the Secretary-General's reports
do when they count accessions too. The signatories are the states that had signed and were
not yet parties on the date.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from campaign.i18n.localised import long_date, number
from campaign.report.collation import listed
from campaign.report.content import Report


def opening(report: Report, code: str) -> str:
    """The paragraph in language *code* (the current one)."""
    date = long_date(report.as_at, code)
    parties = [row.name for row in report.parties]
    signatories = [row.name for row in report.signatories]
    if parties:
        first = ngettext(
            "As at %(date)s, the Convention had been ratified or acceded to by %(count)s State, "
            "namely, %(states)s.",
            "As at %(date)s, the Convention had been ratified or acceded to by %(count)s States, "
            "namely, %(states)s.",
            len(parties),
            date=date,
            count=number(len(parties), code),
            states=listed(parties, code),
        )
    else:
        first = _(
            "As at %(date)s, the Convention had not been ratified or acceded to by any State.",
            date=date,
        )
    sentences = [first]
    if signatories:
        values = {"count": number(len(signatories), code), "states": listed(signatories, code)}
        if parties:
            sentences.append(
                ngettext(
                    "In addition, %(count)s State, namely, %(states)s, has signed the Convention.",
                    "In addition, %(count)s States, namely, %(states)s, have signed the "
                    "Convention.",
                    len(signatories),
                    **values,
                )
            )
        else:
            sentences.append(
                ngettext(
                    "%(count)s State, namely, %(states)s, has signed the Convention.",
                    "%(count)s States, namely, %(states)s, have signed the Convention.",
                    len(signatories),
                    **values,
                )
            )
    # Chinese sentences follow one another with no space (the full stop is full width).
    return ("" if code == "zh" else " ").join(sentences)
