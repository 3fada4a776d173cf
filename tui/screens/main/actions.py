"""The flows behind the triage actions: update, assign, close, merge, reply, note, custom
fields, and the outbox's drafts.

Every action applies to the marked tickets or, with none marked, to the cursor's ticket;
a desk that cannot do an action is refused with the reason before any form opens. An
action's first form is pushed at once, inside the key's own handling, so that the keys
typed right after it go to the form; the rest of the flow (more forms, the desk calls,
the bulk run) runs in a worker on the screen, which never freezes.

:class:`TicketActions` holds the flows; the main screen owns one and delegates its action
keys to it. What the flows need back from the screen is an :class:`ActionHost`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from typing import Any, Protocol, TypeVar

from textual.notifications import SeverityLevel
from textual.screen import Screen

from adapters.actions import ActionOutcome
from adapters.base import Adapter, DeskError, NotFound
from adapters.model import (
    ActionResult,
    Change,
    CustomFieldValue,
    Lookups,
    Ticket,
    TicketKey,
    Visibility,
)
from adapters.text import clean_line
from tui.bulk import BulkOperation, BulkRunner, CapabilityOf
from tui.outbox import OutboxEntry, OutboxError
from tui.presentation import assignment_text, change_text, key_name, quoted, ticket_name
from tui.screens.drafts import DraftsScreen
from tui.screens.forms.assign import Assignment, AssignScreen
from tui.screens.forms.base import DeskForm, by_desk
from tui.screens.forms.bulk_progress import BulkProgressScreen
from tui.screens.forms.close import CloseRequest, CloseScreen
from tui.screens.forms.compose import ComposeScreen
from tui.screens.forms.confirm_bulk import ConfirmBulkScreen
from tui.screens.forms.custom_fields import CustomFieldsScreen
from tui.screens.forms.merge import MergeScreen
from tui.screens.forms.update import UpdateScreen
from tui.store import Store, describe_error
from tui.widgets.ticket_list import TicketList

ResultT = TypeVar("ResultT")
AnswerT = TypeVar("AnswerT")

ACTION_WORDS: dict[str, str] = {
    "update": "update",
    "assign": "assign",
    "close": "close",
    "merge": "merge",
    "reply": "reply to",
    "note": "add a note to",
    "custom_fields": "set custom fields of",
}
"""The ticket actions (capability names), as "<desk> cannot <word> tickets" says them."""

DeskApply = Callable[[Adapter, str, AnswerT], Awaitable[object]]
"""Apply one desk's form answer to one of its tickets (by native id)."""


class ActionHost(Protocol):
    """What the flows need from the screen they run on (the main screen)."""

    @property
    def ticket_list(self) -> TicketList: ...

    def desks_changed(self) -> None:
        """A desk's health changed (a write failed on auth, rate limit, reachability)."""

    def drafts_changed(self) -> None:
        """The outbox changed: the status bar and the detail pane show its drafts."""

    def after_write(self) -> None:
        """A write finished: desks, drafts and the detail show what it did."""


async def _apply_update(adapter: Adapter, native_id: str, change: Change) -> object:
    return await adapter.update(native_id, change)


async def _apply_assignment(adapter: Adapter, native_id: str, assignment: Assignment) -> object:
    agent_id, group_id = assignment
    return await adapter.assign(native_id, agent_id, group_id)


