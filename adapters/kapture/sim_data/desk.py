"""The simulated Kapture desk in memory: its tickets, their conversations, and the writes
the four ticket APIs make.

Ticket rows are built eagerly (Pull filters them by creation day); conversations are
generated on first read from ``(seed, ticket)`` (:class:`adapters.simdata.LazyChildren`)
and kept for good once a ticket is written.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

from adapters.kapture.sim_data.config import API_AGENT, FIELD_GROUPS, SUB_STATUS_BY_KEY
from adapters.kapture.sim_data.records import Message, Ticket
from adapters.simdata.lazy import LazyChildren


class KaptureDesk:
    """Tickets by ticketId (and by task id), ordered by creation for the day windows."""

    def __init__(self, *, seed: int, now: int, generate: Callable[[Ticket], list[Message]]):
        self.seed = seed
        self.now = now
        self.tickets: dict[str, Ticket] = {}
        self.by_task: dict[int, Ticket] = {}
        self._order: list[tuple[int, int]] = []  # (created, task id), sorted
        self.conversations: LazyChildren[list[Message]] = LazyChildren(generate)
        self.next_task = 530_348_000
        self.next_message = 9_000_000
        self.clock: Callable[[], int] = lambda: self.now

    # ---- reading -----------------------------------------------------------------

    def add(self, ticket: Ticket) -> None:
        self.tickets[ticket.ticket_id] = ticket
        self.by_task[ticket.id] = ticket
        bisect.insort(self._order, (ticket.created, ticket.id))

    def created_between(self, start: int, end: int) -> list[Ticket]:
        """Tickets created in ``[start, end)`` (epoch seconds), oldest first."""
        low = bisect.bisect_left(self._order, (start, -1))
        high = bisect.bisect_left(self._order, (end, -1))
        return [self.by_task[task] for _, task in self._order[low:high]]

    def find(self, ref: str) -> Ticket | None:
        """A ticket by its ticketId (what Get and Update take)."""
        return self.tickets.get(ref.strip())

    def conversation(self, ticket: Ticket) -> list[Message]:
        return self.conversations.get(ticket)

    # ---- writing -----------------------------------------------------------------

    def new_ticket_id(self, created_ms: int) -> str:
        """``ticketId`` for a ticket created at ``created_ms``, unique on this desk."""
        candidate = created_ms
        while str(candidate)[1:] in self.tickets:
            candidate += 1
        return str(candidate)[1:]

    def comment(self, ticket: Ticket, text: str) -> Message:
        messages = self.conversations.own(ticket)
        self.next_message += 1
        message = Message(
            id=self.next_message,
            kind="notes",
            body=text,
            sender=API_AGENT.name,
            receiver="",
            sent=self.clock(),
            from_customer=False,
        )
        messages.append(message)
        ticket.updated = message.sent
        return message

    def set_substatus(self, ticket: Ticket, key: str) -> None:
        sub = SUB_STATUS_BY_KEY[key]
        was_done = SUB_STATUS_BY_KEY[ticket.substatus].status == "C"
        ticket.substatus = key
        if sub.status == "C" and not was_done:
            ticket.ended = self.clock()
        elif sub.status != "C":
            ticket.ended = 0
        ticket.updated = self.clock()

    def set_fields(self, ticket: Ticket, group: str, values: dict[str, str]) -> None:
        known = FIELD_GROUPS[group]
        stored = ticket.fields.setdefault(group, {})
        for name, value in values.items():
            if name in known:
                stored[name] = value
        ticket.updated = self.clock()
