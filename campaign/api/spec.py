"""The OpenAPI 3.1 description of the API, written beside each endpoint.

A view is described by decorating it with `described(...)`; its schemas are named with
`schema(...)`. `/api/v1/openapi.json` (campaign/api/openapi.py) walks the application's routes
under /api/ and puts together the description of every one; a route without a description is
an error there, so the document cannot fall behind the code (tests/api/test_openapi.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

# Operations by view function and method, and the named schemas, as the modules describe them.
OPERATIONS: dict[Callable[..., Any], dict[str, dict[str, Any]]] = {}
SCHEMAS: dict[str, dict[str, Any]] = {}


def schema(name: str, definition: dict[str, Any]) -> dict[str, str]:
    """Name *definition* in components/schemas; a reference to it."""
    SCHEMAS[name] = definition
    return ref(name)


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def described(
    *,
    summary: str,
    description: str = "",
    tags: tuple[str, ...] = (),
    parameters: tuple[dict[str, Any], ...] = (),
    responses: dict[int, dict[str, Any]],
    request_body: dict[str, Any] | None = None,
    security: list[dict[str, list[str]]] | None = None,
    method: str = "get",
) -> Callable[[F], F]:
    """Describe the decorated view's *method*: what a client sends and what it gets back."""

    def decorate(view: F) -> F:
        name = view.__name__ if not tags else f"{tags[0]}_{view.__name__}"
        operation: dict[str, Any] = {
            "summary": summary,
            "operationId": name if method == "get" else f"{name}_{method}",
            "tags": list(tags),
            "parameters": list(parameters),
            "responses": {str(code): answer for code, answer in responses.items()},
        }
        if description:
            operation["description"] = description
        if request_body is not None:
            operation["requestBody"] = request_body
        if security is not None:
            operation["security"] = security
        OPERATIONS.setdefault(view, {})[method] = operation
        return view

    return decorate


def query(name: str, description: str, definition: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": definition,
    }


def path(name: str, description: str, definition: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": definition,
    }


ERROR = schema(
    "Error",
    {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {"type": "string", "description": "What was wrong, in words."}},
    },
)
DATE = {"type": "string", "format": "date"}
AS_AT = query(
    "as_at",
    "Answer as the registry stood at the end of this day (YYYY-MM-DD), from 1990-12-18 (the "
    "Convention's adoption) to today; derived from the recorded history. Absent or empty: "
    "today. Anything else is a 400.",
    {"type": "string", "format": "date"},
)
PAGE = query("page", "Page number, from 1 (default 1).", {"type": "integer", "minimum": 1})
PER_PAGE = query(
    "per_page",
    "Items per page, from 1 to 500 (default 200).",
    {"type": "integer", "minimum": 1, "maximum": 500},
)
PAGED_HEADERS = {
    "X-Total-Count": {
        "description": "How many items the whole list has.",
        "schema": {"type": "integer", "minimum": 0},
    },
    "Link": {
        "description": 'RFC 8288 links to the first, prev, next and last pages (rel="...").',
        "schema": {"type": "string"},
    },
}
CACHE_HEADERS = {
    "ETag": {"description": "Strong validator of the body.", "schema": {"type": "string"}},
    "Cache-Control": {
        "description": "Public, for API_CACHE_SECONDS.",
        "schema": {"type": "string"},
    },
}
NOT_MODIFIED = {"description": "Not modified: the If-None-Match you sent is still current."}
BAD_REQUEST = {
    "description": "A parameter is malformed or out of range; `error` says which and why.",
    "content": {"application/json": {"schema": ERROR}},
}
NOT_FOUND = {
    "description": "No such item.",
    "content": {"application/json": {"schema": ERROR}},
}


def json_answer(
    description: str, body: dict[str, Any], *, paged: bool = False, cached: bool = True
) -> dict[str, Any]:
    headers = {**(CACHE_HEADERS if cached else {}), **(PAGED_HEADERS if paged else {})}
    answer: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": body}},
    }
    if headers:
        answer["headers"] = headers
    return answer
