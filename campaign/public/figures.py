"""The home page's figures (the registry's counts, the recent acts, the pledge totals), kept
per process for RUNTIME_CACHE_SECONDS.

Anonymous readers get a copy of the whole page at most PUBLIC_CACHE_SECONDS old (the page
cache); a reader with a cookie (a coordinator, someone who has just signed) gets the page
rendered for them, from figures at most RUNTIME_CACHE_SECONDS old: the page then runs no SQL.
A change through the ORM in this process clears them at once (settings.services.ProcessCache).
"""

from __future__ import annotations

from dataclasses import dataclass

from campaign.pledges import counters
from campaign.pledges.models import PledgeCounter
from campaign.settings.services import ProcessCache
from campaign.states import queries
from campaign.states.models import State, StatusChange
from campaign.states.queries import RecentAct, RegistryStats


@dataclass(frozen=True)
class Overview:
    stats: RegistryStats
    recent: tuple[RecentAct, ...]
    pledges: dict[str, int]


def _load(_key: str) -> Overview:
    stats, recent = queries.registry_overview()
    return Overview(stats, tuple(recent), counters.totals())


_OVERVIEW = ProcessCache(_load)
_OVERVIEW.clear_on_change(State, StatusChange, PledgeCounter)


def overview() -> Overview:
    return _OVERVIEW.get("home")
