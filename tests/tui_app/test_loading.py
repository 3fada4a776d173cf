"""Loading: desks list in the background, pages stream in, the sidebar scopes the list,
the filter narrows it, marks work and survive refreshes, and the layout folds at 80x24."""

from __future__ import annotations

from typing import Any

from adapters.model import HealthState


async def test_pages_stream_in_while_another_desk_is_still_syncing(harness: Any) -> None:
    harness.add_desk("acme", harness.make_desk(tickets=30))
    gate = harness.add_gated_desk("globex")
    harness.ui["view"] = "all"  # every ticket: resolved and closed ones too
    app = harness.build()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = harness.main(app)
        store = app.store
        await harness.wait_for(
            pilot, lambda: store.desk("acme").last_sync is not None, "acme listed"
        )
        # acme's tickets are on screen while globex has not answered a single request.
        assert screen.ticket_list.total_count == 30
        assert store.desk("globex").state is HealthState.SYNCING
        text = harness.screen_text(app)
        assert "↻ globex" in text and "syncing" in text
        assert "✓ acme" in text
        assert "↻ syncing globex" in text  # the status bar
        gate.gate.set()
        await harness.synced(pilot, app)
        assert screen.ticket_list.total_count == 54
        assert store.desk("globex").state is HealthState.OK
        assert "syncing" not in harness.screen_text(app)
        assert "54 of 54" in harness.screen_text(app)


async def test_the_list_fills_page_by_page(harness: Any) -> None:
    # 450 tickets come in pages of 200: the list must have grown before the last page.
    harness.add_desk("acme", harness.make_desk(tickets=450))
    app = harness.build(auto_sync=False)
    seen_sizes: list[int] = []
    async with app.run_test(size=(120, 30)) as pilot:
        screen = harness.main(app)
        original = screen.controller.sync_page

        def record(desk: Any, tickets: Any) -> None:
            original(desk, tickets)
            seen_sizes.append(screen.ticket_list.total_count)

        screen.controller.sync_page = record  # type: ignore[method-assign]
        assert screen.ticket_list.total_count == 0
        await pilot.press("R")
        await harness.synced(pilot, app)
    assert seen_sizes[0] < 450
    assert seen_sizes[-1] == 450
    assert seen_sizes == sorted(seen_sizes)


async def test_sidebar_scopes_the_list_to_one_desk(harness: Any) -> None:
    harness.add_desk("acme")
    harness.add_desk("globex", harness.make_desk(tickets=10, seed=2))
    harness.ui["view"] = "all"  # every ticket: resolved and closed ones too
    app = harness.build()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await harness.synced(pilot, app)
        assert screen.ticket_list.shown_count == 34
        screen.sidebar.focus()
        await pilot.press("down", "down", "enter")  # All desks, acme, globex
        await pilot.pause()
        assert screen.ticket_list.desk == "globex"
        assert {t.key.connection for t in screen.ticket_list.tickets} == {"globex"}
        text = harness.screen_text(app)
        assert "triage · globex (kayako)" in text
        assert "10 of 10" in text
        assert "▶ ✓ globex" in text  # the scope's entry is marked by a glyph
        assert screen.focused is screen.ticket_list
        screen.sidebar.focus()
        await pilot.press("home", "enter")
        await pilot.pause()
        assert screen.ticket_list.desk is None
        assert "34 of 34" in harness.screen_text(app)


async def test_filter_as_you_type_and_escape_clears(harness: Any) -> None:
    harness.add_desk("acme")
    harness.add_desk("globex", harness.make_desk(tickets=10, seed=2))
    harness.ui["view"] = "all"  # every ticket: resolved and closed ones too
    app = harness.build()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await harness.synced(pilot, app)
        await pilot.press("slash")
        assert screen.focused is screen.filter_input
        await pilot.press(*"desk:globex")
        await pilot.pause()
        assert screen.ticket_list.shown_count == 10
        assert "10 of 34" in harness.screen_text(app)
        assert "filter: desk:globex" in harness.screen_text(app)
        subject = screen.ticket_list.tickets[0].subject
        word = max(subject.split(), key=len)
        await pilot.press("space", *word)
        await pilot.pause()
        shown = screen.ticket_list.tickets
        assert shown and all(word.casefold() in t.subject.casefold() for t in shown)
        assert all(t.key.connection == "globex" for t in shown)
        # enter keeps the filter and goes back to the list ...
        await pilot.press("enter")
        assert screen.focused is screen.ticket_list
        assert screen.filter_input.display
        assert screen.ticket_list.shown_count == len(shown)
        # ... escape from the filter clears it.
        await pilot.press("slash", "escape")
        await pilot.pause()
        assert screen.ticket_list.shown_count == 34
        assert not screen.filter_input.display
        assert "no filter" in harness.screen_text(app)


