"""Snapshots of the ticket list at 80x24: fixed data, fixed clock, due times in UTC."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from adapters.model import Person, Ticket


@pytest.fixture
def snapshot_tickets(kit: Any) -> list[Ticket]:
    t = kit.ticket
    return [
        t(101, "Printer on fire in the third floor office", status="new", priority=1,
          assignee="ana", updated_minutes_ago=2, due_in_hours=-3),
        t(102, "[bold red]x and [@click=app.quit]y stay plain text", status="open",
          priority=2, updated_minutes_ago=14),
        t(7, "Refund for order 4411", desk="halo", status="pending", priority=3,
          assignee="bo", group="Billing", updated_minutes_ago=65, due_in_hours=20),
        t(103, "請求書の再発行をお願いします（至急）", status="progress", priority=2,
          assignee="ana", updated_minutes_ago=180),
        t(104, "VPN drops every 10 minutes", status="closed", priority=4,
          updated_minutes_ago=60 * 26,
          requester=Person(name="Zed Zulu", email="zed@zulu.test")),
        t(8, "Cannot log in after password reset", desk="halo", status="resolved",
          priority=None, updated_minutes_ago=60 * 24 * 3),
        t(105, "New laptop for onboarding", status="open", priority=3, group="Sales",
          updated_minutes_ago=60 * 24 * 40, due_in_hours=-100),
    ]  # fmt: skip


def test_ticket_list_80x24(
    snap_compare: Callable[..., bool], kit: Any, snapshot_tickets: list[Ticket]
) -> None:
    # Cursor on the third row, the second and fourth marked.
    app = kit.App(snapshot_tickets)
    assert snap_compare(app, press=["j", "space", "j", "space", "k", "k"], terminal_size=(80, 24))


def test_ticket_list_80x24_ansi_sorted(
    snap_compare: Callable[..., bool], kit: Any, snapshot_tickets: list[Ticket]
) -> None:
    app = kit.App(snapshot_tickets)

    async def arrange(pilot: Any) -> None:
        app.theme = "ansi-dark"
        app.ticket_list.sort_by("priority")
        app.ticket_list.sort_by("updated", add=True)
        await pilot.press("space", "j")

    assert snap_compare(app, run_before=arrange, terminal_size=(80, 24))
