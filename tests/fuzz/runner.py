"""The fuzz loop shared by the suite (the Flask test client) and `make fuzz` (real HTTP): draw
requests with Hypothesis, send them as one visitor, count the answers by status."""

from __future__ import annotations

import re
import traceback
from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol

from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import seed as fixed_seed

from tests.fuzz.harvest import Baseline, harvest
from tests.fuzz.strategies import FuzzRequest, plain_request, requests
from tests.fuzz.targets import Target, keeps_session
from tests.fuzz.wire import Wire, describe, to_wire


@dataclass(frozen=True)
class Answer:
    status: int
    error: str = ""  # the traceback, when the server raised


# The answers whose forms are read (by Content-Type): anything else has no form to harvest.
HTML = ("text/html", "application/xhtml+xml")


class Visitor(Protocol):
    """One browser with one role: its session's CSRF token, and a way to send a request."""

    def token(self) -> str: ...

    def page(self, url: str) -> str:
        """The body of a GET of *url* (to read the forms it shows); "" unless it is HTML."""

    def send(self, wire: Wire) -> Answer: ...

    def settle(self, request: FuzzRequest) -> None:
        """After *request*: make sure the visitor still has its role (log back in if not)."""


@dataclass
class Tally:
    statuses: Counter[int] = field(default_factory=Counter)
    by_route: Counter[str] = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    baselines: int = 0  # how many routes' forms were read from the pages

    @property
    def count(self) -> int:
        return sum(self.statuses.values())


EXCEPTION = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit)\b")


@dataclass(frozen=True)
class Failure:
    """A 5xx: the request (in full and as one line), and what the server raised."""

    request: FuzzRequest
    answer: Answer

    @property
    def text(self) -> str:
        text = f"{self.answer.status} for\n{describe(self.request)}"
        return f"{text}\n{self.answer.error}" if self.answer.error else text

    @property
    def request_line(self) -> str:
        return describe(self.request).splitlines()[0][:300]

    @property
    def kind(self) -> str:
        """The class of the failure: the route, and the exception (the traceback's last)."""
        raised = [line for line in self.answer.error.splitlines() if EXCEPTION.match(line)]
        return f"{self.answer.status} {self.request.route.key}: {(raised or [''])[-1][:200]}"


def forms_shown(visitor: Visitor, target: Target) -> dict[str, Baseline]:
    """The forms on every page this visitor can open, by the route they post to."""
    urls = [plain_request(r, target.values).path for r in target.routes if r.method == "GET"]
    return harvest(((url, visitor.page(url)) for url in dict.fromkeys(urls)), target.adapter)


def fuzz(
    visitor: Visitor,
    role: str,
    target: Target,
    *,
    examples: int,
    stop_at_5xx: bool = True,
    seed: int | None = None,
) -> Tally:
    """Send every route's plain request (the explicit phase: each route at least once), then
    *examples* drawn ones. With *stop_at_5xx* the first 5xx fails at once; otherwise every one
    is kept in the tally."""
    tally = Tally()
    baselines = forms_shown(visitor, target)
    tally.baselines = len(baselines)
    strategy = requests(target.routes, target.values, target.real, baselines).filter(
        lambda request: keeps_session(request, role, target)
    )

    def probe(request: FuzzRequest) -> None:
        try:
            answer = visitor.send(to_wire(request, visitor.token()))
        except Exception:  # the test client re-raises what the app raised
            answer = Answer(500, traceback.format_exc())
        tally.statuses[answer.status] += 1
        tally.by_route[request.route.key] += 1
        visitor.settle(request)
        if answer.status >= 500:
            tally.failures.append(Failure(request, answer))
            assert not stop_at_5xx, tally.failures[-1].text

    test = given(request=strategy)(probe)
    for route in target.routes:
        plain = plain_request(route, target.values)
        if keeps_session(plain, role, target):
            test = example(request=plain)(test)
    test = settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=seed is None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )(test)
    if seed is not None:
        test = fixed_seed(seed)(test)
    test()
    return tally
