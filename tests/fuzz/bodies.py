"""Hypothesis strategies for what a POST carries: the fields of a form (drawn from the
form classes, or mutated from the form a page shows), a CSV upload, JSON, raw bytes."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass

from hypothesis import strategies as st

from tests.fuzz.catalogue import FieldSpec, Route, all_forms, field_specs
from tests.fuzz.harvest import Baseline
from tests.fuzz.values import nasty, value

Pairs = tuple[tuple[str, str], ...]
CONTENT_TYPES = (
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "application/json",
    "text/plain",
    "application/octet-stream",
    "text/csv; charset=latin-1",
    "garbage/",
    "",
)


@dataclass(frozen=True)
class Upload:
    field: str
    filename: str
    content_type: str
    content: bytes


@st.composite
def form_fields(
    draw: st.DrawFn, forms: Sequence[Sequence[FieldSpec]], real: Sequence[str]
) -> Pairs:
    """A random subset of one form's fields (of the view's forms, or any form), some twice,
    plus a stray field or two."""
    known = list(forms) or list(all_forms())
    fields = draw(st.sampled_from(known if draw(st.integers(0, 4)) else list(all_forms())))
    pairs: list[tuple[str, str]] = []
    for spec in fields:
        if spec.kind == "file" or draw(st.integers(0, 5)) == 0:
            continue
        for _ in range(draw(st.sampled_from((1, 1, 1, 1, 2, 3)))):
            pairs.append((spec.name, draw(value(spec.kind, spec.choices, tuple(real)))))
    return _with_strays(draw, pairs)


def _with_strays(draw: st.DrawFn, pairs: list[tuple[str, str]]) -> Pairs:
    strays = st.tuples(st.sampled_from(("action", "id", "csrf_token", "x", "")), value())
    pairs += draw(st.lists(strays, max_size=2))
    return tuple(draw(st.permutations(pairs)))


@st.composite
def mutated(draw: st.DrawFn, baseline: Baseline, real: Sequence[str]) -> Pairs:
    """The form as the page shows it, each field kept (mostly), set to another of its options,
    to a plausible or hostile value, left out or sent twice."""
    kinds = field_specs()
    pairs: list[tuple[str, str]] = []
    for name, shown in baseline.fields:
        spec = kinds.get(name, FieldSpec(name, "text"))
        options = baseline.options_of(name) or spec.choices
        how = draw(
            st.sampled_from(
                ("keep",) * 5 + ("option", "option", "plausible", "hostile", "drop", "twice")
            )
        )
        if how == "drop":
            continue
        text = shown
        if how == "option" and options:
            text = draw(st.sampled_from(options))
        elif how in ("plausible", "twice"):
            text = draw(value(spec.kind, options, tuple(real)))
        elif how == "hostile":
            text = draw(nasty())
        pairs.append((name, text))
        if how == "twice":
            pairs.append((name, shown))
    for name, options in baseline.options:  # an unticked box or another choice, added
        if options and draw(st.integers(0, 5)) == 0:
            pairs.append((name, draw(st.sampled_from(options))))
    return _with_strays(draw, pairs) if draw(st.integers(0, 4)) == 0 else tuple(pairs)


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    """An organisation import: a right header or not, cells plausible or hostile, sometimes a
    cell far past the csv module's limit, broken quotes or bytes that are not UTF-8."""
    header = ["name", "kind", "country", "website", "contact_name", "contact_email"]
    header += draw(st.sampled_from(([], ["partner_states", "partner_role"], ["bogus"])))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(draw(st.permutations(header)) if draw(st.booleans()) else header)
    cells = st.one_of(st.sampled_from(("ngo", "MEX", "MEX;NPL", "lead", "")), value())
    for _ in range(draw(st.integers(0, 4))):
        writer.writerow(draw(st.lists(cells, min_size=len(header) - 1, max_size=len(header) + 1)))
    text = buffer.getvalue()
    tail = draw(
        st.sampled_from(("", "", "", "big", "quote", "latin-1", "bom", "nul", "crlf", "empty"))
    )
    if tail == "big":
        text += "Huge,ngo," + "x" * 131_073 + "\n"
    elif tail == "quote":
        text += 'Broken,"ngo\n'
    elif tail == "bom":
        text = "\ufeff" + text
    elif tail == "nul":
        text += "Nul\x00org,ngo\n"
    elif tail == "crlf":
        text = text.replace("\n", "\r\n") + "Bare\rcarriage,ngo\r"
    elif tail == "empty":
        text = ""
    data = text.encode("utf-8")
    return "Café,ngo\n".encode("latin-1") + data if tail == "latin-1" else data


@st.composite
def uploads(draw: st.DrawFn, forms: Sequence[Sequence[FieldSpec]]) -> tuple[Upload, ...]:
    """A CSV for the form's file field, or (as no browser would) a file for a text field."""
    files = [spec.name for form in forms for spec in form if spec.kind == "file"]
    others = [spec.name for form in forms for spec in form if spec.kind != "file"]
    if draw(st.integers(0, 3)) == 0 or not (files or others):
        return ()
    names = files if files and draw(st.integers(0, 3)) else others or files
    filename = draw(
        st.sampled_from(("orgs.csv", "", "../../x.csv", "a\x00.csv", "名前.csv", "x" * 300))
    )
    ctype = draw(st.sampled_from(("text/csv", "application/octet-stream", "image/png", "")))
    return (Upload(draw(st.sampled_from(names)), filename, ctype, draw(csv_files())),)


def _json_body(draw: st.DrawFn, fields: Pairs) -> bytes:
    shape = draw(st.sampled_from(("object", "list", "scalar", "broken", "deep")))
    if shape == "object":
        return json.dumps(dict(fields)).encode()
    if shape == "list":
        return json.dumps(list(fields)).encode()
    if shape == "scalar":
        return json.dumps(draw(st.sampled_from((1, None, "x", 1e308, True)))).encode()
    if shape == "deep":
        return b"[" * 5000 + b"]" * 5000
    return b'{"csrf_token": '


@st.composite
def bodies(
    draw: st.DrawFn, route: Route, real: Sequence[str], baseline: Baseline | None
) -> dict[str, object]:
    kind = draw(
        st.sampled_from(("form", "form", "form", "form", "multipart", "json", "raw", "none"))
    )
    if baseline is not None and draw(st.integers(0, 2)):
        fields = draw(mutated(baseline, real))
    else:
        fields = draw(form_fields(route.forms, real))
    if kind == "form":
        return {"body": "form", "fields": fields, "content_type": _maybe_wrong_type(draw, "form")}
    if kind == "multipart":
        return {"body": "multipart", "fields": fields, "uploads": draw(uploads(route.forms))}
    if kind == "json":
        raw = _json_body(draw, fields)
        return {"body": "raw", "raw": raw, "content_type": _maybe_wrong_type(draw, "json")}
    if kind == "raw":
        raw = draw(
            st.one_of(st.binary(max_size=200), st.sampled_from((b"", b"--x--", b"\x00" * 64)))
        )
        return {"body": "raw", "raw": raw, "content_type": draw(st.sampled_from(CONTENT_TYPES))}
    return {}


def _maybe_wrong_type(draw: st.DrawFn, kind: str) -> str | None:
    right = "application/x-www-form-urlencoded" if kind == "form" else "application/json"
    return right if draw(st.integers(0, 5)) else draw(st.sampled_from(CONTENT_TYPES))
