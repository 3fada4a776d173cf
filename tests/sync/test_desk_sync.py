"""One desk's sync against the Kayako simulator with a real cache: a cold full listing, then
refreshes whose cost follows the changes; reconciliation for tickets that left the view;
the fallback for a desk that cannot list changes; partial listings kept."""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest

from adapters.base import Capabilities, DeskUnavailable, ListingCapabilities
from adapters.kayako import KayakoAdapter, KayakoSettings
from adapters.kayako.sim_data import KayakoDesk, generate_desk
from adapters.kayako.simulator import API_KEY, DEMO_STAFF_ID, SECRET_KEY, app_for_desk
from adapters.model import Change, Ticket, TicketPage
from tui.cache import Cache
from tui.sync import DeskSync, SyncMode

Scope = MutableMapping[str, Any]


class Desk:
    """A simulated desk behind a request counter that can be told to fail listings."""

    def __init__(self, tickets: int = 600) -> None:
        self.desk: KayakoDesk = generate_desk(tickets=tickets, seed=5)
        self.clock = [self.desk.now + 3600]
        self.desk.clock = lambda: self.clock[0]
        self.app = app_for_desk(self.desk)
        self.routes: list[str] = []
        self.fail_from_offset: int | None = None

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            route = scope["query_string"].decode().split("&")[0].removeprefix("e=")
            route = route.replace("%2F", "/")
            self.routes.append(route)
            parts = route.split("/")
            failing = self.fail_from_offset
            if failing is not None and "ListAll" in parts and int(parts[9]) >= failing:
                await send({"type": "http.response.start", "status": 500, "headers": []})
                await send({"type": "http.response.body", "body": b"Internal error"})
                return
        await self.app(scope, receive, send)

    def adapter(self, adapter_class: type[KayakoAdapter] = KayakoAdapter, **extra: Any) -> Any:
        settings = KayakoSettings.model_validate(
            {
                "name": "kayako",
                "vendor": "kayako",
                "url": "http://kayako.sim/api/index.php",
                "api_key": API_KEY,
                "secret_key": SECRET_KEY,
                "staff_id": DEMO_STAFF_ID,
                "rate_limit": 10_000,
                **extra,
            }
        )
        adapter = adapter_class(settings, transport=httpx.ASGITransport(app=self))
        adapter.http.max_retries = 0
        return adapter

    def ids(self) -> set[str]:
        return {str(i) for i in self.desk.tickets}


class Holder:
    """What a caller (the app's store, the CLI) holds of one desk."""

    def __init__(self) -> None:
        self.tickets: dict[str, Ticket] = {}
        self.pages: list[int] = []

    def on_page(self, page: TicketPage | list[Ticket]) -> None:
        tickets = page if isinstance(page, list) else list(page.tickets)
        self.pages.append(len(tickets))
        self.tickets.update((t.key.native_id, t) for t in tickets)

    def held(self) -> set[str]:
        return set(self.tickets)

    def drop(self, ids: set[str]) -> None:
        for native_id in ids:
            self.tickets.pop(native_id, None)


class Now:
    def __init__(self) -> None:
        self.value = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.value


@pytest.fixture
def cache(tmp_path: Path) -> Cache:
    return Cache(tmp_path / "cache.sqlite3")


async def sync(
    desk_sync: DeskSync, holder: Holder, reconcile: bool | None = None
) -> tuple[Any, int]:
    before = len(desk_sync_routes(desk_sync))
    result = await desk_sync.run(holder.on_page, holder.held, reconcile=reconcile)
    holder.drop(result.removed)
    return result, len(desk_sync_routes(desk_sync)) - before


def desk_sync_routes(desk_sync: DeskSync) -> list[str]:
    transport = desk_sync.adapter.transport
    assert isinstance(transport, httpx.ASGITransport)
    desk = transport.app
    assert isinstance(desk, Desk)
    return desk.routes


