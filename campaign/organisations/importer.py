"""CSV import of organisations and their partnerships: checked whole, applied all or nothing."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from campaign.accounts.models import User
from campaign.audit.models import AuditEvent
from campaign.core.addresses import InvalidEmail, normalise_email
from campaign.core.validators import BIDI_CONTROLS, FORMULA_STARTS
from campaign.extensions import db
from campaign.organisations.models import (
    ORGANISATION_KINDS,
    PARTNER_ROLES,
    Organisation,
    Partnership,
)
from campaign.states.models import State

REQUIRED = ("name", "kind")
COLUMNS = (
    *REQUIRED,
    "country",
    "website",
    "contact_name",
    "contact_email",
    "partner_states",
    "partner_role",
)
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
LIMITS = {"name": 200, "website": 300, "contact_name": 200, "contact_email": 254}


@dataclass
class RowPlan:
    line: int
    name: str
    action: str  # create, update or unchanged
    values: dict[str, object]
    states: list[State]
    role: str


@dataclass
class ImportReport:
    rows: list[RowPlan] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def partnerships(self) -> int:
        return sum(len(row.states) for row in self.rows)


class ImportRefused(Exception):
    """The file as a whole cannot be read; the message says why."""


def _decode(raw: bytes) -> list[dict[str | None, Any]]:
    if len(raw) > MAX_BYTES:
        raise ImportRefused(
            _("The file is larger than %(size)s MB.", size=MAX_BYTES // (1024 * 1024))
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        message = _("The file is not UTF-8 text. Save it as CSV UTF-8.")
        raise ImportRefused(message) from error
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name not in COLUMNS]
    if not header or missing or unknown or len(set(header)) != len(header):
        raise ImportRefused(
            _(
                "The columns must be: %(columns)s (name and kind required); "
                "missing: %(missing)s; unknown: %(unknown)s.",
                columns=", ".join(COLUMNS),
                missing=", ".join(missing) or _("none"),
                unknown=", ".join(unknown) or _("none"),
            )
        )
    reader.fieldnames = header
    rows: list[dict[str | None, Any]] = []
    try:
        for row in reader:
            rows.append(row)
            if len(rows) > MAX_ROWS:
                message = _("The file has more than %(rows)s rows; split it.", rows=MAX_ROWS)
                raise ImportRefused(message)
    except csv.Error as error:  # a cell over the csv module's limit, or broken quoting
        raise ImportRefused(
            _(
                "Line %(line)s cannot be read: a cell is far too long or its quotes do not match.",
                line=reader.reader.line_num,  # the line being read (DictReader: the last read)
            )
        ) from error
    return rows


def _cell_problem(column: str, value: str) -> str | None:
    if any(ord(char) < 32 for char in value) or BIDI_CONTROLS.intersection(value):
        return _("%(column)s contains line breaks or control characters", column=column)
    if value.startswith(FORMULA_STARTS):
        return _("%(column)s starts with a formula character", column=column)
    if "<" in value or ">" in value:
        return _("%(column)s contains < or >", column=column)
    if len(value) > LIMITS.get(column, 1000):
        limit = LIMITS.get(column, 1000)
        return _("%(column)s is longer than %(limit)s characters", column=column, limit=limit)
    return None


def _check_row(
    row: Mapping[str | None, Any], states: dict[str, State]
) -> tuple[dict[str, object], list[State], str]:
    if None in row:
        raise ValueError(_("the row has more cells than the header"))
    cells = {str(key): str(value or "").strip() for key, value in row.items()}
    for column, value in cells.items():
        if (problem := _cell_problem(column, value)) is not None:
            raise ValueError(problem)
    if not cells.get("name"):
        raise ValueError(_("name is empty"))
    if cells.get("kind") not in ORGANISATION_KINDS:
        raise ValueError(_("kind must be one of %(kinds)s", kinds=", ".join(ORGANISATION_KINDS)))
    country = cells.get("country", "").upper()
    if country and country not in states:
        raise ValueError(
            _("unknown country %(country)s (use the ISO alpha-3 code)", country=repr(country))
        )
    website = cells.get("website") or None
    if website and not website.startswith(("https://", "http://")):
        raise ValueError(_("website must start with https:// or http://"))
    email = cells.get("contact_email") or None
    if email:
        try:
            email = normalise_email(email)
        except InvalidEmail as error:
            message = _("contact_email is not valid: %(error)s", error=error)
            raise ValueError(message) from error
    codes = [
        code.strip().upper() for code in cells.get("partner_states", "").split(";") if code.strip()
    ]
    if unknown := [code for code in codes if code not in states]:
        raise ValueError(_("unknown partner state(s): %(codes)s", codes=", ".join(unknown)))
    role = cells.get("partner_role") or "member"
    if role not in PARTNER_ROLES:
        raise ValueError(_("partner_role must be one of %(roles)s", roles=", ".join(PARTNER_ROLES)))
    values: dict[str, object] = {
        "name": cells["name"],
        "kind": cells["kind"],
        "website": website,
        "country_id": states[country].id if country else None,
        "contact_name": cells.get("contact_name") or None,
        "contact_email": email,
    }
    return values, [states[code] for code in dict.fromkeys(codes)], role


def read_import(raw: bytes) -> ImportReport:
    """Check every row; the plan of what would change and the rejected rows by line number."""
    rows = _decode(raw)
    states = {state.iso3: state for state in db.session.scalars(select(State))}
    existing = {
        org.name.lower(): org
        for org in db.session.scalars(
            select(Organisation).where(Organisation.merged_into_id.is_(None))
        )
    }
    report, seen = ImportReport(), dict[str, int]()
    for line, row in enumerate(rows, start=2):
        try:
            values, partner_states, role = _check_row(row, states)
        except ValueError as error:
            report.errors.append((line, str(error)))
            continue
        key = str(values["name"]).lower()
        if key in seen:
            report.errors.append((line, _("duplicate of line %(line)s", line=seen[key])))
            continue
        seen[key] = line
        current = existing.get(key)
        changed = current is None or any(getattr(current, k) != v for k, v in values.items())
        action = "create" if current is None else "update" if changed else "unchanged"
        report.rows.append(RowPlan(line, str(values["name"]), action, values, partner_states, role))
    return report


def apply_import(report: ImportReport, actor: User) -> None:
    """Write the plan; only a report without errors may be applied."""
    if report.errors:
        raise ImportRefused(_("Correct the rejected rows first: nothing was imported."))
    existing = {org.name.lower(): org for org in db.session.scalars(select(Organisation))}
    touched: list[tuple[Organisation, RowPlan, dict[str, object] | None]] = []
    for plan in report.rows:
        organisation = existing.get(plan.name.lower())
        before = None
        if organisation is None:
            organisation = Organisation(name=plan.name, kind=str(plan.values["kind"]))
            db.session.add(organisation)
        elif plan.action == "update":
            before = {k: getattr(organisation, k) for k in plan.values}
        for key, value in plan.values.items():
            setattr(organisation, key, value)
        touched.append((organisation, plan, before))
    db.session.flush()
    _add_partnerships(touched)
    db.session.add_all(
        AuditEvent(
            actor=actor,
            actor_label=actor.email,
            action=f"organisation.imported.{plan.action}",
            entity_type="organisation",
            entity_id=organisation.id,
            before=before,
            after={k: str(v) if v is not None else None for k, v in plan.values.items()},
        )
        for organisation, plan, before in touched
        if plan.action != "unchanged" or plan.states
    )
    db.session.flush()


def _add_partnerships(
    touched: list[tuple[Organisation, RowPlan, dict[str, object] | None]],
) -> None:
    ids = [organisation.id for organisation, _, _ in touched]
    existing = set(
        db.session.execute(
            select(Partnership.organisation_id, Partnership.state_id).where(
                Partnership.organisation_id.in_(ids)
            )
        ).all()
    )
    for organisation, plan, _before in touched:
        for state in plan.states:
            if (organisation.id, state.id) not in existing:
                db.session.add(
                    Partnership(organisation_id=organisation.id, state_id=state.id, role=plan.role)
                )
