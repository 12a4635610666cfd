"""The pledge import tests leave no file behind: a test rolled back keeps no import row, so its
uploads are removed from the test run's import folder after it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask


@pytest.fixture(autouse=True)
def no_files_left(app: Flask) -> Iterator[None]:
    folder = Path(app.config["PLEDGE_IMPORT_DIR"])
    before = set(folder.glob("*.csv")) if folder.exists() else set()
    yield
    for path in set(folder.glob("*.csv")) - before if folder.exists() else ():
        path.unlink(missing_ok=True)
