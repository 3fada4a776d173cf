"""The ticket list's logic without any widget: columns, sorting and the quick filter.

Everything here works on the normalised model only and is fast enough for 100 000 tickets:

* :class:`TicketIndex` holds the tickets with their case-folded search strings computed
  once, in flat lists, so a filter keystroke is a few C-level passes over memory in
  order and never rebuilds text; it keeps the sorted order and the filtered, desk-scoped
  rows up to date as tickets stream in.
* :func:`sort_positions` sorts on several keys, each ascending or descending, with
  missing values (no priority, no assignee, no due time) last in both directions;
  :func:`ticket_comparator` gives the same order one pair at a time, for inserting a few
  tickets into a sorted list.
* :func:`parse_filter` reads the quick-filter language (see :class:`TicketFilter`).
* :func:`cell_text` is what each column shows.
* :func:`ticket_name` / :func:`key_name` are how the whole UI names a ticket to the agent;
  :func:`display_id_text` is its id part, which the list shows alone when one desk is in view.
"""

from __future__ import annotations

import bisect
import functools
import operator
import re
import sys
import weakref
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, KeysView, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from itertools import compress, repeat
from typing import Any, Literal

from rich.cells import cell_len

from adapters.model import Choice, Person, StatusCategory, Ticket, TicketKey
from adapters.text import clean_line

# --------------------------------------------------------------------------- columns

ColumnName = Literal["key", "subject", "status", "priority", "assignee", "group", "updated", "due"]

_STATUS_ORDER = {category: index for index, category in enumerate(StatusCategory)}
_NO_CATEGORY = len(_STATUS_ORDER)
_NO_RANK = 1_000_000


def _key_sort(ticket: Ticket) -> Any:
    # Numeric display ids sort as numbers (#9 before #10).
    display_id = ticket.display_id
    connection = ticket.key.connection.casefold()
    if display_id.isdigit():
        return (connection, 0, int(display_id), "")
    return (connection, 1, 0, display_id.casefold())


def _subject_sort(ticket: Ticket) -> Any:
    return ticket.subject.casefold()


def _status_sort(ticket: Ticket) -> Any:
    status = ticket.status
    if status is None:
        return None
    order = _STATUS_ORDER[status.category] if status.category is not None else _NO_CATEGORY
    return (order, status.label.casefold())


def _priority_sort(ticket: Ticket) -> Any:
    priority = ticket.priority
    if priority is None:
        return None
    rank = priority.rank if priority.rank is not None else _NO_RANK
    return (rank, priority.label.casefold())


def _assignee_sort(ticket: Ticket) -> Any:
    return ticket.assignee.name.casefold() if ticket.assignee is not None else None


def _group_sort(ticket: Ticket) -> Any:
    return ticket.group.label.casefold() if ticket.group is not None else None


@dataclass(frozen=True, slots=True)
class Column:
    """One column of the ticket list.

    ``sort_key`` returns a comparable value or ``None`` (sorted last in both directions).
    ``descending_first`` is the direction a first click sorts in (newest updates first).
    """

    name: ColumnName
    title: str
    short_title: str
    sort_key: Callable[[Ticket], Any]
    descending_first: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("key", "Key", "Key", _key_sort),
    Column("subject", "Subject", "Subject", _subject_sort),
    Column("status", "Status", "Stat", _status_sort),
    Column("priority", "Priority", "Pri", _priority_sort),
    Column("assignee", "Assignee", "Asgn", _assignee_sort),
    Column("group", "Group", "Grp", _group_sort),
    Column("updated", "Updated", "Upd", operator.attrgetter("updated"), descending_first=True),
    Column("due", "Due", "Due", operator.attrgetter("due")),
)
COLUMNS_BY_NAME: dict[str, Column] = {column.name: column for column in COLUMNS}

ID_COLUMN = Column("key", "ID", "ID", _key_sort)
"""The key column when every ticket in view is one desk's: the display id alone."""

SortKeys = tuple[tuple[str, bool], ...]
"""Sort keys, most significant first: ``(column name, descending)``."""

DEFAULT_SORT: SortKeys = (("updated", True),)


