"""Peak memory of the pledge CSV export and the organisation import, by the number of rows.

`python -m bench.memory export N` streams the first N confirmed pledges through the export's
own CSV writer; `python -m bench.memory import N` checks an N-row organisation file (the
import's dry run). Each prints one JSON line: the rows handled and the process's peak resident
set (ru_maxrss). Run in a fresh process per figure, on the benchmark database
(BENCH_DATABASE_URL), by `bench.growth`.
"""

from __future__ import annotations

import itertools
import json
import os
import resource
import subprocess
import sys
from typing import Any

from bench.stack import ROOT


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def export(rows: int) -> dict[str, Any]:
    from campaign.core.csv import csv_lines
    from campaign.pledges import export as pledge_export

    written = 0
    with open(os.devnull, "w") as sink:
        for line in csv_lines(
            pledge_export.HEADER, itertools.islice(pledge_export.confirmed_pledge_rows(), rows)
        ):
            sink.write(line)
            written += 1
    return {"rows": written - 1}


def organisation_file(rows: int) -> bytes:
    lines = ["name,kind,country,website,contact_name,contact_email,partner_states,partner_role"]
    lines += [
        f"Organisation {i},ngo,MEX,https://org{i}.example.org,Contact {i},"
        f"contact{i}@example.org,MEX,member"
        for i in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def check_import(rows: int) -> dict[str, Any]:
    from campaign.organisations.importer import ImportRefused, read_import

    raw = organisation_file(rows)
    try:
        report = read_import(raw)
    except ImportRefused as refused:
        return {"rows": 0, "bytes": len(raw), "refused": str(refused)}
    return {"rows": len(report.rows), "bytes": len(raw), "errors": len(report.errors)}


def measure(what: str, rows: int, env: dict[str, str]) -> dict[str, Any]:
    """One figure, in a fresh process."""
    argv = [sys.executable, "-m", "bench.memory", what, str(rows)]
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, check=True)  # noqa: S603
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    what, rows = sys.argv[1], int(float(sys.argv[2]))
    from campaign import create_app

    app = create_app("production")
    with app.app_context():
        before = _peak_mib()
        result = export(rows) if what == "export" else check_import(rows)
    print(json.dumps({**result, "start_mib": round(before, 1), "peak_mib": round(_peak_mib(), 1)}))


if __name__ == "__main__":
    main()