class TicketActions:
    """The triage actions over ``store``, run as workers on ``screen``.

    ``screen`` gives the forms' app, the workers and the notifications; ``host`` the
    ticket list and the refreshes after a write (both are the main screen).
    """

    def __init__(self, screen: Screen[Any], store: Store, host: ActionHost) -> None:
        self.screen = screen
        self.store = store
        self.host = host
        self._runner: BulkRunner | None = None

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
    ) -> None:
        """A notification of plain text: desk messages are never read as markup."""
        self.screen.notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    # ------------------------------------------------------------------ the actions

    def update(self) -> None:
        self._per_desk(
            "update", UpdateScreen, Change.is_empty, _apply_update, "Update", change_text
        )

    def assign(self) -> None:
        self._per_desk(
            "assign",
            AssignScreen,
            lambda answer: answer == (None, None),
            _apply_assignment,
            "Assign",
            lambda answer, lookups: assignment_text(*answer, lookups),
        )

    def close(self) -> None:
        if (tickets := self._targets("close")) is None:
            return
        capabilities = {name: self.store.desk(name).capabilities for name in by_desk(tickets)}
        asked = self._ask_now(CloseScreen(tickets, capabilities))
        self._start_flow(self._close_flow(tickets, asked), "close")

    def merge(self) -> None:
        tickets = self._targets("merge")
        if tickets is None:
            return
        desks = list(dict.fromkeys(ticket.key.connection for ticket in tickets))
        if len(desks) > 1:
            self.notify(
                f"Merge works within one desk; the selection spans {', '.join(desks)}.",
                title="Not possible",
                severity="warning",
            )
            return
        if len(tickets) < 2:
            self.notify(
                "Mark at least two tickets of one desk: the one to keep and those to merge.",
                title="Not possible",
                severity="warning",
            )
            return
        capabilities = {desks[0]: self.store.desk(desks[0]).capabilities}
        asked = self._ask_now(MergeScreen(tickets, capabilities))
        self._start_flow(self._merge_flow(tickets, asked), "merge")

    def reply(self) -> None:
        if (tickets := self._targets("reply")) is not None:
            self._open_compose(tickets, Visibility.PUBLIC)

    def note(self) -> None:
        if (tickets := self._targets("note")) is not None:
            self._open_compose(tickets, Visibility.PRIVATE)

    def custom_fields(self) -> None:
        tickets = self._targets("custom_fields")
        if tickets is None:
            return
        if len(tickets) > 1:
            cursor = self.host.ticket_list.cursor_ticket
            self.notify(
                "Custom fields are edited one ticket at a time"
                + (f"; editing {ticket_name(cursor)}." if cursor is not None else ".")
            )
            if cursor is None:
                return
            tickets = [cursor]
        ticket = tickets[0]
        detail = self.store.detail(ticket.key)
        asked = None
        if detail is not None and detail.custom_fields:
            capabilities = self.store.desk(ticket.key.connection).capabilities
            asked = self._ask_now(
                CustomFieldsScreen(detail.ticket, detail.custom_fields, capabilities)
            )
        self._start_flow(self._custom_fields_flow(ticket, asked), "custom fields")

    def show_drafts(self) -> None:
        """List the replies and notes the outbox still holds (desk, ticket, age, last
        error); enter opens the chosen one in the editor, to send or discard."""
        entries = self.store.outbox.pending()
        if not entries:
            self.notify("No unsent drafts.")
            return
        screen = DraftsScreen(entries, name_of=self.store.name_of, now=self.store.clock())
        self.screen.app.push_screen(screen, callback=self.open_draft)

    def open_draft(self, entry: OutboxEntry | None) -> None:
        """Open ``entry`` in the editor on its ticket (and put the cursor on it)."""
        if entry is None:
            return
        key = entry.ticket_key
        ticket = self.store.get(key)
        if ticket is None:
            self.notify(
                f"{self.store.name_of(key)} is not loaded (yet): its desk may still be "
                "syncing. The draft stays in the outbox.",
                severity="warning",
            )
            return
        self.host.ticket_list.move_cursor_to(key)
        action = "reply" if entry.visibility is Visibility.PUBLIC else "note"
        if not self.store.capability(key.connection, action).supported:
            self.notify(f"{key.connection} cannot take this draft now.", severity="warning")
            return
        self._open_compose([ticket], entry.visibility, restored=entry)

    def _draft_name(self, entry: OutboxEntry) -> str:
        if entry.new_ticket is not None:
            return f"{entry.connection} (new ticket: {entry.new_ticket.subject})"
        return f"{self.store.name_of(entry.ticket_key)} ({entry.visibility.value})"

    # ------------------------------------------------------------------ starting a flow

    def _targets(self, action: str) -> list[Ticket] | None:
        """The tickets an action applies to, or None (and why) when it cannot run at all."""
        tickets = [
            ticket
            for key in self.host.ticket_list.target_keys()
            if (ticket := self.store.get(key)) is not None
        ]
        if not tickets:
            self.notify("No ticket to act on: move to one or mark some.")
            return None
        word = ACTION_WORDS[action]
        refusals = []
        for connection in dict.fromkeys(ticket.key.connection for ticket in tickets):
            capability = self.store.capability(connection, action)
            if capability.supported:
                return tickets
            reason = capability.reason or "the desk does not support it"
            refusals.append(f"{connection} cannot {word} tickets: {reason}")
        self.notify("\n".join(refusals), title="Not possible", severity="warning")
        return None

    def _start_flow(self, flow: Coroutine[Any, Any, None], name: str) -> None:
        self.screen.run_worker(flow, name=name, group="action", exit_on_error=False)

    def _ask_now(self, screen: Screen[ResultT]) -> asyncio.Future[ResultT | None]:
        """Push ``screen`` at once, inside the key's own handling, so the keys typed right
        after it go to the form and never run more actions here; the flow (a worker)
        awaits the returned future for the answer."""
        future: asyncio.Future[ResultT | None] = asyncio.get_running_loop().create_future()

        def answered(result: ResultT | None) -> None:
            if not future.done():
                future.set_result(result)

        self.screen.app.push_screen(screen, callback=answered)
        return future

    # ------------------------------------------------------------------ per-desk forms

    def _per_desk(
        self,
        action: str,
        form: type[DeskForm[AnswerT]],
        is_empty: Callable[[AnswerT], bool],
        apply: DeskApply[AnswerT],
        verb: str,
        describe: Callable[[AnswerT, Lookups | None], str],
    ) -> None:
        """Update and assign: their values are desk ids, so each desk gets its own form."""
        if (tickets := self._targets(action)) is None:
            return
        desks = self._supported_desks(tickets, action)
        first = next(iter(desks))
        asked = None
        if self.store.desk(first).lookups is not None:
            asked = self._ask_now(self._desk_form(form, desks, first, self.store.lookups(first)))
        flow = self._per_desk_flow(
            tickets, desks, asked, form, is_empty, apply, action, verb, describe
        )
        self._start_flow(flow, action)

    async def _per_desk_flow(
        self,
        tickets: list[Ticket],
        desks: dict[str, list[Ticket]],
        asked: asyncio.Future[AnswerT | None] | None,
        form: type[DeskForm[AnswerT]],
        is_empty: Callable[[AnswerT], bool],
        apply: DeskApply[AnswerT],
        action: str,
        verb: str,
        describe: Callable[[AnswerT, Lookups | None], str],
    ) -> None:
        """One form per desk (ids are per desk), then one bulk run over every desk."""
        answers: dict[str, AnswerT] = {}
        for connection in desks:
            answer: AnswerT | None
            if asked is not None:
                answer, asked = await asked, None
            else:
                lookups = await self._lookups(connection)
                answer = await self.screen.app.push_screen_wait(
                    self._desk_form(form, desks, connection, lookups)
                )
            if answer is None:
                return
            if not is_empty(answer):
                answers[connection] = answer
        if not answers:
            self.notify("Nothing to change.")
            return
        targets = [
            t.key for t in tickets if t.key.connection in answers or t.key.connection not in desks
        ]

        async def run(adapter: Adapter, native_id: str) -> object:
            return await apply(adapter, native_id, answers[adapter.name])

        changes = {
            name: describe(answer, self.store.desk(name).lookups)
            for name, answer in answers.items()
        }
        await self._run_bulk(targets, action, run, verb, changes)

    async def _lookups(self, connection: str) -> Lookups:
        """The desk's lookups, fetched now if the sync has not brought them yet."""
        desk = self.store.desk(connection)
        if desk.lookups is None:
            try:
                desk.lookups = await self.store.adapter(connection).lookups()
            except DeskError as error:
                self.notify(
                    f"{connection}: could not load its lists: {describe_error(error)}",
                    severity="warning",
                )
                return Lookups()
        return desk.lookups

    def _supported_desks(self, tickets: Sequence[Ticket], action: str) -> dict[str, list[Ticket]]:
        desks = by_desk(tickets)
        return {
            name: group
            for name, group in desks.items()
            if self.store.capability(name, action).supported
        }

    def _desk_form(
        self,
        form: type[DeskForm[AnswerT]],
        desks: dict[str, list[Ticket]],
        connection: str,
        lookups: Lookups,
    ) -> DeskForm[AnswerT]:
        capabilities = self.store.desk(connection).capabilities
        step = (list(desks).index(connection) + 1, len(desks)) if len(desks) > 1 else None
        return form(desks[connection], lookups, capabilities, step=step)

    # ------------------------------------------------------------------ close and merge

    async def _close_flow(
        self, tickets: list[Ticket], asked: asyncio.Future[CloseRequest | None]
    ) -> None:
        request = await asked
        if request is None:
            return
        note, resolution = request

        async def close(adapter: Adapter, native_id: str) -> object:
            return await adapter.close(native_id, note, resolution)

        said = "Close" + (f" with the resolution {quoted(resolution)}" if resolution else "")
        said += (" and a note" if resolution else " with a note") if note else ""
        changes = {name: said for name in by_desk(tickets)}
        await self._run_bulk([t.key for t in tickets], "close", close, "Close", changes)

    async def _merge_flow(
        self, tickets: list[Ticket], asked: asyncio.Future[TicketKey | None]
    ) -> None:
        target = await asked
        if target is None:
            return
        connection = target.connection
        sources = [t.key.native_id for t in tickets if t.key != target]
        # Named now: the merged tickets may leave the store once the desk is asked again.
        names = {t.key: ticket_name(t) for t in tickets}
        into = names.get(target) or self.store.name_of(target)
        adapter = self.store.adapter(connection)
        emulated = " (emulated)" if self.store.capability(connection, "merge").emulated else ""
        self.notify(f"Merging {len(sources)} ticket(s) into {into}{emulated}…")
        try:
            results = await adapter.merge(target.native_id, sources)
        except DeskError as error:
            self.store.note_error(connection, error)
            self.host.desks_changed()
            self.notify(
                f"Merge into {into} failed: {describe_error(error)}",
                title="Merge failed",
                severity="error",
            )
            return
        failed = [result for result in results if not result.ok]
        merged = {result.key for result in results if result.ok}
        # The merge is done: the tickets it finished lose their marks, the kept one too.
        self.host.ticket_list.unmark([target, *merged] if merged else [])
        await self._refetch([target, *(TicketKey(connection, s) for s in sources)])
        if failed:
            lines = [
                f"{names.get(result.key) or self.store.name_of(result.key)}: "
                f"{clean_line(result.message)}"
                for result in failed
            ]
            self.notify(
                "\n".join(lines),
                title=f"Merge into {into}: {len(failed)} problem(s)",
                severity="error",
                timeout=10,
            )
        else:
            self.notify(f"Merged {len(sources)} ticket(s) into {into}{emulated}.")

    async def _refetch(self, keys: Sequence[TicketKey]) -> None:
        """Fetch tickets again after a write that changed more than it returned."""
        ticket_list = self.host.ticket_list
        for key in keys:
            self.store.forget_detail(key)
            try:
                detail = await self.store.adapter(key.connection).get_ticket(key.native_id)
            except NotFound:
                self.store.remove([key])
                ticket_list.remove_tickets([key])
                continue
            except DeskError:
                continue
            self.store.apply_detail(detail)
            ticket_list.upsert_tickets([detail.ticket])
        self.host.after_write()

    # ------------------------------------------------------------------ reply and note

    def _open_compose(
        self,
        tickets: list[Ticket],
        visibility: Visibility,
        *,
        restored: OutboxEntry | None = None,
    ) -> None:
        """Open the editor at once, with ``restored`` or else the ticket's unsent draft
        (if it has one); the form itself says it is a restored draft."""
        if restored is None and len(tickets) == 1:
            drafts = self.store.outbox.drafts_for(tickets[0].key)
            drafts = [draft for draft in drafts if draft.visibility is visibility]
            restored = drafts[-1] if drafts else None
        said = ""
        if restored is not None:
            why = f" ({clean_line(restored.last_error)})" if restored.last_error else ""
            said = f"Restored your unsent draft{why}."
        capabilities = {name: self.store.desk(name).capabilities for name in by_desk(tickets)}
        text = restored.text if restored else ""
        compose = ComposeScreen(tickets, visibility, capabilities, text=text, restored=said)
        asked = self._ask_now(compose)
        name = "reply" if visibility is Visibility.PUBLIC else "note"
        self._start_flow(self._compose_flow(tickets, visibility, restored, asked), name)

    async def _compose_flow(
        self,
        tickets: list[Ticket],
        visibility: Visibility,
        restored: OutboxEntry | None,
        asked: asyncio.Future[str | None],
    ) -> None:
        outbox = self.store.outbox
        capabilities = {name: self.store.desk(name).capabilities for name in by_desk(tickets)}
        text = await asked
        if text is None:
            return
        action = "reply" if visibility is Visibility.PUBLIC else "note"
        entries = self._store_drafts(tickets, action, text, visibility, restored)
        while entries is None:
            # The outbox could not keep the text: nothing is sent, and the form comes back
            # with the text in it, so the agent can save it elsewhere or try again.
            text = await self.screen.app.push_screen_wait(
                ComposeScreen(tickets, visibility, capabilities, text=text)
            )
            if text is None:
                return
            entries = self._store_drafts(tickets, action, text, visibility, restored)
        self.host.drafts_changed()
        sent_text = text

        async def post(adapter: Adapter, native_id: str) -> object:
            entry_id = entries[TicketKey(adapter.name, native_id)]
            outbox.mark_sending(entry_id)
            try:
                result = await adapter.add_post(native_id, sent_text, visibility)
            except Exception as error:
                # Typed desk errors and bugs alike: the draft stays, with the reason.
                outbox.mark_failed(entry_id, describe_error(error))
                raise
            outbox.confirm(entry_id)
            return result

        word = "Reply" if visibility is Visibility.PUBLIC else "Note"
        changes = {name: f"{word} {quoted(text)}" for name in by_desk(tickets)}
        await self._run_bulk([t.key for t in tickets], action, post, word, changes)
        self.host.drafts_changed()

    def _store_drafts(
        self,
        tickets: Sequence[Ticket],
        action: str,
        text: str,
        visibility: Visibility,
        restored: OutboxEntry | None,
    ) -> dict[TicketKey, str] | None:
        """Put one draft per ticket in the outbox (on disk) before anything is sent."""
        outbox = self.store.outbox
        entries: dict[TicketKey, str] = {}
        try:
            for ticket in tickets:
                if not self.store.capability(ticket.key.connection, action).supported:
                    continue
                if restored is not None and restored.key == str(ticket.key):
                    entries[ticket.key] = outbox.update_text(restored.id, text).id
                else:
                    entries[ticket.key] = outbox.add(ticket.key, text, visibility).id
        except OutboxError as error:
            for key, entry_id in entries.items():
                if restored is None or str(key) != restored.key:
                    with contextlib.suppress(OutboxError, KeyError):
                        outbox.discard(entry_id)
            self.notify(f"{error}. Nothing was sent.", title="Outbox", severity="error")
            return None
        return entries

    # ------------------------------------------------------------------ custom fields

    async def _custom_fields_flow(
        self, ticket: Ticket, asked: asyncio.Future[dict[str, CustomFieldValue] | None] | None
    ) -> None:
        detail = self.store.detail(ticket.key)
        values: dict[str, CustomFieldValue] | None
        if asked is None:
            if detail is None:
                try:
                    adapter = self.store.adapter(ticket.key.connection)
                    detail = await adapter.get_ticket(ticket.key.native_id)
                except DeskError as error:
                    self.notify(
                        f"{ticket_name(ticket)}: could not load its fields: "
                        f"{describe_error(error)}",
                        severity="error",
                    )
                    return
                self.store.apply_detail(detail)
            if not detail.custom_fields:
                self.notify(f"{ticket_name(ticket)} has no custom fields.")
                return
            capabilities = self.store.desk(ticket.key.connection).capabilities
            values = await self.screen.app.push_screen_wait(
                CustomFieldsScreen(detail.ticket, detail.custom_fields, capabilities)
            )
        else:
            values = await asked
        if not values:
            return
        adapter = self.store.adapter(ticket.key.connection)
        try:
            fields = await adapter.set_custom_fields(ticket.key.native_id, values)
        except DeskError as error:
            self.store.note_error(ticket.key.connection, error)
            self.host.desks_changed()
            self.notify(
                f"{ticket_name(ticket)}: custom fields not saved: {describe_error(error)}",
                title="Not saved",
                severity="error",
            )
            return
        current = self.store.detail(ticket.key) or detail
        if current is not None:
            self.store.apply_detail(current.model_copy(update={"custom_fields": fields}))
        self.notify(f"{ticket_name(ticket)}: {len(values)} custom field(s) saved.")
        self.host.after_write()

    # ------------------------------------------------------------------ bulk runs

    async def _run_bulk(
        self,
        targets: list[TicketKey],
        action: str,
        op: BulkOperation,
        verb: str,
        changes: Mapping[str, str] | None = None,
        *,
        capability_of: CapabilityOf | None = None,
    ) -> None:
        """One ticket: run it and say how it went. Several: confirm (restating the change
        per desk, with what is unsupported), then the progress screen with its "retry
        failed". Tickets a close finished lose their marks: they are done."""
        adapters = {name: self.store.adapter(name) for name in self.store.connections}

        async def noted(adapter: Adapter, native_id: str) -> object:
            # A failure that says something about the desk (auth, rate limit, reachability)
            # shows in the sidebar too.
            try:
                return await op(adapter, native_id)
            except DeskError as error:
                self.store.note_error(adapter.name, error)
                raise

        runner = BulkRunner(
            targets,
            adapters,
            action,
            noted,
            on_progress=self._bulk_progress,
            capability_of=capability_of,
        )
        self._runner = runner
        # The tickets as they are now: the results name them even if a ticket leaves the
        # store during the run (closed and filtered out, merged away, deleted on the desk).
        tickets = {key: ticket for key in targets if (ticket := self.store.get(key)) is not None}
        app = self.screen.app
        if len(runner.targets) == 1:
            results = await runner.run()
            result = results[0]
            name = key_name(result.key, tickets.get(result.key))
            if result.ok:
                returned = runner.returned.get(result.key)
                said = f": {result.message}" if result.message else " done."
                lines = returned.lines if isinstance(returned, ActionOutcome) else ()
                self.notify("\n".join([f"{verb}: {name}{said}", *lines[:12]]))
            else:
                self.notify(result.message, title=f"{verb} {name} failed", severity="error")
        else:
            confirm = ConfirmBulkScreen(runner.plan, summary=verb, changes=changes)
            if not await app.push_screen_wait(confirm):
                return
            results = await app.push_screen_wait(BulkProgressScreen(runner, tickets=tickets))
            failed = sum(1 for result in results if not result.ok)
            severity: SeverityLevel = "error" if failed else "information"
            self.notify(
                f"{verb}: {len(results) - failed} done, {failed} failed.", severity=severity
            )
        if action == "close":
            self.host.ticket_list.unmark(result.key for result in results if result.ok)
        self.host.after_write()

    def _bulk_progress(self, done: int, total: int, result: ActionResult) -> None:
        """Each ticket's result as it arrives: what the desk returned goes into the list."""
        runner = self._runner
        if runner is None:
            return
        if not result.ok:
            return
        returned = runner.returned.get(result.key)
        self.store.forget_detail(result.key)
        if isinstance(returned, Ticket):
            self.store.upsert([returned])
            self.host.ticket_list.upsert_tickets([returned])