def column(name: str) -> Column:
    """The column called ``name``; ``ValueError`` names the valid ones otherwise."""
    try:
        return COLUMNS_BY_NAME[name]
    except KeyError:
        valid = ", ".join(COLUMNS_BY_NAME)
        raise ValueError(f"unknown ticket list column {name!r} (valid: {valid})") from None


def toggle_sort(keys: SortKeys, name: str, *, add: bool = False) -> SortKeys:
    """The sort keys after the agent asks to sort by ``name``.

    Without ``add``: the primary key's direction flips when ``name`` is already primary,
    otherwise ``name`` becomes the only key. With ``add``: a key already present flips in
    place, a new one is appended as the least significant key.
    """
    col = column(name)
    if add:
        if any(key == name for key, _ in keys):
            return tuple((key, not desc if key == name else desc) for key, desc in keys)
        return (*keys, (name, col.descending_first))
    if keys and keys[0][0] == name:
        return ((name, not keys[0][1]), *keys[1:])
    return ((name, col.descending_first),)


_TICKET_KEY = operator.attrgetter("key")


def _passes(keys: SortKeys) -> list[tuple[Callable[[Ticket], Any], bool]]:
    # The ticket key (connection, native id) breaks every tie last, so the order is total:
    # deterministic, and a ticket's place can be found again by bisection.
    return [(column(name).sort_key, descending) for name, descending in keys] + [
        (_TICKET_KEY, False)
    ]


def sort_positions(
    tickets: Sequence[Ticket | None], positions: list[int], keys: SortKeys
) -> list[int]:
    """``positions`` (indexes into ``tickets``) sorted by ``keys``, missing values last.

    One stable pass per key from the least significant up: Python's sort keeps the
    previous order among equal values, so the passes compose into a multi-key order
    without composite keys (a descending string has no cheap inverse). Each pass computes
    the key values once and sorts indexes by them with a C-level key function.
    """
    order = positions
    ticket_at = tickets.__getitem__
    for key_of, descending in reversed(_passes(keys)):
        values = list(map(key_of, map(ticket_at, order)))
        if None in values:
            present = [i for i, value in enumerate(values) if value is not None]
            missing = [i for i, value in enumerate(values) if value is None]
        else:
            present, missing = list(range(len(values))), []
        present.sort(key=values.__getitem__, reverse=descending)
        order = list(map(order.__getitem__, present + missing))
    return order


def sort_tickets(tickets: Iterable[Ticket], keys: SortKeys = DEFAULT_SORT) -> list[Ticket]:
    """``tickets`` sorted by ``keys`` (most significant first), missing values last."""
    items = list(tickets)
    return [items[i] for i in sort_positions(items, list(range(len(items))), keys)]


def ticket_comparator(keys: SortKeys) -> Callable[[Ticket, Ticket], int]:
    """A ``cmp`` function giving exactly :func:`sort_positions`'s order for ``keys``."""
    getters = _passes(keys)

    def compare(a: Ticket, b: Ticket) -> int:
        for key_of, descending in getters:
            va = key_of(a)
            vb = key_of(b)
            if va == vb:
                continue
            if va is None:
                return 1
            if vb is None:
                return -1
            before = va > vb if descending else va < vb
            return -1 if before else 1
        return 0

    return compare


def ticket_sort_key(keys: SortKeys) -> Callable[[Any], Any]:
    """A ``key=`` function (for :mod:`bisect` and ``sorted``) giving the order of ``keys``."""
    return functools.cmp_to_key(ticket_comparator(keys))


# --------------------------------------------------------------------------- naming


def ticket_name(ticket: Ticket) -> str:
    """How the UI names ``ticket`` to the agent: ``connection:display-id``
    (``kayako:VAN-845-20794``), the id the agent and the customer use.

    The native id stays the internal identity (:class:`TicketKey`); it is never shown as
    the ticket's name, so a ticket has one name on every screen. Plain text, one line.
    """
    return f"{ticket.key.connection}:{display_id_text(ticket)}"


