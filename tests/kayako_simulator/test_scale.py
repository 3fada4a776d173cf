"""Large desks, lazy children and persistence of writes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import xml.etree.ElementTree as ET
from typing import Any

import httpx

from adapters.kayako.sim_data import LazyChildren, Ticket, generate_desk
from adapters.kayako.simulator import API_KEY, SECRET_KEY, app_for_desk

Wire = Any  # the KayakoWire fixture object (conftest)


def test_hundred_thousand_tickets_build_and_serve() -> None:
    desk = generate_desk(tickets=100_000, seed=1, now=1_750_000_000)
    assert len(desk.tickets) == 100_000
    assert list(desk.tickets)[:3] == [1, 2, 3]
    created = [t.creationtime for t in desk.tickets.values()]
    assert created == sorted(created)  # IDs grow with creation time
    assert 1_750_000_000 - created[0] <= 90 * 86400
    last = desk.tickets[100_000]
    first_posts = desk.posts.get(desk.tickets[1])
    last_posts = desk.posts.get(last)
    assert len(last_posts) == last.n_posts
    assert max(p.id for p in first_posts) < min(p.id for p in last_posts)
    assert desk.post_ids.owner(last_posts[-1].id) == 100_000
    masks = {t.displayid for t in desk.tickets.values()}
    assert len(masks) == 100_000


async def test_large_desk_pages_over_the_wire() -> None:
    desk = generate_desk(tickets=5_000, seed=4, now=1_750_000_000)
    signature = base64.b64encode(hmac.new(SECRET_KEY.encode(), b"s", hashlib.sha256).digest())
    auth = {"apikey": API_KEY, "salt": "s", "signature": signature.decode()}
    transport = httpx.ASGITransport(app=app_for_desk(desk))
    async with httpx.AsyncClient(transport=transport, base_url="http://kayako.sim") as http:
        route = "/Tickets/Ticket/ListAll/1,2,3,5/-1/-1/-1/100/200/lastactivity/DESC"
        page = await http.get("/api/index.php", params={"e": route, **auth})
        count = await http.get(
            "/api/index.php", params={"e": "/Tickets/Ticket/GetTicketCount/1,2,3,5", **auth}
        )
    assert len(ET.fromstring(page.content)) == 100
    assert int(ET.fromstring(count.content).findtext("totalcount") or 0) > 300


def test_lazy_children_regenerate_identically_and_keep_owned_data() -> None:
    desk = generate_desk(tickets=50, seed=5, now=1_750_000_000)
    calls: list[int] = []

    def generate(ticket: Ticket) -> list[int]:
        calls.append(ticket.id)
        return [ticket.id * 10, ticket.id * 10 + 1]

    store: LazyChildren[list[int]] = LazyChildren(generate, cache_size=2)
    one, two, three = desk.tickets[1], desk.tickets[2], desk.tickets[3]
    assert store.get(one) == [10, 11]
    assert store.get(one) == [10, 11]
    assert calls == [1]  # cached
    store.get(two)
    store.get(three)  # evicts ticket 1
    assert store.get(one) == [10, 11]
    assert calls == [1, 2, 3, 1]
    store.peek(desk.tickets[4])
    store.peek(desk.tickets[4])
    assert calls[-2:] == [4, 4]  # peek never fills the cache
    owned = store.own(two)
    owned.append(99)
    for ticket in list(desk.tickets.values())[3:20]:
        store.get(ticket)
    assert store.get(two) == [20, 21, 99]  # written data outlives eviction
    store.drop(2)
    assert store.get(two) == [20, 21]


def test_generated_children_are_a_pure_function_of_seed_and_ticket() -> None:
    first = generate_desk(tickets=300, seed=9, now=1_750_000_000)
    second = generate_desk(tickets=300, seed=9, now=1_750_000_000)
    # Read in different orders: generation does not depend on what was read before.
    for tid in (250, 3, 120):
        second.posts.get(second.tickets[tid])
    for tid in (3, 120, 250):
        a, b = first.tickets[tid], second.tickets[tid]
        assert first.posts.get(a) == second.posts.get(b)
        assert first.notes.get(a) == second.notes.get(b)
        assert first.timetracks.get(a) == second.timetracks.get(b)
        assert first.custom_values.get(a) == second.custom_values.get(b)


def test_small_desks_still_cover_every_status_and_hostile_content() -> None:
    desk = generate_desk(tickets=60, seed=3, now=1_750_000_000)
    assert {t.statusid for t in desk.tickets.values()} == set(desk.statuses)
    assert {t.hostile for t in desk.tickets.values() if t.hostile >= 0} == set(range(6))
    assert {t.ownerstaffid for t in desk.tickets.values()} >= {0}
    big = generate_desk(tickets=400, seed=1, now=1_750_000_000)
    assert {t.statusid for t in big.tickets.values()} == set(big.statuses)
    assert {t.priorityid for t in big.tickets.values()} == set(big.priorities)
    assert {t.typeid for t in big.tickets.values()} == set(big.types)
    assert {t.departmentid for t in big.tickets.values()} == {1, 2, 3, 5}
    owners = {t.ownerstaffid for t in big.tickets.values()}
    assert 0 in owners and len(owners) >= 12


async def test_writes_are_visible_to_later_reads(kayako: Wire) -> None:
    await kayako.put("/Tickets/Ticket/12", {"subject": "Changed", "ticketpriorityid": "6"})
    await kayako.post("/Tickets/TicketNote", {"ticketid": "12", "staffid": "1", "contents": "n"})
    node = kayako.xml(await kayako.get("/Tickets/Ticket/12")).find("ticket")
    assert node is not None
    assert node.findtext("subject") == "Changed"
    assert node.findtext("priorityid") == "6"
    assert "n" in [n.text for n in node.findall("note") if n.attrib["type"] == "ticket"]
    listed = kayako.xml(await kayako.get("/Tickets/Ticket/ListAll/1,2,3,5/1,2,3,4,5,6,7,8,9,10"))
    item = next(t for t in listed if t.attrib["id"] == "12")
    assert item.findtext("subject") == "Changed"
