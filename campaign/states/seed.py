"""Loading the registry and the steering committee from the reference data in campaign/data/."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select

from campaign.extensions import db
from campaign.organisations.models import Organisation, SteeringMembership
from campaign.states.models import State
from campaign.states.services import Act, record_status_change

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
UNTC_URL = "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=IV-13&chapter=4"

# The steering committee as named on the campaign's own site, with each organisation's kind.
STEERING_COMMITTEE = (
    ("December 18", "ngo"),
    ("Human Rights Watch", "ngo"),
    ("International Catholic Migration Commission", "faith_based"),
    ("International Confederation of Free Trade Unions", "trade_union"),
    ("International Labour Office", "un_body"),
    ("International Movement Against All Forms of Discrimination and Racism", "ngo"),
    ("International Organization for Migration", "intergovernmental"),
    ("Migrants Forum in Asia", "ngo"),
    ("Migrants Rights International", "ngo"),
    ("Office of the High Commissioner for Human Rights", "un_body"),
    ("Public Services International", "trade_union"),
    ("Women's International League for Peace and Freedom", "ngo"),
    ("World Council of Churches", "faith_based"),
)


def read_rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def iso2_of(value: str) -> str:
    """The ISO alpha-2 code; two rows of the data hold a pattern such as `^GR$|^EL$`.

    The first alternative is the ISO 3166 code (GR, GB); the second is the EU's or the
    exceptionally reserved code (EL, UK), which ISO does not assign to the state.
    """
    first = value.split("|", 1)[0]
    return first.strip("^$").upper()


def seed_state(row: dict[str, str]) -> bool:
    """Add the member state in *row* unless it exists; True when added."""
    if db.session.scalars(select(State.id).filter_by(iso3=row["iso3"])).first() is not None:
        return False
    db.session.add(
        State(
            iso3=row["iso3"],
            iso2=iso2_of(row["iso2"]),
            m49=row["m49"],
            name=row["name"],
            un_name=row["un_name"],
            region=row["region"],
            subregion=row["subregion"],
        )
    )
    return True


def acts_for(row: dict[str, str]) -> Iterator[Act]:
    """The acts a status row records, in the order they happened."""
    source = f"UN Treaty Collection, chapter IV-13 (reference data): {row['source_note']}"
    if row["signature_date"]:
        yield Act("signature", dt.date.fromisoformat(row["signature_date"]), source, UNTC_URL)
    if row["status"] == "party":
        yield Act(row["method"], dt.date.fromisoformat(row["deposit_date"]), source, UNTC_URL)


def seed_status(row: dict[str, str]) -> int:
    """Record the acts in *row* that the history lacks; the number recorded."""
    state = db.session.scalars(select(State).filter_by(iso3=row["iso3"])).one()
    if row["population"] and state.population is None:
        state.population = int(row["population"])
    recorded = 0
    for act in acts_for(row):
        if record_status_change(state=state, act=act, recorded_by=None, via="seed", alert=False):
            recorded += 1
    return recorded


def seed_steering_member(name: str, kind: str) -> bool:
    """Add the organisation and its steering-committee seat unless present; True when added."""
    organisation = db.session.scalars(select(Organisation).filter_by(name=name)).first()
    if organisation is None:
        organisation = Organisation(name=name, kind=kind)
        db.session.add(organisation)
    if organisation.steering_membership is not None:
        return False
    db.session.add(SteeringMembership(organisation=organisation, role="member"))
    return True
