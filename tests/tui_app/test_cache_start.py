"""The app with its local cache: the list paints from the cache before any request and says
so, the sync brings it current in place (cursor and marks kept); a desk that is down keeps
its cached tickets readable and refuses writes with the reason; a listing that stops
part-way keeps what it got."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from adapters.model import HealthState
from tui.cache import Cache
from tui.workers import DeskWorkers

SIZE = (160, 40)


def first_session(harness: Any, cache_path: Path) -> Any:
    """The desk "acme" listed once into the cache; returns the app (already closed)."""
    harness.add_desk("acme")
    return harness.build(cache=Cache(cache_path))


async def fill_cache(harness: Any, cache_path: Path, *, open_detail: bool = False) -> None:
    app = first_session(harness, cache_path)
    async with app.run_test(size=SIZE) as pilot:
        await harness.synced(pilot, app)
        if open_detail:
            await harness.detail_loaded(pilot, app)
    # The first session was "three hours ago".
    with Cache(cache_path) as cache:
        (settings,) = harness.config().connections
        desk_cache = cache.desk(settings)
        snapshot = desk_cache.snapshot()
        desk_cache.record_sync(
            watermark=snapshot.watermark,
            synced_at=harness.now - timedelta(hours=3),
            complete=True,
        )


async def test_the_list_paints_from_the_cache_before_any_request(
    harness: Any, tmp_path: Path
) -> None:
    cache_path = tmp_path / "cache.sqlite3"
    await fill_cache(harness, cache_path)
    gate = harness.add_gated_desk("acme")  # every request waits for the gate
    app = harness.build(cache=Cache(cache_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = harness.main(app)
        await harness.wait_for(pilot, lambda: screen.ticket_list.total_count == 24, "cached rows")
        await pilot.pause()
        text = harness.screen_text(app)
        assert "cached 3h ago · syncing" in text
        assert app.store.desk("acme").state is HealthState.SYNCING
        # The agent works on the cached list while the desk is still being asked.
        await pilot.press("j", "j", "space", "j", "space")
        cursor = screen.ticket_list.cursor_key
        marks = screen.ticket_list.marked_keys
        assert len(marks) == 2
        gate.gate.set()
        await harness.synced(pilot, app)
        assert screen.ticket_list.cursor_key == cursor
        assert screen.ticket_list.marked_keys == marks
        assert "cached 3h ago" not in harness.screen_text(app)
        assert app.store.desk("acme").cached_at is None


async def test_the_first_rows_come_before_the_rest_of_the_cache(
    harness: Any, tmp_path: Path
) -> None:
    cache_path = tmp_path / "cache.sqlite3"
    harness.add_desk("acme", harness.make_desk(tickets=700))
    app = harness.build(cache=Cache(cache_path))
    async with app.run_test(size=SIZE) as pilot:
        await harness.synced(pilot, app)
    harness.add_gated_desk("acme")
    app = harness.build(cache=Cache(cache_path), auto_sync=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = harness.main(app)
        workers = DeskWorkers(screen, app.store, screen.controller)
        workers.paint_cached()
        # One small batch, synchronously, newest first; the rest comes with the worker.
        assert 0 < len(app.store.tickets) < 700
        newest = max(t.updated for t in app.store.tickets.values())
        with Cache(cache_path) as cache:
            cached = cache.desk(harness.config().connections[0]).all_tickets()
        assert newest == max(t.updated for t in cached)
        workers.refresh("acme")
        await harness.wait_for(pilot, lambda: len(app.store.tickets) == 700, "the whole cache")
        workers.stop()


async def test_an_unreachable_desk_keeps_its_cached_tickets_readable(
    harness: Any, tmp_path: Path
) -> None:
    cache_path = tmp_path / "cache.sqlite3"
    await fill_cache(harness, cache_path, open_detail=True)
    with Cache(cache_path) as cache:
        desk_cache = cache.desk(harness.config().connections[0])
        opened = next(i for i in desk_cache.native_ids() if desk_cache.detail(i) is not None)
    harness.add_unreachable_desk("acme")  # the same connection; the desk is down
    app = harness.build(cache=Cache(cache_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await harness.synced(pilot, app)
        desk = app.store.desk("acme")
        assert desk.state is HealthState.UNREACHABLE
        assert screen.ticket_list.total_count == 24
        text = harness.screen_text(app)
        # "cached 3h ago · unreachable" does not fit the sidebar's line: two lines.
        assert "cached 3h ago" in text and "⊘ acme" in text and "unreachable" in text
        # The detail the agent opened last time is there, marked as the cache's.
        key = next(t.key for t in app.store.tickets.values() if t.key.native_id == opened)
        screen.ticket_list.move_cursor_to(key)
        await harness.detail_loaded(pilot, app)
        assert "Cached conversation" in harness.screen_text(app)
        # Writes are refused with the reason; replies and notes still go to the outbox.
        await pilot.press("u")
        await pilot.pause()
        refusal = harness.notifications(app)[-1]
        assert "acme cannot update tickets" in refusal and "unreachable" in refusal
        assert app.store.capability("acme", "reply").supported
        assert app.store.capability("acme", "note").supported
        assert not app.store.capability("acme", "close").supported


async def test_a_listing_that_stops_part_way_keeps_its_pages(harness: Any, tmp_path: Path) -> None:
    cache_path = tmp_path / "cache.sqlite3"
    faulty = harness.add_faulty_desk("acme", harness.make_desk(tickets=450))

    def fail_late_pages(request: httpx.Request) -> httpx.Response | None:
        if harness.route_is(request, "GET", r"/ListAll/.*/200/(200|400)/"):
            return httpx.Response(503, text="Service Unavailable")
        return None

    faulty.fault = fail_late_pages
    app = harness.build(cache=Cache(cache_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await harness.synced(pilot, app)
        desk = app.store.desk("acme")
        assert desk.incomplete and desk.state is HealthState.UNREACHABLE
        assert screen.ticket_list.total_count == 200
        assert "incomplete" in harness.screen_text(app)
    with Cache(cache_path) as cache:
        snapshot = cache.desk(harness.config().connections[0]).snapshot()
        assert snapshot.count == 200 and not snapshot.complete
    faulty.fault = lambda request: None
    app = harness.build(cache=Cache(cache_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await harness.synced(pilot, app)
        assert screen.ticket_list.total_count == 450
        assert not app.store.desk("acme").incomplete


async def test_a_warm_start_asks_for_the_pick_lists_once(harness: Any, tmp_path: Path) -> None:
    """The cached lookups are used as they are (within the reconciliation interval), and
    the adapter's own load of them is shared by the listing and the detail pane, not
    cancelled and repeated as the cached rows and the sync's page arrive."""
    cache_path = tmp_path / "cache.sqlite3"
    await fill_cache(harness, cache_path)
    with Cache(cache_path) as cache:
        desk_cache = cache.desk(harness.config().connections[0])
        desk_cache.record_reconciled(harness.now)
    faulty = harness.add_faulty_desk("acme")
    app = harness.build(cache=Cache(cache_path))
    async with app.run_test(size=SIZE) as pilot:
        await harness.synced(pilot, app)
        await harness.detail_loaded(pilot, app)
    routes = [url for _, url in faulty.requests]
    assert sum("TicketStatus" in url for url in routes) == 1
    assert sum("/ListAll/" in url for url in routes) == 1
    assert not any("GetTicketCount" in url for url in routes)
