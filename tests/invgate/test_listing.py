"""Each list source with its own paging style, hydration in batches, and the scalars read
whatever type an instance writes them as."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.errors import InvalidInput
from adapters.invgate.adapter import HYDRATE_BATCH, InvGateAdapter
from adapters.invgate.sim_data.records import ACTIVE
from adapters.invgate.simulator import server as server_module
from adapters.model import Ticket, TicketQuery, Visibility
from tests.invgate.conftest import MakeAdapter, MakeSim, Sim


async def listing(adapter: InvGateAdapter, **query: object) -> tuple[list[Ticket], list[int]]:
    tickets: list[Ticket] = []
    offsets: list[int] = []
    async for page in adapter.list_tickets(TicketQuery(**query)):  # type: ignore[arg-type]
        tickets.extend(page.tickets)
        offsets.append(page.offset)
    return tickets, offsets


def endpoints(sim: Sim) -> list[str]:
    return [endpoint for _, endpoint in sim.server.calls]


async def test_default_lists_every_request_by_status_with_offsets(
    invgate: InvGateAdapter, sim: Sim
) -> None:
    tickets, offsets = await listing(invgate, page_size=30)
    assert sorted(int(t.key.native_id) for t in tickets) == sorted(sim.desk.requests)
    assert offsets == [0, 30, 60]
    calls = endpoints(sim)
    assert calls.count("incidents.by.status") == 3
    assert "incidents.by.helpdesk" not in calls


async def test_scalars_read_alike_in_both_modes(invgate: InvGateAdapter, sim: Sim) -> None:
    tickets, _ = await listing(invgate, page_size=100)
    for ticket in tickets:
        request = sim.desk.requests[int(ticket.key.native_id)]
        assert ticket.created == datetime.fromtimestamp(request.created_at, UTC)
        assert ticket.status is not None and ticket.status.id == str(request.status_id)
        assert (ticket.assignee.id if ticket.assignee else None) == (
            str(request.assigned_id) if request.assigned_id else None
        )
        assert ticket.display_id == f"HL-#{request.id}"


async def test_open_only_lists_active_statuses(invgate: InvGateAdapter, sim: Sim) -> None:
    tickets, _ = await listing(invgate, include_done=False)
    active = {r.id for r in sim.desk.requests.values() if r.status_id in ACTIVE}
    assert {int(t.key.native_id) for t in tickets} == active
    assert all(not t.is_done for t in tickets)


async def test_hydration_in_batches(invgate: InvGateAdapter, sim: Sim) -> None:
    await listing(invgate, page_size=80)
    hydrations = endpoints(sim).count("incidents")
    assert hydrations == -(-80 // HYDRATE_BATCH)


async def test_helpdesks_setting_lists_open_requests_by_helpdesk(
    make_sim: MakeSim, make_adapter: MakeAdapter
) -> None:
    sim = make_sim()
    async with make_adapter(sim, helpdesks=[2]) as adapter:
        tickets, offsets = await listing(adapter, include_done=False, page_size=10)
    within = {2, 21, 22}
    expected = {
        r.id
        for r in sim.desk.requests.values()
        if r.status_id in ACTIVE and r.assigned_group_id in within
    }
    assert {int(t.key.native_id) for t in tickets} == expected
    assert endpoints(sim).count("incidents.by.helpdesk") == 1  # no paging: one call
    assert offsets == list(range(0, len(expected), 10))


async def test_helpdesks_setting_with_done_filters_status_listing(
    make_sim: MakeSim, make_adapter: MakeAdapter
) -> None:
    sim = make_sim()
    async with make_adapter(sim, helpdesks=[3]) as adapter:
        tickets, _ = await listing(adapter, page_size=25)
    expected = {r.id for r in sim.desk.requests.values() if r.assigned_group_id in (3, 31)}
    assert {int(t.key.native_id) for t in tickets} == expected


async def test_one_agent_uses_page_keys(invgate: InvGateAdapter, sim: Sim) -> None:
    agent = max(
        {r.assigned_id for r in sim.desk.requests.values() if r.status_id in ACTIVE} - {None},
        key=lambda a: sum(
            1 for r in sim.desk.requests.values() if r.assigned_id == a and r.status_id in ACTIVE
        ),
    )
    expected = {
        r.id for r in sim.desk.requests.values() if r.assigned_id == agent and r.status_id in ACTIVE
    }
    assert len(expected) > 2
    tickets, offsets = await listing(
        invgate, assignee_ids=(str(agent),), include_done=False, page_size=2
    )
    assert {int(t.key.native_id) for t in tickets} == expected
    assert len(tickets) == len(expected)  # no duplicates
    assert endpoints(sim).count("incidents.by.agent") == len(offsets) == -(-len(expected) // 2)
    assert "incidents" not in endpoints(sim)  # the requests come inline


async def test_view_setting_lists_the_view(make_sim: MakeSim, make_adapter: MakeAdapter) -> None:
    sim = make_sim()
    async with make_adapter(sim, view_id=2) as adapter:
        tickets, _ = await listing(adapter, page_size=7)
    expected = {
        r.id for r in sim.desk.requests.values() if r.status_id in ACTIVE and r.assigned_id is None
    }
    assert {int(t.key.native_id) for t in tickets} == expected
    assert all(t.assignee is None for t in tickets)
    assert "incidents.details.by.view" in endpoints(sim)


async def test_view_refresh_rehydrates_only_what_changed(
    make_sim: MakeSim, make_adapter: MakeAdapter
) -> None:
    sim = make_sim()
    async with make_adapter(sim, view_id=4) as adapter:
        first, _ = await listing(adapter)
        assert len(first) == len(sim.desk.requests)
        hydrated = endpoints(sim).count("incidents")
        sim.server.calls.clear()
        await adapter.add_post("5", "a change", Visibility.PRIVATE)
        sim.desk.requests[9].last_update += 60
        sim.server.calls.clear()
        again, _ = await listing(adapter)
    assert hydrated == -(-len(first) // HYDRATE_BATCH)
    assert endpoints(sim) == ["incidents.details.by.view", "incidents"]
    assert len(again) == len(first)
    changed = {t.key.native_id: t for t in again}
    assert changed["9"].updated > {t.key.native_id: t for t in first}["9"].updated


async def test_view_without_details_falls_back_to_offsets(
    make_sim: MakeSim, make_adapter: MakeAdapter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(server_module.ENDPOINTS, "incidents.details.by.view")
    sim = make_sim()
    async with make_adapter(sim, view_id=1) as adapter:
        tickets, offsets = await listing(adapter, page_size=10)
    expected = {r.id for r in sim.desk.requests.values() if r.status_id in ACTIVE}
    assert {int(t.key.native_id) for t in tickets} == expected
    assert endpoints(sim).count("incidents.by.view") == len(offsets)


async def test_unknown_filter_values_are_invalid_input(invgate: InvGateAdapter) -> None:
    with pytest.raises(InvalidInput) as caught:
        await listing(invgate, status_ids=("99",))
    assert caught.value.field == "status_ids"
    with pytest.raises(InvalidInput) as caught:
        await listing(invgate, group_ids=("999",))
    assert caught.value.field == "group_ids"


async def test_one_customer_uses_their_open_requests(invgate: InvGateAdapter, sim: Sim) -> None:
    customer = sim.desk.requests[3].user_id
    expected = {
        r.id for r in sim.desk.requests.values() if r.user_id == customer and r.status_id in ACTIVE
    }
    tickets, _ = await listing(
        invgate, requester_ids=(str(customer),), include_done=False, page_size=1
    )
    assert {int(t.key.native_id) for t in tickets} == expected
    assert endpoints(sim).count("incidents.by.customer") == max(1, len(expected))
