"""The flows beyond the common actions: whatever a desk declares, creating a ticket,
deleting, and searching the desks.

None of it knows a desk or an action. ``A`` (and the command palette) lists what the cursor
ticket's desk offers (:meth:`adapters.base.Adapter.actions`); the generic form
(:class:`~tui.screens.forms.action.ActionFormScreen`) asks for the values; the bulk runner
runs the action on the marked tickets of that desk (the values are that desk's ids) and
reports per ticket, with the lines a listing action found and where a fetched file was
saved (the downloads folder, under a safe name, never opened). The detail pane's keys for
time entries and attachments run the standard actions of the same name.

``N`` creates a ticket on the sidebar's desk (else the one desk that can, else the agent
picks one) with the form built from that desk's lookups and new-ticket fields; the draft
goes through the outbox (:mod:`tui.create`), and a failed one fills the form again next
time. Delete asks for the ticket's id to be typed. The desks' search opens its own view.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

import platformdirs
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.notifications import SeverityLevel

from adapters.actions import ActionOutcome, ActionSpec, ActionValue, FieldKind, PathUse, Scope
from adapters.base import Adapter, Capability, DeskError
from adapters.model import Ticket, TicketKey
from tui.create import create_spec, draft_values, new_ticket_from, send_new_ticket
from tui.files import save_fetched
from tui.screens.forms.action import ActionFormScreen
from tui.screens.forms.confirm_delete import ConfirmDeleteScreen
from tui.screens.main.actions import TicketActions
from tui.screens.search import SearchResultsScreen, SearchScreen
from tui.store import describe_error


def downloads_folder() -> Path:
    """Where the TUI saves attachments: the user's downloads folder (created if missing)."""
    folder = Path(platformdirs.user_downloads_dir())
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class DeskActionCommands(Provider):
    """The palette's entries for the desk actions of the cursor ticket's desk, and for
    creating, deleting and searching."""

    def _commands(self) -> list[tuple[str, str, Callable[[], None]]]:
        flows = getattr(self.screen, "actions", None)
        if not isinstance(flows, TriageActions):
            return []
        commands: list[tuple[str, str, Callable[[], None]]] = []
        connection = flows.cursor_connection()
        if connection is not None:
            for spec in flows.store.adapter(connection).actions():
                label = f"{spec.label} ({connection})"
                commands.append((label, spec.help, partial(flows.desk_action, spec.id)))
        commands.append(("New ticket", "create a ticket on a desk", flows.create_ticket))
        commands.append(("Search the desks", "server-side search", flows.search))
        commands.append(("Delete tickets", "type the id to confirm", flows.delete_tickets))
        return commands

    # No ``discover``: the palette opens on the triage actions (``Desk actions``, ``New
    # ticket``, … are among them, with their keys); the desk's own actions come up as soon
    # as the agent types. Discovery hits from two providers arrive in no fixed order.

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, help_text, command in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), command, text=label, help=help_text)


class DeskActionList(DeskActionCommands):
    """The same entries, listed at once: the palette ``A`` opens holds only these."""

    async def discover(self) -> Hits:
        for label, help_text, command in self._commands():
            yield DiscoveryHit(Content(label), command, text=label, help=help_text)


class DeskCommands(Provider):
    """Picks the desk a new ticket goes to (``N`` without a desk in the sidebar)."""

    def _commands(self) -> list[tuple[str, Callable[[], None]]]:
        flows = getattr(self.screen, "actions", None)
        if not isinstance(flows, TriageActions):
            return []
        return [
            (f"New ticket on {name}", partial(flows.create_ticket, name))
            for name in flows.store.connections
            if flows.store.capability(name, "create").supported
        ]

    async def discover(self) -> Hits:
        for label, command in self._commands():
            yield DiscoveryHit(Content(label), command, text=label)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, command in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), command, text=label)


