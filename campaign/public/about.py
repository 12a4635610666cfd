"""About the Convention: what it is, why ratification matters, who campaigns, its history."""

from __future__ import annotations

import datetime as dt

from flask import render_template
from sqlalchemy import select

from campaign.extensions import db
from campaign.organisations.models import Organisation, SteeringMembership
from campaign.public import bp
from campaign.public.party_chart import PartyChart, party_chart
from campaign.states.models import State
from campaign.states.treaty import ADOPTED_ON, IN_FORCE_ON, TWENTIETH_INSTRUMENT_ON


def parties_chart(today: dt.date | None = None) -> PartyChart:
    dates = db.session.scalars(
        select(State.consented_on).where(State.status == "party", State.consented_on.is_not(None))
    ).all()
    return party_chart([day for day in dates if day is not None], today or dt.date.today())


@bp.get("/about")
def about() -> str:
    steering = db.session.scalars(
        select(Organisation)
        .join(SteeringMembership, SteeringMembership.organisation_id == Organisation.id)
        .where(Organisation.merged_into_id.is_(None))
        .order_by(Organisation.name)
    ).all()
    return render_template(
        "public/about.html",
        steering=steering,
        chart=parties_chart(),
        adopted=ADOPTED_ON,
        twentieth=TWENTIETH_INSTRUMENT_ON,
        in_force=IN_FORCE_ON,
    )
