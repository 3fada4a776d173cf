"""The ticket list: a virtualised table of tickets on Textual's Line API.

Only the lines on screen are ever rendered (``render_line``), each from plain strings
into a :class:`~textual.strip.Strip` (ticket text is never parsed as markup), and rendered
rows are cached. Sorting, the quick filter and the column logic live in
:mod:`tui.listing`; this module keeps the list's state (tickets, order, filter, desk,
cursor and marks) and draws it.

Keeping a keypress cheap is the point of most choices here: a cursor move repaints only the
two affected rows, and by default only their gutter and key cells (``cursor_style="arrow"``,
like mutt's ``arrow_cursor``), so ↓ writes a few hundred bytes to the terminal instead of
two full rows; ``cursor_style="row"`` highlights the whole row instead. A step past the
bottom scrolls half a page (``jump_scroll``), so holding ↓ repaints the screen once per
half page rather than on every press: the terminal gets no scroll command from Textual,
every scroll rewrites the whole list.

Colours live in ``styles/ticket_list.tcss`` (the component classes below); without that
stylesheet the list still shows the cursor (``▶``) and marks (``●``) in its gutter.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any, ClassVar, Literal

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from adapters.model import Ticket, TicketKey
from adapters.text import clean_line
from tui.glyphs import GLYPHS
from tui.listing import (
    COLUMNS,
    DUE_WIDTH,
    ID_COLUMN,
    Column,
    SortKeys,
    TicketFilter,
    TicketIndex,
    cell_text,
    column,
    desk_abbreviations,
    display_id_text,
    is_overdue,
    parse_filter,
    toggle_sort,
)

CursorStyle = Literal["arrow", "row"]

GUTTER = 3  # cursor mark, selection mark, space
CURSOR_MARK = GLYPHS.cursor
SELECT_MARK = GLYPHS.mark
ELLIPSIS = GLYPHS.ellipsis

# Widths a column may take from its data; the narrow set applies when the subject would
# otherwise be squeezed. The subject takes whatever is left.
_CAPS = {"key": 24, "status": 14, "priority": 10, "assignee": 16, "group": 16}
_NARROW_CAPS = {"key": 16, "status": 11, "priority": 8, "assignee": 12, "group": 12}
_FIXED = {"updated": 4, "due": DUE_WIDTH}
# The key column never gives up its display id while the subject has room: it is how the
# agent names a ticket. Only the connection prefix shortens: to ``kay…`` with the narrow
# caps, to ``k…`` before any column is hidden (or to two letters, ``ky``, where the cut
# would read like another desk's; see :func:`short_connection`). Ids longer than the cap
# (no desk has them) are cut like any value.
_ID_CAP = 24
_SHORT_CONNECTION = 4
_SHORTEST_CONNECTION = 2
# Data widths of the columns' compact forms (priority as ``P1``…``P5``).
_COMPACT = {"priority": 2}
SUBJECT_COMFORT = 24
SUBJECT_MIN = 8

# How the list gives way when narrow, one step at a time until the subject has room.
# Priority goes compact rather than away: the agent triages by it, at 80 columns too.
_DEGRADE: tuple[str, ...] = (
    "due",
    "short-titles",
    "group",
    "narrow",
    "compact-priority",
    "short-prefix",
    "assignee",
    "updated",
    "status",
    "priority",
)

# Rows kept rendered: a few screens' worth, for any width and cursor/mark state.
_STRIP_CACHE_SIZE = 2048
_CLOCK_INTERVAL = 30.0


def fit(text: str, width: int) -> str:
    """``text`` padded or truncated with ``…`` to exactly ``width`` cells (CJK-aware)."""
    if width <= 0:
        return ""
    length = len(text) if text.isascii() else cell_len(text)
    if length <= width:
        return text + " " * (width - length)
    # set_cell_size pads with a space where a double-width character would be split; a
    # space before the ellipsis reads as a gap, so cut back to the last visible character.
    cut = (text[: width - 1] if text.isascii() else set_cell_size(text, width - 1)).rstrip()
    return fit(cut + ELLIPSIS, width) if cut else ELLIPSIS + " " * (width - 1)


@dataclass(frozen=True, slots=True)
class ColumnLayout:
    """Where one column sits in a row: ``x`` is its first cell (the gutter comes first);
    ``compact`` when the column shows its short form (see :func:`tui.listing.cell_text`)."""

    column: Column
    x: int
    width: int
    compact: bool = False


@dataclass(frozen=True, slots=True)
class Layout:
    """The visible columns for one width; ``key_prefix`` when the key column shows
    ``connection:display-id`` (several desks in view), not the display id alone."""

    width: int
    columns: tuple[ColumnLayout, ...]
    short_titles: bool
    key_prefix: bool = True
    desks: tuple[str, ...] = ()
    """The connections in view, which a shortened key prefix must tell apart."""

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(placed.column.name for placed in self.columns)

    @property
    def key_end(self) -> int:
        """The first cell after the gutter and the key column: the arrow cursor's extent."""
        for placed in self.columns:
            if placed.column.name == "key":
                return placed.x + placed.width
        return GUTTER


