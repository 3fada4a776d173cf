"""Progress of a bulk action: a progress bar and each ticket's result as it arrives.

The screen runs a :class:`~tui.bulk.BulkRunner` in a Textual worker as soon as it is shown,
so the app stays responsive. Each ticket's line names it as the agent knows it
(``connection:display-id``, see :func:`tui.listing.ticket_name`) with its subject, and says
ok, or failed with the desk's message on the line below (all shown literally: it is remote
text). When the run ends, ``t`` reruns only the failures that may succeed on a second try;
escape stops a run (requests in flight finish, the rest are reported as not sent) and, once
nothing runs, closes the screen.

Dismisses with every ticket's latest :class:`~adapters.model.ActionResult`, in target order.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Label, OptionList, ProgressBar
from textual.widgets.option_list import Option

from adapters.model import ActionResult, Ticket, TicketKey
from tui.bulk import ACTION_LABELS, BulkRunner, ProgressCallback
from tui.presentation import error_line, key_name

log = logging.getLogger("triage.bulk")

RETRY_KEY = "t"
RETRY_ANYWAY_KEY = "T"
"""Resends the failures that may have reached the desk, once the agent has checked them."""

SUBJECT_WIDTH = 40
"""Cells of a ticket's subject on its result line: enough to tell tickets apart."""


def result_line(result: ActionResult, ticket: Ticket | None = None) -> Content:
    """``✓ acme:T-12  Printer on fire``, or for a failure the same with ``✗`` and the
    desk's message on one indented line below (:func:`tui.presentation.error_line`);
    never parsed as markup.

    ``ticket`` (the ticket as it was when the run started) gives the display id and the
    subject; without it the line names the ticket by its key.
    """
    name = key_name(result.key, ticket)
    line = Content(f"{'✓' if result.ok else '✗'} {name}")
    if ticket is not None and (subject := ticket.subject):
        line += Content(f"  {subject}").truncate(SUBJECT_WIDTH + 2, ellipsis=True)
    if result.ok:
        return line
    # One line, without the signed query: the list cuts it at its width.
    return line + Content(f"\n    {error_line(result.message)}")


