"""The Close form: close or resolve the targeted tickets the desk's own way, with a note.

Desks disagree on what closing is (Kayako sets a status marked "resolved", HaloPSA resolves
and may notify, InvGate posts a solution…), so the form says, for each desk in the
selection, what closing means there (``Capabilities.close.reason``), or why it cannot
close at all. Closing needs no desk ids, so the selection may span desks.

Dismisses with ``(note, resolution)`` (both may be empty), or ``None`` when cancelled.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, TextArea

from adapters.base import Capabilities
from adapters.model import Ticket
from tui.screens.forms.base import FormScreen, by_desk, describe_targets, fid, field_error

CloseRequest = tuple[str, str]
"""``(note, resolution)``."""

MAX_RESOLUTION = 255


class CloseScreen(FormScreen[CloseRequest]):
    """Close ``tickets``, which may span desks.

    Args:
        tickets: the targeted tickets.
        capabilities: connection -> that desk's capabilities, for every desk in ``tickets``.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Close tickets", priority=True),
    ]
    SUBMIT_LABEL = "Close tickets"

    def __init__(self, tickets: Sequence[Ticket], capabilities: Mapping[str, Capabilities]) -> None:
        if not tickets:
            raise ValueError("Close needs at least one ticket")
        super().__init__(f"Close {describe_targets(tickets)}")
        self.tickets = list(tickets)
        self.capabilities = capabilities
        self.desks = by_desk(tickets)

    def _can_close(self, connection: str) -> bool:
        caps = self.capabilities.get(connection)
        return caps is not None and caps.close.supported

    @property
    def closable(self) -> int:
        """How many of the tickets are on a desk that can close them."""
        return sum(len(group) for name, group in self.desks.items() if self._can_close(name))

    @property
    def can_submit(self) -> bool:
        return self.closable > 0

    def compose_body(self) -> ComposeResult:
        with Vertical(classes="desk-notes"):
            for name, group in self.desks.items():
                yield self._desk_line(name, len(group))
        done = sum(1 for ticket in self.tickets if ticket.is_done)
        if done:
            which = "is" if done == 1 else "are"
            yield Label(
                f"{done} of the tickets {which} already resolved or closed.",
                classes="form-hint",
                markup=False,
            )
        if not self.can_submit:
            return
        yield Label("Resolution (optional, one line)", classes="field-title")
        yield Input(id=fid("resolution"), compact=True)
        yield field_error("resolution")
        yield Label("Note (optional, added as the ticket is closed)", classes="field-title")
        yield TextArea(id=fid("note"), soft_wrap=True, compact=True)

    def _desk_line(self, name: str, count: int) -> Label:
        tickets = "ticket" if count == 1 else "tickets"
        caps = self.capabilities.get(name)
        if caps is None:
            return Label(
                f"{name}: {count} {tickets}: not sent: this connection is not configured",
                classes="notice -unsupported",
                markup=False,
            )
        close = caps.close
        if not close.supported:
            reason = close.reason or "the desk does not support it"
            return Label(
                f"{name}: {count} {tickets}: cannot close here: {reason}",
                classes="notice -unsupported",
                markup=False,
            )
        meaning = close.reason or "closes the ticket"
        emulated = " (emulated)" if close.emulated else ""
        return Label(
            f"{name}: {count} {tickets}: {meaning}{emulated}",
            classes="notice -emulated" if close.emulated else "notice",
            markup=False,
        )

    def build_result(self, errors: dict[str, str]) -> CloseRequest | None:
        resolution = " ".join(self.query_one(f"#{fid('resolution')}", Input).value.split())
        note = self.query_one(f"#{fid('note')}", TextArea).text.strip()
        if len(resolution) > MAX_RESOLUTION:
            errors["resolution"] = f"At most {MAX_RESOLUTION} characters ({len(resolution)} now)."
        if errors:
            return None
        return (note, resolution)
