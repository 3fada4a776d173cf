"""Syncing one desk so that its cost follows the number of changes, not the size of the desk.

One :class:`DeskSync` per connection, used by the app's workers and by ``triage tickets``:

* **Incremental listing.** Once a listing has completed, the adapter's watermark (the last
  :attr:`TicketPage.watermark`) is kept, in memory and in the cache; the next listing asks
  only for tickets changed since (``TicketQuery.changed_since``). A desk whose capabilities
  say it cannot (``Capabilities.changed_since`` not supported) ignores the watermark and
  lists everything: that listing is then treated as complete, so the tickets it did not
  list left the view. This is the documented fallback: a full listing, the diff computed
  here.
* **Reconciliation.** An incremental listing sees edits and new tickets, never tickets
  that left the view (deleted, moved to a department outside it). Far less often than
  refresh (``reconcile_interval``, default hourly) the desk is asked which tickets it still
  lists: first a count (:meth:`Adapter.count_tickets`, one request) which, equal to the
  number held, proves nothing left (what is held is a superset of what the desk lists,
  once the incremental listing is in); otherwise the ids (:meth:`Adapter.list_ticket_ids`,
  an id-only listing where the desk has one).
* **Partial results are kept.** A listing that fails part-way keeps every page it got (in
  the caller's view and in the cache); the watermark is not moved and nothing is removed,
  and the result says the desk is incomplete and why.

Nothing here knows Textual: the caller hands each page to its own view (``on_page``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from adapters.base import Adapter
from adapters.model import TicketPage, TicketQuery
from tui.cache import DeskCache, DeskSnapshot

log = logging.getLogger("triage.sync")

Clock = Callable[[], datetime]


class SyncMode(StrEnum):
    FULL = "full"
    INCREMENTAL = "incremental"


@dataclass
class SyncState:
    """What the next sync of a desk starts from (mirrored in the cache when there is one)."""

    watermark: str | None = None
    synced_at: datetime | None = None
    reconciled_at: datetime | None = None
    complete: bool = False

    @classmethod
    def from_snapshot(cls, snapshot: DeskSnapshot) -> SyncState:
        return cls(
            watermark=snapshot.watermark,
            synced_at=snapshot.synced_at,
            reconciled_at=snapshot.reconciled_at,
            complete=snapshot.complete,
        )


@dataclass
class SyncResult:
    """The outcome of one sync.

    ``received`` counts the tickets the listing brought; ``removed`` are the native ids that
    left the view (a complete full listing, or a reconciliation). ``error`` is set when the
    listing stopped part-way (``complete`` is then false) or the reconciliation failed.
    """

    mode: SyncMode
    received: int = 0
    removed: set[str] = field(default_factory=set)
    complete: bool = False
    reconciled: bool = False
    error: BaseException | None = None


class DeskSync:
    """Lists one desk the cheapest way it can, feeding the caller and the cache."""

    def __init__(
        self,
        adapter: Adapter,
        *,
        cache: DeskCache | None,
        clock: Clock,
        query: TicketQuery | None = None,
    ) -> None:
        self.adapter = adapter
        self.cache = cache
        self.clock = clock
        self.query = query or TicketQuery()
        self.state = SyncState() if cache is None else SyncState.from_snapshot(cache.snapshot())

    @property
    def incremental(self) -> bool:
        """Whether the next listing asks only for changes."""
        native = self.adapter.capabilities.listing.changed_since.supported
        return native and self.state.watermark is not None

    def reconcile_due(self, now: datetime) -> bool:
        interval = self.adapter.settings.reconcile_interval
        if interval <= 0:
            return False
        last = self.state.reconciled_at
        return last is None or now - last >= timedelta(seconds=interval)

    async def run(
        self,
        on_page: Callable[[TicketPage], object],
        held: Callable[[], Collection[str]],
        *,
        reconcile: bool | None = None,
    ) -> SyncResult:
        """List the desk (incrementally where it can), handing each page (only this
        connection's tickets) to ``on_page`` and the cache; then reconcile when due (or
        when ``reconcile`` says so).

        ``held`` gives the native ids the caller holds for this desk (what a complete full
        listing or a reconciliation compares with). Desk errors never escape: they are in
        the result, with what was received kept.
        """
        incremental = self.incremental
        query = self.query
        if incremental:
            query = query.model_copy(update={"changed_since": self.state.watermark})
        result = SyncResult(mode=SyncMode.INCREMENTAL if incremental else SyncMode.FULL)
        seen: set[str] = set()
        watermark: str | None = None
        try:
            async for page in self.adapter.list_tickets(query):
                tickets = [t for t in page.tickets if t.key.connection == self.adapter.name]
                if page.watermark is not None:
                    watermark = page.watermark
                if not tickets:
                    continue
                seen.update(ticket.key.native_id for ticket in tickets)
                result.received += len(tickets)
                if len(tickets) != len(page.tickets):
                    page = page.model_copy(update={"tickets": tuple(tickets)})
                on_page(page)
                if self.cache is not None:
                    await asyncio.to_thread(self.cache.put, tickets)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            result.error = error
            if result.received:
                # Part of a listing: kept (the pages are in the cache), marked incomplete,
                # the watermark left where it was. Nothing received: the cache stays as it
                # was, with the age of its last good sync.
                self._record(watermark=None, complete=False)
            return result
        result.complete = True
        now = self.clock()
        if not incremental:
            # A complete full listing (or a desk that cannot list changes) is the truth:
            # what it did not list has left the view, and it reconciles as a side effect.
            result.removed = set(held()) - seen
            result.reconciled = True
            self.state.reconciled_at = now
            if self.cache is not None:
                await asyncio.to_thread(self.cache.retain, seen)
                self.cache.record_reconciled(now)
        self._record(watermark=watermark, complete=True)
        if incremental and (reconcile if reconcile is not None else self.reconcile_due(now)):
            try:
                result.removed = await self._reconcile(held)
                result.reconciled = True
            except asyncio.CancelledError:
                raise
            except Exception as error:
                result.error = error
        return result

    async def _reconcile(self, held: Callable[[], Collection[str]]) -> set[str]:
        """Native ids held that the desk no longer lists (see the module docstring)."""
        count = await self.adapter.count_tickets(self.query)
        holding = set(held())
        removed: set[str] = set()
        if count is None or count != len(holding):
            listed: set[str] = set()
            async for ids in self.adapter.list_ticket_ids(self.query):
                listed.update(ids)
            removed = holding - listed
            log.info(
                "%s: reconciled: %d held, %d listed, %d left the view",
                self.adapter.name,
                len(holding),
                len(listed),
                len(removed),
            )
        now = self.clock()
        self.state.reconciled_at = now
        if self.cache is not None:
            if removed:
                await asyncio.to_thread(self.cache.remove, removed)
            self.cache.record_reconciled(now)
        return removed

    def _record(self, *, watermark: str | None, complete: bool) -> None:
        now = self.clock()
        if complete:
            if watermark is not None:
                self.state.watermark = watermark
            self.state.complete = True
            self.state.synced_at = now
        if self.cache is not None:
            self.cache.record_sync(
                watermark=watermark if complete else None, synced_at=now, complete=complete
            )
