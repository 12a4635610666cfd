"""The outreach task list and board filtered by the state's stage on the road to ratification."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from campaign.extensions import db
from campaign.outreach.queries import TaskFilters
from tests.factories import OutreachTaskFactory, StageChangeFactory, state
from tests.factories.road import default_stage
from tests.road.helpers import default_stages

__all__ = ["default_stages"]  # the autouse fixture: the default stages, after a wipe too


def _tasks() -> None:
    StageChangeFactory(state=state("BRA"), stage=default_stage("before_parliament"))
    StageChangeFactory(state=state("ARG"), stage=default_stage("government_considering"))
    for iso3 in ("BRA", "ARG", "IND"):
        OutreachTaskFactory(state=state(iso3), title=f"Letter in {iso3}")
    db.session.commit()


def test_tasks_are_filtered_by_stage(coordinator: FlaskClient) -> None:
    _tasks()
    stage = default_stage("before_parliament")
    page = coordinator.get(f"/admin/outreach?stage={stage.id}").get_data(as_text=True)
    assert "Letter in BRA" in page and "Letter in ARG" not in page and "Letter in IND" not in page
    assert f'<option value="{stage.id}" selected' in page
    none = coordinator.get("/admin/outreach?stage=none").get_data(as_text=True)
    assert "Letter in IND" in none and "Letter in BRA" not in none
    board = coordinator.get(f"/admin/outreach/board?stage={stage.id}").get_data(as_text=True)
    assert "Letter in BRA" in board and "Letter in ARG" not in board


@pytest.mark.parametrize(
    "value", ["", "abc", "99999999999999999999999", "-1", "²", "0", "%00", "1e3", "none "]
)
def test_any_stage_argument_is_answered(coordinator: FlaskClient, value: str) -> None:
    _tasks()
    for path in ("/admin/outreach", "/admin/outreach/board", "/admin/outreach/export.csv"):
        assert coordinator.get(f"{path}?stage={value}").status_code == 200


def test_an_unknown_stage_matches_no_task_and_bad_ones_are_ignored() -> None:
    assert TaskFilters.from_args({"stage": "999999"}).stage == "999999"
    assert TaskFilters.from_args({"stage": "x"}).stage is None
    assert TaskFilters.from_args({"stage": "none"}).args() == {"stage": "none"}
