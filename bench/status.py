"""Benchmark 2, the status pages: the app over a million pledges against their bare bytes."""

from __future__ import annotations

import base64
import json
import statistics
from pathlib import Path
from typing import Any

import requests

from bench.wrk import run_wrk

PAGES = ("/", "/states/MEX", "/api/v1/stats")
# Per-response headers a replay must not repeat verbatim.
SKIP_HEADERS = {"date", "server", "connection", "transfer-encoding", "set-cookie"}


def record_pages(app_url: str, path: Path) -> dict[str, int]:
    """The app's answer for each page, saved for the baseline; their sizes in bytes."""
    pages: dict[str, Any] = {}
    for page in PAGES:
        response = requests.get(f"{app_url}{page}", timeout=10)
        response.raise_for_status()
        headers = [(k, v) for k, v in response.headers.items() if k.lower() not in SKIP_HEADERS]
        headers = [(k, v) for k, v in headers if k.lower() not in {"content-encoding"}]
        pages[page] = {
            "status": f"{response.status_code} {response.reason}",
            "headers": headers,
            "body": base64.b64encode(response.content).decode(),
        }
    path.write_text(json.dumps(pages))
    return {page: len(base64.b64decode(value["body"])) for page, value in pages.items()}


def measure(
    urls: dict[str, str], *, connections: int, seconds: float, rounds: int, cookie: str
) -> dict[str, Any]:
    """Per page and round, the app for an anonymous reader (the page cache answers), the app for
    a reader with a session *cookie* (rendered every time) and the baseline, back to back, the
    order rotated each round."""
    runs: list[dict[str, Any]] = []
    targets: dict[str, list[str]] = {"app": [], "cookie": [f"Cookie: {cookie}"], "base": []}
    for target, headers in targets.items():
        for page in PAGES:
            url = f"{urls['base' if target == 'base' else 'app']}{page}"
            run_wrk(url, connections=4, seconds=1, script="get.lua", headers=headers)
    for round_no in range(rounds):
        for page in PAGES:
            order = list(targets)[round_no % 3 :] + list(targets)[: round_no % 3]
            for target in order:
                result = run_wrk(
                    f"{urls['base' if target == 'base' else 'app']}{page}",
                    connections=connections,
                    seconds=seconds,
                    script="get.lua",
                    headers=targets[target],
                )
                runs.append({"target": target, "page": page, "round": round_no, **result.as_dict()})
                print(
                    f"  status {target:>4} {page:<14} round {round_no + 1}: "
                    f"{result.acked_per_second:8.1f}/s p99 {result.p99_ms:7.1f} ms",
                    flush=True,
                )
    summary: dict[str, Any] = {}
    for page in PAGES:
        mine = [run for run in runs if run["page"] == page]
        app = [run for run in mine if run["target"] == "app"]
        base = [run for run in mine if run["target"] == "base"]
        signed = [run for run in mine if run["target"] == "cookie"]
        summary[page] = {
            "cookie_per_second": statistics.median(run["per_second"] for run in signed),
            "cookie_p99_ms": statistics.median(run["p99_ms"] for run in signed),
            "cookie_ratio": statistics.median(
                a["per_second"] / b["per_second"] for a, b in zip(signed, base, strict=True)
            ),
            "app_per_second": statistics.median(run["per_second"] for run in app),
            "app_p99_ms": statistics.median(run["p99_ms"] for run in app),
            "base_per_second": statistics.median(run["per_second"] for run in base),
            "base_p99_ms": statistics.median(run["p99_ms"] for run in base),
            "ratio": statistics.median(
                a["per_second"] / b["per_second"] for a, b in zip(app, base, strict=True)
            ),
            "errors": sum(run["s4xx"] + run["s5xx"] + run["socket_errors"] for run in mine),
        }
    return {"runs": runs, "summary": summary}
