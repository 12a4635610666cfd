"""The table `make bench` prints, and which of the project's targets each figure meets."""

from __future__ import annotations

from typing import Any

from bench.cpu_split import PARTS

DIGEST_TARGET_MAILS = 100_000
DIGEST_TARGET_SECONDS = 300


def _mark(ok: bool) -> str:
    return "met" if ok else "MISSED"


def targets(results: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(target, where we stand, met/MISSED) for every goal of issue 8."""
    rows: list[tuple[str, str, str]] = []
    surge = results.get("surge", {}).get("summary", {}).get("64")
    if surge:
        rows.append(
            (
                "pledge >= 0.8 x B2 (c=64)",
                f"{surge['app_over_b2']:.2f}",
                _mark(surge["app_over_b2"] >= 0.8),
            )
        )
        rows.append(
            (
                "pledge >= 0.45 x B1 (c=64)",
                f"{surge['app_over_b1']:.2f}",
                _mark(surge["app_over_b1"] >= 0.45),
            )
        )
        rows.append(
            (
                "pledge p99 <= 50 ms (c=64)",
                f"{surge['app_p99_ms']:.1f} ms",
                _mark(surge["app_p99_ms"] <= 50),
            )
        )
    for page, row in results.get("status", {}).get("summary", {}).items():
        rows.append((f"{page} >= 0.8 x bytes", f"{row['ratio']:.2f}", _mark(row["ratio"] >= 0.8)))
        if "cookie_ratio" in row:
            ratio = row["cookie_ratio"]
            rows.append((f"{page} with a cookie >= 0.3 x", f"{ratio:.2f}", _mark(ratio >= 0.3)))
    digest = results.get("digest")
    if digest:
        rows.append(
            (
                "digest wall/mail <= 1.5 x loop",
                f"{digest['wall_ratio']:.2f}",
                _mark(digest["wall_ratio"] <= 1.5),
            )
        )
        rows.append(
            (
                "digest CPU/mail <= 1.5 x loop",
                f"{digest['cpu_ratio']:.2f}",
                _mark(digest["cpu_ratio"] <= 1.5),
            )
        )
        mails, seconds = digest["digest"]["mails"], digest["digest"]["seconds"]
        projected = seconds * DIGEST_TARGET_MAILS / max(mails, 1)
        label = "measured" if mails >= DIGEST_TARGET_MAILS * 0.97 else "projected"
        rows.append(
            (
                "100,000 digests <= 5 min",
                f"{projected:.0f} s ({label})",
                _mark(projected <= DIGEST_TARGET_SECONDS),
            )
        )
    return rows


def table(results: dict[str, Any]) -> str:
    lines = [f"Benchmarks ({results['mode']}, {results['started']}, {results['machine']})", ""]
    surge = results.get("surge", {})
    if surge:
        lines.append("Pledge surge (accepted pledges/s, medians of interleaved rounds)")
        lines.append(
            f"{'conns':>5} {'app/s':>8} {'B1/s':>8} {'B2/s':>8} {'app/B1':>7} "
            f"{'app/B2':>7} {'app p50':>8} {'app p99':>8} {'B2 p99':>8}"
        )
        for conns, s in surge["summary"].items():
            lines.append(
                f"{conns:>5} {s['app_per_second']:8.1f} {s['b1_per_second']:8.1f} "
                f"{s['b2_per_second']:8.1f} {s['app_over_b1']:7.2f} {s['app_over_b2']:7.2f} "
                f"{s['app_p50_ms']:6.1f}ms {s['app_p99_ms']:6.1f}ms {s['b2_p99_ms']:6.1f}ms"
            )
        checks = surge.get("checks", {})
        lines.append(
            f"  pledges stored: {checks.get('pledges')}, confirmation mails: "
            f"{checks.get('mails')}, problems: {checks.get('problems') or 'none'}"
        )
        lines.append("")
    status = results.get("status", {})
    if status:
        lines.append(f"Status pages over {status['pledges']:,} pledges (64 connections)")
        lines.append(
            f"{'page':<15} {'app/s':>8} {'bytes/s':>9} {'ratio':>6} {'app p99':>8} {'bytes p99':>9}"
        )
        for page, s in status["summary"].items():
            lines.append(
                f"{page:<15} {s['app_per_second']:8.1f} {s['base_per_second']:9.1f} "
                f"{s['ratio']:6.2f} {s['app_p99_ms']:6.1f}ms {s['base_p99_ms']:7.1f}ms"
            )
            if "cookie_ratio" in s:
                lines.append(
                    f"{'  with a cookie':<15} {s['cookie_per_second']:8.1f} {'':>9} "
                    f"{s['cookie_ratio']:6.2f} {s['cookie_p99_ms']:6.1f}ms"
                )
        lines.append("")
    digest = results.get("digest")
    if digest:
        d = digest["digest"]
        lines.append(f"Digest fan-out to {d['eligible']:,} eligible subscribers")
        lines.append(
            f"  worker: {d['mails']:,} mails in {d['seconds']:.1f} s ({d['per_second']:.0f}/s), "
            f"{digest['digest_wall_ms_per_mail']:.2f} ms/mail wall, "
            f"{d['worker_cpu_ms_per_mail']:.2f} ms CPU/mail, peak {d['worker_peak_mib']:.0f} MiB"
        )
        lines.append(
            f"  loop:   {digest['baseline_wall_ms_per_mail']:.2f} ms/mail wall, "
            f"{digest['baseline_cpu_ms_per_mail']:.2f} ms CPU/mail "
            f"(before {digest['baseline_before']['per_second']:.0f}/s, "
            f"after {digest['baseline_after']['per_second']:.0f}/s)"
        )
        lines.append(
            f"  ratio: wall {digest['wall_ratio']:.2f}, CPU {digest['cpu_ratio']:.2f}; "
            f"problems: {d['problems'] or 'none'}"
        )
        lines.append("")
    cpu = results.get("cpu")
    if cpu:
        lines.append(f"CPU ms per accepted pledge, medians ({cpu['connections']} connections)")
        lines.append(f"{'':<6}" + "".join(f"{part:>12}" for part in (*PARTS, "total")))
        totals = {}
        for target, parts in cpu["median_ms_per_pledge"].items():
            totals[target] = sum(parts.values())
            row = "".join(f"{parts[part]:12.2f}" for part in PARTS)
            lines.append(f"{target:<6}{row}{totals[target]:12.2f}")
        lines.append(f"  B2's total over the app's: {totals['b2'] / totals['app']:.2f}")
        lines.append("")
    lines.append(f"{'target':<34} {'where we stand':<22} result")
    for name, value, mark in targets(results):
        lines.append(f"{name:<34} {value:<22} {mark}")
    return "\n".join(lines)
