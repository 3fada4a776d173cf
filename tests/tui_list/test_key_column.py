"""The key column keeps the ticket's display id readable at 80 columns.

Kayako display ids are 13 cells (``RRQ-270-56936``): with one desk in view the column
shows the id alone (titled "ID"), with several it shows ``connection:display-id`` and
shortens the connection, never the id, while the subject has room.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from adapters.model import Choice, StatusCategory, Ticket, TicketKey
from tui.widgets.ticket_list import compute_layout, desk_abbreviations, key_text

KAYAKO_IDS = ("RRQ-270-56936", "BAH-214-86766", "VAN-845-20794", "VXL-825-62764")
# The demo desk's long labels: what squeezes the subject at 80 columns.
WAITING = Choice(id="w", label="Waiting for Customer", category=StatusCategory.PENDING)
EMERGENCY = Choice(id="e", label="Emergency", rank=1)


def kayako(kit: Any, desk: str = "kayako", *, long_labels: bool = True) -> list[Ticket]:
    tickets = []
    for n, display_id in enumerate(KAYAKO_IDS, start=1):
        ticket = kit.ticket(n, f"Monthly asset report export {n}", desk=desk, assignee="ana")
        update: dict[str, Any] = {"display_id": display_id}
        if long_labels:
            update.update(status=WAITING, priority=EMERGENCY)
        tickets.append(ticket.model_copy(update=update))
    return tickets


def halo(kit: Any, count: int = 3, desk: str = "halo") -> list[Ticket]:
    return [kit.ticket(100 + n, f"Halo ticket {n}", desk=desk) for n in range(count)]


def rows(kit: Any, app: Any) -> list[str]:
    return kit.lines(app.ticket_list)[1:]


def row_of(lines: list[str], subject_start: str) -> str:
    return next(line for line in lines if subject_start in line)


async def test_one_desk_at_80x24_shows_the_whole_display_id(kit: Any) -> None:
    app = kit.App(kayako(kit))
    async with app.run_test(size=(80, 24)):
        header, *lines = kit.lines(app.ticket_list)
        assert header.split()[0] == "ID"
        for display_id in KAYAKO_IDS:
            assert any(display_id in line for line in lines)
        assert not any("kayako:" in line or "…" in line.split()[0] for line in lines[:4])
        # The id sits right after the gutter, its column no wider than it needs.
        assert lines[0].startswith("▶  RRQ-270-56936 Monthly")


def shortened(connection: str) -> str:
    """A pattern for ``connection`` whole or cut with an ellipsis (``kay…``, ``k…``)."""
    cuts = [re.escape(connection[:n]) + "…" for n in range(1, len(connection))]
    return "(?:" + "|".join([re.escape(connection), *cuts]) + ")"


async def test_two_desks_at_80x24_show_connection_and_display_id(kit: Any) -> None:
    # The demo's long labels squeeze every column: the prefix gives way, the id does not,
    # and no column is hidden for it (assignee stays at 80 columns).
    app = kit.App(kayako(kit) + halo(kit))
    async with app.run_test(size=(80, 24)):
        header, *lines = kit.lines(app.ticket_list)
        assert header.split()[:2] == ["Key", "Subject"] and "Assignee" in header
        for display_id in KAYAKO_IDS:
            pattern = rf"{shortened('kayako')}:{display_id} Monthly"
            assert any(re.search(pattern, line) for line in lines), display_id
        assert "halo:100" in row_of(lines, "Halo ticket 0")


async def test_two_desks_with_room_show_the_whole_key(kit: Any) -> None:
    app = kit.App(kayako(kit, long_labels=False) + halo(kit))
    async with app.run_test(size=(80, 24)):
        header, *lines = kit.lines(app.ticket_list)
        assert header.split()[0] == "Key"
        for display_id in KAYAKO_IDS:
            assert any(f"kayako:{display_id} Monthly" in line for line in lines)


async def test_scoping_to_one_desk_drops_the_prefix_and_unscoping_brings_it_back(
    kit: Any,
) -> None:
    app = kit.App(kayako(kit) + halo(kit))
    async with app.run_test(size=(80, 24)) as pilot:
        tl = app.ticket_list
        tl.set_desk("kayako")
        await pilot.pause()
        header, *lines = kit.lines(tl)
        assert header.split()[0] == "ID"
        assert any(re.match(r"[▶ ]  RRQ-270-56936 Monthly asset", line) for line in lines)
        assert not any("kayako:" in line for line in lines)
        tl.set_desk("halo")
        await pilot.pause()
        assert re.match(r"[▶ ]  100 +Halo ticket 0", row_of(kit.lines(tl), "Halo ticket 0"))
        tl.set_desk(None)
        await pilot.pause()
        header, *lines = kit.lines(tl)
        assert header.split()[0] == "Key"
        assert any(re.search(rf"{shortened('kayako')}:RRQ-270-56936 ", line) for line in lines)


@pytest.mark.parametrize("long_labels", [False, True])
async def test_long_desk_names_shorten_before_the_display_id(kit: Any, long_labels: bool) -> None:
    tickets = kayako(kit, "kayako-europe-west", long_labels=long_labels) + halo(
        kit, desk="halopsa-production"
    )
    app = kit.App(tickets)
    async with app.run_test(size=(80, 24)):
        lines = rows(kit, app)
        for display_id in KAYAKO_IDS:
            pattern = rf"{shortened('kayako-europe-west')}:{display_id} Monthly"
            assert any(re.search(pattern, line) for line in lines), display_id
        halo_row = row_of(lines, "Halo ticket 0")
        assert re.search(rf"{shortened('halopsa-production')}:100 +Halo", halo_row)


@pytest.mark.parametrize("width", [50, 60])
async def test_beside_the_sidebar_the_display_id_stays_whole(kit: Any, width: int) -> None:
    # The list beside the sidebar at 80 columns is about 50 cells wide.
    app = kit.App(kayako(kit) + halo(kit))
    async with app.run_test(size=(width, 12)):
        lines = rows(kit, app)
        for display_id in KAYAKO_IDS:
            assert any(re.search(rf"{shortened('kayako')}:{display_id} ", line) for line in lines)


# --------------------------------------------------------------------------- units


def test_layout_gives_the_key_its_natural_width_before_the_subject() -> None:
    demo = {"status": 20, "priority": 9, "assignee": 15, "group": 14}
    one = compute_layout(79, {**demo, "connection": 0, "display_id": 13, "key": 13})
    assert not one.key_prefix
    assert one.columns[0].column.title == "ID"
    assert one.columns[0].width == 13
    short = {"status": 4, "priority": 6, "assignee": 8, "group": 7}
    two = compute_layout(79, {**short, "connection": 6, "display_id": 13, "key": 20})
    assert two.key_prefix
    assert two.columns[0].column.title == "Key"
    assert two.columns[0].width == 20


def test_the_prefix_gives_way_before_any_column_is_hidden() -> None:
    demo = {"status": 20, "priority": 9, "assignee": 15, "group": 14}
    natural = {**demo, "connection": 6, "display_id": 13, "key": 20}
    at_80 = compute_layout(79, natural)
    assert at_80.names == ("key", "subject", "status", "priority", "assignee", "updated")
    assert at_80.columns[0].width == len("k…:RRQ-270-56936")
    # A few cells more, and "kay…" comes back before the subject grows.
    assert compute_layout(81, natural).columns[0].width == len("kay…:RRQ-270-56936")


def test_layout_never_cuts_the_display_id_to_narrow_the_key() -> None:
    natural = {"status": 20, "priority": 9, "assignee": 15, "group": 14}
    long_names = {**natural, "connection": 18, "display_id": 13, "key": 32}
    for width in (40, 60, 79):
        placed = compute_layout(width, long_names).columns[0]
        assert placed.width >= len("k…:RRQ-270-56936")
    assert compute_layout(100, long_names).columns[0].width >= len("kay…:RRQ-270-56936")
    # Up to a cap: a desk with absurdly long ids does not eat the subject.
    huge = compute_layout(79, {**natural, "connection": 0, "display_id": 60, "key": 60})
    assert huge.columns[0].width == 24


@pytest.mark.parametrize(
    ("width", "expected"),
    [
        (25, "kayako:RRQ-270-56936"),
        (20, "kayako:RRQ-270-56936"),
        (19, "kaya…:RRQ-270-56936"),
        (18, "kay…:RRQ-270-56936"),
        (16, "k…:RRQ-270-56936"),
        (15, "RRQ-270-56936"),  # no room for a useful prefix: the id alone
        (10, "RRQ-270-56936"),  # cut by the cell, from the end
    ],
)
def test_key_text_shortens_the_connection_first(kit: Any, width: int, expected: str) -> None:
    ticket = kit.ticket(1).model_copy(update={"display_id": "RRQ-270-56936"})
    assert key_text(ticket, width, prefix=True) == expected
    assert key_text(ticket, width, prefix=False) == "RRQ-270-56936"


def test_a_shortened_prefix_still_tells_the_desks_apart(kit: Any) -> None:
    """Beside kapture, kayako cut to ``k…`` and kapture to ``ka…`` read alike: each gets
    two letters that differ. A cut that names one desk stays as it was."""
    demo = ("connectwise", "halopsa", "invgate", "kapture", "kayako")
    mask = kit.ticket(1).model_copy(update={"display_id": "RRQ-270-56936"})
    kayako = mask.model_copy(update={"key": TicketKey("kayako", "395")})
    kapture = mask.model_copy(
        update={"key": TicketKey("kapture", "795798151230"), "display_id": "795798151230"}
    )
    cw = mask.model_copy(update={"key": TicketKey("connectwise", "250399"), "display_id": "250399"})
    assert key_text(kayako, 16, prefix=True, desks=demo) == "ky:RRQ-270-56936"
    assert key_text(kapture, 16, prefix=True, desks=demo) == "kp:795798151230"
    assert key_text(cw, 16, prefix=True, desks=demo) == "connectw…:250399"
    assert key_text(kayako, 18, prefix=True, desks=demo) == "kay…:RRQ-270-56936"
    assert key_text(kayako, 15, prefix=True, desks=demo) == "RRQ-270-56936"
    # Names that share no start keep the cut form; without the desks, as before.
    acme = mask.model_copy(update={"key": TicketKey("acme", "1")})
    assert key_text(acme, 16, prefix=True, desks=("acme", "globex")) == "a…:RRQ-270-56936"
    assert key_text(kayako, 16, prefix=True) == "k…:RRQ-270-56936"


def test_desk_abbreviations_are_unique_or_absent() -> None:
    found = desk_abbreviations(("kayako", "kapture", "halo", "halo-eu", "help"))
    assert found["kayako"] == "ky" and found["kapture"] == "kp"
    assert "halo" not in found  # it starts halo-eu's name: no two letters tell them apart
    assert found["halo-eu"] == "h-" and found["help"] == "he"
    assert len(set(found.values())) == len(found)
    assert desk_abbreviations(("漢字", "漢語")) == {}  # wider than two cells
    assert desk_abbreviations(("ab1", "ab2", "ax1")) == {"ab1": "a1", "ab2": "a2", "ax1": "ax"}


def test_key_text_cleans_the_display_id(kit: Any) -> None:
    ticket = kit.ticket(1).model_copy(update={"display_id": "A\x1b[31mB"})
    text = key_text(ticket, 30, prefix=False)
    assert "\x1b" not in text and text.isprintable()
