"""Matching the document's participant names to the registry's states, tolerantly.

Folding: accents dropped (Türkiye = Turkiye), case ignored, apostrophes dropped, "&" read as
"and", "St." and "St" read as "Saint", any other punctuation or run of spaces read as one
space. A name matches a state's `un_name` or `name` when their foldings are equal; failing
that, when the names agree after dropping a parenthesis ("Bolivia (Plurinational State of)"
= "Bolivia") or moving it to the front ("Plurinational State of Bolivia"), provided exactly
one state matches. Anything else is reported as unknown, never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from campaign.states.models import State

_PARENTHESIS = re.compile(r"^(?P<before>[^()]*)\((?P<inside>[^()]*)\)(?P<after>[^()]*)$")


def fold(name: str) -> str:
    """The name reduced to what matters for matching, parentheses kept."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    text = re.sub(r"['’‘`´]", "", text).replace("&", " and ")
    text = re.sub(r"\bst\b\.?", "saint", text)
    text = re.sub(r"[^\w()]+", " ", text)
    return " ".join(text.replace("(", " ( ").replace(")", " ) ").split())


def exact_key(name: str) -> str:
    return " ".join(fold(name).replace("(", " ").replace(")", " ").split())


def loose_keys(name: str) -> set[str]:
    """The name without its parenthesis, and with the parenthesis moved to the front."""
    match = _PARENTHESIS.match(fold(name))
    if match is None:
        return {exact_key(name)}
    before, inside, after = (" ".join(match[part].split()) for part in match.groupdict())
    return {
        " ".join(f"{before} {after}".split()),
        " ".join(f"{inside} {before} {after}".split()),
    }


class NameIndex:
    """Every state under the keys of its UN name and its common name."""

    def __init__(self, states: Iterable[State]) -> None:
        self.exact: dict[str, set[int]] = defaultdict(set)
        self.loose: dict[str, set[int]] = defaultdict(set)
        self.states: dict[int, State] = {}
        for state in states:
            self.states[state.id] = state
            for name in (state.un_name, state.name):
                self.exact[exact_key(name)].add(state.id)
                for key in loose_keys(name) | {exact_key(name)}:
                    self.loose[key].add(state.id)

    def find(self, name: str) -> State | None:
        """The one state *name* stands for, or None when unknown or ambiguous."""
        found = self.exact.get(exact_key(name), set())
        if not found:
            found = set().union(*(self.loose.get(key, set()) for key in loose_keys(name)))
        if len(found) != 1:
            return None
        return self.states[next(iter(found))]
