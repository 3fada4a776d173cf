"""The app around the screen: help from the live bindings, rebinding from the config, the
command palette, the sort picker, themes, NO_COLOR, the mouse switch and run_app."""

from __future__ import annotations

import contextlib
import itertools
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.widgets import OptionList

from tui import app as app_module
from tui.app import TriageApp, rebindable_actions, run_app, styles_dir
from tui.listing import column
from tui.screens.forms.compose import ComposeScreen
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.screens.sort import SortScreen


async def test_help_lists_every_key_of_the_screen(harness: Any) -> None:
    harness.add_desk("acme", harness.make_desk(tickets=3))
    app = harness.build()
    async with app.run_test(size=(100, 60)) as pilot:
        await harness.synced(pilot, app)
        await pilot.press("question_mark")
        await harness.wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        help_text = str(app.screen.query_one("#help-keys").content)
        for binding in MainScreen.BINDINGS:
            assert f"[{binding.id}]" in help_text, binding.id  # type: ignore[union-attr]
        for described in ("Reply", "Refresh all", "Refresh desk", "Mark range", "Clear marks"):
            assert described in help_text
        assert "^r refreshes the current desk" in str(app.screen.query_one("#help-notes").content)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_keys_rebound_in_the_config(harness: Any) -> None:
    harness.add_desk("acme", harness.make_desk(tickets=3))
    harness.ui = {"keys": {"reply": "ctrl+y", "refresh_all": "F5", "ticket-list.mark": "m"}}
    app = harness.build()
    async with app.run_test(size=(100, 60)) as pilot:
        screen = await harness.synced(pilot, app)
        await pilot.press("r")  # no longer reply
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("m")  # now marks (the ticket list's binding takes the key)
        assert len(screen.ticket_list.marked_keys) == 1
        await pilot.press("ctrl+y")
        await harness.wait_for(pilot, lambda: isinstance(app.screen, ComposeScreen), "compose")
        await pilot.press("escape")
        await harness.wait_for(pilot, lambda: app.screen is screen, "back")
        await pilot.press("question_mark")
        await harness.wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        help_lines = str(app.screen.query_one("#help-keys").content).splitlines()
        reply = next(line for line in help_lines if "[reply]" in line)
        assert "^y" in reply and " r " not in reply
        refresh = next(line for line in help_lines if "[refresh_all]" in line)
        assert "f5" in refresh.casefold()


async def test_hints_in_messages_name_the_rebound_keys(harness: Any) -> None:
    # Seen with reply rebound to ctrl+y: the drafts message still said "press r or n",
    # the help still "r replies", the raw view "(x: back)".
    harness.add_desk("acme", harness.make_desk(tickets=3))
    harness.ui = {"keys": {"reply": "ctrl+y", "toggle_raw": "z", "refresh_all": "f5"}}
    app = harness.build()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await harness.synced(pilot, app)
        await pilot.press("question_mark")
        help_screen = await harness.wait_screen(pilot, app, HelpScreen)
        notes = str(help_screen.query_one("#help-notes").content)
        assert "^y replies" in notes and "f5 refreshes every desk" in notes
        assert "r replies" not in notes
        await pilot.press("escape")
        await harness.wait_for(pilot, lambda: app.screen is screen, "back")
        ticket = screen.ticket_list.cursor_ticket
        assert ticket is not None
        await pilot.press("enter")
        await harness.detail_loaded(pilot, app)
        await pilot.press("z")
        await pilot.pause()
        assert "Raw vendor payload (z: back)" in screen.detail.text_of("raw")


async def test_unknown_actions_in_the_config_are_reported(harness: Any) -> None:
    harness.add_desk("acme", harness.make_desk(tickets=3))
    harness.ui = {"keys": {"reply": "ctrl+y", "explode": "x"}}
    app = harness.build()
    async with app.run_test(size=(80, 24)) as pilot:
        await harness.synced(pilot, app)
        warning = next(n for n in app._notifications if n.title == "Config")
        assert "unknown action(s) explode" in warning.message
        assert "reply" in warning.message  # the known names are listed
        assert app.keymap_problem == warning.message


def test_rebindable_actions_cover_the_triage_keys() -> None:
    names = rebindable_actions()
    for action in ("filter", "update", "assign", "merge", "close", "reply", "note", "help"):
        assert action in names
    assert {"ticket-list.mark", "ticket-list.mark-all", "command_palette"} <= names


