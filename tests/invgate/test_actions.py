"""InvGate's desk actions through the seam every front end uses (``Adapter.run_action``),
the standard actions built on its optional operations (time entries, attachments), and
the operations it refuses with their reasons."""

from __future__ import annotations

import pytest

from adapters.errors import InvalidInput, Unsupported
from adapters.invgate.adapter import InvGateAdapter
from adapters.invgate.sim_data.records import (
    ACTIVE,
    S_CANCELLED,
    S_CLOSED,
    S_OPEN,
    S_SOLVED,
    S_WAITING,
    WAIT_DATE,
)
from tests.invgate.conftest import Sim


def active(sim: Sim, skip: int = 0) -> str:
    return str(sorted(r.id for r in sim.desk.requests.values() if r.status_id in ACTIVE)[skip])


def test_every_seed_command_is_offered(invgate: InvGateAdapter) -> None:
    offered = {spec.id for spec in invgate.actions()}
    assert {
        "propose-solution", "accept-solution", "reject-solution", "cancel", "reject", "reopen",
        "wait-customer", "wait-agent", "wait-until", "wait-external-entity", "wait-request",
        "link", "linked", "observe", "attributes", "clear-field", "users", "categories",
        "time-entries", "log-time", "delete-time-entry", "attachments", "download", "lookups",
    } <= offered  # fmt: skip
    assert "upload" not in offered


async def test_solution_round_trip(invgate: InvGateAdapter, sim: Sim) -> None:
    number = active(sim)
    proposed = await invgate.run_action("propose-solution", number, {"solution": "Patched."})
    assert proposed.ticket is not None and proposed.ticket.status is not None
    assert sim.desk.requests[int(number)].status_id == S_SOLVED
    with pytest.raises(InvalidInput) as caught:
        await invgate.run_action("accept-solution", number, {"rating": "2"})
    assert caught.value.field == "comment"
    accepted = await invgate.run_action(
        "accept-solution", number, {"rating": "2", "comment": "Took long"}
    )
    assert "2 stars" in accepted.message
    assert sim.desk.requests[int(number)].status_id == S_CLOSED
    reopened = await invgate.run_action("reopen", number, {})
    assert reopened.ticket is not None and not reopened.ticket.is_done
    assert sim.desk.requests[int(number)].status_id == S_OPEN


async def test_waiting_and_cancel_actions(invgate: InvGateAdapter, sim: Sim) -> None:
    first, second, third = active(sim), active(sim, 1), active(sim, 2)
    await invgate.run_action("wait-until", first, {"until": "2099-01-31"})
    assert sim.desk.requests[int(first)].waiting_for == WAIT_DATE
    await invgate.run_action("wait-request", second, {"request": first})
    assert sim.desk.requests[int(second)].status_id == S_WAITING
    with pytest.raises(InvalidInput):
        await invgate.run_action("wait-external-entity", third, {"entity": 1.5})
    await invgate.run_action("cancel", third, {"reason": "Duplicate"})
    assert sim.desk.requests[int(third)].status_id == S_CANCELLED


async def test_links_observers_attributes_and_fields(invgate: InvGateAdapter, sim: Sim) -> None:
    first, second, third = active(sim), active(sim, 1), active(sim, 2)
    await invgate.run_action("link", first, {"requests": f"{second}, {third}"})
    listed = await invgate.run_action("linked", first, {})
    assert {line.split()[0] for line in listed.lines} >= {second, third}
    lookups = await invgate.lookups()
    observed = await invgate.run_action("observe", first, {"agent": lookups.agents[0].id})
    assert int(lookups.agents[0].id) in sim.desk.requests[int(first)].observers
    assert observed.message.endswith("observers")
    changed = await invgate.run_action(
        "attributes", first, {"category": "Network & connectivity › VPN", "source": "Chat"}
    )
    request = sim.desk.requests[int(first)]
    assert (request.category_id, request.source_id) == (31, 4)
    assert changed.ticket is not None
    with pytest.raises(InvalidInput) as caught:
        await invgate.run_action("attributes", first, {"category": "Gardening"})
    assert "Access" in caught.value.reason
    await invgate.set_custom_fields(first, {"1": "to clear"})
    await invgate.run_action("clear-field", first, {"field": "External reference"})
    assert 1 not in sim.desk.requests[int(first)].custom_fields


async def test_listings_without_a_ticket(invgate: InvGateAdapter) -> None:
    users = await invgate.run_action("users", None, {"matching": "harbourline"})
    assert users.lines and all("agent" in line for line in users.lines)
    categories = await invgate.run_action("categories", None, {})
    assert "31  Network & connectivity › VPN" in categories.lines


async def test_standard_time_entry_and_attachment_actions(
    invgate: InvGateAdapter, sim: Sim
) -> None:
    number = active(sim)
    logged = await invgate.run_action(
        "log-time", number, {"worked": 5400, "note": "On site", "date": "2026-11-20"}
    )
    assert logged.created_id is not None
    listed = await invgate.run_action("time-entries", number, {})
    assert any(line.startswith(f"{logged.created_id}  2026-11-20  1h30m") for line in listed.lines)
    await invgate.run_action("delete-time-entry", number, {"entry": logged.created_id})
    with_files = next(
        r
        for r in sim.desk.requests.values()
        if any(c.attached_files for c in sim.desk.kids(r).comments)
    )
    files = await invgate.run_action("attachments", str(with_files.id), {})
    first_id = files.lines[0].split()[0]
    fetched = await invgate.run_action("download", str(with_files.id), {"attachment": first_id})
    assert fetched.file is not None
    assert fetched.file.data == sim.desk.attachments[int(first_id)].content
    assert ("GET", "uploads") in sim.server.calls


async def test_refused_operations_say_why(invgate: InvGateAdapter, sim: Sim) -> None:
    with pytest.raises(Unsupported, match="cannot delete a request"):
        await invgate.delete_ticket(active(sim))
    with pytest.raises(Unsupported, match="no request search"):
        await invgate.search_tickets("printer")
    with pytest.raises(Unsupported, match="only with a new comment"):
        await invgate.upload_attachment(active(sim), "x.txt", b"x")


async def test_new_ticket_fields_are_every_field_unset(invgate: InvGateAdapter) -> None:
    fields = await invgate.new_ticket_fields()
    assert [f.label for f in fields][:3] == ["External reference", "Affected users", "Impact"]
    assert all(f.value in (None, False) for f in fields)
