"""Kapture's desk actions against the simulator: the whole Update in one request, a
callback, a disposition, the known dispositions, choices checked before anything is
sent, and the optional operations Kapture lacks refused with their reasons."""

from __future__ import annotations

from datetime import date

import pytest

from adapters.actions import Scope, UnknownChoice, resolve_values
from adapters.base import InvalidInput, Unsupported
from adapters.kapture import KaptureAdapter
from adapters.kapture.wire import DISPOSITION_KEY
from adapters.model import NewTimeEntry, PostKind, Ticket, TicketQuery, Visibility
from tests.kapture.conftest import MakeAdapter, Sim

CALLBACK_FIELD = "callback_time"


async def open_ticket(adapter: KaptureAdapter) -> Ticket:
    async for page in adapter.list_tickets(TicketQuery(page_size=100)):
        for ticket in page.tickets:
            if not ticket.is_done:
                return ticket
    raise AssertionError("no open ticket on the simulated tenant")


def updates(sim: Sim) -> list[dict[str, object]]:
    return [body[0] for operation, body in sim.server.requests if operation == "update"]


def field_value(fields: object, key: str) -> object:
    assert isinstance(fields, tuple)
    return next(field.value for field in fields if field.key == key)


async def test_actions_offered_and_what_kapture_lacks(kapture: KaptureAdapter) -> None:
    assert [spec.id for spec in kapture.actions()] == [
        "lookups",
        "update-ticket",
        "callback",
        "disposition",
        "dispositions",
    ]
    assert kapture.action("dispositions").scope is Scope.NONE
    assert kapture.action("update-ticket").scope is Scope.MANY
    caps = kapture.capabilities
    for name in ("time_entries", "attachments", "upload", "delete", "search"):
        assert not caps.for_action(name).supported
        assert "Kapture" in caps.for_action(name).reason
    with pytest.raises(Unsupported, match="cannot delete a ticket"):
        await kapture.delete_ticket("1")
    with pytest.raises(Unsupported, match="have no search"):
        await kapture.search_tickets("printer")
    with pytest.raises(Unsupported, match="keep no time entries"):
        await kapture.add_time_entry("1", NewTimeEntry(worked=60, note="x", day=date(2026, 1, 5)))
    with pytest.raises(Unsupported, match="take no files"):
        await kapture.upload_attachment("1", "a.txt", b"x")
    with pytest.raises(Unsupported, match="no action 'log-time' here"):
        await kapture.run_action("log-time", "1", {"worked": 60, "note": "x"})


async def test_update_ticket_sends_every_field_in_one_update(
    kapture: KaptureAdapter, sim: Sim
) -> None:
    ticket = await open_ticket(kapture)
    ref = ticket.key.native_id
    lookups = await kapture.lookups()
    status = next(s for s in lookups.statuses if ticket.status is None or s.id != ticket.status.id)
    queue = next(q for q in lookups.groups if ticket.group is None or q.id != ticket.group.id)
    disposition = kapture.labels.disposition_choices()[0]
    values = resolve_values(
        kapture.name,
        kapture.action("update-ticket"),
        {
            "Sub-status": status.label,
            "queue": queue.label,
            "comment": "Called back, sent the invoice",
            "Callback at": "2026-12-01 09:30",
            "disposition": disposition.label,
        },
        lookups,
    )
    before = len(updates(sim))
    outcome = await kapture.run_action("update-ticket", ref, values)
    sent = updates(sim)[before:]
    assert len(sent) == 1
    assert sent[0] == {
        "ticket_id": ref,
        "sub_status": status.id,
        "queue": queue.id,
        "comment": "Called back, sent the invoice",
        "callback_time": "2026-12-01 09:30:00",
        "disposition": disposition.id,
    }
    assert outcome.message == (
        f"updated sub-status {status.label}, queue {queue.label}, comment, "
        f"callback 2026-12-01 09:30, disposition {disposition.label}"
    )
    assert outcome.ticket is not None and outcome.ticket.status is not None
    assert outcome.ticket.status.id == status.id
    detail = await kapture.get_ticket(ref)
    assert detail.ticket.group is not None and detail.ticket.group.id == queue.id
    assert field_value(detail.custom_fields, DISPOSITION_KEY) == disposition.label
    assert field_value(detail.custom_fields, CALLBACK_FIELD) == "2026-12-01 09:30"
    notes = [p for p in detail.posts if p.kind is PostKind.NOTE]
    assert any(p.body == "Called back, sent the invoice" for p in notes)
    assert all(p.visibility is Visibility.PRIVATE for p in notes)


