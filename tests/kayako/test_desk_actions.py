"""Kayako's optional operations and desk actions against the simulator: time entries,
attachments (down and up), delete, search, the fields of a new ticket, and the actions
the CLI and the TUI reach them through (seed 000's time track and list commands)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from adapters.actions import FileContent, Scope
from adapters.base import InvalidInput, NotFound, Unsupported
from adapters.kayako import KayakoAdapter
from adapters.model import NewTicket, NewTimeEntry, Ticket, TicketQuery


async def some_ticket(adapter: KayakoAdapter, *, with_posts: bool = True) -> Ticket:
    async for page in adapter.list_tickets(TicketQuery(page_size=50)):
        for ticket in page.tickets:
            if not ticket.is_done:
                return ticket
    raise AssertionError("no open ticket on the simulated desk")


async def test_actions_offered(kayako: KayakoAdapter) -> None:
    ids = [spec.id for spec in kayako.actions()]
    assert ids == [
        "lookups",
        "time-entries",
        "log-time",
        "delete-time-entry",
        "attachments",
        "download",
        "upload",
        "time-entry",
        "users",
    ]
    assert kayako.action("users").scope is Scope.NONE
    with pytest.raises(Unsupported, match="no action 'teleport' here"):
        await kayako.run_action("teleport", "1", {})


async def test_time_entries_round_trip(kayako: KayakoAdapter) -> None:
    ticket = await some_ticket(kayako)
    number = ticket.key.native_id
    before = await kayako.list_time_entries(number)
    entry = await kayako.add_time_entry(
        number, NewTimeEntry(worked=5400, note="Fixed the printer", day=date(2024, 5, 1))
    )
    assert (entry.worked, entry.billable) == (5400, 5400)
    assert entry.note == "Fixed the printer"
    assert entry.date.date() == date(2024, 5, 1)
    after = await kayako.list_time_entries(number)
    assert [e.id for e in after] == [*(e.id for e in before), entry.id] or entry.id in {
        e.id for e in after
    }
    assert len(after) == len(before) + 1
    await kayako.delete_time_entry(number, entry.id)
    assert entry.id not in {e.id for e in await kayako.list_time_entries(number)}
    with pytest.raises(NotFound):
        await kayako.delete_time_entry(number, entry.id)
    with pytest.raises(InvalidInput, match="not an id"):
        await kayako.delete_time_entry(number, "seven")


async def test_time_entry_actions(kayako: KayakoAdapter) -> None:
    ticket = await some_ticket(kayako)
    number = ticket.key.native_id
    lookups = await kayako.lookups()
    agent = lookups.agents[0]
    logged = await kayako.run_action(
        "log-time",
        number,
        {"worked": 2700, "billable": 1800, "note": "Call", "date": "2024-05-02", "agent": agent.id},
    )
    assert logged.created_id is not None
    assert logged.message == f"logged 45m (30m billable) as entry {logged.created_id}"
    shown = await kayako.run_action("time-entry", number, {"entry": logged.created_id})
    assert shown.lines[0].startswith(f"{logged.created_id}  2024-05-02  45m worked, 30m billable")
    assert agent.label in shown.lines[0]
    listed = await kayako.run_action("time-entries", number, {})
    assert any(line.startswith(f"{logged.created_id}  ") for line in listed.lines)
    deleted = await kayako.run_action("delete-time-entry", number, {"entry": logged.created_id})
    assert deleted.message == f"deleted time entry {logged.created_id}"
    with pytest.raises(InvalidInput, match="Time worked is required"):
        await kayako.run_action("log-time", number, {"note": "x"})
    with pytest.raises(InvalidInput, match="needs a ticket"):
        await kayako.run_action("log-time", None, {"worked": 60, "note": "x"})


async def test_attachments_down_and_up(kayako: KayakoAdapter, tmp_path: Path) -> None:
    ticket = await some_ticket(kayako)
    number = ticket.key.native_id
    before = await kayako.list_attachments(number)
    upload = tmp_path / "report.pdf"
    upload.write_bytes(b"%PDF-1.4 \x00\xff binary")
    outcome = await kayako.run_action("upload", number, {"path": str(upload)})
    size = len(upload.read_bytes())
    assert outcome.message == f"uploaded report.pdf ({size} B)"
    after = await kayako.list_attachments(number)
    assert len(after) == len(before) + 1
    added = next(a for a in after if a.id == outcome.created_id)
    assert (added.name, added.size) == ("report.pdf", size)
    content = await kayako.download_attachment(number, added.id or "")
    assert isinstance(content, FileContent)
    assert (content.name, content.data) == ("report.pdf", upload.read_bytes())
    fetched = await kayako.run_action("download", number, {"attachment": "report.pdf"})
    assert fetched.file is not None and fetched.file.data == upload.read_bytes()
    listed = await kayako.run_action("attachments", number, {})
    assert any(f"report.pdf  {size} B" in line for line in listed.lines)
    with pytest.raises(InvalidInput, match=r"no attachment 'nope\.txt'"):
        await kayako.run_action("download", number, {"attachment": "nope.txt"})
    with pytest.raises(InvalidInput, match="No such file"):
        await kayako.run_action("upload", number, {"path": str(tmp_path / "gone.bin")})


async def test_delete_a_ticket(kayako: KayakoAdapter) -> None:
    ticket = await some_ticket(kayako)
    await kayako.delete_ticket(ticket.key.native_id)
    with pytest.raises(NotFound):
        await kayako.get_ticket(ticket.key.native_id)
    with pytest.raises(NotFound):
        await kayako.delete_ticket(ticket.key.native_id)


async def test_search_finds_a_ticket_by_its_subject_words(kayako: KayakoAdapter) -> None:
    ticket = await some_ticket(kayako)
    word = max(ticket.subject.split(), key=len)
    found = await kayako.search_tickets(word)
    assert ticket.key in {t.key for t in found}
    with pytest.raises(InvalidInput, match="must not be empty"):
        await kayako.search_tickets("  ")


async def test_new_ticket_fields_and_create_with_them(kayako: KayakoAdapter) -> None:
    fields = await kayako.new_ticket_fields()
    assert fields, "the simulated desk has ticket custom fields"
    assert all(field.value is None for field in fields)
    lookups = await kayako.lookups()
    detail = await kayako.create_ticket(
        NewTicket(
            subject="Printer on fire",
            body="Smoke everywhere",
            requester_name="Ann Example",
            requester_email="ann@example.com",
            group_id=lookups.groups[0].id,
        )
    )
    offered = {field.key for field in fields}
    assert {field.key for field in detail.custom_fields} <= offered
    assert not any(field.required for field in fields)
    by_key = {field.key: field for field in fields}
    for field in detail.custom_fields:
        assert by_key[field.key].label == field.label
        assert by_key[field.key].options == field.options


async def test_users_and_lookups_actions(kayako: KayakoAdapter) -> None:
    users = await kayako.run_action("users", None, {"limit": 3.0})
    assert users.message == "3 users" and len(users.lines) == 3
    first_id = int(users.lines[0].split()[0])
    later = await kayako.run_action("users", None, {"from_id": float(first_id + 1), "limit": 2.0})
    assert int(later.lines[0].split()[0]) > first_id
    with pytest.raises(InvalidInput, match="1 to 1000"):
        await kayako.run_action("users", None, {"limit": 5000.0})
    with pytest.raises(InvalidInput, match="runs on no ticket"):
        await kayako.run_action("users", "1", {})
    lookups = await kayako.lookups()
    listed = await kayako.run_action("lookups", None, {"list": "groups"})
    assert listed.lines[0] == "Groups:"
    assert listed.lines[1:] == tuple(
        f"  {g.id}  {g.label}" + (f"  ({g.detail})" if g.detail else "") for g in lookups.groups
    )
    everything = await kayako.run_action("lookups", None, {})
    assert {"Statuses:", "Priorities:", "Types:", "Agents:", "Groups:"} <= set(everything.lines)
