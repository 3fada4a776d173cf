"""CustomFieldsScreen: typed editors, grouping, read-only fields, validation, changes only."""

from __future__ import annotations

from typing import Any

from textual.widgets import Checkbox, Input, Label, Select, SelectionList, TextArea

from adapters.base import Capability
from adapters.model import CustomField, FieldType
from tui.screens.forms import CustomFieldsScreen
from tui.screens.forms.custom_fields import parse_date, parse_number


def screen_for(data: Any, caps: Any = None) -> CustomFieldsScreen:
    ticket = data.make_ticket("acme", "12")
    return CustomFieldsScreen(ticket, data.CUSTOM_FIELDS, caps or data.FULL)


def error_under(screen: Any, name: str) -> str:
    """The error shown under field ``name``, checking it sits right under the editor."""
    editor = screen.query_one(f"#f-{name}")
    label = screen.query_one(f"#f-{name}-error", Label)
    assert label.display
    assert label.region.y == editor.region.y + editor.region.height
    return str(label.visual)


async def test_editors_are_typed_and_grouped(data: Any) -> None:
    app = data.HostApp(lambda: screen_for(data))
    async with app.run_test(size=(80, 24)):
        screen = app.screen
        groups = [str(label.visual) for label in screen.query(".group-heading").results(Label)]
        assert groups == ["Order", "Account"]
        assert isinstance(screen.query_one("#f-cf0"), Input)
        assert screen.query_one("#f-cf1", Input).value == "5"
        assert screen.query_one("#f-cf2", Input).value == "2024-12-31"
        assert screen.query_one("#f-cf3", Select).value == "Pro"
        assert screen.query_one("#f-cf4", SelectionList).selected == ["Mail"]
        assert screen.query_one("#f-cf5", Checkbox).value is False
        read_only = screen.query_one("#f-cf6", Label)
        assert read_only.has_class("read-only") and str(read_only.visual) == "import bot"


async def test_bad_number_date_and_required_are_shown_beside_each_field(data: Any) -> None:
    app = data.HostApp(lambda: screen_for(data))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        screen.query_one("#f-cf1", Input).value = ""
        screen.query_one("#f-cf2", Input).value = "2024-02-30"
        await pilot.press("ctrl+s")
        assert error_under(screen, "cf1") == "Required: this field cannot be empty."
        assert error_under(screen, "cf2") == "Enter a real date as YYYY-MM-DD."
        # The first field in error has the focus.
        assert screen.focused is screen.query_one("#f-cf1")
        screen.query_one("#f-cf1", Input).value = "1e999"
        screen.query_one("#f-cf2", Input).value = "31/12/2024"
        await pilot.press("ctrl+s")
        assert error_under(screen, "cf1") == "Enter a number."
        assert error_under(screen, "cf2") == "Enter a real date as YYYY-MM-DD."
        assert app.results == []


async def test_only_changed_values_are_returned(data: Any) -> None:
    app = data.HostApp(lambda: screen_for(data))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        screen.query_one("#f-cf1", Input).value = "7.5"
        screen.query_one("#f-cf2", Input).value = ""
        screen.query_one("#f-cf3", Select).value = "Basic"
        selection = screen.query_one("#f-cf4", SelectionList)
        selection.select(data.HOSTILE)
        checkbox = screen.query_one("#f-cf5", Checkbox)
        checkbox.focus()
        await pilot.press("space")
        assert str(checkbox.label) == "yes"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [
        {
            "abc2": 7.5,
            "abc3": None,
            "abc4": "Basic",
            "abc5": ["Mail", data.HOSTILE],
            "abc6": True,
        }
    ]


async def test_nothing_changed_and_escape(data: Any) -> None:
    app = data.HostApp(lambda: screen_for(data))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        # Same value written differently is no change.
        screen.query_one("#f-cf1", Input).value = "5.0"
        await pilot.press("ctrl+s")
        assert screen.error_text("form") == "Nothing changed."
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


async def test_desk_without_custom_field_writes_shows_them_read_only(data: Any) -> None:
    caps = data.FULL.model_copy(update={"custom_fields": Capability.no("read-only API")})
    app = data.HostApp(lambda: screen_for(data, caps))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        notice = screen.query_one(".notice", Label)
        assert str(notice.visual) == "Cannot set custom fields here: read-only API"
        assert not screen.query(Input) and not screen.query("#form-submit")
        assert str(screen.query_one("#f-cf5", Label).visual) == "no"
        await pilot.press("ctrl+s")
        assert app.results == []


def test_parsers() -> None:
    assert parse_date("2024-02-29") is not None
    assert parse_date("2023-02-29") is None
    assert parse_date("2024-2-1") is None
    assert parse_number("-3.25") == -3.25
    assert parse_number("nan") is None
    assert parse_number("12abc") is None


async def test_multi_line_text_is_edited_in_a_text_area_and_keeps_its_lines(data: Any) -> None:
    # Seen in the demo: Kayako's "Steps to reproduce" holds several lines. In a one-line
    # input the line breaks went to the terminal as they were and broke the screen.
    steps = "1. Sign in\n2. Open Reports > Assets\n3. Export to CSV"
    fields = (CustomField(key="s1", label="Steps", group="Bug", type=FieldType.TEXT, value=steps),)
    app = data.HostApp(
        lambda: CustomFieldsScreen(data.make_ticket("acme", "12"), fields, data.FULL)
    )
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        editor = screen.query_one("#f-cf0")
        await pilot.pause()
        rendered = [editor.render_line(y).text for y in range(editor.size.height)]
        assert not any("\n" in line for line in rendered)
        assert any("2. Open Reports > Assets" in line for line in rendered)
        await pilot.press("ctrl+s")
        assert screen.error_text("form") == "Nothing changed."
        assert isinstance(editor, TextArea)
        editor.focus()
        editor.move_cursor(editor.document.end)
        await pilot.press("enter", *"4. Open", "ctrl+s")
        await pilot.pause()
    assert app.results == [{"s1": steps + "\n4. Open"}]
