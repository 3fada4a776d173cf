"""Background syncing of every desk: lookups, then ticket pages, streamed into the store.

Each desk syncs in its own Textual worker (group ``sync:<connection>``), so a slow or dead
desk never holds up another, and nothing here blocks the event loop. Results reach the
screen through a :class:`SyncSink` as they arrive, so the list fills page by page. Failures
never escape as tracebacks: they become the desk's health state and one notification.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from functools import partial
from typing import Protocol

from textual.dom import DOMNode
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from adapters.base import DeskError
from adapters.model import Ticket, TicketKey, TicketQuery
from tui.store import DeskState, Store

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
    query: TicketQuery | None = None,
) -> None:
    """List one desk into the store, page by page."""
    adapter = store.adapter(connection)
    run = store.begin_sync(connection)
    desk = store.desk(connection)
    sink.sync_started(desk)
    try:
        if fetch_lookups or desk.lookups is None:
            store.apply_lookups(run, await adapter.lookups())
        async for page in adapter.list_tickets(query):
            tickets = store.apply_page(run, page)
            if not store.is_current(run):
                return
            if tickets:
                sink.sync_page(desk, tickets)
    except asyncio.CancelledError:
        store.cancel_sync(run)
        raise
    except Exception as error:  # every failure becomes a health state, never a traceback
        # Unexpected errors (a malformed payload, a bug) keep their traceback in the debug
        # log for a bug report; the screen only ever gets the one-line message.
        if not isinstance(error, DeskError):
            log.debug("%s: sync failed", connection, exc_info=error)
        if store.fail_sync(run, error):
            log.info("%s: sync failed: %s", connection, desk.message)
            sink.sync_failed(desk)
        return
    if store.is_current(run):
        first_listing = desk.last_sync is None
        removed = store.finish_sync(run)
        sink.sync_finished(desk, removed)
        if first_listing:
            settle_heap()


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
    """Starts sync workers on a host node and refreshes each desk on its interval."""

    def __init__(self, host: DOMNode, store: Store, sink: SyncSink) -> None:
        self.host = host
        self.store = store
        self.sink = sink
        self._workers: dict[str, Worker[None]] = {}
        self._timers: list[Timer] = []

    def is_running(self, connection: str) -> bool:
        worker = self._workers.get(connection)
        return worker is not None and worker.state in (WorkerState.PENDING, WorkerState.RUNNING)

    def refresh(self, connection: str, *, fetch_lookups: bool = True) -> Worker[None]:
        """(Re)list one desk now; a listing of that desk still running is cancelled."""

        # A function, not a coroutine: a worker cancelled before it starts (the app closing)
        # then leaves no never-awaited coroutine behind.
        async def work() -> None:
            await sync_desk(self.store, connection, self.sink, fetch_lookups=fetch_lookups)

        worker: Worker[None] = self.host.run_worker(
            work,
            name=f"sync {connection}",
            group=f"sync:{connection}",
            exclusive=True,
            exit_on_error=False,
        )
        self._workers[connection] = worker
        return worker

    def refresh_all(self) -> list[Worker[None]]:
        return [self.refresh(connection) for connection in self.store.connections]

    def auto_refresh(self, connection: str) -> None:
        """The interval elapsed: list again unless a listing is already under way."""
        if not self.is_running(connection):
            self.refresh(connection, fetch_lookups=False)

    def start(self) -> None:
        """First listing of every desk, and a timer per desk that has an interval."""
        self.refresh_all()
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
        for timer in self._timers:
            timer.stop()
        self._timers.clear()
        for worker in self._workers.values():
            worker.cancel()
