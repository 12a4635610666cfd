"""Each long-lived entry point ends its start with the mappers configured and the heap frozen
(campaign/core/startup.py): the Celery worker before its pool forks, so no child configures
them again on its first job; a web worker before its first request."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# What a fresh interpreter sees once the entry point is imported, and nothing else has run.
PROBE = """
import gc, json, sys
import {module}
from campaign.extensions import db
mappers = list(db.Model.registry.mappers)
print(json.dumps({{
    "mappers": len(mappers),
    "unconfigured": sorted(m.class_.__name__ for m in mappers if not m.configured),
    "frozen": gc.get_freeze_count(),
}}))
"""


@pytest.mark.parametrize("module", ["worker.app", "wsgi"])
def test_the_entry_point_configures_every_mapper_and_freezes_the_heap(
    module: str, service_env: dict[str, str]
) -> None:
    env = {**os.environ, **service_env, "CAMPAIGN_ENV": "test"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(module=module)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["mappers"] > 20  # every model of the app, not an empty registry
    assert seen["unconfigured"] == []
    assert seen["frozen"] > 100_000
