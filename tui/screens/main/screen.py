"""The main triage screen, the view: header, connections sidebar, ticket list, detail
pane, status bar and footer, the keys of every triage action, and the handlers that keep
the widgets in step (cursor, marks, filter, scope, layout).

Layout: wide terminals show the sidebar, the list and the detail pane under it. Below
:data:`WIDE` columns the sidebar folds away (``b`` brings it back) and the detail pane is
hidden until ``enter``/``o`` opens it at full size; ``escape`` goes back.

The action keys hand over to :class:`~tui.screens.main.actions.TicketActions`, which runs
the flows (forms, desk calls, bulk runs, the outbox); the desks' syncing, the refreshes and
the detail's loading are :class:`~tui.screens.main.controller.MainController`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.dom import DOMNode
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from adapters.text import clean_line
from tui.advice import what_to_do
from tui.keys import key_for
from tui.listing import SortKeys
from tui.screens.main.controller import MainController
from tui.screens.main.desk_actions import DeskActionCommands, TriageActions
from tui.screens.sort import SortScreen
from tui.store import DeskState, Store
from tui.widgets.detail import DetailPane
from tui.widgets.sidebar import STATE_GLYPHS, STATE_WORDS, Sidebar
from tui.widgets.status_bar import StatusBar, StatusInfo
from tui.widgets.ticket_list import TicketList

WIDE = 120
"""Columns from which the sidebar and the detail pane show beside the list."""

TICKET_ACTIONS = frozenset(
    {
        "update",
        "assign",
        "close_tickets",
        "merge",
        "reply",
        "note",
        "custom_fields",
        "open_detail",
        "delete_tickets",
        "log_time",
        "save_attachment",
        "upload",
    }
)
"""The screen's actions that need a ticket to act on (greyed out in the footer without)."""


class ViewHeader(Static):
    """One line: the app, the current view (all desks or one, open work or every ticket)
    and the filter."""

    def show(
        self, scope: str | None, vendor: str | None, filter_text: str, *, open_only: bool
    ) -> None:
        view = "All desks" if scope is None else f"{clean_line(scope)} ({vendor})"
        which = "open tickets" if open_only else "all tickets"
        text = f"triage · {view} · {which}"
        text += f" · filter: {clean_line(filter_text)}" if filter_text else " · no filter"
        self.update(Content(text))


class DeskNotice(Static):
    """Where a failing desk's tickets would be: its state, its whole message, and what
    to do. Shown while the list is scoped to a desk that is not healthy."""

    def show_desk(self, desk: DeskState | None, *, config: str | None, refresh: str) -> None:
        if desk is None or desk.healthy:
            self.display = False
            self.update(Content(""))
            return
        glyph, word = STATE_GLYPHS[desk.state], STATE_WORDS[desk.state]
        message = clean_line(desk.message) or "no message from the desk"
        advice = what_to_do(desk.state.value, desk.message, config=config, refresh=refresh)
        self.update(
            Content.assemble(
                (f"{glyph} {clean_line(desk.name)}: {word}", "bold"),
                f"\n{message}\n{advice}",
            )
        )
        self.display = True


