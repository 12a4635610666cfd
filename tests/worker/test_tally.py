"""A digest chunk pauses when its sends fail too often: more than DIGEST_ERROR_RATE_PAUSE of
them, once DIGEST_ERROR_MIN_SAMPLE were tried; read once per chunk from the settings."""

from __future__ import annotations

import pytest
from flask import Flask

from worker.notifications import Tally


@pytest.mark.parametrize(
    ("min_sample", "rate", "sent", "errors", "paused"),
    [
        (20, 0.2, 0, 0, False),  # nothing tried yet
        (0, 0.2, 0, 0, False),  # a minimum of 0: no division by zero before the first send
        (0, 0.2, 0, 1, True),
        (20, 0.2, 0, 19, False),  # every one failed, but too few to judge
        (20, 0.2, 16, 4, False),  # exactly the rate: not more than it
        (20, 0.2, 15, 5, True),
        (20, 0.0, 999, 1, True),
        (20, 1.0, 0, 50, False),  # a rate of 1 never pauses
    ],
)
def test_a_chunk_pauses_past_the_rate_once_enough_were_tried(
    min_sample: int, rate: float, sent: int, errors: int, paused: bool
) -> None:
    tally = Tally(min_sample, rate)
    for outcome in ["sent"] * sent + ["failed"] * errors:
        tally.add(outcome)
    assert tally.too_many_errors() is paused


def test_the_thresholds_come_from_the_settings(app: Flask) -> None:
    app.config.update(DIGEST_ERROR_MIN_SAMPLE="3", DIGEST_ERROR_RATE_PAUSE="0.5")
    tally = Tally.configured()
    assert (tally.min_sample, tally.pause_rate) == (3, 0.5)
    for outcome in ("failed", "failed", "sent"):
        tally.add(outcome)
    assert tally.too_many_errors()
