"""ConnectWise's desk actions against the simulator: every seed 002 command the CLI and the
TUI reach through ``run_action`` (notes with flags, update fields with the CC list, merge
into a parent with a named closed status, create, fetch, contacts, boards, board statuses
and teams, companies), delete and search, and the operations the desk refuses."""

from __future__ import annotations

import pytest

from adapters.actions import Scope
from adapters.base import InvalidInput, NotFound, Unsupported
from adapters.connectwise.adapter import ConnectWiseAdapter
from adapters.model import PostKind, Ticket, TicketQuery, Visibility
from tests.connectwise.conftest import Site


async def open_tickets(adapter: ConnectWiseAdapter, board: str | None = None) -> list[Ticket]:
    query = TicketQuery(include_done=False, page_size=100)
    found = [t async for page in adapter.list_tickets(query) for t in page.tickets]
    return [t for t in found if board is None or (t.group and t.group.id == board)]


async def test_actions_offered_and_refused(adapter: ConnectWiseAdapter) -> None:
    assert [spec.id for spec in adapter.actions()] == [
        "lookups",
        "add-note",
        "update-fields",
        "merge-into",
        "create-ticket",
        "fetch",
        "contacts",
        "boards",
        "board-statuses",
        "board-teams",
        "companies",
    ]
    assert adapter.action("fetch").scope is Scope.NONE
    assert adapter.action("add-note").scope is Scope.MANY
    with pytest.raises(Unsupported, match="time entries"):
        await adapter.list_time_entries("1")
    with pytest.raises(Unsupported, match="documents"):
        await adapter.list_attachments("1")
    with pytest.raises(Unsupported, match="documents"):
        await adapter.upload_attachment("1", "a.txt", b"x")
    with pytest.raises(Unsupported, match="no action 'log-time'"):
        await adapter.run_action("log-time", "1", {})


async def test_add_note_with_flags(adapter: ConnectWiseAdapter) -> None:
    ticket = (await open_tickets(adapter, "22"))[0]
    number = ticket.key.native_id
    outcome = await adapter.run_action(
        "add-note", number, {"text": "Root cause found", "discussion": False, "resolution": True}
    )
    assert outcome.message.startswith("note ")
    post = (await adapter.get_ticket(number)).posts[-1]
    assert post.body == "Root cause found"
    assert (post.kind, post.visibility) != (PostKind.REPLY, Visibility.PUBLIC)
    raw = await adapter.get_json(f"service/tickets/{number}/notes", {"orderBy": "id desc"})
    assert (raw[0]["resolutionFlag"], raw[0]["detailDescriptionFlag"]) == (True, False)
    with pytest.raises(InvalidInput, match="choose Discussion, Internal and/or Resolution"):
        await adapter.run_action("add-note", number, {"text": "x", "discussion": False})
    with pytest.raises(InvalidInput, match="Note is required"):
        await adapter.run_action("add-note", number, {})
    with pytest.raises(InvalidInput, match="987654"):
        await adapter.run_action("add-note", "987654", {"text": "x"})


async def test_update_fields_by_names_on_the_tickets_own_board(
    site: Site, adapter: ConnectWiseAdapter
) -> None:
    ticket = (await open_tickets(adapter, "22"))[0]
    number = ticket.key.native_id
    lookups = await adapter.lookups()
    priority = next(p for p in lookups.priorities if p.label.startswith("Priority 2"))
    outcome = await adapter.run_action(
        "update-fields",
        number,
        {
            "summary": "Core switch flapping",
            "status": "investigating",
            "priority": priority.id,
            "urgency": "High",
            "team": "NOC",
            "cc": "boss@example.test, ops@example.test",
            "extra": '{"city": "LA"}',
        },
    )
    assert outcome.message == "updated"
    assert outcome.ticket is not None and outcome.ticket.subject == "Core switch flapping"
    assert outcome.ticket.priority is not None and outcome.ticket.priority.id == priority.id
    raw = site.server.desk.tickets[int(number)]
    assert (raw["status"]["name"], raw["team"]["name"], raw["severity"], raw["city"]) == (
        "Investigating",
        "NOC",
        "High",
        "LA",
    )
    assert raw["automaticEmailCc"] == "boss@example.test;ops@example.test"
    with pytest.raises(InvalidInput, match="the board has no status 'Nope'"):
        await adapter.run_action("update-fields", number, {"status": "Nope"})
    with pytest.raises(InvalidInput, match="Urgency has no choice 'Severe'"):
        await adapter.run_action("update-fields", number, {"urgency": "Severe"})
    with pytest.raises(InvalidInput, match="must be a JSON object"):
        await adapter.run_action("update-fields", number, {"extra": "[1]"})
    with pytest.raises(InvalidInput, match="nothing to change"):
        await adapter.run_action("update-fields", number, {})