def display_id_text(ticket: Ticket) -> str:
    """The display id part of :func:`ticket_name` (``VAN-845-20794``), plain, one line."""
    display_id = ticket.display_id
    if not display_id.isprintable():  # the fast path: the list names every visible row
        display_id = clean_line(display_id)
    return display_id


def key_name(key: TicketKey, ticket: Ticket | None) -> str:
    """The name of the ticket at ``key``: :func:`ticket_name` when the ticket is known,
    else the key itself (``connection:native-id``), the best name left."""
    return ticket_name(ticket) if ticket is not None else str(key)


# --------------------------------------------------------------------------- cell text


def age_text(then: datetime, now: datetime) -> str:
    """A compact relative age: ``now``, ``5m``, ``3h``, ``2d``, ``4mo``, ``2y`` (≤ 4 cells)."""
    seconds = (now - then).total_seconds()
    if seconds < 60:
        return "now"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes}m"
    hours = minutes // 60
    if hours < 24:
        return f"{hours}h"
    days = hours // 24
    if days < 30:
        return f"{days}d"
    if days < 365:
        return f"{days // 30}mo"
    return f"{days // 365}y"


DUE_WIDTH = 12


def due_text(due: datetime, tz: tzinfo | None = None) -> str:
    """``due`` in the agent's local time (or ``tz``), e.g. ``Nov 24 14:30`` (12 cells)."""
    local = due.astimezone(tz)
    return local.strftime("%b %d %H:%M")


def priority_short(priority: Choice) -> str:
    """The compact form of a priority: ``P1`` (highest) … ``P5`` from its rank, or the
    label itself when the desk gave it no rank."""
    return f"P{priority.rank}" if priority.rank is not None else priority.label


def cell_text(
    name: str, ticket: Ticket, now: datetime, tz: tzinfo | None = None, *, compact: bool = False
) -> str:
    """The plain text a column shows for ``ticket`` (empty when the ticket has no value).

    ``compact`` asks for the short form where a column has one (priority: ``P1``…``P5``),
    for narrow terminals. The key is the full :func:`ticket_name`; the list fits it to its
    column itself (the display id alone for one desk, a shortened desk name).
    """
    if name == "key":
        return ticket_name(ticket)
    if name == "subject":
        return ticket.subject
    if name == "status":
        return ticket.status.label if ticket.status is not None else ""
    if name == "priority":
        priority = ticket.priority
        if priority is None:
            return ""
        return priority_short(priority) if compact else priority.label
    if name == "assignee":
        return ticket.assignee.name if ticket.assignee is not None else "—"
    if name == "group":
        return ticket.group.label if ticket.group is not None else ""
    if name == "updated":
        return age_text(ticket.updated, now)
    if name == "due":
        return due_text(ticket.due, tz) if ticket.due is not None else ""
    column(name)  # raises ValueError naming the valid columns
    return ""


def is_overdue(ticket: Ticket, now: datetime) -> bool:
    """Past its due time and not resolved or closed."""
    return ticket.due is not None and ticket.due < now and not ticket.is_done


# --------------------------------------------------------------------------- fields

_SEP = "\x1f"  # never typed in a query, so a search value cannot straddle two fields

FilterField = Literal["text", "desk", "status", "priority", "assignee", "group"]
FIELDS: tuple[FilterField, ...] = ("text", "desk", "status", "priority", "assignee", "group")
QUALIFIERS: tuple[FilterField, ...] = FIELDS[1:]
_FIELD_INDEX = {name: index for index, name in enumerate(FIELDS)}
_NONE_FIELDS = frozenset({"status", "priority", "assignee", "group"})

Fields = tuple[str, str, str, str, str, str]
"""A ticket's case-folded search strings, in :data:`FIELDS` order."""


def ticket_fields(ticket: Ticket) -> Fields:
    """The strings the quick filter searches for ``ticket``.

    ``text`` holds subject, requester name and email, ``conn:display-id`` and the native
    id; each qualifier has its own field, ``""`` when the ticket has no value (which is
    what ``assignee:none`` tests).
    """
    return FieldBuilder()(ticket)


