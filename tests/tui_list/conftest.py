"""Fixtures for the ticket list tests: a ticket factory, fixed data and a host app.

Test modules cannot import this file (``--import-mode=importlib``), so what they need
hangs off the ``kit`` fixture: ``kit.ticket(...)`` builds a ticket, ``kit.numbered(n)``
a run of them, ``kit.App`` hosts one :class:`TicketList` (fixed clock :data:`NOW`, due
times in UTC) and records its messages, ``kit.lines(widget)`` reads back what it renders.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.message import Message

from adapters.model import Choice, Person, StatusCategory, Ticket, TicketKey
from tui.widgets.ticket_list import TicketList

STYLESHEET = Path(__file__).resolve().parents[2] / "styles" / "ticket_list.tcss"
NOW = datetime(2025, 11, 24, 12, 0, tzinfo=UTC)

STATUSES = {
    "new": Choice(id="1", label="New", category=StatusCategory.NEW),
    "open": Choice(id="2", label="Open", category=StatusCategory.OPEN),
    "progress": Choice(id="3", label="In Progress", category=StatusCategory.OPEN),
    "pending": Choice(id="4", label="Waiting", category=StatusCategory.PENDING),
    "resolved": Choice(id="5", label="Resolved", category=StatusCategory.RESOLVED),
    "closed": Choice(id="6", label="Closed", category=StatusCategory.CLOSED),
}
PRIORITIES = {
    rank: Choice(id=str(rank), label=label, rank=rank)
    for rank, label in [(1, "Urgent"), (2, "High"), (3, "Medium"), (4, "Low")]
}
GROUPS = {name: Choice(id=name, label=name) for name in ("Support", "Billing", "Sales")}
AGENTS = {
    "ana": Person(id="a1", name="Ana Lima", email="ana@example.com"),
    "bo": Person(id="a2", name="Bo Chen", email="bo@example.com"),
}


def make_ticket(
    native_id: str | int,
    subject: str = "A ticket",
    *,
    desk: str = "kayako",
    display_id: str | None = None,
    status: str | None = "open",
    priority: int | None = 3,
    assignee: str | None = None,
    group: str | None = "Support",
    requester: Person | None = None,
    updated_minutes_ago: float = 60,
    due_in_hours: float | None = None,
) -> Ticket:
    """A normalised ticket with readable defaults; times are relative to :data:`NOW`."""
    updated = NOW - timedelta(minutes=updated_minutes_ago)
    return Ticket(
        key=TicketKey(desk, str(native_id)),
        display_id=display_id if display_id is not None else str(native_id),
        subject=subject,
        status=STATUSES[status] if status else None,
        priority=PRIORITIES[priority] if priority else None,
        requester=requester or Person(name="Carla Customer", email="carla@customer.test"),
        assignee=AGENTS[assignee] if assignee else None,
        group=GROUPS[group] if group else None,
        created=updated - timedelta(days=1),
        updated=updated,
        due=NOW + timedelta(hours=due_in_hours) if due_in_hours is not None else None,
    )


def numbered(count: int, *, desk: str = "kayako", start: int = 1) -> list[Ticket]:
    """``count`` tickets updated one minute apart: id ``start`` is the most recent."""
    return [
        make_ticket(n, f"Ticket number {n}", desk=desk, updated_minutes_ago=n)
        for n in range(start, start + count)
    ]


class ListApp(App[None]):
    """A host for one TicketList, recording the messages it posts."""

    CSS_PATH = str(STYLESHEET)

    def __init__(
        self, tickets: Iterable[Ticket] = (), *, cursor_style: str = "arrow", **options: Any
    ) -> None:
        super().__init__()
        self._tickets = list(tickets)
        self._cursor_style = cursor_style
        self._options = options
        self.messages: list[Message] = []

    def compose(self) -> ComposeResult:
        yield TicketList(
            self._tickets,
            now=lambda: NOW,
            tz=UTC,
            cursor_style=self._cursor_style,  # type: ignore[arg-type]
            **self._options,
        )

    def on_mount(self) -> None:
        self.query_one(TicketList).focus()

    @property
    def ticket_list(self) -> TicketList:
        return self.query_one(TicketList)

    def on_ticket_list_cursor_changed(self, message: TicketList.CursorChanged) -> None:
        self.messages.append(message)

    def on_ticket_list_marks_changed(self, message: TicketList.MarksChanged) -> None:
        self.messages.append(message)

    def on_ticket_list_filter_applied(self, message: TicketList.FilterApplied) -> None:
        self.messages.append(message)

    def on_ticket_list_opened(self, message: TicketList.Opened) -> None:
        self.messages.append(message)

    def last(self, kind: type[Message]) -> Any:
        """The most recent message of ``kind``."""
        found = [message for message in self.messages if isinstance(message, kind)]
        assert found, f"no {kind.__name__} was posted"
        return found[-1]


def screen_lines(ticket_list: TicketList) -> list[str]:
    """The text of every line the list renders now (header first)."""
    return [ticket_list.render_line(y).text for y in range(ticket_list.size.height)]


class Kit:
    """Everything the tests share, as attributes (see the module docstring)."""

    NOW = NOW
    STYLESHEET = STYLESHEET
    STATUSES = STATUSES
    PRIORITIES = PRIORITIES
    AGENTS = AGENTS
    App = ListApp
    ticket = staticmethod(make_ticket)
    numbered = staticmethod(numbered)
    lines = staticmethod(screen_lines)


@pytest.fixture
def kit() -> Kit:
    return Kit()
