"""The contract every desk keeps, run for every registered vendor and the test vendor.

A test here may use only the :class:`adapters.base.Adapter` API, the vendor's simulator
through its registry record, and the vendor's contract profile; whatever is vendor-shaped
belongs in ``tests/<vendor>/``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from adapters.base import (
    Adapter,
    AuthFailed,
    DeskUnavailable,
    InvalidInput,
    NotFound,
    ProtocolError,
    RateLimited,
    Unsupported,
)
from adapters.model import (
    UNASSIGNED,
    Change,
    FieldType,
    HealthState,
    NewTicket,
    Ticket,
    TicketDetail,
    TicketQuery,
    Visibility,
)
from tests.contract.conftest import Desk


async def listing(adapter: Adapter, **query: Any) -> list[Ticket]:
    tickets: list[Ticket] = []
    async for page in adapter.list_tickets(TicketQuery(**query)):
        tickets.extend(page.tickets)
    return tickets


async def open_ticket(adapter: Adapter) -> Ticket:
    return next(t for t in await listing(adapter, page_size=100) if not t.is_done)


# --------------------------------------------------------------------------------------
# Health and listing
# --------------------------------------------------------------------------------------


async def test_check_ok(desk: Desk) -> None:
    health = await desk.adapter.check()
    assert health.state is HealthState.OK, health.message
    assert health.connection == desk.adapter.name
    assert health.latency_ms is not None and health.latency_ms >= 0


async def test_bad_credentials(desk: Desk) -> None:
    async with desk.make(**desk.profile.bad_credentials) as adapter:
        with pytest.raises(AuthFailed) as caught:
            await adapter.lookups()
        health = await adapter.check()
    assert health.state is HealthState.AUTH_FAILED
    for text in (health.message, str(caught.value)):
        assert desk.profile.secret not in text
        assert str(desk.profile.bad_credentials) not in text


async def test_list_pages_with_totals(desk: Desk) -> None:
    pages = [page async for page in desk.adapter.list_tickets(TicketQuery(page_size=7))]
    tickets = [ticket for page in pages for ticket in page.tickets]
    assert len(pages) == -(-desk.profile.tickets // 7)
    assert [page.offset for page in pages] == list(range(0, desk.profile.tickets, 7))
    assert {page.total for page in pages} == {desk.profile.tickets}
    keys = [ticket.key for ticket in tickets]
    assert len(keys) == len(set(keys)) == desk.profile.tickets
    assert all(key.connection == desk.adapter.name for key in keys)


async def test_get_with_posts_and_custom_fields(desk: Desk) -> None:
    details: list[TicketDetail] = []
    for ticket in (await listing(desk.adapter, page_size=100))[:10]:
        details.append(await desk.adapter.get_ticket(ticket.key.native_id))
        assert details[-1].ticket.key == ticket.key
    full = [d for d in details if d.posts and d.custom_fields]
    assert full, "no ticket among the first ten has both posts and custom fields"
    posts = full[0].posts
    assert [p.created for p in posts] == sorted(p.created for p in posts)
    assert all(post.body for post in posts)
    assert len({field.key for field in full[0].custom_fields}) == len(full[0].custom_fields)


async def test_listing_changes_since_a_watermark(desk: Desk) -> None:
    """What :mod:`tui.sync` builds on: a desk that says it lists changes returns a
    watermark, and a listing from it has every ticket changed since; one that cannot lists
    everything (the fallback), so the change is there too."""
    adapter = desk.adapter
    pages = [page async for page in adapter.list_tickets(TicketQuery())]
    watermark = pages[-1].watermark
    native = adapter.capabilities.listing.changed_since.supported
    assert watermark is not None or not native
    ticket = await open_ticket(adapter)
    lookups = await adapter.lookups()
    fields = adapter.capabilities.update_fields
    change_field, kind, attribute = next(
        picked for picked in _PICKED_FIELDS if picked[0] in fields and getattr(lookups, picked[1])
    )
    current = getattr(ticket, attribute)
    wanted = next(
        choice
        for choice in getattr(lookups, kind)
        if choice.id != (current.id if current else None)
        and not (choice.category and choice.category.is_done)
    )
    await adapter.update(ticket.key.native_id, Change(**{change_field: wanted.id}))
    changed = {t.key: t for t in await listing(adapter, changed_since=watermark)}
    assert getattr(changed[ticket.key], attribute).id == wanted.id
    if not native:
        assert len(changed) == desk.profile.tickets


async def test_count_and_ids_agree_with_the_listing(desk: Desk) -> None:
    listed = {t.key.native_id for t in await listing(desk.adapter)}
    count = await desk.adapter.count_tickets()
    assert count is None or count == len(listed)
    ids: set[str] = set()
    async for batch in desk.adapter.list_ticket_ids():
        ids.update(batch)
    assert ids == listed


# --------------------------------------------------------------------------------------
# Changes
# --------------------------------------------------------------------------------------


# The fields an update may set, in the order the suite tries them: (Change field, Lookups
# attribute, Ticket attribute). A desk sets some of them (Capabilities.update_fields).
_PICKED_FIELDS = (
    ("priority_id", "priorities", "priority"),
    ("type_id", "types", "type"),
    ("group_id", "groups", "group"),
    ("status_id", "statuses", "status"),
)


async def test_update(desk: Desk) -> None:
    ticket = await open_ticket(desk.adapter)
    lookups = await desk.adapter.lookups()
    fields = desk.adapter.capabilities.update_fields
    change_field, kind, attribute = next(
        (
            picked
            for picked in _PICKED_FIELDS
            if picked[0] in fields and getattr(lookups, picked[1])
        ),
        (None, "", ""),
    )
    assert change_field is not None, "the desk can set none of priority, type, group, status"
    current = getattr(ticket, attribute)
    current_id = current.id if current else None
    wanted = next(
        choice
        for choice in getattr(lookups, kind)
        if choice.id != current_id and not (choice.category and choice.category.is_done)
    )
    updated = await desk.adapter.update(ticket.key.native_id, Change(**{change_field: wanted.id}))
    assert getattr(updated, attribute) is not None
    assert getattr(updated, attribute).id == wanted.id
    again = await desk.adapter.get_ticket(ticket.key.native_id)
    assert getattr(again.ticket, attribute) is not None
    assert getattr(again.ticket, attribute).id == wanted.id
    for refused, _, _ in _PICKED_FIELDS:
        if refused not in fields:
            with pytest.raises(Unsupported):
                await desk.adapter.update(ticket.key.native_id, Change(**{refused: "1"}))


async def test_assign(desk: Desk) -> None:
    ticket = await open_ticket(desk.adapter)
    lookups = await desk.adapter.lookups()
    if "assignee_id" in desk.adapter.capabilities.update_fields:
        agent = lookups.agents[0]
        assigned = await desk.adapter.assign(ticket.key.native_id, agent.id, None)
        assert assigned.assignee is not None and assigned.assignee.id == agent.id
        cleared = await desk.adapter.assign(ticket.key.native_id, UNASSIGNED, None)
        assert cleared.assignee is None
    else:
        # A desk that assigns groups only says so for an agent, and assigns the group.
        current = ticket.group.id if ticket.group else None
        group = next(g for g in lookups.groups if g.id != current)
        assigned = await desk.adapter.assign(ticket.key.native_id, None, group.id)
        assert assigned.group is not None and assigned.group.id == group.id
        with pytest.raises(Unsupported):
            await desk.adapter.assign(ticket.key.native_id, UNASSIGNED, None)
    with pytest.raises(InvalidInput):
        await desk.adapter.assign(ticket.key.native_id, None, None)


@pytest.mark.parametrize("visibility", list(Visibility))
async def test_reply_and_note(desk: Desk, visibility: Visibility) -> None:
    ticket = await open_ticket(desk.adapter)
    text = f"contract {visibility.value} post\nsecond line"
    action = "reply" if visibility is Visibility.PUBLIC else "note"
    if not desk.adapter.capabilities.for_action(action).supported:
        with pytest.raises(Unsupported):
            await desk.adapter.add_post(ticket.key.native_id, text, visibility)
        return
    post = await desk.adapter.add_post(ticket.key.native_id, text, visibility)
    assert post.visibility is visibility
    assert post.body == text
    detail = await desk.adapter.get_ticket(ticket.key.native_id)
    assert any(p.body == text and p.visibility is visibility for p in detail.posts)


async def test_close(desk: Desk) -> None:
    ticket = await open_ticket(desk.adapter)
    closed = await desk.adapter.close(ticket.key.native_id, note="closed by the contract")
    assert closed.is_done
    detail = await desk.adapter.get_ticket(ticket.key.native_id)
    assert detail.ticket.is_done
    assert any(
        "closed by the contract" in p.body and p.visibility is Visibility.PRIVATE
        for p in detail.posts
    )


async def test_merge(desk: Desk) -> None:
    capability = desk.adapter.capabilities.merge
    target, *sources = [t for t in await listing(desk.adapter, page_size=100) if not t.is_done][:3]
    source_ids = [s.key.native_id for s in sources]
    results = await desk.adapter.merge(target.key.native_id, source_ids)
    assert [r.key for r in results] == [*(s.key for s in sources), target.key]
    assert all(r.ok for r in results), [r.message for r in results]
    for source in sources:
        assert (await desk.adapter.get_ticket(source.key.native_id)).ticket.is_done
    if capability.emulated:
        posts = (await desk.adapter.get_ticket(target.key.native_id)).posts
        copied = [p for p in posts if p.body.startswith("Merged from")]
        assert len(copied) == len(sources)
        assert all(p.visibility is Visibility.PRIVATE for p in copied)
    with pytest.raises(InvalidInput):
        await desk.adapter.merge(target.key.native_id, [target.key.native_id])


async def test_set_custom_fields(desk: Desk) -> None:
    label, value = desk.profile.custom_field or (None, "contract 42")
    for ticket in await listing(desk.adapter, page_size=100):
        fields = (await desk.adapter.get_ticket(ticket.key.native_id)).custom_fields
        text = next(
            (
                f
                for f in fields
                if f.type is FieldType.TEXT and f.editable and label in (None, f.label)
            ),
            None,
        )
        if text is not None:
            break
    else:
        raise AssertionError("no ticket has the editable text field")
    after = await desk.adapter.set_custom_fields(ticket.key.native_id, {text.key: value})
    assert {f.key: f.value for f in after}[text.key] == value
    read = (await desk.adapter.get_ticket(ticket.key.native_id)).custom_fields
    assert {f.key: f.value for f in read}[text.key] == value
    others = {f.key: f.value for f in fields if f.key != text.key}
    assert {f.key: f.value for f in read if f.key != text.key} == others


async def test_create(desk: Desk) -> None:
    lookups = await desk.adapter.lookups()
    new = NewTicket(
        subject="Contract ticket",
        body="Opened by the contract suite.",
        requester_name="Casey Contract",
        requester_email="casey@example.test",
        group_id=lookups.groups[0].id,
    )
    if not desk.adapter.capabilities.create.supported:
        with pytest.raises(Unsupported):
            await desk.adapter.create_ticket(new)
        return
    detail = await desk.adapter.create_ticket(new)
    assert detail.ticket.subject == "Contract ticket"
    assert detail.ticket.group is not None and detail.ticket.group.id == new.group_id
    again = await desk.adapter.get_ticket(detail.ticket.key.native_id)
    assert again.ticket.key == detail.ticket.key


# --------------------------------------------------------------------------------------
# Failures
# --------------------------------------------------------------------------------------


async def test_not_found(desk: Desk) -> None:
    with pytest.raises(NotFound) as caught:
        await desk.adapter.get_ticket("987654")
    assert caught.value.connection == desk.adapter.name


async def test_invalid_input(desk: Desk) -> None:
    ticket = await open_ticket(desk.adapter)
    with pytest.raises(InvalidInput) as caught:
        await desk.adapter.update(ticket.key.native_id, Change(status_id="no-such-status"))
    assert caught.value.field == "status_id"
    with pytest.raises(InvalidInput):
        await desk.adapter.add_post(ticket.key.native_id, "   ", Visibility.PRIVATE)
    with pytest.raises(InvalidInput):
        await desk.adapter.update(ticket.key.native_id, Change())


@pytest.mark.parametrize(
    ("mode", "error"),
    [
        ("rate_limited", RateLimited),
        ("unavailable", DeskUnavailable),
        ("malformed", ProtocolError),
    ],
)
async def test_faults_are_typed(desk: Desk, mode: str, error: type[Exception]) -> None:
    ticket = await open_ticket(desk.adapter)
    desk.faults.mode = mode
    with pytest.raises(error) as caught:
        await desk.adapter.get_ticket(ticket.key.native_id)
    assert desk.faults.requests >= 1
    assert desk.profile.secret not in str(caught.value)
    health = await desk.adapter.check()
    assert health.state is not HealthState.OK


_ACTIONS: dict[str, Callable[[Adapter, str], Awaitable[object]]] = {
    "update": lambda a, t: a.update(t, Change(subject="unsupported")),
    "assign": lambda a, t: a.assign(t, UNASSIGNED, None),
    "close": lambda a, t: a.close(t),
    "merge": lambda a, t: a.merge(t, ["1"]),
    "reply": lambda a, t: a.add_post(t, "unsupported", Visibility.PUBLIC),
    "note": lambda a, t: a.add_post(t, "unsupported", Visibility.PRIVATE),
    "custom_fields": lambda a, t: a.set_custom_fields(t, {"x": "y"}),
    "create": lambda a, t: a.create_ticket(
        NewTicket(subject="s", body="b", requester_name="n", requester_email="e@x", group_id="1")
    ),
}


async def test_every_no_raises_unsupported_with_its_reason(desk: Desk) -> None:
    capabilities = desk.adapter.capabilities
    refused = [a for a in _ACTIONS if not capabilities.for_action(a).supported]
    ticket = await open_ticket(desk.adapter)
    for action in refused:
        reason = capabilities.for_action(action).reason
        assert reason, f"{action} says no without a reason"
        with pytest.raises(Unsupported) as caught:
            await _ACTIONS[action](desk.adapter, ticket.key.native_id)
        assert reason in caught.value.message