class TriageActions(TicketActions):
    """:class:`TicketActions` plus the flows this module's docstring describes."""

    scope: str | None = None
    """The sidebar's desk (``None``: all desks), kept in step by the screen."""
    downloads: Path | None = None
    """Where fetched files are saved; ``None``: the user's downloads folder."""

    def cursor_connection(self) -> str | None:
        """The desk whose actions ``A`` lists: the cursor ticket's, else the sidebar's."""
        ticket = self.host.ticket_list.cursor_ticket
        if ticket is not None:
            return ticket.key.connection
        return self.scope

    def _target_tickets(self) -> list[Ticket]:
        return [
            ticket
            for key in self.host.ticket_list.target_keys()
            if (ticket := self.store.get(key)) is not None
        ]

    # ------------------------------------------------------------------ desk actions

    def choose_desk_action(self) -> None:
        """``A``: the cursor desk's actions, in a palette of their own."""
        connection = self.cursor_connection()
        if connection is None:
            self.notify("No desk here: move to a ticket or pick a desk in the sidebar.")
            return
        self.screen.app.push_screen(
            CommandPalette(providers=[DeskActionList], placeholder=f"Actions of {connection}…")
        )

    def desk_action(self, action_id: str) -> None:
        """Run the cursor desk's action ``action_id`` on the marked tickets of that desk
        (or the cursor ticket), or on none for an action that takes none."""
        connection = self.cursor_connection()
        if connection is None:
            self.notify("No desk here: move to a ticket or pick a desk in the sidebar.")
            return
        adapter = self.store.adapter(connection)
        spec = next((s for s in adapter.actions() if s.id == action_id), None)
        if spec is None:
            offered = ", ".join(s.label for s in adapter.actions()) or "none"
            self.notify(
                f"{connection} has no such action (it offers: {offered}).", severity="warning"
            )
            return
        tickets: list[Ticket] = []
        if spec.scope is not Scope.NONE:
            targets = self._target_tickets()
            tickets = [t for t in targets if t.key.connection == connection]
            if not tickets:
                self.notify("No ticket of this desk to act on: move to one or mark some.")
                return
            others = len(targets) - len(tickets)
            if others:
                self.notify(
                    f"{spec.label} uses {connection}'s values: {others} marked ticket(s) "
                    "of other desks are left out.",
                    severity="warning",
                )
        lookups = self.store.desk(connection).lookups
        asked = None
        if lookups is not None or not any(f.needs_lookups for f in spec.fields):
            form = ActionFormScreen(
                spec, connection, lookups or self.store.lookups(connection), tickets
            )
            asked = self._ask_now(form)
        self._start_flow(self._desk_action_flow(spec, connection, tickets, asked), spec.id)

    async def _desk_action_flow(
        self,
        spec: ActionSpec,
        connection: str,
        tickets: list[Ticket],
        asked: asyncio.Future[dict[str, ActionValue] | None] | None,
    ) -> None:
        values: dict[str, ActionValue] | None
        if asked is None:
            lookups = await self._lookups(connection)
            values = await self.screen.app.push_screen_wait(
                ActionFormScreen(spec, connection, lookups, tickets)
            )
        else:
            values = await asked
        if values is None:
            return
        saves = any(f.kind is FieldKind.PATH and f.path_use is PathUse.WRITE for f in spec.fields)
        folder = self.downloads or (downloads_folder() if saves else Path.cwd())
        if spec.scope is Scope.NONE:
            await self._run_ticketless(spec, self.store.adapter(connection), values)
            return

        async def run(adapter: Adapter, native_id: str) -> object:
            outcome = await adapter.run_action(spec.id, native_id, values)
            return save_fetched(adapter.name, outcome, values.get("save_to"), folder)

        def capability(adapter: Adapter) -> Capability:
            if adapter.name == connection:
                return Capability.yes()
            return Capability.no(f"the form's values are {connection}'s")

        await self._run_bulk(
            [t.key for t in tickets], spec.id, run, spec.label, capability_of=capability
        )

    async def _run_ticketless(
        self, spec: ActionSpec, adapter: Adapter, values: dict[str, ActionValue]
    ) -> None:
        try:
            outcome = await adapter.run_action(spec.id, None, values)
        except DeskError as error:
            self.store.note_error(adapter.name, error)
            self.notify(describe_error(error), title=f"{spec.label} failed", severity="error")
            return
        self._say(spec.label, outcome)

    def _say(self, label: str, outcome: ActionOutcome) -> None:
        lines = list(outcome.lines[:15])
        if len(outcome.lines) > 15:
            lines.append(f"… and {len(outcome.lines) - 15} more")
        self.notify("\n".join([outcome.message or "done", *lines]), title=label, timeout=12)

    # ------------------------------------------------------------------ create

    def create_ticket(self, connection: str | None = None) -> None:
        """``N``: the form for a new ticket on ``connection``, the sidebar's desk, the one
        desk that can create, or the desk the agent picks."""
        if connection is None:
            able = [
                n for n in self.store.connections if self.store.capability(n, "create").supported
            ]
            if self.scope is not None:
                connection = self.scope
            elif len(able) == 1:
                connection = able[0]
            elif not able:
                self.notify("No desk here can create tickets.", severity="warning")
                return
            else:
                self.screen.app.push_screen(
                    CommandPalette(providers=[DeskCommands], placeholder="New ticket on…")
                )
                return
        capability = self.store.capability(connection, "create")
        if not capability.supported:
            self.notify(
                f"{connection} cannot create tickets: {capability.reason}", severity="warning"
            )
            return
        self._start_flow(self._create_flow(connection), "create")

    async def _create_flow(self, connection: str) -> None:
        adapter = self.store.adapter(connection)
        lookups = await self._lookups(connection)
        try:
            fields = await adapter.new_ticket_fields()
        except DeskError as error:
            self.notify(
                f"{connection}: custom fields unavailable: {describe_error(error)}",
                severity="warning",
            )
            fields = ()
        spec, by_name = create_spec(fields)
        outbox = self.store.outbox
        kept = [e for e in outbox.new_tickets() if e.connection == connection]
        draft = kept[-1] if kept else None
        initial = draft_values(draft.new_ticket) if draft and draft.new_ticket else None
        values = await self.screen.app.push_screen_wait(
            ActionFormScreen(spec, connection, lookups, initial=initial)
        )
        if values is None:
            return
        new, custom = new_ticket_from(spec, by_name, values)
        if draft is not None:
            # The form started from the kept draft: the new one replaces it.
            outbox.discard(draft.id)
        created = await send_new_ticket(adapter, new, custom, outbox)
        self.host.drafts_changed()
        if created.detail is not None:
            ticket = created.detail.ticket
            self.store.upsert([ticket])
            self.host.ticket_list.upsert_tickets([ticket])
            self.host.ticket_list.move_cursor_to(ticket.key)
        severity: SeverityLevel = "information" if created.ok else "error"
        title = "New ticket" if created.ok else "New ticket: not everything worked"
        self.notify(f"{connection}: {created.message}", title=title, severity=severity)
        self.host.after_write()

    # ------------------------------------------------------------------ delete

    def delete_tickets(self) -> None:
        tickets = self._target_tickets()
        if not tickets:
            self.notify("No ticket to delete: move to one or mark some.")
            return
        delete = {name: self.store.capability(name, "delete") for name in self.store.connections}
        asked = self._ask_now(ConfirmDeleteScreen(tickets, delete))
        self._start_flow(self._delete_flow(tickets, delete, asked), "delete")

    async def _delete_flow(
        self,
        tickets: Sequence[Ticket],
        delete: dict[str, Capability],
        asked: asyncio.Future[bool | None],
    ) -> None:
        if not await asked:
            return
        keys = [t.key for t in tickets if delete.get(t.key.connection, Capability.no("")).supported]

        async def run(adapter: Adapter, native_id: str) -> object:
            await adapter.delete_ticket(native_id)
            return None

        await self._run_bulk(keys, "delete", run, "Delete")
        gone = [key for key in keys if self._was_deleted(key)]
        if gone:
            self.store.remove(gone)
            self.host.ticket_list.remove_tickets(gone)

    def _was_deleted(self, key: TicketKey) -> bool:
        runner = self._runner
        result = runner.result(key) if runner is not None else None
        return result is not None and result.ok

    # ------------------------------------------------------------------ search

    def search(self) -> None:
        able = {}
        refused = {}
        for name in self.store.connections:
            capability = self.store.capability(name, "search")
            if capability.supported:
                able[name] = self.store.adapter(name)
            else:
                refused[name] = capability.reason
        asked = self._ask_now(SearchScreen(list(able), refused))
        self._start_flow(self._search_flow(able, refused, asked), "search")

    async def _search_flow(
        self,
        able: dict[str, Adapter],
        refused: dict[str, str],
        asked: asyncio.Future[str | None],
    ) -> None:
        query = await asked
        if not query:
            return
        found = await asyncio.gather(
            *(adapter.search_tickets(query) for adapter in able.values()), return_exceptions=True
        )
        results: list[Ticket] = []
        failures = dict(refused)
        for name, outcome in zip(able, found, strict=True):
            if isinstance(outcome, DeskError):
                self.store.note_error(name, outcome)
                failures[name] = describe_error(outcome)
            elif isinstance(outcome, BaseException):
                raise outcome
            else:
                results.extend(outcome)
        picked = await self.screen.app.push_screen_wait(
            SearchResultsScreen(query, results, failures, now=self.store.clock)
        )
        if picked is None:
            return
        ticket = next((t for t in results if t.key == picked), None)
        if ticket is not None and self.store.get(picked) is None:
            self.store.upsert([ticket])
            self.host.ticket_list.upsert_tickets([ticket])
        if not self.host.ticket_list.move_cursor_to(picked):
            self.notify("That ticket is hidden by the filter or the desk in view.")
