"""What every desk's pick-lists need, whatever the vendor: reading a status's meaning and a
priority's urgency from their labels, the connection's ``status_map`` override, a catalogue
of :class:`~adapters.model.Choice` values to map a ticket's ids with, and a cache that loads
those lookups once per connection.

Desks name their statuses and priorities freely ("Awaiting Payment", "Major(Majeur)"), and
most say nothing else about them; the UI still has to know which tickets are done and which
are urgent. The heuristics here read the label, which is what an agent would do, and every
connection can override a status's category by id or label (``status_map``) where they
guess wrong. Where a desk does say more (Kayako's ``markasresolved``, a ``closed`` flag),
the vendor passes it as ``done`` and the label only tells closed from resolved.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Hashable, Iterable, Mapping, Sequence
from typing import Generic, TypeVar

from adapters.model import Choice, Lookups, StatusCategory

# --------------------------------------------------------------------------------------
# Statuses
# --------------------------------------------------------------------------------------

_NEW_WORDS = frozenset({"new", "nouveau", "nouvelle", "neu", "nuevo", "unassigned"})
_PENDING = re.compile(r"\b(wait|await|hold|pending|suspend|defer|paus|snooz|attente)", re.I)
_CLOSED = re.compile(r"\b(clos|ferm)", re.I)
_RESOLVED = re.compile(r"\b(resol|solved|done|complet|finish|cancel|r[ée]solu)", re.I)


def overridden_category(
    overrides: Mapping[str, StatusCategory] | None, status_id: str, label: str
) -> StatusCategory | None:
    """The connection's ``status_map`` entry for a status: by id first, then by label
    (case-insensitive); ``None`` when it has none."""
    if not overrides:
        return None
    if status_id in overrides:
        return overrides[status_id]
    folded = label.casefold()
    for key, category in overrides.items():
        if key.casefold() == folded:
            return category
    return None


def category_from_label(label: str, *, done: bool | None = None) -> StatusCategory:
    """What a status means, read from its label.

    ``done`` is what the desk itself says, when it does: a done status titled like "Closed"
    (or "Fermé") is CLOSED, any other done one RESOLVED; a status the desk says is not done
    is NEW when titled "New" (or a translation, or "Unassigned"), PENDING when titled like
    waiting or on hold, else OPEN. With ``done`` unknown, a label like "Closed" is CLOSED and
    one like "Resolved", "Solved", "Done" or "Cancelled" RESOLVED before the rest applies.
    """
    if done is None:
        if _CLOSED.search(label):
            return StatusCategory.CLOSED
        if _RESOLVED.search(label):
            return StatusCategory.RESOLVED
    elif done:
        return StatusCategory.CLOSED if _CLOSED.search(label) else StatusCategory.RESOLVED
    words = set(re.findall(r"\w+", label.casefold()))
    if words & _NEW_WORDS:
        return StatusCategory.NEW
    if _PENDING.search(label):
        return StatusCategory.PENDING
    return StatusCategory.OPEN


def status_category(
    status_id: str,
    label: str,
    *,
    done: bool | None = None,
    overrides: Mapping[str, StatusCategory] | None = None,
) -> StatusCategory:
    """The ``status_map`` override if there is one, else :func:`category_from_label`."""
    overridden = overridden_category(overrides, status_id, label)
    return overridden if overridden is not None else category_from_label(label, done=done)


# --------------------------------------------------------------------------------------
# Priorities
# --------------------------------------------------------------------------------------

_RANK_WORDS: dict[str, int] = {
    **dict.fromkeys(
        ("critical", "emergency", "blocking", "blocker", "bloquant", "urgent", "highest"), 1
    ),
    **dict.fromkeys(("high", "major", "majeur", "important"), 2),
    **dict.fromkeys(("medium", "normal", "moderate", "standard", "moyen", "moyenne"), 3),
    **dict.fromkeys(("low", "minor", "mineur", "faible"), 4),
    **dict.fromkeys(("lowest", "trivial", "planning", "cosmetic"), 5),
}

K = TypeVar("K", bound=Hashable)


def rank_from_label(label: str) -> int | None:
    """1 (most urgent) … 5 when the label says how urgent it is, else ``None``."""
    ranks = [_RANK_WORDS[w] for w in re.findall(r"\w+", label.casefold()) if w in _RANK_WORDS]
    return min(ranks) if ranks else None


def priority_ranks(priorities: Sequence[tuple[K, str, int]]) -> dict[K, int]:
    """Rank 1 (most urgent) … 5 for each ``(id, label, order)``.

    A label that says what it is ("Critical", "Major(Majeur)", "Low") decides. The others
    are placed by ``order`` spread over 1…5, in the direction the recognised labels show;
    with fewer than two recognised, a higher order is more urgent, as in Kayako's default
    set (Low 1 … Critical 6). Ties in order keep the ids' order (ids must sort).
    """
    if not priorities:
        return {}
    known = {ident: rank for ident, label, _ in priorities if (rank := rank_from_label(label))}
    order_of = {ident: order for ident, _, order in priorities}
    ascending_is_urgent = False
    if len(known) >= 2:
        by_order = sorted(known, key=lambda ident: order_of[ident])
        ascending_is_urgent = known[by_order[0]] < known[by_order[-1]]
    ordered = sorted(
        order_of,
        key=lambda ident: (order_of[ident] if ascending_is_urgent else -order_of[ident], ident),
    )
    ranks: dict[K, int] = {}
    last = len(ordered) - 1
    for index, ident in enumerate(ordered):
        if ident in known:
            ranks[ident] = known[ident]
        else:
            ranks[ident] = 3 if last == 0 else 1 + round(index * 4 / last)
    return ranks


# --------------------------------------------------------------------------------------
# A catalogue of choices
# --------------------------------------------------------------------------------------


class ChoiceCatalogue:
    """A connection's lookups by id, for mapping a ticket's ids to :class:`Choice` values.

    An id the catalogue does not know still shows, as ``#id`` (the lookups may be older
    than the ticket); an id in ``none_ids`` (``""``, and whatever the desk uses for "none",
    such as Kayako's ``"0"``) maps to ``None``.
    """

    def __init__(
        self,
        *,
        statuses: Iterable[Choice] = (),
        priorities: Iterable[Choice] = (),
        types: Iterable[Choice] = (),
        groups: Iterable[Choice] = (),
        agents: Iterable[Choice] = (),
        none_ids: Iterable[str] = ("",),
    ) -> None:
        self._statuses = {choice.id: choice for choice in statuses}
        self._priorities = {choice.id: choice for choice in priorities}
        self._types = {choice.id: choice for choice in types}
        self._groups = {choice.id: choice for choice in groups}
        self._agents = {choice.id: choice for choice in agents}
        self._none_ids = frozenset(none_ids) | {""}

    def lookups(self) -> Lookups:
        return Lookups(
            statuses=tuple(self._statuses.values()),
            priorities=tuple(self._priorities.values()),
            types=tuple(self._types.values()),
            agents=tuple(self._agents.values()),
            groups=tuple(self._groups.values()),
        )

    def _find(self, choices: Mapping[str, Choice], choice_id: str) -> Choice | None:
        if choice_id in self._none_ids:
            return None
        return choices.get(choice_id) or Choice(id=choice_id, label=f"#{choice_id}")

    def status(self, status_id: str) -> Choice | None:
        return self._find(self._statuses, status_id)

    def priority(self, priority_id: str) -> Choice | None:
        return self._find(self._priorities, priority_id)

    def type(self, type_id: str) -> Choice | None:
        return self._find(self._types, type_id)

    def group(self, group_id: str) -> Choice | None:
        return self._find(self._groups, group_id)

    def agent(self, agent_id: str) -> Choice | None:
        return self._find(self._agents, agent_id)

    def is_done(self, status_id: str) -> bool:
        choice = self._statuses.get(status_id)
        return choice is not None and choice.category is not None and choice.category.is_done


# --------------------------------------------------------------------------------------
# Loading once
# --------------------------------------------------------------------------------------

T = TypeVar("T")


class LookupCache(Generic[T]):
    """A connection's lookups, loaded on first use and kept.

    The lock makes concurrent first callers (the list, the detail and a form opening at
    once) share one load instead of each fetching every pick-list; ``refresh`` reloads
    (the UI's "lookups" asks for fresh ones). A failed load leaves nothing cached, so the
    next call tries again.
    """

    def __init__(self, load: Callable[[], Awaitable[T]]) -> None:
        self._load = load
        self._value: T | None = None
        self._lock = asyncio.Lock()

    async def get(self, *, refresh: bool = False) -> T:
        async with self._lock:
            if self._value is None or refresh:
                self._value = await self._load()
            return self._value

    def set(self, value: T) -> None:
        """Use ``value`` as the loaded lookups (a desk whose lookups came another way)."""
        self._value = value

    @property
    def loaded(self) -> T | None:
        return self._value
