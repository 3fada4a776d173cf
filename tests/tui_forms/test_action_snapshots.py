"""Snapshots of the generic action form and the delete confirmation at 80x24.

Update them with ``pytest tests/tui_forms/test_action_snapshots.py --snapshot-update``
after checking the new pictures (``__snapshots__/``) by eye.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from adapters.actions import ActionField, ActionSpec, FieldKind
from adapters.base import Capability
from adapters.model import Choice
from tui.screens.forms.action import ActionFormScreen
from tui.screens.forms.confirm_delete import ConfirmDeleteScreen

LOG_TIME = ActionSpec(
    id="log-time",
    label="Log time",
    help="Record time worked on the ticket.",
    fields=(
        ActionField(
            name="worked",
            label="Time worked",
            kind=FieldKind.DURATION,
            required=True,
            help="1h30m, 90m or 1:30",
        ),
        ActionField(name="billable", label="Billable", kind=FieldKind.DURATION),
        ActionField(name="note", label="Note", kind=FieldKind.MULTILINE, required=True),
        ActionField(name="on", label="Work date", kind=FieldKind.DATE),
        ActionField(name="worker", label="Worked by", kind=FieldKind.CHOICE, lookup="agents"),
        ActionField(
            name="colour",
            label="Colour",
            kind=FieldKind.CHOICE,
            choices=(Choice(id="1", label="Yellow"), Choice(id="2", label="Red")),
            default="1",
        ),
        ActionField(name="bill", label="Bill it", kind=FieldKind.BOOL, default=True),
    ),
)


def test_action_form_at_80x24(data: Any, snap_compare: Any) -> None:
    app = data.HostApp(lambda: ActionFormScreen(LOG_TIME, "acme", data.LOOKUPS, data.one_ticket()))
    assert snap_compare(app, terminal_size=(80, 24))


def test_action_form_errors_at_80x24(data: Any, snap_compare: Any) -> None:
    app = data.HostApp(lambda: ActionFormScreen(LOG_TIME, "acme", data.LOOKUPS, data.one_ticket()))

    async def submit_empty(pilot: Pilot[None]) -> None:
        await pilot.press("ctrl+s")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=submit_empty)


def test_confirm_delete_at_80x24(data: Any, snap_compare: Any) -> None:
    tickets = [data.make_ticket("acme", "12", "Printer on fire"), data.make_ticket("halo", "9")]
    refusal = Capability.no("the API cannot delete tickets")
    app = data.HostApp(
        lambda: ConfirmDeleteScreen(tickets, {"acme": Capability.yes(), "halo": refusal})
    )
    assert snap_compare(app, terminal_size=(80, 24))
