"""tui.listing: the filter language, sorting, the ticket index and cell texts."""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import UTC, timedelta, timezone
from typing import Any

import pytest
from rich.cells import cell_len

from adapters.model import Choice, Person, Ticket, TicketKey
from tui.listing import (
    COLUMNS,
    FilterTerm,
    SortKeys,
    TicketFilter,
    TicketIndex,
    age_text,
    cell_text,
    due_text,
    filter_tickets,
    fold,
    is_overdue,
    parse_filter,
    sort_tickets,
    ticket_sort_key,
    toggle_sort,
)


def ids(tickets: Iterable[Ticket]) -> list[str]:
    return [ticket.key.native_id for ticket in tickets]


@pytest.fixture
def desk(kit: Any) -> list[Ticket]:
    """A small desk with one ticket per interesting value."""
    t = kit.ticket
    return [
        t(1, "Printer on fire", status="new", priority=1, assignee="ana", group="Support"),
        t(2, "Refund please", status="pending", priority=2, assignee="bo", group="Billing"),
        t(3, "Login broken", status="closed", priority=None, assignee=None, group=None),
        t(
            4,
            "Printer jam",
            desk="halo",
            status="progress",
            priority=4,
            assignee="ana",
            requester=Person(name="Zed Zulu", email="zed@zulu.test"),
        ),
        t(5, "VPN slow", status=None, priority=3, assignee="bo", group="Sales"),
    ]


def select(tickets: list[Ticket], text: str) -> list[str]:
    return ids(filter_tickets(tickets, text))


# --------------------------------------------------------------------------- parsing


