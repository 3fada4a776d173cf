"""The TicketList widget driven through a pilot: keys, marks, filter, sort, desks, rendering."""

from __future__ import annotations

from typing import Any

from adapters.model import TicketKey
from tui.widgets.ticket_list import TicketList


def key(native_id: int | str, desk: str = "kayako") -> TicketKey:
    return TicketKey(desk, str(native_id))


def cursor_id(ticket_list: TicketList) -> str | None:
    ticket = ticket_list.cursor_ticket
    return ticket.key.native_id if ticket else None


# --------------------------------------------------------------------------- cursor


async def test_cursor_keys(kit: Any) -> None:
    app = kit.App(kit.numbered(100))
    async with app.run_test(size=(100, 24)) as pilot:
        tl = app.ticket_list
        assert cursor_id(tl) == "1"
        await pilot.press("j", "j", "down")
        assert cursor_id(tl) == "4"
        await pilot.press("k", "up")
        assert cursor_id(tl) == "2"
        await pilot.press("up", "up", "k")  # stops at the top
        assert cursor_id(tl) == "1"
        await pilot.press("G")
        assert cursor_id(tl) == "100"
        await pilot.press("g")
        assert cursor_id(tl) == "1"
        await pilot.press("end")
        assert cursor_id(tl) == "100"
        await pilot.press("home")
        assert cursor_id(tl) == "1"
        assert tl.cursor_key == key(1)
        changed = [m for m in app.messages if isinstance(m, TicketList.CursorChanged)]
        assert [m.ticket and m.ticket.key.native_id for m in changed][-3:] == ["1", "100", "1"]


async def test_page_keys_move_by_a_screen_and_scroll(kit: Any) -> None:
    app = kit.App(kit.numbered(100))
    async with app.run_test(size=(100, 24)) as pilot:
        tl = app.ticket_list
        page = 24 - 1  # the header takes one line
        await pilot.press("pagedown")
        assert tl.cursor_row == page
        assert tl.scroll_offset.y == page
        await pilot.press("pagedown", "pagedown", "pagedown", "pagedown")
        assert cursor_id(tl) == "100"  # clamped at the end
        assert tl.scroll_offset.y == 100 - page
        await pilot.press("pageup")
        assert tl.cursor_row == 99 - page
        lines = kit.lines(tl)
        assert lines[0].lstrip().startswith("ID")  # one desk: the display id alone
        assert "Ticket number 55" in lines[1]  # the view moved up a page too
        assert "▶" in lines[1 + 99 - 77] and "Ticket number 77" in lines[1 + 99 - 77]


async def test_stepping_past_the_edge_scrolls_half_a_page(kit: Any) -> None:
    app = kit.App(kit.numbered(50))
    async with app.run_test(size=(100, 10)) as pilot:
        tl = app.ticket_list  # nine lines for rows under the header
        for _ in range(8):
            await pilot.press("j")
        assert (tl.cursor_row, tl.scroll_offset.y) == (8, 0)
        await pilot.press("j")
        assert (tl.cursor_row, tl.scroll_offset.y) == (9, 9 - 4)  # the cursor mid-screen
        assert kit.lines(tl)[1 + 4].startswith("▶")
        for _ in range(4):
            await pilot.press("j")
        assert tl.scroll_offset.y == 5  # no scrolling while the cursor is in view
        for _ in range(9):
            await pilot.press("k")
        assert (tl.cursor_row, tl.scroll_offset.y) == (4, 0)


async def test_stepping_scrolls_a_line_without_jump_scroll(kit: Any) -> None:
    app = kit.App(kit.numbered(50), jump_scroll=False)
    async with app.run_test(size=(100, 10)) as pilot:
        tl = app.ticket_list
        for _ in range(12):
            await pilot.press("j")
        assert tl.cursor_row == 12
        assert tl.scroll_offset.y == 12 - 8  # the cursor on the last line
        lines = kit.lines(tl)
        assert lines[-1].startswith("▶")
        assert "Ticket number 13" in lines[-1]


async def test_move_cursor_to_and_enter_opens(kit: Any) -> None:
    app = kit.App(kit.numbered(30))
    async with app.run_test(size=(100, 12)) as pilot:
        tl = app.ticket_list
        assert tl.move_cursor_to(key(25))
        assert not tl.move_cursor_to(key(999))
        await pilot.press("enter")
        opened = app.last(TicketList.Opened)
        assert opened.ticket.key == key(25)
        assert opened.control is tl


