"""What an uploaded file is, from its content (never its name or the browser's Content-Type),
and the name it is kept under.

The magic bytes are read by `filetype`; a ZIP is opened and must have the structure of an
office document: `[Content_Types].xml` declaring a Word, Excel or PowerPoint main part (no
macros), or an OpenDocument text whose first entry `mimetype` says so. SVG is refused: it is
XML that can carry scripts.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import unicodedata
import zipfile

import filetype
from flask_babel import gettext as _
from werkzeug.utils import secure_filename

from campaign.core.validators import BIDI_CONTROLS, FORMULA_STARTS
from campaign.errors import DomainError
from campaign.materials.models import CONTENT_TYPES

# Extensions a name may end in for each type (a name with none gets the type's own).
EXTENSIONS = {
    "application/pdf": ("pdf",),
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/webp": ("webp",),
    **{
        mime: (ext,)
        for mime, ext in CONTENT_TYPES.items()
        if ext in ("docx", "xlsx", "pptx", "odt")
    },
}
TYPE_NAMES = {
    "pdf": "PDF",
    "png": "PNG",
    "jpg": "JPEG",
    "webp": "WebP",
    "docx": "Word (docx)",
    "xlsx": "Excel (xlsx)",
    "pptx": "PowerPoint (pptx)",
    "odt": "OpenDocument (odt)",
}
_MAGIC = ("application/pdf", "image/png", "image/jpeg", "image/webp")
# [Content_Types].xml names the main part of each office format (macro-enabled ones differ).
_OFFICE = "application/vnd.openxmlformats-officedocument."
_OOXML = {
    "wordprocessingml.document.main+xml": _OFFICE + "wordprocessingml.document",
    "spreadsheetml.sheet.main+xml": _OFFICE + "spreadsheetml.sheet",
    "presentationml.presentation.main+xml": _OFFICE + "presentationml.presentation",
}
ODT = "application/vnd.oasis.opendocument.text"
_SMALL = 1024 * 1024  # the most of a manifest entry we read
NAME_MAX = 120
# Extensions that say what a file is: a name ending in one that its content is not is refused
# (a PDF named .png, a page named .pdf). Any other ending ("report.v2") is part of the name.
_RISKY = (
    "svg",
    "svgz",
    "html",
    "htm",
    "xhtml",
    "xml",
    "js",
    "mjs",
    "exe",
    "bat",
    "cmd",
    "com",
    "sh",
    "ps1",
    "php",
    "jar",
    "msi",
    "dll",
    "scr",
    "hta",
    "vbs",
    "zip",
    "rar",
    "7z",
    "gz",
    "doc",
    "xls",
    "ppt",
    "docm",
    "xlsm",
    "pptm",
    "rtf",
    "txt",
    "csv",
    "gif",
    "bmp",
    "tif",
    "tiff",
    "heic",
    "ods",
    "odp",
)
SAYS_TYPE = frozenset(
    {
        ext
        for exts in (("pdf", "png", "jpg", "jpeg", "webp", "docx", "xlsx", "pptx", "odt"),)
        for ext in exts
    }
    | set(_RISKY)
)


class FileRefused(DomainError):
    """An upload that cannot be kept; the message says why."""


@dataclasses.dataclass(frozen=True)
class CheckedFile:
    data: bytes
    content_type: str
    extension: str
    filename: str  # the sanitised name, with the type's extension
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


def _office(data: bytes) -> str | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
        if not entries or len(entries) > 10_000:
            return None
        first = entries[0]
        if first.filename == "mimetype" and first.file_size < 100:
            return ODT if archive.read(first).strip() == ODT.encode() else None
        names = {entry.filename for entry in entries}
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            return None  # macros
        manifest = archive.getinfo("[Content_Types].xml")
        if manifest.file_size > _SMALL:
            return None
        declared = archive.read(manifest).decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, NotImplementedError, EOFError):
        return None
    found = [mime for marker, mime in _OOXML.items() if marker in declared]
    return found[0] if len(found) == 1 else None


def content_type_of(data: bytes) -> str:
    """The checked MIME type of *data*, or FileRefused."""
    if not data:
        raise FileRefused(_("The file is empty."))
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg", b"<!doctype svg")) and b"<svg" in data[:4096].lower():
        raise FileRefused(
            _("SVG images are not accepted (they can carry scripts): upload a PNG or a PDF.")
        )
    if data.startswith(b"PK\x03\x04"):
        office = _office(data)
        if office is None:
            raise FileRefused(
                _(
                    "This archive is not a Word, Excel, PowerPoint or OpenDocument text file"
                    " (or it contains macros)."
                )
            )
        return office
    kind = filetype.guess(data)
    if kind is not None and kind.mime in _MAGIC:
        return str(kind.mime)
    raise FileRefused(
        _(
            "This file is not a PDF, a PNG, JPEG or WebP image, or an office document"
            " (docx, xlsx, pptx, odt)."
        )
    )


def clean_name(raw: str, content_type: str) -> str:
    """The uploaded name, checked and with the extension of its checked type."""
    if "/" in raw or "\\" in raw:
        raise FileRefused(_("The file name must not contain a path (/ or \\)."))
    if any(
        unicodedata.category(char) in ("Cc", "Cf") and char not in "\u200c\u200d" for char in raw
    ) or BIDI_CONTROLS.intersection(raw):
        raise FileRefused(_("The file name contains control or invisible direction characters."))
    name = unicodedata.normalize("NFC", raw).strip()
    if name.startswith(FORMULA_STARTS) or name.startswith("."):
        raise FileRefused(_("Please start the file name with a letter or a digit."))
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    allowed = EXTENSIONS[content_type]
    if extension and extension.lower() not in SAYS_TYPE:
        stem, extension = name, ""  # not an extension: part of the name
    if extension and extension.lower() not in allowed:
        raise FileRefused(
            _(
                "This file is a %(kind)s, but its name ends in .%(extension)s:"
                " rename it or choose another file.",
                kind=TYPE_NAMES[allowed[0]],
                extension=extension[:10],
            )
        )
    stem = stem.strip() or "material"
    return f"{stem[: NAME_MAX - 6]}.{allowed[0]}"


def ascii_name(filename: str, fallback: str) -> str:
    """An ASCII name for old clients (Content-Disposition's filename=); *fallback* if none."""
    return secure_filename(filename) or fallback


def check_upload(raw_name: str, data: bytes, max_bytes: int) -> CheckedFile:
    """The upload if it is a file we keep: not empty, not too large, of an accepted type
    (from its content), under a clean name."""
    if len(data) > max_bytes:
        raise FileRefused(
            _(
                "The file is larger than %(size)s MB.",
                size=f"{max_bytes / 1_048_576:.1f}".rstrip("0").rstrip("."),
            )
        )
    content_type = content_type_of(data)
    filename = clean_name(raw_name or "material", content_type)
    return CheckedFile(
        data=data,
        content_type=content_type,
        extension=CONTENT_TYPES[content_type],
        filename=filename,
        sha256=hashlib.sha256(data).hexdigest(),
    )