async def test_cold_then_incremental_refresh_after_ten_changes(cache: Cache) -> None:
    desk, holder, now = Desk(), Holder(), Now()
    async with desk.adapter() as adapter:
        desk_sync = DeskSync(adapter, cache=cache.desk(adapter.settings), clock=now)
        result, _ = await sync(desk_sync, holder)
        assert result.mode is SyncMode.FULL and result.complete
        assert holder.held() == desk.ids()
        assert len(cache.desk(adapter.settings).native_ids()) == len(desk.ids())
        # Ten changes elsewhere: six edits and four new tickets.
        for ticket in sorted(desk.desk.tickets.values(), key=lambda t: t.lastactivity)[:6]:
            await adapter.update(str(ticket.id), Change(subject=f"edited {ticket.id}"))
        for n in range(4):
            desk.desk.create_ticket(
                **{
                    "subject": f"new {n}",
                    "fullname": "Ana Lima",
                    "email": "ana@customer.test",
                    "contents": "hello",
                    "departmentid": next(iter(desk.desk.departments)),
                    "statusid": next(iter(desk.desk.statuses)),
                    "priorityid": next(iter(desk.desk.priorities)),
                    "typeid": next(iter(desk.desk.types)),
                    "userid": 0,
                    "staffid": 0,
                    "creationtype": 1,
                    "ownerstaffid": 0,
                    "templategroupid": 1,
                    "ipaddress": "",
                    "emailto": "",
                }
            )
        now.value += timedelta(minutes=5)
        result, requests = await sync(desk_sync, holder)
    assert result.mode is SyncMode.INCREMENTAL and result.complete
    assert requests <= 3
    assert holder.held() == desk.ids()
    subjects = {t.subject for t in holder.tickets.values()}
    assert {f"new {n}" for n in range(4)} <= subjects
    assert sum(s.startswith("edited ") for s in subjects) == 6
    cached = {t.key.native_id: t.subject for t in cache.desk(adapter.settings).all_tickets()}
    assert {k: t.subject for k, t in holder.tickets.items()} == cached
    assert cache.desk(adapter.settings).snapshot().watermark == str(desk.clock[0])


async def test_reconciliation_finds_deletions_and_moves_out_of_the_view(cache: Cache) -> None:
    desk, holder, now = Desk(), Holder(), Now()
    departments = sorted(desk.desk.departments)[:2]
    async with desk.adapter(departments=departments) as adapter:
        desk_sync = DeskSync(adapter, cache=cache.desk(adapter.settings), clock=now)
        await sync(desk_sync, holder)
        held = holder.held()
        in_view = [t for t in desk.desk.tickets.values() if str(t.id) in held]
        deleted, moved = in_view[0], in_view[1]
        desk.desk.delete_ticket(deleted)
        outside = next(d for d in desk.desk.departments if d not in departments)
        await adapter.update(str(moved.id), Change(group_id=str(outside)))
        # A refresh sees neither: the ticket is gone, or no longer in the listed departments.
        result, _ = await sync(desk_sync, holder, reconcile=False)
        assert result.removed == set()
        assert {str(deleted.id), str(moved.id)} <= holder.held()
        result, _ = await sync(desk_sync, holder, reconcile=True)
    assert result.reconciled
    assert result.removed == {str(deleted.id), str(moved.id)}
    assert not {str(deleted.id), str(moved.id)} & cache.desk(adapter.settings).native_ids()


async def test_reconciliation_with_nothing_gone_costs_one_request(cache: Cache) -> None:
    desk, holder, now = Desk(), Holder(), Now()
    async with desk.adapter() as adapter:
        desk_sync = DeskSync(adapter, cache=cache.desk(adapter.settings), clock=now)
        await sync(desk_sync, holder)
        _, plain = await sync(desk_sync, holder, reconcile=False)
        result, with_reconcile = await sync(desk_sync, holder, reconcile=True)
    assert result.reconciled and result.removed == set()
    assert with_reconcile == plain + 1  # GetTicketCount


async def test_reconciliation_runs_on_its_interval(cache: Cache) -> None:
    desk, holder, now = Desk(), Holder(), Now()
    async with desk.adapter(reconcile_interval=3600) as adapter:
        desk_sync = DeskSync(adapter, cache=cache.desk(adapter.settings), clock=now)
        first, _ = await sync(desk_sync, holder)
        assert first.reconciled  # a full listing is a reconciliation
        now.value += timedelta(minutes=30)
        result, _ = await sync(desk_sync, holder)
        assert not result.reconciled
        now.value += timedelta(minutes=31)
        result, _ = await sync(desk_sync, holder)
        assert result.reconciled
    async with desk.adapter(reconcile_interval=0) as adapter:
        off = DeskSync(adapter, cache=cache.desk(adapter.settings), clock=now)
        now.value += timedelta(days=1)
        result, _ = await sync(off, holder)
        assert not result.reconciled


class NoChangesKayako(KayakoAdapter):
    """A desk that cannot list changes (the default listing capabilities)."""

    capabilities: ClassVar[Capabilities] = KayakoAdapter.capabilities.model_copy(
        update={"listing": ListingCapabilities()}
    )


