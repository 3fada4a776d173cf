"""Tickets/Ticket and Tickets/TicketSearch over the wire."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest

from adapters.kayako.sim_data import KayakoDesk

Wire = Any  # the KayakoWire fixture object (conftest)

GLOBAL_UNRESOLVED = {1, 2, 4, 5, 6}  # Open, On Hold, New, In Progress, Waiting for Customer


def ids(root: ET.Element) -> list[int]:
    return [int(t.attrib["id"]) for t in root.findall("ticket")]


def field(ticket: ET.Element, name: str) -> str:
    return ticket.findtext(name) or ""


async def test_list_defaults_to_unresolved_global_statuses(kayako: Wire, desk: KayakoDesk) -> None:
    root = kayako.xml(await kayako.get("/Tickets/Ticket/ListAll/1,2,3,5"))
    expected = [
        t.id
        for t in desk.tickets.values()
        if t.departmentid in (1, 2, 3, 5) and t.statusid in GLOBAL_UNRESOLVED
    ]
    assert ids(root) == expected
    assert expected, "the seeded desk has open tickets"
    # -1 means "any" and is the same as leaving the filters out.
    again = kayako.xml(await kayako.get("/Tickets/Ticket/ListAll/1,2,3,5/-1/-1/-1"))
    assert ids(again) == expected
    # List items carry no posts.
    assert root.find("ticket/posts") is None


async def test_department_specific_open_statuses_need_explicit_ids(
    kayako: Wire, desk: KayakoDesk
) -> None:
    awaiting = [t.id for t in desk.tickets.values() if t.statusid == 8]
    escalated = [t.id for t in desk.tickets.values() if t.statusid == 9]
    assert awaiting and escalated
    default = ids(kayako.xml(await kayako.get("/Tickets/Ticket/ListAll/2,3")))
    # The server's default compares status IDs with department IDs, so these are left out.
    assert not set(awaiting) & set(default)
    assert not set(escalated) & set(default)
    explicit = ids(kayako.xml(await kayako.get("/Tickets/Ticket/ListAll/2,3/8,9")))
    assert explicit == sorted(awaiting + escalated)
    # A status of a department that is not listed is dropped; none left -> the default.
    foreign = ids(kayako.xml(await kayako.get("/Tickets/Ticket/ListAll/1/8")))
    assert foreign == ids(kayako.xml(await kayako.get("/Tickets/Ticket/ListAll/1")))


async def test_explicit_statuses_reach_closed_tickets(kayako: Wire, desk: KayakoDesk) -> None:
    root = kayako.xml(await kayako.get("/Tickets/Ticket/ListAll/1,2,3,5/3,7,10"))
    expected = [t.id for t in desk.tickets.values() if t.statusid in (3, 7, 10)]
    assert ids(root) == expected
    assert {field(t, "statusid") for t in root.findall("ticket")} == {"3", "7", "10"}


async def test_owner_and_user_filters(kayako: Wire, desk: KayakoDesk) -> None:
    unassigned = kayako.xml(await kayako.get("/Tickets/Ticket/ListAll/1,2,3,5/-1/0"))
    assert ids(unassigned) == [
        t.id
        for t in desk.tickets.values()
        if t.statusid in GLOBAL_UNRESOLVED and t.ownerstaffid == 0
    ]
    assert {field(t, "ownerstaffid") for t in unassigned.findall("ticket")} == {"0"}
    assert all(t.find("ownerstaffname") is not None for t in unassigned.findall("ticket"))
    owners = kayako.xml(await kayako.get("/Tickets/Ticket/ListAll/1,2,3,5/3,7/2,5"))
    assert ids(owners) == [
        t.id for t in desk.tickets.values() if t.statusid in (3, 7) and t.ownerstaffid in (2, 5)
    ]
    user_id = desk.tickets[20].userid
    by_user = kayako.xml(await kayako.get(f"/Tickets/Ticket/ListAll/1,2,3,5/3,7/-1/{user_id}"))
    assert ids(by_user) == [
        t.id for t in desk.tickets.values() if t.statusid in (3, 7) and t.userid == user_id
    ]


async def test_unknown_departments_are_dropped(kayako: Wire) -> None:
    known = await kayako.get("/Tickets/Ticket/ListAll/1")
    assert (await kayako.get("/Tickets/Ticket/ListAll/1,999")).content == known.content
    for departments in ("999", "4", "-1", "abc"):
        root = kayako.xml(await kayako.get(f"/Tickets/Ticket/ListAll/{departments}"))
        assert root.tag == "tickets"
        assert ids(root) == []


async def test_offset_paging_and_ticket_count(kayako: Wire) -> None:
    base = "/Tickets/Ticket/ListAll/1,2,3,5/3,7"
    everything = ids(kayako.xml(await kayako.get(base)))
    assert len(everything) > 25
    pages = []
    for start in range(0, len(everything), 10):
        pages += ids(kayako.xml(await kayako.get(f"{base}/-1/-1/10/{start}")))
    assert pages == everything
    beyond = kayako.xml(await kayako.get(f"{base}/-1/-1/10/{len(everything)}"))
    assert ids(beyond) == []
    no_limit = ids(kayako.xml(await kayako.get(f"{base}/-1/-1/-1/5")))
    assert no_limit == everything[5:]
    counted = kayako.xml(await kayako.get("/Tickets/Ticket/GetTicketCount/1,2,3,5/3,7"))
    assert counted.tag == "tickets"
    assert counted.findtext("totalcount") == str(len(everything))
    default_count = kayako.xml(await kayako.get("/Tickets/Ticket/GetTicketCount/1,2,3,5"))
    default_list = ids(kayako.xml(await kayako.get("/Tickets/Ticket/ListAll/1,2,3,5")))
    assert default_count.findtext("totalcount") == str(len(default_list))


async def test_sorting_uses_the_whitelist(kayako: Wire, desk: KayakoDesk) -> None:
    base = "/Tickets/Ticket/ListAll/1,2,3,5/3,7/-1/-1/-1/0"
    by_activity = kayako.xml(await kayako.get(f"{base}/lastactivity/DESC"))
    times = [int(field(t, "lastactivity")) for t in by_activity.findall("ticket")]
    assert times == sorted(times, reverse=True)
    ascending = kayako.xml(await kayako.get(f"{base}/LastActivity/asc"))
    assert [int(field(t, "lastactivity")) for t in ascending.findall("ticket")] == sorted(times)
    by_priority = kayako.xml(await kayako.get(f"{base}/prioritytitle"))
    titles = [
        desk.priorities[int(field(t, "priorityid"))].title for t in by_priority.findall("ticket")
    ]
    assert titles == sorted(titles, key=str.casefold)
    # Anything off the whitelist sorts by ticket ID, honouring the order.
    unknown = ids(kayako.xml(await kayako.get(f"{base}/subject/DESC")))
    assert unknown == sorted(unknown, reverse=True)
    bogus_order = ids(kayako.xml(await kayako.get(f"{base}/subject/sideways")))
    assert bogus_order == sorted(bogus_order)


async def test_get_by_id_or_display_mask(kayako: Wire, desk: KayakoDesk) -> None:
    ticket = desk.tickets[42]
    by_id = await kayako.get("/Tickets/Ticket/42")
    by_mask = await kayako.get(f"/Tickets/Ticket/{ticket.displayid}")
    by_lower = await kayako.get(f"/Tickets/Ticket/{ticket.displayid.lower()}")
    assert by_id.content == by_mask.content == by_lower.content
    root = kayako.xml(by_id)
    node = root.find("ticket")
    assert node is not None
    assert node.attrib["id"] == "42"
    assert field(node, "displayid") == ticket.displayid
    posts = node.findall("posts/post")
    assert [int(p.findtext("id") or 0) for p in posts] == [p.id for p in desk.posts.get(ticket)]
    for missing in ("99999", "ZZZ-000-00000", "0"):
        response = await kayako.get(f"/Tickets/Ticket/{missing}")
        assert response.status_code == 404
        assert response.text == "Ticket not Found"


async def test_single_ticket_gets_are_clean_xml_by_default(kayako: Wire) -> None:
    for tid in range(1, 101):
        text = (await kayako.get(f"/Tickets/Ticket/{tid}")).text
        assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<tickets>'), tid
        assert "<b>Notice</b>" not in text


async def test_in_debug_mode_a_few_single_ticket_gets_carry_a_php_notice(
    kayako_debug: Wire,
) -> None:
    kayako = kayako_debug
    prefixed = []
    for tid in range(1, 101):
        text = (await kayako.get(f"/Tickets/Ticket/{tid}")).text
        if not text.startswith("<?xml"):
            head = text[: text.index("<?xml")]
            assert head.startswith("<br />\n<b>Notice</b>:  ")
            assert head.endswith("<br />\n")
            prefixed.append(tid)
    assert 0 < len(prefixed) < 15
    listing = (await kayako.get("/Tickets/Ticket/ListAll/1,2,3,5/3,7")).text
    assert listing.startswith('<?xml version="1.0" encoding="UTF-8"?>')


def create_form(**overrides: str) -> dict[str, str]:
    form = {
        "subject": "Printer on fire",
        "fullname": "Pat Doe",
        "email": "pat.doe@example.com",
        "contents": "It is actually on fire.",
        "departmentid": "1",
        "ticketstatusid": "4",
        "ticketpriorityid": "3",
        "tickettypeid": "4",
        "autouserid": "1",
    }
    form.update(overrides)
    return {k: v for k, v in form.items() if v != "<drop>"}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"subject": "<drop>"}, "Subject is empty"),
        ({"subject": "   "}, "Subject is empty"),
        ({"fullname": ""}, "Fullname is empty"),
        ({"email": "<drop>"}, "Email is empty"),
        ({"contents": "<drop>"}, "Contents is empty"),
        ({"departmentid": "<drop>"}, "Department ID is empty"),
        ({"ticketstatusid": "0"}, "Ticket Status ID is empty"),
        ({"ticketpriorityid": "<drop>"}, "Ticket Priority ID is empty"),
        ({"tickettypeid": ""}, "Ticket Type ID is empty"),
        (
            {"autouserid": "<drop>"},
            "Staff ID, User ID and Auto User ID values are empty or not provided",
        ),
        ({"departmentid": "99"}, "Department ID is Invalid"),
        ({"departmentid": "4"}, "Department App is not Tickets"),
        ({"ticketstatusid": "77"}, "Ticket Status ID is Invalid"),
        ({"ticketpriorityid": "abc"}, "Ticket Priority ID is Invalid"),
        ({"tickettypeid": "66"}, "Ticket Type ID is Invalid"),
        ({"staffid": "999"}, "Staff ID is Invalid"),
        (
            {"autouserid": "<drop>", "userid": "3", "email": "nobody@x.example"},
            "User Email is Invalid",
        ),
    ],
)
async def test_create_validations(kayako: Wire, overrides: dict[str, str], message: str) -> None:
    response = await kayako.post("/Tickets/Ticket", create_form(**overrides))
    assert response.status_code == 400
    assert response.text == message


async def test_create_with_auto_user_then_read_back(kayako: Wire, desk: KayakoDesk) -> None:
    before = len(desk.tickets)
    created = kayako.xml(await kayako.post("/Tickets/Ticket", create_form()))
    node = created.find("ticket")
    assert node is not None
    tid = node.attrib["id"]
    assert int(tid) == 401
    assert field(node, "creationmode") == "4"
    assert field(node, "creator") == "2"
    assert field(node, "replies") == "0"
    assert [p.findtext("contents") for p in node.findall("posts/post")] == [
        "It is actually on fire."
    ]
    assert len(desk.tickets) == before + 1
    user = desk.user_by_email("pat.doe@example.com")
    assert user is not None and field(node, "userid") == str(user.id)
    fetched = kayako.xml(await kayako.get(f"/Tickets/Ticket/{tid}"))
    assert field(fetched.find("ticket"), "subject") == "Printer on fire"
    listed = ids(kayako.xml(await kayako.get("/Tickets/Ticket/ListAll/1/4")))
    assert int(tid) in listed
    # A second ticket for the same e-mail reuses the user.
    again = kayako.xml(await kayako.post("/Tickets/Ticket", create_form(subject="Again")))
    assert field(again.find("ticket"), "userid") == str(user.id)


async def test_create_as_staff_and_for_an_existing_user(kayako: Wire, desk: KayakoDesk) -> None:
    staff_made = kayako.xml(
        await kayako.post(
            "/Tickets/Ticket",
            create_form(autouserid="<drop>", staffid="2", ownerstaffid="5", type="phone"),
        )
    )
    node = staff_made.find("ticket")
    assert node is not None
    assert field(node, "creator") == "1"
    assert field(node, "creationtype") == "2"
    assert field(node, "ownerstaffid") == "5"
    assert field(node, "ownerstaffname") == "Marcus Chen"
    post = node.find("posts/post")
    assert post is not None and post.findtext("staffid") == "2"
    user = desk.users[3]
    for_user = kayako.xml(
        await kayako.post(
            "/Tickets/Ticket",
            create_form(autouserid="<drop>", userid="3", email=user.emails[0], fullname="x"),
        )
    )
    made = for_user.find("ticket")
    assert made is not None
    assert field(made, "userid") == "3"
    assert field(made, "fullname") == user.fullname  # the user's own name wins


async def test_put_applies_valid_fields_and_silently_ignores_invalid_ids(
    kayako: Wire, desk: KayakoDesk
) -> None:
    ticket = desk.tickets[30]
    before = (ticket.departmentid, ticket.statusid, ticket.priorityid, ticket.ownerstaffid)
    response = await kayako.put(
        "/Tickets/Ticket/30",
        {
            "departmentid": "999",
            "ticketstatusid": "abc",
            "ticketpriorityid": "77",
            "ownerstaffid": "4242",
            "tickettypeid": "3",
            "subject": "Renamed by the test",
        },
    )
    assert response.status_code == 200
    node = kayako.xml(response).find("ticket")
    assert node is not None
    assert field(node, "typeid") == "3"
    assert field(node, "subject") == "Renamed by the test"
    after = (ticket.departmentid, ticket.statusid, ticket.priorityid, ticket.ownerstaffid)
    assert after == before
    assert node.find("posts") is not None
    # The livechat department is not a ticket department: ignored too.
    await kayako.put("/Tickets/Ticket/30", {"departmentid": "4"})
    assert desk.tickets[30].departmentid == before[0]


async def test_put_assigns_closes_and_reopens(kayako: Wire, desk: KayakoDesk) -> None:
    tid = next(t.id for t in desk.tickets.values() if t.statusid == 1 and t.ownerstaffid)
    await kayako.put(f"/Tickets/Ticket/{tid}", {"ownerstaffid": "0", "ticketpriorityid": "5"})
    node = kayako.xml(await kayako.get(f"/Tickets/Ticket/{tid}")).find("ticket")
    assert node is not None
    assert field(node, "ownerstaffid") == "0"
    assert node.find("ownerstaffname") is not None and not field(node, "ownerstaffname")
    assert field(node, "priorityid") == "5"
    await kayako.put(f"/Tickets/Ticket/{tid}", {"ticketstatusid": "3", "departmentid": "2"})
    dept_default = ids(kayako.xml(await kayako.get("/Tickets/Ticket/ListAll/2")))
    assert tid not in dept_default
    assert tid in ids(kayako.xml(await kayako.get("/Tickets/Ticket/ListAll/2/3")))
    closed = kayako.xml(await kayako.get(f"/Tickets/Ticket/{tid}")).find("ticket")
    assert closed is not None and field(closed, "resolutiondue") == "0"
    await kayako.put(f"/Tickets/Ticket/{tid}", {"ticketstatusid": "1"})
    assert tid in ids(kayako.xml(await kayako.get("/Tickets/Ticket/ListAll/2")))


async def test_put_and_delete_unknown_tickets(kayako: Wire) -> None:
    assert (await kayako.put("/Tickets/Ticket/99999", {"subject": "x"})).text == "Ticket not Found"
    missing = await kayako.delete("/Tickets/Ticket/99999")
    assert (missing.status_code, missing.text) == (404, "Ticket not Found")


async def test_search_by_area_flags(kayako: Wire, desk: KayakoDesk) -> None:
    ticket = desk.tickets[12]
    by_mask = kayako.xml(
        await kayako.post("/Tickets/TicketSearch", {"query": ticket.displayid, "ticketid": "1"})
    )
    assert ids(by_mask) == [12]
    assert by_mask.find("ticket/posts/post") is not None  # search results carry posts
    word = "BitLocker"
    by_contents = ids(
        kayako.xml(await kayako.post("/Tickets/TicketSearch", {"query": word, "contents": "1"}))
    )
    expected = [
        t.id
        for t in desk.tickets.values()
        if word.lower() in t.subject.lower()
        or any(word.lower() in p.contents.lower() for p in desk.posts.get(t))
    ]
    assert by_contents == expected and expected
    tagged = next(t for t in desk.tickets.values() if t.tags)
    tag = tagged.tags.split()[0]
    by_tag = ids(
        kayako.xml(await kayako.post("/Tickets/TicketSearch", {"query": tag, "tags": "1"}))
    )
    assert tagged.id in by_tag
    assert all(tag in desk.tickets[i].tags.split() for i in by_tag)
    nothing = kayako.xml(await kayako.post("/Tickets/TicketSearch", {"query": word}))
    assert ids(nothing) == []
