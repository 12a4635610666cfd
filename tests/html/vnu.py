"""The W3C Nu HTML Checker (vnu-jar, installed by `make html-checker`), run once over many pages."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parents[2]
JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@dataclass(frozen=True)
class Problem:
    file: Path
    line: int | None
    message: str
    extract: str


def check(files: list[Path]) -> list[Problem]:
    """Every error the checker finds in *files*: one JVM for them all, warnings left out."""
    java = shutil.which("java")
    assert java, "no java: `make test` installs default-jre-headless (scripts/services.sh)"
    assert JAR.is_file(), f"no {JAR.relative_to(ROOT)}: run `make html-checker`"
    result = subprocess.run(
        [java, "-jar", str(JAR), "--errors-only", "--format", "json", "--stdout"]
        + [str(file) for file in files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr  # 1: errors found
    messages = json.loads(result.stdout)["messages"]
    return [
        Problem(
            file=Path(unquote(urlparse(message.get("url", "")).path)),
            line=message.get("lastLine"),
            message=message.get("message", ""),
            extract=message.get("extract", "").strip(),
        )
        for message in messages
        if message.get("type") in ("error", "non-document-error")
    ]
