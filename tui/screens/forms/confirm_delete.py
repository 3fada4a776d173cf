"""Confirmation of a delete: the agent types what is being destroyed before it is.

Deleting a ticket cannot be undone, so ``y`` or enter are not enough: the agent types the
ticket's display id (``VAN-845-20794``, as the list shows it), or, for several tickets,
their number. Tickets on desks that cannot delete are listed with the desk's reason and
are not part of the count; when none can be deleted the form can only be cancelled.

Dismisses with ``True`` to delete the deletable tickets, ``False`` otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label

from adapters.base import Capability
from adapters.model import Ticket
from tui.listing import display_id_text, ticket_name
from tui.screens.forms.base import FormScreen, by_desk, fid, field_error

NO_CONNECTION = "no connection with this name is configured"


def _tickets(count: int) -> str:
    return f"{count} ticket{'s' if count != 1 else ''}"


class ConfirmDeleteScreen(FormScreen[bool]):
    """Ask before deleting ``tickets``.

    Args:
        tickets: the targeted tickets, on any desks.
        delete: each connection's ``delete`` capability (a missing one cannot delete).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Delete", priority=True),
    ]
    SUBMIT_LABEL = "Delete"

    def __init__(self, tickets: Sequence[Ticket], delete: Mapping[str, Capability]) -> None:
        if not tickets:
            raise ValueError("delete needs at least one ticket")
        self.tickets = list(tickets)
        self.refused: dict[str, str] = {}
        """Connection -> why its tickets cannot be deleted."""
        for connection in by_desk(self.tickets):
            capability = delete.get(connection)
            if capability is None:
                self.refused[connection] = NO_CONNECTION
            elif not capability.supported:
                self.refused[connection] = capability.reason or "the desk cannot delete tickets"
        self.deletable = [t for t in self.tickets if t.key.connection not in self.refused]
        if len(self.deletable) == 1:
            title = f"Delete {ticket_name(self.deletable[0])}?"
        else:
            title = f"Delete {_tickets(len(self.deletable))}?"
        super().__init__(title)

    @property
    def expected(self) -> str:
        """What the agent must type: the one ticket's display id, or the count."""
        if len(self.deletable) == 1:
            return display_id_text(self.deletable[0])
        return str(len(self.deletable))

    @property
    def can_submit(self) -> bool:
        return bool(self.deletable)

    def compose_body(self) -> ComposeResult:
        with Vertical(id="f-plan"):
            for connection, tickets in by_desk(self.tickets).items():
                reason = self.refused.get(connection)
                if reason is not None:
                    line = f"{connection}: {_tickets(len(tickets))}: NOT DELETED: {reason}"
                    yield Label(line, classes="plan-desk -unsupported", markup=False)
                elif len(tickets) == 1:
                    line = f"{ticket_name(tickets[0])}  {tickets[0].subject}"
                    yield Label(line, classes="plan-desk", markup=False)
                else:
                    yield Label(
                        f"{connection}: {_tickets(len(tickets))}", classes="plan-desk", markup=False
                    )
        if not self.deletable:
            yield Label(
                "Nothing can be deleted: no desk in the selection allows it.",
                classes="notice -unsupported",
                markup=False,
            )
            return
        yield Label(
            "This cannot be undone: the desk removes the ticket and its conversation.",
            classes="notice -unsupported",
            markup=False,
        )
        if len(self.deletable) == 1:
            prompt = f"Type the ticket's id, {self.expected}, to delete it."
        else:
            prompt = f"Type {self.expected}, the number of tickets, to delete them."
        yield Label(prompt, classes="form-hint", markup=False)
        with Horizontal(classes="form-row"):
            yield Label("Confirm", classes="field-label")
            with Vertical(classes="field-box"):
                yield Input(id=fid("confirm"), compact=True)
                yield field_error("confirm")

    def action_cancel(self) -> None:
        self.dismiss(False)

    def build_result(self, errors: dict[str, str]) -> bool | None:
        typed = self.query_one(f"#{fid('confirm')}", Input).value.strip()
        if typed.casefold() != self.expected.casefold():
            errors["confirm"] = (
                f"Type {self.expected} exactly to delete; "
                f"{'nothing' if not typed else repr(typed)} does not match."
            )
            return None
        return True
