"""The OSDI routes as openapi.json describes them, with a valid key: Schemathesis's generated
requests (bodies included) get documented answers, never a 5xx. (tests/api/test_openapi.py
runs the same without a key: every one of them a documented 401.)"""

from __future__ import annotations

from typing import Any

import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings

from campaign.apikeys import services
from campaign.extensions import db
from tests.factories import OrganisationFactory

OPENAPI = "/api/v1/openapi.json"
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.response_headers_conformance,
]


def _key() -> str:
    organisation = OrganisationFactory(name="Generated Requests Network")
    db.session.flush()
    _row, key = services.issue_key(
        organisation=organisation, name="fuzz", scopes=["read", "write"], actor=None
    )
    db.session.commit()
    return key


def test_generated_requests_with_a_key_get_documented_answers(
    app: Flask, fresh_limits: None
) -> None:
    key = _key()
    schema = schemathesis.openapi.from_wsgi(OPENAPI, app).include(path_regex="^/api/osdi/")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 8
    seen: set[int] = set()

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            response = case.call_and_validate(headers={"OSDI-API-Token": key}, checks=CHECKS)
            seen.add(response.status_code)

        check()
    assert {200, 400} <= seen, seen  # the key was let in: real answers, not only 401s
