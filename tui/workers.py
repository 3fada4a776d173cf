"""Background syncing of every desk: the cached tickets first, then lookups and ticket
pages (only the changes where the desk can list them, see :mod:`tui.sync`), streamed into
the store.

Each desk syncs in its own Textual worker (group ``sync:<connection>``), so a slow or dead
desk never holds up another, and nothing here blocks the event loop. Results reach the
screen through a :class:`SyncSink` as they arrive, so the list fills page by page. Failures
never escape as tracebacks: they become the desk's health state and one notification.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Iterator
from functools import partial
from typing import Protocol

from textual.dom import DOMNode
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from adapters.base import DeskError
from adapters.model import Ticket, TicketKey, TicketPage
from tui.store import DeskState, Store, SyncRun, describe_error
from tui.sync import DeskSync

log = logging.getLogger("triage.workers")


class SyncSink(Protocol):
    """Where sync progress goes (the main screen)."""

    def sync_started(self, desk: DeskState) -> None: ...

    def sync_page(self, desk: DeskState, tickets: list[Ticket]) -> None: ...

    def sync_finished(self, desk: DeskState, removed: list[TicketKey]) -> None: ...

    def sync_failed(self, desk: DeskState) -> None: ...


async def sync_desk(
    store: Store,
    connection: str,
    sink: SyncSink,
    *,
    fetch_lookups: bool = True,
    desk_sync: DeskSync | None = None,
    reconcile: bool | None = None,
) -> None:
    """Bring one desk current in the store, page by page (see :mod:`tui.sync`: only the
    changes where the desk can list them, reconciliation when due or ``reconcile``)."""
    adapter = store.adapter(connection)
    if desk_sync is None:
        desk_sync = DeskSync(adapter, cache=store.desk_cache(connection), clock=store.clock)
    run = store.begin_sync(connection)
    desk = store.desk(connection)
    sink.sync_started(desk)

    def on_page(page: TicketPage) -> None:
        tickets = store.apply_page(run, page)
        if tickets and store.is_current(run):
            sink.sync_page(desk, tickets)

    try:
        if fetch_lookups or desk.lookups is None:
            lookups = await adapter.lookups()
            store.apply_lookups(run, lookups)
            desk_cache = store.desk_cache(connection)
            if desk_cache is not None:
                desk_cache.save_lookups(lookups)
        result = await desk_sync.run(
            on_page,
            lambda: {key.native_id for key in store.keys_of(connection)},
            reconcile=reconcile,
        )
    except asyncio.CancelledError:
        store.cancel_sync(run)
        raise
    except Exception as error:  # every failure becomes a health state, never a traceback
        _failed(store, run, sink, error, incomplete=False)
        return
    if not result.complete:
        assert result.error is not None
        _failed(store, run, sink, result.error, incomplete=result.received > 0)
        return
    if result.error is not None:
        log.warning("%s: reconciliation failed: %s", connection, describe_error(result.error))
    if store.is_current(run):
        first_listing = desk.last_sync is None
        gone = [TicketKey(connection, native_id) for native_id in result.removed]
        removed = store.finish_sync(run, gone)
        sink.sync_finished(desk, removed)
        if first_listing:
            settle_heap()


def _failed(
    store: Store, run: SyncRun, sink: SyncSink, error: BaseException, *, incomplete: bool
) -> None:
    # Unexpected errors (a malformed payload, a bug) keep their traceback in the debug
    # log for a bug report; the screen only ever gets the one-line message.
    if not isinstance(error, DeskError):
        log.debug("%s: sync failed", run.connection, exc_info=error)
    if store.fail_sync(run, error, incomplete=incomplete):
        desk = store.desk(run.connection)
        log.info("%s: sync failed: %s", run.connection, desk.message)
        sink.sync_failed(desk)


def settle_heap() -> None:
    """Take what is alive now out of the cyclic garbage collector's walks.

    After a desk's first listing the heap holds its tickets for good: 100 000 tickets are
    about 500 000 objects (models, their dicts and strings). Every full collection walks all
    of them, a ~300 ms pause on whichever keystroke happens to trigger it, and finds nothing:
    they live as long as the desk lists them, and hold no reference cycles, so reference
    counting frees them when a refresh drops them. :func:`gc.freeze` moves them to the
    permanent generation, which collections skip.

    The collection first clears the load's own garbage, so that no unreachable cycle is
    frozen; the cost is one pause now, at the end of a load, instead of one now and then
    under the agent's keys. What is frozen and later forms unreachable cycles (a widget
    removed since) is not reclaimed: a bounded amount, once per desk.
    """
    gc.collect()
    gc.freeze()


class DeskWorkers:
    """Starts sync workers on a host node and refreshes each desk on its interval.

    With a cache, :meth:`paint_cached` puts each desk's newest cached tickets in the store
    before any request; each desk's first worker then reads the rest of its cache (in a
    thread, batch by batch) before it syncs, so that a full listing compares against
    everything shown. One :class:`DeskSync` per desk keeps its watermark between refreshes.
    """

    def __init__(self, host: DOMNode, store: Store, sink: SyncSink) -> None:
        self.host = host
        self.store = store
        self.sink = sink
        self._workers: dict[str, Worker[None]] = {}
        self._timers: list[Timer] = []
        self._syncs: dict[str, DeskSync] = {}
        self._stopped = False
        self._cached: dict[str, Iterator[list[Ticket]]] = {}

    def is_running(self, connection: str) -> bool:
        worker = self._workers.get(connection)
        return worker is not None and worker.state in (WorkerState.PENDING, WorkerState.RUNNING)

    def desk_sync(self, connection: str) -> DeskSync:
        desk_sync = self._syncs.get(connection)
        if desk_sync is None:
            store = self.store
            adapter = store.adapter(connection)
            desk_cache = store.desk_cache(connection)
            desk_sync = DeskSync(adapter, cache=desk_cache, clock=store.clock)
            self._syncs[connection] = desk_sync
        return desk_sync

    def load_first_cached(self) -> None:
        """Each desk's newest cached tickets (one small batch), its lookups and how old
        they are, into the store, before any request (and before the first frame, when
        called before the screen mounts). Once only."""
        for connection in self.store.connections:
            desk_cache = self.store.desk_cache(connection)
            if desk_cache is None or connection in self._cached:
                continue
            snapshot = desk_cache.snapshot()
            if snapshot.synced_at is None or not snapshot.count:
                continue
            desk = self.store.desk(connection)
            desk.cached_at = snapshot.synced_at
            desk.incomplete = not snapshot.complete
            desk.lookups = desk.lookups or desk_cache.lookups()
            batches = desk_cache.tickets()
            self.store.load_cached(next(batches, []))
            self._cached[connection] = batches

    def paint_cached(self) -> None:
        """:meth:`load_first_cached` (if not done yet), and what it loaded to the sink."""
        before = set(self._cached)
        self.load_first_cached()
        for connection in set(self._cached) - before:
            desk = self.store.desk(connection)
            self.sink.sync_page(
                desk, [self.store.tickets[k] for k in self.store.keys_of(connection)]
            )

    async def _load_cached(self, connection: str) -> None:
        """The rest of the desk's cache, read off the event loop."""
        batches = self._cached.get(connection)
        if batches is None:
            return
        desk = self.store.desk(connection)
        while True:
            batch = await asyncio.to_thread(next, batches, None)
            if batch is None:
                break
            fresh = self.store.load_cached(batch)
            if fresh:
                self.sink.sync_page(desk, fresh)
        self._cached.pop(connection, None)

    def refresh(
        self, connection: str, *, fetch_lookups: bool = True, reconcile: bool | None = None
    ) -> Worker[None]:
        """(Re)list one desk now; a listing of that desk still running is cancelled.
        ``reconcile`` forces (or skips) the check for tickets that left the view."""
        desk_sync = self.desk_sync(connection)

        # A function, not a coroutine: a worker cancelled before it starts (the app closing)
        # then leaves no never-awaited coroutine behind.
        async def work() -> None:
            await self._load_cached(connection)
            await sync_desk(
                self.store,
                connection,
                self.sink,
                fetch_lookups=fetch_lookups,
                desk_sync=desk_sync,
                reconcile=reconcile,
            )

        worker: Worker[None] = self.host.run_worker(
            work,
            name=f"sync {connection}",
            group=f"sync:{connection}",
            exclusive=True,
            exit_on_error=False,
        )
        self._workers[connection] = worker
        return worker

    def refresh_all(self, *, reconcile: bool | None = None) -> list[Worker[None]]:
        return [
            self.refresh(connection, reconcile=reconcile) for connection in self.store.connections
        ]

    def auto_refresh(self, connection: str) -> None:
        """The interval elapsed: list again unless a listing is already under way."""
        if not self.is_running(connection):
            self.refresh(connection, fetch_lookups=False)

    def start(self) -> None:
        """The cached tickets at once, the first sync of every desk, and a timer per desk
        that has an interval."""
        self.paint_cached()
        # The rest of the cache is read in a thread, which shares the interpreter with the
        # event loop: start after the first rows are on screen, not before.
        self.host.call_after_refresh(self._start_syncs)

    def _start_syncs(self) -> None:
        if self._stopped:
            return
        # Lookups cached by an earlier session are used as they are until the desk is due
        # for reconciliation (hourly by default) or the agent refreshes: a start then costs
        # the changes, not every pick-list again.
        now = self.store.clock()
        for connection in self.store.connections:
            cached = self.store.desk(connection).lookups is not None
            fetch = not cached or self.desk_sync(connection).reconcile_due(now)
            self.refresh(connection, fetch_lookups=fetch)
        for connection in self.store.connections:
            interval = self.store.desk(connection).refresh_interval
            if interval > 0:
                self._timers.append(
                    self.host.set_interval(
                        interval,
                        partial(self.auto_refresh, connection),
                        name=f"auto-refresh {connection}",
                    )
                )

    def stop(self) -> None:
        self._stopped = True
        for timer in self._timers:
            timer.stop()
        self._timers.clear()
        for worker in self._workers.values():
            worker.cancel()
