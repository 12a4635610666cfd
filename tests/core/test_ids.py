"""Ids in paths stop at PostgreSQL's INTEGER, every table's key: one beyond it is a 404 at the
route, never an "integer out of range" from the database (a 500 on PostgreSQL only)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from campaign.core.params import MAX_ID


@pytest.mark.parametrize(
    "value", [str(MAX_ID), str(MAX_ID + 1), str(2**63), str(2**80), "٣", "１", "-1", "1e3"]
)
@pytest.mark.parametrize(
    "path", ["/api/v1/events/{}", "/events/{}", "/events/{}.ics", "/materials/{}/latest"]
)
def test_ids_beyond_the_keys_are_a_404(client: FlaskClient, path: str, value: str) -> None:
    assert client.get(path.format(value)).status_code == 404


@pytest.mark.parametrize("value", [str(MAX_ID + 1), str(2**63)])
def test_the_back_office_too(coordinator: FlaskClient, value: str) -> None:
    assert coordinator.get(f"/admin/organisations/{value}/embed").status_code == 404
    assert coordinator.get(f"/admin/webhooks/{value}").status_code == 404
