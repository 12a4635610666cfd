"""The digest baseline: one pre-rendered message sent N times over one reused SMTP connection,
by the same SMTP client the worker uses (smtplib's, with the envelope written directly)."""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

from campaign.mail.smtp import Client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--message", type=Path, required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--tag", default="base")
    args = parser.parse_args()
    raw = args.message.read_bytes()
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    client = Client("127.0.0.1", args.port, timeout=10)
    for i in range(args.count):
        client.sendmail("campaign@localhost", [f"{args.tag}-{i}@bench.example.org"], raw)
    client.quit()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(json.dumps({"mails": args.count, "seconds": seconds, "cpu_seconds": cpu}))


if __name__ == "__main__":
    main()
