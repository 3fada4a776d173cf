"""ComposeScreen (reply / note) and the $EDITOR round trip.

``App.suspend`` needs a terminal to hand over: under ``run_test`` the headless driver
cannot suspend and raises ``SuspendNotSupported`` (tested: the form says so beside the
editor). The full ctrl+e flow is tested with a host whose ``suspend`` hands over nothing
(conftest ``SuspendingHostApp``) while the $EDITOR script really runs on the temp file;
the file round trip is also tested on its own.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.widgets import Label, TextArea

from adapters.model import Visibility
from tui.screens.forms import ComposeScreen
from tui.screens.forms.compose import DISCARD_PROMPT
from tui.screens.forms.editor import EditorError, edit_in_editor, editor_command

EDITED = "Edited in the editor.\nSecond line."


@pytest.fixture
def editor_script(tmp_path: Path) -> Path:
    """An "editor" that records what it was given and writes EDITED into the file."""
    script = tmp_path / "fake-editor"
    seen = tmp_path / "seen.txt"
    script.write_text(
        f"#!{sys.executable}\n"
        "import os, stat, sys\n"
        "path = sys.argv[-1]\n"
        "mode = stat.S_IMODE(os.stat(path).st_mode)\n"
        f"open({str(seen)!r}, 'w').write(f'{{mode:o}}\\n' + open(path).read())\n"
        f"open(path, 'w').write({EDITED!r} + '\\n')\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def reply(data: Any, **kwargs: Any) -> ComposeScreen:
    ticket = data.make_ticket("acme", "12", data.HOSTILE)
    return ComposeScreen([ticket], Visibility.PUBLIC, data.CAPS, **kwargs)


async def test_reply_is_labelled_public_and_sends_the_text(data: Any) -> None:
    app = data.HostApp(lambda: reply(data))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        banner = screen.query_one("#f-visibility", Label)
        assert str(banner.visual) == "PUBLIC REPLY: the customer will see this."
        assert banner.has_class("-public")
        await pilot.press(*"Hello,", "enter", "enter", *"fixed.", "enter", "ctrl+s")
        await pilot.pause()
    assert app.results == ["Hello,\n\nfixed."]


async def test_note_is_labelled_private(data: Any) -> None:
    tickets = [data.make_ticket("acme", "12")]
    app = data.HostApp(lambda: ComposeScreen(tickets, Visibility.PRIVATE, data.CAPS))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        banner = screen.query_one("#f-visibility", Label)
        assert str(banner.visual) == "PRIVATE NOTE: only agents will see this."
        assert banner.has_class("-private")
        assert str(screen.query_one("#form-title", Label).visual).startswith("Private note on")
        await pilot.press(*"internal", "ctrl+s")
        await pilot.pause()
    assert app.results == ["internal"]


async def test_empty_text_is_refused_beside_the_editor(data: Any) -> None:
    app = data.HostApp(lambda: reply(data))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.press("space", "enter", "ctrl+s")
        message = "Write something first: an empty message cannot be sent."
        assert screen.error_text("body") == message
        area = screen.query_one("#f-body", TextArea)
        error = screen.query_one("#f-body-error", Label)
        assert error.display and error.region.y == area.region.y + area.region.height
        # Typing clears the error.
        await pilot.press("x")
        assert screen.error_text("body") == ""
        assert app.results == []


async def test_escape_with_text_asks_before_discarding(data: Any) -> None:
    app = data.HostApp(lambda: reply(data, text="A draft"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.press("escape")
        assert screen.error_text("form") == DISCARD_PROMPT
        assert app.screen is screen and app.results == []
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


async def test_escape_on_empty_text_cancels_at_once(data: Any) -> None:
    app = data.HostApp(lambda: reply(data))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


async def test_desk_that_cannot_take_replies_is_named(data: Any) -> None:
    tickets = [data.make_ticket("acme", "1"), data.make_ticket("halo", "2")]
    app = data.HostApp(lambda: ComposeScreen(tickets, Visibility.PUBLIC, data.CAPS))
    async with app.run_test(size=(80, 24)):
        notice = app.screen.query_one(".notice", Label)
        assert str(notice.visual) == (
            "halo cannot take public replies (1 ticket skipped): "
            "the API only takes internal comments"
        )
        assert app.screen.query("#form-submit")

    only_halo = [data.make_ticket("halo", "2")]
    app = data.HostApp(lambda: ComposeScreen(only_halo, Visibility.PUBLIC, data.CAPS))
    async with app.run_test(size=(80, 24)) as pilot:
        assert not app.screen.query("#form-submit") and not app.screen.query("#f-body")
        await pilot.press("ctrl+e", "ctrl+s")
        assert app.results == []


async def test_ctrl_e_round_trips_through_the_editor(
    data: Any, editor_script: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(editor_script))
    app = data.SuspendingHostApp(lambda: reply(data, text="Draft from the app"))
    before = data.SuspendingHostApp.suspended
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert data.SuspendingHostApp.suspended == before + 1
        area = app.screen.query_one("#f-body", TextArea)
        assert area.text == EDITED
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [EDITED]
    # The editor saw the draft, in a file only its owner can read.
    mode, text = (tmp_path / "seen.txt").read_text().split("\n", 1)
    assert (mode, text) == ("600", "Draft from the app")


async def test_keys_typed_just_before_ctrl_e_go_to_the_editor(
    data: Any, editor_script: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Seen in tmux: "before" then ctrl+e in one burst handed the editor "befor" and put
    # the "e" into the edited text afterwards, at the wrong place.
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(editor_script))
    app = data.SuspendingHostApp(lambda: reply(data, text="Draft"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # One burst, as a fast typist or a paste over SSH delivers it.
        for character in " typed fast":
            key = "space" if character == " " else character
            app.post_message(events.Key(key, character))
        app.post_message(events.Key("ctrl+e", None))
        for _ in range(5):
            await pilot.pause()
        area = app.screen.query_one("#f-body", TextArea)
        assert area.text == EDITED
    assert (tmp_path / "seen.txt").read_text().split("\n", 1)[1] == "Draft typed fast"


async def test_ctrl_e_when_the_terminal_cannot_suspend(
    data: Any, editor_script: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", str(editor_script))
    app = data.HostApp(lambda: reply(data, text="Kept"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+e")
        screen = app.screen
        assert screen.error_text("body") == (
            "This terminal cannot hand over to an external editor; edit here."
        )
        assert screen.query_one("#f-body", TextArea).text == "Kept"


async def test_a_failing_editor_keeps_the_draft(
    data: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing = tmp_path / "failing-editor"
    failing.write_text(f"#!{sys.executable}\nimport sys\nsys.exit(3)\n", encoding="utf-8")
    failing.chmod(0o700)
    monkeypatch.setenv("VISUAL", str(failing))
    app = data.SuspendingHostApp(lambda: reply(data, text="Kept"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+e")
        screen = app.screen
        assert screen.error_text("body") == (
            f"{str(failing)!r} exited with status 3; the draft was left as it was"
        )
        assert screen.query_one("#f-body", TextArea).text == "Kept"


def test_edit_in_editor_round_trip(
    editor_script: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drafts = tmp_path / "tmp"
    drafts.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(drafts))
    assert edit_in_editor("original", env={"EDITOR": str(editor_script)}) == EDITED
    assert (tmp_path / "seen.txt").read_text().endswith("\noriginal")
    # The temporary file is gone afterwards.
    assert os.listdir(drafts) == []


def test_editor_choice_and_failures(tmp_path: Path) -> None:
    assert editor_command({"VISUAL": "code --wait", "EDITOR": "nano"}) == ["code", "--wait"]
    assert editor_command({"VISUAL": "", "EDITOR": "nano -R"}) == ["nano", "-R"]
    assert editor_command({}) == ["vi"]
    missing = str(tmp_path / "no-such-editor")
    with pytest.raises(EditorError, match="was not found; set VISUAL or EDITOR"):
        edit_in_editor("text", env={"EDITOR": missing})
    with pytest.raises(EditorError, match=r"cannot read \$EDITOR"):
        editor_command({"EDITOR": "'unbalanced"})
