"""The bytes of a message, written out directly for the usual case.

Building a `MIMEMultipart` and flattening it with the `email` package cost about 1.5 ms a
message in the digest profile (every header refolded through `Header`, a random boundary and
the regular expression compiled for it, the charset machinery per part): more than the SMTP
exchange. When every address and header is ASCII on one line (always, in practice), the
message is written here instead, as the `email` package would write it with the compat32
policy: headers as given, a non-ASCII subject as RFC 2047 encoded words, an ASCII body with
short lines as 7bit and anything else as base64, parts separated by a boundary derived from the
message's key. Otherwise `campaign.mail.smtp.build_message` builds it with the `email` package.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping

CRLF = "\r\n"
# Longest line sent as 7bit; anything longer, or not ASCII, is base64.
LONGEST_7BIT_LINE = 990


def plain(value: str) -> bool:
    """ASCII on one line: a value written into a header as it is."""
    return value.isascii() and "\n" not in value and "\r" not in value


def seven_bit(body: str) -> bool:
    return body.isascii() and max(map(len, body.splitlines()), default=0) <= LONGEST_7BIT_LINE


def part(body: str, subtype: str) -> tuple[str, str]:
    """The header lines and the encoded body of one text part."""
    if seven_bit(body):
        head = (
            f'Content-Type: text/{subtype}; charset="us-ascii"{CRLF}MIME-Version: 1.0{CRLF}'
            f"Content-Transfer-Encoding: 7bit{CRLF}"
        )
        return head, body.replace("\r\n", "\n").replace("\r", "\n").replace("\n", CRLF)
    head = (
        f'Content-Type: text/{subtype}; charset="utf-8"{CRLF}MIME-Version: 1.0{CRLF}'
        f"Content-Transfer-Encoding: base64{CRLF}"
    )
    return head, base64_lines(body.encode("utf-8"))


def base64_lines(data: bytes) -> str:
    """*data* in base64, lines of 76 characters each ending in CRLF: the bytes of
    base64.encodebytes with CRLF line ends, from one C call instead of one per line (which was
    two thirds of writing a digest mail)."""
    encoded = base64.b64encode(data).decode("ascii")
    lines = [encoded[i : i + 76] for i in range(0, len(encoded), 76)]
    return CRLF.join(lines) + CRLF if lines else ""


def boundary_for(seed: str, *bodies: str) -> str:
    """A boundary found in none of the bodies, the same for the same message each time."""
    digest = hashlib.sha256(seed.encode()).hexdigest()
    boundary = f"==campaign-{digest[:24]}=="
    while any(boundary in body for body in bodies):
        digest = hashlib.sha256(digest.encode()).hexdigest()
        boundary = f"==campaign-{digest[:24]}=="
    return boundary


def write(headers: Mapping[str, str], text: str, html: str | None, seed: str) -> bytes:
    """The whole message: *headers* (From, To, Subject and the rest, already encoded) over a
    text part, or a multipart/alternative of text and HTML."""
    top = "".join(f"{name}: {value}{CRLF}" for name, value in headers.items())
    if not html:
        head, body = part(text, "plain")
        return f"{head}{top}{CRLF}{body}".encode("ascii")
    (text_head, text_body), (html_head, html_body) = part(text, "plain"), part(html, "html")
    boundary = boundary_for(seed, text_body, html_body)
    return (
        f'Content-Type: multipart/alternative; boundary="{boundary}"{CRLF}'
        f"MIME-Version: 1.0{CRLF}{top}{CRLF}"
        f"--{boundary}{CRLF}{text_head}{CRLF}{text_body}{CRLF}"
        f"--{boundary}{CRLF}{html_head}{CRLF}{html_body}{CRLF}"
        f"--{boundary}--{CRLF}"
    ).encode("ascii")