async def test_marks_range_all_clear_and_survive_refresh(harness: Any) -> None:
    harness.add_desk("acme")
    harness.ui["view"] = "all"  # every ticket: resolved and closed ones too
    app = harness.build()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await harness.synced(pilot, app)
        ticket_list = screen.ticket_list
        await pilot.press("space", "space")  # marks row 0 and 1, cursor on 2
        assert len(ticket_list.marked_keys) == 2
        assert "● 2 marked" in harness.screen_text(app)
        await pilot.press("j", "j", "v")  # range from the last mark (row 1) to row 4
        assert len(ticket_list.marked_keys) == 5
        marked = set(ticket_list.marked_keys)
        # The desk changes a marked ticket's subject; a refresh keeps every mark.
        first = next(iter(sorted(marked)))
        desk = harness.desks["acme"]
        desk.update_ticket(desk.tickets[int(first.native_id)], subject="Renamed on the desk")
        await pilot.press("R")
        await harness.wait_for(
            pilot, lambda: app.store.get(first).subject == "Renamed on the desk", "refresh"
        )
        await harness.synced(pilot, app)
        assert ticket_list.marked_keys == marked
        assert ticket_list.get_ticket(first).subject == "Renamed on the desk"
        await pilot.press("asterisk")
        assert len(ticket_list.marked_keys) == 24
        assert "● 24 marked · 24 of 24" in harness.screen_text(app)
        await pilot.press("backslash")
        assert not ticket_list.marked_keys
        assert "no marks" in harness.screen_text(app)


async def test_narrow_layout_folds_sidebar_and_opens_detail_full(harness: Any) -> None:
    harness.add_desk("acme")
    app = harness.build()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await harness.synced(pilot, app)
        assert not screen.sidebar.display or screen.has_class("-sidebar-hidden")
        assert "Desks" not in harness.screen_text(app)
        # b unfolds the sidebar (focused, to pick a desk); escape folds it again.
        await pilot.press("b")
        await pilot.pause()
        assert "Desks" in harness.screen_text(app)
        assert screen.focused is screen.sidebar
        await pilot.press("escape")
        await pilot.pause()
        assert "Desks" not in harness.screen_text(app)
        # enter opens the detail over the whole width; escape goes back to the list.
        cursor = screen.ticket_list.cursor_ticket
        assert cursor is not None
        await pilot.press("enter")
        await harness.detail_loaded(pilot, app)
        text = harness.screen_text(app)
        assert "Conversation (" in text
        assert cursor.subject[:40] in text
        assert "Subject" not in text.splitlines()[1]  # the list's header is gone
        await pilot.press("escape")
        await pilot.pause()
        assert screen.focused is screen.ticket_list
        # One desk: the key column is the display id alone, titled "ID".
        assert harness.screen_text(app).splitlines()[1].split()[:2] == ["ID", "Subject"]
        # Widening the terminal brings the sidebar and the detail pane back.
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        assert "Desks" in harness.screen_text(app)
        assert "Conversation (" in harness.screen_text(app)


async def test_refresh_current_desk_only(harness: Any) -> None:
    harness.add_faulty_desk("acme")
    globex = harness.add_faulty_desk("globex")
    app = harness.build()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await harness.synced(pilot, app)
        screen.sidebar.focus()
        await pilot.press("down", "enter")  # scope: acme
        await pilot.pause()
        globex.requests.clear()
        acme = harness.transports["acme"]
        acme.requests.clear()
        await pilot.press("ctrl+r")
        await harness.wait_for(pilot, lambda: acme.requests, "acme refreshed")
        await harness.synced(pilot, app)
        assert any("ListAll" in url for _, url in acme.requests)
        assert not globex.requests
        assert "acme: refreshed" in harness.notifications(app)
