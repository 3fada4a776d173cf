"""Base controllers write: POST, PUT and DELETE on departments, staff, staff groups, users,
user groups and organisations, with the server's validations, texts and XML answers.

Each created or updated record comes back as the same element a GET returns (same bytes,
same element and field order as the records that were there before).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest

from adapters.kayako.sim_data import KayakoDesk

Wire = Any  # the KayakoWire fixture object (conftest)

REQUIRED = "One of the required fields is empty"


def tags(element: ET.Element | None) -> list[str]:
    assert element is not None
    return [child.tag for child in element]


async def same_as_get(kayako: Wire, answer_text: str, route: str) -> None:
    """The write's answer is byte for byte what a GET of the record returns."""
    assert answer_text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert (await kayako.get(route)).text == answer_text


async def expect(kayako: Wire, verb: str, route: str, form: dict[str, str], text: str) -> None:
    send = kayako.post if verb == "POST" else kayako.put
    response = await send(route, form)
    assert (response.status_code, response.text) == (400, text), form


# ---- Department ------------------------------------------------------------------------


async def test_department_create_update_delete(kayako: Wire, desk: KayakoDesk) -> None:
    known = kayako.xml(await kayako.get("/Base/Department/2")).find("department")
    created = await kayako.post(
        "/Base/Department",
        {"title": " <b>Field</b> Services ", "app": "tickets", "type": "private"},
    )
    assert created.status_code == 200
    node = kayako.xml(created).find("department")
    assert tags(node) == tags(known)
    assert node is not None
    new_id = node.findtext("id")
    assert new_id == "6"
    assert node.findtext("title") == "Field Services"  # tags removed, trimmed
    assert (node.findtext("module"), node.findtext("app")) == ("tickets", "tickets")
    assert (node.findtext("type"), node.findtext("displayorder")) == ("private", "1")
    await same_as_get(kayako, created.text, f"/Base/Department/{new_id}")

    child = await kayako.post(
        "/Base/Department",
        {
            "title": "On-site",
            "module": "tickets",
            "type": "public",
            "parentdepartmentid": new_id,
            "uservisibilitycustom": "1",
            "usergroupid[]": "3",
            "displayorder": "7",
        },
    )
    child_node = kayako.xml(child).find("department")
    assert child_node is not None
    assert child_node.findtext("parentdepartmentid") == new_id
    assert child_node.findtext("uservisibilitycustom") == "1"
    assert [e.text for e in child_node.findall("usergroups/id")] == ["3"]

    updated = await kayako.put(f"/Base/Department/{new_id}", {"title": "Field Ops"})
    assert kayako.xml(updated).findtext("department/title") == "Field Ops"
    assert kayako.xml(updated).findtext("department/type") == "private"
    await same_as_get(kayako, updated.text, f"/Base/Department/{new_id}")

    # A Put without uservisibilitycustom=1 clears the visibility list, as the server's does.
    child_id = child_node.findtext("id")
    cleared = await kayako.put(f"/Base/Department/{child_id}", {"title": "On-site"})
    assert kayako.xml(cleared).findtext("department/uservisibilitycustom") == "0"
    assert kayako.xml(cleared).findtext("department/parentdepartmentid") == "0"

    deleted = await kayako.delete("/Base/Department/1")
    assert (deleted.status_code, deleted.content) == (200, b"")
    listed = kayako.xml(await kayako.get("/Base/Department"))
    assert "1" not in [e.text for e in listed.findall("department/id")]
    # The department's tickets went to the trash: no longer listed under it.
    assert all(t.departmentid != 1 for t in desk.tickets.values())


async def test_department_validations(kayako: Wire) -> None:
    route = "/Base/Department"
    invalid_app = (
        "Invalid App Specified. You can only create departments for tickets and livechat app."
    )
    invalid_type = 'Invalid Department Type Specified. Valid values are "public" and "private".'
    parent_app = (
        "Invalid Parent Department App. The app type of both parent and child department "
        "should match."
    )
    await expect(kayako, "POST", route, {"title": "x", "type": "public"}, invalid_app)
    await expect(
        kayako, "POST", route, {"title": "x", "app": "news", "type": "public"}, invalid_app
    )
    await expect(kayako, "POST", route, {"title": "x", "app": "tickets"}, invalid_type)
    await expect(
        kayako, "POST", route, {"title": "x", "app": "tickets", "type": "secret"}, invalid_type
    )
    await expect(
        kayako,
        "POST",
        route,
        {"title": "x", "app": "tickets", "type": "public", "parentdepartmentid": "99"},
        "Invalid Parent Department",
    )
    await expect(
        kayako,
        "POST",
        route,
        {"title": "x", "app": "tickets", "type": "public", "parentdepartmentid": "4"},
        parent_app,
    )
    await expect(
        kayako, "POST", route, {"title": "  ", "app": "tickets", "type": "public"}, REQUIRED
    )
    await expect(kayako, "PUT", f"{route}/1", {"title": "x", "type": "secret"}, invalid_type)
    await expect(kayako, "PUT", f"{route}/1", {"type": "public"}, REQUIRED)
    for verb in ("PUT", "DELETE"):
        send = kayako.put(f"{route}/99", {"title": "x"}) if verb == "PUT" else None
        response = await send if send is not None else await kayako.delete(f"{route}/99")
        assert (response.status_code, response.text) == (
            400,
            "Department Load Failed: Class not loaded",
        )
    # A parent that has a parent: the model throws and nobody catches it.
    nested = await kayako.post(
        route, {"title": "x", "app": "tickets", "type": "public", "parentdepartmentid": "5"}
    )
    assert nested.status_code == 500
    assert "Uncaught SWIFT_Department_Exception: Invalid data provided" in nested.text


