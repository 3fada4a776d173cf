"""The shared fictional world: clienteles, topics, time, lazy children, hashing."""

from __future__ import annotations

import random

import pytest

from adapters.kayako.sim_data import ROLE_DEPARTMENTS, generate_desk
from adapters.simdata import (
    KINDS,
    ROLES,
    TOPICS,
    Clientele,
    IdBlocks,
    Topic,
    placeholders,
    stable_hash,
    topics_for,
)
from adapters.simdata.people import ORG_NAMES
from adapters.simdata.timeline import creation_times, parse_mdy, spread

NOW = 1_750_000_000


def test_clientele_zero_is_the_canonical_set_and_others_are_disjoint() -> None:
    assert Clientele(0).organisation_names() == ORG_NAMES
    blocks = [set(Clientele(seed).organisation_names()) for seed in range(1, 6)]
    for index, block in enumerate(blocks):
        assert len(block) == 120
        assert not block & set(ORG_NAMES)
        for other in blocks[index + 1 :]:
            assert not block & other
    with pytest.raises(ValueError):
        Clientele(-1)


def test_a_clientele_builds_the_same_customers_for_the_same_seed() -> None:
    def build(seed: int) -> tuple[list[str], list[str]]:
        clientele = Clientele(seed)
        rng = clientele.rng(random.Random("desk"), desk_seed=1)
        orgs, people = clientele.build(rng, organisations=20, people=100, now=NOW)
        return [o.name for o in orgs], [p.emails[0] for p in people]

    assert build(2) == build(2)
    orgs_a, people_a = build(1)
    orgs_b, people_b = build(2)
    assert not set(orgs_a) & set(orgs_b)
    assert people_a != people_b
    clientele = Clientele(3)
    orgs, people = clientele.build(
        clientele.rng(random.Random(0), 1), organisations=12, people=60, now=NOW
    )
    domains = {o.id: o.domain for o in orgs}
    for person in people:
        if person.org_id:
            assert person.emails[0].endswith("@" + domains[person.org_id])
        assert person.created < NOW and person.segment in {"registered", "managed", "partner"}


def test_demo_desks_of_different_clienteles_do_not_share_customers() -> None:
    first = generate_desk(tickets=120, seed=1, now=NOW)
    second = generate_desk(tickets=120, seed=1, now=NOW, clientele=1)
    names = {o.name for o in first.organizations.values()}
    assert not names & {o.name for o in second.organizations.values()}
    emails = {e for u in first.users.values() for e in u.emails}
    shared = emails & {e for u in second.users.values() for e in u.emails}
    assert len(shared) <= 2  # only a chance collision of personal addresses
    subjects = {t.subject for t in first.tickets.values()}
    assert subjects & {t.subject for t in second.tickets.values()}  # the same corpus


def test_topics_carry_roles_and_kinds_every_vendor_can_map() -> None:
    assert len(TOPICS) == 22
    for topic in TOPICS:
        assert topic.roles and set(topic.roles) <= ROLES
        assert topic.kinds and set(topic.kinds) <= KINDS
        assert all(role in ROLE_DEPARTMENTS for role in topic.roles)
    billing = topics_for({"billing"})
    assert {t.key for t in billing} == {"invoice", "plan", "cancel"}
    with pytest.raises(ValueError, match="unknown"):
        Topic("x", ("payroll",), ("case",), 1, (), (), (), (), (), (), (), (), ())


def test_placeholders_fill_known_keys_and_keep_unknown_ones() -> None:
    values = placeholders(
        random.Random(1),
        first="Ada",
        email="ada@x.example",
        org="X Ltd",
        agent="Priya",
        agent_full="Priya Raman",
        team="Tier 1",
        ticket="ABC-123-45678",
        host="x.example",
        item_id=5,
        created=NOW,
    )
    text = "Hi {first}, invoice {invoice} ({unknown})".format_map(values)
    assert text == "Hi Ada, invoice INV-100035 ({unknown})"


def test_time_spreading_and_dates() -> None:
    times = creation_times(random.Random(4), 500, NOW)
    assert times == sorted(times) and times[0] >= NOW - 90 * 86400 and times[-1] <= NOW
    recent = sum(1 for t in times if t > NOW - 45 * 86400)
    assert recent > 250  # creation times crowd towards now
    assert spread(100, 200, 3) == [100, 150, 200]
    assert spread(100, 200, 1) == [100]
    assert parse_mdy("05/24/2011") == 1306195200
    assert parse_mdy("13/40/2011") is None


def test_id_blocks_find_owners_without_generating_children() -> None:
    blocks = IdBlocks()
    blocks.reserve(1, 3)
    blocks.reserve(2, 0)
    blocks.reserve(5, 2)
    assert [blocks.owner(i) for i in range(1, 7)] == [1, 1, 1, 5, 5, None]
    assert blocks.base_of(5) == 4 and blocks.base_of(2) == 0
    new = blocks.new_id(2)
    assert new == 6 and blocks.owner(new) == 2


def test_stable_hash_is_deterministic_and_spread() -> None:
    assert stable_hash(1, 2) == stable_hash(1, 2) != stable_hash(2, 1)
    assert len({stable_hash(7, n) % 25 for n in range(1000)}) == 25
