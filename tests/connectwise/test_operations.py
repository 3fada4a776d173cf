"""ConnectWise's own rules: per-board statuses, native merge, notes and their e-mails,
custom fields written whole, create for a contact, and the other seed commands."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from adapters.base import InvalidInput, ProtocolError
from adapters.connectwise.adapter import ConnectWiseAdapter, ServiceTicketFields, TicketFetch
from adapters.model import Change, FieldType, NewTicket, PostKind, Ticket, TicketQuery, Visibility
from tests.connectwise.conftest import FIXED_NOW, Site


async def every(adapter: ConnectWiseAdapter, **query: object) -> list[Ticket]:
    return [t async for p in adapter.list_tickets(TicketQuery(**query)) for t in p.tickets]  # type: ignore[arg-type]


async def open_on_board(adapter: ConnectWiseAdapter, board: str) -> Ticket:
    return next(
        t for t in await every(adapter, include_done=False) if t.group and t.group.id == board
    )


# ---- statuses per board ---------------------------------------------------------------


async def test_lookups_scope_statuses_and_types_to_their_board(adapter: ConnectWiseAdapter) -> None:
    lookups = await adapter.lookups()
    assert {g.label for g in lookups.groups} == {
        "Service Desk",
        "Network Operations",
        "Billing & Accounts",
    }
    assert all(s.scope in {g.id for g in lookups.groups} for s in lookups.statuses)
    news = [s for s in lookups.statuses if s.label == "New"]
    assert len(news) == 3 and len({s.scope for s in news}) == 3
    assert {s.category.value for s in lookups.statuses if s.label.startswith(">")} <= {
        "closed",
        "resolved",
    }
    assert [p.rank for p in lookups.priorities][:2] == [1, 2]
    assert "triageapi" not in {a.detail for a in lookups.agents}


async def test_update_refuses_a_status_of_another_board(
    site: Site, adapter: ConnectWiseAdapter
) -> None:
    ticket = await open_on_board(adapter, "21")
    other = next(s for s in (await adapter.lookups()).statuses if s.scope == "22")
    sent = len(site.recorder.requests)
    with pytest.raises(InvalidInput) as caught:
        await adapter.update(ticket.key.native_id, Change(status_id=other.id))
    assert caught.value.field == "status_id"
    assert "belongs to Network Operations; the ticket is on Service Desk" in caught.value.reason
    assert not any(r.method == "PATCH" for r in site.recorder.requests[sent:])


async def test_moving_board_takes_the_new_boards_default_status(
    adapter: ConnectWiseAdapter,
) -> None:
    ticket = await open_on_board(adapter, "21")
    moved = await adapter.update(ticket.key.native_id, Change(group_id="23"))
    assert moved.group is not None and moved.group.id == "23"
    assert moved.status is not None and (moved.status.id, moved.status.scope) == ("541", "23")


async def test_close_uses_a_closed_status_of_each_tickets_own_board(
    adapter: ConnectWiseAdapter,
) -> None:
    for board, closed in (("21", "507"), ("22", "526"), ("23", "544")):
        ticket = await open_on_board(adapter, board)
        done = await adapter.close(ticket.key.native_id, resolution="Fixed it.")
        assert done.status is not None and done.status.id == closed
        assert done.raw is not None and done.raw["closedFlag"] is True
        posts = (await adapter.get_ticket(ticket.key.native_id)).posts
        assert any(p.kind is PostKind.RESOLUTION and p.body == "Fixed it." for p in posts)


# ---- merge ----------------------------------------------------------------------------


async def test_native_merge(site: Site, adapter: ConnectWiseAdapter) -> None:
    target, *sources = (await every(adapter, include_done=False))[:3]
    source_notes = {
        s.key.native_id: len((await adapter.get_ticket(s.key.native_id)).posts) for s in sources
    }
    before = len((await adapter.get_ticket(target.key.native_id)).posts)
    results = await adapter.merge(target.key.native_id, [s.key.native_id for s in sources])
    assert all(r.ok for r in results)
    posts = await adapter.get_ticket(target.key.native_id)
    assert len(posts.posts) == before + sum(source_notes.values())
    assert posts.raw["hasMergedChildTicketFlag"] is True
    for source in sources:
        child = (await adapter.get_ticket(source.key.native_id)).raw
        assert child["closedFlag"] is True
        assert child["mergedParentTicket"]["id"] == int(target.key.native_id)
    merge_call = next(r for r in site.recorder.requests if r.url.path.endswith("/merge"))
    assert merge_call.content.startswith(b'{"mergeTicketIds":[')
    body = httpx.Response(200, content=merge_call.content).json()
    assert all(isinstance(i, int) for i in body["mergeTicketIds"])


async def test_merge_with_an_open_status_is_refused(adapter: ConnectWiseAdapter) -> None:
    target, source = (await every(adapter, include_done=False))[:2]
    with pytest.raises(InvalidInput, match="not a closed status"):
        await adapter.merge_tickets(int(target.key.native_id), [int(source.key.native_id)], 501)


async def test_merge_failure_on_the_site_fails_every_ticket(adapter: ConnectWiseAdapter) -> None:
    target = (await every(adapter, include_done=False))[0]
    results = await adapter.merge_tickets(int(target.key.native_id), [987654], 507)
    assert [r.ok for r in results] == [False, False]
    assert "987654" in results[0].message


# ---- notes and e-mail -----------------------------------------------------------------


async def test_public_reply_emails_the_contact_and_cc_a_note_does_not(
    site: Site, adapter: ConnectWiseAdapter
) -> None:
    ticket = await open_on_board(adapter, "21")
    number = ticket.key.native_id
    results = await adapter.update_tickets(
        [number], ServiceTicketFields(automatic_email_cc=["boss@example.test", "ops@example.test"])
    )
    assert results[0].ok, results[0].message
    await adapter.add_post(number, "internal only", Visibility.PRIVATE)
    assert site.server.site.outbox == []
    post = await adapter.add_post(number, "We are on it.", Visibility.PUBLIC)
    assert (post.kind, post.visibility) == (PostKind.REPLY, Visibility.PUBLIC)
    [mail] = site.server.site.outbox
    assert "boss@example.test" in mail["to"] and "ops@example.test" in mail["to"]
    assert ticket.requester is not None and ticket.requester.email in mail["to"]


async def test_note_flags_from_the_seed_command(adapter: ConnectWiseAdapter) -> None:
    ticket = await open_on_board(adapter, "22")
    results = await adapter.add_ticket_notes(
        [ticket.key.native_id, "987654"], "Checked logs", discussion=False, internal=True
    )
    assert [r.ok for r in results] == [True, False]
    post = (await adapter.get_ticket(ticket.key.native_id)).posts[-1]
    assert (post.body, post.visibility, post.kind) == (
        "Checked logs",
        Visibility.PRIVATE,
        PostKind.NOTE,
    )
    with pytest.raises(InvalidInput):
        await adapter.add_ticket_notes([ticket.key.native_id], "x", discussion=False)


async def test_html_notes_are_read_as_text(adapter: ConnectWiseAdapter) -> None:
    for ticket in await every(adapter):
        detail = await adapter.get_ticket(ticket.key.native_id)
        raw_notes = [p for p in detail.posts if "<p>" in p.body or "<div" in p.body]
        assert raw_notes == []


# ---- custom fields and create --------------------------------------------------------


async def test_custom_fields_are_written_whole_and_numbers_as_integers(
    site: Site, adapter: ConnectWiseAdapter
) -> None:
    ticket = (await every(adapter))[0]
    fields = (await adapter.get_ticket(ticket.key.native_id)).custom_fields
    number = next(f for f in fields if f.label == "Affected users")
    assert number.type is FieldType.NUMBER
    after = await adapter.set_custom_fields(ticket.key.native_id, {number.key: 12.0})
    assert {f.key: f.value for f in after}[number.key] == 12.0
    patch = [r for r in site.recorder.requests if r.method == "PATCH"][-1]
    [operation] = httpx.Response(200, content=patch.content).json()
    written = {item["id"]: item.get("value") for item in operation["value"]}
    assert written[int(number.key)] == 12 and isinstance(written[int(number.key)], int)
    assert len(written) == len(fields)
    with pytest.raises(InvalidInput) as caught:
        await adapter.set_custom_fields(ticket.key.native_id, {number.key: 2.5})
    assert caught.value.field == number.key


async def test_create_finds_the_contact_or_uses_the_catchall(adapter: ConnectWiseAdapter) -> None:
    known = next(t for t in await every(adapter) if t.requester and t.requester.email)
    assert known.requester is not None and known.requester.email is not None
    new = NewTicket(
        subject="Printer on fire",
        body="Smoke from tray 2.",
        requester_name=known.requester.name,
        requester_email=known.requester.email,
        group_id="22",
    )
    detail = await adapter.create_ticket(new)
    expected = (await adapter.get_ticket(known.key.native_id)).raw["company"]["id"]
    assert detail.raw["company"]["id"] == expected
    assert detail.posts[0].body == "Smoke from tray 2."
    assert detail.ticket.status is not None and detail.ticket.status.id == "521"
    stranger = await adapter.create_ticket(
        new.model_copy(update={"requester_email": "nobody@nowhere.test"})
    )
    assert stranger.raw["company"]["identifier"] == "Catchall"
    assert stranger.ticket.requester is not None
    assert stranger.ticket.requester.email == "nobody@nowhere.test"


async def test_create_service_ticket_by_names(adapter: ConnectWiseAdapter) -> None:
    ticket = await adapter.create_service_ticket(
        ServiceTicketFields(
            summary="Switch stack reboot",
            company_id=19291,
            board_name="network operations",
            status="Investigating",
            priority="Priority 2 - Quick Response",
            urgency="high",
            impact="Low",
            contact_name="Mike Example",
            contact_phone="516-213-0000",
            contact_email="mike@example.test",
            team="Field Engineers",
            extra={"city": "LA", "stateIdentifier": "CA", "source": {"name": "Phone"}},
        )
    )
    raw = ticket.raw or {}
    assert (raw["board"]["id"], raw["status"]["name"], raw["team"]["name"]) == (
        22,
        "Investigating",
        "Field Engineers",
    )
    assert (raw["severity"], raw["impact"], raw["city"], raw["source"]["name"]) == (
        "High",
        "Low",
        "LA",
        "Phone",
    )
    with pytest.raises(InvalidInput, match="no status 'Nope'"):
        await adapter.create_service_ticket(
            ServiceTicketFields(
                summary="x", company_id=19291, board_name="Service Desk", status="Nope"
            )
        )


# ---- the other seed commands ----------------------------------------------------------


async def test_fetch_tickets_newest_first_with_filters(adapter: ConnectWiseAdapter) -> None:
    end = datetime.fromtimestamp(FIXED_NOW, UTC)
    fetched = await adapter.fetch_tickets(
        TicketFetch(
            start=end - timedelta(days=30),
            end=end,
            urgency="high",
            conditions='summary contains "e"',
        )
    )
    assert fetched
    updated = [t.updated for t in fetched]
    assert updated == sorted(updated, reverse=True)
    assert all(end - timedelta(days=30) <= t.updated <= end for t in fetched)
    limited = await adapter.fetch_tickets(TicketFetch(limit=3))
    assert len(limited) == 3
    with pytest.raises(InvalidInput):
        await adapter.fetch_tickets(TicketFetch(limit=0))


async def test_contacts_boards_statuses_teams_companies(adapter: ConnectWiseAdapter) -> None:
    companies = await adapter.list_companies()
    names = [c["name"] for c in companies]
    assert names == sorted(names, key=str.casefold) or names == sorted(names)
    ids = [companies[3]["id"], companies[4]["id"]]
    contacts = await adapter.company_contacts(ids)
    assert contacts and {c.company_id for c in contacts} <= {str(i) for i in ids}
    keys = [(c.company.casefold(), str(c.raw["lastName"]).casefold()) for c in contacts]
    assert keys == sorted(keys)
    assert [b["name"] for b in await adapter.list_boards(name="desk")] == ["Service Desk"]
    assert [b["name"] for b in await adapter.list_boards(location="Leeds")] == [
        "Billing & Accounts",
        "Projects Intake (retired)",
    ]
    statuses = [s["name"] for s in await adapter.list_board_statuses(22)]
    assert statuses == sorted(statuses)
    assert [t["name"] for t in await adapter.list_board_teams(22)] == ["Field Engineers", "NOC"]
    owners = await adapter.list_companies(company_type="Owner")
    assert [c["name"] for c in owners] == ["Harbourline IT"]


async def test_get_and_delete_tickets(adapter: ConnectWiseAdapter) -> None:
    first, second = (await every(adapter))[:2]
    found, failed = await adapter.get_tickets([first.key.native_id, "987654", "x"])
    assert [t.key for t in found] == [first.key]
    assert len(failed) == 2 and not any(r.ok for r in failed)
    results = await adapter.delete_tickets([second.key.native_id, "987654"])
    assert [r.ok for r in results] == [True, False]
    found, failed = await adapter.get_tickets([second.key.native_id])
    assert found == [] and len(failed) == 1


async def test_a_list_that_is_not_an_array_is_a_protocol_error(site: Site) -> None:
    def broken(request: httpx.Request) -> httpx.Response:
        if "companyinfo" in request.url.path:
            return httpx.Response(200, json={"Codebase": "v2025_1/"})
        return httpx.Response(200, json={"tickets": []})

    async with site.make() as adapter:
        adapter.http.client._transport = httpx.MockTransport(broken)
        with pytest.raises(ProtocolError):
            await adapter.lookups()
