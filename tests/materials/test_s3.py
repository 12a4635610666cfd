"""The library on S3-compatible storage: a real HTTP S3 endpoint on loopback (moto's standalone
server, in a thread), reached through boto3 exactly as production reaches its object store."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from flask import Flask
from flask.testing import FlaskClient
from moto.server import ThreadedMotoServer

from campaign.materials.storage import S3Storage, new_key
from tests.materials import samples
from tests.materials.helpers import rows, upload, versions
from tests.support.servers import free_port

BUCKET = "campaign-materials"
CREDENTIALS = {"aws_access_key_id": "test-key", "aws_secret_access_key": "test-secret"}


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(app: Flask, s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **CREDENTIALS)
    client.create_bucket(Bucket=BUCKET)
    for name, value in {
        "MATERIALS_STORAGE": "s3",
        "S3_ENDPOINT_URL": s3_endpoint,
        "S3_BUCKET": BUCKET,
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": CREDENTIALS["aws_access_key_id"],
        "S3_SECRET_ACCESS_KEY": CREDENTIALS["aws_secret_access_key"],
        "S3_PREFIX": "materials/",
    }.items():
        monkeypatch.setitem(app.config, name, value)
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _keys(client: Any) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_the_storage_interface_against_the_endpoint(bucket: Any) -> None:
    store = S3Storage(bucket, BUCKET, "materials/")
    key = new_key("pdf")
    assert not store.exists(key)
    store.save(key, samples.pdf(), "application/pdf")
    assert store.exists(key) and b"".join(store.stream(key)) == samples.pdf()
    head = bucket.head_object(Bucket=BUCKET, Key=f"materials/{key}")
    assert head["ContentType"] == "application/pdf"
    store.delete(key)
    assert not store.exists(key)
    with pytest.raises(ValueError):
        store.save("../../other-bucket/x.pdf", b"x", "application/pdf")


def test_upload_and_download_through_s3(app: Flask, coordinator: FlaskClient, bucket: Any) -> None:
    assert (
        upload(coordinator, samples.png(), "affiche.png", declared="image/png").status_code == 302
    )
    [version] = versions()
    assert _keys(bucket) == [f"materials/{version.storage_key}"]
    response = coordinator.get(f"/materials/files/{version.id}")
    assert response.status_code == 200 and response.data == samples.png()
    assert response.mimetype == "image/png"
    assert response.headers["Content-Disposition"].startswith('inline; filename="affiche.png"')


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (samples.pdf(), "flyer.png"),
        (samples.HTML, "flyer.pdf"),
        (samples.SVG, "x.svg"),
        (b"", "e.pdf"),
    ],
)
def test_bad_uploads_leave_the_bucket_empty(
    app: Flask, coordinator: FlaskClient, bucket: Any, data: bytes, name: str
) -> None:
    assert upload(coordinator, data, name).status_code == 400
    assert rows() == (0, 0) and _keys(bucket) == []


def test_a_store_that_refuses_keeps_no_row(
    app: Flask, coordinator: FlaskClient, bucket: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "S3_BUCKET", "no-such-bucket")
    response = upload(coordinator, samples.pdf())
    assert response.status_code == 503
    assert "could not be stored" in response.get_data(as_text=True)
    assert rows() == (0, 0) and _keys(bucket) == []
