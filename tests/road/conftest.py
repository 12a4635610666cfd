"""Every road test runs with the six default stages (tests/road/helpers.py)."""

from tests.road.helpers import default_stages  # noqa: F401  (an autouse fixture)