async def test_a_desk_that_cannot_list_changes_gets_the_full_listing_and_a_local_diff(
    cache: Cache,
) -> None:
    desk, holder, now = Desk(), Holder(), Now()
    async with desk.adapter(NoChangesKayako) as adapter:
        desk_sync = DeskSync(adapter, cache=cache.desk(adapter.settings), clock=now)
        await sync(desk_sync, holder)
        gone = next(iter(desk.desk.tickets.values()))
        desk.desk.delete_ticket(gone)
        result, requests = await sync(desk_sync, holder, reconcile=False)
    assert result.mode is SyncMode.FULL
    assert result.removed == {str(gone.id)}
    assert holder.held() == desk.ids()
    assert requests >= len(desk.ids()) // 200


async def test_a_listing_failing_at_page_n_keeps_the_pages_before(cache: Cache) -> None:
    desk, holder, now = Desk(tickets=1000), Holder(), Now()
    desk.fail_from_offset = 600  # pages of 200: pages 1-3 answer, page 4 fails
    async with desk.adapter() as adapter:
        desk_sync = DeskSync(adapter, cache=cache.desk(adapter.settings), clock=now)
        result, _ = await sync(desk_sync, holder)
        assert not result.complete
        assert isinstance(result.error, DeskUnavailable)
        assert holder.pages == [200, 200, 200]
        desk_cache = cache.desk(adapter.settings)
        assert len(desk_cache.native_ids()) == 600
        snapshot = desk_cache.snapshot()
        assert not snapshot.complete and snapshot.watermark is None
        # Next time the desk answers: a full listing again (no watermark), nothing lost.
        desk.fail_from_offset = None
        result, _ = await sync(desk_sync, holder)
    assert result.complete and result.mode is SyncMode.FULL
    assert holder.held() == desk.ids()


async def test_a_failed_incremental_listing_keeps_the_old_watermark(cache: Cache) -> None:
    desk, holder, now = Desk(tickets=1000), Holder(), Now()
    async with desk.adapter() as adapter:
        desk_sync = DeskSync(adapter, cache=cache.desk(adapter.settings), clock=now)
        await sync(desk_sync, holder)
        watermark = desk_sync.state.watermark
        for ticket in list(desk.desk.tickets.values())[:300]:
            desk.clock[0] += 1
            desk.desk.touch(ticket)
        desk.fail_from_offset = 200
        result, _ = await sync(desk_sync, holder)
        assert not result.complete and holder.pages[-1] == 200
        assert desk_sync.state.watermark == watermark
        assert cache.desk(adapter.settings).snapshot().watermark == watermark
        desk.fail_from_offset = None
        result, _ = await sync(desk_sync, holder)
    assert result.complete and result.mode is SyncMode.INCREMENTAL
    touched = {str(t.id) for t in list(desk.desk.tickets.values())[:300]}
    assert all(
        holder.tickets[i].updated.timestamp() == desk.desk.tickets[int(i)].lastactivity
        for i in touched
    )


async def test_the_watermark_survives_a_restart_through_the_cache(cache: Cache) -> None:
    desk, now = Desk(), Now()
    async with desk.adapter() as adapter:
        first = DeskSync(adapter, cache=cache.desk(adapter.settings), clock=now)
        await sync(first, Holder())
    holder = Holder()
    holder.on_page(cache.desk(adapter.settings).all_tickets())
    async with desk.adapter() as adapter:
        again = DeskSync(adapter, cache=cache.desk(adapter.settings), clock=now)
        assert again.incremental
        result, requests = await sync(again, holder)
    assert result.mode is SyncMode.INCREMENTAL
    assert requests <= 8  # the adapter's lookups (a new process) and one page


def test_without_a_cache_the_state_starts_empty() -> None:
    desk = Desk(tickets=10)
    adapter = desk.adapter()
    fresh: Callable[[], datetime] = Now()
    assert not DeskSync(adapter, cache=None, clock=fresh).incremental


async def test_a_listing_that_gets_nothing_leaves_the_cache_as_it_was(cache: Cache) -> None:
    desk, holder, now = Desk(tickets=300), Holder(), Now()
    async with desk.adapter() as adapter:
        desk_sync = DeskSync(adapter, cache=cache.desk(adapter.settings), clock=now)
        await sync(desk_sync, holder)
        before = cache.desk(adapter.settings).snapshot()
        desk.fail_from_offset = 0
        now.value += timedelta(hours=2)
        result, _ = await sync(desk_sync, holder)
    assert not result.complete and result.received == 0
    assert cache.desk(adapter.settings).snapshot() == before
