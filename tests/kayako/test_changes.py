"""Listing changes since a watermark on Kayako: newest activity first, stopping at the
watermark less the overlap, one request for a handful of changes, and a count for
reconciliation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import pytest

from adapters.base import InvalidInput
from adapters.kayako import KayakoAdapter
from adapters.kayako.adapter import CHANGED_SINCE_OVERLAP
from adapters.kayako.sim_data import KayakoDesk, generate_desk
from adapters.kayako.simulator import app_for_desk
from adapters.model import Change, Ticket, TicketQuery

MakeAdapter = Callable[..., KayakoAdapter]
Scope = MutableMapping[str, Any]
ASGI = Callable[[Scope, Any, Any], Awaitable[None]]


class Counted:
    """The simulator behind a counter of the routes asked for."""

    def __init__(self, desk: KayakoDesk) -> None:
        self.desk = desk
        self.routes: list[str] = []
        self.app = app_for_desk(desk)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            query = scope["query_string"].decode()
            route = query.split("&")[0].removeprefix("e=")
            self.routes.append(route.replace("%2F", "/"))
        await self.app(scope, receive, send)

    def listings(self) -> list[str]:
        return [r for r in self.routes if "ListAll" in r or "GetTicketCount" in r]


@pytest.fixture
def desk() -> KayakoDesk:
    built = generate_desk(tickets=300, seed=11)
    # The desk's clock an hour past its history, moved by the tests.
    clock = [built.now + 3600]
    built.clock = lambda: clock[0]
    built.test_clock = clock  # type: ignore[attr-defined]
    return built


async def listing(adapter: KayakoAdapter, query: TicketQuery) -> tuple[list[Ticket], str | None]:
    tickets: list[Ticket] = []
    watermark = None
    async for page in adapter.list_tickets(query):
        tickets.extend(page.tickets)
        watermark = page.watermark
    return tickets, watermark


async def test_a_full_listing_returns_the_newest_activity_as_watermark(
    make_adapter: MakeAdapter, desk: KayakoDesk
) -> None:
    async with make_adapter(Counted(desk)) as adapter:
        tickets, watermark = await listing(adapter, TicketQuery(sort_field="subject"))
    assert len(tickets) == len(desk.tickets)
    assert watermark == str(max(t.lastactivity for t in desk.tickets.values()))


async def test_changes_since_find_edits_new_tickets_and_moves_in_one_request(
    make_adapter: MakeAdapter, desk: KayakoDesk
) -> None:
    counted = Counted(desk)
    async with make_adapter(counted) as adapter:
        _, watermark = await listing(adapter, TicketQuery())
        assert watermark is not None
        oldest = sorted(desk.tickets.values(), key=lambda t: t.lastactivity)[:3]
        await adapter.update(str(oldest[0].id), Change(subject="edited elsewhere"))
        await adapter.update(str(oldest[1].id), Change(priority_id="1"))
        other = next(d for d in desk.departments if d != oldest[2].departmentid)
        await adapter.update(str(oldest[2].id), Change(group_id=str(other)))
        counted.routes.clear()
        changed, new_watermark = await listing(adapter, TicketQuery(changed_since=watermark))
    ids = {t.key.native_id for t in changed}
    assert {str(t.id) for t in oldest} <= ids
    floor = int(watermark) - CHANGED_SINCE_OVERLAP
    assert all(int(t.updated.timestamp()) >= floor for t in changed)
    assert len(changed) < 30  # the changes and the overlap, not the desk
    assert new_watermark == str(desk.test_clock[0])  # type: ignore[attr-defined]
    # One page, no count: the cost follows the changes.
    assert len(counted.listings()) == 1
    assert "lastactivity/DESC" in counted.listings()[0]


async def test_changes_beyond_a_page_are_read_page_by_page_and_stop_at_the_watermark(
    make_adapter: MakeAdapter, desk: KayakoDesk
) -> None:
    counted = Counted(desk)
    async with make_adapter(counted) as adapter:
        _, watermark = await listing(adapter, TicketQuery())
        assert watermark is not None
        for ticket in list(desk.tickets.values())[:12]:
            desk.test_clock[0] += 1  # type: ignore[attr-defined]
            desk.touch(ticket)
        counted.routes.clear()
        changed, _ = await listing(adapter, TicketQuery(changed_since=watermark, page_size=5))
    assert {str(t.id) for t in list(desk.tickets.values())[:12]} <= {
        t.key.native_id for t in changed
    }
    pages = len(counted.listings())
    assert 3 <= pages <= len(changed) // 5 + 1


async def test_a_change_stamped_before_the_watermark_is_caught_by_the_overlap(
    make_adapter: MakeAdapter, desk: KayakoDesk
) -> None:
    async with make_adapter(Counted(desk)) as adapter:
        _, watermark = await listing(adapter, TicketQuery())
        assert watermark is not None
        # The server's clock was put back a minute (or a transaction committed late):
        # the edit is stamped before the watermark we hold.
        desk.test_clock[0] = int(watermark) - 60  # type: ignore[attr-defined]
        old = min(desk.tickets.values(), key=lambda t: t.lastactivity)
        await adapter.update(str(old.id), Change(subject="stamped late"))
        assert old.lastactivity == int(watermark) - 60
        changed, new_watermark = await listing(adapter, TicketQuery(changed_since=watermark))
    found = [t for t in changed if t.key.native_id == str(old.id)]
    assert [t.subject for t in found] == ["stamped late"]
    assert new_watermark == watermark  # the watermark never moves back


async def test_a_watermark_that_is_not_kayakos_is_invalid_input(
    make_adapter: MakeAdapter, desk: KayakoDesk
) -> None:
    async with make_adapter(Counted(desk)) as adapter:
        with pytest.raises(InvalidInput, match="changed_since"):
            await listing(adapter, TicketQuery(changed_since="2026-01-01T00:00:00Z"))


async def test_count_follows_the_listing_filters(
    make_adapter: MakeAdapter, desk: KayakoDesk
) -> None:
    async with make_adapter(Counted(desk)) as adapter:
        everything, _ = await listing(adapter, TicketQuery())
        assert await adapter.count_tickets() == len(everything)
        open_only, _ = await listing(adapter, TicketQuery(include_done=False))
        assert await adapter.count_tickets(TicketQuery(include_done=False)) == len(open_only)
        desk.delete_ticket(next(iter(desk.tickets.values())))
        assert await adapter.count_tickets() == len(everything) - 1


async def test_ids_are_listed_without_the_watermark(
    make_adapter: MakeAdapter, desk: KayakoDesk
) -> None:
    async with make_adapter(Counted(desk)) as adapter:
        ids: set[str] = set()
        async for batch in adapter.list_ticket_ids(TicketQuery(changed_since="1")):
            ids.update(batch)
    assert ids == {str(i) for i in desk.tickets}


def test_kayako_says_it_lists_changes_but_not_ids() -> None:
    listing_caps = KayakoAdapter.capabilities.listing
    assert listing_caps.changed_since.supported
    assert not listing_caps.id_listing.supported
    assert "GetTicketCount" in listing_caps.id_listing.reason