async def test_merge_into_a_parent_with_a_named_closed_status(
    site: Site, adapter: ConnectWiseAdapter
) -> None:
    parent, child, other = (await open_tickets(adapter, "21"))[:3]
    closing = await adapter.closed_statuses_of(int(parent.key.native_id))
    named = closing[-1]
    outcome = await adapter.run_action(
        "merge-into", child.key.native_id, {"parent": parent.key.native_id, "status": named[1]}
    )
    assert outcome.message == f"merged into {parent.key.native_id} as {named[1]}"
    merged = site.server.desk.tickets[int(child.key.native_id)]
    assert merged["status"]["id"] == named[0]
    assert merged["mergedParentTicket"]["id"] == int(parent.key.native_id)
    with pytest.raises(InvalidInput, match="no closed status 'New'"):
        await adapter.run_action(
            "merge-into", other.key.native_id, {"parent": parent.key.native_id, "status": "New"}
        )
    with pytest.raises(InvalidInput, match="merged into itself"):
        await adapter.run_action("merge-into", other.key.native_id, {"parent": other.key.native_id})


async def test_create_ticket_action(site: Site, adapter: ConnectWiseAdapter) -> None:
    lookups = await adapter.lookups()
    board = next(g for g in lookups.groups if g.label == "Network Operations")
    outcome = await adapter.run_action(
        "create-ticket",
        None,
        {
            "company_id": 19291.0,
            "summary": "Switch stack reboot",
            "board": board.id,
            "status": "Investigating",
            "impact": "Low",
            "contact_email": "mike@example.test",
        },
    )
    assert outcome.created is not None
    raw = site.server.desk.tickets[int(outcome.created.native_id)]
    assert (raw["board"]["id"], raw["status"]["name"], raw["impact"]) == (
        22,
        "Investigating",
        "Low",
    )
    assert raw["company"]["id"] == 19291 and raw["contactEmailAddress"] == "mike@example.test"
    with pytest.raises(InvalidInput, match="Company id is required"):
        await adapter.run_action("create-ticket", None, {"summary": "x"})
    with pytest.raises(InvalidInput, match="whole number"):
        await adapter.run_action("create-ticket", None, {"summary": "x", "company_id": 1.5})
    with pytest.raises(InvalidInput, match="runs on no ticket"):
        await adapter.run_action("create-ticket", "1", {"summary": "x", "company_id": 1.0})


async def test_fetch_action_newest_first_with_conditions(adapter: ConnectWiseAdapter) -> None:
    outcome = await adapter.run_action(
        "fetch", None, {"conditions": 'summary contains "e"', "urgency": "High", "limit": 5.0}
    )
    assert outcome.message == f"{len(outcome.lines)} tickets" and 0 < len(outcome.lines) <= 5
    stamps = [" ".join(line.split("  ")[1:2]) for line in outcome.lines]
    assert stamps == sorted(stamps, reverse=True)
    dated = await adapter.run_action("fetch", None, {"start": "2001-01-01", "end": "2001-01-02"})
    assert dated.message == "0 tickets" and dated.lines == ()
    with pytest.raises(InvalidInput, match="1 to 1000"):
        await adapter.run_action("fetch", None, {"limit": 5000.0})
    with pytest.raises(InvalidInput):
        await adapter.run_action("fetch", None, {"conditions": 'summary = "unterminated'})


async def test_listing_actions(adapter: ConnectWiseAdapter) -> None:
    boards = await adapter.run_action("boards", None, {"location": "Leeds"})
    assert boards.message == "2 boards"
    assert [line.split("  ")[1] for line in boards.lines] == [
        "Billing & Accounts",
        "Projects Intake (retired)",
    ]
    lookups = await adapter.lookups()
    network = next(g for g in lookups.groups if g.label == "Network Operations")
    teams = await adapter.run_action("board-teams", None, {"board": network.id})
    assert [line.split("  ")[1] for line in teams.lines] == ["Field Engineers", "NOC"]
    statuses = await adapter.run_action("board-statuses", None, {"board": network.id})
    assert any(line.endswith("(closed)") for line in statuses.lines)
    assert any(not line.endswith("(closed)") for line in statuses.lines)
    owners = await adapter.run_action("companies", None, {"type": "Owner"})
    assert owners.message == "1 company" and "Harbourline IT" in owners.lines[0]
    companies = await adapter.list_companies()
    ids = f"{companies[3]['id']}, {companies[4]['id']}"
    contacts = await adapter.run_action("contacts", None, {"companies": ids})
    assert contacts.lines and all(
        line.split("  ")[2] in {companies[3]["name"], companies[4]["name"]}
        for line in contacts.lines
    )
    with pytest.raises(InvalidInput, match="not a list of ids"):
        await adapter.run_action("contacts", None, {"companies": "acme"})


async def test_delete_and_search(adapter: ConnectWiseAdapter) -> None:
    ticket = (await open_tickets(adapter))[0]
    word = max(ticket.subject.split(), key=len)
    found = await adapter.search_tickets(f'{word}" OR id > "0')
    assert found == []
    found = await adapter.search_tickets(word)
    assert ticket.key in {t.key for t in found}
    assert all(word.casefold() in t.subject.casefold() for t in found)
    with pytest.raises(InvalidInput, match="must not be empty"):
        await adapter.search_tickets("   ")
    await adapter.delete_ticket(ticket.key.native_id)
    with pytest.raises(NotFound):
        await adapter.get_ticket(ticket.key.native_id)
    with pytest.raises(NotFound):
        await adapter.delete_ticket(ticket.key.native_id)
