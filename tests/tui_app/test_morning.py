"""An agent's morning: what a newcomer tripped over, held by pilot tests.

Open work by default, escape in the order help gives, a failing desk that says why, the
sidebar's one cursor, vim keys wherever the agent moves, the drafts list, the palette.
"""

from __future__ import annotations

from typing import Any

from textual.command import CommandPalette
from textual.widgets import OptionList

from adapters.model import HealthState, Visibility
from tui.screens.drafts import DraftsScreen
from tui.screens.forms.assign import AssignScreen
from tui.screens.forms.compose import ComposeScreen
from tui.screens.forms.merge import MergeScreen
from tui.screens.help import HelpScreen
from tui.widgets.detail import DetailPane

# --------------------------------------------------------------------- the default view


async def test_the_list_opens_on_the_open_work(harness: Any) -> None:
    harness.add_desk("acme")
    app = harness.build()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await harness.synced(pilot, app)
        tickets = app.store.all_tickets()
        open_work = [t for t in tickets if not t.is_done]
        assert 0 < len(open_work) < len(tickets)
        assert screen.ticket_list.shown_count == len(open_work)
        assert all(not t.is_done for t in screen.ticket_list.tickets)
        text = harness.screen_text(app)
        assert "open tickets" in text and f"{len(open_work)} of {len(tickets)}" in text
        await pilot.press("O")  # every ticket
        await pilot.pause()
        assert screen.ticket_list.shown_count == len(tickets)
        assert "all tickets" in harness.screen_text(app)
        await pilot.press("O")
        await pilot.pause()
        assert screen.ticket_list.shown_count == len(open_work)
        # A qualifier asks for the done ones too, without the key.
        await pilot.press("slash", *"is:done", "enter")
        await pilot.pause()
        assert screen.ticket_list.shown_count == len(tickets) - len(open_work)


# --------------------------------------------------------------------- the filter


async def test_a_filter_shows_the_best_matches_first_in_the_app(harness: Any) -> None:
    """Seen: the cursor stayed on a ticket picked mid-typing, newer matches hidden above."""
    harness.add_desk("acme", harness.make_desk(tickets=60))
    app = harness.build()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await harness.synced(pilot, app)
        ticket_list = screen.ticket_list
        await pilot.press("slash", *"-status:closed")
        await pilot.press("enter")
        await pilot.pause()
        assert ticket_list.cursor_row == 0 and ticket_list.scroll_y == 0
        newest = max(ticket_list.tickets, key=lambda t: t.updated)
        assert ticket_list.cursor_ticket == newest


async def test_priority_as_shown_at_80_columns_filters(harness: Any) -> None:
    harness.add_desk("acme")
    app = harness.build()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await harness.synced(pilot, app)
        assert " P1 " in harness.screen_text(app) or " P2 " in harness.screen_text(app)
        rank = min(t.priority.rank for t in screen.ticket_list.tickets if t.priority)
        await pilot.press("slash", *f"priority:P{rank}")
        await pilot.pause()
        shown = screen.ticket_list.tickets
        assert shown and all(t.priority and t.priority.rank == rank for t in shown)


# --------------------------------------------------------------------- escape


async def test_escape_closes_what_is_open_then_clears_the_filter(harness: Any) -> None:
    harness.add_desk("acme")
    app = harness.build()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await harness.synced(pilot, app)
        ticket_list = screen.ticket_list
        everything = ticket_list.shown_count
        await pilot.press("slash", *"printer", "enter")  # the filter stays, the list has keys
        await pilot.pause()
        filtered = ticket_list.shown_count
        assert 0 < filtered < everything
        await pilot.press("enter")  # opens the detail, full size at 80 columns
        await harness.detail_loaded(pilot, app)
        assert screen.detail_full and screen.focused is screen.detail
        await pilot.press("x")  # the raw view on top
        await pilot.pause()
        assert screen.detail.raw_mode
        await pilot.press("escape")  # first: the raw view
        assert not screen.detail.raw_mode and screen.detail_full
        await pilot.press("escape")  # then: the detail
        assert not screen.detail_full and screen.focused is ticket_list
        assert ticket_list.shown_count == filtered
        await pilot.press("escape")  # last: the filter, as help says
        await pilot.pause()
        assert ticket_list.shown_count == everything
        assert screen.filter_text == "" and "no filter" in harness.screen_text(app)


# --------------------------------------------------------------------- a broken desk