class FieldBuilder:
    """Builds :func:`ticket_fields` for a batch of tickets, and notes the widest values.

    Tickets of one desk share their status, priority, group and agent objects, so the
    strings for those are made once per object (by identity, valid while the batch's
    tickets live). The display labels met on the way give the columns their widths.
    """

    def __init__(self) -> None:
        self._memo: dict[int, str] = {}
        self.labels: dict[str, set[str]] = {
            "status": set(),
            "priority": set(),
            "assignee": set(),
            "group": set(),
        }
        self.longest_ids: dict[str, int] = {}  # widest display id (cells) per connection

    def __call__(self, ticket: Ticket) -> Fields:
        # Runs once per ticket on every load: written for speed (memo lookups inline).
        key = ticket.key
        connection = key.connection
        display_id = ticket.display_id
        if len(display_id) > self.longest_ids.get(connection, 0) or not display_id.isascii():
            self._note_id(connection, display_id)
        text = f"{ticket.subject}{_SEP}{connection}:{display_id}"
        if key.native_id != display_id:
            text = f"{text}{_SEP}{key.native_id}"
        requester = ticket.requester
        if requester is not None:
            text = f"{text}{_SEP}{requester.name}{_SEP}{requester.email or ''}"
        get = self._memo.get
        status, priority, assignee, group = (
            ticket.status,
            ticket.priority,
            ticket.assignee,
            ticket.group,
        )
        return (
            text.casefold(),
            get(id(connection)) or self._connection(connection),
            "" if status is None else get(id(status)) or self._text("status", status),
            "" if priority is None else get(id(priority)) or self._text("priority", priority),
            "" if assignee is None else get(id(assignee)) or self._text("assignee", assignee),
            "" if group is None else get(id(group)) or self._text("group", group),
        )

    def _note_id(self, connection: str, display_id: str) -> None:
        # The cells the list will draw: cleaned, and wide characters count twice.
        width = cell_len(clean_line(display_id)) if not display_id.isascii() else len(display_id)
        if width > self.longest_ids.get(connection, 0):
            self.longest_ids[connection] = width

    def _connection(self, connection: str) -> str:
        text = self._memo[id(connection)] = sys.intern(connection.casefold())
        return text

    def _text(self, name: str, value: Choice | Person) -> str:
        if isinstance(value, Person):
            label, extra = value.name, value.email or ""
        else:
            label = value.label
            detail = value.rank if name == "priority" else value.category
            extra = "" if detail is None else str(detail)
        self.labels[name].add(label)
        text = label if name == "group" else f"{label}{_SEP}{extra}"
        # A label that folds to "" would miss the memo every time; that costs time only.
        cached = self._memo[id(value)] = sys.intern(text.casefold())
        return cached


class TicketRecord:
    """A ticket with its :func:`ticket_fields`, built once per ticket object."""

    __slots__ = ("__weakref__", "fields", "ticket")

    def __init__(self, ticket: Ticket) -> None:
        self.ticket = ticket
        self.fields: Fields = ticket_fields(ticket)

    def __repr__(self) -> str:
        return f"TicketRecord({self.ticket.key})"


# Records by ticket identity. Weak values: a record lives as long as something holds it,
# and the record holds its ticket, so an id found here is never a recycled one.
_RECORDS: weakref.WeakValueDictionary[int, TicketRecord] = weakref.WeakValueDictionary()


def record_for(ticket: Ticket) -> TicketRecord:
    """The record of this exact ticket object, built once while anything keeps it."""
    record = _RECORDS.get(id(ticket))
    if record is None or record.ticket is not ticket:
        record = TicketRecord(ticket)
        _RECORDS[id(ticket)] = record
    return record


# --------------------------------------------------------------------------- filter

