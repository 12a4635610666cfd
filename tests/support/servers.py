"""Redis and SMTP servers that tests can stop and start, to prove recovery from faults."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, *, up: bool = True, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                if up:
                    return
        except OSError:
            if not up:
                return
        time.sleep(0.05)
    raise RuntimeError(f"port {port} did not come {'up' if up else 'down'} in {timeout}s")


class RedisServer:
    """A redis-server of our own on a free loopback port, with no persistence."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed: run `make test`, which installs it")
        self.binary = binary
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="campaign-redis-"))
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None
        wait_for_port(self.port, up=False)


@dataclass
class SmtpSink:
    """A real SMTP server (aiosmtpd) that keeps every message, and can refuse on demand."""

    port: int = field(default_factory=free_port)
    messages: list[Message] = field(default_factory=list)
    # Each message as it came over the wire, and its envelope sender (for DKIM and bounces).
    raw: list[bytes] = field(default_factory=list)
    senders: list[str] = field(default_factory=list)
    # Replies to give instead of accepting: e.g. ["421 Try later"] refuses the next message once.
    refusals: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    controller: Controller | None = None

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        with self.lock:
            if self.refusals:
                return self.refusals.pop(0)
            message = message_from_bytes(envelope.original_content or b"")
            message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
            self.messages.append(message)
            self.raw.append(envelope.original_content or b"")
            self.senders.append(envelope.mail_from or "")
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()
            self.raw.clear()
            self.senders.clear()
            self.refusals.clear()

    def to(self, address: str) -> list[Message]:
        with self.lock:
            return [m for m in self.messages if address in m["X-Envelope-To"]]

    def wait_for(self, count: int, timeout: float = 30.0) -> list[Message]:
        """Wait for at least *count* messages (a liveness wait, not a timing assertion)."""
        return wait_until(lambda: len(self.messages) >= count, timeout, lambda: list(self.messages))


def wait_until(condition: Any, timeout: float = 30.0, result: Any = None) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return result() if result else True
        time.sleep(0.05)
    raise AssertionError(f"condition not met within {timeout}s")
