"""Fixtures for the modal forms, the bulk runner and the outbox.

Test data is built from the normalised model only. ``host`` makes a tiny App that loads
``styles/forms.tcss`` (as the real app does), pushes one screen and records what it
dismissed with. ``FakeDesk`` is a small in-test :class:`Adapter` whose failures,
capabilities and concurrency can be set per test; the runner is also tested against the
real Kayako adapter on its simulator (test_bulk_kayako.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Label

from adapters.base import Adapter, Capabilities, Capability, ConnectionSettings, NotFound
from adapters.model import (
    ActionResult,
    Change,
    Choice,
    CustomField,
    CustomFieldValue,
    FieldType,
    Health,
    HealthState,
    Lookups,
    NewTicket,
    Person,
    Post,
    StatusCategory,
    Ticket,
    TicketDetail,
    TicketKey,
    TicketPage,
    TicketQuery,
    Visibility,
)

FORMS_TCSS = Path(__file__).resolve().parents[2] / "styles" / "forms.tcss"
T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


# ------------------------------------------------------------------------------ data


def make_ticket(
    connection: str,
    native_id: str,
    subject: str = "Printer on fire",
    *,
    status: Choice | None = None,
    group: Choice | None = None,
    assignee: Person | None = None,
    age: int = 0,
) -> Ticket:
    return Ticket(
        key=TicketKey(connection, native_id),
        display_id=f"T-{native_id}",
        subject=subject,
        status=status,
        group=group,
        assignee=assignee,
        created=T0 + timedelta(hours=age),
        updated=T0 + timedelta(hours=age + 1),
    )


OPEN = Choice(id="1", label="Open", category=StatusCategory.OPEN)
CLOSED = Choice(id="3", label="Closed", category=StatusCategory.CLOSED)
WAITING = Choice(id="5", label="Waiting on billing", category=StatusCategory.PENDING, scope="20")
SUPPORT = Choice(id="10", label="Support")
BILLING = Choice(id="20", label="Billing")

LOOKUPS = Lookups(
    statuses=(
        OPEN,
        Choice(id="2", label="In progress", category=StatusCategory.OPEN),
        CLOSED,
        WAITING,
    ),
    priorities=(Choice(id="1", label="Urgent", rank=1), Choice(id="2", label="Normal", rank=3)),
    types=(Choice(id="1", label="Incident"), Choice(id="2", label="Question")),
    agents=(
        Choice(id="7", label="Alice Archer", detail="alice@example.com"),
        Choice(id="8", label="Bob Baker", detail="bob@example.com"),
        Choice(id="9", label="Carol [bold red]Cole", detail="carol@example.com"),
    ),
    groups=(SUPPORT, BILLING),
)

FULL = Capabilities(
    update=Capability.yes(),
    assign=Capability.yes(),
    close=Capability.yes("sets a status marked resolved"),
    merge=Capability.emulate("Kayako Classic has no merge in its API"),
    reply=Capability.yes(),
    note=Capability.yes(),
    custom_fields=Capability.yes(),
    create=Capability.yes(),
    max_concurrency=3,
)

LIMITED = Capabilities(
    update=Capability.yes(),
    update_fields=frozenset({"status_id", "priority_id"}),
    assign=Capability.no("tickets move between queues, not agents"),
    close=Capability.no("closing needs a solution entered on the desk"),
    merge=Capability.yes("merged by the desk"),
    reply=Capability.no("the API only takes internal comments"),
    note=Capability.yes(),
    custom_fields=Capability.no("read-only in this desk's API"),
    create=Capability.no("not offered"),
    max_concurrency=2,
)

CAPS: dict[str, Capabilities] = {"acme": FULL, "halo": LIMITED}

HOSTILE = "[bold red]x[/] [@click=app.quit]y[/]"


def one_ticket() -> list[Ticket]:
    """One open acme ticket with a :data:`HOSTILE` subject, in Support, assigned to Alice."""
    return [
        make_ticket(
            "acme",
            "12",
            HOSTILE,
            status=OPEN,
            group=SUPPORT,
            assignee=Person(id="7", name="Alice Archer"),
        )
    ]


CUSTOM_FIELDS = (
    CustomField(key="abc1", label="Order no.", group="Order", type=FieldType.TEXT, value="A-1"),
    CustomField(
        key="abc2", label="Seats", group="Order", type=FieldType.NUMBER, value=5.0, required=True
    ),
    CustomField(
        key="abc3", label="Renewal", group="Order", type=FieldType.DATE, value="2024-12-31"
    ),
    CustomField(
        key="abc4",
        label="Plan",
        group="Account",
        type=FieldType.SELECT,
        value="Pro",
        options=(Choice(id="p1", label="Basic"), Choice(id="p2", label="Pro")),
    ),
    CustomField(
        key="abc5",
        label="Products",
        group="Account",
        type=FieldType.MULTI_SELECT,
        value=["Mail"],
        options=(
            Choice(id="m1", label="Mail"),
            Choice(id="m2", label="Chat"),
            Choice(id="m3", label=HOSTILE),
        ),
    ),
    CustomField(key="abc6", label="VIP", group="Account", type=FieldType.CHECKBOX, value=False),
    CustomField(
        key="abc7",
        label="Created by",
        group="Account",
        type=FieldType.TEXT,
        value="import bot",
        editable=False,
    ),
)


# ------------------------------------------------------------------------------ host app


class HostApp(App[None]):
    """Pushes one screen on mount and records every result it dismisses with."""

    CSS_PATH = str(FORMS_TCSS)

    def __init__(self, factory: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self.factory = factory
        self.results: list[object] = []
        self.form: Screen[Any] | None = None

    def compose(self) -> ComposeResult:
        yield Label("the main screen would be here")

    async def on_mount(self) -> None:
        self.form = self.factory()
        await self.push_screen(self.form, self.results.append)
        # A blinking cursor would make snapshots depend on how long the run took.
        for widget in self.form.query("Input, TextArea"):
            widget.cursor_blink = False  # type: ignore[attr-defined]


class SuspendingHostApp(HostApp):
    """A host whose ``suspend`` hands over nothing: the headless test driver has no
    terminal to give the editor, so this stands in for that one step while the editor
    subprocess and the file round trip run for real."""

    suspended = 0

    @contextmanager
    def suspend(self) -> Iterator[None]:
        type(self).suspended += 1
        yield


# ------------------------------------------------------------------------------ fake desk


class FakeDesk(Adapter):
    """An in-memory desk: ``missing`` ids raise NotFound; it records concurrency."""

    vendor = "fake"

    def __init__(
        self,
        name: str,
        capabilities: Capabilities,
        *,
        missing: Sequence[str] = (),
        delay: float = 0.0,
    ) -> None:
        super().__init__(ConnectionSettings(name=name, vendor="fake", url="http://fake.test"))
        self.capabilities = capabilities  # type: ignore[misc]
        self.missing = set(missing)
        self.delay = delay
        self.in_flight = 0
        self.peak = 0
        self.calls: list[str] = []
        self.closed: list[str] = []

    async def _enter(self, ticket_id: str) -> None:
        self.calls.append(ticket_id)
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            # Yield to the loop several times so concurrent calls really overlap.
            for _ in range(3):
                await asyncio.sleep(self.delay)
        finally:
            self.in_flight -= 1
        if ticket_id in self.missing:
            raise NotFound(self.name, f"ticket {ticket_id} does not exist")

    def ticket(self, ticket_id: str) -> Ticket:
        return make_ticket(self.name, ticket_id, status=CLOSED)

    async def aclose(self) -> None:
        return None

    async def check(self) -> Health:
        return Health(connection=self.name, state=HealthState.OK, checked_at=T0)

    async def lookups(self) -> Lookups:
        return LOOKUPS

    async def list_tickets(self, query: TicketQuery | None = None) -> AsyncIterator[TicketPage]:
        yield TicketPage(tickets=(), offset=0, total=0)

    async def get_ticket(self, ticket_id: str) -> TicketDetail:
        await self._enter(ticket_id)
        return TicketDetail(ticket=self.ticket(ticket_id))

    async def update(self, ticket_id: str, change: Change) -> Ticket:
        await self._enter(ticket_id)
        return self.ticket(ticket_id)

    async def assign(self, ticket_id: str, agent_id: str | None, group_id: str | None) -> Ticket:
        await self._enter(ticket_id)
        return self.ticket(ticket_id)

    async def add_post(self, ticket_id: str, text: str, visibility: Visibility) -> Post:
        await self._enter(ticket_id)
        raise NotFound(self.name, "posting is not simulated")

    async def close(self, ticket_id: str, note: str = "", resolution: str = "") -> Ticket:
        await self._enter(ticket_id)
        self.closed.append(ticket_id)
        return self.ticket(ticket_id)

    async def merge(self, target_id: str, source_ids: Sequence[str]) -> list[ActionResult]:
        await self._enter(target_id)
        return []

    async def set_custom_fields(
        self, ticket_id: str, values: Mapping[str, CustomFieldValue]
    ) -> tuple[CustomField, ...]:
        await self._enter(ticket_id)
        return ()

    async def create_ticket(self, new: NewTicket) -> TicketDetail:
        raise NotFound(self.name, "creating is not simulated")


class FormsData:
    """Everything above, handed to the tests as one fixture (``data``): with
    ``--import-mode=importlib`` test modules cannot import this conftest."""

    T0 = T0
    OPEN = OPEN
    CLOSED = CLOSED
    WAITING = WAITING
    SUPPORT = SUPPORT
    BILLING = BILLING
    LOOKUPS = LOOKUPS
    FULL = FULL
    LIMITED = LIMITED
    CAPS = CAPS
    HOSTILE = HOSTILE
    CUSTOM_FIELDS = CUSTOM_FIELDS
    HostApp = HostApp
    SuspendingHostApp = SuspendingHostApp
    FakeDesk = FakeDesk
    make_ticket = staticmethod(make_ticket)
    one_ticket = staticmethod(one_ticket)


@pytest.fixture
def data() -> type[FormsData]:
    return FormsData