# [-][name:]("quoted phrase"|word); an unterminated quote runs to the end (while typing).
_TOKEN = re.compile(r'(-?)(?:([A-Za-z]+):)?(?:"([^"]*)"?|(\S*))')
_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class FilterTerm:
    """One condition: ``value`` occurs in ``field`` (or, with ``none``, the field is empty);
    ``negate`` inverts it."""

    field: FilterField
    value: str
    negate: bool = False
    none: bool = False

    @property
    def index(self) -> int:
        return _FIELD_INDEX[self.field]

    def test(self, text: str) -> bool:
        """Whether a ticket whose ``field`` is ``text`` passes."""
        hit = (text == "") if self.none else (self.value in text)
        return hit != self.negate

    def implies(self, other: FilterTerm) -> bool:
        """Whether every ticket passing ``self`` also passes ``other``."""
        if self.field != other.field or self.negate != other.negate:
            return False
        if self.none or other.none:
            return self == other
        # "abc" in x implies "ab" in x; "ab" not in x implies "abc" not in x.
        return other.value in self.value if not self.negate else self.value in other.value

    def hits(self, texts: Iterable[str]) -> Iterator[bool]:
        """``test`` over many texts, as a C-level iterator (no bytecode per ticket)."""
        if self.none:
            result: Iterator[bool] = map(operator.eq, texts, repeat(""))
        else:
            result = map(operator.contains, texts, repeat(self.value))
        return map(operator.not_, result) if self.negate else result


@dataclass(frozen=True, slots=True)
class TicketFilter:
    """A parsed quick filter; every term must hold.

    The language, case-insensitive throughout:

    * free words match subject, requester name or email, and the id or ``conn:id`` key;
      ``"two words"`` is matched as one phrase;
    * ``desk:`` ``status:`` (label or category: ``status:pending``) ``priority:`` (label or
      rank: ``priority:1``) ``assignee:`` (name or email) ``group:`` qualify one field,
      values may be quoted (``assignee:"Ana Lima"``); ``assignee:none`` (and ``group:``,
      ``status:``, ``priority:none``) matches tickets without a value;
    * a leading ``-`` negates a word or a qualifier (``-status:closed``).

    Values match as substrings, so typing more characters only ever narrows a result; see
    :meth:`narrows`.
    """

    text: str = ""
    terms: tuple[FilterTerm, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.terms

    def matches(self, ticket: Ticket) -> bool:
        """Whether ``ticket`` passes every term."""
        if not self.terms:
            return True
        return self.matches_fields(record_for(ticket).fields)

    def matches_fields(self, fields: Sequence[str]) -> bool:
        return all(term.test(fields[term.index]) for term in self.terms)

    def narrows(self, previous: TicketFilter) -> bool:
        """Whether this filter's result is a subset of ``previous``'s for any tickets, so
        filtering ``previous``'s result again is enough (typing one more character)."""
        return all(any(term.implies(old) for term in self.terms) for old in previous.terms)


def parse_filter(text: str) -> TicketFilter:
    """Parse the quick-filter language described on :class:`TicketFilter`."""
    terms: list[FilterTerm] = []
    position = 0
    cleaned = _CONTROLS.sub(" ", text)
    length = len(cleaned)
    while position < length:
        if cleaned[position].isspace():
            position += 1
            continue
        match = _TOKEN.match(cleaned, position)
        # The pattern matches the empty string too, so it always matches here.
        assert match is not None
        position = max(match.end(), position + 1)
        sign, name, quoted, word = match.groups()
        negate = sign == "-"
        value = quoted if quoted is not None else (word or "")
        qualifier = name.casefold() if name else None
        if name is not None and qualifier not in QUALIFIERS:
            # Not a qualifier: "kayako:123" is a key to search for, as typed.
            value = f"{name}:{value}"
            qualifier = None
        value = value.casefold()
        if qualifier is None:
            if value:
                terms.append(FilterTerm("text", value, negate))
            continue
        if not value:
            continue  # "status:" while the value is still being typed
        field = QUALIFIERS[QUALIFIERS.index(qualifier)]
        none = field in _NONE_FIELDS and value == "none"
        terms.append(FilterTerm(field, value, negate, none))
    return TicketFilter(text, tuple(terms))


def filter_tickets(tickets: Iterable[Ticket], text: str) -> list[Ticket]:
    """The tickets matching the filter ``text``, order kept."""
    ticket_filter = parse_filter(text)
    return [ticket for ticket in tickets if ticket_filter.matches(ticket)]


# --------------------------------------------------------------------------- index

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
        """Filter the shown tickets; narrows the current result when that is cheaper."""
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
