"""Confirmation of a bulk action: what will be sent where, before anything is.

Shows the :class:`~tui.bulk.BulkPlan`: the tickets per desk, the desks that cannot do the
action (those tickets are not sent, and why), and the desks that only emulate it, labelled
as such. Dismisses with ``True`` to run, ``False`` otherwise (escape, ``n``, or a plan in
which nothing can be sent).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label

from tui.bulk import ACTION_LABELS, BulkPlan, DeskPlan
from tui.screens.forms.base import FormScreen


def _tickets(count: int) -> str:
    return f"{count} ticket{'s' if count != 1 else ''}"


def desk_line(desk: DeskPlan, change: str = "") -> str:
    """One desk's row of the plan, as plain text: ``acme: Status → Open on 3 tickets``."""
    what = f"{change} on {_tickets(desk.count)}" if change else _tickets(desk.count)
    if not desk.supported:
        return f"{desk.connection}: {_tickets(desk.count)}: NOT SENT: {desk.reason}"
    if desk.emulated:
        how = f": {desk.reason}" if desk.reason else ""
        return f"{desk.connection}: {what}: EMULATED{how}"
    return f"{desk.connection}: {what}"


def title_text(plan: BulkPlan, what: str, changes: Mapping[str, str]) -> str:
    """The question the dialog asks, restating the change: ``Status → Open on 3 tickets
    at acme?``; with a different change per desk, the action and the desks."""
    desks = len(plan.desks)
    said = {changes.get(desk.connection, "") for desk in plan.desks}
    if len(said) == 1 and (change := said.pop()):
        where = f"at {plan.desks[0].connection}" if desks == 1 else f"on {desks} desks"
        return f"{change} on {_tickets(plan.total)} {where}?"
    return f"{what}: {_tickets(plan.total)} on {desks} desk{'s' * (desks != 1)}?"


class ConfirmBulkScreen(FormScreen[bool]):
    """Ask before running ``plan``.

    Args:
        plan: from :func:`tui.bulk.plan` (or ``BulkRunner.plan``).
        summary: what will be done, in the agent's words ("Close", "Set priority High").
        changes: connection -> what is set there (``Status → Open``), restated in the
            title and on each desk's line (values are desk ids, so each desk has its own).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s,y", "submit", "Run", priority=True),
        Binding("n", "cancel", "Cancel", show=False),
    ]
    SUBMIT_LABEL = "Run"

    def __init__(
        self,
        plan: BulkPlan,
        *,
        summary: str | None = None,
        changes: Mapping[str, str] | None = None,
    ) -> None:
        what = summary or ACTION_LABELS.get(plan.action, plan.action).capitalize()
        self.changes = dict(changes or {})
        super().__init__(title_text(plan, what, self.changes))
        self.plan = plan

    @property
    def can_submit(self) -> bool:
        return self.plan.runnable > 0

    def compose_body(self) -> ComposeResult:
        with Vertical(id="f-plan"):
            for desk in self.plan.desks:
                if not desk.supported:
                    classes = "plan-desk -unsupported"
                elif desk.emulated:
                    classes = "plan-desk -emulated"
                else:
                    classes = "plan-desk"
                change = self.changes.get(desk.connection, "")
                yield Label(desk_line(desk, change), classes=classes, markup=False)
        skipped = self.plan.total - self.plan.runnable
        if not self.can_submit:
            message = "Nothing can be sent: no desk in the selection can do this."
        elif skipped:
            message = (
                f"{_tickets(self.plan.runnable)} will be sent; {_tickets(skipped)} "
                "will be reported as not sent."
            )
        else:
            message = f"{_tickets(self.plan.runnable)} will be sent."
        yield Label(message, id="f-plan-summary", markup=False)

    def action_cancel(self) -> None:
        self.dismiss(False)

    def build_result(self, errors: dict[str, str]) -> bool | None:
        return True
