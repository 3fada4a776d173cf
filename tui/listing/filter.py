"""The quick filter: its language (:class:`TicketFilter`, :func:`parse_filter`) and the
search strings each ticket is matched against (:func:`ticket_fields`).

A ticket's strings are case-folded once, when it arrives (:class:`FieldBuilder`), so a
filter keystroke only tests substrings; each term also tests many tickets at once as a
C-level iterator (:meth:`FilterTerm.hits`), which :class:`~tui.listing.index.TicketIndex`
runs over its flat columns of strings.
"""

from __future__ import annotations

import operator
import re
import sys
import unicodedata
import weakref
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Literal

from rich.cells import cell_len

from adapters.model import Choice, Person, Ticket
from adapters.text import clean_line

_SEP = "\x1f"  # never typed in a query, so a search value cannot straddle two fields

FilterField = Literal["text", "desk", "status", "priority", "assignee", "group", "is"]
FIELDS: tuple[FilterField, ...] = (
    "text",
    "desk",
    "status",
    "priority",
    "assignee",
    "group",
    "is",
)
QUALIFIERS: tuple[FilterField, ...] = FIELDS[1:]
_FIELD_INDEX = {name: index for index, name in enumerate(FIELDS)}
_NONE_FIELDS = frozenset({"status", "priority", "assignee", "group"})

Fields = tuple[str, str, str, str, str, str, str]
"""A ticket's folded search strings, in :data:`FIELDS` order."""

OPEN = "open"
DONE = "done"
ALL = "all"
"""The values of ``is:``: a ticket is ``open`` (still work) or ``done`` (resolved or
closed); ``is:all`` asks for both."""


def fold(text: str) -> str:
    """``text`` as the filter compares it: case-folded and without accents, so ``zoe``
    finds ``Zoë`` and ``ZOË`` (NFKD, combining marks dropped; ASCII costs one check)."""
    folded = text.casefold()
    if folded.isascii():
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def ticket_fields(ticket: Ticket) -> Fields:
    """The strings the quick filter searches for ``ticket``.

    ``text`` holds subject, requester name and email, ``conn:display-id`` and the native
    id; each qualifier has its own field, ``""`` when the ticket has no value (which is
    what ``assignee:none`` tests). A field holds every form the list may show of its value:
    a priority its label, its rank and ``p<rank>`` (``P1`` at 80 columns), a status its
    label and category; ``is`` holds ``open`` or ``done``.
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
        self._done: dict[int, str] = {}
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
            fold(text),
            get(id(connection)) or self._connection(connection),
            "" if status is None else get(id(status)) or self._text("status", status),
            "" if priority is None else get(id(priority)) or self._text("priority", priority),
            "" if assignee is None else get(id(assignee)) or self._text("assignee", assignee),
            "" if group is None else get(id(group)) or self._text("group", group),
            OPEN if status is None else self._done.get(id(status)) or self._state(ticket),
        )

    def _state(self, ticket: Ticket) -> str:
        # Only called with a status: done-ness is the status's, memoised per object.
        state = self._done[id(ticket.status)] = DONE if ticket.is_done else OPEN
        return state

    def _note_id(self, connection: str, display_id: str) -> None:
        # The cells the list will draw: cleaned, and wide characters count twice.
        width = cell_len(clean_line(display_id)) if not display_id.isascii() else len(display_id)
        if width > self.longest_ids.get(connection, 0):
            self.longest_ids[connection] = width

    def _connection(self, connection: str) -> str:
        text = self._memo[id(connection)] = sys.intern(fold(connection))
        return text

    def _text(self, name: str, value: Choice | Person) -> str:
        if isinstance(value, Person):
            label, extra = value.name, value.email or ""
        else:
            label = value.label
            if name == "priority":
                # The rank, and the compact form the list shows at 80 columns ("P1").
                extra = "" if value.rank is None else f"{value.rank}{_SEP}p{value.rank}"
            else:
                extra = "" if value.category is None else str(value.category)
        self.labels[name].add(label)
        text = label if name == "group" else f"{label}{_SEP}{extra}"
        # A label that folds to "" would miss the memo every time; that costs time only.
        cached = self._memo[id(value)] = sys.intern(fold(text))
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


_TOKEN = re.compile(r'(-?)(?:([A-Za-z]+):)?(?:"([^"]*)"?|(\S*))')
_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class FilterTerm:
    """One condition: ``value`` occurs in ``field`` (or, with ``none``, the field is empty);
    ``negate`` inverts it. ``implicit`` marks the term the list adds itself (open work
    only), which the agent did not type."""

    field: FilterField
    value: str
    negate: bool = False
    none: bool = False
    implicit: bool = False

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
    * ``is:open`` (not resolved or closed), ``is:done`` and ``is:all``; the list shows
      open work unless asked otherwise (see :func:`parse_filter`);
    * a leading ``-`` negates a word or a qualifier (``-status:closed``).

    Values match as substrings, so typing more characters only ever narrows a result; see
    :meth:`narrows`. Accents and case never matter (:func:`fold`), and a column's short
    form finds what it stands for: ``priority:p1`` as the list shows it at 80 columns.
    """

    text: str = ""
    terms: tuple[FilterTerm, ...] = ()

    @property
    def is_empty(self) -> bool:
        """Whether the agent's own terms are none (the open-work term aside)."""
        return not any(not term.implicit for term in self.terms)

    @property
    def open_only(self) -> bool:
        """Whether the list added its open-work term: done tickets are hidden by it."""
        return any(term.implicit for term in self.terms)

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


def parse_filter(text: str, *, open_only: bool = False) -> TicketFilter:
    """Parse the quick-filter language described on :class:`TicketFilter`.

    ``open_only`` adds an implicit ``is:open`` (the list's default view: the work still to
    do), unless the text says which tickets it wants itself: any ``is:`` term, or a
    ``status:`` one (``status:closed`` asks for closed tickets, and should find them).
    """
    terms: list[FilterTerm] = []
    scoped = False
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
        value = fold(value)
        if qualifier is None:
            if value:
                terms.append(FilterTerm("text", value, negate))
            continue
        if not value:
            continue  # "status:" while the value is still being typed
        field = QUALIFIERS[QUALIFIERS.index(qualifier)]
        if field == "is" or (field == "status" and not negate):
            scoped = True
        if field == "is" and ALL.startswith(value):
            continue  # "is:all" (or "is:a" on the way to it): no condition
        none = field in _NONE_FIELDS and value == "none"
        terms.append(FilterTerm(field, value, negate, none))
    if open_only and not scoped:
        terms.append(FilterTerm("is", OPEN, implicit=True))
    return TicketFilter(text, tuple(terms))


def filter_tickets(tickets: Iterable[Ticket], text: str) -> list[Ticket]:
    """The tickets matching the filter ``text``, order kept."""
    ticket_filter = parse_filter(text)
    return [ticket for ticket in tickets if ticket_filter.matches(ticket)]
