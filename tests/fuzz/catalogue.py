"""What the application offers to a client, read from the application itself: its routes,
the query arguments its views read, and the fields of its forms.

Nothing here is listed by hand, so a new route, argument or form field is fuzzed without
anyone remembering to add it.
"""

from __future__ import annotations

import functools
import inspect
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from wtforms import BooleanField, DateField, EmailField, IntegerField, SelectFieldBase
from wtforms.fields.core import UnboundField
from wtforms.fields.simple import FileField

import campaign
from campaign.core.forms import CampaignForm

PACKAGE = Path(campaign.__file__).parent
# `request.args.get("page")`, `args.get("state")` (TaskFilters.from_args) and the like.
_ARG_READ = re.compile(r"""\bargs\.get\(\s*["']([A-Za-z0-9_-]+)["']""")
# Fields read straight from the form (`request.form.get("action")`), outside any form class.
_FORM_READ = re.compile(r"""\bform\.get\(\s*["']([A-Za-z0-9_-]+)["']""")


@dataclass(frozen=True)
class FieldSpec:
    """A form field as a browser would post it: its name, its kind, its fixed choices."""

    name: str
    kind: str  # text, date, number, boolean, email, choice, file
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Route:
    """One method of one rule of the URL map, and the forms its view reads."""

    rule: str
    endpoint: str
    method: str
    arguments: tuple[tuple[str, str], ...]  # (name, converter), in the order of the rule
    forms: tuple[tuple[FieldSpec, ...], ...]
    query_names: tuple[str, ...] = ()  # the arguments its view's module reads

    @property
    def key(self) -> str:
        return f"{self.method} {self.rule}"


def routes(app: Flask) -> list[Route]:
    """Every (rule, method) of the URL map but static files: HEAD and OPTIONS included."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        arguments = tuple(
            (name, type(converter).__name__) for name, converter in rule._converters.items()
        )
        forms = forms_of_view(app, rule.endpoint)
        names = arguments_of_view(app, rule.endpoint)
        for method in sorted(rule.methods or ()):
            found.append(Route(rule.rule, rule.endpoint, method, arguments, forms, names))
    return found


def _form_classes() -> list[type[CampaignForm]]:
    seen: list[type[CampaignForm]] = []
    pending: list[type[CampaignForm]] = [CampaignForm]
    while pending:
        cls = pending.pop()
        seen.append(cls)
        pending.extend(cls.__subclasses__())
    return sorted(seen, key=lambda cls: cls.__qualname__)


def _kind(unbound: UnboundField) -> str:
    field_class = unbound.field_class
    for base, kind in (
        (FileField, "file"),
        (BooleanField, "boolean"),
        (DateField, "date"),
        (IntegerField, "number"),
        (EmailField, "email"),
        (SelectFieldBase, "choice"),
    ):
        if issubclass(field_class, base):
            return kind
    return "text"


def _choices(unbound: UnboundField) -> tuple[str, ...]:
    choices = unbound.kwargs.get("choices") or ()
    if callable(choices):
        return ()
    values = [choice[0] if isinstance(choice, tuple | list) else choice for choice in choices]
    return tuple(str(value) for value in values)


def form_fields(cls: type[CampaignForm]) -> tuple[FieldSpec, ...]:
    """The fields *cls* declares (with its bases), as named in a submission."""
    fields = []
    for attribute in dir(cls):
        unbound = getattr(cls, attribute, None)
        if isinstance(unbound, UnboundField):
            name = unbound.kwargs.get("name") or attribute
            fields.append(FieldSpec(name, _kind(unbound), _choices(unbound)))
    return tuple(fields)


@functools.cache
def all_forms() -> tuple[tuple[FieldSpec, ...], ...]:
    return tuple(form_fields(cls) for cls in _form_classes() if form_fields(cls))


@functools.cache
def field_specs() -> dict[str, FieldSpec]:
    """Every field name of every form, with its kind (the first form declaring it wins)."""
    specs: dict[str, FieldSpec] = {}
    for form in all_forms():
        for spec in form:
            specs.setdefault(spec.name, spec)
    return specs


def forms_of_view(app: Flask, endpoint: str) -> tuple[tuple[FieldSpec, ...], ...]:
    """The forms named in the view's source, else in its module (a view may build its form
    in a helper); fields read straight from `request.form` come as a form of their own."""
    view = inspect.unwrap(app.view_functions[endpoint])
    module = sys.modules[view.__module__]
    classes = _form_classes()
    found = []
    for source in (inspect.getsource(view), inspect.getsource(module)):
        found = [cls for cls in classes if re.search(rf"\b{cls.__name__}\b", source)]
        if found:
            break
    forms = [form_fields(cls) for cls in found]
    loose = sorted(set(_FORM_READ.findall(inspect.getsource(module))))
    if loose:
        forms.append(tuple(FieldSpec(name, "text") for name in loose))
    return tuple(form for form in forms if form)


def arguments_of_view(app: Flask, endpoint: str) -> tuple[str, ...]:
    """The query arguments read in the view's module, and by the `from_args` it calls."""
    source = inspect.getsource(sys.modules[inspect.unwrap(app.view_functions[endpoint]).__module__])
    names = set(_ARG_READ.findall(source))
    if "from_args(" in source:
        for other in _sources():
            if "def from_args(" in other:
                names.update(_ARG_READ.findall(other))
    return tuple(sorted(names))


def _sources() -> Iterator[str]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.read_text(encoding="utf-8")


@functools.cache
def query_names() -> tuple[str, ...]:
    """Every query argument a view reads (found in the package's source)."""
    return tuple(sorted({name for source in _sources() for name in _ARG_READ.findall(source)}))
