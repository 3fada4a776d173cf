"""The simulated Kapture server's records: a ticket (task) and one conversation message.

A Kapture ticket has two identities: the numeric task ``id`` (``taskId`` in Get and Pull)
and the ``ticketId`` string agents see, which Update and Get take. Here ``ticketId`` is
the creation time in milliseconds without its leading digit, as Kapture's own ids are
(``713516551148`` was created at 1713516551148 ms).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Ticket:
    id: int  # the task id
    ticket_id: str  # the ticketId agents see
    title: str
    detail: str
    source: str  # the ticket type / source code (SOURCES)
    substatus: str  # sub-status key
    queue: str  # queue key ("" = none)
    disposition: str  # "A|B|C" or ""
    assignee: int  # agent id, 0 = nobody
    creator: int
    customer_name: str
    email: str
    phone: str
    created: int  # epoch seconds
    updated: int
    follow_up: int  # nextFollowUp: the callback time when one is set, else the creation
    callback: bool
    priority: int  # 0 none, 1 low … 3 high
    escalated: bool
    ended: int  # taskEnddate: when it was completed (0: not yet)
    topic: int = -1  # index into the shared topic corpus (-1: created through the API)
    variant: int = 0
    hostile: int = -1
    messages: int = 0  # how many seeded messages its conversation has
    fields: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(slots=True)
class Message:
    """One entry of a ticket's conversation: ``kind`` is the conversation type it is listed
    under (``chat``, ``email`` or ``notes``; comments added by Update are ``notes``)."""

    id: int
    kind: str
    body: str
    sender: str
    receiver: str
    sent: int
    from_customer: bool
