"""What each event tells (the `data` of a delivery): facts the campaign publishes anyway, and
never the name, address or message of an individual."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from campaign.pledges.models import Pledge
    from campaign.road.models import StageChange
    from campaign.states.models import State, StatusChange


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _state(state: State | None) -> dict[str, Any] | None:
    return None if state is None else {"iso3": state.iso3, "name": state.name}


def status_changed(change: StatusChange) -> dict[str, Any]:
    """A state's status recorded or corrected (the history entry, not who recorded it)."""
    return {
        "state": _state(change.state),
        "act": change.act,
        "from_status": change.from_status,
        "to_status": change.to_status,
        "method": change.method,
        "effective_on": _day(change.effective_on),
        "source_url": change.source_url,
        "corrects": change.corrects_id,
        "is_retraction": change.is_retraction,
    }


def pledge_confirmed(pledge: Pledge) -> dict[str, Any]:
    """A pledge confirmed: its kind and country, whether it counts, the counts now, and an
    organisation's name once a coordinator approved it (the name is public from then on)."""
    from campaign.pledges import counters

    iso3 = pledge.country.iso3 if pledge.country is not None else None
    individuals, organisations, paper = counters.for_state(iso3) if iso3 else (None, None, None)
    approved = pledge.kind == "organisation" and pledge.moderation == "approved"
    return {
        "kind": pledge.kind,
        "country": _state(pledge.country),
        "is_counted": pledge.is_counted,
        "moderation": pledge.moderation,
        "organisation_name": pledge.organisation_name if approved else None,
        "counts": {
            "total": counters.totals(),
            "country": None
            if iso3 is None
            else {"individual": individuals, "organisation": organisations, "offline": paper},
        },
    }


def stage_changed(change: StageChange) -> dict[str, Any]:
    """A state's stage on the road to ratification, once confirmed."""
    return {
        "state": _state(change.state),
        "stage": {"key": change.stage.key, "name": change.stage.name},
        "effective_on": _day(change.effective_on),
        "source_url": change.source_url,
        "status": change.status,
    }


def event_approved(
    *,
    title: str,
    starts_at: dt.datetime | dt.date | None,
    country: State | None,
    organisation_name: str | None = None,
    url: str | None = None,
    **extra: str | int | None,
) -> dict[str, Any]:
    """A Migrants Day event approved for publication (only what its public page shows)."""
    return {
        "title": title,
        "starts_at": starts_at.isoformat() if starts_at is not None else None,
        "country": _state(country),
        "organisation_name": organisation_name,
        "url": url,
        **extra,
    }
