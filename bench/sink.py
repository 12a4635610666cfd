"""An aiosmtpd sink for benchmarks: one log line per accepted mail (recipient, outbox key)."""

from __future__ import annotations

import argparse
import re
import signal
import threading
import time
from pathlib import Path
from typing import IO

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

KEY = re.compile(rb"^X-Campaign-Key:\s*(\S+)", re.MULTILINE | re.IGNORECASE)


class CountingSink:
    """Keeps no message: a line per delivery is all the checks need, and it stays cheap."""

    def __init__(self, log: IO[str]) -> None:
        self.log = log

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        head = raw.split(b"\r\n\r\n", 1)[0]
        found = KEY.search(head)
        key = found.group(1).decode() if found else "-"
        for rcpt in envelope.rcpt_tos:
            self.log.write(f"{rcpt}\t{key}\t{time.monotonic():.3f}\n")
        return "250 OK"


def read_log(path: Path) -> list[tuple[str, str]]:
    """Every (recipient, key) the sink accepted, in order."""
    if not path.exists():
        return []
    lines = path.read_text().splitlines()
    return [(rcpt, key) for rcpt, key, *_ in (line.split("\t") for line in lines if line)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log", type=Path, required=True)
    args = parser.parse_args()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with args.log.open("a", buffering=1) as log:  # line-buffered: readable while running
        controller = Controller(CountingSink(log), hostname="127.0.0.1", port=args.port)
        controller.start()
        try:
            stop.wait()
        finally:
            controller.stop()


if __name__ == "__main__":
    main()
