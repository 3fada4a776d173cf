"""AssignScreen: lists narrowed by typing, the (agent, group) result, errors, cancel."""

from __future__ import annotations

from typing import Any

from textual.widgets import Label

from adapters.model import UNASSIGNED, Person
from tui.screens.forms import AssignScreen
from tui.screens.forms.picklist import PickList


def tickets(data: Any) -> list[Any]:
    return [
        data.make_ticket(
            "acme", "12", group=data.SUPPORT, assignee=Person(id="7", name="Alice Archer")
        )
    ]


async def test_typing_narrows_and_enter_picks(data: Any) -> None:
    app = data.HostApp(lambda: AssignScreen(tickets(data), data.LOOKUPS, data.FULL))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        agents = screen.query_one("#f-agent", PickList)
        assert screen.focused is not None and screen.focused.parent is agents
        await pilot.press(*"bob")
        assert [item.label for item in agents.shown] == ["Bob Baker"]
        await pilot.press("enter")
        assert agents.value == "8"
        # The search also matches the detail (e-mail), and up/down move in the list.
        await pilot.press("tab", *"bil")
        groups = screen.query_one("#f-group", PickList)
        assert [item.label for item in groups.shown] == ["Billing"]
        await pilot.press("enter", "ctrl+s")
        await pilot.pause()
    assert app.results == [("8", "20")]


async def test_agent_only_and_unassign(data: Any) -> None:
    app = data.HostApp(lambda: AssignScreen(tickets(data), data.LOOKUPS, data.FULL))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "enter")  # "(nobody: remove the assignee)"
        heading = app.screen.query_one("#f-agent .pick-heading", Label)
        assert str(heading.visual) == "Agent: (nobody: remove the assignee)"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [(UNASSIGNED, None)]


async def test_nothing_picked_and_nothing_changing_are_refused(data: Any) -> None:
    app = data.HostApp(lambda: AssignScreen(tickets(data), data.LOOKUPS, data.FULL))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.press("ctrl+s")
        assert screen.error_text("form") == "Pick an agent, a group, or both."
        error = screen.query_one("#f-form-error", Label)
        assert error.display and str(error.visual) == "Pick an agent, a group, or both."
        await pilot.press(*"alice", "enter", "ctrl+s")
        assert screen.error_text("form") == (
            "Nothing would change: the ticket is assigned like this already."
        )
        assert app.results == []


async def test_escape_cancels(data: Any) -> None:
    app = data.HostApp(lambda: AssignScreen(tickets(data), data.LOOKUPS, data.FULL))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"carol", "enter", "escape")
        await pilot.pause()
    assert app.results == [None]


async def test_agent_names_are_not_markup(data: Any) -> None:
    app = data.HostApp(lambda: AssignScreen(tickets(data), data.LOOKUPS, data.FULL))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"cole", "enter")
        heading = app.screen.query_one("#f-agent .pick-heading", Label)
        assert str(heading.visual) == "Agent: Carol [bold red]Cole"


async def test_desk_that_cannot_assign_says_why(data: Any) -> None:
    ticket = [data.make_ticket("halo", "3")]
    app = data.HostApp(lambda: AssignScreen(ticket, data.LOOKUPS, data.LIMITED))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        notice = screen.query_one(".notice", Label)
        assert str(notice.visual) == "Cannot assign here: tickets move between queues, not agents"
        assert not screen.query(PickList) and not screen.query("#form-submit")
        await pilot.press("ctrl+s", "escape")
        await pilot.pause()
    assert app.results == [None]
