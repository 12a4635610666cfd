"""The exports index: a name it does not list is not found."""

from __future__ import annotations

from flask.testing import FlaskClient


def test_unknown_export_is_404(coordinator: FlaskClient) -> None:
    assert coordinator.get("/admin/export/users.csv").status_code == 404
