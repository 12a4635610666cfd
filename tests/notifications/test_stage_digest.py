"""Digests mention the changes of stage confirmed in their period, in the reader's language."""

from __future__ import annotations

import datetime as dt

from flask import Flask

from campaign.notifications import digests
from campaign.notifications.content import localised_content
from campaign.notifications.messages import render_shared
from tests.factories import RoadStageFactory, StageChangeFactory, state
from tests.factories.road import default_stage
from tests.road.helpers import default_stages

__all__ = ["default_stages"]  # the autouse fixture: the default stages, after a wipe too
MONDAY = dt.date(2026, 11, 30)
IN_PERIOD = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)


def test_the_digest_lists_the_stage_changes_confirmed_in_its_period(app: Flask) -> None:
    StageChangeFactory(
        state=state("BRA"),
        stage=default_stage("before_parliament"),
        effective_on=dt.date(2026, 11, 20),
        decided_at=IN_PERIOD,
    )
    StageChangeFactory(
        state=state("ARG"),
        stage=RoadStageFactory(name="Referred to the Senate committee"),
        effective_on=dt.date(2026, 11, 21),
        decided_at=IN_PERIOD,
    )
    StageChangeFactory(state=state("IND"), decided_at=IN_PERIOD - dt.timedelta(days=30))
    StageChangeFactory(state=state("PHL"), status="proposed", decided_by=None, decided_at=None)
    digest = digests.build_digest(kind="weekly", today=MONDAY)
    listed = digest.content["stage_changes"]
    assert [(c["state"], c["stage"], c["effective_on"]) for c in listed] == [
        ("Brazil", "Before parliament", "20 November 2026"),
        ("Argentina", "Referred to the Senate committee", "21 November 2026"),
    ]
    text, html = render_shared("digest", "en", **digest.content)
    assert "On the road to ratification:" in text
    assert "Brazil: Before parliament, on 20 November 2026" in text
    assert ">Brazil</a>: Before parliament, on 20 November 2026" in html
    french = localised_content(digest.content, digest.since_on, "fr")
    assert [c["state"] for c in french["stage_changes"]] == ["Brésil", "Argentine"]
    assert french["stage_changes"][0]["effective_on"] == "20 novembre 2026"
    assert french["stage_changes"][1]["stage"] == "Referred to the Senate committee"
    assert french["stage_changes"][0]["url"].endswith("/fr/states/BRA")


def test_a_digest_without_stage_changes_says_nothing_of_them(app: Flask) -> None:
    digest = digests.build_digest(kind="weekly", today=MONDAY)
    assert digest.content["stage_changes"] == []
    text, _html = render_shared("digest", "en", **digest.content)
    assert "road to ratification" not in text
    # A digest stored before stages existed has no such key: it renders as before.
    old = {k: v for k, v in digest.content.items() if k != "stage_changes"}
    assert localised_content(old, digest.since_on, "fr")["stage_changes"] == []
