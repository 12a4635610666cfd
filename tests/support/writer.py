"""A process that writes as the web and the worker do: read, then write, then commit, N times.

`python -m tests.support.writer LABEL COUNT` with DATABASE_URL set; prints "done" at the end.
Each round opens a savepoint, reads, adds an audit event (as an invitation does: the read comes
before the first write of the transaction), and moves a counter in SQL (as a confirmation
does); with two of these at once, a stale snapshot, a lock error or a lost update shows.
"""

from __future__ import annotations

import sys

from sqlalchemy import func, select, update

from campaign import create_app
from campaign.audit.services import record_event
from campaign.extensions import db
from campaign.pledges.models import PledgeCounter

SCOPE = ("ZZZ", "individual")


def main(label: str, count: int) -> None:
    app = create_app("test")
    with app.app_context():
        for number in range(count):
            with db.session.begin_nested():
                db.session.scalar(select(func.count()).select_from(PledgeCounter))
                record_event(
                    actor=None,
                    actor_label=label,
                    action="test.concurrent_write",
                    entity_type="test",
                    entity_id=number,
                )
            db.session.execute(
                update(PledgeCounter)
                .where(PledgeCounter.scope == SCOPE[0], PledgeCounter.kind == SCOPE[1])
                .values(online=PledgeCounter.online + 1)
            )
            db.session.commit()
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
