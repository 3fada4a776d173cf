"""The main triage screen: header, connections sidebar, ticket list, detail pane, status
bar and footer; the keys of every triage action, and the flows behind them.

Layout: wide terminals show the sidebar, the list and the detail pane under it. Below
:data:`WIDE` columns the sidebar folds away (``b`` brings it back) and the detail pane is
hidden until ``enter``/``o`` opens it at full size; ``escape`` goes back.

Every action applies to the marked tickets or, with none marked, to the cursor's ticket;
a desk that cannot do an action is refused with the reason before any form opens.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine, Sequence
from datetime import tzinfo
from functools import partial
from typing import Any, ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.dom import DOMNode
from textual.events import Resize
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Static
from textual.worker import Worker

from adapters.base import Adapter, DeskError, NotFound
from adapters.model import (
    ActionResult,
    Change,
    CustomFieldValue,
    HealthState,
    Lookups,
    Ticket,
    TicketDetail,
    TicketKey,
    Visibility,
)
from adapters.text import clean_line
from tui.bulk import BulkOperation, BulkRunner
from tui.listing import COLUMNS
from tui.outbox import OutboxEntry, OutboxError
from tui.screens.forms.assign import Assignment, AssignScreen
from tui.screens.forms.base import by_desk
from tui.screens.forms.bulk_progress import BulkProgressScreen
from tui.screens.forms.close import CloseRequest, CloseScreen
from tui.screens.forms.compose import ComposeScreen
from tui.screens.forms.confirm_bulk import ConfirmBulkScreen
from tui.screens.forms.custom_fields import CustomFieldsScreen
from tui.screens.forms.merge import MergeScreen
from tui.screens.forms.update import UpdateScreen
from tui.store import DeskState, Store, describe_error
from tui.widgets.detail import DetailPane
from tui.widgets.sidebar import STATE_GLYPHS, STATE_WORDS, Sidebar
from tui.widgets.status_bar import StatusBar, StatusInfo
from tui.widgets.ticket_list import TicketList
from tui.workers import DeskWorkers

ResultT = TypeVar("ResultT")

WIDE = 120
"""Columns from which the sidebar and the detail pane show beside the list."""
DETAIL_DELAY = 0.12
"""Seconds the cursor must rest on a ticket before its conversation is fetched."""

ACTION_WORDS: dict[str, str] = {
    "update": "update",
    "assign": "assign",
    "close": "close",
    "merge": "merge",
    "reply": "reply to",
    "note": "add a note to",
    "custom_fields": "set custom fields of",
}


class SortCommands(Provider):
    """The sort picker (``s``): sort by a column, or add it as a further sort key."""

    def _commands(self) -> list[tuple[str, Callable[[], None]]]:
        screen = self.screen
        if not isinstance(screen, MainScreen):
            return []
        ticket_list = screen.ticket_list
        commands: list[tuple[str, Callable[[], None]]] = []
        for column in COLUMNS:
            commands.append((f"Sort by {column.title}", partial(ticket_list.sort_by, column.name)))
        for column in COLUMNS:
            commands.append(
                (f"Then by {column.title}", partial(ticket_list.sort_by, column.name, add=True))
            )
        return commands

    async def discover(self) -> Hits:
        for label, command in self._commands():
            yield DiscoveryHit(Content(label), command, text=label)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, command in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), command, text=label)


class ViewHeader(Static):
    """One line: the app, the current view (all desks or one) and the filter."""

    def show(self, scope: str | None, vendor: str | None, filter_text: str) -> None:
        view = "All desks" if scope is None else f"{clean_line(scope)} ({vendor})"
        text = f"triage · {view}"
        text += f" · filter: {filter_text}" if filter_text else " · no filter"
        self.update(Content(text))


class MainScreen(Screen[None]):
    """The triage screen over a :class:`~tui.store.Store`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # First, so that the footer shows it even at 80 columns.
        Binding("question_mark", "app.help", "Help", id="help"),
        # A priority binding runs as the app reads the key, before the keys typed after it
        # are handed to the list: the query goes to the filter even when typed at once.
        Binding("slash", "filter", "Filter", id="filter", priority=True),
        Binding("u", "update", "Update", id="update"),
        Binding("a", "assign", "Assign", id="assign"),
        Binding("c", "close_tickets", "Close", id="close"),
        Binding("m", "merge", "Merge", id="merge", show=False),
        Binding("r", "reply", "Reply", id="reply"),
        Binding("n", "note", "Note", id="note"),
        Binding("f", "custom_fields", "Custom fields", id="custom_fields", show=False),
        Binding("R", "refresh_all", "Refresh all", id="refresh_all", show=False),
        Binding("ctrl+r", "refresh_desk", "Refresh desk", id="refresh_desk", show=False),
        Binding("o", "open_detail", "Open detail", id="open_detail", show=False),
        Binding("escape", "back", "Back", id="back", show=False),
        Binding("b", "toggle_sidebar", "Sidebar", id="toggle_sidebar", show=False),
        Binding("x", "toggle_raw", "Raw view", id="toggle_raw", show=False),
        Binding("s", "sort", "Sort", id="sort", show=False),
        Binding("d", "drafts", "Drafts", id="drafts", show=False),
    ]

    def __init__(self, store: Store, *, tz: tzinfo | None = None, auto_sync: bool = True) -> None:
        super().__init__()
        self.store = store
        self.tz = tz
        self.auto_sync = auto_sync
        self.scope: str | None = None
        self.filter_text = ""
        self.detail_full = False
        self.sidebar_override: bool | None = None
        self.shown_count = 0
        self.total_count = 0
        self.marked_count = 0
        self.has_cursor = False
        self._had_target = False
        self._detail_timer: Timer | None = None
        self._notified: dict[str, HealthState] = {}
        self._manual: set[str] = set()
        self.desk_workers = DeskWorkers(self, store, self)
        self._runner: BulkRunner | None = None

    # ------------------------------------------------------------------ composition

    def compose(self) -> ComposeResult:
        yield ViewHeader(Content("triage"), id="view-header")
        with Horizontal(id="body"):
            yield Sidebar(self.store, id="sidebar")
            with Vertical(id="main"):
                yield Input(
                    placeholder="filter: words, desk: status: priority: assignee: group:",
                    id="filter",
                )
                yield TicketList(now=self.store.clock, tz=self.tz, id="tickets")
                yield DetailPane(tz=self.tz, id="detail")
        yield StatusBar(id="status-bar")
        # The palette's key shows in the help; the footer keeps its width for actions.
        yield Footer(compact=True, show_command_palette=False)

    @property
    def ticket_list(self) -> TicketList:
        return self.query_one("#tickets", TicketList)

    @property
    def sidebar(self) -> Sidebar:
        return self.query_one("#sidebar", Sidebar)

    @property
    def detail(self) -> DetailPane:
        return self.query_one("#detail", DetailPane)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#filter", Input)

    def key_sections(self) -> Sequence[tuple[str, DOMNode]]:
        """What the help screen and the palette list, by section."""
        return [
            ("Ticket list", self.ticket_list),
            ("Triage", self),
            ("Detail pane", self.detail),
            ("Sidebar", self.sidebar),
        ]

    def on_mount(self) -> None:
        self.filter_input.display = False
        self.ticket_list.set_tickets(self.store.all_tickets())
        self.ticket_list.focus()
        self._update_header()
        self._update_status()
        self._update_layout()
        if self.auto_sync:
            self.desk_workers.start()

    def on_unmount(self) -> None:
        self.desk_workers.stop()

    # ------------------------------------------------------------------ layout

    @property
    def wide(self) -> bool:
        return self.size.width >= WIDE

    def on_resize(self, event: Resize) -> None:
        was_wide = self.has_class("-wide")
        if was_wide != self.wide:
            self.sidebar_override = None
        self._update_layout()

    def _update_layout(self) -> None:
        wide = self.wide
        self.set_class(wide, "-wide")
        self.set_class(not wide, "-narrow")
        sidebar_shown = self.sidebar_override if self.sidebar_override is not None else wide
        self.set_class(not sidebar_shown, "-sidebar-hidden")
        self.set_class(self.detail_full, "-detail-full")
        if self.detail_visible:
            self._load_detail(immediate=True)

    @property
    def detail_visible(self) -> bool:
        return self.detail_full or self.wide

    def action_toggle_sidebar(self) -> None:
        shown = not self.has_class("-sidebar-hidden")
        self.sidebar_override = not shown
        self._update_layout()
        if self.sidebar_override:
            self.sidebar.focus()
        elif self.focused is None or self.focused is self.sidebar:
            self.ticket_list.focus()

    def action_open_detail(self) -> None:
        if self.ticket_list.cursor_ticket is None:
            return
        self.detail_full = True
        self._update_layout()
        self.detail.focus()

    def action_back(self) -> None:
        """Escape: leave the filter, then the full detail, then the folded-out sidebar."""
        if self.focused is self.filter_input:
            self._leave_filter(clear=True)
        elif self.detail.raw_mode:
            self.detail.raw_mode = False
        elif self.detail_full:
            self.detail_full = False
            self._update_layout()
            self.ticket_list.focus()
        elif not self.wide and self.sidebar_override:
            self.sidebar_override = None
            self._update_layout()
            self.ticket_list.focus()
        elif self.focused is not self.ticket_list:
            self.ticket_list.focus()

    def action_sort(self) -> None:
        """Pick a sort column; "Then by" adds a further key (several-key sorting)."""
        keys = self.ticket_list.sort_keys
        current = ", ".join(f"{name} {'▼' if desc else '▲'}" for name, desc in keys)
        self.app.push_screen(
            CommandPalette(providers=[SortCommands], placeholder=f"Sort (now: {current})…")
        )

    def action_toggle_raw(self) -> None:
        if not self.detail_visible:
            self.action_open_detail()
        self.detail.action_toggle_raw()

    # ------------------------------------------------------------------ header and status

    def _update_header(self) -> None:
        vendor = self.store.desk(self.scope).vendor if self.scope else None
        self.query_one(ViewHeader).show(self.scope, vendor, self.filter_text)

    def _update_status(self) -> None:
        entries = self.store.outbox.pending()
        self.query_one(StatusBar).show(
            StatusInfo(
                marked=self.marked_count,
                shown=self.shown_count,
                total=self.total_count,
                syncing=tuple(self.store.syncing),
                drafts=len(entries),
                failed_drafts=sum(1 for entry in entries if entry.last_error),
            )
        )

    # ------------------------------------------------------------------ ticket list events

    @on(TicketList.CursorChanged)
    def _cursor_changed(self, event: TicketList.CursorChanged) -> None:
        self._load_detail()
        self._target_changed(cursor=event.ticket is not None)

    @on(TicketList.MarksChanged)
    def _marks_changed(self, event: TicketList.MarksChanged) -> None:
        self.marked_count = event.count
        self._update_status()
        self._target_changed()

    def _target_changed(self, *, cursor: bool | None = None) -> None:
        """Refresh the footer only when "is there anything to act on" flips: a cursor move
        must stay cheap, even with 100 000 tickets marked."""
        if cursor is not None:
            self.has_cursor = cursor
        has_target = self.has_cursor or self.marked_count > 0
        if has_target != self._had_target:
            self._had_target = has_target
            self.refresh_bindings()

    @on(TicketList.FilterApplied)
    def _filter_applied(self, event: TicketList.FilterApplied) -> None:
        self.shown_count = event.shown
        self.total_count = event.total
        self._update_status()

    @on(TicketList.Opened)
    def _opened(self) -> None:
        self.action_open_detail()

    # ------------------------------------------------------------------ filter

    def action_filter(self) -> None:
        self.filter_input.display = True
        # Synchronously (focus() would wait a turn): the next key must find the filter.
        self.set_focus(self.filter_input)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value
        self.ticket_list.apply_filter(event.value)
        self._update_header()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self._leave_filter(clear=False)

    def _leave_filter(self, *, clear: bool) -> None:
        if clear:
            self.filter_input.value = ""
            self.filter_text = ""
            self.ticket_list.apply_filter("")
            self._update_header()
        self.filter_input.display = bool(self.filter_input.value)
        self.ticket_list.focus()

    # ------------------------------------------------------------------ sidebar

    @on(Sidebar.ScopeSelected)
    def _scope_selected(self, event: Sidebar.ScopeSelected) -> None:
        self.scope = event.connection
        self.ticket_list.set_desk(event.connection)
        self._update_header()
        self._update_status()
        if not self.wide:
            self.sidebar_override = None
            self._update_layout()
        self.ticket_list.focus()

    # ------------------------------------------------------------------ detail

    def _load_detail(self, *, immediate: bool = False) -> None:
        """Show the cursor's ticket; fetch its conversation once the cursor rests.

        Nothing happens while the pane is hidden (narrow terminals): opening it loads it.
        """
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._detail_timer = None
        if not self.detail_visible:
            return
        ticket = self.ticket_list.cursor_ticket
        detail_pane = self.detail
        detail_pane.show_drafts(self.store.outbox.pending())
        if ticket is None:
            detail_pane.show_ticket(None)
            return
        cached = self.store.detail(ticket.key)
        if cached is not None:
            detail_pane.show_ticket(ticket)
            detail_pane.show_detail(cached)
            return
        detail_pane.show_ticket(ticket, status="Loading the conversation…")
        if immediate:
            self._fetch_detail(ticket.key)
        else:
            self._detail_timer = self.set_timer(
                DETAIL_DELAY, lambda: self._fetch_detail(ticket.key), name="detail delay"
            )

    def _fetch_detail(self, key: TicketKey) -> Worker[None]:
        async def work() -> None:
            await self._detail_worker(key)

        worker: Worker[None] = self.run_worker(
            work,
            name=f"detail {key}",
            group="detail",
            exclusive=True,
            exit_on_error=False,
        )
        return worker

    async def _detail_worker(self, key: TicketKey) -> None:
        adapter = self.store.adapter(key.connection)
        try:
            detail: TicketDetail = await adapter.get_ticket(key.native_id)
        except NotFound as error:
            self._show_detail_error(key, error)
            return
        except DeskError as error:
            self.store.note_error(key.connection, error)
            self.sidebar.refresh_desks()
            self._show_detail_error(key, error)
            return
        except Exception as error:  # a malformed detail must not take the app down
            self._show_detail_error(key, error)
            return
        self.store.apply_detail(detail)
        self.ticket_list.upsert_tickets([detail.ticket])
        current = self.ticket_list.cursor_ticket
        if current is not None and current.key == key:
            self.detail.show_detail(detail)

    def _show_detail_error(self, key: TicketKey, error: BaseException) -> None:
        current = self.ticket_list.cursor_ticket
        if current is not None and current.key == key:
            self.detail.show_status(f"Could not load the conversation: {describe_error(error)}")

    # ------------------------------------------------------------------ syncing

    def sync_started(self, desk: DeskState) -> None:
        self.sidebar.refresh_desks()
        self._update_status()

    def sync_page(self, desk: DeskState, tickets: list[Ticket]) -> None:
        self.ticket_list.upsert_tickets(tickets)
        self.sidebar.refresh_desks()
        self._update_status()

    def sync_finished(self, desk: DeskState, removed: list[TicketKey]) -> None:
        if removed:
            self.ticket_list.remove_tickets(removed)
        self._notified.pop(desk.name, None)
        if desk.name in self._manual:
            self._manual.discard(desk.name)
            self.notify(f"{desk.name}: refreshed", timeout=2, markup=False)
        self.sidebar.refresh_desks()
        self._update_status()

    def sync_failed(self, desk: DeskState) -> None:
        self.sidebar.refresh_desks()
        self._update_status()
        if desk.state is HealthState.RATE_LIMITED and desk.retry_after:
            # The desk said when to come back: try then rather than at the next interval.
            self.set_timer(
                desk.retry_after,
                partial(self.desk_workers.auto_refresh, desk.name),
                name=f"retry {desk.name}",
            )
        manual = desk.name in self._manual
        self._manual.discard(desk.name)
        # An auto-refresh that keeps failing the same way is reported once, not every time.
        if manual or self._notified.get(desk.name) is not desk.state:
            self._notified[desk.name] = desk.state
            glyph, word = STATE_GLYPHS[desk.state], STATE_WORDS[desk.state]
            self.notify(
                f"{glyph} {desk.name}: {word}: {desk.message}",
                title="Sync failed",
                severity="error",
                markup=False,
            )

    def action_refresh_all(self) -> None:
        self._manual.update(self.store.connections)
        self.desk_workers.refresh_all()

    def current_desk(self) -> str | None:
        """The desk ctrl+r refreshes: the sidebar's scope, else the cursor ticket's desk."""
        if self.scope is not None:
            return self.scope
        ticket = self.ticket_list.cursor_ticket
        return ticket.key.connection if ticket is not None else None

    def action_refresh_desk(self) -> None:
        desk = self.current_desk()
        if desk is None:
            self.action_refresh_all()
            return
        self._manual.add(desk)
        self.desk_workers.refresh(desk)

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Ticket actions are greyed out in the footer while there is no ticket to act on."""
        if action in ACTION_WORDS or action == "open_detail":
            return True if self._had_target else None
        return True

    def _targets(self, action: str) -> list[Ticket] | None:
        """The tickets an action applies to, or None (and why) when it cannot run at all."""
        tickets = [
            ticket
            for key in self.ticket_list.target_keys()
            if (ticket := self.store.get(key)) is not None
        ]
        if not tickets:
            self.notify("No ticket to act on: move to one or mark some.", markup=False)
            return None
        word = ACTION_WORDS[action]
        refusals = []
        for connection in dict.fromkeys(ticket.key.connection for ticket in tickets):
            capability = self.store.capability(connection, action)
            if capability.supported:
                return tickets
            reason = capability.reason or "the desk does not support it"
            refusals.append(f"{connection} cannot {word} tickets: {reason}")
        self.notify("\n".join(refusals), title="Not possible", severity="warning", markup=False)
        return None

    def _start_flow(self, flow: Coroutine[Any, Any, None], name: str) -> None:
        self.run_worker(flow, name=name, group="action", exit_on_error=False)

    def _ask_now(self, screen: Screen[ResultT]) -> asyncio.Future[ResultT | None]:
        """Push ``screen`` at once, inside the key's own handling, so the keys typed right
        after it go to the form and never run more actions here; the flow (a worker)
        awaits the returned future for the answer."""
        future: asyncio.Future[ResultT | None] = asyncio.get_running_loop().create_future()

        def answered(result: ResultT | None) -> None:
            if not future.done():
                future.set_result(result)

        self.app.push_screen(screen, callback=answered)
        return future

    def action_update(self) -> None:
        if (tickets := self._targets("update")) is None:
            return
        desks = self._supported_desks(tickets, "update")
        first = next(iter(desks))
        asked = None
        if self.store.desk(first).lookups is not None:
            asked = self._ask_now(self._update_form(desks, first, self.store.lookups(first)))
        self._start_flow(self._update_flow(tickets, desks, asked), "update")

    def action_assign(self) -> None:
        if (tickets := self._targets("assign")) is None:
            return
        desks = self._supported_desks(tickets, "assign")
        first = next(iter(desks))
        asked = None
        if self.store.desk(first).lookups is not None:
            asked = self._ask_now(self._assign_form(desks, first, self.store.lookups(first)))
        self._start_flow(self._assign_flow(tickets, desks, asked), "assign")

    def action_close_tickets(self) -> None:
        if (tickets := self._targets("close")) is None:
            return
        capabilities = {name: self.store.desk(name).capabilities for name in by_desk(tickets)}
        asked = self._ask_now(CloseScreen(tickets, capabilities))
        self._start_flow(self._close_flow(tickets, asked), "close")

    def action_merge(self) -> None:
        tickets = self._targets("merge")
        if tickets is None:
            return
        desks = list(dict.fromkeys(ticket.key.connection for ticket in tickets))
        if len(desks) > 1:
            self.notify(
                f"Merge works within one desk; the selection spans {', '.join(desks)}.",
                title="Not possible",
                severity="warning",
                markup=False,
            )
            return
        if len(tickets) < 2:
            self.notify(
                "Mark at least two tickets of one desk: the one to keep and those to merge.",
                title="Not possible",
                severity="warning",
                markup=False,
            )
            return
        capabilities = {desks[0]: self.store.desk(desks[0]).capabilities}
        asked = self._ask_now(MergeScreen(tickets, capabilities))
        self._start_flow(self._merge_flow(tickets, asked), "merge")

    def action_reply(self) -> None:
        if (tickets := self._targets("reply")) is not None:
            self._open_compose(tickets, Visibility.PUBLIC)

    def action_note(self) -> None:
        if (tickets := self._targets("note")) is not None:
            self._open_compose(tickets, Visibility.PRIVATE)

    def action_custom_fields(self) -> None:
        tickets = self._targets("custom_fields")
        if tickets is None:
            return
        if len(tickets) > 1:
            cursor = self.ticket_list.cursor_ticket
            self.notify(
                "Custom fields are edited one ticket at a time"
                + (f"; editing {cursor.key}." if cursor is not None else "."),
                markup=False,
            )
            if cursor is None:
                return
            tickets = [cursor]
        ticket = tickets[0]
        detail = self.store.detail(ticket.key)
        asked = None
        if detail is not None and detail.custom_fields:
            capabilities = self.store.desk(ticket.key.connection).capabilities
            asked = self._ask_now(
                CustomFieldsScreen(detail.ticket, detail.custom_fields, capabilities)
            )
        self._start_flow(self._custom_fields_flow(ticket, asked), "custom fields")

    # ------------------------------------------------------------------ flows (workers)

    async def _lookups(self, connection: str) -> Lookups:
        """The desk's lookups, fetched now if the sync has not brought them yet."""
        desk = self.store.desk(connection)
        if desk.lookups is None:
            try:
                desk.lookups = await self.store.adapter(connection).lookups()
            except DeskError as error:
                self.notify(
                    f"{connection}: could not load its lists: {describe_error(error)}",
                    severity="warning",
                    markup=False,
                )
                return Lookups()
        return desk.lookups

    def _supported_desks(self, tickets: Sequence[Ticket], action: str) -> dict[str, list[Ticket]]:
        desks = by_desk(tickets)
        return {
            name: group
            for name, group in desks.items()
            if self.store.capability(name, action).supported
        }

    @staticmethod
    def _step(desks: dict[str, list[Ticket]], connection: str) -> tuple[int, int] | None:
        return (list(desks).index(connection) + 1, len(desks)) if len(desks) > 1 else None

    def _update_form(
        self, desks: dict[str, list[Ticket]], connection: str, lookups: Lookups
    ) -> UpdateScreen:
        capabilities = self.store.desk(connection).capabilities
        step = self._step(desks, connection)
        return UpdateScreen(desks[connection], lookups, capabilities, step=step)

    def _assign_form(
        self, desks: dict[str, list[Ticket]], connection: str, lookups: Lookups
    ) -> AssignScreen:
        capabilities = self.store.desk(connection).capabilities
        step = self._step(desks, connection)
        return AssignScreen(desks[connection], lookups, capabilities, step=step)

    async def _update_flow(
        self,
        tickets: list[Ticket],
        desks: dict[str, list[Ticket]],
        asked: asyncio.Future[Change | None] | None,
    ) -> None:
        """One form per desk (ids are per desk), then one bulk run over every desk."""
        changes: dict[str, Change] = {}
        for connection in desks:
            if asked is not None:
                change, asked = await asked, None
            else:
                lookups = await self._lookups(connection)
                change = await self.app.push_screen_wait(
                    self._update_form(desks, connection, lookups)
                )
            if change is None:
                return
            if not change.is_empty():
                changes[connection] = change
        if not changes:
            self.notify("Nothing to change.", markup=False)
            return
        targets = [
            t.key for t in tickets if t.key.connection in changes or t.key.connection not in desks
        ]

        async def update(adapter: Adapter, native_id: str) -> object:
            return await adapter.update(native_id, changes[adapter.name])

        await self._run_bulk(targets, "update", update, "Update")

    async def _assign_flow(
        self,
        tickets: list[Ticket],
        desks: dict[str, list[Ticket]],
        asked: asyncio.Future[Assignment | None] | None,
    ) -> None:
        assignments: dict[str, Assignment] = {}
        for connection in desks:
            if asked is not None:
                assignment, asked = await asked, None
            else:
                lookups = await self._lookups(connection)
                assignment = await self.app.push_screen_wait(
                    self._assign_form(desks, connection, lookups)
                )
            if assignment is None:
                return
            if assignment != (None, None):
                assignments[connection] = assignment
        if not assignments:
            self.notify("Nothing to change.", markup=False)
            return
        targets = [
            t.key
            for t in tickets
            if t.key.connection in assignments or t.key.connection not in desks
        ]

        async def assign(adapter: Adapter, native_id: str) -> object:
            agent_id, group_id = assignments[adapter.name]
            return await adapter.assign(native_id, agent_id, group_id)

        await self._run_bulk(targets, "assign", assign, "Assign")

    async def _close_flow(
        self, tickets: list[Ticket], asked: asyncio.Future[CloseRequest | None]
    ) -> None:
        request = await asked
        if request is None:
            return
        note, resolution = request

        async def close(adapter: Adapter, native_id: str) -> object:
            return await adapter.close(native_id, note, resolution)

        await self._run_bulk([t.key for t in tickets], "close", close, "Close")

    async def _merge_flow(
        self, tickets: list[Ticket], asked: asyncio.Future[TicketKey | None]
    ) -> None:
        target = await asked
        if target is None:
            return
        connection = target.connection
        sources = [t.key.native_id for t in tickets if t.key != target]
        adapter = self.store.adapter(connection)
        emulated = " (emulated)" if self.store.capability(connection, "merge").emulated else ""
        self.notify(f"Merging {len(sources)} ticket(s) into {target}{emulated}…", markup=False)
        try:
            results = await adapter.merge(target.native_id, sources)
        except DeskError as error:
            self.store.note_error(connection, error)
            self.sidebar.refresh_desks()
            self.notify(
                f"Merge into {target} failed: {describe_error(error)}",
                title="Merge failed",
                severity="error",
                markup=False,
            )
            return
        failed = [result for result in results if not result.ok]
        await self._refetch([target, *(TicketKey(connection, s) for s in sources)])
        if failed:
            lines = [f"{result.key}: {clean_line(result.message)}" for result in failed]
            self.notify(
                "\n".join(lines),
                title=f"Merge into {target}: {len(failed)} problem(s)",
                severity="error",
                markup=False,
                timeout=10,
            )
        else:
            self.notify(f"Merged {len(sources)} ticket(s) into {target}{emulated}.", markup=False)

    async def _refetch(self, keys: Sequence[TicketKey]) -> None:
        """Fetch tickets again after a write that changed more than it returned."""
        for key in keys:
            self.store.forget_detail(key)
            try:
                detail = await self.store.adapter(key.connection).get_ticket(key.native_id)
            except NotFound:
                self.store.remove([key])
                self.ticket_list.remove_tickets([key])
                continue
            except DeskError:
                continue
            self.store.apply_detail(detail)
            self.ticket_list.upsert_tickets([detail.ticket])
        self._after_write()

    def _open_compose(self, tickets: list[Ticket], visibility: Visibility) -> None:
        """Open the editor at once (with the ticket's unsent draft, if there is one)."""
        restored: OutboxEntry | None = None
        if len(tickets) == 1:
            drafts = self.store.outbox.drafts_for(tickets[0].key)
            drafts = [draft for draft in drafts if draft.visibility is visibility]
            if drafts:
                restored = drafts[-1]
                why = f" ({clean_line(restored.last_error)})" if restored.last_error else ""
                self.notify(f"Restored your unsent draft{why}.", markup=False)
        capabilities = {name: self.store.desk(name).capabilities for name in by_desk(tickets)}
        text = restored.text if restored else ""
        asked = self._ask_now(ComposeScreen(tickets, visibility, capabilities, text=text))
        name = "reply" if visibility is Visibility.PUBLIC else "note"
        self._start_flow(self._compose_flow(tickets, visibility, restored, asked), name)

    async def _compose_flow(
        self,
        tickets: list[Ticket],
        visibility: Visibility,
        restored: OutboxEntry | None,
        asked: asyncio.Future[str | None],
    ) -> None:
        outbox = self.store.outbox
        capabilities = {name: self.store.desk(name).capabilities for name in by_desk(tickets)}
        text = await asked
        if text is None:
            return
        action = "reply" if visibility is Visibility.PUBLIC else "note"
        entries = self._store_drafts(tickets, action, text, visibility, restored)
        while entries is None:
            # The outbox could not keep the text: nothing is sent, and the form comes back
            # with the text in it, so the agent can save it elsewhere or try again.
            text = await self.app.push_screen_wait(
                ComposeScreen(tickets, visibility, capabilities, text=text)
            )
            if text is None:
                return
            entries = self._store_drafts(tickets, action, text, visibility, restored)
        self._drafts_changed()
        sent_text = text

        async def post(adapter: Adapter, native_id: str) -> object:
            entry_id = entries[TicketKey(adapter.name, native_id)]
            outbox.mark_sending(entry_id)
            try:
                result = await adapter.add_post(native_id, sent_text, visibility)
            except Exception as error:
                # Typed desk errors and bugs alike: the draft stays, with the reason.
                outbox.mark_failed(entry_id, describe_error(error))
                raise
            outbox.confirm(entry_id)
            return result

        word = "Reply" if visibility is Visibility.PUBLIC else "Note"
        await self._run_bulk([t.key for t in tickets], action, post, word)
        self._drafts_changed()

    def _store_drafts(
        self,
        tickets: Sequence[Ticket],
        action: str,
        text: str,
        visibility: Visibility,
        restored: OutboxEntry | None,
    ) -> dict[TicketKey, str] | None:
        """Put one draft per ticket in the outbox (on disk) before anything is sent."""
        outbox = self.store.outbox
        entries: dict[TicketKey, str] = {}
        try:
            for ticket in tickets:
                if not self.store.capability(ticket.key.connection, action).supported:
                    continue
                if restored is not None and restored.key == str(ticket.key):
                    entries[ticket.key] = outbox.update_text(restored.id, text).id
                else:
                    entries[ticket.key] = outbox.add(ticket.key, text, visibility).id
        except OutboxError as error:
            for key, entry_id in entries.items():
                if restored is None or str(key) != restored.key:
                    with contextlib.suppress(OutboxError, KeyError):
                        outbox.discard(entry_id)
            self.notify(
                f"{error}. Nothing was sent.", title="Outbox", severity="error", markup=False
            )
            return None
        return entries

    async def _custom_fields_flow(
        self, ticket: Ticket, asked: asyncio.Future[dict[str, CustomFieldValue] | None] | None
    ) -> None:
        detail = self.store.detail(ticket.key)
        values: dict[str, CustomFieldValue] | None
        if asked is None:
            if detail is None:
                try:
                    adapter = self.store.adapter(ticket.key.connection)
                    detail = await adapter.get_ticket(ticket.key.native_id)
                except DeskError as error:
                    self.notify(
                        f"{ticket.key}: could not load its fields: {describe_error(error)}",
                        severity="error",
                        markup=False,
                    )
                    return
                self.store.apply_detail(detail)
            if not detail.custom_fields:
                self.notify(f"{ticket.key} has no custom fields.", markup=False)
                return
            capabilities = self.store.desk(ticket.key.connection).capabilities
            values = await self.app.push_screen_wait(
                CustomFieldsScreen(detail.ticket, detail.custom_fields, capabilities)
            )
        else:
            values = await asked
        if not values:
            return
        adapter = self.store.adapter(ticket.key.connection)
        try:
            fields = await adapter.set_custom_fields(ticket.key.native_id, values)
        except DeskError as error:
            self.store.note_error(ticket.key.connection, error)
            self.sidebar.refresh_desks()
            self.notify(
                f"{ticket.key}: custom fields not saved: {describe_error(error)}",
                title="Not saved",
                severity="error",
                markup=False,
            )
            return
        current = self.store.detail(ticket.key) or detail
        if current is not None:
            self.store.apply_detail(current.model_copy(update={"custom_fields": fields}))
        self.notify(f"{ticket.key}: {len(values)} custom field(s) saved.", markup=False)
        self._after_write()

    async def _run_bulk(
        self,
        targets: list[TicketKey],
        action: str,
        op: BulkOperation,
        verb: str,
    ) -> None:
        """One ticket: run it and say how it went. Several: confirm (per desk, with what
        is unsupported), then the progress screen with its "retry failed"."""
        adapters = {name: self.store.adapter(name) for name in self.store.connections}

        async def noted(adapter: Adapter, native_id: str) -> object:
            # A failure that says something about the desk (auth, rate limit, reachability)
            # shows in the sidebar too.
            try:
                return await op(adapter, native_id)
            except DeskError as error:
                self.store.note_error(adapter.name, error)
                raise

        runner = BulkRunner(targets, adapters, action, noted, on_progress=self._bulk_progress)
        self._runner = runner
        if len(runner.targets) == 1:
            results = await runner.run()
            result = results[0]
            if result.ok:
                self.notify(f"{verb}: {result.key} done.", markup=False)
            else:
                self.notify(
                    result.message,
                    title=f"{verb} {result.key} failed",
                    severity="error",
                    markup=False,
                )
        else:
            if not await self.app.push_screen_wait(ConfirmBulkScreen(runner.plan, summary=verb)):
                return
            results = await self.app.push_screen_wait(BulkProgressScreen(runner))
            failed = sum(1 for result in results if not result.ok)
            severity: SeverityLevel = "error" if failed else "information"
            self.notify(
                f"{verb}: {len(results) - failed} done, {failed} failed.",
                severity=severity,
                markup=False,
            )
        self._after_write()

    def _bulk_progress(self, done: int, total: int, result: ActionResult) -> None:
        """Each ticket's result as it arrives: what the desk returned goes into the list."""
        runner = self._runner
        if runner is None:
            return
        if not result.ok:
            return
        returned = runner.returned.get(result.key)
        self.store.forget_detail(result.key)
        if isinstance(returned, Ticket):
            self.store.upsert([returned])
            self.ticket_list.upsert_tickets([returned])

    def _after_write(self) -> None:
        self.sidebar.refresh_desks()
        self._drafts_changed()
        self._load_detail(immediate=True)

    def _drafts_changed(self) -> None:
        self._update_status()
        self.detail.show_drafts(self.store.outbox.pending())

    # ------------------------------------------------------------------ drafts

    def action_drafts(self) -> None:
        entries = self.store.outbox.pending()
        if not entries:
            self.notify("No unsent drafts.", markup=False)
            return
        lines = [
            f"{entry.key} ({entry.visibility.value}): {entry.last_error or entry.state.value}"
            for entry in entries[:8]
        ]
        more = f"\n… and {len(entries) - 8} more" if len(entries) > 8 else ""
        self.notify(
            "\n".join(lines) + more,
            title=f"{len(entries)} unsent draft(s): open the ticket and press r or n",
            markup=False,
            timeout=8,
        )
