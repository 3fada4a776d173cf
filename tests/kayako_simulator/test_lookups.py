"""Lookup controllers: departments, statuses, priorities, types, staff, users, fields."""

from __future__ import annotations

import base64
import hashlib
import hmac
import xml.etree.ElementTree as ET
from typing import Any

import httpx

from adapters.kayako.sim_data import KayakoDesk, generate_desk
from adapters.kayako.simulator import (
    API_KEY,
    DEMO_STAFF_ID,
    SECRET_KEY,
    app_for_desk,
    connection_block,
)

Wire = Any  # the KayakoWire fixture object (conftest)


def sign(salt: str) -> str:
    """The test's own signature: base64(HMAC-SHA256(secret, salt))."""
    digest = hmac.new(SECRET_KEY.encode(), salt.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def rows(root: ET.Element) -> list[dict[str, str]]:
    return [{child.tag: child.text or "" for child in row} for row in root]


async def test_departments_include_a_livechat_one_to_skip(kayako: Wire) -> None:
    root = kayako.xml(await kayako.get("/Base/Department"))
    departments = rows(root)
    modules = {d["title"]: d["module"] for d in departments}
    assert sum(1 for m in modules.values() if m == "tickets") >= 3
    assert "livechat" in modules.values()
    assert all(d["module"] == d["app"] for d in departments)
    assert {d["type"] for d in departments} == {"public", "private"}
    child = next(d for d in departments if d["parentdepartmentid"] != "0")
    assert child["parentdepartmentid"] in {d["id"] for d in departments}
    one = rows(kayako.xml(await kayako.get("/Base/Department/3")))
    assert [d["title"] for d in one] == ["Billing & Accounts"]
    # (int)"abc" is 0, and 0 means "all departments".
    assert rows(kayako.xml(await kayako.get("/Base/Department/abc"))) == departments


async def test_statuses_priorities_and_types(kayako: Wire) -> None:
    statuses = rows(kayako.xml(await kayako.get("/Tickets/TicketStatus")))
    by_title = {s["title"]: s for s in statuses}
    for title in ("New", "Open", "In Progress", "Waiting for Customer", "On Hold"):
        assert by_title[title]["markasresolved"] == "0"
    assert by_title["Resolved"]["markasresolved"] == "1"
    assert by_title["Closed"]["markasresolved"] == "1"
    per_department = [s for s in statuses if s["departmentid"] != "0"]
    assert len(per_department) >= 2
    assert [s["title"] for s in rows(kayako.xml(await kayako.get("/Tickets/TicketStatus/6")))] == [
        "Waiting for Customer"
    ]
    assert rows(kayako.xml(await kayako.get("/Tickets/TicketStatus/999"))) == []
    priorities = rows(kayako.xml(await kayako.get("/Tickets/TicketPriority")))
    assert len(priorities) >= 4
    assert list(priorities[0]) == [
        "id",
        "title",
        "displayorder",
        "frcolorcode",
        "bgcolorcode",
        "type",
        "uservisibilitycustom",
    ]
    types = rows(kayako.xml(await kayako.get("/Tickets/TicketType")))
    assert len(types) >= 4
    assert any(t["departmentid"] != "0" for t in types)


async def test_staff_and_groups(kayako: Wire) -> None:
    staff = rows(kayako.xml(await kayako.get("/Base/Staff")))
    groups = rows(kayako.xml(await kayako.get("/Base/StaffGroup")))
    assert len(staff) >= 12
    assert len({s["staffgroupid"] for s in staff}) >= 3
    assert {s["staffgroupid"] for s in staff} <= {g["id"] for g in groups}
    assert any(g["isadmin"] == "1" for g in groups)
    assert all(s["fullname"] == f"{s['firstname']} {s['lastname']}" for s in staff)
    assert [s["username"] for s in rows(kayako.xml(await kayako.get("/Base/Staff/2")))] == [
        "praman"
    ]


async def test_user_filter_marker_is_inclusive_and_capped(desk: KayakoDesk) -> None:
    big = generate_desk(tickets=5000, seed=2, now=1_750_000_000)
    assert len(big.users) > 1000
    transport = httpx.ASGITransport(app=app_for_desk(big))
    async with httpx.AsyncClient(transport=transport, base_url="http://kayako.sim") as http:

        async def users(route: str) -> list[int]:
            params = {"e": route, "apikey": API_KEY, "salt": "9", "signature": sign("9")}
            response = await http.get("/api/index.php", params=params)
            assert response.status_code == 200
            root = ET.fromstring(response.content)
            return [int(u.findtext("id") or 0) for u in root]

        assert await users("/Base/User/Filter/10/5") == [10, 11, 12, 13, 14]
        assert await users("/Base/User/Filter/1/5000") == list(range(1, 1001))
        assert await users("/Base/User/Filter") == list(range(1, 1001))
        assert await users("/Base/User") == list(range(1, 1001))
        assert await users("/Base/User/Filter/1001/1000") == list(range(1001, len(big.users) + 1))
        assert await users("/Base/User/Filter/0/3") == [1, 2, 3]
        assert await users("/Base/User/7") == [7]


async def test_user_shapes_search_groups_and_organisations(kayako: Wire, desk: KayakoDesk) -> None:
    lone = next(u for u in desk.users.values() if u.userorganizationid == 0)
    response = await kayako.get(f"/Base/User/{lone.id}")
    assert "<userorganizationid />\n" in response.text  # (int) 0 renders self-closed
    user = kayako.xml(response).find("user")
    assert user is not None
    assert [e.text for e in user.findall("email")] == lone.emails
    org = desk.organizations[1]
    found = kayako.xml(await kayako.post("/Base/UserSearch", {"query": org.name}))
    found_ids = [int(u.findtext("id") or 0) for u in found]
    members = [u.id for u in desk.users.values() if u.userorganizationid == 1]
    assert set(members) <= set(found_ids) and members
    empty = await kayako.post("/Base/UserSearch", {"query": ""})
    assert (empty.status_code, empty.text) == (400, "Query should not be empty")
    groups = rows(kayako.xml(await kayako.get("/Base/UserGroup")))
    assert {g["grouptype"] for g in groups} == {"registered", "guest"}
    orgs_response = await kayako.get("/Base/UserOrganization")
    assert "<!-- Timeline Properties -->" in orgs_response.text
    orgs = rows(kayako.xml(orgs_response))
    assert len(orgs) == len(desk.organizations)
    assert {o["organizationtype"] for o in orgs} <= {"restricted", "shared"}


async def test_custom_field_definitions_and_options(kayako: Wire) -> None:
    root = kayako.xml(await kayako.get("/Base/CustomField"))
    definitions = [node.attrib for node in root]
    types = {int(d["fieldtype"]) for d in definitions}
    assert {1, 2, 4, 5, 6, 7, 9, 10} <= types
    assert all(len(d["fieldname"]) == 12 for d in definitions)
    assert list(definitions[0]) == [
        "customfieldid",
        "customfieldgroupid",
        "title",
        "fieldtype",
        "fieldname",
        "defaultvalue",
        "isrequired",
        "usereditable",
        "staffeditable",
        "regexpvalidate",
        "displayorder",
        "encryptindb",
        "description",
        "grouptype",
    ]
    linked = next(d for d in definitions if d["fieldtype"] == "9")
    options = [
        node.attrib
        for node in kayako.xml(
            await kayako.get(f"/Base/CustomField/ListOptions/{linked['customfieldid']}")
        )
    ]
    parents = {o["customfieldoptionid"] for o in options if o["parentcustomfieldoptionid"] == "0"}
    children = [o for o in options if o["parentcustomfieldoptionid"] != "0"]
    assert parents and children
    assert {c["parentcustomfieldoptionid"] for c in children} <= parents
    no_id = await kayako.get("/Base/CustomField/ListOptions/0")
    assert (no_id.status_code, no_id.text) == (400, "No Custom Field ID Provided")


async def test_ticket_counts_match_the_tickets(kayako: Wire, desk: KayakoDesk) -> None:
    response = await kayako.get("/Tickets/TicketCount")
    root = kayako.xml(response)
    assert root.tag == "ticketcount"
    assert "<!-- Ticket Count grouped by Status -->" in response.text
    departments = root.findall("departments/department")
    total = sum(int(d.findtext("totalitems") or 0) for d in departments)
    assert total == len(desk.tickets)
    for dept in departments:
        dept_id = int(dept.attrib["id"])
        mine = [t for t in desk.tickets.values() if t.departmentid == dept_id]
        unresolved = [t for t in mine if not desk.statuses[t.statusid].markasresolved]
        assert dept.findtext("totalunresolveditems") == str(len(unresolved))
        assert dept.findtext("lastactivity") == str(max(t.lastactivity for t in mine))
    status_total = sum(int(s.attrib["totalitems"]) for s in root.findall("statuses/ticketstatus"))
    assert status_total == len(desk.tickets)
    unassigned = sum(int(d.attrib["totalitems"]) for d in root.findall("unassigned/department"))
    assert unassigned == sum(1 for t in desk.tickets.values() if t.ownerstaffid == 0)


def test_connection_block_points_at_the_simulator(desk: KayakoDesk) -> None:
    block = connection_block("http://127.0.0.1:8765/kayako/")
    assert block == {
        "vendor": "kayako",
        "url": "http://127.0.0.1:8765/kayako/api/index.php",
        "api_key": API_KEY,
        "secret_key": SECRET_KEY,
        "staff_id": DEMO_STAFF_ID,
    }
    demo = desk.staff[DEMO_STAFF_ID]
    assert demo.isenabled == 1
    assert any(t.ownerstaffid == DEMO_STAFF_ID for t in desk.tickets.values())
