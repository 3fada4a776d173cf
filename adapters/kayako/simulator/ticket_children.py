"""What a ticket's child controllers share: TicketPost, TicketNote, TicketTimeTrack and
TicketAttachment list, get and delete their records the same way.

``ListAll/$ticketid$[/$id$]`` lists every child (or only the one named; 0 or empty: all),
``Get`` and ``Delete`` take ``/$ticketid$/$id$``; an ID that does not exist is a 404 and
one of another ticket's children a 400, each controller with its own texts. ``Post`` takes
the ticket ID in the form, and is each controller's own.
"""

from __future__ import annotations

import abc
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import ClassVar

from adapters.kayako.sim_data import Ticket
from adapters.kayako.simulator.core import (
    Call,
    Controller,
    Methods,
    arg,
    ok_empty,
    refer_to,
    status,
)
from adapters.kayako.simulator.php import php_empty, php_intval
from adapters.simulation import SimResponse


@dataclass(frozen=True)
class ChildKind:
    """One child collection of a ticket: what its controller's ListAll, Get and Delete
    differ by."""

    missing: str  # the 404 text for an ID that does not exist
    foreign: str  # the 400 text for an ID of another ticket's child
    owner_of: Callable[[int], int | None]  # the ticket owning a child ID (None: gone)
    render: Callable[[Call, Ticket, int | None], SimResponse]  # (one or all) as XML
    delete: Callable[[Ticket, int], None]
    render_one: Callable[[Call, Ticket, int | None], SimResponse] | None = None  # Get's


class ChildController(Controller):
    """A ticket's child collection controller (``Tickets\\Api\\Controller_<name>``)."""

    name: ClassVar[str]

    @abc.abstractmethod
    def kind(self) -> ChildKind:
        """The collection's texts, lookup, rendering and deletion."""

    @abc.abstractmethod
    def create(self, call: Call, args: list[str]) -> SimResponse:
        """``Post``: a new child of the ticket the form names."""

    def methods(self) -> Methods:
        kind, on_ticket = self.kind(), self.site.on_ticket
        return {
            "GetList": refer_to(f"/Tickets/{self.name}/ListAll"),
            "ListAll": (on_ticket(partial(self._child_list, kind)), 1),
            "Get": (on_ticket(partial(self._child_get, kind)), 2),
            "Post": (self.create, 0),
            "Delete": (on_ticket(partial(self._child_delete, kind)), 2),
        }

    def _child_list(
        self, kind: ChildKind, call: Call, ticket: Ticket, args: list[str]
    ) -> SimResponse:
        """``ListAll/$ticketid$[/$id$]``: every child, or the one named (0 or empty: all)."""
        only_raw = arg(args, 1)
        only = php_intval(only_raw) if not php_empty(only_raw) else None
        return kind.render(call, ticket, only)

    def _child_found(
        self, kind: ChildKind, ticket: Ticket, raw_id: str
    ) -> tuple[int, SimResponse | None]:
        """A child by global ID: 404 when missing, 400 when another ticket's."""
        rid = php_intval(raw_id)
        owner = kind.owner_of(rid)
        if owner is None:
            return rid, status(404, kind.missing)
        if owner != ticket.id:
            return rid, status(400, kind.foreign)
        return rid, None

    def _child_get(
        self, kind: ChildKind, call: Call, ticket: Ticket, args: list[str]
    ) -> SimResponse:
        """``Get/$ticketid$/$id$``."""
        rid, error = self._child_found(kind, ticket, args[1])
        return error or (kind.render_one or kind.render)(call, ticket, rid)

    def _child_delete(
        self, kind: ChildKind, call: Call, ticket: Ticket, args: list[str]
    ) -> SimResponse:
        """``Delete/$ticketid$/$id$``."""
        rid, error = self._child_found(kind, ticket, args[1])
        if error is not None:
            return error
        kind.delete(ticket, rid)
        return ok_empty()