class TestParse:
    def test_free_words_all_must_match_case_insensitively(self, desk: list[Ticket]) -> None:
        assert select(desk, "printer") == ["1", "4"]
        assert select(desk, "PRINTER fire") == ["1"]
        assert select(desk, "printer refund") == []

    def test_words_match_requester_name_email_and_ids(self, desk: list[Ticket]) -> None:
        assert select(desk, "zulu") == ["4"]
        assert select(desk, "zed@zulu") == ["4"]
        assert select(desk, "carla@customer") == ["1", "2", "3", "5"]
        assert select(desk, "halo:4") == ["4"]  # not a qualifier: the key, as typed
        assert select(desk, "kayako:") == ["1", "2", "3", "5"]

    def test_quoted_phrase_is_one_term(self, desk: list[Ticket]) -> None:
        assert select(desk, '"printer on"') == ["1"]
        assert select(desk, '"on printer"') == []

    def test_desk(self, desk: list[Ticket]) -> None:
        assert select(desk, "desk:halo") == ["4"]
        assert select(desk, "DESK:Kayako printer") == ["1"]

    def test_status_by_label_or_category(self, desk: list[Ticket]) -> None:
        assert select(desk, "status:pending") == ["2"]  # category; label is "Waiting"
        assert select(desk, "status:waiting") == ["2"]
        assert select(desk, 'status:"in progress"') == ["4"]
        assert select(desk, "status:open") == ["4"]  # "In Progress" is an open category
        assert select(desk, "status:none") == ["5"]

    def test_priority_by_label_or_rank(self, desk: list[Ticket]) -> None:
        assert select(desk, "priority:urgent") == ["1"]
        assert select(desk, "priority:2") == ["2"]
        assert select(desk, "priority:none") == ["3"]

    def test_priority_as_the_list_shows_it_compact(self, desk: list[Ticket]) -> None:
        # At 80 columns the list shows "P1": the filter finds what the screen shows.
        assert select(desk, "priority:P1") == ["1"]
        assert select(desk, "priority:p4") == ["4"]
        assert select(desk, "-priority:P1 -priority:none") == ["2", "4", "5"]

    def test_accents_and_case_fold(self, kit: Any) -> None:
        zoe = Person(id="z", name="Zoë Dubois", email="zoe@example.com")
        tickets = [
            kit.ticket(1, "Café crème machine", requester=zoe),
            kit.ticket(2, "Plain ticket"),
        ]
        assignee = tickets[0].model_copy(update={"assignee": zoe})
        tickets[0] = assignee
        assert select(tickets, "assignee:zoe") == ["1"]
        assert select(tickets, "assignee:ZOË") == ["1"]
        assert select(tickets, "cafe creme") == ["1"]
        assert select(tickets, "CAFÉ") == ["1"]
        assert fold("Ångström ﬁle") == "angstrom file"

    def test_open_work_by_default(self, desk: list[Ticket]) -> None:
        def shown(text: str) -> list[str]:
            chosen = parse_filter(text, open_only=True)
            return ids(t for t in desk if chosen.matches(t))

        assert shown("") == ["1", "2", "4", "5"]  # 3 is closed
        assert parse_filter("", open_only=True).open_only
        assert parse_filter("", open_only=True).is_empty  # nothing the agent typed
        assert shown("is:all") == ["1", "2", "3", "4", "5"]
        assert shown("is:done") == ["3"]
        assert shown("is:open printer") == ["1", "4"]
        # Asking for a status says which tickets are wanted: closed ones are found.
        assert shown("status:closed") == ["3"]
        assert shown("-status:new") == ["2", "4", "5"]  # still open work only
        assert shown("login") == []
        assert shown("login is:a") == ["3"]  # "is:a" on the way to "is:all"

    def test_assignee_by_name_email_or_none(self, desk: list[Ticket]) -> None:
        assert select(desk, 'assignee:"Ana Lima"') == ["1", "4"]
        assert select(desk, "assignee:lima") == ["1", "4"]
        assert select(desk, "assignee:bo@example") == ["2", "5"]
        assert select(desk, "assignee:none") == ["3"]

    def test_group(self, desk: list[Ticket]) -> None:
        assert select(desk, "group:billing") == ["2"]
        assert select(desk, "group:none") == ["3"]

    def test_negation_of_qualifiers_and_words(self, desk: list[Ticket]) -> None:
        assert select(desk, "-status:closed") == ["1", "2", "4", "5"]
        assert select(desk, "printer -desk:halo") == ["1"]
        assert select(desk, "-assignee:none -printer") == ["2", "5"]
        assert select(desk, "-group:none status:new") == ["1"]

    def test_unterminated_quote_runs_to_the_end(self) -> None:
        parsed = parse_filter('assignee:"Ana Li')
        assert parsed.terms == (FilterTerm("assignee", "ana li"),)

    def test_incomplete_and_empty_terms_are_ignored(self) -> None:
        assert parse_filter("").terms == ()
        assert parse_filter("   ").terms == ()
        assert parse_filter("status:").terms == ()
        assert parse_filter('status:""').terms == ()
        assert parse_filter("-").terms == ()

    def test_terms_are_parsed_exactly(self) -> None:
        parsed = parse_filter('Refund -status:Closed assignee:"Bo Chen" group:none')
        assert parsed.terms == (
            FilterTerm("text", "refund"),
            FilterTerm("status", "closed", negate=True),
            FilterTerm("assignee", "bo chen"),
            FilterTerm("group", "none", none=True),
        )
        assert parsed.text == 'Refund -status:Closed assignee:"Bo Chen" group:none'

    def test_control_characters_in_a_query_are_separators(self) -> None:
        assert parse_filter("a\x1fb\x00c").terms == (
            FilterTerm("text", "a"),
            FilterTerm("text", "b"),
            FilterTerm("text", "c"),
        )

    def test_empty_filter_matches_everything(self, desk: list[Ticket]) -> None:
        assert TicketFilter().matches(desk[0])
        assert select(desk, "") == ["1", "2", "3", "4", "5"]


class TestNarrows:
    @pytest.mark.parametrize(
        ("old", "new"),
        [
            ("", "p"),
            ("p", "pr"),
            ("pr", "pr x"),
            ("status:o", "status:op"),
            ("-status:closed", "-status:closed refund"),
            ("-status:closed", "-status:c"),  # excluding more: a subset
            ("assignee:none", "assignee:none x"),
        ],
    )
    def test_narrowing_extensions(self, old: str, new: str) -> None:
        assert parse_filter(new).narrows(parse_filter(old))

    @pytest.mark.parametrize(
        ("old", "new"),
        [
            ("pr", "p"),
            ("-status:c", "-status:cl"),  # excluding less: not a subset
            ("assignee:non", "assignee:none"),  # unassigned is not "contains non"
            ("assignee:none", "assignee:nonex"),
            ("status:o", "-status:o"),
            ("desk:a", "status:a"),
        ],
    )
    def test_widening_changes(self, old: str, new: str) -> None:
        assert not parse_filter(new).narrows(parse_filter(old))


