"""UpdateScreen: pickers from the desk's lookups, validation beside the field, result."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input, Label, Select

from adapters.base import Capability
from adapters.model import Change
from tui.screens.forms import UpdateScreen


def below(screen: Any, field: str) -> None:
    """The field's error label is visible directly under the field."""
    widget = screen.query_one(f"#f-{field}")
    label = screen.query_one(f"#f-{field}-error", Label)
    assert label.display
    assert label.region.y == widget.region.y + widget.region.height
    assert label.region.x == widget.region.x


async def test_empty_subject_is_refused_beside_the_field(data: Any) -> None:
    app = data.HostApp(lambda: UpdateScreen(data.one_ticket(), data.LOOKUPS, data.FULL))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        subject = screen.query_one("#f-subject", Input)
        subject.focus()
        subject.value = "   "
        await pilot.press("ctrl+s")
        assert screen.error_text("subject") == "The subject cannot be empty."
        below(screen, "subject")
        assert app.screen is screen
        assert app.results == []


async def test_valid_submit_dismisses_with_only_what_changed(data: Any) -> None:
    app = data.HostApp(lambda: UpdateScreen(data.one_ticket(), data.LOOKUPS, data.FULL))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        subject = screen.query_one("#f-subject", Input)
        subject.focus()
        subject.value = "Toner  lo"
        subject.cursor_position = len(subject.value)
        await pilot.press("w", "space")
        # Open the priority picker and choose "Urgent" from the keyboard.
        screen.query_one("#f-priority", Select).focus()
        await pilot.press("enter")
        await pilot.press("down", "enter")
        await pilot.pause()
        assert screen.query_one("#f-priority", Select).value == "1"
        await pilot.press("ctrl+s")
        await pilot.pause()
    # Whitespace folded; the unchanged status and group are not sent.
    assert app.results == [Change(subject="Toner low", priority_id="1")]


async def test_nothing_changed_is_a_form_error(data: Any) -> None:
    app = data.HostApp(lambda: UpdateScreen(data.one_ticket(), data.LOOKUPS, data.FULL))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+s")
        assert app.screen.error_text("form") == "Nothing to change: every field is as it was."
        assert app.results == []


async def test_escape_cancels(data: Any) -> None:
    app = data.HostApp(lambda: UpdateScreen(data.one_ticket(), data.LOOKUPS, data.FULL))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


async def test_status_limited_to_another_group_is_refused_until_the_group_moves(
    data: Any,
) -> None:
    tickets = [
        data.make_ticket("acme", "12", group=data.SUPPORT),
        data.make_ticket("acme", "13", group=data.BILLING),
    ]
    app = data.HostApp(lambda: UpdateScreen(tickets, data.LOOKUPS, data.FULL))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        # Several tickets: everything starts at "leave as is" and no subject is offered.
        assert not screen.query("#f-subject")
        assert screen.query_one("#f-status", Select).value is Select.NULL
        screen.query_one("#f-status", Select).value = data.WAITING.id
        await pilot.press("ctrl+s")
        assert screen.error_text("status") == (
            "Waiting on billing exists only in Billing; 1 ticket is not there (set the group)."
        )
        below(screen, "status")
        screen.query_one("#f-group", Select).value = data.BILLING.id
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [Change(status_id="5", group_id="20")]


async def test_fields_the_desk_cannot_set_are_not_offered(data: Any) -> None:
    tickets = [data.make_ticket("halo", "1"), data.make_ticket("halo", "2")]
    app = data.HostApp(lambda: UpdateScreen(tickets, data.LOOKUPS, data.LIMITED, step=(2, 2)))
    async with app.run_test(size=(80, 24)):
        screen = app.screen
        assert screen.query("#f-status") and screen.query("#f-priority")
        assert not screen.query("#f-type") and not screen.query("#f-group")
        hints = [str(label.visual) for label in screen.query(".form-hint").results(Label)]
        assert hints == ["This desk does not let the app change the type, group."]
        title = screen.query_one("#form-title", Label)
        assert str(title.visual) == "Update 2 tickets (2 on halo)  (desk 2 of 2)"


async def test_unsupported_update_shows_the_reason_and_cannot_submit(data: Any) -> None:
    caps = data.FULL.model_copy(update={"update": Capability.no("tickets are read-only here")})
    app = data.HostApp(lambda: UpdateScreen(data.one_ticket(), data.LOOKUPS, caps))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        notice = screen.query_one(".notice", Label)
        assert str(notice.visual) == "Cannot update here: tickets are read-only here"
        assert not screen.query("#form-submit")
        await pilot.press("ctrl+s")
        assert app.screen is screen and app.results == []
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


def test_one_desk_at_a_time(data: Any) -> None:
    tickets = [data.make_ticket("acme", "1"), data.make_ticket("halo", "1")]
    with pytest.raises(ValueError, match="one desk at a time"):
        UpdateScreen(tickets, data.LOOKUPS, data.FULL)


async def test_remote_text_is_shown_literally(data: Any) -> None:
    app = data.HostApp(lambda: UpdateScreen(data.one_ticket(), data.LOOKUPS, data.FULL))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        title = screen.query_one("#form-title", Label)
        assert str(title.visual) == f"Update acme:T-12  {data.HOSTILE}"
        await pilot.click("#form-title")
        await pilot.pause()
        # The [@click=app.quit] in the subject is text, not an action.
        assert app.is_running
