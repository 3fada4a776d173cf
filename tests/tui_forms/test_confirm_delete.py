"""ConfirmDeleteScreen: the agent types the ticket's id (or the count) before a delete;
desks that cannot delete are named with their reason and never counted."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, Label

from adapters.base import Capability
from tui.screens.forms.confirm_delete import ConfirmDeleteScreen

YES = Capability.yes()
NO = Capability.no("the API cannot delete tickets")


def texts(screen: Any, selector: str) -> list[str]:
    return [str(label.visual) for label in screen.query(selector).results(Label)]


async def test_one_ticket_needs_its_id_typed(data: Any) -> None:
    ticket = data.make_ticket("acme", "12", "Printer on fire")
    app = data.HostApp(lambda: ConfirmDeleteScreen([ticket], {"acme": YES}))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert str(screen.query_one("#form-title", Label).visual) == "Delete acme:T-12?"
        assert "Type the ticket's id, T-12, to delete it." in texts(screen, ".form-hint")
        await pilot.press("enter")
        error = screen.query_one("#f-confirm-error", Label)
        assert error.display
        assert str(error.visual) == "Type T-12 exactly to delete; nothing does not match."
        screen.query_one("#f-confirm", Input).value = "T-13"
        await pilot.press("ctrl+s")
        assert "'T-13' does not match" in str(error.visual)
        assert app.results == []
        screen.query_one("#f-confirm", Input).value = " t-12 "
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [True]


async def test_several_tickets_need_their_count_and_refused_desks_say_why(data: Any) -> None:
    tickets = [
        data.make_ticket("acme", "1"),
        data.make_ticket("halo", "2"),
        data.make_ticket("acme", "3"),
        data.make_ticket("gone", "4"),
    ]
    app = data.HostApp(lambda: ConfirmDeleteScreen(tickets, {"acme": YES, "halo": NO}))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert str(screen.query_one("#form-title", Label).visual) == "Delete 2 tickets?"
        assert texts(screen, ".plan-desk") == [
            "acme: 2 tickets",
            "halo: 1 ticket: NOT DELETED: the API cannot delete tickets",
            "gone: 1 ticket: NOT DELETED: no connection with this name is configured",
        ]
        screen.query_one("#f-confirm", Input).value = "4"
        await pilot.press("ctrl+s")
        assert app.results == []
        screen.query_one("#f-confirm", Input).value = "2"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [True]


async def test_nothing_deletable_can_only_be_cancelled(data: Any) -> None:
    ticket = data.make_ticket("halo", "2", data.HOSTILE)
    app = data.HostApp(lambda: ConfirmDeleteScreen([ticket], {"halo": NO}))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert not screen.query("#form-submit")
        assert not screen.query("#f-confirm")
        assert "Nothing can be deleted" in texts(screen, ".notice")[0]
        await pilot.press("ctrl+s")
        assert app.results == []
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [False]


async def test_hostile_subjects_are_shown_literally(data: Any) -> None:
    ticket = data.make_ticket("acme", "12", data.HOSTILE)
    app = data.HostApp(lambda: ConfirmDeleteScreen([ticket], {"acme": YES}))
    async with app.run_test(size=(80, 24)) as pilot:
        assert texts(app.screen, ".plan-desk") == [f"acme:T-12  {data.HOSTILE}"]
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [False]
