"""Keeping in step cheaply: a saved view lists changes since a watermark (the desk's own
last-update clock, with an overlap), every connection counts and lists IDs without
hydrating, and a connection without a view says it cannot list changes."""

from __future__ import annotations

import pytest

from adapters.errors import InvalidInput
from adapters.invgate.adapter import InvGateAdapter, InvGateViewAdapter
from adapters.invgate.sim_data.records import ACTIVE
from adapters.model import NewTicket, Ticket, TicketPage, TicketQuery, Visibility
from tests.invgate.conftest import MakeAdapter, MakeSim, Sim


async def pages(adapter: InvGateAdapter, **query: object) -> list[TicketPage]:
    return [page async for page in adapter.list_tickets(TicketQuery(**query))]  # type: ignore[arg-type]


def tickets(listed: list[TicketPage]) -> list[Ticket]:
    return [ticket for page in listed for ticket in page.tickets]


def endpoints(sim: Sim) -> list[str]:
    return [endpoint for _, endpoint in sim.server.calls]


async def test_a_view_lists_changes_since_its_watermark(
    make_sim: MakeSim, make_adapter: MakeAdapter
) -> None:
    sim = make_sim()
    async with make_adapter(sim, view_id=4) as adapter:
        assert isinstance(adapter, InvGateViewAdapter)
        assert adapter.capabilities.listing.changed_since.supported
        full = await pages(adapter)
        watermark = full[-1].watermark
        newest = max(r.last_update for r in sim.desk.requests.values())
        assert watermark == str(newest)
        await adapter.add_post("7", "changed after the listing", Visibility.PRIVATE)
        created = await adapter.create_ticket(
            NewTicket(
                subject="Fresh", body="New one", requester_name="Ann Lee",
                requester_email="ann@example.test", group_id="1",
            )
        )  # fmt: skip
        sim.server.calls.clear()
        changes = await pages(adapter, changed_since=watermark)
    found = {t.key.native_id for t in tickets(changes)}
    assert {"7", created.ticket.key.native_id} <= found
    in_overlap = {str(r.id) for r in sim.desk.requests.values() if r.last_update >= newest - 300}
    assert found == in_overlap
    assert endpoints(sim).count("incidents.details.by.view") == 1
    assert changes[-1].watermark is not None and int(changes[-1].watermark) > newest
    with pytest.raises(InvalidInput) as caught:
        await pages(adapter, changed_since="yesterday")
    assert caught.value.field == "changed_since"


async def test_without_a_view_changes_are_not_listed_natively(
    invgate: InvGateAdapter, sim: Sim
) -> None:
    assert not invgate.capabilities.listing.changed_since.supported
    assert "view_id" in invgate.capabilities.listing.changed_since.reason
    listed = await pages(invgate, changed_since="123")
    assert all(page.watermark is None for page in listed)
    assert len(tickets(listed)) == len(sim.desk.requests)


async def test_count_and_ids_without_hydrating(invgate: InvGateAdapter, sim: Sim) -> None:
    assert await invgate.count_tickets() == len(sim.desk.requests)
    active = {str(r.id) for r in sim.desk.requests.values() if r.status_id in ACTIVE}
    assert await invgate.count_tickets(TicketQuery(include_done=False)) == len(active)
    sim.server.calls.clear()
    ids = [i async for batch in invgate.list_ticket_ids() for i in batch]
    assert sorted(ids, key=int) == sorted(map(str, sim.desk.requests), key=int)
    assert endpoints(sim) == ["incidents.by.status"]  # one page of IDs, nothing hydrated


async def test_helpdesk_and_view_counts_and_ids(
    make_sim: MakeSim, make_adapter: MakeAdapter
) -> None:
    sim = make_sim()
    query = TicketQuery(include_done=False)
    async with make_adapter(sim, helpdesks=[4]) as adapter:
        expected = {
            str(r.id)
            for r in sim.desk.requests.values()
            if r.status_id in ACTIVE and r.assigned_group_id in (4, 41, 42)
        }
        assert await adapter.count_tickets(query) == len(expected)
        assert {i async for batch in adapter.list_ticket_ids(query) for i in batch} == expected
        assert await adapter.count_tickets() is None  # finished ones too: no one-call count
    async with make_adapter(sim, view_id=2) as viewer:
        unassigned = {
            str(r.id)
            for r in sim.desk.requests.values()
            if r.status_id in ACTIVE and r.assigned_id is None
        }
        assert {i async for batch in viewer.list_ticket_ids() for i in batch} == unassigned