def compute_layout(width: int, natural: dict[str, int], desks: Iterable[str] = ()) -> Layout:
    """Columns and widths for ``width`` cells, given the widest value of each column
    (:meth:`tui.listing.TicketIndex.natural_widths`).

    The key column shows ``connection:display-id``, or with ``connection`` 0 (one desk in
    view) the display id alone, titled "ID"; it is never narrower than the display id
    (up to :data:`_ID_CAP`) plus a shortened prefix.

    The subject takes the slack. While it would fall under :data:`SUBJECT_COMFORT` the
    list hides due, switches to short titles, hides group, narrows the other columns (the
    key's connection prefix to ``kay…``), shows priority compact (``P1``), shortens the
    prefix to ``k…``, and only then gives up assignee, updated, status and priority, in
    that order.
    """
    hidden: set[str] = set()
    compact: set[str] = set()
    short = False
    caps = _CAPS
    steps = iter(_DEGRADE)
    connection = natural.get("connection", 0)
    key_prefix = connection > 0
    id_min = min(natural.get("display_id", 0), _ID_CAP)
    prefix_min = _SHORT_CONNECTION
    columns = tuple(col if key_prefix or col.name != "key" else ID_COLUMN for col in COLUMNS)
    while True:
        widths: dict[str, int] = {}
        for col in columns:
            if col.name in hidden or col.name == "subject":
                continue
            # Room for the title and a sort indicator ("▼", or "▼2" when several keys
            # sort and there is room), unless the data is wider anyway.
            title = cell_len(col.short_title) + 1 if short else cell_len(col.title) + 2
            if col.name in compact:
                data = _COMPACT[col.name]
            else:
                data = _FIXED.get(col.name) or min(natural.get(col.name, 0), caps[col.name])
                if col.name == "key":
                    prefix = 1 + min(connection, prefix_min) if key_prefix else 0
                    data = max(data, id_min + prefix)
            widths[col.name] = max(data, title)
        used = GUTTER + sum(widths.values()) + len(widths)  # one separator per column
        subject = width - used
        if subject >= SUBJECT_COMFORT:
            break
        step = next(steps, None)
        if step is None:
            subject = max(SUBJECT_MIN, subject)
            break
        if step == "short-titles":
            short = True
        elif step == "narrow":
            caps = _NARROW_CAPS
        elif step == "compact-priority":
            compact.add("priority")
        elif step == "short-prefix":
            prefix_min = _SHORTEST_CONNECTION
        else:
            hidden.add(step)
    widths["subject"] = subject
    placed: list[ColumnLayout] = []
    x = GUTTER
    for col in columns:
        if col.name in widths:
            placed.append(ColumnLayout(col, x, widths[col.name], col.name in compact))
            x += widths[col.name] + 1
    return Layout(width, tuple(placed), short, key_prefix, tuple(desks))


def key_text(ticket: Ticket, width: int, *, prefix: bool, desks: tuple[str, ...] = ()) -> str:
    """What the key column shows in ``width`` cells: ``connection:display-id`` with the
    connection shortened first (``kay…:RRQ-270-56936``), or with no ``prefix`` (one desk in
    view) the display id alone. Only a display id wider than the cell is cut.

    A shortened name must still tell the ``desks`` in view apart: where the cut would not
    (``k…`` beside kapture's ``ka…``), two letters that do stand in (``ky``, ``kp``)."""
    display_id = display_id_text(ticket)
    if not prefix:
        return display_id
    connection = ticket.key.connection
    id_cells = len(display_id) if display_id.isascii() else cell_len(display_id)
    room = width - 1 - id_cells  # for the connection, before the colon
    if room >= (len(connection) if connection.isascii() else cell_len(connection)):
        return f"{connection}:{display_id}"
    if room < 2:  # "…:id" names no desk; the id alone is more use
        return display_id
    return f"{short_connection(connection, room, desks)}:{display_id}"


