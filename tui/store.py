"""The app's in-memory state: tickets by key, and per connection its adapter, capabilities,
lookups and health; plus the outbox of replies and notes the desks have not confirmed, and
(when there is one) each connection's part of the local cache (:mod:`tui.cache`).

Workers and actions feed results in here and the screen reads from here; no widget lives in
this module, so everything in it can be tested without a terminal.

While a desk cannot be reached (or refuses the credentials) its cached tickets stay
readable, but :meth:`Store.capability` refuses every write other than a reply or a note,
with the reason: a change made against a ticket as it was hours ago would be sent blind.
Replies and notes still go through the outbox, which keeps them until the desk confirms.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from adapters.base import (
    Adapter,
    AuthFailed,
    Capabilities,
    Capability,
    DeskError,
    DeskUnavailable,
    RateLimited,
    health_state_for,
)
from adapters.model import HealthState, Lookups, Ticket, TicketDetail, TicketKey, TicketPage
from adapters.text import clean_line
from tui.cache import Cache, DeskCache
from tui.listing import key_name
from tui.outbox import Outbox

log = logging.getLogger("triage.store")

Clock = Callable[[], datetime]

# How many fetched details (posts and custom fields) stay cached; a detail can be large.
DETAIL_CACHE_SIZE = 64

OFFLINE_STATES = frozenset({HealthState.UNREACHABLE, HealthState.AUTH_FAILED})
"""Desk states in which writes are refused (see the module docstring)."""
QUEUED_ACTIONS = frozenset({"reply", "note"})
"""Writes that wait in the outbox instead of being refused while a desk is offline."""


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class DeskState:
    """What the sidebar shows for one connection."""

    name: str
    vendor: str
    capabilities: Capabilities
    refresh_interval: float
    state: HealthState = HealthState.SYNCING
    message: str = ""
    last_sync: datetime | None = None
    open_count: int = 0
    ticket_count: int = 0
    # Progress of the sync in flight: tickets received so far, and the desk's total if known.
    loaded: int = 0
    total: int | None = None
    retry_after: float | None = None
    lookups: Lookups | None = None
    syncing: bool = False
    # When the tickets shown were last synced by an earlier session (from the cache);
    # None once this session has synced, or when nothing was cached.
    cached_at: datetime | None = None
    # The last listing stopped part-way: what it got is shown, the rest is older.
    incomplete: bool = False

    @property
    def healthy(self) -> bool:
        return self.state in (HealthState.OK, HealthState.SYNCING)


@dataclass(eq=False)
class SyncRun:
    """One listing of one desk in progress; identifies it so stale results are ignored."""

    connection: str
    seen: set[TicketKey] = field(default_factory=set)


def describe_state(desk: DeskState) -> str:
    """ "<desk> is unreachable (<reason>)": why a desk is not answering, in one line."""
    word = {HealthState.AUTH_FAILED: "refuses the credentials"}.get(desk.state, "is unreachable")
    reason = f" ({desk.message})" if desk.message else ""
    return f"{desk.name} {word}{reason}"


def describe_error(error: BaseException) -> str:
    """One line for the agent: the desk's typed message, or the kind of unexpected error.

    A :class:`DeskError` message is already redacted by the HTTP layer. Anything else is a
    bug or a malformed payload; its text may quote remote data, so it is cleaned to one line.
    """
    if isinstance(error, RateLimited):
        wait = f" (retry after {error.retry_after:.0f}s)" if error.retry_after else ""
        return clean_line(error.message) + wait
    if isinstance(error, DeskError):
        return clean_line(error.message)
    detail = clean_line(str(error))[:300]
    name = type(error).__name__
    return f"unexpected {name}: {detail}" if detail else f"unexpected {name}"


class Store:
    """Tickets of every desk, keyed by :class:`TicketKey`, and each desk's state."""

    def __init__(
        self,
        adapters: Sequence[Adapter],
        *,
        outbox: Outbox,
        clock: Clock = utc_now,
        cache: Cache | None = None,
    ) -> None:
        names = [adapter.name for adapter in adapters]
        if len(set(names)) != len(names):
            raise ValueError(f"connection names must be unique: {names}")
        self.clock = clock
        self.outbox = outbox
        self._adapters: dict[str, Adapter] = {adapter.name: adapter for adapter in adapters}
        self.desks: dict[str, DeskState] = {
            adapter.name: DeskState(
                name=adapter.name,
                vendor=adapter.vendor,
                capabilities=adapter.capabilities,
                refresh_interval=adapter.settings.refresh_interval,
            )
            for adapter in adapters
        }
        self.tickets: dict[TicketKey, Ticket] = {}
        self._by_desk: dict[str, set[TicketKey]] = {name: set() for name in names}
        self._runs: dict[str, SyncRun] = {}
        self._details: OrderedDict[TicketKey, TicketDetail] = OrderedDict()
        self.cache = cache
        self._desk_caches: dict[str, DeskCache] = (
            {} if cache is None else {a.name: cache.desk(a.settings) for a in adapters}
        )

    # ---------------------------------------------------------------- connections

    @property
    def connections(self) -> list[str]:
        """Connection names in config order."""
        return list(self.desks)

    def adapter(self, connection: str) -> Adapter:
        return self._adapters[connection]

    def adapters(self) -> list[Adapter]:
        return list(self._adapters.values())

    def desk(self, connection: str) -> DeskState:
        return self.desks[connection]

    def capability(self, connection: str, action: str) -> Capability:
        """Whether ``action`` can run on the desk now: what the desk can do, except that
        a desk that cannot be reached refuses every write but a reply or a note."""
        capability = self.desks[connection].capabilities.for_action(action)
        desk = self.desks[connection]
        if capability.supported and desk.state in OFFLINE_STATES and action not in QUEUED_ACTIONS:
            why = describe_state(desk)
            return Capability.no(f"{why}; nothing is sent until it answers again (ctrl+r)")
        return capability

    def desk_cache(self, connection: str) -> DeskCache | None:
        """The connection's part of the local cache, or None without a cache."""
        return self._desk_caches.get(connection)

    def lookups(self, connection: str) -> Lookups:
        """The desk's lookups, or empty ones until they have been fetched."""
        return self.desks[connection].lookups or Lookups()

    @property
    def syncing(self) -> list[str]:
        return [name for name, desk in self.desks.items() if desk.syncing]

    # ---------------------------------------------------------------- tickets

    def get(self, key: TicketKey) -> Ticket | None:
        return self.tickets.get(key)

    def name_of(self, key: TicketKey) -> str:
        """How the UI names the ticket at ``key``: ``connection:display-id`` while the
        store has it, ``connection:native-id`` otherwise (see :func:`tui.listing.key_name`)."""
        return key_name(key, self.tickets.get(key))

    def all_tickets(self) -> list[Ticket]:
        return list(self.tickets.values())

    def keys_of(self, connection: str) -> set[TicketKey]:
        return set(self._by_desk.get(connection, ()))

    def _put(self, ticket: Ticket) -> None:
        connection = ticket.key.connection
        desk = self.desks.get(connection)
        if desk is None:
            raise KeyError(f"ticket {ticket.key} names an unknown connection")
        old = self.tickets.get(ticket.key)
        self.tickets[ticket.key] = ticket
        if old is None:
            self._by_desk[connection].add(ticket.key)
            desk.ticket_count += 1
            desk.open_count += 0 if ticket.is_done else 1
        else:
            desk.open_count += (0 if ticket.is_done else 1) - (0 if old.is_done else 1)

    def load_cached(self, tickets: Iterable[Ticket]) -> list[Ticket]:
        """Add tickets read from the cache at start, where the store has none of that key
        yet: a ticket a sync has already brought is newer than the cached one."""
        fresh = [ticket for ticket in tickets if ticket.key not in self.tickets]
        for ticket in fresh:
            self._put(ticket)
        return fresh

    def upsert(self, tickets: Iterable[Ticket]) -> list[Ticket]:
        """Insert or replace tickets (after an action returned them)."""
        stored = []
        for ticket in tickets:
            self._put(ticket)
            cached = self._details.get(ticket.key)
            if cached is not None:
                self._details[ticket.key] = cached.model_copy(update={"ticket": ticket})
            stored.append(ticket)
        return stored

    def remove(self, keys: Iterable[TicketKey]) -> list[TicketKey]:
        removed = []
        for key in keys:
            ticket = self.tickets.pop(key, None)
            self._details.pop(key, None)
            if ticket is None:
                continue
            desk = self.desks[key.connection]
            self._by_desk[key.connection].discard(key)
            desk.ticket_count -= 1
            desk.open_count -= 0 if ticket.is_done else 1
            removed.append(key)
        return removed

    # ---------------------------------------------------------------- details

    def detail(self, key: TicketKey) -> TicketDetail | None:
        detail = self._details.get(key)
        if detail is not None:
            self._details.move_to_end(key)
        return detail

    def cached_detail(self, key: TicketKey) -> TicketDetail | None:
        """The detail as the local cache kept it when it was last opened (offline reading)."""
        desk_cache = self._desk_caches.get(key.connection)
        return None if desk_cache is None else desk_cache.detail(key.native_id)

    def apply_detail(self, detail: TicketDetail) -> None:
        key = detail.ticket.key
        if key.connection in self.desks:
            self._put(detail.ticket)
            desk_cache = self._desk_caches.get(key.connection)
            if desk_cache is not None:
                desk_cache.put_detail(detail, self.clock())
        self._details[key] = detail
        self._details.move_to_end(key)
        while len(self._details) > DETAIL_CACHE_SIZE:
            self._details.popitem(last=False)

    def forget_detail(self, key: TicketKey) -> None:
        """Drop a cached detail so that the next view fetches it again (after a write)."""
        self._details.pop(key, None)

    # ---------------------------------------------------------------- sync results

    def begin_sync(self, connection: str) -> SyncRun:
        """Start a listing of one desk. A newer run supersedes an older one still going:
        results of the older run are then ignored."""
        desk = self.desks[connection]
        desk.syncing = True
        desk.state = HealthState.SYNCING
        desk.loaded = 0
        desk.total = None
        run = SyncRun(connection)
        self._runs[connection] = run
        return run

    def is_current(self, run: SyncRun) -> bool:
        return self._runs.get(run.connection) is run

    def apply_lookups(self, run: SyncRun, lookups: Lookups) -> None:
        if self.is_current(run):
            self.desks[run.connection].lookups = lookups

    def apply_page(self, run: SyncRun, page: TicketPage) -> list[Ticket]:
        """Store one page of a listing; returns the tickets it stored."""
        if not self.is_current(run):
            return []
        connection = run.connection
        desk = self.desks[connection]
        accepted = [ticket for ticket in page.tickets if ticket.key.connection == connection]
        if len(accepted) != len(page.tickets):
            log.info("%s: dropped tickets keyed to another connection", connection)
        self.upsert(accepted)
        run.seen.update(ticket.key for ticket in accepted)
        desk.loaded += len(accepted)
        if page.total is not None:
            desk.total = page.total
        return accepted

    def finish_sync(
        self, run: SyncRun, removed: Iterable[TicketKey] | None = None
    ) -> list[TicketKey]:
        """A listing completed: ``removed`` left the view (when not given: every ticket
        the listing did not bring, as after a full listing)."""
        if not self.is_current(run):
            return []
        connection = run.connection
        del self._runs[connection]
        desk = self.desks[connection]
        gone = self._by_desk[connection] - run.seen if removed is None else removed
        removed = self.remove(gone)
        desk.syncing = False
        desk.cached_at = None
        desk.incomplete = False
        desk.state = HealthState.OK
        desk.message = ""
        desk.retry_after = None
        desk.last_sync = self.clock()
        return removed

    def fail_sync(self, run: SyncRun, error: BaseException, *, incomplete: bool = False) -> bool:
        """A listing failed; tickets already held are kept, and so is what it listed
        (``incomplete`` when it stopped part-way). False if the run was stale."""
        if not self.is_current(run):
            return False
        del self._runs[run.connection]
        desk = self.desks[run.connection]
        desk.syncing = False
        desk.incomplete = incomplete
        desk.state = health_state_for(error)
        desk.message = describe_error(error)
        desk.retry_after = error.retry_after if isinstance(error, RateLimited) else None
        return True

    def cancel_sync(self, run: SyncRun) -> None:
        """A listing was cancelled (the app is closing, or the desk was refreshed again)."""
        if not self.is_current(run):
            return
        del self._runs[run.connection]
        desk = self.desks[run.connection]
        desk.syncing = False
        if desk.last_sync is not None:
            desk.state = HealthState.OK

    def note_error(self, connection: str, error: BaseException) -> None:
        """An action failed in a way that says something about the desk's health."""
        if isinstance(error, AuthFailed | RateLimited | DeskUnavailable):
            desk = self.desks[connection]
            desk.state = health_state_for(error)
            desk.message = describe_error(error)
