"""The store and the sync coroutine without a screen, on real listings of the simulator."""

from __future__ import annotations

import gc
from typing import Any

import pytest

from adapters.base import AuthFailed, DeskUnavailable, InvalidInput, RateLimited
from adapters.model import HealthState, Ticket, TicketKey, TicketPage
from tui import workers
from tui.outbox import Outbox
from tui.store import DETAIL_CACHE_SIZE, DeskState, Store, describe_error, health_state_for
from tui.workers import settle_heap, sync_desk


class Sink:
    """Records what a sync reports, as the main screen would receive it."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str, int]] = []

    def sync_started(self, desk: DeskState) -> None:
        self.events.append(("started", desk.name, 0))

    def sync_page(self, desk: DeskState, tickets: list[Ticket]) -> None:
        self.events.append(("page", desk.name, len(tickets)))

    def sync_finished(self, desk: DeskState, removed: list[TicketKey]) -> None:
        self.events.append(("finished", desk.name, len(removed)))

    def sync_failed(self, desk: DeskState) -> None:
        self.events.append(("failed", desk.name, 0))


def make_store(harness: Any) -> Store:
    return Store(harness.adapters(), outbox=Outbox(harness.outbox_path), clock=lambda: harness.now)


async def test_sync_streams_pages_into_the_store(harness: Any) -> None:
    desk = harness.add_desk("acme", harness.make_desk(tickets=450))
    store = make_store(harness)
    sink = Sink()
    await sync_desk(store, "acme", sink)
    pages = [event for event in sink.events if event[0] == "page"]
    assert sink.events[0] == ("started", "acme", 0)
    assert sink.events[-1] == ("finished", "acme", 0)
    assert len(pages) == 3 and sum(count for _, _, count in pages) == 450
    state = store.desk("acme")
    assert state.state is HealthState.OK and state.last_sync == harness.now
    assert state.ticket_count == 450 == state.loaded == state.total
    resolved = {s.id for s in desk.statuses.values() if s.markasresolved}
    expected_open = sum(1 for t in desk.tickets.values() if t.statusid not in resolved)
    assert state.open_count == expected_open
    assert store.desk("acme").lookups is not None and store.lookups("acme").statuses


async def test_the_heap_settles_once_after_a_desks_first_listing(
    harness: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    harness.add_desk("acme", harness.make_desk(tickets=30))
    harness.add_unreachable_desk("dead")
    store = make_store(harness)
    settled: list[str] = []
    monkeypatch.setattr(workers, "settle_heap", lambda: settled.append("settled"))
    await sync_desk(store, "dead", Sink())
    assert settled == []  # a failed listing loads nothing to keep
    await sync_desk(store, "acme", Sink())
    assert settled == ["settled"]
    await sync_desk(store, "acme", Sink())
    assert settled == ["settled"]  # refreshes replace tickets; the first load set the heap


def test_settle_heap_freezes_what_is_alive() -> None:
    kept = [object() for _ in range(10)]
    settle_heap()
    try:
        assert gc.get_freeze_count() >= len(kept)
    finally:
        gc.unfreeze()


async def test_failures_become_health_states(harness: Any) -> None:
    harness.add_desk("locked", secret_key="wrong-secret")
    harness.add_unreachable_desk("dead")
    harness.add_rate_limited_desk("busy")
    store = make_store(harness)
    sink = Sink()
    for name in ("locked", "dead", "busy"):
        await sync_desk(store, name, sink)
    assert store.desk("locked").state is HealthState.AUTH_FAILED
    assert store.desk("dead").state is HealthState.UNREACHABLE
    assert store.desk("busy").state is HealthState.RATE_LIMITED
    assert store.desk("busy").retry_after == 120
    assert [event[0] for event in sink.events].count("failed") == 3
    # Messages name no secret.
    for name in ("locked", "dead", "busy"):
        assert "wrong-secret" not in store.desk(name).message


async def test_a_newer_sync_supersedes_an_older_one(harness: Any) -> None:
    harness.add_desk("acme", harness.make_desk(tickets=5))
    store = make_store(harness)
    pages = [page async for page in store.adapter("acme").list_tickets()]
    old = store.begin_sync("acme")
    new = store.begin_sync("acme")
    assert store.apply_page(old, pages[0]) == []  # stale: ignored
    assert store.finish_sync(old) == []
    assert not store.fail_sync(old, DeskUnavailable("acme", "late"))
    assert store.desk("acme").syncing
    assert len(store.apply_page(new, pages[0])) == 5
    store.finish_sync(new)
    assert store.desk("acme").state is HealthState.OK and not store.desk("acme").syncing


async def test_finish_drops_what_the_desk_no_longer_lists_but_failure_keeps_it(
    harness: Any,
) -> None:
    desk = harness.add_desk("acme", harness.make_desk(tickets=6))
    store = make_store(harness)
    await sync_desk(store, "acme", Sink())
    assert store.desk("acme").ticket_count == 6
    gone = TicketKey("acme", "3")
    desk.delete_ticket(desk.tickets[3])
    sink = Sink()
    await sync_desk(store, "acme", sink)
    assert ("finished", "acme", 1) in sink.events
    assert store.get(gone) is None and store.desk("acme").ticket_count == 5
    # A failed listing keeps the tickets already held.
    run = store.begin_sync("acme")
    store.fail_sync(run, AuthFailed("acme", "revoked"))
    assert store.desk("acme").ticket_count == 5
    assert store.desk("acme").state is HealthState.AUTH_FAILED


async def test_open_counts_follow_updates_and_removals(harness: Any) -> None:
    harness.add_desk("acme", harness.make_desk(tickets=6))
    store = make_store(harness)
    await sync_desk(store, "acme", Sink())
    before = store.desk("acme").open_count
    ticket = next(t for t in store.all_tickets() if not t.is_done)
    closed = await store.adapter("acme").close(ticket.key.native_id)
    store.upsert([closed])
    assert store.desk("acme").open_count == before - 1
    store.remove([ticket.key])
    assert store.desk("acme").open_count == before - 1
    assert store.desk("acme").ticket_count == 5


async def test_details_are_cached_and_bounded(harness: Any) -> None:
    harness.add_desk("acme", harness.make_desk(tickets=3))
    store = make_store(harness)
    detail = await store.adapter("acme").get_ticket("1")
    store.apply_detail(detail)
    assert store.detail(detail.ticket.key) is detail
    for number in range(DETAIL_CACHE_SIZE):
        key = TicketKey("acme", f"x{number}")
        store.apply_detail(
            detail.model_copy(update={"ticket": detail.ticket.model_copy(update={"key": key})})
        )
    assert store.detail(detail.ticket.key) is None
    store.forget_detail(TicketKey("acme", "x5"))
    assert store.detail(TicketKey("acme", "x5")) is None


def test_error_descriptions() -> None:
    assert health_state_for(InvalidInput("acme", "status_id", "no such status")) is (
        HealthState.ERROR
    )
    assert describe_error(RateLimited("acme", "GET x: slow", 30)) == (
        "GET x: slow (retry after 30 s)"
    )
    assert describe_error(ValueError("bad\x1b]52;c;eA==\x07 payload")) == (
        "unexpected ValueError: bad payload"
    )


def test_pages_keyed_to_another_connection_are_dropped(harness: Any) -> None:
    harness.add_desk("acme", harness.make_desk(tickets=1))
    harness.add_desk("globex", harness.make_desk(tickets=1))
    store = make_store(harness)
    run = store.begin_sync("acme")
    stray = Ticket(
        key=TicketKey("globex", "1"),
        display_id="1",
        subject="not mine",
        created=harness.now,
        updated=harness.now,
    )
    assert store.apply_page(run, TicketPage(tickets=(stray,), offset=0)) == []
    assert store.get(stray.key) is None