# --------------------------------------------------------------------------- sorting


class TestSort:
    def test_priority_sorts_by_rank_with_missing_last_both_ways(self, desk: list[Ticket]) -> None:
        assert ids(sort_tickets(desk, (("priority", False),))) == ["1", "2", "5", "4", "3"]
        assert ids(sort_tickets(desk, (("priority", True),))) == ["4", "5", "2", "1", "3"]

    def test_status_sorts_by_category_then_label(self, kit: Any) -> None:
        t = kit.ticket
        tickets = [
            t(1, status="closed"),
            t(2, status="progress"),  # open category, label "In Progress"
            t(3, status="new"),
            t(4, status="open"),
            t(5, status=None),
            t(6, status="pending"),
        ]
        assert ids(sort_tickets(tickets, (("status", False),))) == ["3", "2", "4", "6", "1", "5"]
        assert ids(sort_tickets(tickets, (("status", True),))) == ["1", "6", "4", "2", "3", "5"]

    def test_times_and_missing_due_last(self, kit: Any) -> None:
        t = kit.ticket
        tickets = [
            t(1, updated_minutes_ago=5, due_in_hours=None),
            t(2, updated_minutes_ago=1, due_in_hours=2),
            t(3, updated_minutes_ago=9, due_in_hours=-1),
        ]
        assert ids(sort_tickets(tickets, (("updated", True),))) == ["2", "1", "3"]
        assert ids(sort_tickets(tickets, (("updated", False),))) == ["3", "1", "2"]
        assert ids(sort_tickets(tickets, (("due", False),))) == ["3", "2", "1"]
        assert ids(sort_tickets(tickets, (("due", True),))) == ["2", "3", "1"]

    def test_text_columns_and_missing_values_last(self, desk: list[Ticket]) -> None:
        assert ids(sort_tickets(desk, (("subject", False),))) == ["3", "4", "1", "2", "5"]
        # Equal names: the key breaks the tie (halo:4 before kayako:1).
        assert ids(sort_tickets(desk, (("assignee", False),))) == ["4", "1", "2", "5", "3"]
        assert ids(sort_tickets(desk, (("assignee", True),))) == ["2", "5", "4", "1", "3"]
        assert ids(sort_tickets(desk, (("group", False),))) == ["2", "5", "4", "1", "3"]

    def test_subject_ignores_case(self, kit: Any) -> None:
        tickets = [kit.ticket(1, "beta"), kit.ticket(2, "Alpha"), kit.ticket(3, "alpha 2")]
        assert ids(sort_tickets(tickets, (("subject", False),))) == ["2", "3", "1"]

    def test_key_sorts_numeric_ids_as_numbers(self, kit: Any) -> None:
        tickets = [kit.ticket(n) for n in (10, 9, 100, 1)]
        assert ids(sort_tickets(tickets, (("key", False),))) == ["1", "9", "10", "100"]

    def test_multi_key_with_mixed_directions(self, kit: Any) -> None:
        t = kit.ticket
        tickets = [
            t(1, priority=2, updated_minutes_ago=30),
            t(2, priority=1, updated_minutes_ago=20),
            t(3, priority=2, updated_minutes_ago=10),
            t(4, priority=1, updated_minutes_ago=40),
            t(5, priority=None, updated_minutes_ago=5),
        ]
        keys = (("priority", False), ("updated", True))
        assert ids(sort_tickets(tickets, keys)) == ["2", "4", "3", "1", "5"]
        keys = (("priority", True), ("updated", False))
        assert ids(sort_tickets(tickets, keys)) == ["1", "3", "4", "2", "5"]

    def test_ties_break_by_key(self, kit: Any) -> None:
        tickets = [kit.ticket(n, updated_minutes_ago=1) for n in ("b", "c", "a")]
        assert ids(sort_tickets(tickets, (("updated", True),))) == ["a", "b", "c"]

    def test_comparator_agrees_with_the_multi_pass_sort(self, kit: Any) -> None:
        rnd = random.Random(5)
        tickets = [
            kit.ticket(
                n,
                rnd.choice(["a", "B", "c"]),
                desk=rnd.choice(["x", "y"]),
                status=rnd.choice([None, "new", "closed", "pending"]),
                priority=rnd.choice([None, 1, 2]),
                assignee=rnd.choice([None, "ana", "bo"]),
                updated_minutes_ago=rnd.choice([1, 2, 3]),
                due_in_hours=rnd.choice([None, 1, 2]),
            )
            for n in range(80)
        ]
        for _ in range(20):
            names = rnd.sample([c.name for c in COLUMNS], k=rnd.randint(1, 3))
            keys = tuple((name, rnd.random() < 0.5) for name in names)
            expected = sorted(tickets, key=ticket_sort_key(keys))
            assert sort_tickets(tickets, keys) == expected, keys

    def test_toggle_sort(self) -> None:
        keys: SortKeys = (("updated", True),)
        assert toggle_sort(keys, "updated") == (("updated", False),)
        assert toggle_sort(keys, "priority") == (("priority", False),)
        assert toggle_sort(keys, "due") == (("due", False),)
        keys = toggle_sort(keys, "priority", add=True)
        assert keys == (("updated", True), ("priority", False))
        assert toggle_sort(keys, "priority", add=True) == (("updated", True), ("priority", True))
        assert toggle_sort(keys, "updated") == (("updated", False), ("priority", False))
        assert toggle_sort(keys, "status") == (("status", False),)
        with pytest.raises(ValueError, match="unknown ticket list column 'colour'"):
            toggle_sort(keys, "colour")


