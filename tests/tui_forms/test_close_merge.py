"""CloseScreen and MergeScreen: what the desk does, validation, results, cancel."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, Label, OptionList, TextArea

from adapters.model import TicketKey
from tui.screens.forms import CloseScreen, MergeScreen


def labels(screen: Any, selector: str) -> list[str]:
    return [str(label.visual) for label in screen.query(selector).results(Label)]


async def test_close_says_what_closing_means_per_desk(data: Any) -> None:
    tickets = [
        data.make_ticket("acme", "1", status=data.CLOSED),
        data.make_ticket("acme", "2"),
        data.make_ticket("halo", "3"),
    ]
    app = data.HostApp(lambda: CloseScreen(tickets, data.CAPS))
    async with app.run_test(size=(80, 24)):
        screen = app.screen
        assert labels(screen, ".notice") == [
            "acme: 2 tickets: sets a status marked resolved",
            "halo: 1 ticket: cannot close here: closing needs a solution entered on the desk",
        ]
        assert labels(screen, ".form-hint") == ["1 of the tickets is already resolved or closed."]


async def test_close_with_note_and_resolution(data: Any) -> None:
    app = data.HostApp(lambda: CloseScreen([data.make_ticket("acme", "1")], data.CAPS))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        screen.query_one("#f-resolution", Input).focus()
        await pilot.press(*"fix")
        screen.query_one("#f-note", TextArea).focus()
        await pilot.press("O", "k", "enter", "!")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [("Ok\n!", "fix")]


async def test_close_refuses_an_overlong_resolution_beside_it(data: Any) -> None:
    app = data.HostApp(lambda: CloseScreen([data.make_ticket("acme", "1")], data.CAPS))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        screen.query_one("#f-resolution", Input).value = "x" * 300
        await pilot.press("ctrl+s")
        assert screen.error_text("resolution") == "At most 255 characters (300 now)."
        field = screen.query_one("#f-resolution", Input)
        error = screen.query_one("#f-resolution-error", Label)
        assert error.display and error.region.y == field.region.y + 1
        assert app.results == []
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


async def test_close_on_desks_that_cannot_close_offers_nothing(data: Any) -> None:
    app = data.HostApp(lambda: CloseScreen([data.make_ticket("halo", "1")], data.CAPS))
    async with app.run_test(size=(80, 24)) as pilot:
        assert not app.screen.query("#form-submit") and not app.screen.query("#f-note")
        await pilot.press("ctrl+s")
        assert app.results == []


async def test_merge_picks_the_target_and_says_it_is_emulated(data: Any) -> None:
    tickets = [data.make_ticket("acme", str(n), f"Subject {n}", age=n) for n in (14, 12, 13)]
    app = data.HostApp(lambda: MergeScreen(tickets, data.CAPS))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        [notice] = labels(screen, ".notice")
        assert notice.startswith("Emulated merge: each other ticket's conversation is copied")
        assert notice.endswith("Kayako Classic has no merge in its API")
        target = screen.query_one("#f-target", OptionList)
        # The oldest ticket is proposed; each line says keep or merge in words.
        assert [str(target.get_option_at_index(i).prompt) for i in range(3)] == [
            "keep  ▶ acme:T-12  Subject 12",
            "merge   acme:T-13  Subject 13",
            "merge   acme:T-14  Subject 14",
        ]
        await pilot.press("down", "down")
        assert str(target.get_option_at_index(2).prompt).startswith("keep  ▶ acme:T-14")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [TicketKey("acme", "14")]


async def test_merge_native_is_labelled_native(data: Any) -> None:
    tickets = [data.make_ticket("halo", "1"), data.make_ticket("halo", "2")]
    app = data.HostApp(lambda: MergeScreen(tickets, data.CAPS))
    async with app.run_test(size=(80, 24)):
        assert labels(app.screen, ".notice") == [
            "Native merge: the desk merges the tickets itself. merged by the desk"
        ]


async def test_merge_across_desks_is_explained_and_refused(data: Any) -> None:
    tickets = [data.make_ticket("acme", "1"), data.make_ticket("halo", "2")]
    app = data.HostApp(lambda: MergeScreen(tickets, data.CAPS))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        [problem] = labels(screen, ".notice")
        assert problem.startswith("The selection spans 2 desks (acme, halo).")
        assert not screen.query("#form-submit")
        await pilot.press("ctrl+s")
        assert app.results == []
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


async def test_merge_needs_two_tickets(data: Any) -> None:
    app = data.HostApp(lambda: MergeScreen([data.make_ticket("acme", "1")], data.CAPS))
    async with app.run_test(size=(80, 24)):
        [problem] = labels(app.screen, ".notice")
        assert problem.startswith("Mark at least two tickets")


def test_merge_explains_the_emulation_once() -> None:
    from tui.screens.forms.merge import EMULATION, emulation_text

    # A reason that says how (as Kayako's does): it is the whole explanation.
    reason = (
        "the REST API cannot merge: the sources' conversations are copied into the target "
        "as a private note, each source gets a note and is closed"
    )
    text = emulation_text(reason)
    assert text.count("private note") == 1 and text.count("closed") == 1
    assert text.startswith("Emulated merge: ") and reason.rstrip(".") in text
    # A reason that says only why: the app says how, then the reason.
    assert emulation_text("no merge in its API") == f"{EMULATION} no merge in its API"
    assert emulation_text("") == EMULATION
