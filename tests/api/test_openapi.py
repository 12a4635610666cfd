"""The API's description: a valid OpenAPI 3.1 document that covers every route under /api/,
a readable page of it, and Schemathesis's generated requests against it (no 5xx, no answer
that breaks the document)."""

from __future__ import annotations

import re
from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate

from campaign.api.openapi import API_PREFIXES, SELF

OPENAPI = "/api/v1/openapi.json"


def test_the_document_is_valid_openapi_3_1(client: FlaskClient) -> None:
    response = client.get(OPENAPI)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["ETag"]
    document = response.get_json()
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_every_api_route_is_described(app: Flask, client: FlaskClient) -> None:
    document = client.get(OPENAPI).get_json()
    described = {
        (method.upper(), url)
        for url, operations in document["paths"].items()
        for method in operations
    }
    routed = {
        (method, re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(API_PREFIXES) and rule.endpoint not in SELF
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    assert described == routed
    assert {("GET", "/api/v1/states"), ("GET", "/api/v1/stats")} <= described


def test_the_document_names_the_server_it_was_reached_on(client: FlaskClient) -> None:
    document = client.get(OPENAPI, environ_base={"SCRIPT_NAME": ""}).get_json()
    assert document["servers"] == [{"url": "/"}]


@pytest.mark.parametrize("prefix", ["", "/fr", "/ar"])
def test_the_docs_page_lists_every_operation(client: FlaskClient, prefix: str) -> None:
    document = client.get(OPENAPI).get_json()
    page = client.get(f"{prefix}/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for url, operations in document["paths"].items():
        for method, operation in operations.items():
            assert f"{method.upper()} {url}" in html
            assert f'id="{operation["operationId"]}"' in html
    assert "cdn" not in html.lower()
    assert "<script" not in html


def test_paging_headers(client: FlaskClient) -> None:
    first = client.get("/api/v1/states", query_string={"per_page": 50})
    assert len(first.get_json()) == 50
    assert first.headers["X-Total-Count"] == "193"
    link = first.headers["Link"]
    assert 'rel="next"' in link and 'rel="last"' in link and 'rel="prev"' not in link
    assert "page=4" in link  # 193 states, 50 a page: four pages
    last = client.get("/api/v1/states", query_string={"per_page": 50, "page": 4})
    assert len(last.get_json()) == 43
    assert 'rel="next"' not in last.headers["Link"]
    beyond = client.get("/api/v1/states", query_string={"per_page": 50, "page": 9})
    assert beyond.status_code == 200 and beyond.get_json() == []
    names = [
        row["iso3"]
        for p in (1, 2, 3, 4)
        for row in client.get("/api/v1/states", query_string={"per_page": 50, "page": p}).get_json()
    ]
    assert len(names) == len(set(names)) == 193


def test_the_default_page_holds_every_state(client: FlaskClient) -> None:
    response = client.get("/api/v1/states")
    assert len(response.get_json()) == 193
    assert 'rel="next"' not in response.headers["Link"]


@pytest.mark.parametrize(
    "value", ["0", "-1", "abc", "1.5", "", "9" * 30, "٣", "１", "1\r\nX: y", "<script>", "501"]
)
@pytest.mark.parametrize("name", ["page", "per_page"])
def test_bad_paging_is_a_clear_400(client: FlaskClient, name: str, value: str) -> None:
    if value == "":  # empty is the default
        assert client.get("/api/v1/states", query_string={name: value}).status_code == 200
        return
    if value == "501" and name == "page":
        value = "100001"
    response = client.get("/api/v1/states", query_string={name: value})
    assert response.status_code == 400
    assert name in response.get_json()["error"]


CHECKS = (
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.response_headers_conformance,
)


def _operations(app: Flask) -> list[Any]:
    schema = schemathesis.openapi.from_wsgi(OPENAPI, app)
    return [result.ok() for result in schema.get_all_operations()]


def test_generated_requests_get_documented_answers(app: Flask) -> None:
    """Schemathesis generates requests for every operation from its description (valid and
    edge-case parameters) and checks each answer: no 5xx, a documented status, content type,
    headers and body. Derandomized: the same requests every run."""
    operations = _operations(app)
    assert len(operations) >= 2
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=40,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            case.call_and_validate(checks=CHECKS)

        check()
