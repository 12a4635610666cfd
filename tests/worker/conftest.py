"""The notification tests' SMTP spy and own-settings workers, for the crash tests here."""

from tests.notifications.conftest import own_worker, sink_spy

__all__ = ["own_worker", "sink_spy"]
