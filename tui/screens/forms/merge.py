"""The Merge form: pick, among the selected tickets, the one the others merge into.

A merge happens inside one desk: no desk can merge its ticket into another vendor's, so a
selection spanning desks is explained and refused. Before the agent confirms, the form says
whether the desk merges natively or emulates it (``Capabilities.merge``): an emulated merge
copies each source's conversation into the target as a private note, notes "merged into"
on each source and closes the sources, which is not the same as a real merge.

The oldest ticket is proposed as the target; up/down moves the choice, and each line
says "keep" or "merge" so the choice never depends on colour alone. Dismisses with the target's
:class:`~adapters.model.TicketKey` (the sources are the other tickets), or ``None``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from adapters.base import Capabilities
from adapters.model import Ticket, TicketKey
from tui.presentation import ticket_name
from tui.screens.forms.base import FormScreen, by_desk, fid, field_error
from tui.widgets.vim import VimOptionList

EMULATION = (
    "Emulated merge: each other ticket's conversation is copied into the target as a "
    "private note, a note on it says where it went, and it is closed."
)


def emulation_text(reason: str) -> str:
    """How the emulated merge works, said once: the desk's reason alone when it already
    says what happens (it names the note), else the app's account, then the reason."""
    if "note" in reason.casefold():
        return f"Emulated merge: {reason.rstrip('.')}."
    return f"{EMULATION} {reason}" if reason else EMULATION


class MergeScreen(FormScreen[TicketKey]):
    """Merge the selected ``tickets`` into one of them.

    Args:
        tickets: the selection (two or more tickets of one desk to be mergeable).
        capabilities: connection -> that desk's capabilities, for every desk in ``tickets``.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Merge", priority=True),
    ]
    SUBMIT_LABEL = "Merge"

    def __init__(self, tickets: Sequence[Ticket], capabilities: Mapping[str, Capabilities]) -> None:
        count = len(tickets)
        super().__init__(f"Merge {count} ticket{'s' if count != 1 else ''}")
        self.tickets = sorted(tickets, key=lambda ticket: (ticket.created, str(ticket.key)))
        self.capabilities = capabilities
        self.problem = self._problem()
        self.target_index = 0

    def _problem(self) -> str:
        """Why these tickets cannot be merged, or ``""``."""
        desks = by_desk(self.tickets)
        if len(desks) > 1:
            return (
                f"The selection spans {len(desks)} desks ({', '.join(desks)}). A desk can "
                "only merge its own tickets: mark tickets of one desk."
            )
        if len(self.tickets) < 2:
            return "Mark at least two tickets: the one to keep and those to merge into it."
        connection = next(iter(desks))
        caps = self.capabilities.get(connection)
        if caps is None:
            return f"{connection} is not a configured connection."
        if not caps.merge.supported:
            reason = caps.merge.reason or "the desk does not support it"
            return f"{connection} cannot merge tickets: {reason}"
        return ""

    @property
    def can_submit(self) -> bool:
        return not self.problem

    def compose_body(self) -> ComposeResult:
        if self.problem:
            yield Label(self.problem, classes="notice -unsupported", markup=False)
            return
        merge = self.capabilities[self.tickets[0].key.connection].merge
        if merge.emulated:
            yield Label(emulation_text(merge.reason), classes="notice -emulated", markup=False)
        else:
            native = "Native merge: the desk merges the tickets itself."
            how = f"{native} {merge.reason}" if merge.reason else native
            yield Label(how, classes="notice", markup=False)
        yield Label(
            "Keep which ticket? Move with up/down; the others merge into it.",
            classes="field-title",
        )
        yield VimOptionList(*self._lines(), id=fid("target"))
        yield field_error("target")

    def on_mount(self) -> None:
        if not self.problem:
            target = self.query_one(f"#{fid('target')}", OptionList)
            target.highlighted = self.target_index
            target.focus()

    def _lines(self) -> list[Option]:
        # The words "keep" and "merge" say which is which, with colour or without.
        return [
            Option(
                Content(
                    f"{'keep  ▶' if index == self.target_index else 'merge  '} "
                    f"{ticket_name(ticket)}  {ticket.subject}"
                )
            )
            for index, ticket in enumerate(self.tickets)
        ]

    @on(OptionList.OptionHighlighted, f"#{fid('target')}")
    def _target_moved(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option_index == self.target_index:
            return
        self.target_index = event.option_index
        target = event.option_list
        for index, line in enumerate(self._lines()):
            target.replace_option_prompt_at_index(index, line.prompt)

    @property
    def target(self) -> TicketKey | None:
        """The ticket the others merge into (``None`` when the merge cannot happen)."""
        return None if self.problem else self.tickets[self.target_index].key

    def build_result(self, errors: dict[str, str]) -> TicketKey | None:
        if not 0 <= self.target_index < len(self.tickets):
            errors["target"] = "Pick the ticket to keep."
            return None
        return self.tickets[self.target_index].key
