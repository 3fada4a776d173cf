"""The ticket list's model: every desk's tickets, sorted, scoped to a desk and filtered.

See :class:`TicketIndex`; the sort order comes from :mod:`tui.listing.columns`, the
filter from :mod:`tui.listing.filter`.
"""

from __future__ import annotations

import bisect
import operator
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, KeysView
from dataclasses import replace
from itertools import compress, repeat
from typing import Any

from rich.cells import cell_len

from adapters.model import Ticket, TicketKey
from adapters.text import clean_line
from tui.listing.columns import (
    DEFAULT_SORT,
    SortKeys,
    desk_abbreviations,
    sort_positions,
    ticket_sort_key,
)
from tui.listing.filter import FIELDS, FieldBuilder, TicketFilter, fold

# Narrow the current result instead of scanning everything only when it is this small a
# share of all tickets: scanning in storage order is sequential in memory, while the
# current result is in sort order and every ticket in it is a cache miss.
_NARROW_SHARE = 0.3
# Beyond this many changed tickets, sorting everything again beats inserting one by one.
_INSERT_LIMIT = 2000


class TicketIndex:
    """Tickets of every desk, sorted, scoped to a desk and filtered: the list's model.

    Storage is column-wise, in arrival order: the tickets and each search field in flat
    lists, so a filter keystroke over 100 000 tickets is a few C-level passes over
    sequential memory (``map(operator.contains, …)``) rather than a Python loop over
    objects scattered in sort order. Orders are lists of storage positions: ``order``
    holds every ticket sorted, ``shown`` the ones in scope and passing the filter.
    Small updates are inserted with :mod:`bisect`; ties are broken by key, so the order
    is total and a ticket's place can always be found again.
    """

    def __init__(self, tickets: Iterable[Ticket] = (), sort: SortKeys = DEFAULT_SORT) -> None:
        self._tickets: list[Ticket | None] = []
        self._connections: list[str] = []  # exact names, for the desk scope
        self._fields: tuple[list[str], ...] = tuple([] for _ in FIELDS)
        self._positions: dict[TicketKey, int] = {}
        self._dead = 0
        self._order: list[int] = []
        self._shown: list[int] = []
        self._desk: str | None = None
        self._filter = TicketFilter()
        self._sort: SortKeys = sort
        self._ticket_key = ticket_sort_key(sort)
        self._desk_counts: Counter[str] = Counter()
        self._labels: dict[str, set[str]] = {
            name: set() for name in ("status", "priority", "assignee", "group")
        }
        self._longest_ids: dict[str, int] = {}
        self.set_tickets(tickets)

    # ------------------------------------------------------------------ reading

    def __len__(self) -> int:
        """The number of shown tickets."""
        return len(self._shown)

    def __getitem__(self, row: int) -> Ticket:
        """The shown ticket at ``row``."""
        ticket = self._tickets[self._shown[row]]
        assert ticket is not None  # shown positions are always live
        return ticket

    def __iter__(self) -> Iterator[Ticket]:
        return (self[row] for row in range(len(self._shown)))

    def __contains__(self, key: object) -> bool:
        """Whether the index holds a ticket with this key (shown or not)."""
        return key in self._positions

    def get(self, key: TicketKey) -> Ticket | None:
        position = self._positions.get(key)
        return self._tickets[position] if position is not None else None

    def keys(self) -> KeysView[TicketKey]:
        """Keys of every ticket held, shown or not."""
        return self._positions.keys()

    def shown_keys(self, start: int = 0, stop: int | None = None) -> list[TicketKey]:
        """Keys of the shown tickets in rows ``start`` to ``stop`` (exclusive)."""
        tickets = self._tickets
        return [tickets[p].key for p in self._shown[start:stop]]  # type: ignore[union-attr]

    @property
    def total(self) -> int:
        """Tickets in the desk scope (all desks when no desk is set)."""
        if self._desk is None:
            return len(self._positions)
        return self._desk_counts[self._desk]

    @property
    def desk(self) -> str | None:
        return self._desk

    @property
    def filter(self) -> TicketFilter:
        return self._filter

    @property
    def sort_keys(self) -> SortKeys:
        return self._sort

    def row_of(self, key: TicketKey) -> int | None:
        """The shown row of ``key``, or ``None`` when it is not shown."""
        position = self._positions.get(key)
        if position is None:
            return None
        ticket = self._tickets[position]
        row = bisect.bisect_left(self._shown, self._ticket_key(ticket), key=self._position_key)
        if row < len(self._shown) and self._shown[row] == position:
            return row
        return None

    def row_for(self, ticket: Ticket) -> int:
        """Where ``ticket`` is or would be among the shown rows (for one that left)."""
        return bisect.bisect_left(self._shown, self._ticket_key(ticket), key=self._position_key)

    def in_order(self, keys: Iterable[TicketKey]) -> list[TicketKey]:
        """``keys`` that the index holds, in the current sort order."""
        tickets = [self.get(key) for key in keys]
        present = [ticket for ticket in tickets if ticket is not None]
        present.sort(key=self._ticket_key)
        return [ticket.key for ticket in present]

    def desks_in_view(self) -> list[str]:
        """The connections whose tickets the desk scope shows (the filter aside), sorted."""
        if self._desk is not None:
            return [self._desk]
        return sorted(name for name, count in self._desk_counts.items() if count > 0)

    def natural_widths(self) -> dict[str, int]:
        """The widest value each sized column has met (display cells), for the layout.

        ``display_id`` is the widest display id of the desks in view and ``connection``
        their widest name, ``0`` when one desk is in view: its name is redundant there, so
        ``key`` (the key column's full width) is the display id alone. The filter does not
        count: the columns hold still while the agent types. Widths only grow: a column
        does not shrink because one ticket left, only when a desk leaves the view.
        """
        desks = self.desks_in_view()
        longest_id = max((self._longest_ids.get(desk, 0) for desk in desks), default=0)
        connection = max(map(cell_len, desks), default=0) if len(desks) > 1 else 0
        widths = {
            "connection": connection,
            "display_id": longest_id,
            "key": connection + 1 + longest_id if connection else longest_id,
        }
        for name in ("status", "priority", "assignee", "group"):
            widths[name] = max((cell_len(label) for label in self._labels[name]), default=0)
        return widths

    # ------------------------------------------------------------------ changing

    def set_tickets(self, tickets: Iterable[Ticket]) -> None:
        """Replace every ticket."""
        unique = {ticket.key: ticket for ticket in tickets}
        build = self._builder()
        live = list(unique.values())
        self._tickets = list[Ticket | None](live)
        self._connections = [key.connection for key in unique]
        columns: tuple[list[str], ...] = tuple([] for _ in FIELDS)
        appends = [column.append for column in columns]
        for fields in map(build, live):
            for append, text in zip(appends, fields, strict=True):
                append(text)
        self._fields = columns
        self._positions = {key: position for position, key in enumerate(unique)}
        self._dead = 0
        self._desk_counts = Counter(self._connections)
        self._learn(build)
        self._resort()

    def upsert(self, tickets: Iterable[Ticket]) -> None:
        """Add tickets, or replace the ones with the same key."""
        batch = {ticket.key: ticket for ticket in tickets}
        build = self._builder()
        if len(batch) > _INSERT_LIMIT:
            for ticket in batch.values():
                self._write(ticket, build)
            self._resort()
        else:
            for key, ticket in batch.items():
                position = self._positions.get(key)
                if position is not None:
                    if self._tickets[position] is ticket:
                        continue
                    self._unplace(position)
                self._place(self._write(ticket, build))
        self._learn(build)

    def remove(self, keys: Iterable[TicketKey]) -> None:
        """Remove tickets by key (unknown keys are ignored)."""
        for key in keys:
            position = self._positions.pop(key, None)
            if position is None:
                continue
            self._unplace(position)
            self._tickets[position] = None
            self._connections[position] = ""
            for column in self._fields:
                column[position] = ""
            self._desk_counts[key.connection] -= 1
            self._dead += 1
        if self._dead > max(1000, len(self._tickets) // 4):
            self._compact()

    def set_desk(self, desk: str | None) -> None:
        """Scope to one desk's tickets, or all desks when ``None``."""
        if desk != self._desk:
            self._desk = desk
            self._shown = self._select(self._order)

    def set_filter(self, new: TicketFilter) -> None:
        """Filter the shown tickets; narrows the current result when that is cheaper.

        ``desk:`` also takes the two letters the key column may show for a desk
        (:func:`~tui.listing.columns.desk_abbreviations`, ``desk:ky``), where they occur
        in no desk's name: the filter finds what the screen shows."""
        new = self._desks_as_shown(new)
        old = self._filter
        self._filter = new
        if new.terms == old.terms:
            return
        if new.narrows(old) and len(self._shown) < _NARROW_SHARE * len(self._order):
            shown = self._shown
            fields = self._fields
            for term in new.terms:
                if term in old.terms:
                    continue  # every shown ticket passes it already
                texts = map(fields[term.index].__getitem__, shown)
                shown = list(compress(shown, term.hits(texts)))
            self._shown = shown
        else:
            self._shown = self._select(self._order)

    def sort(self, keys: SortKeys) -> None:
        """Sort by ``keys`` (most significant first)."""
        self._sort = keys
        self._resort()

    # ------------------------------------------------------------------ internals

    def _desks_as_shown(self, wanted: TicketFilter) -> TicketFilter:
        desks = self.desks_in_view()
        names = [fold(desk) for desk in desks]
        short = {fold(text): fold(desk) for desk, text in desk_abbreviations(tuple(desks)).items()}
        terms = [
            replace(term, value=short[term.value])
            if term.field == "desk"
            and not term.none
            and term.value in short
            and not any(term.value in name for name in names)
            else term
            for term in wanted.terms
        ]
        return replace(wanted, terms=tuple(terms)) if terms != list(wanted.terms) else wanted

    def _position_key(self, position: int) -> Any:
        return self._ticket_key(self._tickets[position])

    def _builder(self) -> FieldBuilder:
        return FieldBuilder()

    def _learn(self, build: FieldBuilder) -> None:
        for name, labels in build.labels.items():
            self._labels[name] |= {clean_line(label) for label in labels}
        for connection, width in build.longest_ids.items():
            if width > self._longest_ids.get(connection, 0):
                self._longest_ids[connection] = width

    def _write(self, ticket: Ticket, build: FieldBuilder) -> int:
        """Store ``ticket`` at its key's position, or a new one; return the position."""
        fields = build(ticket)
        position = self._positions.get(ticket.key)
        if position is None:
            position = len(self._tickets)
            self._positions[ticket.key] = position
            self._tickets.append(ticket)
            self._connections.append(ticket.key.connection)
            for column, text in zip(self._fields, fields, strict=True):
                column.append(text)
            self._desk_counts[ticket.key.connection] += 1
        else:
            self._tickets[position] = ticket
            for column, text in zip(self._fields, fields, strict=True):
                column[position] = text
        return position

    def _resort(self) -> None:
        self._ticket_key = ticket_sort_key(self._sort)
        live = [p for p, ticket in enumerate(self._tickets) if ticket is not None]
        # Fresh int objects, allocated in sort order: every filter pass walks this list,
        # and ints scattered in memory (as sorting leaves them) cost a cache miss each.
        self._order = list(array("q", sort_positions(self._tickets, live, self._sort)))
        self._shown = self._select(self._order)

    def _select(self, order: list[int]) -> list[int]:
        """The positions of ``order`` in the desk scope that pass the filter."""
        terms = self._filter.terms
        if self._desk is None and not terms:
            return list(order)
        mask: int | None = None
        count = len(self._tickets)
        if self._desk is not None:
            mask = _mask(map(operator.eq, self._connections, repeat(self._desk)))
        for term in terms:
            term_mask = _mask(term.hits(self._fields[term.index]))
            mask = term_mask if mask is None else mask & term_mask
        assert mask is not None
        flags = mask.to_bytes(count, "little")
        return list(compress(order, map(flags.__getitem__, order)))

    def _passes(self, position: int) -> bool:
        fields = self._fields
        if self._desk is not None and self._connections[position] != self._desk:
            return False
        return all(term.test(fields[term.index][position]) for term in self._filter.terms)

    def _place(self, position: int) -> None:
        key = self._ticket_key(self._tickets[position])
        order_key = self._position_key
        self._order.insert(bisect.bisect_left(self._order, key, key=order_key), position)
        if self._passes(position):
            self._shown.insert(bisect.bisect_left(self._shown, key, key=order_key), position)

    def _unplace(self, position: int) -> None:
        """Take ``position`` out of the orders; its ticket must still be the one placed."""
        key = self._ticket_key(self._tickets[position])
        for order in (self._order, self._shown):
            index = bisect.bisect_left(order, key, key=self._position_key)
            if index < len(order) and order[index] == position:
                del order[index]

    def _compact(self) -> None:
        live = [p for p, ticket in enumerate(self._tickets) if ticket is not None]
        renumber = {old: new for new, old in enumerate(live)}
        self._tickets = [self._tickets[p] for p in live]
        self._connections = [self._connections[p] for p in live]
        self._fields = tuple([column[p] for p in live] for column in self._fields)
        self._positions = {key: renumber[p] for key, p in self._positions.items()}
        self._order = [renumber[p] for p in self._order]
        self._shown = [renumber[p] for p in self._shown]
        self._dead = 0


def _mask(flags: Iterable[bool]) -> int:
    """Booleans as an integer with byte ``i`` set to 1 when flag ``i`` holds, so that
    several terms combine with one C-level ``&`` over all tickets."""
    return int.from_bytes(bytes(flags), "little")
