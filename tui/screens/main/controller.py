"""What keeps the main screen in step with the desks: their syncing (a
:class:`~tui.workers.SyncSink`), the manual refreshes, and the detail pane's fetching.

The screen (:mod:`tui.screens.main.screen`) is the view: it lays out the widgets, routes
keys and events, and shows what this controller and the action flows
(:mod:`tui.screens.main.actions`) hand it. What the controller needs back from the view is
a :class:`MainView`.
"""

from __future__ import annotations

from functools import partial
from typing import Any, Protocol

from textual.screen import Screen
from textual.timer import Timer
from textual.worker import Worker

from adapters.base import DeskError, NotFound
from adapters.model import HealthState, Ticket, TicketDetail, TicketKey
from tui.store import DeskState, Store, describe_error
from tui.widgets.detail import DetailPane
from tui.widgets.sidebar import STATE_GLYPHS, STATE_WORDS, Sidebar
from tui.widgets.ticket_list import TicketList
from tui.workers import DeskWorkers

DETAIL_DELAY = 0.12
"""Seconds the cursor must rest on a ticket before its conversation is fetched."""


class MainView(Protocol):
    """The main screen, as the controller sees it (timers, workers and notifications
    come from the screen itself)."""

    scope: str | None

    @property
    def ticket_list(self) -> TicketList: ...

    @property
    def sidebar(self) -> Sidebar: ...

    @property
    def detail(self) -> DetailPane: ...

    @property
    def detail_visible(self) -> bool: ...

    def update_status(self) -> None:
        """Show the counts, the syncing desks and the drafts in the status bar."""

    def show_desk_state(self) -> None:
        """Say, where the scoped desk's tickets would be, why it fails (if it does)."""


class MainController:
    """Syncs the desks into the view and loads the cursor ticket's conversation."""

    def __init__(self, screen: Screen[Any], view: MainView, store: Store) -> None:
        self.screen = screen
        self.view = view
        self.store = store
        self.workers = DeskWorkers(screen, store, self)
        self._detail_timer: Timer | None = None
        self._detail_fetch: tuple[TicketKey, Worker[None]] | None = None
        self._notified: dict[str, HealthState] = {}
        self._manual: set[str] = set()

    # ------------------------------------------------------------------ syncing (SyncSink)

    def sync_started(self, desk: DeskState) -> None:
        self.view.sidebar.refresh_desks()
        self.view.update_status()

    def sync_page(self, desk: DeskState, tickets: list[Ticket]) -> None:
        self.view.ticket_list.upsert_tickets(tickets)
        self.view.sidebar.refresh_desks()
        self.view.update_status()

    def sync_finished(self, desk: DeskState, removed: list[TicketKey]) -> None:
        if removed:
            self.view.ticket_list.remove_tickets(removed)
        self._notified.pop(desk.name, None)
        if desk.name in self._manual:
            self._manual.discard(desk.name)
            self.screen.notify(f"{desk.name}: refreshed", timeout=2, markup=False)
        self.view.sidebar.refresh_desks()
        self.view.update_status()
        self.view.show_desk_state()

    def sync_failed(self, desk: DeskState) -> None:
        self.view.sidebar.refresh_desks()
        self.view.update_status()
        self.view.show_desk_state()
        if desk.state is HealthState.RATE_LIMITED and desk.retry_after:
            # The desk said when to come back: try then rather than at the next interval.
            self.screen.set_timer(
                desk.retry_after,
                partial(self.workers.auto_refresh, desk.name),
                name=f"retry {desk.name}",
            )
        manual = desk.name in self._manual
        self._manual.discard(desk.name)
        # An auto-refresh that keeps failing the same way is reported once, not every time.
        if manual or self._notified.get(desk.name) is not desk.state:
            self._notified[desk.name] = desk.state
            glyph, word = STATE_GLYPHS[desk.state], STATE_WORDS[desk.state]
            self.screen.notify(
                f"{glyph} {desk.name}: {word}: {desk.message}",
                title="Sync failed",
                severity="error",
                markup=False,
            )

    # ------------------------------------------------------------------ refreshing

    def refresh_all(self) -> None:
        self._manual.update(self.store.connections)
        # Asked for by the agent: also check for tickets that left the view.
        self.workers.refresh_all(reconcile=True)

    def current_desk(self) -> str | None:
        """The desk ctrl+r refreshes: the sidebar's scope, else the cursor ticket's desk."""
        if self.view.scope is not None:
            return self.view.scope
        ticket = self.view.ticket_list.cursor_ticket
        return ticket.key.connection if ticket is not None else None

    def refresh_desk(self) -> None:
        desk = self.current_desk()
        if desk is None:
            self.refresh_all()
            return
        self._manual.add(desk)
        self.workers.refresh(desk, reconcile=True)

    # ------------------------------------------------------------------ the detail pane

    def load_detail(self, *, immediate: bool = False) -> None:
        """Show the cursor's ticket; fetch its conversation once the cursor rests.

        Nothing happens while the pane is hidden (narrow terminals): opening it loads it.
        """
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._detail_timer = None
        if not self.view.detail_visible:
            return
        ticket = self.view.ticket_list.cursor_ticket
        detail_pane = self.view.detail
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
            self.fetch_detail(ticket.key)
        else:
            self._detail_timer = self.screen.set_timer(
                DETAIL_DELAY, partial(self.fetch_detail, ticket.key), name="detail delay"
            )

    def fetch_detail(self, key: TicketKey) -> Worker[None]:
        # The list re-announces its cursor when rows arrive (cached ones, a sync's pages):
        # a fetch of that same ticket still under way is kept, not cancelled and asked
        # again, which would also throw away the desk's lookups it was loading.
        running = self._detail_fetch
        if running is not None and running[0] == key and not running[1].is_finished:
            return running[1]

        # A function, not a coroutine: a worker cancelled before it starts leaves no
        # never-awaited coroutine behind.
        async def work() -> None:
            await self._detail_worker(key)

        worker: Worker[None] = self.screen.run_worker(
            work,
            name=f"detail {key}",
            group="detail",
            exclusive=True,
            exit_on_error=False,
        )
        self._detail_fetch = (key, worker)
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
            self.view.sidebar.refresh_desks()
            self.view.show_desk_state()
            self._show_cached_detail(key, error)
            return
        except Exception as error:  # a malformed detail must not take the app down
            self._show_detail_error(key, error)
            return
        self.store.apply_detail(detail)
        self.view.ticket_list.upsert_tickets([detail.ticket])
        current = self.view.ticket_list.cursor_ticket
        if current is not None and current.key == key:
            self.view.detail.show_detail(detail)

    def _show_cached_detail(self, key: TicketKey, error: BaseException) -> None:
        """The desk did not answer: the conversation as the cache kept it, if it did,
        saying plainly that it is the cached one and why."""
        cached = self.store.cached_detail(key)
        current = self.view.ticket_list.cursor_ticket
        if cached is None or current is None or current.key != key:
            self._show_detail_error(key, error)
            return
        self.view.detail.show_detail(cached)
        self.view.detail.show_status(
            f"Cached conversation (the desk did not answer: {describe_error(error)})"
        )

    def _show_detail_error(self, key: TicketKey, error: BaseException) -> None:
        current = self.view.ticket_list.cursor_ticket
        if current is not None and current.key == key:
            self.view.detail.show_status(
                f"Could not load the conversation: {describe_error(error)}"
            )