@functools.lru_cache(maxsize=256)
def short_connection(connection: str, room: int, desks: tuple[str, ...] = ()) -> str:
    """``connection`` in at most ``room`` cells (``room`` >= 2), telling it apart from the
    other ``desks``: cut with ``…`` while the kept part starts no other desk's name, else
    its two-letter abbreviation (:func:`desk_abbreviations`) when it has one."""
    cut = fit(connection, room).rstrip()
    kept = cut.removesuffix(ELLIPSIS)
    if not any(other != connection and other.startswith(kept) for other in desks):
        return cut
    return desk_abbreviations(desks).get(connection, cut)


class TicketListMessage(Message):
    """What every message of the ticket list carries: the list, as ``control`` (so that
    ``@on(..., "#tickets")`` selectors match it)."""

    def __init__(self, ticket_list: TicketList) -> None:
        super().__init__()
        self.ticket_list = ticket_list

    @property
    def control(self) -> TicketList:
        return self.ticket_list


class TicketList(ScrollView, can_focus=True):
    """Tickets from one desk or all of them: sorted, filtered, with a cursor and marks.

    Line 0 is a header with the column titles and sort indicators (``▲``/``▼``, numbered
    when several keys sort); the tickets follow. ``total_count`` counts the tickets of the
    current desk scope (all desks when ``set_desk(None)``), ``shown_count`` those passing
    the filter too.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "ticket-list--header",
        "ticket-list--cursor",
        "ticket-list--marked",
        "ticket-list--done",
        "ticket-list--overdue",
        "ticket-list--key",
        "ticket-list--muted",
        "ticket-list--empty",
        "ticket-list--priority-1",
        "ticket-list--priority-2",
        "ticket-list--priority-3",
        "ticket-list--priority-4",
        "ticket-list--priority-5",
        "ticket-list--status-new",
        "ticket-list--status-open",
        "ticket-list--status-pending",
        "ticket-list--status-resolved",
        "ticket-list--status-closed",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", show=False, id="ticket-list.down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="ticket-list.up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="ticket-list.page-down"),
        Binding("pageup", "page_up", "Page up", show=False, id="ticket-list.page-up"),
        Binding(
            "ctrl+d", "half_page_down", "Half page down", show=False, id="ticket-list.half-down"
        ),
        Binding("ctrl+u", "half_page_up", "Half page up", show=False, id="ticket-list.half-up"),
        Binding("home,g", "first", "First", show=False, id="ticket-list.first"),
        Binding("end,G", "last", "Last", show=False, id="ticket-list.last"),
        Binding("enter", "open", "Open", id="ticket-list.open"),
        Binding("space", "toggle_mark", "Mark", id="ticket-list.mark"),
        Binding("v", "mark_range", "Mark range", show=False, id="ticket-list.mark-range"),
        Binding("asterisk", "mark_all", "Mark all", show=False, id="ticket-list.mark-all"),
        Binding(
            "backslash", "clear_marks", "Clear marks", show=False, id="ticket-list.clear-marks"
        ),
    ]

    # Layout only: colours are in styles/ticket_list.tcss.
    DEFAULT_CSS = """
    TicketList {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        /* The scrollbar's column is kept when the filter leaves too few rows to scroll:
           the columns then hold still, and priority keeps one form ("P1" or "Urgent"). */
        scrollbar-gutter: stable;
    }
    """

    class CursorChanged(TicketListMessage):
        """The cursor is on another ticket (or on a new version of the same one)."""

        def __init__(self, ticket_list: TicketList, ticket: Ticket | None) -> None:
            super().__init__(ticket_list)
            self.ticket = ticket

    class MarksChanged(TicketListMessage):
        """Tickets were marked or unmarked; ``count`` is the number marked now."""

        def __init__(self, ticket_list: TicketList, count: int) -> None:
            super().__init__(ticket_list)
            self.count = count

    class FilterApplied(TicketListMessage):
        """The filter, the desk or the tickets changed what is shown: "shown of total"."""

        def __init__(self, ticket_list: TicketList, shown: int, total: int) -> None:
            super().__init__(ticket_list)
            self.shown = shown
            self.total = total

    class Opened(TicketListMessage):
        """The agent pressed enter (or double-clicked) on a ticket."""

        def __init__(self, ticket_list: TicketList, ticket: Ticket) -> None:
            super().__init__(ticket_list)
            self.ticket = ticket

    def __init__(
        self,
        tickets: Iterable[Ticket] = (),
        *,
        now: Callable[[], datetime] | None = None,
        tz: tzinfo | None = None,
        cursor_style: CursorStyle = "arrow",
        jump_scroll: bool = True,
        open_only: bool = False,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """``now`` is the clock for relative "updated" times (UTC now by default); ``tz``
        the zone due times are shown in (the system's local zone by default).
        ``cursor_style`` is ``"arrow"`` (gutter and key highlighted) or ``"row"``;
        ``jump_scroll`` makes a step past the edge scroll half a page (``False``: a line).
        ``open_only`` hides resolved and closed tickets unless the filter asks for them
        (see :func:`tui.listing.parse_filter`).
        """
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._now: Callable[[], datetime] = now or (lambda: datetime.now(UTC))
        self._tz = tz
        self._cursor_style: CursorStyle = cursor_style
        self._jump_scroll = jump_scroll
        self._clock = self._now()
        self._open_only = open_only
        self._index = TicketIndex(tickets)
        self._index.set_filter(parse_filter("", open_only=open_only))
        self._cursor = 0
        # Whether the agent put the cursor where it is (a key, a click, a jump to a ticket);
        # a filter keeps such a cursor on its ticket, and otherwise starts at the top.
        self._cursor_chosen = False
        self._marks: set[TicketKey] = set()
        self._anchor: TicketKey | None = None
        self._layout: Layout | None = None  # None: to be computed on the next render
        self._last_layout: Layout | None = None
        self._layout_version = 0  # part of every cached row's key
        self._rows: LRUCache[tuple[int, int, bool, bool], tuple[Ticket, Strip]]
        self._rows = LRUCache(_STRIP_CACHE_SIZE)
        self._headers: dict[tuple[Any, ...], Strip] = {}
        self._styles_by_classes: dict[tuple[str, ...], Style] = {}
        self.empty_reason: str | None = None
        """What the list says when it shows nothing, instead of its own words (a desk
        that failed to load says so)."""
        self._posted_cursor: tuple[TicketKey | None, int] = (None, 0)
        self._posted_counts: tuple[int, int] = (-1, -1)
        self._posted_marks = 0

    # ------------------------------------------------------------------ public: data

    def set_tickets(self, tickets: Iterable[Ticket]) -> None:
        """Replace every ticket. The cursor stays on its ticket if it is still there, and
        marks on tickets that are still there survive."""
        with self._keeping_cursor():
            self._index.set_tickets(tickets)
        if self._marks:
            self._marks &= self._index.keys()
        self._after_change()

    def upsert_tickets(self, tickets: Iterable[Ticket]) -> None:
        """Add tickets or replace them by key (a page streaming in, a refreshed ticket).
        The cursor stays on its ticket, on the same line of the screen."""
        with self._keeping_cursor():
            self._index.upsert(tickets)
        self._after_change()

    def remove_tickets(self, keys: Iterable[TicketKey]) -> None:
        """Remove tickets by key (their marks go with them)."""
        keys = list(keys)
        with self._keeping_cursor():
            self._index.remove(keys)
        self._marks.difference_update(keys)
        self._after_change()

    def set_desk(self, connection: str | None) -> None:
        """Show one desk's tickets, or every desk's merged when ``None``."""
        if connection == self._index.desk:
            return
        with self._keeping_cursor():
            self._index.set_desk(connection)
        self._after_change(force_counts=True)

    @property
    def desk(self) -> str | None:
        return self._index.desk

    @property
    def tickets(self) -> list[Ticket]:
        """The shown tickets, in order."""
        return list(self._index)

    def get_ticket(self, key: TicketKey) -> Ticket | None:
        """Any ticket the list holds (shown or not) by key."""
        return self._index.get(key)

    # ------------------------------------------------------------------ public: filter

    def apply_filter(self, text: str) -> None:
        """Filter with the quick-filter language (see :class:`tui.listing.TicketFilter`).

        The best matches come first: the cursor goes to the first row, unless the agent
        had moved it to a ticket on purpose and that ticket still matches.
        """
        self._refilter(parse_filter(text, open_only=self._open_only))

    @property
    def open_only(self) -> bool:
        """Whether resolved and closed tickets are hidden unless the filter asks for them."""
        return self._open_only

    def set_open_only(self, open_only: bool) -> None:
        """Show open work only (the default view), or every ticket."""
        if open_only != self._open_only:
            self._open_only = open_only
            self._refilter(parse_filter(self.filter_text, open_only=open_only))

    @property
    def filter_hides_done(self) -> bool:
        """Whether done tickets are hidden now (open-only view, no ``is:``/``status:``)."""
        return self._index.filter.open_only

    def _refilter(self, new: TicketFilter) -> None:
        ticket = self.cursor_ticket
        keep = self._cursor_chosen and ticket is not None
        with self._keeping_cursor():
            self._index.set_filter(new)
        if not keep or ticket is None or self._index.row_of(ticket.key) is None:
            self._cursor_chosen = False
            self._cursor = 0
            if self.is_mounted:
                self.scroll_to(y=0, animate=False)
        self._after_change(force_counts=True)

    @property
    def filter_text(self) -> str:
        return self._index.filter.text

    @property
    def shown_count(self) -> int:
        return len(self._index)

    @property
    def total_count(self) -> int:
        """Tickets in the desk scope: all desks' when no desk is set."""
        return self._index.total

    # ------------------------------------------------------------------ public: sort

    def sort_by(self, column: str, *, add: bool = False) -> None:
        """Sort by ``column``; again on the primary column flips its direction. ``add``
        appends a secondary key (or flips it if it is already a key)."""
        keys = toggle_sort(self._index.sort_keys, column, add=add)
        with self._keeping_cursor():
            self._index.sort(keys)
        self._after_change()

    def set_sort(self, keys: SortKeys) -> None:
        """Sort by ``keys`` (``(column, descending)``, most significant first)."""
        for name, _ in keys:
            column(name)  # ValueError naming the valid columns
        with self._keeping_cursor():
            self._index.sort(keys)
        self._after_change()

    @property
    def sort_keys(self) -> SortKeys:
        """``(column, descending)`` pairs, most significant first."""
        return self._index.sort_keys

    # ------------------------------------------------------------------ public: cursor

    @property
    def cursor_ticket(self) -> Ticket | None:
        if 0 <= self._cursor < len(self._index):
            return self._index[self._cursor]
        return None

    @property
    def cursor_key(self) -> TicketKey | None:
        ticket = self.cursor_ticket
        return ticket.key if ticket is not None else None

    @property
    def cursor_row(self) -> int:
        """The cursor's index among the shown tickets."""
        return self._cursor

    def move_cursor_to(self, key: TicketKey) -> bool:
        """Put the cursor on ``key``; ``False`` when that ticket is not shown."""
        row = self._index.row_of(key)
        if row is None:
            return False
        self._cursor_chosen = True
        self._move_cursor(row)
        return True

    def unmark(self, keys: Iterable[TicketKey]) -> None:
        """Take the marks off ``keys`` (tickets a close or merge just finished)."""
        before = len(self._marks)
        self._marks.difference_update(keys)
        if len(self._marks) != before:
            self._marks_changed(full=True)

    # ------------------------------------------------------------------ public: marks

    @property
    def marked_keys(self) -> frozenset[TicketKey]:
        return frozenset(self._marks)

    def target_keys(self) -> list[TicketKey]:
        """What an action applies to: the marked tickets in list order, else the cursor's."""
        if self._marks:
            return self._index.in_order(self._marks)
        key = self.cursor_key
        return [key] if key is not None else []

    def set_marks(self, keys: Iterable[TicketKey]) -> None:
        """Replace the marks (keys the list does not hold are ignored)."""
        self._marks = {key for key in keys if key in self._index}
        self._marks_changed(full=True)

    # ------------------------------------------------------------------ actions

    def action_cursor_down(self) -> None:
        self._cursor_chosen = True
        self._move_cursor(self._cursor + 1, step=True)

    def action_cursor_up(self) -> None:
        self._cursor_chosen = True
        self._move_cursor(self._cursor - 1, step=True)

    def action_page_down(self) -> None:
        self._page(+1)

    def action_page_up(self) -> None:
        self._page(-1)

    def action_half_page_down(self) -> None:
        self._page(+1, half=True)

    def action_half_page_up(self) -> None:
        self._page(-1, half=True)

    def action_first(self) -> None:
        self._cursor_chosen = True
        self._move_cursor(0)

    def action_last(self) -> None:
        self._cursor_chosen = True
        self._move_cursor(len(self._index) - 1)

    def action_open(self) -> None:
        ticket = self.cursor_ticket
        if ticket is not None:
            self.post_message(self.Opened(self, ticket))

    def action_toggle_mark(self) -> None:
        """Mark or unmark the cursor's ticket, then step down (marks consecutive tickets
        with repeated presses)."""
        key = self.cursor_key
        if key is None:
            return
        if key in self._marks:
            self._marks.discard(key)
        else:
            self._marks.add(key)
        self._anchor = key
        self._refresh_row(self._cursor, full=True)
        self._marks_changed()
        self._move_cursor(self._cursor + 1, step=True)

    def action_mark_range(self) -> None:
        """Mark every ticket from the last mark (the anchor) to the cursor."""
        key = self.cursor_key
        if key is None:
            return
        start = self._index.row_of(self._anchor) if self._anchor is not None else None
        if start is None:
            start = self._cursor
        low, high = sorted((start, self._cursor))
        self._marks.update(self._index.shown_keys(low, high + 1))
        self._anchor = key
        self._marks_changed(full=True)

    def action_mark_all(self) -> None:
        """Mark every shown ticket (marks on hidden tickets stay)."""
        self._marks.update(self._index.shown_keys())
        self._marks_changed(full=True)

    def action_clear_marks(self) -> None:
        """Unmark everything, shown or not."""
        self._marks.clear()
        self._anchor = None
        self._marks_changed(full=True)

    # ------------------------------------------------------------------ events

    def on_mount(self) -> None:
        self._update_virtual_size()
        self.set_interval(_CLOCK_INTERVAL, self._tick, name="ticket-list clock")
        self._post_cursor()
        self._post_counts(force=True)

    def notify_style_update(self) -> None:
        # Theme, focus and CSS changes all land here; every cached row used old styles.
        super().notify_style_update()
        self._styles_by_classes.clear()
        self._rows.clear()
        self._headers.clear()

    def on_resize(self, event: events.Resize) -> None:
        self._layout = None
        self._scroll_to_cursor()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            placed = self._column_at(offset.x)
            if placed is not None:
                self.sort_by(placed.column.name, add=event.shift)
            return
        row = self._scroll_row() + offset.y - 1
        if 0 <= row < len(self._index):
            self._cursor_chosen = True
            self._move_cursor(row)
            if event.chain >= 2:
                self.action_open()

    def _tick(self) -> None:
        now = self._now()
        if now.replace(second=0, microsecond=0) != self._clock.replace(second=0, microsecond=0):
            self._clock = now
            self._rows.clear()
            self.refresh()

    # ------------------------------------------------------------------ rendering

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        layout = self._get_layout(width)
        if y == 0:
            return self._render_header(layout)
        row = self._scroll_row() + y - 1
        if row >= len(self._index):
            if row == 0:
                return self._render_empty(width)
            return Strip.blank(width, self._style())
        ticket = self._index[row]
        cursor = row == self._cursor
        marked = ticket.key in self._marks
        # Keyed by the ticket object's id: the entry holds the ticket, so while it is
        # cached its id cannot be reused by a newer version of the ticket.
        cache_key = (id(ticket), self._layout_version, cursor, marked)
        cached = self._rows.get(cache_key)
        if cached is None or cached[0] is not ticket:
            cached = (ticket, self._render_row(ticket, layout, cursor, marked))
            self._rows[cache_key] = cached
        return cached[1]

    def _render_header(self, layout: Layout) -> Strip:
        cache_key = (self._layout_version, self.sort_keys)
        strip = self._headers.get(cache_key)
        if strip is not None:
            return strip
        style = self._style("ticket-list--header")
        sort_keys = self.sort_keys
        ranks = {name: (n, desc) for n, (name, desc) in enumerate(sort_keys, start=1)}
        parts: list[str] = []
        for placed in layout.columns:
            col = placed.column
            indicator = ""
            if col.name in ranks:
                number, descending = ranks[col.name]
                indicator = (GLYPHS.down if descending else GLYPHS.up) + (
                    str(number) if len(ranks) > 1 else ""
                )
            room = max(0, placed.width - len(indicator))
            # The full title wherever it fits, even when the layout had to go short.
            title = col.title
            if layout.short_titles and cell_len(title) > room:
                title = col.short_title
            parts.append(fit(fit(title, room).rstrip() + indicator, placed.width))
        text = fit(" " * GUTTER + " ".join(parts), layout.width)
        strip = Strip([Segment(text, style)], layout.width)
        self._headers[cache_key] = strip
        return strip

    def _render_empty(self, width: int) -> Strip:
        message = self.empty_reason
        if message is None:
            message = self._empty_message()
        text = fit(" " * GUTTER + message, width)
        return Strip([Segment(text, self._style("ticket-list--empty"))], width)

    def _empty_message(self) -> str:
        if not self._index.keys():
            message = "No tickets"
        elif not self._index.filter.is_empty:
            message = "No tickets match the filter"
        elif self._index.filter.open_only:
            message = "No open tickets here (is:all shows the done ones too)"
        else:
            message = "No tickets on this desk"
        return message

    def _render_row(self, ticket: Ticket, layout: Layout, cursor: bool, marked: bool) -> Strip:
        now = self._clock
        row: tuple[str, ...] = ()
        if ticket.is_done:
            row += ("ticket-list--done",)
        if marked:
            row += ("ticket-list--marked",)
        on_cursor = ("ticket-list--cursor",) if cursor else ()
        whole_row = self._cursor_style == "row"
        key_end = layout.key_end

        pieces: list[tuple[str, tuple[str, ...]]] = []
        gutter = (CURSOR_MARK if cursor else " ") + (SELECT_MARK if marked else " ") + " "
        pieces.append((gutter, (*row, *on_cursor)))
        used = GUTTER - 1  # no separator before the first column
        for placed in layout.columns:
            if used >= GUTTER:
                pieces.append((" ", (*row, *(on_cursor if whole_row else ()))))
            used += 1
            name = placed.column.name
            if name == "key":
                text = key_text(ticket, placed.width, prefix=layout.key_prefix, desks=layout.desks)
            else:
                text = cell_text(name, ticket, now, self._tz, compact=placed.compact)
            if not text.isprintable():  # the fast path covers nearly every value
                text = clean_line(text)
            highlighted = on_cursor if (whole_row or placed.x < key_end) else ()
            cell = (*self._cell_classes(name, ticket, now), *row, *highlighted)
            pieces.append((fit(text, placed.width), cell))
            used += placed.width
        if used < layout.width:
            pieces.append((" " * (layout.width - used), pieces[-1][1]))

        # Merge neighbours of one style: every segment costs an SGR sequence on the wire.
        segments: list[Segment] = []
        text_run = ""
        style_run: Style | None = None
        for text, classes in pieces:
            style = self._style(*classes)
            if style_run is None or style is style_run or style == style_run:
                text_run += text
                style_run = style
            else:
                segments.append(Segment(text_run, style_run))
                text_run, style_run = text, style
        if style_run is not None:
            segments.append(Segment(text_run, style_run))
        strip = Strip(segments, max(used, layout.width))
        # Only when even the narrowest layout overflows (a very narrow list).
        return strip.crop(0, layout.width) if used > layout.width else strip

    @staticmethod
    def _cell_classes(name: str, ticket: Ticket, now: datetime) -> tuple[str, ...]:
        if name == "key":
            return ("ticket-list--key",)
        if name == "priority" and ticket.priority is not None:
            rank = ticket.priority.rank
            if rank is not None and 1 <= rank <= 5:
                return (f"ticket-list--priority-{rank}",)
            return ()
        if name == "status" and ticket.status is not None:
            category = ticket.status.category
            return (f"ticket-list--status-{category.value}",) if category is not None else ()
        if name == "updated" or (name == "assignee" and ticket.assignee is None):
            return ("ticket-list--muted",)
        if name == "due" and is_overdue(ticket, now):
            return ("ticket-list--overdue",)
        return ()

    def _style(self, *classes: str) -> Style:
        """The widget's style with these components' own rules layered on, in order."""
        style = self._styles_by_classes.get(classes)
        if style is None:
            style = self.rich_style
            for name in classes:
                style += self._component(name)
            self._styles_by_classes[classes] = style
        return style

    def _component(self, name: str) -> Style:
        # The partial style says which rules the component sets, but its colours are raw:
        # "auto 60%" ($text-muted) or a translucent background would come out as full
        # white or opaque. The full style has them blended, so take the colours from it.
        partial = self.get_component_rich_style(name, partial=True)
        if partial.color is None and partial.bgcolor is None:
            return partial
        full = self.get_component_rich_style(name)
        return partial + Style(
            color=full.color if partial.color is not None else None,
            bgcolor=full.bgcolor if partial.bgcolor is not None else None,
        )

    def _get_layout(self, width: int) -> Layout:
        if self._layout is None or self._layout.width != width:
            index = self._index
            layout = compute_layout(width, index.natural_widths(), index.desks_in_view())
            if layout != self._last_layout:
                self._layout_version += 1  # every cached row was drawn for another layout
            self._layout = self._last_layout = layout
        return self._layout

    def _column_at(self, x: int) -> ColumnLayout | None:
        layout = self._get_layout(self.scrollable_content_region.width)
        for placed in layout.columns:
            if placed.x <= x < placed.x + placed.width + 1:
                return placed
        return None

    # ------------------------------------------------------------------ cursor & scroll

    def _rows_visible(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_row(self) -> int:
        return round(self.scroll_y)

    def _move_cursor(self, row: int, *, step: bool = False) -> None:
        if not len(self._index):
            return
        row = max(0, min(row, len(self._index) - 1))
        old = self._cursor
        self._cursor = row
        if not self._scroll_to_cursor(jump=step and self._jump_scroll) and row != old:
            self._refresh_row(old)
            self._refresh_row(row)
        self._post_cursor()

    def _page(self, direction: int, *, half: bool = False) -> None:
        if not len(self._index):
            return
        self._cursor_chosen = True
        page = self._rows_visible()
        if half:
            page = max(1, page // 2)
        top = self._scroll_row() + direction * page
        top = max(0, min(top, max(0, len(self._index) - page)))
        if top != self._scroll_row():
            self.scroll_to(y=top, animate=False)
        self._move_cursor(self._cursor + direction * page)

    def _scroll_to_cursor(self, *, jump: bool = False) -> bool:
        """Scroll to show the cursor; ``True`` when the list scrolled.

        Scrolls the least needed, or with ``jump`` (a step past the edge) half a page, so
        that the cursor lands mid-screen: stepping through a long list then repaints the
        whole screen once every half page rather than on every key.
        """
        if not len(self._index) or not self.is_mounted:
            return False
        rows = self._rows_visible()
        top = self._scroll_row()
        if top <= self._cursor < top + rows:
            return False
        if jump:
            target = self._cursor - rows // 2
        elif self._cursor < top:
            target = self._cursor
        else:
            target = self._cursor - rows + 1
        self.scroll_to(y=target, animate=False)
        return self._scroll_row() != top

    def _refresh_row(self, row: int, *, full: bool = False) -> None:
        """Repaint one row; only its gutter and key cells when only the arrow moved."""
        y = row - self._scroll_row() + 1
        if not 1 <= y <= self._rows_visible():
            return
        width = self.scrollable_content_region.width
        if not full and self._cursor_style == "arrow":
            width = min(width, self._get_layout(width).key_end)
        self.refresh(Region(0, y, width, 1))

    @contextmanager
    def _keeping_cursor(self) -> Iterator[None]:
        """Keep the cursor on its ticket, on the same screen line, across a change; when
        the ticket left, the cursor stays where it would have been in the order."""
        ticket = self.cursor_ticket
        old_row = self._cursor
        on_screen = self._cursor - self._scroll_row()
        yield
        index = self._index
        row: int | None = None
        if ticket is not None:
            row = index.row_of(ticket.key)
            if row is None:
                row = index.row_for(ticket)
        if row is None:
            row = old_row
        self._cursor = max(0, min(row, len(index) - 1))
        self._layout = None  # new tickets may be wider
        self._update_virtual_size()
        if self.is_mounted:
            # The same screen line as before; clamping at either end keeps it visible.
            self.scroll_to(y=max(0, self._cursor - on_screen), animate=False)

    def _update_virtual_size(self) -> None:
        self.virtual_size = Size(0, len(self._index) + 1)

    # ------------------------------------------------------------------ messages

    def _after_change(self, *, force_counts: bool = False) -> None:
        self.refresh()
        self._post_cursor()
        self._post_counts(force=force_counts)
        if len(self._marks) != self._posted_marks:
            self._marks_changed(full=False)

    def _marks_changed(self, *, full: bool = False) -> None:
        if full:
            self.refresh()
        self._posted_marks = len(self._marks)
        if self.is_attached:
            self.post_message(self.MarksChanged(self, len(self._marks)))

    def _post_cursor(self) -> None:
        ticket = self.cursor_ticket
        state = (ticket.key, id(ticket)) if ticket is not None else (None, 0)
        if state != self._posted_cursor and self.is_attached:
            self._posted_cursor = state
            self.post_message(self.CursorChanged(self, ticket))

    def _post_counts(self, *, force: bool = False) -> None:
        counts = (self.shown_count, self.total_count)
        if (force or counts != self._posted_counts) and self.is_attached:
            self._posted_counts = counts
            self.post_message(self.FilterApplied(self, *counts))