# --------------------------------------------------------------------------- index


def query_ids(index: TicketIndex) -> list[str]:
    return [ticket.key.native_id for ticket in index]


class TestIndex:
    def test_filter_desk_and_counts(self, desk: list[Ticket]) -> None:
        index = TicketIndex(desk, sort=(("key", False),))
        assert query_ids(index) == ["4", "1", "2", "3", "5"]  # halo before kayako
        assert index.total == 5
        index.set_desk("kayako")
        assert query_ids(index) == ["1", "2", "3", "5"]
        assert index.total == 4
        index.set_filter(parse_filter("printer"))
        assert query_ids(index) == ["1"]
        index.set_desk(None)
        assert query_ids(index) == ["4", "1"]
        assert index.total == 5

    def test_desk_takes_the_two_letters_the_key_column_shows(self, kit: Any) -> None:
        t = kit.ticket
        tickets = [t(1, "one", desk="kayako"), t(2, "two", desk="kapture"), t(3, "x", desk="sky")]
        index = TicketIndex(tickets, sort=(("key", False),))
        index.set_filter(parse_filter("desk:kp"))
        assert query_ids(index) == ["2"]
        index.set_filter(parse_filter("desk:ka"))  # in two names: matched as typed
        assert sorted(query_ids(index)) == ["1", "2"]
        index.set_filter(parse_filter("desk:ky"))  # "sky" has it: the name wins
        assert query_ids(index) == ["3"]
        index.set_filter(parse_filter("-desk:kp"))
        assert sorted(query_ids(index)) == ["1", "3"]
        assert index.filter.text == "-desk:kp"  # the header shows what was typed

    def test_upserts_keep_the_order_a_full_sort_gives(self, kit: Any) -> None:
        rnd = random.Random(11)

        def random_ticket(n: int) -> Ticket:
            ticket: Ticket = kit.ticket(
                n,
                rnd.choice(["alpha", "beta", "gamma"]),
                desk=rnd.choice(["a", "b"]),
                status=rnd.choice(["new", "closed", None]),
                priority=rnd.choice([1, 2, None]),
                updated_minutes_ago=rnd.randint(1, 5),
            )
            return ticket

        keys: SortKeys = (("status", False), ("updated", True))
        index = TicketIndex([random_ticket(n) for n in range(40)], sort=keys)
        index.set_filter(parse_filter("-status:closed a"))
        index.set_desk("a")
        for _ in range(30):
            batch = [random_ticket(rnd.randint(0, 60)) for _ in range(rnd.randint(1, 4))]
            index.upsert(batch)
            if rnd.random() < 0.3:
                index.remove([TicketKey(rnd.choice("ab"), str(rnd.randint(0, 60)))])
            everything = list(map(index.get, index.keys()))
            fresh = TicketIndex([t for t in everything if t is not None], sort=keys)
            fresh.set_filter(parse_filter("-status:closed a"))
            fresh.set_desk("a")
            assert list(index) == list(fresh)
            assert index.total == fresh.total

    def test_narrowing_gives_what_a_full_scan_gives(self, kit: Any) -> None:
        words = ["printer", "refund", "vpn", "printing", "pr"]
        tickets = [
            kit.ticket(n, " ".join(random.Random(n).choices(words, k=2)), status="new")
            for n in range(300)
        ]
        index = TicketIndex(tickets)
        for text in ["p", "pr", "pri", "print", "printer", "printer r", "printer re", "x"]:
            index.set_filter(parse_filter(text))
            assert query_ids(index) == query_ids(_fresh(tickets, text)), text
        for text in ["-status:c", "-status:cl", "-status:closed", "-status:closed p"]:
            index.set_filter(parse_filter(text))
            assert query_ids(index) == query_ids(_fresh(tickets, text)), text

    def test_rows_and_positions(self, kit: Any) -> None:
        tickets = kit.numbered(5)  # id 1 is the most recent
        index = TicketIndex(tickets)
        assert index.row_of(TicketKey("kayako", "3")) == 2
        assert index.row_of(TicketKey("kayako", "99")) is None
        index.set_filter(parse_filter('-"number 3"'))
        assert index.row_of(TicketKey("kayako", "3")) is None
        assert index.row_for(tickets[2]) == 2  # where it would be
        keys = [TicketKey("kayako", n) for n in ("5", "1", "3", "nope")]
        assert [key.native_id for key in index.in_order(keys)] == ["1", "3", "5"]
        assert index.shown_keys(1, 3) == [TicketKey("kayako", "2"), TicketKey("kayako", "4")]

    def test_many_removals_compact_the_storage(self, kit: Any) -> None:
        tickets = kit.numbered(3000)
        index = TicketIndex(tickets)
        index.remove([t.key for t in tickets[:2500]])
        assert len(index._tickets) == 500  # compacted: no dead slots left
        assert query_ids(index) == [str(n) for n in range(2501, 3001)]
        index.upsert([kit.ticket(1, "back again", updated_minutes_ago=0)])
        assert query_ids(index)[:2] == ["1", "2501"]

    def test_replacing_a_ticket_moves_it(self, kit: Any) -> None:
        index = TicketIndex(kit.numbered(5))
        index.upsert([kit.ticket(4, "Ticket number 4", updated_minutes_ago=0)])
        assert query_ids(index) == ["4", "1", "2", "3", "5"]
        index.upsert([kit.ticket(4, "Ticket number 4", updated_minutes_ago=99)])
        assert query_ids(index) == ["1", "2", "3", "5", "4"]

    def test_large_batches_resort(self, kit: Any) -> None:
        index = TicketIndex(kit.numbered(10))
        index.upsert(kit.numbered(2500, start=5))
        assert len(index) == 2504
        assert query_ids(index)[:6] == ["1", "2", "3", "4", "5", "6"]

    def test_natural_widths_grow(self, kit: Any) -> None:
        index = TicketIndex([kit.ticket(1, status="new", assignee="ana")])
        # One desk in view: the key column is the display id alone.
        assert index.natural_widths() == {
            "connection": 0,
            "display_id": 1,
            "key": 1,
            "status": 3,
            "priority": len("Medium"),
            "assignee": len("Ana Lima"),
            "group": len("Support"),
        }
        index.upsert([kit.ticket(123456, desk="x", status="progress")])
        widths = index.natural_widths()
        assert widths["key"] == len("kayako:123456")
        assert (widths["connection"], widths["display_id"]) == (len("kayako"), 6)
        assert widths["status"] == len("In Progress")
        index.remove([TicketKey("x", "123456")])
        assert index.natural_widths()["status"] == len("In Progress")  # labels only grow
        assert index.natural_widths()["key"] == 1  # but desk x left the view

    def test_natural_key_width_follows_the_desk_scope(self, kit: Any) -> None:
        index = TicketIndex([kit.ticket(1, display_id="RRQ-270-56936"), kit.ticket(2, desk="halo")])
        assert index.desks_in_view() == ["halo", "kayako"]
        assert index.natural_widths()["key"] == len("kayako:RRQ-270-56936")
        index.set_desk("halo")
        assert index.desks_in_view() == ["halo"]
        widths = index.natural_widths()
        assert (widths["connection"], widths["display_id"], widths["key"]) == (0, 1, 1)
        index.set_desk("kayako")
        assert index.natural_widths()["key"] == len("RRQ-270-56936")
        # The filter does not count: the columns hold still while the agent types.
        index.set_desk(None)
        index.set_filter(parse_filter("desk:halo"))
        assert index.natural_widths()["connection"] == len("kayako")

    def test_display_id_widths_count_cells(self, kit: Any) -> None:
        index = TicketIndex([kit.ticket(1, display_id="番号-12"), kit.ticket(2, display_id="ab")])
        assert index.natural_widths()["display_id"] == cell_len("番号-12")


