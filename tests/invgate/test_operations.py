"""Every request command of the seed through the adapter, against the simulator: the
author of writes, solutions and their acceptance, the waiting states, cancel, reject and
reopen, status changes through their endpoints, links, custom fields, time tracking."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from adapters.errors import InvalidInput, NotFound
from adapters.invgate.adapter import InvGateAdapter
from adapters.invgate.sim_data.records import (
    ACTIVE,
    S_CANCELLED,
    S_CLOSED,
    S_NEW,
    S_OPEN,
    S_REJECTED,
    S_SOLVED,
    S_WAITING,
    WAIT_AGENT,
    WAIT_CUSTOMER,
    WAIT_DATE,
    WAIT_ENTITY,
    WAIT_REQUEST,
)
from adapters.model import Change, FieldType, NewTicket, NewTimeEntry, PostKind, Visibility
from tests.invgate.conftest import MakeAdapter, MakeSim, Sim


def active(sim: Sim, *, skip: int = 0) -> str:
    ids = sorted(r.id for r in sim.desk.requests.values() if r.status_id in ACTIVE)
    return str(ids[skip])


def finished(sim: Sim, status: int) -> str:
    return str(next(r.id for r in sim.desk.requests.values() if r.status_id == status))


# --------------------------------------------------------------------------------------
# The author of writes
# --------------------------------------------------------------------------------------


async def test_api_user_is_looked_up_once(invgate: InvGateAdapter, sim: Sim) -> None:
    number = active(sim)
    await invgate.add_post(number, "first", Visibility.PRIVATE)
    await invgate.add_post(number, "second", Visibility.PRIVATE)
    assert [e for _, e in sim.server.calls].count("user.by") == 1
    comments = sim.desk.kids(sim.desk.requests[int(number)]).comments
    assert comments[-1].author_id == 1  # the API user


async def test_acting_user_writes(make_sim: MakeSim, make_adapter: MakeAdapter) -> None:
    sim = make_sim()
    async with make_adapter(sim, acting_user_id=4) as adapter:
        post = await adapter.add_post(active(sim), "as agent 4", Visibility.PUBLIC)
    assert post.author is not None and post.author.id == "4"
    assert "user.by" not in [e for _, e in sim.server.calls]


async def test_missing_author_is_a_clear_error(
    make_sim: MakeSim, make_adapter: MakeAdapter
) -> None:
    sim = make_sim()
    sim.desk.users[1].is_deleted = True  # the API user is not a user the API finds
    async with make_adapter(sim) as adapter:
        with pytest.raises(InvalidInput) as caught:
            await adapter.add_post(active(sim), "nobody", Visibility.PUBLIC)
    assert caught.value.field == "acting_user_id"
    assert "set acting_user_id" in caught.value.reason


# --------------------------------------------------------------------------------------
# Conversation
# --------------------------------------------------------------------------------------


async def test_reply_and_note_are_html_and_read_back(invgate: InvGateAdapter, sim: Sim) -> None:
    number = active(sim)
    text = "Try <Ctrl> & <Alt>\nthen reboot"
    reply = await invgate.add_post(number, text, Visibility.PUBLIC)
    note = await invgate.add_post(number, "internal only", Visibility.PRIVATE)
    assert (reply.body, reply.visibility, reply.kind) == (text, Visibility.PUBLIC, PostKind.REPLY)
    assert (note.visibility, note.kind) == (Visibility.PRIVATE, PostKind.NOTE)
    stored = sim.desk.kids(sim.desk.requests[int(number)]).comments
    assert stored[-2].message == "Try &lt;Ctrl&gt; &amp; &lt;Alt&gt;<br />then reboot"
    assert stored[-1].customer_visible is False


async def test_detail_has_description_comments_solution_files_and_time(
    invgate: InvGateAdapter, sim: Sim
) -> None:
    number = finished(sim, S_CLOSED)
    detail = await invgate.get_ticket(number)
    kinds = [p.kind for p in detail.posts]
    assert detail.posts[0].id == f"request-{number}"
    assert PostKind.RESOLUTION in kinds
    assert PostKind.TIME_ENTRY in kinds
    assert [p.created for p in detail.posts] == sorted(p.created for p in detail.posts)
    with_files = [
        r.id
        for r in sim.desk.requests.values()
        if any(c.attached_files for c in sim.desk.kids(r).comments)
    ]
    files = (await invgate.get_ticket(str(with_files[0]))).posts
    assert any(p.attachments for p in files)


# --------------------------------------------------------------------------------------
# Solutions and closing
# --------------------------------------------------------------------------------------


async def test_accept_below_four_needs_a_comment(invgate: InvGateAdapter, sim: Sim) -> None:
    number = active(sim)
    await invgate.propose_solution(number, "Replaced the toner.")
    assert sim.desk.requests[int(number)].status_id == S_SOLVED
    with pytest.raises(InvalidInput) as caught:
        await invgate.accept_solution(number, 3)
    assert caught.value.field == "comment"
    # The desk refuses it too (an ERROR body with HTTP 200).
    with pytest.raises(InvalidInput) as refused:
        await invgate.call("PUT", "incident.solution.accept", {"id": number, "rating": 2})
    assert "comment is required" in refused.value.reason
    closed = await invgate.accept_solution(number, 3, "Took two visits.")
    assert closed.is_done and closed.status is not None and closed.status.label == "Closed"
    assert sim.desk.requests[int(number)].rating == 3


async def test_reject_solution_reopens(invgate: InvGateAdapter, sim: Sim) -> None:
    number = active(sim)
    await invgate.propose_solution(number, "Should be fixed.")
    ticket = await invgate.reject_solution(number, "Still broken here.")
    assert ticket.status is not None and ticket.status.id == str(S_OPEN)
    with pytest.raises(InvalidInput):
        await invgate.reject_solution(number, "   ")


async def test_close_is_solution_then_acceptance(invgate: InvGateAdapter, sim: Sim) -> None:
    number = active(sim)
    closed = await invgate.close(number, note="done here", resolution="Fixed the mapping.")
    request = sim.desk.requests[int(number)]
    assert closed.is_done and request.status_id == S_CLOSED and request.rating == 5
    comments = sim.desk.kids(request).comments
    assert any(c.is_solution and "Fixed the mapping." in c.message for c in comments)


async def test_close_as_cancel(make_sim: MakeSim, make_adapter: MakeAdapter) -> None:
    sim = make_sim()
    number = active(sim)
    async with make_adapter(sim, close_as="cancel") as adapter:
        closed = await adapter.close(number, resolution="Duplicate of another request")
    assert closed.is_done and sim.desk.requests[int(number)].status_id == S_CANCELLED


async def test_cancel_reject_reopen(invgate: InvGateAdapter, sim: Sim) -> None:
    first, second = active(sim), active(sim, skip=1)
    assert (await invgate.cancel(first, "no longer needed")).is_done
    assert sim.desk.requests[int(first)].status_id == S_CANCELLED
    assert (await invgate.reject(second)).is_done
    assert sim.desk.requests[int(second)].status_id == S_REJECTED
    reopened = await invgate.reopen(first)
    assert not reopened.is_done and sim.desk.requests[int(first)].status_id == S_OPEN
    with pytest.raises(InvalidInput):
        await invgate.reopen(first)  # already open: the desk says so


# --------------------------------------------------------------------------------------
# Waiting states and status changes
# --------------------------------------------------------------------------------------


async def test_every_waiting_state(invgate: InvGateAdapter, sim: Sim) -> None:
    later = datetime.now(UTC) + timedelta(days=2)
    other = active(sim, skip=5)
    steps = [
        (invgate.wait_for_customer, (), WAIT_CUSTOMER),
        (invgate.wait_for_agent, (), WAIT_AGENT),
        (invgate.wait_until, (later,), WAIT_DATE),
        (invgate.wait_for_external_entity, (1,), WAIT_ENTITY),
        (invgate.wait_for_request, (other,), WAIT_REQUEST),
    ]
    for skip, (action, args, waits_for) in enumerate(steps):
        number = active(sim, skip=10 + skip)
        ticket = await action(number, *args)  # type: ignore[operator]
        assert ticket.status is not None and ticket.status.id == str(S_WAITING)
        assert sim.desk.requests[int(number)].waiting_for == waits_for
    with pytest.raises(InvalidInput) as past:
        await invgate.wait_until(active(sim, skip=20), datetime.now(UTC) - timedelta(days=1))
    assert past.value.field == "timestamp"
    closed = next(str(r.id) for r in sim.desk.requests.values() if r.status_id == S_CLOSED)
    with pytest.raises(InvalidInput) as inactive:
        await invgate.wait_until(closed, later)
    assert inactive.value.field == "status_id"
    with pytest.raises(NotFound):
        await invgate.wait_for_external_entity(active(sim, skip=20), 99)


async def test_status_changes_go_through_their_endpoints(invgate: InvGateAdapter, sim: Sim) -> None:
    number = active(sim)
    waiting = await invgate.update(number, Change(status_id=str(S_WAITING)))
    assert waiting.status is not None and waiting.status.id == str(S_WAITING)
    for refused in (S_SOLVED, S_NEW):
        with pytest.raises(InvalidInput) as caught:
            await invgate.update(number, Change(status_id=str(refused)))
        assert caught.value.field == "status_id"
    cancelled = await invgate.update(number, Change(status_id=str(S_CANCELLED)))
    assert cancelled.is_done
    again = await invgate.update(number, Change(status_id=str(S_OPEN)))
    assert again.status is not None and again.status.id == str(S_OPEN)
    puts = [(m, e) for m, e in sim.server.calls if e == "incident" and m == "PUT"]
    assert puts == []  # status never travels in PUT incident


async def test_update_attributes_and_reassign(invgate: InvGateAdapter, sim: Sim) -> None:
    number = active(sim)
    ticket = await invgate.update(number, Change(subject="Renamed", priority_id="5", type_id="3"))
    assert (ticket.subject, ticket.priority.id if ticket.priority else None) == ("Renamed", "5")
    updated = await invgate.update_attributes(number, description="New\ntext", category_id=31)
    request = sim.desk.requests[int(number)]
    assert request.description == "New<br />text" and request.category_id == 31
    assert "Network" in updated.tags[0]
    moved = await invgate.assign(number, "8", "22")
    assert moved.group is not None and moved.group.label == "Infrastructure › Servers"
    assert moved.assignee is not None and moved.assignee.id == "8"
    # An agent outside the current help desk takes the request to one of theirs.
    billing = await invgate.assign(number, "10", None)
    assert billing.group is not None and billing.group.id in ("3", "31")


# --------------------------------------------------------------------------------------
# Links, custom fields, time tracking
# --------------------------------------------------------------------------------------


async def test_links_both_ways(invgate: InvGateAdapter, sim: Sim) -> None:
    first, second = active(sim), active(sim, skip=1)
    assert second in await invgate.link(first, [second])
    assert first in await invgate.linked(second)
    facts = {f.key: f.value for f in (await invgate.get_ticket(first)).custom_fields}
    assert f"#{second} " in str(facts["_links"])
    with pytest.raises(InvalidInput):
        await invgate.link(first, [first])


async def test_merge_links_the_sources(invgate: InvGateAdapter, sim: Sim) -> None:
    target, source = active(sim), active(sim, skip=1)
    results = await invgate.merge(target, [source])
    assert all(r.ok for r in results)
    assert source in await invgate.linked(target)
    assert sim.desk.requests[int(source)].status_id == S_CLOSED


async def test_custom_fields_set_and_clear(invgate: InvGateAdapter, sim: Sim) -> None:
    number = next(
        str(r.id)
        for r in sim.desk.requests.values()
        if r.status_id in ACTIVE and r.category_id in (2, 21, 22)
    )
    fields = await invgate.set_custom_fields(
        number,
        {"1": "REF-9", "2": 12, "3": "High", "4": "Leeds", "5": True, "6": "2026-12-24"},
    )
    shown = {f.key: f.value for f in fields}
    assert shown["1"] == "REF-9" and shown["2"] == 12.0 and shown["3"] == "High"
    assert shown["4"] == "United Kingdom › Leeds" and shown["5"] is True
    stored = sim.desk.requests[int(number)].custom_fields
    assert stored[3] == {"high": "High"}
    select = next(f for f in fields if f.key == "3")
    assert select.type is FieldType.SELECT and "Extensive" in [o.label for o in select.options]
    cleared = await invgate.clear_custom_field(number, "3")
    assert {f.key: f.value for f in cleared}["3"] is None and 3 not in stored
    assert ("DELETE", "incident.custom_field") in sim.server.calls
    for key, bad in (("3", "Enormous"), ("6", "24/12/2026"), ("2", "many"), ("99", "x")):
        with pytest.raises(InvalidInput) as caught:
            await invgate.set_custom_fields(number, {key: bad})
        assert caught.value.field == key


async def test_time_entries_add_and_delete(invgate: InvGateAdapter, sim: Sim) -> None:
    number = active(sim)
    day = date(2026, 11, 2)
    entry = await invgate.add_time_entry(
        number, NewTimeEntry(worked=45 * 60, note="Remote session", day=day, agent_id="5")
    )
    assert (entry.worked, entry.billable, entry.note) == (2700, 2700, "Remote session")
    assert entry.date == datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
    assert entry.agent is not None and entry.agent.id == "5"
    stored = sim.desk.kids(sim.desk.requests[int(number)]).time_entries[-1]
    assert (stored.user_id, stored.end - stored.start) == (5, 2700)
    detail = await invgate.get_ticket(number)
    assert f"time-{entry.id}" in [p.id for p in detail.posts if p.kind is PostKind.TIME_ENTRY]
    await invgate.delete_time_entry(number, entry.id)
    assert entry.id not in [e.id for e in await invgate.list_time_entries(number)]
    with pytest.raises(NotFound):
        await invgate.delete_time_entry(number, entry.id)
    with pytest.raises(InvalidInput):
        await invgate.delete_time_entry(number, "latest")


async def test_create_finds_or_creates_the_customer(invgate: InvGateAdapter, sim: Sim) -> None:
    known = sim.desk.users[101]
    detail = await invgate.create_ticket(
        NewTicket(
            subject="New laptop",
            body="Please order one.",
            requester_name=known.name,
            requester_email=known.email,
            group_id="2",
            assignee_id="7",
        )
    )
    request = sim.desk.requests[int(detail.ticket.key.native_id)]
    assert request.user_id == 101 and request.assigned_group_id == 2 and request.assigned_id == 7
    fresh = await invgate.create_ticket(
        NewTicket(
            subject="Hello",
            body="First time here",
            requester_name="Nova Quinn",
            requester_email="nova@example.test",
            group_id="3",
        )
    )
    assert fresh.ticket.requester is not None and fresh.ticket.requester.name == "Nova Quinn"
