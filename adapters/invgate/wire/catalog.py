"""An InvGate connection's lookups as the model's choices, and the people it knows.

Status IDs and names are per instance (and localised), and the API says nothing else
about them, so what a status means is read from its name: the shared heuristics
(:mod:`adapters.lookups`) with InvGate's finished states (solved, closed, rejected,
cancelled) marked done. Help desks form a tree with levels; a level is listed as
``Help desk › Level``, since requests are assigned to either. Agents are the users with
``user_type`` 1.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from adapters import lookups as shared
from adapters.invgate.wire import values
from adapters.lookups import ChoiceCatalogue
from adapters.model import Choice, Person, StatusCategory

_DONE = re.compile(r"\b(solved|resolved|closed|rejected|cancel+ed|canceled|finali[sz]ed)", re.I)
AGENT = 1


@dataclass(frozen=True)
class Named:
    """A lookup row: ``id`` and ``name`` (and a parent where the lookup is a tree)."""

    id: str
    name: str
    parent: str | None = None
    order: int | None = None
    members: tuple[str, ...] = ()

    @classmethod
    def read(cls, row: Mapping[str, Any], parent_key: str = "") -> Named:
        return cls(
            id=values.required_ident(row.get("id"), "id"),
            name=values.text(row.get("name")).strip() or f"#{row.get('id')}",
            parent=values.ident(row.get(parent_key)) if parent_key else None,
            order=values.integer(row.get("level_order")) if "level_order" in row else None,
            members=tuple(values.ids(row.get("members_ids"))),
        )


@dataclass(frozen=True)
class User:
    id: str
    name: str
    email: str
    username: str
    agent: bool
    disabled: bool

    @classmethod
    def read(cls, row: Mapping[str, Any]) -> User:
        first = values.text(row.get("name")).strip()
        last = values.text(row.get("lastname")).strip()
        return cls(
            id=values.required_ident(row.get("id"), "user id"),
            name=" ".join(part for part in (first, last) if part) or f"user #{row.get('id')}",
            email=values.text(row.get("email")).strip(),
            username=values.text(row.get("username")).strip(),
            agent=values.integer(row.get("user_type")) == AGENT,
            disabled=values.flag(row.get("is_disabled")),
        )

    def person(self) -> Person:
        return Person(id=self.id, name=self.name, email=self.email or None)


def is_done(name: str) -> bool:
    return _DONE.search(name) is not None


def status_choice(status: Named, overrides: Mapping[str, StatusCategory]) -> Choice:
    category = shared.status_category(
        status.id, status.name, done=is_done(status.name), overrides=overrides
    )
    return Choice(id=status.id, label=status.name, category=category)


def group_choices(groups: list[Named]) -> list[Choice]:
    """Help desks in order, each followed by its levels (``Help desk › Level``)."""
    by_id = {g.id: g for g in groups}
    roots = [g for g in groups if g.parent is None or g.parent not in by_id]
    choices: list[Choice] = []
    for root in roots:
        choices.append(Choice(id=root.id, label=root.name))
        levels = sorted(
            (g for g in groups if g.parent == root.id), key=lambda g: (g.order or 0, g.id)
        )
        for level in levels:
            choices.append(Choice(id=level.id, label=f"{root.name} › {level.name}"))
    return choices


@dataclass
class Catalog:
    """The lookups of one instance and the mapping of ids to choices."""

    statuses: list[Named]
    priorities: list[Named]
    types: list[Named]
    sources: list[Named]
    categories: list[Named]
    groups: list[Named]
    users: dict[str, User]
    status_map: Mapping[str, StatusCategory] = field(default_factory=dict)
    choices: ChoiceCatalogue = field(init=False)

    def __post_init__(self) -> None:
        ranks = shared.priority_ranks([(p.id, p.name, int(p.id)) for p in self.priorities])
        members = {m for g in self.groups for m in g.members}
        agents = sorted(
            (
                u
                for u in self.users.values()
                if u.agent and not u.disabled and (u.id in members or not members)
            ),
            key=lambda u: u.name,
        )
        self.choices = ChoiceCatalogue(
            statuses=[status_choice(s, self.status_map) for s in self.statuses],
            priorities=[Choice(id=p.id, label=p.name, rank=ranks[p.id]) for p in self.priorities],
            types=[Choice(id=t.id, label=t.name) for t in self.types],
            groups=group_choices(self.groups),
            agents=[Choice(id=a.id, label=a.name, detail=a.email or None) for a in agents],
        )

    def category_label(self, category_id: str | None) -> str | None:
        """``Parent › Child`` for a category id (the tree read upwards)."""
        if category_id is None:
            return None
        by_id = {c.id: c for c in self.categories}
        names: list[str] = []
        current = by_id.get(category_id)
        while current is not None and len(names) < 10:
            names.append(current.name)
            current = by_id.get(current.parent) if current.parent else None
        return " › ".join(reversed(names)) if names else f"#{category_id}"

    def status(self, status_id: str | None) -> Named | None:
        return next((s for s in self.statuses if s.id == status_id), None)

    def group(self, group_id: str | None) -> Named | None:
        return next((g for g in self.groups if g.id == group_id), None)

    def groups_of(self, agent_id: str) -> list[Named]:
        """The help desks and levels ``agent_id`` is a member of, levels first."""
        found = [g for g in self.groups if agent_id in g.members]
        return sorted(found, key=lambda g: g.parent is None)

    def within(self, group_ids: Iterable[str]) -> set[str]:
        """The groups and every level under them."""
        wanted = set(group_ids)
        return wanted | {g.id for g in self.groups if g.parent in wanted}

    def members_of(self, group_id: str) -> set[str]:
        """Agents of a help desk (its levels included) or of a level."""
        return {m for g in self.groups if g.id in self.within([group_id]) for m in g.members}