# ---- StaffGroup and Staff ----------------------------------------------------------------


async def test_staff_group_create_update_delete(kayako: Wire) -> None:
    known = kayako.xml(await kayako.get("/Base/StaffGroup/1")).find("staffgroup")
    created = await kayako.post("/Base/StaffGroup", {"title": "Night Shift", "isadmin": "0"})
    node = kayako.xml(created).find("staffgroup")
    assert tags(node) == tags(known) == ["id", "title", "isadmin"]
    assert node is not None
    assert (node.findtext("id"), node.findtext("title"), node.findtext("isadmin")) == (
        "5",
        "Night Shift",
        "0",  # a database string, so written in CDATA (only (int) casts are self-closed)
    )
    await same_as_get(kayako, created.text, "/Base/StaffGroup/5")
    promoted = await kayako.put("/Base/StaffGroup/5", {"title": "Nights", "isadmin": "1"})
    assert kayako.xml(promoted).findtext("staffgroup/isadmin") == "1"
    kept = await kayako.put("/Base/StaffGroup/5", {"title": "Nights"})
    assert kayako.xml(kept).findtext("staffgroup/isadmin") == "1"
    deleted = await kayako.delete("/Base/StaffGroup/5")
    assert (deleted.status_code, deleted.content) == (200, b"")
    assert kayako.xml(await kayako.get("/Base/StaffGroup/5")).find("staffgroup") is None


async def test_staff_group_validations(kayako: Wire, desk: KayakoDesk) -> None:
    await expect(kayako, "POST", "/Base/StaffGroup", {"title": "No flag"}, REQUIRED)
    await expect(kayako, "POST", "/Base/StaffGroup", {"isadmin": "1"}, REQUIRED)
    await expect(kayako, "PUT", "/Base/StaffGroup/2", {"isadmin": "1"}, REQUIRED)
    missing = await kayako.put("/Base/StaffGroup/42", {"title": "x"})
    assert missing.text == "Staff Group Load Failed: Class not loaded"
    members = sum(1 for s in desk.staff.values() if s.staffgroupid == 2)
    busy = await kayako.delete("/Base/StaffGroup/2")
    assert (busy.status_code, busy.text) == (
        400,
        f'Staff Group Deletion Failed. There are "{members}" staff members assigned to this '
        "group. Please delete them or change their group to continue.",
    )


async def test_staff_create_update_delete(kayako: Wire) -> None:
    known = kayako.xml(await kayako.get("/Base/Staff/2")).find("staff")
    form = {
        "firstname": "Nia",
        "lastname": "Okoye",
        "username": "nokoye",
        "password": "s3cret!",
        "staffgroupid": "3",
        "email": "nia.okoye@harbourline.example",
        "designation": "Network Engineer",
        "staffsignature": "Nia | Network Operations",
        "timezone": "Europe/London",
    }
    created = await kayako.post("/Base/Staff", form)
    node = kayako.xml(created).find("staff")
    assert tags(node) == tags(known)
    assert node is not None
    assert node.findtext("fullname") == "Nia Okoye"
    assert node.findtext("signature") == "Nia | Network Operations"
    assert node.findtext("isenabled") == "1"
    assert "password" not in created.text and "s3cret" not in created.text
    staff_id = node.findtext("id")
    await same_as_get(kayako, created.text, f"/Base/Staff/{staff_id}")
    moved = await kayako.put(
        f"/Base/Staff/{staff_id}", {**form, "staffgroupid": "2", "isenabled": "0"}
    )
    assert kayako.xml(moved).findtext("staff/staffgroupid") == "2"
    assert kayako.xml(moved).findtext("staff/isenabled") == "0"
    deleted = await kayako.delete(f"/Base/Staff/{staff_id}")
    assert (deleted.status_code, deleted.content) == (200, b"")
    missing = await kayako.delete(f"/Base/Staff/{staff_id}")
    assert missing.text == "Staff Load Failed: Class not loaded"