async def test_command_palette_runs_any_action(harness: Any) -> None:
    transport = harness.add_faulty_desk("acme", harness.make_desk(tickets=3))
    app = harness.build()
    async with app.run_test(size=(100, 30)) as pilot:
        await harness.synced(pilot, app)
        await pilot.press("colon")
        await harness.wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), "palette")
        transport.requests.clear()
        await pilot.press(*"refresh all", "enter")
        await harness.wait_for(
            pilot, lambda: "acme: refreshed" in harness.notifications(app), "the refresh"
        )
        assert any("ListAll" in url for _, url in transport.requests)
        await pilot.press("ctrl+p")
        await harness.wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), "palette")
        await pilot.press(*"note", "enter")
        await harness.wait_for(pilot, lambda: isinstance(app.screen, ComposeScreen), "note form")
        assert "PRIVATE NOTE" in harness.screen_text(app)


async def test_sort_picker_sorts_on_several_keys(harness: Any) -> None:
    harness.add_desk("acme", harness.make_desk(tickets=12))
    app = harness.build()
    async with app.run_test(size=(120, 30)) as pilot:
        await harness.synced(pilot, app)
        ticket_list = harness.main(app).ticket_list
        await pilot.press("s")
        picker = await harness.wait_screen(pilot, app, SortScreen)
        options = picker.query_one(OptionList)
        # Eight columns, one line each; the one sorting now is highlighted and says so.
        assert options.option_count == 8
        assert "Updated" in str(options.get_option_at_index(options.highlighted or 0).prompt)
        await pilot.press("g", "j", "j", "enter")  # Key, Subject, Status
        await harness.wait_for(pilot, lambda: ticket_list.sort_keys[0][0] == "status", "sort")
        assert ticket_list.sort_keys == (("status", False),)
        await pilot.press("s")
        await harness.wait_screen(pilot, app, SortScreen)
        await pilot.press("g", "j", "plus")  # Subject, as a further key
        await harness.wait_for(pilot, lambda: len(ticket_list.sort_keys) == 2, "second key")
        assert ticket_list.sort_keys == (("status", False), ("subject", False))
        tickets = ticket_list.tickets
        status = column("status").sort_key
        pairs = [(status(t), t.subject.casefold()) for t in tickets]
        assert [pair[0] for pair in pairs] == sorted(pair[0] for pair in pairs)
        for before, after in itertools.pairwise(pairs):
            if before[0] == after[0]:
                assert before[1] <= after[1]
        # Enter on the column sorting now turns it round; space turns any direction.
        await pilot.press("s")
        await harness.wait_screen(pilot, app, SortScreen)
        await pilot.press("enter")
        await harness.wait_for(
            pilot, lambda: ticket_list.sort_keys == (("status", True),), "reversed"
        )
        await pilot.press("s")
        await harness.wait_screen(pilot, app, SortScreen)
        await pilot.press("G", "space", "enter")  # Due, turned round: latest first
        await harness.wait_for(pilot, lambda: ticket_list.sort_keys == (("due", True),), "due")


async def test_themes_and_no_color(harness: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    harness.add_desk("acme", harness.make_desk(tickets=3))
    app = harness.build()
    assert app.theme == "triage"
    assert {"triage", "triage-ansi"} <= set(app.available_themes)
    harness.ui = {"theme": "triage-ansi"}
    monkeypatch.setenv("NO_COLOR", "1")
    app = harness.build()
    assert app.theme == "triage-ansi"
    assert app.current_theme.ansi
    assert app.no_color
    async with app.run_test(size=(80, 24)) as pilot:
        await harness.synced(pilot, app)
        await pilot.press("space")
        text = harness.screen_text(app)
        # Without colour, the cursor and the marks still show, as glyphs.
        assert "▶" in text and "●" in text
        assert "● 1 marked" in text


def test_styles_are_found_beside_the_package() -> None:
    names = {path.name for path in styles_dir().glob("*.tcss")}
    assert "app.tcss" in names
    assert {str(path) for path in styles_dir().glob("*.tcss")} == {
        str(path) for path in TriageApp.CSS_PATH
    }


def test_run_app_honours_the_mouse_setting(harness: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    harness.add_desk("acme", harness.make_desk(tickets=3))
    harness.ui = {"mouse": False}
    calls: list[dict[str, Any]] = []

    def fake_run(self: TriageApp, **kwargs: Any) -> None:
        calls.append(kwargs)
        self._return_code = 3

    monkeypatch.setattr(app_module.TriageApp, "run", fake_run)
    # Wherever the test's standard error goes: the terminal handling has tests of its own.
    monkeypatch.setattr(app_module, "drawing_on_the_terminal", contextlib.nullcontext)
    config = harness.config()
    status = run_app(config, harness.adapters(config))
    assert calls == [{"mouse": False}]
    assert status == 3


async def test_quit_closes_every_adapter(harness: Any) -> None:
    harness.add_desk("acme", harness.make_desk(tickets=3))
    app = harness.build()
    async with app.run_test(size=(80, 24)) as pilot:
        await harness.synced(pilot, app)
        adapter = app.store.adapter("acme")
        await pilot.press("q")
        await pilot.pause()
    assert adapter.http.client.is_closed
