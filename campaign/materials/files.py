"""Storing an upload with its rows (both or neither), and serving a stored file: its checked
type, Content-Disposition with an RFC 5987 name, a strong ETag, caching, nosniff."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from urllib.parse import quote

from flask import abort, current_app, request
from werkzeug.wrappers import Response

from campaign.extensions import db
from campaign.materials.checks import CheckedFile, ascii_name
from campaign.materials.models import MaterialVersion
from campaign.materials.storage import storage

log = logging.getLogger(__name__)


class StorageUnavailable(Exception):
    """The file could not be written to the storage; nothing was kept."""


def store_and_commit(version: MaterialVersion, upload: CheckedFile) -> None:
    """Write the file, then commit the rows; a failed commit removes the file again, a failed
    write keeps no row."""
    store = storage()
    try:
        store.save(version.storage_key, upload.data, upload.content_type)
    except Exception as error:
        db.session.rollback()
        log.warning("materials: could not store %s: %s", version.storage_key, error)
        raise StorageUnavailable(str(error)) from error
    try:
        db.session.commit()
    except BaseException:
        db.session.rollback()
        store.delete(version.storage_key)
        raise


def disposition(version: MaterialVersion) -> str:
    how = "inline" if version.is_inline else "attachment"
    fallback = ascii_name(
        version.filename, f"material-{version.id}.{version.filename.rsplit('.', 1)[-1]}"
    )
    return f"{how}; filename=\"{fallback}\"; filename*=UTF-8''{quote(version.filename, safe='')}"


def _body(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    try:
        yield first
        yield from rest
    finally:
        close = getattr(rest, "close", None)
        if close is not None:
            close()


def file_response(version: MaterialVersion) -> Response:
    """The stored file of *version*, or 304 when the client has it (a version never changes)."""
    response = Response(mimetype=version.content_type)
    response.set_etag(version.sha256)
    response.cache_control.public = True
    response.cache_control.max_age = int(current_app.config["MATERIALS_CACHE_SECONDS"])
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = disposition(version)
    if request.if_none_match.contains(version.sha256):
        response.status_code = 304
        return response
    stream = storage().stream(version.storage_key)
    try:
        first = next(stream, b"")
    except Exception as error:  # the row is there, its file is not: say so, never a 500
        log.error("materials: stored file %s unreadable: %s", version.storage_key, error)
        abort(404)
    response.response = _body(first, stream)
    response.direct_passthrough = True
    response.headers["Content-Length"] = str(version.size_bytes)
    return response