def _fresh(tickets: list[Ticket], text: str) -> TicketIndex:
    index = TicketIndex(tickets)
    index.set_filter(parse_filter(text))
    return index


# --------------------------------------------------------------------------- cells


class TestCells:
    @pytest.mark.parametrize(
        ("seconds", "text"),
        [
            (0, "now"),
            (59, "now"),
            (60, "1m"),
            (3599, "59m"),
            (3600, "1h"),
            (86399, "23h"),
            (86400, "1d"),
            (29 * 86400, "29d"),
            (30 * 86400, "1mo"),
            (364 * 86400, "12mo"),
            (365 * 86400, "1y"),
            (-300, "now"),  # a clock slightly behind the desk
        ],
    )
    def test_age_text(self, kit: Any, seconds: int, text: str) -> None:
        assert age_text(kit.NOW - timedelta(seconds=seconds), kit.NOW) == text

    def test_due_text_in_the_given_zone(self, kit: Any) -> None:
        assert due_text(kit.NOW, UTC) == "Nov 24 12:00"
        assert due_text(kit.NOW, timezone(timedelta(hours=-5))) == "Nov 24 07:00"

    def test_cell_texts(self, kit: Any) -> None:
        ticket = kit.ticket(7, "Hello", display_id="#7", assignee=None, due_in_hours=-2)
        cells = {c.name: cell_text(c.name, ticket, kit.NOW, UTC) for c in COLUMNS}
        assert cells == {
            "key": "kayako:#7",
            "subject": "Hello",
            "status": "Open",
            "priority": "Medium",
            "assignee": "—",
            "group": "Support",
            "updated": "1h",
            "due": "Nov 24 10:00",
        }
        with pytest.raises(ValueError, match="unknown ticket list column"):
            cell_text("nope", ticket, kit.NOW)

    def test_compact_priority_is_its_rank(self, kit: Any) -> None:
        ticket = kit.ticket(7, priority=1)
        assert cell_text("priority", ticket, kit.NOW, compact=True) == "P1"
        assert cell_text("priority", ticket, kit.NOW) == "Urgent"
        # Only priority has a compact form; a desk without ranks keeps its label.
        assert cell_text("status", ticket, kit.NOW, compact=True) == "Open"
        unranked = ticket.model_copy(update={"priority": Choice(id="x", label="Soon")})
        assert cell_text("priority", unranked, kit.NOW, compact=True) == "Soon"
        assert cell_text("priority", kit.ticket(8, priority=None), kit.NOW, compact=True) == ""

    def test_overdue_only_when_not_done(self, kit: Any) -> None:
        assert is_overdue(kit.ticket(1, due_in_hours=-1), kit.NOW)
        assert not is_overdue(kit.ticket(1, due_in_hours=1), kit.NOW)
        assert not is_overdue(kit.ticket(1, due_in_hours=-1, status="closed"), kit.NOW)
        assert not is_overdue(kit.ticket(1), kit.NOW)
