"""HaloPSA's optional operations and desk actions against the simulated instance: every
seed command the common operations do not cover, as the app's ``A`` form and ``triage
action`` run it (values typed and checked by the kit, then the adapter)."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.actions import Scope
from adapters.base import InvalidInput, NotFound, Unsupported
from adapters.halopsa import HaloAdapter
from adapters.halopsa.sim_data.config import API_AGENT, ST_IN_PROGRESS, ST_RESOLVED
from adapters.model import FieldType, NewTicket, TicketQuery, Visibility
from tests.halopsa.conftest import Instance
from tui.create import send_new_ticket
from tui.outbox import Outbox


async def open_ticket(halo: HaloAdapter, index: int = 0) -> str:
    async for page in halo.list_tickets(TicketQuery(include_done=False, page_size=50)):
        return page.tickets[index].key.native_id
    raise AssertionError("no open ticket")


async def test_actions_offered_and_refusals(halo: HaloAdapter) -> None:
    ids = [spec.id for spec in halo.actions()]
    assert ids == [
        "lookups",
        "attachments",
        "download",
        "upload",
        "take-action",
        "outcomes",
        "assign-with-note",
        "resolve",
        "update-fields",
        "delete-with-reason",
        "report",
        "fetch",
        "agents",
        "categories",
        "teams",
        "areas",
        "statuses",
        "ticket-types",
    ]
    assert halo.action("delete-with-reason").destructive
    assert halo.action("fetch").scope is Scope.NONE
    with pytest.raises(Unsupported, match="timetaken"):
        await halo.list_time_entries("1")
    with pytest.raises(InvalidInput, match="runs on no ticket"):
        await halo.run_action("outcomes", "1", {})


async def test_take_action_with_an_outcome(halo: HaloAdapter, instance: Instance) -> None:
    listed = await halo.run_action("outcomes", None, {})
    assert any(" Triage" in line and "sets status" in line for line in listed.lines)
    assert not any("Rule Applied" in line for line in listed.lines)
    # The outcomes are a pick-list of the desk's lookups: what the form and --set offer.
    outcomes = {c.label: c for c in (await halo.lookups()).lists["outcomes"]}
    assert {"Triage", "Claim", "Phone Call"} <= outcomes.keys()
    assert outcomes["Triage"].detail is not None and "sets In Progress" in outcomes["Triage"].detail
    values = await halo.run_action("lookups", None, {})
    assert "Outcomes:" in values.lines and f"  {outcomes['Claim'].id}  Claim" in "\n".join(
        values.lines
    )
    ticket = await open_ticket(halo)
    triage = outcomes["Triage"].id
    done = await halo.run_action("take-action", ticket, {"outcome": triage, "note": "triaged"})
    stored = instance.desk.tickets[int(ticket)]
    assert stored.status_id == ST_IN_PROGRESS
    last = instance.desk.ticket_actions(stored)[-1]
    assert (last.outcome, last.note) == ("Triage", "triaged")
    assert done.message == f"action {last.id}: Triage" and done.created_id == str(last.id)
    claim = outcomes["Claim"].id
    await halo.run_action("take-action", ticket, {"outcome": claim, "private": False})
    assert stored.agent_id == API_AGENT
    assert instance.desk.ticket_actions(stored)[-1].hidden is False
    resolved = str(ST_RESOLVED)
    phone = outcomes["Phone Call"].id
    await halo.run_action("take-action", ticket, {"outcome": phone, "new_status": resolved})
    assert stored.status_id == ST_RESOLVED
    with pytest.raises(InvalidInput, match="has no choice 'Dance'") as caught:
        await halo.run_action("take-action", ticket, {"outcome": "Dance"})
    assert caught.value.field == "outcome" and "Triage" in str(caught.value)
    with pytest.raises(InvalidInput, match="has no choice"):
        await halo.run_action("take-action", ticket, {"outcome": triage, "new_status": "999"})


async def test_assign_with_a_note_and_an_agent_outside_the_team(
    halo: HaloAdapter, instance: Instance
) -> None:
    ticket = await open_ticket(halo)
    lookups = await halo.lookups()
    security = next(g for g in lookups.groups if g.label == "Security Operations")
    outsider = next(a for a in lookups.agents if a.label == "Sofia Marchetti")
    analyst = next(a for a in lookups.agents if a.label == "Grace Okafor")
    with pytest.raises(InvalidInput, match="not a member of the team Security Operations"):
        await halo.run_action(
            "assign-with-note", ticket, {"team": security.id, "agent": outsider.id}
        )
    with pytest.raises(InvalidInput, match="a team and/or an agent"):
        await halo.run_action("assign-with-note", ticket, {"note": "only a note"})
    done = await halo.run_action(
        "assign-with-note",
        ticket,
        {"team": security.id, "agent": analyst.id, "note": "reassign ticket to standby"},
    )
    assert done.message == "assigned to Security Operations / Grace Okafor with a private note"
    assert done.ticket is not None and done.ticket.assignee is not None
    detail = await halo.get_ticket(ticket)
    assert detail.posts[-1].body == "reassign ticket to standby"
    assert detail.posts[-1].visibility is Visibility.PRIVATE


async def test_resolve_update_fields_and_report(halo: HaloAdapter, instance: Instance) -> None:
    ticket = await open_ticket(halo)
    with pytest.raises(InvalidInput, match="not JSON"):
        await halo.run_action(
            "resolve", ticket, {"email_to": "ops@example.test", "extra": "{emailcc"}
        )
    done = await halo.run_action(
        "resolve",
        ticket,
        {
            "email_to": "ops@example.test, lead@example.test",
            "note": "Issue was fixed",
            "extra": '{"emailcc": "audit@example.test"}',
        },
    )
    assert done.ticket is not None and done.ticket.is_done
    [mail] = instance.desk.outbox
    assert (mail.to, mail.cc) == ("ops@example.test;lead@example.test", "audit@example.test")
    other = await open_ticket(halo)
    updated = await halo.run_action(
        "update-fields", other, {"fields": '{"urgency": 2, "category_1": "Network>VPN"}'}
    )
    assert updated.message == "updated category_1, urgency on 1 ticket"
    stored = instance.desk.tickets[int(other)]
    assert (stored.urgency, stored.category_1) == (2, "Network>VPN")
    with pytest.raises(InvalidInput, match="JSON object"):
        await halo.run_action("update-fields", other, {"fields": "[1, 2]"})
    report = await halo.run_action("report", other, {})
    assert report.message.startswith(f"Ticket {other}: ")
    assert any(line.startswith("Conversation (") for line in report.lines)


async def test_attachments_round_trip(halo: HaloAdapter, tmp_path: Path) -> None:
    ticket = await open_ticket(halo)
    path = tmp_path / "evidence.log"
    path.write_bytes(b"line one\n\x00binary\xff\n")
    uploaded = await halo.run_action("upload", ticket, {"path": str(path)})
    assert uploaded.message.startswith("uploaded evidence.log") and uploaded.created_id
    listed = await halo.run_action("attachments", ticket, {})
    assert listed.lines == (f"{uploaded.created_id}  evidence.log  {path.stat().st_size} B",)
    fetched = await halo.run_action("download", ticket, {"attachment": "evidence.log"})
    assert fetched.file is not None and fetched.file.data == path.read_bytes()
    other = await open_ticket(halo, 1)
    with pytest.raises(NotFound, match="not on ticket"):
        await halo.download_attachment(other, uploaded.created_id)


async def test_delete_with_a_reason_and_plain_delete(halo: HaloAdapter, instance: Instance) -> None:
    first, second = await open_ticket(halo), await open_ticket(halo, 1)
    done = await halo.run_action("delete-with-reason", first, {"reason": "Duplicate ticket"})
    assert done.message == "deleted (Duplicate ticket)"
    assert instance.desk.tickets[int(first)].deleted_reason == "Duplicate ticket"
    await halo.delete_ticket(second)
    assert instance.desk.tickets[int(second)].deleted
    with pytest.raises(NotFound):
        await halo.get_ticket(second)


async def test_search(halo: HaloAdapter, instance: Instance) -> None:
    stored = instance.desk.live()[5]
    word = max(stored.summary.split(), key=len)
    found = await halo.search_tickets(word)
    assert str(stored.id) in {t.key.native_id for t in found}
    assert all(word.casefold() in t.subject.casefold() or t.key.native_id for t in found)
    with pytest.raises(InvalidInput):
        await halo.search_tickets("  ")


async def test_fetch_and_the_lists(halo: HaloAdapter, instance: Instance) -> None:
    lookups = await halo.lookups()
    status = lookups.statuses[0]
    fetched = await halo.run_action(
        "fetch",
        None,
        {"since": "2000-01-01", "statuses": (status.id,), "limit": 5.0, "extra": "open_only=false"},
    )
    wanted = [t for t in instance.desk.live() if t.status_id == int(status.id)]
    assert fetched.message == f"{min(5, len(wanted))} tickets"
    got = [instance.desk.tickets[int(line.split()[0])] for line in fetched.lines]
    assert {t.id for t in got} <= {t.id for t in wanted}
    stamps = [t.last_update for t in got]
    assert stamps == sorted(stamps, reverse=True)  # newest first
    with pytest.raises(InvalidInput, match="is not name=value"):
        await halo.run_action("fetch", None, {"extra": "nonsense"})
    agents = await halo.run_action("agents", None, {"team": "3rd Line Support"})
    assert agents.message == f"{len(agents.lines)} agents" and all(
        "3rd Line Support" in li for li in agents.lines
    )
    teams = await halo.run_action("teams", None, {"domain": "Tickets"})
    assert any("Security Operations" in line for line in teams.lines)
    for action in ("areas", "statuses", "ticket-types", "categories"):
        listed = await halo.run_action(action, None, {})
        assert listed.lines and listed.message.split()[0] == str(len(listed.lines))
    with pytest.raises(InvalidInput, match="only with a category type id"):
        await halo.run_action("categories", None, {"team": "3rd Line Support"})


async def test_a_new_ticket_offers_the_desks_custom_fields_and_gets_them(
    halo: HaloAdapter, tmp_path: Path
) -> None:
    """``N`` and ``triage create`` offer every field the instance defines, then set the
    values given right after the ticket is created."""
    offered = await halo.new_ticket_fields()
    assert offered and all(field.value is None for field in offered)
    assert len({field.key for field in offered}) == len(offered)
    editable = [f for f in offered if f.editable]
    text = next(f for f in editable if f.type is FieldType.TEXT)
    select = next(f for f in editable if f.type is FieldType.SELECT and f.options)
    lookups = await halo.lookups()
    new = NewTicket(
        subject="Badge reader at the east door",
        body="It beeps but the door stays shut.",
        requester_name="Ana Lima",
        requester_email="ana.lima@customer.test",
        group_id=lookups.groups[0].id,
    )
    values = {text.key: "East door, level 2", select.key: select.options[0].label}
    created = await send_new_ticket(halo, new, values, Outbox(tmp_path / "outbox.json"))
    assert created.ok, created.message
    assert created.detail is not None
    detail = await halo.get_ticket(created.detail.ticket.key.native_id)
    stored = {f.key: f.value for f in detail.custom_fields}
    assert stored[text.key] == "East door, level 2"
    assert stored[select.key] == select.options[0].label