class MainScreen(Screen[None]):
    """The triage screen over a :class:`~tui.store.Store`."""

    # The footer shows every binding with show on, in this order, as far as the width
    # goes: at 160 columns all of them; at 80 the first ones (help and the actions).
    BINDINGS: ClassVar[list[BindingType]] = [
        # First, so that the footer shows it even at 80 columns.
        Binding("question_mark", "app.help", "Help", id="help"),
        # A priority binding runs as the app reads the key, before the keys typed after it
        # are handed to the list: the query goes to the filter even when typed at once.
        Binding("slash", "filter", "Filter", id="filter", priority=True),
        Binding("u", "update", "Update", id="update"),
        Binding("a", "assign", "Assign", id="assign"),
        Binding("c", "close_tickets", "Close", id="close"),
        Binding("r", "reply", "Reply", id="reply"),
        Binding("n", "note", "Note", id="note"),
        Binding("m", "merge", "Merge", id="merge"),
        Binding("f", "custom_fields", "Fields", id="custom_fields"),
        Binding("s", "sort", "Sort", id="sort"),
        Binding("d", "drafts", "Drafts", id="drafts"),
        Binding("O", "toggle_done", "All/open", id="show_all"),
        Binding("R", "refresh_all", "Refresh all", id="refresh_all"),
        Binding("ctrl+r", "refresh_desk", "Refresh desk", id="refresh_desk"),
        Binding("x", "toggle_raw", "Raw view", id="toggle_raw"),
        Binding("b", "toggle_sidebar", "Sidebar", id="toggle_sidebar", show=False),
        Binding("o", "open_detail", "Open detail", id="open_detail", show=False),
        Binding("escape", "back", "Back", id="back", show=False),
        Binding("A", "desk_actions", "Desk actions", id="desk_actions", show=False),
        Binding("N", "create_ticket", "New ticket", id="create_ticket", show=False),
        Binding("D", "delete_tickets", "Delete", id="delete_tickets", show=False),
        Binding("F", "search_desks", "Search desks", id="search_desks", show=False),
        Binding("t", "log_time", "Log time", id="log_time", show=False),
        Binding("w", "save_attachment", "Save attachment", id="save_attachment", show=False),
        Binding("U", "upload", "Upload file", id="upload", show=False),
    ]
    COMMANDS = Screen.COMMANDS | {DeskActionCommands}

    def __init__(
        self,
        store: Store,
        *,
        tz: tzinfo | None = None,
        auto_sync: bool = True,
        config_path: str | None = None,
        open_only: bool = True,
    ) -> None:
        """``config_path`` is named in what a failing desk's view says to check;
        ``open_only`` starts with the open work only (``[ui] view``)."""
        super().__init__()
        self.store = store
        self.config_path = config_path
        self.open_only = open_only
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
        self.controller = MainController(self, self, store)
        self.actions = TriageActions(self, store, self)
        if auto_sync:
            # Before the first frame: the list's first rows come from the cache, now.
            self.controller.workers.load_first_cached()

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
                yield DeskNotice(Content(""), id="desk-notice")
                yield TicketList(
                    now=self.store.clock, tz=self.tz, open_only=self.open_only, id="tickets"
                )
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
        self.query_one(DeskNotice).display = False
        self.ticket_list.set_tickets(self.store.all_tickets())
        self.ticket_list.focus()
        self._update_header()
        self.update_status()
        self._update_layout()
        if self.auto_sync:
            self.controller.workers.start()

    def on_unmount(self) -> None:
        self.controller.workers.stop()

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
        """Escape closes what is open, one thing per press: the filter box, the raw view,
        the full detail, the folded-out sidebar; then it goes back to the list; then it
        clears the filter."""
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
        elif self.filter_text:
            self._leave_filter(clear=True)

    def action_toggle_done(self) -> None:
        """Show every ticket, or only the open work (the default)."""
        self.ticket_list.set_open_only(not self.ticket_list.open_only)
        self._update_header()

    def action_sort(self) -> None:
        """Pick a column and a direction; "+" adds a further key (several-key sorting)."""

        def sort(keys: SortKeys | None) -> None:
            if keys:
                self.ticket_list.set_sort(keys)

        self.app.push_screen(SortScreen(self.ticket_list.sort_keys), callback=sort)

    def action_toggle_raw(self) -> None:
        if not self.detail_visible:
            self.action_open_detail()
        self.detail.action_toggle_raw()

    # ------------------------------------------------------------------ header and status

    def _update_header(self) -> None:
        vendor = self.store.desk(self.scope).vendor if self.scope else None
        self.query_one(ViewHeader).show(
            self.scope, vendor, self.filter_text, open_only=self.ticket_list.filter_hides_done
        )

    def show_desk_state(self) -> None:
        """The scoped desk's trouble, if any, where its tickets would be."""
        desk = self.store.desk(self.scope) if self.scope is not None else None
        self.query_one(DeskNotice).show_desk(
            desk, config=self.config_path, refresh=key_for(self, "refresh_desk")
        )
        ticket_list = self.ticket_list
        reason = None
        if desk is not None and not desk.healthy:
            reason = f"Nothing to show from {desk.name}: {STATE_WORDS[desk.state]} (see above)"
        if reason != ticket_list.empty_reason:
            ticket_list.empty_reason = reason
            ticket_list.refresh()

    def update_status(self) -> None:
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
        self.update_status()
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
        self.update_status()

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
        """The sidebar's highlight moved (the list follows at once, as k9s contexts do),
        or the agent chose a desk (enter, a click): then the list takes the focus."""
        self.scope = event.connection
        self.actions.scope = event.connection
        self.ticket_list.set_desk(event.connection)
        self._update_header()
        self.update_status()
        self.show_desk_state()
        if not event.chosen:
            return
        if not self.wide:
            self.sidebar_override = None
            self._update_layout()
        self.ticket_list.focus()

    # ------------------------------------------------------------------ desks and detail

    def _load_detail(self, *, immediate: bool = False) -> None:
        self.controller.load_detail(immediate=immediate)

    def action_refresh_all(self) -> None:
        self.controller.refresh_all()

    def action_refresh_desk(self) -> None:
        self.controller.refresh_desk()

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Ticket actions are greyed out in the footer while there is no ticket to act on."""
        if action in TICKET_ACTIONS:
            return True if self._had_target else None
        return True

    # The flows live in tui.screens.main.actions; each key hands its action over to them.

    def action_update(self) -> None:
        self.actions.update()

    def action_assign(self) -> None:
        self.actions.assign()

    def action_close_tickets(self) -> None:
        self.actions.close()

    def action_merge(self) -> None:
        self.actions.merge()

    def action_reply(self) -> None:
        self.actions.reply()

    def action_note(self) -> None:
        self.actions.note()

    def action_custom_fields(self) -> None:
        self.actions.custom_fields()

    def action_drafts(self) -> None:
        self.actions.show_drafts()

    # The desk's own actions, creating, deleting and searching: tui.screens.main.desk_actions.

    def action_desk_actions(self) -> None:
        self.actions.choose_desk_action()

    def action_create_ticket(self) -> None:
        self.actions.create_ticket()

    def action_delete_tickets(self) -> None:
        self.actions.delete_tickets()

    def action_search_desks(self) -> None:
        self.actions.search()

    def action_log_time(self) -> None:
        self.actions.desk_action("log-time")

    def action_save_attachment(self) -> None:
        self.actions.desk_action("download")

    def action_upload(self) -> None:
        self.actions.desk_action("upload")

    # ------------------------------------------------------------------ after the actions

    def desks_changed(self) -> None:
        self.sidebar.refresh_desks()
        self.show_desk_state()

    def drafts_changed(self) -> None:
        self.update_status()
        self.detail.show_drafts(self.store.outbox.pending())

    def after_write(self) -> None:
        self.sidebar.refresh_desks()
        self.show_desk_state()
        self.drafts_changed()
        self._load_detail(immediate=True)
