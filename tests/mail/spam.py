"""SpamAssassin's verdict on a message: its score and the rules it hit, local tests only."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass

import pytest

# -L: no network tests (DNS blocklists, Razor), so a verdict depends on the message alone;
# -x: no user preferences file written; Bayes off, so a trained database elsewhere does not
# change the verdict.
COMMAND = ["spamassassin", "-L", "-t", "-x", "--cf=use_bayes 0"]
STATUS = re.compile(r"^X-Spam-Status: \w+, score=(-?\d+(?:\.\d+)?)", re.MULTILINE)
RULE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s+([A-Z][A-Z0-9_]+)\s", re.MULTILINE)
REPORT = "Content analysis details:"


@dataclass(frozen=True)
class Verdict:
    score: float
    rules: dict[str, float]  # rule name: points, as SpamAssassin's report lists them

    def describe(self) -> str:
        hits = ", ".join(f"{name} {points:g}" for name, points in self.rules.items())
        return f"{self.score:.1f} ({hits or 'no rules'})"


def spamassassin() -> str:
    """The program's path; fails the test, never skips it, when it is missing."""
    path = shutil.which(COMMAND[0])
    if path is None:
        pytest.fail(
            "spamassassin is not installed: `make test` installs Debian's package "
            "(scripts/services.sh packages); or, as root: apt-get install -y spamassassin",
            pytrace=False,
        )
    return path


def verdict(raw: bytes) -> Verdict:
    """Run `spamassassin -L -t` on *raw* (one message, as the relay would receive it)."""
    return verdicts([raw])[0]


def verdicts(raws: list[bytes]) -> list[Verdict]:
    """The verdict on each of *raws*, from one `spamassassin -L -t --mbox` (its second of
    start-up paid once, not once a message). Each message gets a numbered envelope line, so
    the output is split where each one begins; a body line starting "From " is quoted, as
    mbox does."""
    mbox = b"".join(
        ENVELOPE % number + FROM_LINE.sub(rb">\1", raw.replace(b"\r\n", b"\n")) + b"\n"
        for number, raw in enumerate(raws)
    )
    result = subprocess.run(
        [spamassassin(), *COMMAND[1:], "--mbox"],
        input=mbox,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, (result.returncode, result.stderr.decode()[-2000:])
    parts = ENVELOPE_LINE.split(result.stdout.decode("utf-8", "replace"))[1:]
    found = {int(number): output for number, output in zip(parts[::2], parts[1::2], strict=True)}
    assert sorted(found) == list(range(len(raws))), (sorted(found), len(raws))
    return [_verdict(found[number]) for number in range(len(raws))]


ENVELOPE = b"From verdict-%d@spam.test Mon Dec  7 10:00:00 2026\n"
ENVELOPE_LINE = re.compile(r"^From verdict-(\d+)@spam\.test .*\n", re.MULTILINE)
FROM_LINE = re.compile(rb"^(>*From )", re.MULTILINE)


def _verdict(output: str) -> Verdict:
    status = STATUS.search(output)
    assert status, output[-2000:]
    report = output.rpartition(REPORT)[2]
    rules = {name: float(points) for points, name in RULE.findall(report)}
    return Verdict(float(status.group(1)), rules)