class BulkProgressScreen(ModalScreen[list[ActionResult]]):
    """Run ``runner`` and show its progress.

    Args:
        runner: the bulk run (not yet started); its ``on_progress``, if any, still gets
            every result.
        title: what is being done ("Closing 12 tickets"); derived from the action if not
            given.
        tickets: the targeted tickets as they are when the run starts, by key, so that each
            result names its ticket by display id and subject even if the ticket leaves
            the list meanwhile; a key missing here is named by the key itself.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(RETRY_KEY, "retry", "Retry failed"),
        Binding(RETRY_ANYWAY_KEY, "retry_uncertain", "Resend unsure"),
        Binding("escape", "stop", "Stop"),
        Binding("escape", "close", "Close"),
    ]

    def __init__(
        self,
        runner: BulkRunner,
        *,
        title: str | None = None,
        tickets: Mapping[TicketKey, Ticket] | None = None,
    ) -> None:
        super().__init__()
        self.runner = runner
        self.tickets: dict[TicketKey, Ticket] = dict(tickets or {})
        what = ACTION_LABELS.get(runner.action, runner.action).capitalize()
        self.form_title = title or f"{what}: {len(runner.targets)} tickets"
        self._chained: ProgressCallback | None = runner.on_progress
        runner.on_progress = self._progress
        self.running = False
        self.stopping = False
        self.crashed = ""
        self._shown: set[str] = set()

    def compose(self) -> ComposeResult:
        with Vertical(id="form-dialog"):
            yield Label(self.form_title, id="form-title", markup=False)
            yield Label("", id="bulk-summary", markup=False)
            yield ProgressBar(total=len(self.runner.targets), show_eta=False, id="bulk-progress")
            yield OptionList(id="bulk-results")
            yield Label("", id="bulk-error", classes="field-error", markup=False)
            with Horizontal(id="form-buttons"):
                yield Button(f"Retry failed ({RETRY_KEY})", id="bulk-retry", compact=True)
                yield Button("Stop (esc)", id="bulk-close", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self._start(self.runner.run, len(self.runner.targets))

    # -- running --------------------------------------------------------------------------

    def _start(self, run: Callable[[], Awaitable[list[ActionResult]]], total: int) -> None:
        self.running = True
        self.stopping = False
        self.query_one("#bulk-progress", ProgressBar).update(total=total, progress=0)
        self._update_summary(0, total)
        self._update_controls()
        self.run_worker(self._drive(run), group="bulk", exclusive=True)

    async def _drive(self, run: Callable[[], Awaitable[list[ActionResult]]]) -> None:
        try:
            await run()
        except Exception as exc:
            # The runner reports desk errors per ticket; anything reaching here is a bug.
            # The agent sees one line instead of a traceback; the log has the details.
            log.exception("bulk %s crashed", self.runner.action)
            self.crashed = f"The run stopped on an internal error: {type(exc).__name__}: {exc}"
            error = self.query_one("#bulk-error", Label)
            error.update(Content(self.crashed))
            error.add_class("-visible")
        finally:
            self.running = False
            self._update_controls()

    def _progress(self, done: int, total: int, result: ActionResult) -> None:
        bar = self.query_one("#bulk-progress", ProgressBar)
        bar.update(total=total, progress=done)
        results = self.query_one("#bulk-results", OptionList)
        option_id = str(result.key)
        line = result_line(result, self.tickets.get(result.key))
        if option_id in self._shown:
            results.replace_option_prompt(option_id, line)
        else:
            self._shown.add(option_id)
            results.add_option(Option(line, id=option_id))
        self._update_summary(done, total)
        if self._chained is not None:
            self._chained(done, total, result)

    def _update_summary(self, done: int | None = None, total: int | None = None) -> None:
        failed = len(self.runner.failed)
        succeeded = self.runner.succeeded
        if self.running and done is not None and total is not None:
            verb = "stopping" if self.stopping else "running"
            text = f"{verb}: {done} of {total} done, {failed} failed"
        else:
            text = f"finished: {succeeded} ok, {failed} failed"
            if self.runner.retryable:
                text += f"; {RETRY_KEY} retries the {len(self.runner.retryable)} that may work"
            if self.runner.uncertain:
                text += (
                    f"; {len(self.runner.uncertain)} may have reached the desk and are not "
                    f"retried: check them, then {RETRY_ANYWAY_KEY} sends them again"
                )
        self.query_one("#bulk-summary", Label).update(Content(text))

    def _update_controls(self) -> None:
        retry = self.query_one("#bulk-retry", Button)
        retry.disabled = self.running or not self.runner.retryable
        close = self.query_one("#bulk-close", Button)
        close.label = "Stop (esc)" if self.running else "Close (esc)"
        close.disabled = self.stopping and self.running
        if not self.running:
            self._update_summary()
        self.refresh_bindings()

    # -- actions --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            return not self.running and bool(self.runner.retryable)
        if action == "retry_uncertain":
            return not self.running and bool(self.runner.uncertain)
        if action == "stop":
            return self.running
        if action == "close":
            return not self.running
        return True

    def action_retry(self) -> None:
        if self.running or not self.runner.retryable:
            return
        self._start(self.runner.retry_failed, len(self.runner.retryable))

    def action_retry_uncertain(self) -> None:
        """The agent checked: send the uncertain ones again (see BulkRunner)."""
        if self.running or not self.runner.uncertain:
            return
        self._start(self.runner.retry_uncertain, len(self.runner.uncertain))

    def action_stop(self) -> None:
        if self.running and not self.stopping:
            self.stopping = True
            self.runner.stop()
            self._update_controls()
            self.query_one("#bulk-summary", Label).update(Content("stopping: finishing in flight"))

    def action_close(self) -> None:
        if not self.running:
            self.dismiss(self.runner.results)

    @on(Button.Pressed, "#bulk-retry")
    def _retry_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_retry()

    @on(Button.Pressed, "#bulk-close")
    def _close_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if self.running:
            self.action_stop()
        else:
            self.action_close()
