"""Where the library's files are kept: one small interface, on the local filesystem (the
default, under instance/materials/) or in an S3-compatible object store (MATERIALS_STORAGE=s3).

Keys are made by the library (`<32 hex digits>.<extension>`), never from an uploaded name, and
a key of any other shape is refused before it reaches a path or a bucket.
"""

from __future__ import annotations

import os
import re
import tempfile
import uuid
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from flask import current_app

_KEY = re.compile(r"[0-9a-f]{32}\.[a-z]{3,4}")
CHUNK = 64 * 1024


def new_key(extension: str) -> str:
    return f"{uuid.uuid4().hex}.{extension}"


def _checked(key: str) -> str:
    if not _KEY.fullmatch(key):
        raise ValueError(f"not a storage key: {key!r}")
    return key


class Storage(Protocol):
    def save(self, key: str, data: bytes, content_type: str) -> None: ...

    def stream(self, key: str) -> Iterator[bytes]: ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None: ...


class LocalStorage:
    """Files in one directory; each written to a temporary file and renamed into place, so a
    reader never sees half a file."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / _checked(key)

    def save(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        self.root.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def stream(self, key: str) -> Iterator[bytes]:
        with self._path(key).open("rb") as source:
            while chunk := source.read(CHUNK):
                yield chunk

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


class S3Storage:
    """Objects in a bucket of any S3-compatible store, under a prefix."""

    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        self.client, self.bucket, self.prefix = client, bucket, prefix

    def _name(self, key: str) -> str:
        return self.prefix + _checked(key)

    def save(self, key: str, data: bytes, content_type: str) -> None:
        self.client.put_object(
            Bucket=self.bucket, Key=self._name(key), Body=data, ContentType=content_type
        )

    def stream(self, key: str) -> Iterator[bytes]:
        body = self.client.get_object(Bucket=self.bucket, Key=self._name(key))["Body"]
        try:
            yield from body.iter_chunks(CHUNK)
        finally:
            body.close()

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))


@cache
def _s3_client(endpoint: str | None, region: str, key_id: str | None, secret: str | None) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=key_id,
        aws_secret_access_key=secret,
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 3}),
    )


def storage() -> Storage:
    """The storage the configuration names (MATERIALS_STORAGE: local or s3)."""
    config = current_app.config
    if config.get("MATERIALS_STORAGE") == "s3":
        client = _s3_client(
            config.get("S3_ENDPOINT_URL"),
            str(config.get("S3_REGION") or "us-east-1"),
            config.get("S3_ACCESS_KEY_ID"),
            config.get("S3_SECRET_ACCESS_KEY"),
        )
        return S3Storage(client, str(config["S3_BUCKET"]), str(config.get("S3_PREFIX") or ""))
    return LocalStorage(config["MATERIALS_DIR"])
