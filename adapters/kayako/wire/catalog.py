"""A Kayako connection's lookups as the model's choices: what each status means, how
urgent each priority is, and the catalogue a ticket's ids are mapped with.

The label heuristics are the shared ones (:mod:`adapters.lookups`); what is Kayako's own is
that ``markasresolved`` decides whether a status is done, because the server's own filters
(ListAll's default, "resolved" counts) use it, and that ``"0"`` means "none" in every id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from adapters import lookups as shared
from adapters.kayako.wire.records import Department, Priority, Staff, Status, TicketType
from adapters.model import Choice, Lookups, StatusCategory


def status_category(
    status: Status, overrides: Mapping[str, StatusCategory] | None = None
) -> StatusCategory:
    """What a Kayako status means: the connection's ``status_map`` (by id or label) wins;
    otherwise ``markasresolved`` decides done or not and the title says which
    (:func:`adapters.lookups.category_from_label`)."""
    return shared.status_category(
        str(status.id), status.title, done=status.markasresolved, overrides=overrides
    )


def priority_ranks(priorities: Sequence[Priority]) -> dict[int, int]:
    """Rank 1 (most urgent) … 5 for each priority id, from its title and ``displayorder``
    (:func:`adapters.lookups.priority_ranks`)."""
    return shared.priority_ranks([(p.id, p.title, p.displayorder) for p in priorities])


# --------------------------------------------------------------------------------------
# The catalog: a connection's lookups, for mapping ids to choices
# --------------------------------------------------------------------------------------


def _by_order(item: Status | Priority | TicketType | Department) -> tuple[int, int]:
    return (item.displayorder, item.id)


@dataclass
class Catalog:
    """Statuses, priorities, types, departments and staff of one desk, with their
    normalised choices. Built once per lookups fetch; mapping a ticket only reads it."""

    statuses: tuple[Status, ...] = ()
    priorities: tuple[Priority, ...] = ()
    types: tuple[TicketType, ...] = ()
    departments: tuple[Department, ...] = ()
    staff: tuple[Staff, ...] = ()
    status_map: Mapping[str, StatusCategory] = field(default_factory=dict)
    _status: dict[str, Choice] = field(init=False, repr=False)
    _priority: dict[str, Choice] = field(init=False, repr=False)
    _type: dict[str, Choice] = field(init=False, repr=False)
    _group: dict[str, Choice] = field(init=False, repr=False)
    _staff_names: dict[str, str] = field(init=False, repr=False)
    _choices: shared.ChoiceCatalogue = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.statuses = tuple(sorted(self.statuses, key=_by_order))
        self.priorities = tuple(sorted(self.priorities, key=_by_order))
        self.types = tuple(sorted(self.types, key=_by_order))
        self.departments = tuple(sorted(self.departments, key=_by_order))
        titles = {d.id: d.title for d in self.departments}
        self._status = {
            str(s.id): Choice(
                id=str(s.id),
                label=s.title,
                category=status_category(s, self.status_map),
                scope=str(s.departmentid) if s.departmentid else None,
            )
            for s in self.statuses
        }
        ranks = priority_ranks(self.priorities)
        self._priority = {
            str(p.id): Choice(id=str(p.id), label=p.title, rank=ranks[p.id])
            for p in self.priorities
        }
        self._type = {
            str(t.id): Choice(
                id=str(t.id), label=t.title, scope=str(t.departmentid) if t.departmentid else None
            )
            for t in self.types
        }
        self._group = {
            str(d.id): Choice(
                id=str(d.id),
                label=d.title,
                detail=(
                    f"in {titles[d.parentdepartmentid]}" if d.parentdepartmentid in titles else None
                ),
            )
            for d in self.departments
            if d.is_tickets
        }
        self._staff_names = {str(s.id): s.name for s in self.staff}
        # Unknown ids still show (the lookups may be older than the ticket), as "#id";
        # "0" is Kayako's "none".
        self._choices = shared.ChoiceCatalogue(
            statuses=self._status.values(),
            priorities=self._priority.values(),
            types=self._type.values(),
            groups=self._group.values(),
            agents=(
                Choice(id=str(s.id), label=s.name or s.username, detail=s.email or None)
                for s in sorted(self.staff, key=lambda s: (s.name.casefold(), s.id))
                if s.isenabled
            ),
            none_ids=("0",),
        )

    def lookups(self) -> Lookups:
        return self._choices.lookups()

    def status(self, status_id: str) -> Choice | None:
        return self._choices.status(status_id)

    def priority(self, priority_id: str) -> Choice | None:
        return self._choices.priority(priority_id)

    def type(self, type_id: str) -> Choice | None:
        return self._choices.type(type_id)

    def group(self, department_id: str) -> Choice | None:
        return self._choices.group(department_id)

    def staff_name(self, staff_id: str) -> str | None:
        return self._staff_names.get(staff_id)

    def is_done(self, status_id: str) -> bool:
        return self._choices.is_done(status_id)

    def ticket_department_ids(self) -> list[int]:
        return [d.id for d in self.departments if d.is_tickets]

    def statuses_for(self, department_id: int) -> list[Status]:
        return [s for s in self.statuses if s.departmentid in (0, department_id)]

    def resolved_status_for(self, department_id: int) -> Status | None:
        """The status that closes a ticket of this department: one marked as resolved,
        preferring a CLOSED one (titled "Closed"), then by display order."""
        done = [s for s in self.statuses_for(department_id) if s.markasresolved]
        closed = [s for s in done if self._status[str(s.id)].category == StatusCategory.CLOSED]
        candidates = closed or done
        return candidates[0] if candidates else None

    def default_status_for(self, department_id: int) -> Status | None:
        """For a new ticket: an unresolved status, preferring a NEW one, then "Open"."""
        open_ = [s for s in self.statuses_for(department_id) if not s.markasresolved]
        new = [s for s in open_ if self._status[str(s.id)].category == StatusCategory.NEW]
        titled_open = [s for s in open_ if s.title.casefold() == "open"]
        candidates = new or titled_open or open_
        return candidates[0] if candidates else None

    def default_priority(self) -> Priority | None:
        """For a new ticket: the one ranked nearest to the middle (3), first by order."""
        if not self.priorities:
            return None
        return min(
            self.priorities,
            key=lambda p: (abs((self._priority[str(p.id)].rank or 3) - 3), p.displayorder, p.id),
        )

    def default_type_for(self, department_id: int) -> TicketType | None:
        types = [t for t in self.types if t.departmentid in (0, department_id)]
        return types[0] if types else None