async def test_click_moves_the_cursor_and_header_click_sorts(kit: Any) -> None:
    app = kit.App(kit.numbered(10))
    async with app.run_test(size=(100, 12)) as pilot:
        tl = app.ticket_list
        await pilot.click(TicketList, offset=(20, 3))
        assert cursor_id(tl) == "3"
        await pilot.click(TicketList, offset=(4, 0))  # the "Key" title
        assert tl.sort_keys == (("key", False),)
        await pilot.click(TicketList, offset=(4, 0))
        assert tl.sort_keys == (("key", True),)
        assert cursor_id(tl) == "3"  # the cursor stays on its ticket


# --------------------------------------------------------------------------- marks


async def test_space_toggles_and_steps_down(kit: Any) -> None:
    app = kit.App(kit.numbered(10))
    async with app.run_test(size=(100, 12)) as pilot:
        tl = app.ticket_list
        await pilot.press("space", "space")
        assert tl.marked_keys == {key(1), key(2)}
        assert cursor_id(tl) == "3"
        await pilot.press("k", "space")
        assert tl.marked_keys == {key(1)}
        assert app.last(TicketList.MarksChanged).count == 1
        lines = kit.lines(tl)
        assert lines[1].startswith(" ●")  # marked, not under the cursor
        assert lines[3].startswith("▶ ")


async def test_v_marks_a_range_from_the_anchor(kit: Any) -> None:
    app = kit.App(kit.numbered(20))
    async with app.run_test(size=(100, 24)) as pilot:
        tl = app.ticket_list
        await pilot.press("j", "space")  # marks 2, anchor 2, cursor on 3
        await pilot.press("j", "j", "j", "v")  # cursor on 6
        assert tl.marked_keys == {key(n) for n in range(2, 7)}
        await pilot.press("j", "j", "v")  # from the new anchor (6) to 8
        assert tl.marked_keys == {key(n) for n in range(2, 9)}
        await pilot.press("G", "k", "k", "backslash")
        assert tl.marked_keys == frozenset()
        await pilot.press("v")  # no anchor: just the cursor's ticket
        assert tl.marked_keys == {key(18)}
        assert app.last(TicketList.MarksChanged).count == 1


async def test_star_marks_all_shown_and_backslash_clears(kit: Any) -> None:
    tickets = [*kit.numbered(5), kit.ticket(9, "Refund", updated_minutes_ago=30)]
    app = kit.App(tickets)
    async with app.run_test(size=(100, 12)) as pilot:
        tl = app.ticket_list
        await pilot.press("space")  # ticket 1
        tl.apply_filter("refund")
        await pilot.press("asterisk")
        assert tl.marked_keys == {key(1), key(9)}  # the hidden mark stays
        assert app.last(TicketList.MarksChanged).count == 2
        assert tl.target_keys() == [key(1), key(9)]
        await pilot.press("backslash")
        assert tl.marked_keys == frozenset()
        assert tl.target_keys() == [key(9)]  # the cursor's ticket


async def test_marks_survive_refreshes_and_filtering(kit: Any) -> None:
    app = kit.App(kit.numbered(10))
    async with app.run_test(size=(100, 14)) as pilot:
        tl = app.ticket_list
        await pilot.press("j", "space", "space")
        assert tl.marked_keys == {key(2), key(3)}
        tl.upsert_tickets(kit.numbered(10))  # a refresh: new objects, same keys
        tl.set_tickets(kit.numbered(12))
        tl.apply_filter("number 3")
        tl.apply_filter("")
        await pilot.pause()
        assert tl.marked_keys == {key(2), key(3)}
        assert tl.target_keys() == [key(2), key(3)]
        assert kit.lines(tl)[2].startswith(" ●")
        tl.set_tickets(kit.numbered(10, start=3))  # 1 and 2 are gone
        assert tl.marked_keys == {key(3)}
        tl.remove_tickets([key(3)])
        await pilot.pause()
        assert tl.marked_keys == frozenset()
        assert app.last(TicketList.MarksChanged).count == 0


# --------------------------------------------------------------------------- filter


