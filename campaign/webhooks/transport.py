"""The HTTP client that delivers webhooks: no proxies from the environment, no redirects, and
(unless private addresses are allowed) a refusal of any connection to a non-public address.

The address is checked on the connected socket's peer, so whatever DNS answered between the
registration check and this request, no private service is ever reached.
"""

from __future__ import annotations

from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError

from campaign.webhooks.addresses import is_public

REFUSED = "refused: the address is not a public one"


class _PublicOnlyConnection(HTTPSConnection):
    def _new_conn(self) -> Any:
        sock = super()._new_conn()
        peer = sock.getpeername()[0]
        if not is_public(str(peer)):
            sock.close()
            raise NewConnectionError(self, REFUSED)
        return sock


class _PublicOnlyPool(HTTPSConnectionPool):
    ConnectionCls = _PublicOnlyConnection


class _PublicOnlyAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        # Plain http is refused before any request; https goes through the checked pool.
        self.poolmanager.pool_classes_by_scheme = {
            "http": HTTPConnectionPool,
            "https": _PublicOnlyPool,
        }


def session(*, allow_private: bool) -> requests.Session:
    """A session for one delivery (closed by the caller)."""
    client = requests.Session()
    client.trust_env = False  # no proxy, netrc or CA bundle from the environment
    adapter = HTTPAdapter(max_retries=0) if allow_private else _PublicOnlyAdapter(max_retries=0)
    client.mount("https://", adapter)
    return client