async def test_a_broken_desk_says_why_in_full_and_what_to_do(harness: Any) -> None:
    harness.add_desk("fine", harness.make_desk(tickets=5))
    harness.add_desk("locked", secret_key="not-the-secret")
    app = harness.build()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await harness.synced(pilot, app)
        desk = app.store.desk("locked")
        assert desk.state is HealthState.AUTH_FAILED
        screen.sidebar.focus()
        await pilot.press("G", "enter")  # the last desk: locked
        await pilot.pause()
        assert screen.scope == "locked"
        notice = str(screen.query_one("#desk-notice").render())
        assert "locked: auth failed" in notice
        assert " ".join(desk.message.split()) in notice  # the whole message, not cut
        assert "check api_key and secret_key" in notice and "triage check" in notice
        assert "^r" in notice  # and how to try again, by the key it has now
        text = harness.screen_text(app)
        assert "No tickets on this desk" not in text
        assert "Nothing to show from locked: auth failed (see above)" in text
        screen.sidebar.focus()
        await pilot.press("home")  # all desks: the notice goes
        await pilot.pause()
        assert not screen.query_one("#desk-notice").display


# --------------------------------------------------------------------- the sidebar


async def test_the_sidebar_has_one_cursor(harness: Any) -> None:
    harness.add_desk("acme")
    harness.add_desk("globex", harness.make_desk(tickets=10, seed=2))
    app = harness.build()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await harness.synced(pilot, app)
        screen.sidebar.focus()
        await pilot.press("j")  # moving the highlight scopes the list at once
        await pilot.pause()
        assert screen.ticket_list.desk == "acme" and screen.scope == "acme"
        assert "▶ ✓ acme" in harness.screen_text(app)
        assert screen.focused is screen.sidebar  # and the sidebar keeps the keys
        await pilot.press("j")
        await pilot.pause()
        assert screen.ticket_list.desk == "globex"
        await pilot.press("k", "k")
        await pilot.pause()
        assert screen.ticket_list.desk is None
        await pilot.press("j", "enter")  # choosing hands the keys to the list
        await pilot.pause()
        assert screen.ticket_list.desk == "acme" and screen.focused is screen.ticket_list


# --------------------------------------------------------------------- vim keys


async def test_vim_keys_in_the_detail_pane_and_the_raw_view(harness: Any) -> None:
    harness.add_desk("acme")
    app = harness.build()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await harness.synced(pilot, app)
        tickets = screen.ticket_list.tickets
        longest = max(tickets, key=lambda t: len(app.store.get(t.key).subject))
        screen.ticket_list.move_cursor_to(longest.key)
        await pilot.press("enter")
        await harness.detail_loaded(pilot, app)
        detail = screen.detail
        assert isinstance(detail, DetailPane) and screen.focused is detail
        await pilot.pause()
        assert detail.max_scroll_y > 4, "the test needs a detail taller than the pane"
        for key, check in [
            ("j", lambda: detail.scroll_y == 1),
            ("j", lambda: detail.scroll_y == 2),
            ("k", lambda: detail.scroll_y == 1),
            ("G", lambda: detail.scroll_y == detail.max_scroll_y),
            ("g", lambda: detail.scroll_y == 0),
            ("ctrl+d", lambda: detail.scroll_y >= 4),
            ("ctrl+u", lambda: detail.scroll_y == 0),
        ]:
            await pilot.press(key)
            await harness.wait_for(pilot, check, f"{key} in the detail pane")
        await pilot.press("G", "x")  # the raw view opens at its top, and moves the same way
        await harness.wait_for(pilot, lambda: detail.raw_mode, "the raw view")
        await pilot.pause()
        assert detail.scroll_y == 0
        await pilot.press("j", "j")
        await harness.wait_for(pilot, lambda: detail.scroll_y == 2, "j in the raw view")
        await pilot.press("G")
        await harness.wait_for(
            pilot, lambda: detail.scroll_y == detail.max_scroll_y > 2, "G in the raw view"
        )


async def test_vim_keys_in_the_help(harness: Any) -> None:
    harness.add_desk("acme", harness.make_desk(tickets=3))
    app = harness.build()
    async with app.run_test(size=(80, 24)) as pilot:
        await harness.synced(pilot, app)
        await pilot.press("question_mark")
        help_screen = await harness.wait_screen(pilot, app, HelpScreen)
        body = help_screen.query_one("#help-body")
        await pilot.pause()
        assert body.max_scroll_y > 3
        await pilot.press("j", "j")
        await harness.wait_for(pilot, lambda: body.scroll_y == 2, "j in the help")
        await pilot.press("G")
        await harness.wait_for(pilot, lambda: body.scroll_y == body.max_scroll_y, "G")
        await pilot.press("k", "g")
        await harness.wait_for(pilot, lambda: body.scroll_y == 0, "g in the help")
        text = harness.screen_text(app)
        assert "Copy selected text" not in text and "Scroll Left" not in text


