"""The end of a long-lived process's start (a web worker, the Celery worker before its pool
forks): what the first request or job would otherwise do, done once, then the heap frozen."""

from __future__ import annotations

import gc

from sqlalchemy.orm import configure_mappers


def finish_startup() -> None:
    """Configure every ORM mapper, then freeze what is loaded by now.

    SQLAlchemy configures its mappers (relationships, back-references, the loaders' strategies)
    lazily, on the first query. In the Celery worker that first query ran in each forked child,
    again: some 55 ms of a child's first digest (bench/README.md, ninth step), and memory the
    children could have shared with their parent.

    Frozen, the collector's full passes no longer walk what every request or job keeps (the
    app, its templates' code, the libraries: some 180,000 objects), a pause of tens of
    milliseconds in the request that happened to trigger one; a forked child shares it.
    """
    configure_mappers()
    gc.freeze()
