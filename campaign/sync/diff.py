"""Comparing the document's participants with the registry: what a coordinator should review.

Nothing here writes. Each difference becomes a Draft: a new signatory, a new party, a changed
method, a corrected date, or a conflict. A state the document shows lower than the registry,
or not at all, is always a conflict for a human: the sync never moves a status backwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from campaign.states.models import State
from campaign.states.services import RANK
from campaign.sync.names import NameIndex
from campaign.sync.parser import CONSENT_METHODS, INSTRUMENTS, ParseError, Participant

Progress = Callable[[Sequence[Participant]], Iterable[Participant]]


@dataclass(frozen=True)
class Draft:
    """One proposed change, before it is stored (or printed by a dry run)."""

    state: State
    kind: str
    detail: str
    act: str | None = None
    effective_on: dt.date | None = None
    document_name: str = ""
    reason: str = ""  # names a conflict, so that the same conflict is proposed once

    @property
    def method(self) -> str | None:
        return None if self.act in (None, "signature") else self.act

    @property
    def fingerprint(self) -> str:
        subject = self.act or self.reason
        return f"{self.state.iso3}:{self.kind}:{subject}:{self.effective_on or '-'}"


@dataclass(frozen=True)
class Matched:
    """The participants found in the registry, and the names that were not."""

    pairs: list[tuple[State, Participant]]
    unknown: list[str]


def match(
    participants: Sequence[Participant], states: Sequence[State], progress: Progress | None = None
) -> Matched:
    """Each participant's state; ParseError when two rows name the same state."""
    index = NameIndex(states)
    pairs: dict[int, tuple[State, Participant]] = {}
    unknown: list[str] = []
    for participant in progress(participants) if progress else participants:
        state = index.find(participant.name)
        if state is None:
            unknown.append(participant.name)
        elif state.id in pairs:
            first = pairs[state.id][1].name
            raise ParseError(f"Two rows ({first!r}, {participant.name!r}) name {state.name}.")
        else:
            pairs[state.id] = (state, participant)
    return Matched(pairs=list(pairs.values()), unknown=unknown)


def diff(matched: Matched, states: Sequence[State]) -> list[Draft]:
    """Every difference between the matched participants and the registry, state by state."""
    found = {state.id: participant for state, participant in matched.pairs}
    drafts: list[Draft] = []
    for state in sorted(states, key=lambda s: s.name):
        participant = found.get(state.id)
        if participant is None:
            drafts.extend(_missing(state))
        else:
            drafts.extend(diff_state(state, participant))
    return drafts


def diff_state(state: State, participant: Participant) -> list[Draft]:
    """What the row says about *state* that the registry does not."""
    lower = _lower_in_document(state, participant)
    if lower:
        return [_conflict(state, participant, "lower", lower)]
    return [*_signature_drafts(state, participant), *_consent_drafts(state, participant)]


def _missing(state: State) -> list[Draft]:
    if state.status == "none":
        return []
    detail = (
        f"{state.name} is {state.status} in the registry but missing from the document "
        "(renamed, or removed?). The registry was not changed."
    )
    return [Draft(state=state, kind="conflict", detail=detail, reason="missing")]


def _document_rank(participant: Participant) -> int:
    if participant.consent_in_force:
        return RANK["party"]
    return RANK["signatory"] if participant.signed_on else RANK["none"]


def _lower_in_document(state: State, participant: Participant) -> str:
    if _document_rank(participant) >= RANK[state.status]:
        return ""
    if participant.withdrawn:
        why = "its name is in square brackets, the depositary's mark of a withdrawal"
    elif any(cell and cell.bracketed for cell in (participant.signature, participant.consent)):
        why = "its entry is in square brackets (no longer in force)"
    else:
        why = "the document shows a lower status"
    return (
        f"{state.name} is {state.status} in the registry, but {why}. "
        "Nothing is downgraded automatically."
    )


def _signature_drafts(state: State, participant: Participant) -> list[Draft]:
    signed_on = participant.signed_on
    if signed_on is None:
        if state.signed_on is None:
            return []
        detail = (
            f"The registry has a signature of {state.signed_on}; the document shows none. "
            "Check the state's history."
        )
        return [_conflict(state, participant, "signature_missing", detail)]
    if state.signed_on is None and state.status == "none":
        detail = f"Signed on {signed_on} (new signatory)."
        return [_draft(state, participant, "new_signature", "signature", signed_on, detail)]
    if state.signed_on is None:
        detail = (
            f"The document shows a signature on {signed_on}, but the registry has {state.name} "
            f"as party by {state.consent_method} without one. Record it by hand if right."
        )
        return [_conflict(state, participant, "signature_unrecorded", detail)]
    if state.signed_on != signed_on:
        detail = f"Signature date {state.signed_on} in the registry; the document says {signed_on}."
        return [_draft(state, participant, "date_correction", "signature", signed_on, detail)]
    return []


def _consent_drafts(state: State, participant: Participant) -> list[Draft]:
    cell = participant.consent_in_force
    if cell is None:
        return []
    method = CONSENT_METHODS[cell.letter]
    if method is None:
        detail = (
            f"The document records a {INSTRUMENTS[cell.letter]} on {cell.on}, which the registry "
            "cannot record as ratification or accession. Decide by hand."
        )
        return [_conflict(state, participant, f"instrument_{cell.letter}", detail)]
    if state.consented_on is None:
        detail = f"Party by {method} on {cell.on} (new party)."
        return [_draft(state, participant, "new_party", method, cell.on, detail)]
    if state.consent_method != method:
        detail = (
            f"Party by {state.consent_method} in the registry; the document says {method}"
            f" ({INSTRUMENTS[cell.letter]}) on {cell.on}."
        )
        return [_draft(state, participant, "method", method, cell.on, detail)]
    if state.consented_on != cell.on:
        detail = f"Deposit date {state.consented_on} in the registry; the document says {cell.on}."
        return [_draft(state, participant, "date_correction", method, cell.on, detail)]
    return []


def _draft(
    state: State, participant: Participant, kind: str, act: str, on: dt.date, detail: str
) -> Draft:
    return Draft(
        state=state,
        kind=kind,
        detail=detail,
        act=act,
        effective_on=on,
        document_name=participant.name,
    )


def _conflict(state: State, participant: Participant, reason: str, detail: str) -> Draft:
    return Draft(
        state=state, kind="conflict", detail=detail, document_name=participant.name, reason=reason
    )
