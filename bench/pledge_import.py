"""Pledge import in constant memory: a generated file of N rows dry-run and imported in this
process, batch by batch as the worker's job does, with the peak of Python's allocations
(tracemalloc) and of resident memory measured over both phases.

    .venv/bin/python -m bench.pledge_import --rows 200000          # a fresh SQLite file
    .venv/bin/python -m bench.pledge_import --rows 200000 --database postgresql://...
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

from flask_migrate import upgrade

from campaign import create_app
from campaign.extensions import db
from campaign.pledges import imports
from campaign.pledges.import_mapping import guess_mapping
from campaign.pledges.import_models import PledgeImport


def write_file(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("First Name,Last Name,Email,Country,Public\n")
        for n in range(rows):
            country = ("MEX", "PH", "Senegal", "")[n % 4]
            out.write(f"Supporter,{n},bench{n}@example.net,{country},{'yes' if n % 2 else ''}\n")


def drain(import_id: int) -> float:
    """Work the import's current phase to its end, committing per batch; seconds taken."""
    started = time.perf_counter()
    while imports.work_batch(import_id):
        db.session.commit()
        db.session.expunge_all()
    db.session.commit()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--database", default="")
    parser.add_argument("--no-tracemalloc", action="store_true", help="time without its cost")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-import-"))
    url = options.database or f"sqlite:///{work / 'bench.sqlite'}"
    app = create_app("test", SQLALCHEMY_DATABASE_URI=url, PLEDGE_IMPORT_DIR=str(work / "imports"))
    app.config["PLEDGE_IMPORT_MAX_BYTES"] = 1 << 34
    source = work / "pledges.csv"
    write_file(source, options.rows)
    with app.app_context():
        upgrade()
        app.test_cli_runner().invoke(args=["campaign", "seed"])
        with source.open("rb") as stream:
            pledge_import = imports.create_import(
                stream=stream, filename="bench.csv", actor=None, locale="en"
            )
        imports.check_with_mapping(
            pledge_import=pledge_import, mapping=guess_mapping(pledge_import.header)
        )
        db.session.commit()
        import_id = pledge_import.id
        if not options.no_tracemalloc:
            tracemalloc.start()
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        dry = drain(import_id)
        checked = db.session.get(PledgeImport, import_id)
        assert checked is not None and checked.state == "checked", checked and checked.error
        imports._start(checked, "run", "running")
        db.session.commit()
        run = drain(import_id)
        peak = tracemalloc.get_traced_memory()[1] if tracemalloc.is_tracing() else 0
        done = db.session.get(PledgeImport, import_id)
        assert done is not None
        print(f"rows                 {options.rows:>12,}")
        print(f"file                 {source.stat().st_size / 1e6:>11.1f} MB")
        print(f"dry run              {dry:>11.1f} s  ({options.rows / dry:,.0f} rows/s)")
        print(f"run                  {run:>11.1f} s  ({options.rows / run:,.0f} rows/s)")
        print(f"created/merged/ref.  {done.created:>12,} {done.merged:,} {done.refused:,}")
        print(f"Python heap peak     {peak / 1e6:>11.1f} MB  (tracemalloc, both phases)")
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(f"max RSS              {rss_after / 1e3:>11.1f} MB  (was {rss_before / 1e3:.1f})")


if __name__ == "__main__":
    main()
