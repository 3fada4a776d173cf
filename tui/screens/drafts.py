"""The unsent drafts (``d``): every reply and note the outbox still holds, one line each,
with its desk, ticket, kind, age and last error; enter opens the chosen draft in the
editor on its ticket, to send it again or discard it.

A list rather than a notification: a toast disappears before an agent can act on it, and
with several drafts the agent has to pick one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from adapters.model import TicketKey, Visibility
from adapters.text import clean_line
from tui.listing import age_text
from tui.outbox import OutboxEntry, OutboxState
from tui.widgets.vim import VimOptionList


def draft_line(entry: OutboxEntry, name: str, now: datetime) -> str:
    """One draft: ``acme · acme:T-12 · reply · 5m · failed: desk said no``."""
    kind = "reply" if entry.visibility is Visibility.PUBLIC else "note"
    state = "failed" if entry.state is OutboxState.FAILED else entry.state.value
    error = f": {clean_line(entry.last_error)}" if entry.last_error else ""
    connection = clean_line(entry.key.partition(":")[0])
    age = age_text(entry.created, now)
    return f"{connection} · {name} · {kind} · {age} · {state}{error}"


class DraftOptions(VimOptionList):
    """The drafts."""


class DraftsScreen(ModalScreen[OutboxEntry | None]):
    """Pick an unsent draft; dismisses with it, or ``None`` (escape)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,d", "close", "Close", id="close_drafts"),
    ]

    def __init__(
        self,
        entries: Sequence[OutboxEntry],
        *,
        name_of: Callable[[TicketKey], str],
        now: datetime,
    ) -> None:
        super().__init__()
        self.entries = list(entries)
        self.name_of = name_of
        self.now = now

    def compose(self) -> ComposeResult:
        count = len(self.entries)
        with Vertical(id="drafts-dialog"):
            yield Static(
                Content(f"Unsent drafts ({count}): enter opens one, escape closes"),
                id="drafts-title",
            )
            yield DraftOptions(
                *(
                    Option(Content(draft_line(entry, self.name_of(entry.ticket_key), self.now)))
                    for entry in self.entries
                ),
                id="drafts-list",
            )
        yield Footer()

    def on_mount(self) -> None:
        options = self.query_one(DraftOptions)
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected, "#drafts-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.entries[event.option_index])

    def action_close(self) -> None:
        self.dismiss(None)