async def test_staff_validations(kayako: Wire) -> None:
    form = {
        "firstname": "A",
        "lastname": "B",
        "username": "ab",
        "password": "pw",
        "staffgroupid": "2",
        "email": "a.b@harbourline.example",
    }
    for key in form:
        await expect(kayako, "POST", "/Base/Staff", {**form, key: ""}, REQUIRED)
    await expect(
        kayako, "POST", "/Base/Staff", {**form, "staffgroupid": "9"}, "Invalid Staff Group ID"
    )
    await expect(
        kayako, "POST", "/Base/Staff", {**form, "email": "nope"}, "Invalid Email Specified"
    )
    await expect(
        kayako, "POST", "/Base/Staff", {**form, "username": "PRaman"}, "Username already in use"
    )


# ---- UserGroup, UserOrganization, User -------------------------------------------------


async def test_user_group_create_update_delete(kayako: Wire) -> None:
    known = kayako.xml(await kayako.get("/Base/UserGroup/1")).find("usergroup")
    created = await kayako.post(
        "/Base/UserGroup", {"title": "Resellers", "grouptype": "registered"}
    )
    node = kayako.xml(created).find("usergroup")
    assert tags(node) == tags(known)
    assert node is not None
    assert (node.findtext("id"), node.findtext("grouptype"), node.findtext("ismaster")) == (
        "5",
        "registered",
        "0",
    )
    await same_as_get(kayako, created.text, "/Base/UserGroup/5")
    # Put changes the title only; the type stays.
    renamed = await kayako.put("/Base/UserGroup/5", {"title": "Partners+", "grouptype": "guest"})
    assert kayako.xml(renamed).findtext("usergroup/grouptype") == "registered"
    assert (await kayako.delete("/Base/UserGroup/5")).content == b""


async def test_user_group_validations(kayako: Wire) -> None:
    await expect(kayako, "POST", "/Base/UserGroup", {"title": "X"}, REQUIRED)
    await expect(kayako, "POST", "/Base/UserGroup", {"title": "X", "grouptype": "vip"}, REQUIRED)
    await expect(kayako, "PUT", "/Base/UserGroup/3", {"title": ""}, REQUIRED)
    missing = await kayako.put("/Base/UserGroup/77x", {"title": "x"})
    assert missing.text == "User Group Load Failed: Unable to Load User Group ID: 77x"
    master = await kayako.delete("/Base/UserGroup/1")
    assert (master.status_code, master.text) == (400, "Cannot delete master user group")


async def test_organization_create_update_delete(kayako: Wire, desk: KayakoDesk) -> None:
    known = kayako.xml(await kayako.get("/Base/UserOrganization/1")).find("userorganization")
    created = await kayako.post(
        "/Base/UserOrganization",
        {
            "name": "Kestrel Dental Practice",
            "organizationtype": "shared",
            "city": "Bristol",
            "website": "https://kestrel.example",
            "slaplanid": "2",
        },
    )
    node = kayako.xml(created).find("userorganization")
    assert tags(node) == tags(known)
    assert created.text.count("<!-- Timeline Properties -->") == 1
    assert node is not None
    assert (node.findtext("organizationtype"), node.findtext("slaplanid")) == ("shared", "2")
    org_id = node.findtext("id")
    await same_as_get(kayako, created.text, f"/Base/UserOrganization/{org_id}")
    # Put rewrites every address field: the city not sent again is emptied.
    updated = await kayako.put(
        f"/Base/UserOrganization/{org_id}", {"name": "Kestrel Dental", "phone": "+44 1"}
    )
    updated_node = kayako.xml(updated).find("userorganization")
    assert updated_node is not None
    assert updated_node.findtext("city") == ""  # <city />
    assert updated_node.findtext("phone") == "+44 1"
    assert updated_node.findtext("organizationtype") == "shared"
    members = [u.id for u in desk.users.values() if u.userorganizationid == 1]
    assert members
    assert (await kayako.delete("/Base/UserOrganization/1")).content == b""
    member = kayako.xml(await kayako.get(f"/Base/User/{members[0]}")).find("user")
    # (int) 0 is written self-closed: <userorganizationid />
    assert member is not None and member.findtext("userorganizationid") == ""


async def test_organization_validations(kayako: Wire) -> None:
    route = "/Base/UserOrganization"
    await expect(kayako, "POST", route, {"name": "X"}, REQUIRED)
    await expect(kayako, "POST", route, {"name": "", "organizationtype": "shared"}, REQUIRED)
    await expect(
        kayako,
        "POST",
        route,
        {"name": "X", "organizationtype": "shared", "slaplanid": "9"},
        "Invalid SLA Plan Specified",
    )
    await expect(kayako, "PUT", f"{route}/2", {"organizationtype": "shared"}, REQUIRED)
    missing = await kayako.delete(f"{route}/999")
    assert missing.text == "User Organization Load Failed: Unable to Load User Organization ID: 999"