async def test_vim_keys_in_pick_lists(harness: Any) -> None:
    harness.add_desk("acme", harness.make_desk(tickets=4))
    app = harness.build()
    async with app.run_test(size=(120, 40)) as pilot:
        await harness.synced(pilot, app)
        # A list that holds the keys: the merge target (two tickets marked).
        await pilot.press("space", "space")
        merge = await harness.open_form(pilot, app, "m", MergeScreen)
        target = merge.query_one(OptionList)
        assert target.highlighted == 0
        await pilot.press("j")
        assert target.highlighted == 1 and merge.target_index == 1
        await pilot.press("k")
        assert target.highlighted == 0
        await pilot.press("G")
        assert target.highlighted == 1
        await pilot.press("g")
        assert target.highlighted == 0
        await pilot.press("escape")
        await pilot.press("backslash")
        # A list narrowed by typing: j and k are letters there; fzf's ctrl+j/ctrl+k move.
        assign = await harness.open_form(pilot, app, "a", AssignScreen)
        options = assign.query(".pick-options").results(OptionList)
        agents = next(iter(options))
        before = agents.highlighted or 0
        await pilot.press("ctrl+j")
        assert agents.highlighted == before + 1
        await pilot.press("ctrl+k")
        assert agents.highlighted == before


# --------------------------------------------------------------------- drafts


async def test_drafts_are_a_list_and_enter_opens_one(harness: Any) -> None:
    harness.add_desk("acme", harness.make_desk(tickets=6))
    app = harness.build()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await harness.synced(pilot, app)
        await pilot.press("d")
        await pilot.pause()
        assert "No unsent drafts." in harness.notifications(app)
        first, second = screen.ticket_list.tickets[:2]
        outbox = app.store.outbox
        outbox.add(first.key, "A reply kept for later", Visibility.PUBLIC)
        failed = outbox.add(second.key, "A note the desk refused", Visibility.PRIVATE)
        outbox.mark_failed(failed.id, "HTTP 503 the note service is down")
        await pilot.press("d")
        drafts = await harness.wait_screen(pilot, app, DraftsScreen)
        lines = [
            str(option.prompt)
            for option in (drafts.query_one(OptionList).get_option_at_index(i) for i in range(2))
        ]
        assert lines[0].startswith(f"acme · acme:{first.display_id} · reply · ")
        assert lines[1].startswith(f"acme · acme:{second.display_id} · note · ")
        assert lines[1].endswith("failed: HTTP 503 the note service is down")
        await pilot.press("j", "enter")  # vim keys here too; enter opens the draft
        compose = await harness.wait_screen(pilot, app, ComposeScreen)
        assert compose.visibility is Visibility.PRIVATE
        assert compose.text == "A note the desk refused"
        assert screen.ticket_list.cursor_key == second.key
        # The form says it is a restored draft; the "escape again" warning is not covered.
        restored = str(compose.query_one("#f-restored").render())
        assert restored == "Restored your unsent draft (HTTP 503 the note service is down)."
        await pilot.press("escape")
        await pilot.pause()
        assert "Press escape again" in harness.screen_text(app)
        assert not any("Restored" in n for n in harness.notifications(app))


# --------------------------------------------------------------------- the palette


async def test_the_palette_opens_with_the_triage_actions(harness: Any) -> None:
    harness.add_desk("acme", harness.make_desk(tickets=3))
    app = harness.build()
    async with app.run_test(size=(120, 40)) as pilot:
        await harness.synced(pilot, app)
        await pilot.press("colon")
        palette = await harness.wait_screen(pilot, app, CommandPalette)
        await pilot.pause(0.3)
        options = palette.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert labels, "the palette lists something at once"
        first = "\n".join(labels[:8])
        assert "(triage)" in first and "Update" in first and "Reply" in first
        everything = "\n".join(labels)
        for noise in ("Scroll Left", "Scroll Right", "Scroll Up", "Copy selected text"):
            assert noise not in everything
        assert "Sort by" not in everything and "Then by" not in everything


# --------------------------------------------------------------------- the footer


async def test_the_footer_names_every_action_that_fits_at_160(harness: Any) -> None:
    harness.add_desk("acme", harness.make_desk(tickets=5))
    app = harness.build()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await harness.synced(pilot, app)
        footer = harness.screen_text(app).splitlines()[-1]
        for shown in (
            "? Help", "/ Filter", "u Update", "a Assign", "c Close", "r Reply", "n Note",
            "m Merge", "f Fields", "s Sort", "d Drafts", "O All/open", "R Refresh all",
            "^r Refresh desk", "x Raw view",
        ):  # fmt: skip
            assert shown in footer.replace("▏", " "), shown
        assert footer.rstrip().endswith("Raw view")  # nothing cut at the end
        screen.detail.focus()
        await pilot.pause()
        assert "esc Back" in harness.screen_text(app).splitlines()[-1]
