"""ActionFormScreen: any desk action's spec rendered as one form, with typed editors,
required fields, choices from the desk's lookups, multi-line text, and errors beside the
field, read through the same parsers the command line uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Button, Checkbox, Input, Label, Select, SelectionList, TextArea

from adapters.actions import ActionField, ActionSpec, FieldKind, PathUse, Scope
from adapters.model import Choice, Lookups
from tui.screens.forms.action import ActionFormScreen
from tui.screens.forms.picklist import PickList

COLOURS = (Choice(id="1", label="Yellow"), Choice(id="2", label="[red]Red[/]"))

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
            help="How long you worked on it.",
        ),
        ActionField(name="note", label="Note", kind=FieldKind.MULTILINE, required=True),
        ActionField(name="on", label="Work date", kind=FieldKind.DATE),
        ActionField(name="billable", label="Billable", kind=FieldKind.BOOL, default=True),
        ActionField(name="colour", label="Colour", kind=FieldKind.CHOICE, choices=COLOURS),
        ActionField(name="teams", label="Teams", kind=FieldKind.MULTICHOICE, lookup="groups"),
    ),
)

UPLOAD = ActionSpec(
    id="upload",
    label="Upload a file",
    help="Attach a local file to the ticket.",
    scope=Scope.ONE,
    fields=(
        ActionField(name="path", label="File", kind=FieldKind.PATH, required=True),
        ActionField(name="rate", label="Rate", kind=FieldKind.NUMBER),
        ActionField(name="title", label="Title", kind=FieldKind.TEXT),
    ),
)

PURGE = ActionSpec(
    id="purge",
    label="Purge attachments",
    help="Remove every attachment of the ticket.",
    destructive=True,
)

CREATE = ActionSpec(
    id="create",
    label="New ticket",
    help="Open a ticket on this desk.",
    scope=Scope.NONE,
    fields=(
        ActionField(name="subject", label="Subject", kind=FieldKind.TEXT, required=True),
        ActionField(name="owner", label="Owner", kind=FieldKind.CHOICE, lookup="agents"),
        ActionField(
            name="queue", label="Queue", kind=FieldKind.CHOICE, lookup="agents", required=True
        ),
    ),
)

MANY_AGENTS = Lookups(
    agents=tuple(Choice(id=str(n), label=f"Agent {n:02}") for n in range(1, 31)),
)


def form(data: Any, spec: ActionSpec = LOG_TIME, tickets: Any = None, **kw: Any) -> Any:
    targets = data.one_ticket() if tickets is None else tickets
    lookups = kw.pop("lookups", data.LOOKUPS)
    return lambda: ActionFormScreen(spec, "acme", lookups, targets, **kw)


def error_under(screen: Any, name: str) -> str:
    """The error shown under field ``name``, checking it sits below the editor."""
    editor = screen.query_one(f"#f-act-{name}")
    label = screen.query_one(f"#f-act-{name}-error", Label)
    assert label.display
    assert label.region.y >= editor.region.y + editor.region.height
    return str(label.visual)


def texts(screen: Any, selector: str) -> list[str]:
    return [str(label.visual) for label in screen.query(selector).results(Label)]


async def test_each_kind_gets_its_editor(data: Any) -> None:
    app = data.HostApp(form(data))
    async with app.run_test(size=(80, 24)):
        screen = app.screen
        assert screen.query_one("#form-title", Label).visual is not None
        worked = screen.query_one("#f-act-worked", Input)
        assert worked.placeholder.startswith("e.g. 1h30m")
        assert isinstance(screen.query_one("#f-act-note"), TextArea)
        assert screen.query_one("#f-act-on", Input).placeholder == "YYYY-MM-DD"
        billable = screen.query_one("#f-act-billable", Checkbox)
        assert billable.value is True and str(billable.label) == "yes"
        colour = screen.query_one("#f-act-colour", Select)
        assert colour.value is Select.NULL
        teams = screen.query_one("#f-act-teams", SelectionList)
        assert [teams.get_option_at_index(i).value for i in range(teams.option_count)] == [
            "10",
            "20",
        ]
        labels = texts(screen, ".field-label")
        assert labels[:3] == ["Time worked *", "Note *", "Work date"]
        assert "How long you worked on it." in texts(screen, ".field-help")
        assert texts(screen, ".form-hint")[0] == "Record time worked on the ticket."


async def test_required_fields_are_refused_beside_the_field(data: Any) -> None:
    app = data.HostApp(form(data))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.press("ctrl+s")
        assert error_under(screen, "worked") == "Required: this field cannot be empty."
        assert error_under(screen, "note") == "Required: this field cannot be empty."
        assert screen.focused is screen.query_one("#f-act-worked")
        assert app.results == []


async def test_bad_values_show_the_parsers_reason(data: Any, tmp_path: Path) -> None:
    app = data.HostApp(form(data))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        screen.query_one("#f-act-worked", Input).value = "a while"
        screen.query_one("#f-act-note", TextArea).text = "did it"
        screen.query_one("#f-act-on", Input).value = "2024-02-30"
        await pilot.press("ctrl+s")
        assert "is not a duration" in error_under(screen, "worked")
        assert "is not a date; write YYYY-MM-DD" in error_under(screen, "on")
        assert not screen.query_one("#f-act-note-error", Label).display
        screen.query_one("#f-act-worked", Input).value = "1:30"
        screen.query_one("#f-act-on", Input).value = "2024-02-29"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [
        {
            "worked": 5400,
            "note": "did it",
            "on": "2024-02-29",
            "billable": True,
            "colour": None,
            "teams": None,
        }
    ]


async def test_choices_bool_and_multichoice_are_typed(data: Any) -> None:
    app = data.HostApp(form(data, initial={"worked": 900, "note": "a\nb"}))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert screen.query_one("#f-act-worked", Input).value == "15m"
        screen.query_one("#f-act-colour", Select).value = "2"
        screen.query_one("#f-act-teams", SelectionList).select("20")
        screen.query_one("#f-act-teams", SelectionList).select("10")
        billable = screen.query_one("#f-act-billable", Checkbox)
        billable.focus()
        await pilot.press("space")
        assert str(billable.label) == "no"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [
        {
            "worked": 900,
            "note": "a\nb",
            "on": None,
            "billable": False,
            "colour": "2",
            "teams": ("10", "20"),
        }
    ]


async def test_multi_line_text_keeps_its_lines_and_enter_does_not_submit(data: Any) -> None:
    app = data.HostApp(form(data, initial={"worked": 60}))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        note = screen.query_one("#f-act-note", TextArea)
        note.focus()
        await pilot.press("f", "i", "r", "s", "t", "enter", "s", "e", "c", "o", "n", "d")
        assert app.results == []
        assert note.text == "first\nsecond"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results[0]["note"] == "first\nsecond"


async def test_enter_in_a_one_line_field_submits(data: Any) -> None:
    app = data.HostApp(form(data, initial={"note": "n"}))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        screen.query_one("#f-act-worked", Input).focus()
        await pilot.press("2", "h", "enter")
        await pilot.pause()
    assert app.results[0]["worked"] == 7200


async def test_many_choices_are_a_pick_list_with_none_unless_required(data: Any) -> None:
    app = data.HostApp(form(data, CREATE, tickets=[], lookups=MANY_AGENTS))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert str(screen.query_one("#form-title", Label).visual) == "New ticket on acme"
        owner = screen.query_one("#f-act-owner", PickList)
        queue = screen.query_one("#f-act-queue", PickList)
        assert owner.items[0].label == "(none)" and owner.value is None
        assert queue.items[0].label == "Agent 01" and len(queue.items) == 30
        screen.query_one("#f-act-subject", Input).value = "  Printer   on fire "
        queue.narrow("17")
        queue.pick_highlighted()
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [{"subject": "Printer on fire", "owner": None, "queue": "17"}]


async def test_path_and_number_fields(data: Any, tmp_path: Path) -> None:
    app = data.HostApp(form(data, UPLOAD))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        screen.query_one("#f-act-path", Input).value = str(tmp_path / "missing.pdf")
        screen.query_one("#f-act-rate", Input).value = "lots"
        await pilot.press("ctrl+s")
        assert error_under(screen, "path").startswith("No such file:")
        assert error_under(screen, "rate") == "'lots' is not a number."
        report = tmp_path / "report.pdf"
        report.write_bytes(b"%PDF")
        screen.query_one("#f-act-path", Input).value = str(report)
        screen.query_one("#f-act-rate", Input).value = "2.5"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [{"path": str(report), "rate": 2.5, "title": None}]


async def test_a_write_path_must_name_a_file_in_a_folder(data: Any, tmp_path: Path) -> None:
    save = ActionSpec(
        id="save",
        label="Save",
        help="Save it.",
        fields=(
            ActionField(name="to", label="Save to", kind=FieldKind.PATH, path_use=PathUse.WRITE),
        ),
    )
    app = data.HostApp(form(data, save))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        screen.query_one("#f-act-to", Input).value = str(tmp_path)
        await pilot.press("ctrl+s")
        assert "is a folder" in error_under(screen, "to")


async def test_one_ticket_actions_refuse_a_selection(data: Any) -> None:
    tickets = [data.make_ticket("acme", str(n)) for n in (1, 2, 3)]
    app = data.HostApp(form(data, UPLOAD, tickets=tickets))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert "works on one ticket at a time; 3 are marked." in texts(screen, ".notice")[0]
        assert not screen.query("#form-submit")
        assert not screen.query("#f-act-path")
        await pilot.press("ctrl+s")
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


async def test_destructive_actions_say_so_and_may_have_no_fields(data: Any) -> None:
    app = data.HostApp(form(data, PURGE))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert "Destructive: this cannot be undone." in texts(screen, ".notice")
        assert "Nothing to fill in: run it or cancel." in texts(screen, ".form-hint")
        assert str(screen.query_one("#form-submit", Button).label) == "Run"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [{}]


async def test_remote_text_is_never_markup(data: Any) -> None:
    hostile = ActionSpec(
        id="x",
        label=data.HOSTILE,
        help=data.HOSTILE,
        fields=(
            ActionField(name="pick", label=data.HOSTILE, kind=FieldKind.CHOICE, choices=COLOURS),
        ),
    )
    app = data.HostApp(form(data, hostile))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert texts(screen, ".form-hint")[0] == data.HOSTILE
        assert texts(screen, ".field-label")[0] == f"{data.HOSTILE}"
        assert str(screen.query_one("#form-title", Label).visual).startswith(data.HOSTILE)
        screen.query_one("#f-act-pick", Select).value = "2"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [{"pick": "2"}]
    assert app.is_running is False


async def test_escape_cancels(data: Any) -> None:
    app = data.HostApp(form(data))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


async def test_the_whole_dialog_fits_80x24_and_scrolls_to_a_field(data: Any) -> None:
    app = data.HostApp(form(data))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        dialog = screen.query_one("#form-dialog")
        assert dialog.region.right <= 80 and dialog.region.bottom <= 24
        for button in screen.query(Button):
            assert button.region.bottom <= 24 and button.region.height == 1
        teams = screen.query_one("#f-act-teams", SelectionList)
        teams.focus()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        body = screen.query_one("#form-body")
        assert body.region.contains_region(teams.region.intersection(body.region))
        assert teams.region.y >= body.region.y and teams.region.y < body.region.bottom


def test_the_form_checks_its_arguments(data: Any) -> None:
    with pytest.raises(ValueError, match="needs at least one ticket"):
        ActionFormScreen(LOG_TIME, "acme", data.LOOKUPS, [])
    with pytest.raises(ValueError, match="runs on acme only, not on halo"):
        ActionFormScreen(LOG_TIME, "acme", data.LOOKUPS, [data.make_ticket("halo", "1")])
    with pytest.raises(ValueError, match="no field minutes"):
        ActionFormScreen(LOG_TIME, "acme", data.LOOKUPS, data.one_ticket(), initial={"minutes": 5})