async def test_filter_counts_and_message(kit: Any) -> None:
    t = kit.ticket
    tickets = [
        t(1, "Printer on fire", assignee="ana", status="new"),
        t(2, "Refund", assignee="bo", status="closed"),
        t(3, "Printer jam", desk="halo", status="pending"),
    ]
    app = kit.App(tickets)
    async with app.run_test(size=(100, 12)) as pilot:
        tl = app.ticket_list
        tl.apply_filter("printer")
        await pilot.pause()
        assert (tl.shown_count, tl.total_count) == (2, 3)
        message = app.last(TicketList.FilterApplied)
        assert (message.shown, message.total) == (2, 3)
        assert tl.filter_text == "printer"
        tl.apply_filter("printer -status:pending")
        assert [x.key for x in tl.tickets] == [key(1)]
        tl.apply_filter('assignee:"bo chen"')
        assert [x.key for x in tl.tickets] == [key(2)]
        tl.apply_filter("nothing like this")
        await pilot.pause()
        assert tl.shown_count == 0
        assert tl.cursor_ticket is None
        assert tl.target_keys() == []
        assert "No tickets match the filter" in kit.lines(tl)[1]
        tl.apply_filter("")
        await pilot.pause()
        assert app.last(TicketList.FilterApplied).shown == 3


async def test_filter_keeps_a_chosen_cursor_on_its_ticket(kit: Any) -> None:
    app = kit.App(kit.numbered(30))
    async with app.run_test(size=(100, 12)) as pilot:
        tl = app.ticket_list
        tl.move_cursor_to(key(21))
        tl.apply_filter('"number 2"')  # 2, 20..29: ticket 21 is still shown
        await pilot.pause()
        assert cursor_id(tl) == "21"
        tl.apply_filter('"number 3"')  # 3, 30: 21 is gone; the best match comes first
        assert tl.cursor_row == 0
        assert tl.cursor_ticket == tl.tickets[0]


async def test_filter_shows_the_best_matches_first(kit: Any) -> None:
    """A cursor the agent did not place (the filter put it on a ticket mid-typing) goes
    back to the first row when the filter changes, and the list scrolls to the top."""
    app = kit.App(kit.numbered(60))
    async with app.run_test(size=(100, 12)) as pilot:
        tl = app.ticket_list
        tl.focus()
        await pilot.press("G")  # the agent goes to the last ticket on purpose
        assert tl.cursor_row == 59 and tl.scroll_y > 0
        tl.apply_filter("number")  # every ticket still matches: the chosen cursor stays
        await pilot.pause()
        assert tl.cursor_row == 59
        tl.apply_filter("number 5")  # it is gone: the first match, scrolled to the top
        await pilot.pause()
        assert tl.cursor_row == 0 and tl.scroll_y == 0
        tl.apply_filter("number")  # the cursor is the filter's now: it stays at the top
        await pilot.pause()
        assert tl.cursor_row == 0 and tl.scroll_y == 0
        assert cursor_id(tl) != "5"  # the first row of all, not the ticket it was on


async def test_typing_in_a_filter_box(kit: Any) -> None:
    """What the main screen does: every keystroke of the filter box re-filters."""
    app = kit.App(kit.numbered(40))
    async with app.run_test(size=(100, 12)) as pilot:
        tl = app.ticket_list
        for prefix in ["n", "nu", "num", "numb", "number", "number ", "number 1"]:
            tl.apply_filter(prefix)
        await pilot.pause()
        # Two words: "number" and "1" anywhere (ids 1, 10-19, 21, 31).
        expected = ["1", *(str(n) for n in range(10, 20)), "21", "31"]
        assert [t.key.native_id for t in tl.tickets] == expected
        for prefix in ["number", "numbe", ""]:
            tl.apply_filter(prefix)
        assert tl.shown_count == 40


# --------------------------------------------------------------------------- sort


