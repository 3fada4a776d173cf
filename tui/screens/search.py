"""Searching the desks, not just the loaded list: the query form and the results view.

The quick filter (``/``) narrows the tickets already loaded; a desk holds more (closed
ones, other departments). :class:`SearchScreen` asks for a query; the caller runs each
desk's own search and pushes :class:`SearchResultsScreen`: the results of every desk in one
list, the query and each desk's count (or why it could not search) in the header. Enter
picks a ticket (the main list moves to it, loading it in if it was not there); escape goes
back to the queue.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Static

from adapters.model import Ticket, TicketKey
from adapters.text import clean_line
from tui.screens.forms.base import FormScreen, fid, field_error
from tui.widgets.ticket_list import TicketList


class SearchScreen(FormScreen[str]):
    """Asks for the query; dismisses with it (stripped), or ``None``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Search", priority=True),
    ]
    SUBMIT_LABEL = "Search"

    def __init__(self, desks: Sequence[str], refused: Mapping[str, str]) -> None:
        super().__init__("Search the desks")
        self.desks = list(desks)
        self.refused = dict(refused)

    @property
    def can_submit(self) -> bool:
        return bool(self.desks)

    def compose_body(self) -> ComposeResult:
        if self.desks:
            where = ", ".join(self.desks)
            yield Label(f"Searches {where} on the server.", classes="form-hint", markup=False)
        for desk, reason in self.refused.items():
            yield Label(f"{desk} cannot search: {reason}", classes="notice", markup=False)
        if not self.desks:
            return
        with Horizontal(classes="form-row"):
            yield Label("Query", classes="field-label")
            with Vertical(classes="field-box"):
                yield Input(id=fid("query"), compact=True, placeholder="words, an id, an email")
                yield field_error("query")

    def build_result(self, errors: dict[str, str]) -> str | None:
        query = " ".join(self.query_one(f"#{fid('query')}", Input).value.split())
        if not query:
            errors["query"] = "Type something to search for."
            return None
        return query


class SearchResultsScreen(Screen[TicketKey | None]):
    """The results of one search across desks; dismisses with the picked ticket's key."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back to the queue", id="search.back"),
    ]

    def __init__(
        self,
        query: str,
        results: Sequence[Ticket],
        failures: Mapping[str, str],
        *,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__()
        self.search_query = query
        self.results = list(results)
        self.failures = dict(failures)
        self._now = now

    def header_text(self) -> str:
        counts: dict[str, int] = {}
        for ticket in self.results:
            counts[ticket.key.connection] = counts.get(ticket.key.connection, 0) + 1
        parts = [f"{desk}: {count}" for desk, count in counts.items()]
        parts += [f"{desk}: {clean_line(reason)}" for desk, reason in self.failures.items()]
        found = f"{len(self.results)} result{'s' * (len(self.results) != 1)}"
        where = f" ({'; '.join(parts)})" if parts else ""
        return f"Search: {clean_line(self.search_query)} · {found}{where} · escape: back"

    def compose(self) -> ComposeResult:
        yield Static(Content(self.header_text()), id="search-header")
        yield TicketList(now=self._now, id="search-results")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        results = self.query_one("#search-results", TicketList)
        results.set_tickets(self.results)
        results.focus()

    def action_back(self) -> None:
        self.dismiss(None)

    @on(TicketList.Opened)
    def _opened(self, event: TicketList.Opened) -> None:
        event.stop()
        self.dismiss(event.ticket.key)
