"""The store's side of the cache: cached tickets never overwrite synced ones, an incremental
sync removes only what left the view, an offline desk refuses writes but not replies, and
the sync worker keeps the watermark and the lookups in the cache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from adapters.base import DeskUnavailable
from adapters.model import HealthState, Ticket, TicketKey
from tui.cache import Cache
from tui.outbox import Outbox
from tui.store import DeskState, Store
from tui.workers import sync_desk


class Sink:
    def __init__(self) -> None:
        self.pages: list[int] = []
        self.removed: list[TicketKey] = []

    def sync_started(self, desk: DeskState) -> None:
        pass

    def sync_page(self, desk: DeskState, tickets: list[Ticket]) -> None:
        self.pages.append(len(tickets))

    def sync_finished(self, desk: DeskState, removed: list[TicketKey]) -> None:
        self.removed.extend(removed)

    def sync_failed(self, desk: DeskState) -> None:
        pass


def make_store(harness: Any, cache: Cache | None = None) -> Store:
    return Store(
        harness.adapters(),
        outbox=Outbox(harness.outbox_path),
        clock=lambda: harness.now,
        cache=cache,
    )


async def test_cached_tickets_never_replace_synced_ones(harness: Any) -> None:
    harness.add_desk("acme")
    store = make_store(harness)
    pages = [page async for page in store.adapter("acme").list_tickets()]
    fresh = pages[0].tickets[0]
    stale = fresh.model_copy(update={"subject": "as cached hours ago"})
    run = store.begin_sync("acme")
    store.apply_page(run, pages[0])
    assert store.load_cached([stale]) == []
    assert store.get(fresh.key) == fresh
    other = stale.model_copy(update={"key": TicketKey("acme", "999999")})
    assert store.load_cached([other]) == [other]
    assert store.desk("acme").ticket_count == len(pages[0].tickets) + 1


async def test_finish_with_removed_drops_only_those(harness: Any) -> None:
    harness.add_desk("acme")
    store = make_store(harness)
    await sync_desk(store, "acme", Sink())
    keys = sorted(store.keys_of("acme"))
    run = store.begin_sync("acme")  # an incremental listing that brought nothing
    assert store.finish_sync(run, [keys[0]]) == [keys[0]]
    assert store.keys_of("acme") == set(keys[1:])


async def test_an_offline_desk_refuses_writes_but_keeps_replies_and_notes(harness: Any) -> None:
    harness.add_unreachable_desk("dead")
    store = make_store(harness)
    await sync_desk(store, "dead", Sink())
    assert store.desk("dead").state is HealthState.UNREACHABLE
    for action in ("update", "assign", "close", "merge", "custom_fields", "create"):
        capability = store.capability("dead", action)
        assert not capability.supported
        assert capability.reason.startswith("dead is unreachable (")
    assert store.capability("dead", "reply").supported
    assert store.capability("dead", "note").supported


async def test_a_healthy_desk_keeps_its_own_capabilities(harness: Any) -> None:
    harness.add_desk("acme")
    store = make_store(harness)
    await sync_desk(store, "acme", Sink())
    assert store.capability("acme", "update").supported
    store.note_error("acme", DeskUnavailable("acme", "connection refused"))
    assert not store.capability("acme", "update").supported
    await sync_desk(store, "acme", Sink())
    assert store.capability("acme", "update").supported


async def test_the_worker_keeps_lookups_and_watermark_in_the_cache(
    harness: Any, tmp_path: Path
) -> None:
    desk = harness.add_desk("acme")
    with Cache(tmp_path / "cache.sqlite3") as cache:
        store = make_store(harness, cache)
        await sync_desk(store, "acme", Sink())
        desk_cache = store.desk_cache("acme")
        assert desk_cache is not None
        snapshot = desk_cache.snapshot()
        assert snapshot.complete and snapshot.watermark is not None
        assert snapshot.count == len(desk.tickets)
        assert desk_cache.lookups() == store.lookups("acme")
        # An opened detail is kept for offline reading.
        key = next(iter(store.keys_of("acme")))
        store.apply_detail(await store.adapter("acme").get_ticket(key.native_id))
        assert store.cached_detail(key) is not None
