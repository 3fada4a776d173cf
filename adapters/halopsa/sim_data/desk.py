"""The simulated HaloPSA instance in memory: its customers, tickets, actions and files, and
the writes the API makes to them.

Tickets are stored as the fields Halo keeps (``summary``, ``status_id``, ``team_id``, …,
times as epoch seconds); the simulator renders them as the API's JSON. A ticket's actions
are built on first read from ``(seed, ticket id)`` (:class:`adapters.simdata.LazyChildren`)
and kept for good once the ticket is written. Action ids count per ticket, as Halo's do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from adapters.simdata import LazyChildren


@dataclass(slots=True)
class Client:
    id: int
    name: str
    inactive: bool = False


@dataclass(slots=True)
class Site:
    id: int
    client_id: int
    name: str


@dataclass(slots=True)
class User:
    id: int
    name: str
    email: str
    client_id: int
    site_id: int


@dataclass(slots=True)
class Action:
    """One action on a ticket (``id`` counts from 1 per ticket)."""

    id: int
    ticket_id: int
    outcome_id: int
    outcome: str
    who: str
    who_type: int  # 0 system, 1 agent, 2 end user
    agent_id: int
    user_id: int
    when: int
    note: str
    hidden: bool
    new_status: int = 0
    old_status: int = 0
    emailto: str = ""
    emailcc: str = ""
    emailsubject: str = ""
    timetaken: float = 0.0
    important: bool = False
    attachment_count: int = 0


@dataclass(slots=True)
class Attachment:
    id: int
    ticket_id: int
    action_id: int
    filename: str
    content: bytes
    created: int
    note: str = ""


@dataclass(slots=True)
class Ticket:
    """A ticket's stored fields; ``custom`` maps field id to its stored value."""

    id: int
    summary: str
    details: str
    status_id: int
    tickettype_id: int
    priority_id: int
    sla_id: int
    team_id: int
    agent_id: int
    client_id: int
    site_id: int
    user_id: int
    user_name: str
    reportedby: str
    category_1: str
    created: int
    last_action: int
    last_update: int
    respond_by: int
    fix_by: int
    closed: int = 0
    impact: int = 3
    urgency: int = 3
    onhold: bool = False
    tags: tuple[str, ...] = ()
    custom: dict[int, Any] = field(default_factory=dict)
    closure_note: str = ""
    deleted: bool = False
    deleted_reason: str = ""
    merged_into: int = 0
    fraction: int = 0  # the sub-second digits this ticket's times are written with
    topic: int = 0  # index of its topic in the shared corpus


@dataclass
class SentEmail:
    """An e-mail the desk sent for an action (``sendemail: true``)."""

    ticket_id: int
    action_id: int
    to: str
    cc: str
    subject: str
    body: str


class HaloDesk:
    """The instance's data; the simulator reads and writes it, tests inspect it."""

    def __init__(
        self,
        seed: int,
        now: int,
        generate_actions: Callable[[Ticket], list[Action]],
    ) -> None:
        self.seed = seed
        self.now = now
        self.clients: dict[int, Client] = {}
        self.sites: dict[int, Site] = {}
        self.users: dict[int, User] = {}
        self.tickets: dict[int, Ticket] = {}
        self.actions: LazyChildren[list[Action]] = LazyChildren(generate_actions)
        self.attachments: dict[int, list[Attachment]] = {}
        self.next_attachment_id = 1
        self.outbox: list[SentEmail] = []
        self.clock: Callable[[], int] = lambda: self.now

    # ---- reads ------------------------------------------------------------------------

    def live(self) -> list[Ticket]:
        return [t for t in self.tickets.values() if not t.deleted]

    def ticket_actions(self, ticket: Ticket) -> list[Action]:
        return self.actions.get(ticket)

    def user_by_email(self, email: str) -> User | None:
        folded = email.strip().casefold()
        return next((u for u in self.users.values() if u.email.casefold() == folded), None)

    # ---- writes -----------------------------------------------------------------------

    def next_ticket_id(self) -> int:
        return max(self.tickets, default=0) + 1

    def add_action(self, ticket: Ticket, action: Action) -> Action:
        """Append ``action`` (its id is given here) and touch the ticket."""
        owned = self.actions.own(ticket)
        action.id = max((a.id for a in owned), default=0) + 1
        owned.append(action)
        ticket.last_action = action.when
        ticket.last_update = action.when
        return action

    def add_attachment(
        self, ticket: Ticket, filename: str, content: bytes, note: str = ""
    ) -> Attachment:
        attachment = Attachment(
            id=self.next_attachment_id,
            ticket_id=ticket.id,
            action_id=0,
            filename=filename,
            content=content,
            created=self.clock(),
            note=note,
        )
        self.next_attachment_id += 1
        self.attachments.setdefault(ticket.id, []).append(attachment)
        ticket.last_update = attachment.created
        return attachment