async def test_update_ticket_keeps_the_current_sub_status_and_needs_a_value(
    kapture: KaptureAdapter, sim: Sim
) -> None:
    ticket = await open_ticket(kapture)
    ref = ticket.key.native_id
    assert ticket.status is not None
    outcome = await kapture.run_action("update-ticket", ref, {"comment": "Only a comment"})
    assert outcome.message == "updated comment"
    assert updates(sim)[-1]["sub_status"] == ticket.status.id
    before = len(sim.server.requests)
    with pytest.raises(InvalidInput, match="give at least one value"):
        await kapture.run_action("update-ticket", ref, {})
    with pytest.raises(UnknownChoice, match="Queue has no choice 'NOPE'"):
        await kapture.run_action("update-ticket", ref, {"queue": "NOPE"})
    with pytest.raises(InvalidInput, match="is not a time like") as bad:
        await kapture.run_action("update-ticket", ref, {"callback": "tomorrow"})
    assert bad.value.field == "callback"
    assert not [op for op, _ in sim.server.requests[before:] if op == "update"]


async def test_callback_action(kapture: KaptureAdapter, sim: Sim) -> None:
    ref = (await open_ticket(kapture)).key.native_id
    outcome = await kapture.run_action(
        "callback", ref, {"day": "2026-12-24", "at": "9:05", "comment": "Customer asked"}
    )
    assert outcome.message == "updated comment, callback 2026-12-24 09:05"
    assert updates(sim)[-1]["callback_time"] == "2026-12-24 09:05:00"
    detail = await kapture.get_ticket(ref)
    assert field_value(detail.custom_fields, CALLBACK_FIELD) == "2026-12-24 09:05"
    with pytest.raises(InvalidInput, match="'25:00' is not a time like 15:30") as bad:
        await kapture.run_action("callback", ref, {"day": "2026-12-24", "at": "25:00"})
    assert bad.value.field == "at"
    with pytest.raises(InvalidInput, match="Callback date is required"):
        await kapture.run_action("callback", ref, {"at": "10:00"})


async def test_disposition_action_by_label_and_a_miss(kapture: KaptureAdapter, sim: Sim) -> None:
    ref = (await open_ticket(kapture)).key.native_id
    spec = kapture.action("disposition")
    choices = kapture.labels.disposition_choices()
    wanted = choices[-1]
    values = resolve_values(
        kapture.name, spec, {"Disposition": wanted.label}, await kapture.lookups()
    )
    assert values["disposition"] == wanted.id
    outcome = await kapture.run_action("disposition", ref, values)
    assert outcome.message == f"updated disposition {wanted.label}"
    assert updates(sim)[-1]["disposition"] == wanted.id
    detail = await kapture.get_ticket(ref)
    assert field_value(detail.custom_fields, DISPOSITION_KEY) == wanted.label
    with pytest.raises(UnknownChoice, match="Disposition has no choice"):
        await kapture.run_action("disposition", ref, {"disposition": "Made|Up"})


async def test_dispositions_lists_the_catalogue(kapture: KaptureAdapter) -> None:
    outcome = await kapture.run_action("dispositions", None, {})
    choices = kapture.labels.disposition_choices()
    assert outcome.message == f"{len(choices)} dispositions"
    assert outcome.lines == tuple(f"{c.id}  {c.label}" for c in choices)
    assert any("|" in line and "›" in line for line in outcome.lines)
    with pytest.raises(InvalidInput, match="runs on no ticket"):
        await kapture.run_action("dispositions", "1", {})


async def test_without_known_dispositions_the_path_is_typed(
    make_adapter: MakeAdapter, sim: Sim
) -> None:
    async with make_adapter(sim.app, dispositions=[]) as adapter:
        field = adapter.action("disposition").field("disposition")
        assert field.kind.value == "text" and "Support|Query" in field.help
