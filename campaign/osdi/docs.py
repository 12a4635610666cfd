"""The OSDI endpoints' part of the OpenAPI document (campaign/api/spec.py): schemas, the key's
header, and the answers every OSDI operation can give."""

from __future__ import annotations

from typing import Any

from campaign.api.spec import ERROR, PAGE, PER_PAGE, path, schema

HAL = "application/hal+json"
TAGS = ("osdi",)
# Either header carries the key: OSDI-API-Token (Action Network's) or Authorization: Bearer.
SECURITY: list[dict[str, list[str]]] = [{"OsdiApiToken": []}, {"BearerApiKey": []}]
TOKEN = {
    "name": "OSDI-API-Token",
    "in": "header",
    "required": False,
    "description": "The organisation's API key (or send `Authorization: Bearer <key>`).",
    "schema": {"type": "string"},
}
KIND = path(
    "kind",
    "The petition: `individual` or `organisation` (the two pledges).",
    {"type": "string", "enum": ["individual", "organisation"]},
)
PAGING = (PAGE, {**PER_PAGE, "description": "Items per page, from 1 to 500 (default 25)."})
OSDI_ERROR = schema(
    "OsdiError",
    {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {"type": "string"},
            "fields": {
                "type": "object",
                "description": "The OSDI fields at fault (`person.email_addresses.address`), "
                "each with what is wrong.",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
        },
    },
)


def error(description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": OSDI_ERROR}},
    }
    if headers:
        answer["headers"] = headers
    return answer


UNAUTHORISED = error(
    "No API key, or an unknown or revoked one (or its organisation was merged into another).",
    {"WWW-Authenticate": {"schema": {"type": "string"}}},
)
FORBIDDEN = error("The key lacks the scope: `read` for GET, `write` for POST.")
TOO_MANY = {
    "description": "Over the key's rate limit (OSDI_RATE_LIMIT); wait Retry-After seconds.",
    "headers": {"Retry-After": {"schema": {"type": "integer"}}},
    "content": {"application/json": {"schema": ERROR}},
}
BAD_PAGE = error("`page` or `per_page` is not a whole number in range.")
NOT_FOUND = error("No such item, or not one this key may see.")
COMMON = {401: UNAUTHORISED, 403: FORBIDDEN, 429: TOO_MANY}

LINK = {"type": "object", "required": ["href"], "properties": {"href": {"type": "string"}}}
WHEN = {"oneOf": [{"type": "string", "format": "date-time"}, {"type": "null"}]}
IDENTIFIERS = {"type": "array", "items": {"type": "string"}}
PERSON = schema(
    "OsdiPerson",
    {
        "type": "object",
        "required": ["identifiers", "given_name", "family_name", "email_addresses"],
        "properties": {
            "identifiers": IDENTIFIERS,
            "given_name": {"type": "string"},
            "family_name": {"type": "string"},
            "languages_spoken": {"type": "array", "items": {"type": "string"}},
            "email_addresses": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "address": {"type": "string"},
                        "primary": {"type": "boolean"},
                        "status": {"enum": ["subscribed", "unsubscribed"]},
                    },
                },
            },
            "postal_addresses": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"country": {"type": "string", "pattern": "^[A-Z]{2}$"}},
                },
            },
            "_links": {"type": "object"},
        },
    },
)
SIGNATURE = schema(
    "OsdiSignature",
    {
        "type": "object",
        "required": ["identifiers", "status", "created_date", "_links"],
        "properties": {
            "identifiers": IDENTIFIERS,
            "created_date": {"type": "string", "format": "date-time"},
            "modified_date": {"type": "string", "format": "date-time"},
            "comments": {"type": "string"},
            "status": {
                "enum": ["pending confirmation", "confirmed"],
                "description": "`pending confirmation` until the signer follows the link mailed "
                "to them; only then is it a signature that counts.",
            },
            "confirmed_date": WHEN,
            "organisation": {"type": "object"},
            "_links": {"type": "object", "properties": {"self": LINK}},
            "_embedded": {"type": "object", "properties": {"osdi:person": PERSON}},
        },
    },
)
PETITION = schema(
    "OsdiPetition",
    {
        "type": "object",
        "required": ["identifiers", "title", "description", "total_signatures", "_links"],
        "properties": {
            "identifiers": IDENTIFIERS,
            "title": {"type": "string"},
            "description": {"type": "string"},
            "total_signatures": {"type": "integer", "minimum": 0},
            "created_date": {"type": "string", "format": "date-time"},
            "browser_url": {"type": "string"},
            "_links": {"type": "object"},
        },
    },
)


def collection_of(name: str, rel: str, item: dict[str, str]) -> dict[str, str]:
    return schema(
        name,
        {
            "type": "object",
            "required": ["total_pages", "per_page", "page", "total_records", "_links"],
            "properties": {
                "total_pages": {"type": "integer", "minimum": 1},
                "per_page": {"type": "integer", "minimum": 1},
                "page": {"type": "integer", "minimum": 1},
                "total_records": {"type": "integer", "minimum": 0},
                "_links": {"type": "object"},
                "_embedded": {
                    "type": "object",
                    "properties": {rel: {"type": "array", "items": item}},
                },
            },
        },
    )


def hal(description: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {HAL: {"schema": body}}}
