"""A local SMTP sink for development: keeps every message as an .eml file under instance/mail/."""

from __future__ import annotations

import argparse
import itertools
import time
from email import message_from_bytes, policy
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from config import INSTANCE_DIR


class FileSink:
    """Writes each accepted message to *directory* and prints a one-line summary."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.counter = itertools.count(1)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        path = self.directory / f"{stamp}-{next(self.counter):05d}.eml"
        path.write_bytes(raw)
        message = message_from_bytes(raw, policy=policy.default)
        print(f"mail to {', '.join(envelope.rcpt_tos)}: {message['Subject']} -> {path}", flush=True)
        return "250 Message accepted for delivery"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--dir", type=Path, default=INSTANCE_DIR / "mail")
    args = parser.parse_args()
    controller = Controller(FileSink(args.dir), hostname=args.host, port=args.port)
    controller.start()
    print(f"mail sink listening on {args.host}:{args.port}, writing to {args.dir}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