async def test_user_create_update_delete(kayako: Wire, desk: KayakoDesk) -> None:
    known = kayako.xml(await kayako.get("/Base/User/1")).find("user")
    created = await kayako.post(
        "/Base/User",
        {
            "fullname": "Rosa Byrne",
            "usergroupid": "3",
            "password": "pw",
            "email": "rosa.byrne@northwindtraders.example",
            "userorganizationid": "1",
            "salutation": "ms.",
            "userrole": "manager",
            "slaplanid": "2",
        },
    )
    node = kayako.xml(created).find("user")
    assert node is not None
    assert [t for t in tags(node) if t != "email"] == [t for t in tags(known) if t != "email"]
    assert node.findtext("salutation") == "Ms."
    assert node.findtext("userrole") == "manager"
    # The controller casts the cached plan (an array) to int: any valid plan is stored as 1.
    assert node.findtext("slaplanid") == "1"
    user_id = node.findtext("id")
    await same_as_get(kayako, created.text, f"/Base/User/{user_id}")
    updated = await kayako.put(
        f"/Base/User/{user_id}",
        {"fullname": "Rosa Byrne-Kelly", "email[]": "rosa@personal.example"},
    )
    updated_node = kayako.xml(updated).find("user")
    assert updated_node is not None
    assert updated_node.findtext("fullname") == "Rosa Byrne-Kelly"
    assert [e.text for e in updated_node.findall("email")] == ["rosa@personal.example"]
    assert updated_node.findtext("userrole") == "manager"
    found = kayako.xml(await kayako.post("/Base/UserSearch", {"query": "rosa@personal"}))
    assert [u.findtext("id") for u in found.findall("user")] == [user_id]
    assert (await kayako.delete(f"/Base/User/{user_id}")).content == b""
    assert kayako.xml(await kayako.get(f"/Base/User/{user_id}")).find("user") is None


async def test_user_validations(kayako: Wire, desk: KayakoDesk) -> None:
    taken = desk.users[5].emails[0]
    base = {"fullname": "New Person", "usergroupid": "1", "password": "pw", "email": "n@p.example"}
    route = "/Base/User"
    await expect(kayako, "POST", route, {**base, "usergroupid": ""}, "Invalid User Group")
    await expect(kayako, "POST", route, {**base, "usergroupid": "9"}, "Invalid User Group")
    await expect(
        kayako,
        "POST",
        route,
        {**base, "usergroupid": "2"},
        'User Group Specified is not of "Registered" type',
    )
    await expect(
        kayako, "POST", route, {**base, "userorganizationid": "999"}, "Invalid User Organization ID"
    )
    await expect(
        kayako,
        "POST",
        route,
        {**base, "email": taken},
        "Unable to insert user. Email address belongs to an existing user.",
    )
    await expect(
        kayako, "POST", route, {**base, "email": "not-an-address"}, "Invalid Email Specified"
    )
    await expect(kayako, "POST", route, {**base, "slaplanid": "7"}, "Invalid SLA Plan")
    await expect(kayako, "POST", route, {**base, "password": ""}, REQUIRED)
    await expect(kayako, "POST", route, {**base, "fullname": " "}, REQUIRED)
    await expect(
        kayako,
        "PUT",
        f"{route}/6",
        {"fullname": "X", "email": taken},
        "Unable to update user. Email address belongs to an existing user.",
    )
    await expect(
        kayako,
        "PUT",
        f"{route}/6",
        {"fullname": "X", "usergroupid": "2"},
        'User Group Specified is not of "Registered" type',
    )
    await expect(kayako, "PUT", f"{route}/6", {"phone": "1"}, REQUIRED)
    missing = await kayako.delete(f"{route}/999999")
    assert missing.text == "User Load Failed: Invalid data provided"


@pytest.mark.parametrize(
    "route",
    [
        "/Base/Department",
        "/Base/Staff",
        "/Base/StaffGroup",
        "/Base/User",
        "/Base/UserGroup",
        "/Base/UserOrganization",
    ],
)
async def test_base_writes_answer_clean_xml_or_plain_text(kayako: Wire, route: str) -> None:
    # No PHP notice in front of any answer (the install is not in debug mode).
    failed = await kayako.post(route, {})
    assert failed.status_code == 400
    assert failed.headers["content-type"] == "text/xml;charset=UTF-8"
    assert "<b>Notice</b>" not in failed.text and not failed.text.startswith("<")
