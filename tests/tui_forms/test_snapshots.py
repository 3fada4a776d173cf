"""Snapshots of every modal at 80x24 (and two in a 16-colour ANSI theme).

Update them with ``pytest tests/tui_forms/test_snapshots.py --snapshot-update`` after
checking the new pictures (``__snapshots__/``) by eye.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input

from adapters.base import Adapter
from adapters.model import Visibility
from tui.bulk import BulkRunner, plan
from tui.screens.forms import (
    AssignScreen,
    BulkProgressScreen,
    CloseScreen,
    ComposeScreen,
    ConfirmBulkScreen,
    CustomFieldsScreen,
    MergeScreen,
    UpdateScreen,
)

Factory = Callable[[Any], Callable[[], Screen[Any]]]


def several(data: Any) -> list[Any]:
    return [data.make_ticket("acme", str(n), f"Subject {n}", age=n) for n in range(12, 16)]


def mixed(data: Any) -> list[Any]:
    return [*several(data), data.make_ticket("halo", "9", "Halo ticket")]


def desks(data: Any) -> dict[str, Adapter]:
    return {
        "acme": data.FakeDesk("acme", data.FULL, missing=["13"]),
        "halo": data.FakeDesk("halo", data.LIMITED),
    }


async def close(adapter: Adapter, native_id: str) -> object:
    return await adapter.close(native_id)


SCREENS: dict[str, Factory] = {
    "update_one": lambda d: lambda: UpdateScreen(d.one_ticket(), d.LOOKUPS, d.FULL),
    "update_several_limited": lambda d: (
        lambda: UpdateScreen(several(d), d.LOOKUPS, d.LIMITED, step=(1, 2))
    ),
    "assign": lambda d: lambda: AssignScreen(d.one_ticket(), d.LOOKUPS, d.FULL),
    "close_mixed": lambda d: lambda: CloseScreen(mixed(d), d.CAPS),
    "merge_emulated": lambda d: lambda: MergeScreen(several(d), d.CAPS),
    "merge_across_desks": lambda d: lambda: MergeScreen(mixed(d), d.CAPS),
    "reply": lambda d: (
        lambda: ComposeScreen(d.one_ticket(), Visibility.PUBLIC, d.CAPS, text="Hello,")
    ),
    "note_mixed": lambda d: lambda: ComposeScreen(mixed(d), Visibility.PRIVATE, d.CAPS),
    "custom_fields": lambda d: (
        lambda: CustomFieldsScreen(d.one_ticket()[0], d.CUSTOM_FIELDS, d.FULL)
    ),
    "confirm_bulk": lambda d: (
        lambda: ConfirmBulkScreen(plan([t.key for t in mixed(d)], desks(d), "close"))
    ),
}


@pytest.mark.parametrize("name", sorted(SCREENS))
def test_modal_at_80x24(name: str, data: Any, snap_compare: Any) -> None:
    app = data.HostApp(SCREENS[name](data))
    assert snap_compare(app, terminal_size=(80, 24))


def test_bulk_progress_with_failures(data: Any, snap_compare: Any) -> None:
    tickets = {t.key: t for t in mixed(data)}
    runner = BulkRunner(list(tickets), desks(data), "close", close)
    app = data.HostApp(
        lambda: BulkProgressScreen(runner, title="Closing 5 tickets", tickets=tickets)
    )

    async def finished(pilot: Pilot[None]) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=finished)


def test_update_error_beside_the_field(data: Any, snap_compare: Any) -> None:
    app = data.HostApp(SCREENS["update_one"](data))

    async def clear_subject(pilot: Pilot[None]) -> None:
        pilot.app.screen.query_one("#f-subject", Input).value = ""
        await pilot.press("ctrl+s")

    assert snap_compare(app, terminal_size=(80, 24), run_before=clear_subject)


@pytest.mark.parametrize("name", ["custom_fields", "reply"])
def test_modal_in_ansi_theme(name: str, data: Any, snap_compare: Any) -> None:
    app = data.HostApp(SCREENS[name](data))
    # Chosen before the app starts: a theme switched on a running app restyles on a later
    # frame, so a snapshot taken right after the switch could show either theme.
    app.theme = "ansi-dark"
    assert snap_compare(app, terminal_size=(80, 24))


def test_update_status_list_stays_inside_the_dialog_at_80x24(data: Any, snap_compare: Any) -> None:
    """The Status drop-down opens under its field, inside the dialog (it scrolls)."""
    app = data.HostApp(SCREENS["update_one"](data))

    async def open_status(pilot: Pilot[None]) -> None:
        pilot.app.screen.query_one("#f-status").focus()
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_status)


def test_reply_buttons_fit_at_60x20(data: Any, snap_compare: Any) -> None:
    """A small terminal: the body scrolls, Send and Cancel stay on screen."""
    app = data.HostApp(SCREENS["reply"](data))
    assert snap_compare(app, terminal_size=(60, 20))


def test_check_boxes_and_the_focused_field_without_colour(
    data: Any, snap_compare: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """NO_COLOR: an unchecked box is empty and a checked one holds an X; the focused
    field is told by its heavy bar and bold text, not by colour."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = data.HostApp(SCREENS["custom_fields"](data))
    assert snap_compare(app, terminal_size=(80, 24))