async def test_sort_toggles_and_shows_indicators(kit: Any) -> None:
    t = kit.ticket
    tickets = [
        t(1, priority=3, updated_minutes_ago=1),
        t(2, priority=1, updated_minutes_ago=2),
        t(3, priority=1, updated_minutes_ago=3),
    ]
    app = kit.App(tickets)
    async with app.run_test(size=(160, 12)) as pilot:
        tl = app.ticket_list
        assert tl.sort_keys == (("updated", True),)
        assert "Updated▼" in kit.lines(tl)[0]
        tl.sort_by("priority")
        assert [x.key.native_id for x in tl.tickets] == ["2", "3", "1"]  # ties: by key
        tl.sort_by("priority")
        assert tl.sort_keys == (("priority", True),)
        assert [x.key.native_id for x in tl.tickets] == ["1", "2", "3"]
        tl.sort_by("updated", add=True)
        assert tl.sort_keys == (("priority", True), ("updated", True))
        assert [x.key.native_id for x in tl.tickets] == ["1", "2", "3"]
        tl.sort_by("updated", add=True)
        assert [x.key.native_id for x in tl.tickets] == ["1", "3", "2"]
        await pilot.pause()
        header = kit.lines(tl)[0]
        assert "Priority▼1" in header
        assert "Updated▲2" in header


# --------------------------------------------------------------------------- desks


async def test_desk_scope(kit: Any) -> None:
    tickets = kit.numbered(4, desk="kayako") + kit.numbered(3, desk="halo", start=10)
    app = kit.App(tickets)
    async with app.run_test(size=(100, 12)) as pilot:
        tl = app.ticket_list
        assert (tl.shown_count, tl.total_count) == (7, 7)
        tl.set_desk("halo")
        await pilot.pause()
        assert tl.desk == "halo"
        assert (tl.shown_count, tl.total_count) == (3, 3)
        assert {t.key.connection for t in tl.tickets} == {"halo"}
        assert app.last(TicketList.FilterApplied).total == 3
        tl.apply_filter("number 1")
        assert tl.shown_count == 3  # 10, 11, 12 on halo
        tl.set_desk("kayako")
        assert [t.key.native_id for t in tl.tickets] == ["1"]
        assert tl.total_count == 4
        tl.set_desk(None)
        assert tl.shown_count == 4
        assert tl.get_ticket(key(11, "halo")) is not None


# --------------------------------------------------------------------------- streaming


async def test_pages_stream_in_without_moving_the_cursor_or_the_view(kit: Any) -> None:
    app = kit.App(kit.numbered(40, start=100))
    async with app.run_test(size=(100, 12)) as pilot:
        tl = app.ticket_list
        tl.move_cursor_to(key(120))
        await pilot.pause()
        before = kit.lines(tl).index(next(x for x in kit.lines(tl) if x.startswith("▶")))
        top = tl.scroll_offset.y
        tl.upsert_tickets(kit.numbered(30, start=1))  # newer tickets: all sort above
        await pilot.pause()
        assert cursor_id(tl) == "120"
        lines = kit.lines(tl)
        assert lines[before].startswith("▶") and "number 120" in lines[before]
        assert tl.scroll_offset.y == top + 30
        assert (tl.shown_count, tl.total_count) == (70, 70)
        assert app.last(TicketList.FilterApplied).total == 70


async def test_the_cursor_ticket_changing_is_announced(kit: Any) -> None:
    app = kit.App(kit.numbered(3))
    async with app.run_test(size=(100, 12)) as pilot:
        tl = app.ticket_list
        tl.upsert_tickets([kit.ticket(1, "Renamed", updated_minutes_ago=1)])
        await pilot.pause()
        assert app.last(TicketList.CursorChanged).ticket.subject == "Renamed"
        assert "Renamed" in kit.lines(tl)[1]
        tl.remove_tickets([key(1)])
        await pilot.pause()
        assert cursor_id(tl) == "2"
        tl.set_tickets([])
        await pilot.pause()
        assert app.last(TicketList.CursorChanged).ticket is None
        assert "No tickets" in kit.lines(tl)[1]


# --------------------------------------------------------------------------- rendering


async def test_hostile_text_is_shown_verbatim_and_triggers_nothing(kit: Any) -> None:
    hostile = [
        kit.ticket(1, "[bold red]x", updated_minutes_ago=1),
        kit.ticket(2, "[@click=app.quit]y[/]", updated_minutes_ago=2),
        kit.ticket(3, "a\x1b[2Jb\nnext\u202eline", updated_minutes_ago=3),
        kit.ticket(4, "[/bold] closes nothing", updated_minutes_ago=4),
    ]
    app = kit.App(hostile)
    async with app.run_test(size=(100, 12)) as pilot:
        tl = app.ticket_list
        lines = kit.lines(tl)
        assert "[bold red]x" in lines[1]
        assert "[@click=app.quit]y[/]" in lines[2]
        assert "\x1b" not in lines[3] and "\u202e" not in lines[3] and "\n" not in lines[3]
        assert "[/bold] closes nothing" in lines[4]
        for y in range(1, 5):
            strip = tl.render_line(y)
            assert strip.cell_length == tl.scrollable_content_region.width
            assert all(not (s.style and s.style.meta) for s in strip)  # no @click
        await pilot.click(TicketList, offset=(20, 2))
        await pilot.click(TicketList, offset=(20, 2), times=2)
        await pilot.press("enter", "j", "space")
        assert app.is_running
        assert app.return_value is None


