"""Filters become conditions the user's text cannot change: a seeded property test over
hostile strings, read back by the simulator's parser, plus the builder's own rules."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from adapters.connectwise.adapter import TicketFetch
from adapters.connectwise.simulator.conditions import BoolOp, Comparison, matches, parse
from adapters.connectwise.wire import conditions as cond
from tests.connectwise.conftest import Site

PIECES = [
    '"', "'", "\\", '\\"', "\\\\", "(", ")", "[", "]", "*", ",", "=", "!=", "<", ">",
    " AND ", " and ", " OR ", " or ", "not ", " in ", " contains ", " like ",
    "closedFlag=True", 'summary="x"', ") OR (1=1", '" OR id>0 OR "', "[2024-01-01T00:00:00Z]",
    "null", "True", "%22", "%26", "&", "+", "#", "\n", "\t", " ", "ünï", "你好", "a", "Z", "9",
]  # fmt: skip
KNOWN = {"summary", "status/name", "priority/name", "company/name", "severity", "impact"}


def random_text(rng: random.Random) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 12)))


@pytest.mark.parametrize("seed", range(8))
def test_any_text_stays_one_literal(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(250):
        value = random_text(rng)
        path = rng.choice(sorted(KNOWN))
        op = rng.choice(["=", "!=", "contains"])
        built = cond.compare(path, op, value)
        node = parse(built, KNOWN)
        assert node == Comparison(path, op, value), built
        # Joined with a second filter, the meaning is the AND of both, whatever the text.
        other = random_text(rng)
        joined = cond.all_of([built, cond.equals("severity", other)])
        tree = parse(joined, KNOWN)
        assert tree == BoolOp(
            "and", (Comparison(path, op, value), Comparison("severity", "=", other))
        )
        record = {"summary": value, "severity": other, "status": {"name": value}}
        if path in ("summary", "status/name") and op == "=":
            assert matches(tree, record)


def test_the_agents_own_conditions_cannot_loosen_the_filters() -> None:
    joined = cond.all_of(
        [cond.raw("closedFlag=False OR board/id=1"), cond.equals("severity", "High")]
    )
    tree = parse(joined, {"closedFlag", "board/id", "severity"})
    assert isinstance(tree, BoolOp) and tree.op == "and" and len(tree.parts) == 2
    assert not matches(tree, {"closedFlag": False, "board": {"id": 1}, "severity": "Low"})


def test_values_of_each_type() -> None:
    moment = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    assert cond.compare("lastUpdated", ">=", moment) == "lastUpdated >= [2024-05-01T08:00:00Z]"
    assert cond.equals("closedFlag", False) == "closedFlag = False"
    assert cond.one_of("board/id", [3, 1, 3]) == "board/id in (3, 1)"
    with pytest.raises(ValueError):
        cond.field("summary) OR (1")
    with pytest.raises(ValueError):
        cond.integer("1 OR 1=1")
    with pytest.raises(ValueError):
        cond.moment(datetime(2024, 5, 1))


@pytest.mark.parametrize("seed", range(3))
async def test_fetch_filters_round_trip_through_the_site(site: Site, seed: int) -> None:
    rng = random.Random(seed)
    async with site.make() as adapter:
        for _ in range(20):
            text = random_text(rng) + '"'
            # A status named like the hostile text exists nowhere: nothing matches, and
            # above all the site reads the condition (no 400, no match-everything).
            assert await adapter.fetch_tickets(TicketFetch(status=text, limit=5)) == []
        real = await adapter.fetch_tickets(
            TicketFetch(status="New", priority="Priority 3 - Normal Response")
        )
        assert real and all(t.status and t.status.label == "New" for t in real)