async def test_wide_characters_keep_columns_aligned(kit: Any) -> None:
    tickets = [
        kit.ticket(1, "日本語の件名がとても長いのでここで切れます" * 3, updated_minutes_ago=1),
        kit.ticket(2, "Plain subject", updated_minutes_ago=2, assignee="ana"),
    ]
    app = kit.App(tickets)
    async with app.run_test(size=(80, 8)):
        tl = app.ticket_list
        width = tl.scrollable_content_region.width
        first, second = tl.render_line(1), tl.render_line(2)
        assert first.cell_length == second.cell_length == width
        assert "…" in first.text
        status_x = second.text.index("Open")
        assert first.crop(status_x, status_x + 4).text == "Open"


async def test_row_cursor_style_highlights_the_whole_row(kit: Any) -> None:
    app = kit.App(kit.numbered(3), cursor_style="row")
    async with app.run_test(size=(100, 8)):
        tl = app.ticket_list
        cursor_style = tl.get_component_rich_style("ticket-list--cursor", partial=True)
        segments = list(tl.render_line(1))
        assert all(s.style and s.style.bgcolor == cursor_style.bgcolor for s in segments)


async def test_arrow_cursor_highlights_the_gutter_and_key(kit: Any) -> None:
    app = kit.App(kit.numbered(3))
    async with app.run_test(size=(100, 8)):
        tl = app.ticket_list
        cursor_bg = tl.get_component_rich_style("ticket-list--cursor", partial=True).bgcolor
        segments = list(tl.render_line(1))
        assert segments[0].text == "▶  1   "  # the ID column is as wide as its title
        assert segments[0].style and segments[0].style.bgcolor == cursor_bg
        assert all(s.style and s.style.bgcolor != cursor_bg for s in segments[1:])


async def test_ansi_theme_uses_text_styles(kit: Any) -> None:
    app = kit.App(kit.numbered(3))
    async with app.run_test(size=(100, 8)) as pilot:
        app.theme = "ansi-dark"
        await pilot.pause()
        tl = app.ticket_list
        await pilot.press("space")
        cursor = next(iter(tl.render_line(2)))
        marked = list(tl.render_line(1))[-1]
        assert cursor.style and cursor.style.reverse and cursor.style.bold
        assert marked.style and marked.style.underline
        assert kit.lines(tl)[1].startswith(" ●")


async def test_columns_keep_their_form_while_the_filter_narrows(kit: Any) -> None:
    """The scrollbar's column stays when the filter leaves too few rows to scroll, so a
    width at the edge of the compact layout does not flip priority from "P3" to "Medium"
    (and back) as the agent types."""
    from tui.listing import TicketIndex
    from tui.widgets.ticket_list import compute_layout

    tickets = kit.numbered(30)
    natural = TicketIndex(tickets).natural_widths()

    def compact(width: int) -> bool:
        layout = compute_layout(width, natural)
        return any(placed.compact for placed in layout.columns)

    # The terminal width at which the list (less its scrollbar) is compact, but would not
    # be with the scrollbar's column given back.
    edge = next(w for w in range(40, 200) if compact(w - 1) and not compact(w))
    app = kit.App(tickets)
    async with app.run_test(size=(edge, 12)) as pilot:
        tl = app.ticket_list
        await pilot.pause()
        assert "P3" in kit.lines(tl)[1]
        tl.apply_filter("number 1")  # 1, 10..19: still scrolls
        tl.apply_filter('"number 2"')  # 2, 20..29
        tl.apply_filter('"number 30"')  # one row: nothing to scroll
        await pilot.pause()
        assert tl.shown_count == 1
        row = kit.lines(tl)[1]
        assert "P3" in row and "Medium" not in row
