"""Posts, notes, time tracking, custom fields and attachments of a ticket."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from adapters.kayako.sim_data import KayakoDesk

Wire = Any  # the KayakoWire fixture object (conftest)


def texts(root: ET.Element, path: str) -> list[str]:
    return [node.findtext(path) or "" for node in root]


# ---- posts ---------------------------------------------------------------------------


async def test_posts_list_and_get(kayako: Wire, desk: KayakoDesk) -> None:
    ticket = desk.tickets[8]
    root = kayako.xml(await kayako.get("/Tickets/TicketPost/ListAll/8"))
    assert root.tag == "posts"
    expected = [p.id for p in desk.posts.get(ticket)]
    assert [int(t) for t in texts(root, "id")] == expected
    assert texts(root, "ticketpostid") == texts(root, "id")
    assert set(texts(root, "ticketid")) == {"8"}
    second = expected[1]
    one = kayako.xml(await kayako.get(f"/Tickets/TicketPost/8/{second}"))
    assert texts(one, "id") == [str(second)]
    # ListAll's second argument narrows the list the same way.
    narrowed = kayako.xml(await kayako.get(f"/Tickets/TicketPost/ListAll/8/{second}"))
    assert texts(narrowed, "id") == [str(second)]


async def test_post_lookup_errors(kayako: Wire, desk: KayakoDesk) -> None:
    foreign = desk.posts.get(desk.tickets[9])[0].id
    wrong_ticket = await kayako.get(f"/Tickets/TicketPost/8/{foreign}")
    assert (wrong_ticket.status_code, wrong_ticket.text) == (
        400,
        "Post does not belong to the specified ticket",
    )
    missing = await kayako.get("/Tickets/TicketPost/8/99999999")
    assert (missing.status_code, missing.text) == (404, "Ticket Post not Found")
    no_ticket = await kayako.get("/Tickets/TicketPost/ListAll/99999")
    assert (no_ticket.status_code, no_ticket.text) == (404, "Ticket not Found")


async def test_staff_reply_private_and_public(kayako: Wire, desk: KayakoDesk) -> None:
    ticket = desk.tickets[8]
    replies_before = ticket.replies
    private = await kayako.post(
        "/Tickets/TicketPost",
        {"ticketid": "8", "contents": "Internal only", "staffid": "2", "isprivate": "1"},
    )
    assert private.text.startswith("<?xml")
    post = kayako.xml(private).find("post")
    assert post is not None
    assert post.findtext("isprivate") == "1"
    assert post.findtext("staffid") == "2"
    assert post.findtext("creator") == "1"
    assert post.findtext("fullname") == "Priya Raman"
    # Without isprivate the controller reads an undefined index; SWIFT prints nothing.
    public = await kayako.post(
        "/Tickets/TicketPost", {"ticketid": "8", "contents": "<p>Hello</p>", "staffid": "2"}
    )
    assert public.text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<posts>')
    public_post = kayako.xml(public).find("post")
    assert public_post is not None
    assert public_post.findtext("isprivate") == "0"
    assert public_post.findtext("ishtml") == "1"
    listed = kayako.xml(await kayako.get("/Tickets/TicketPost/ListAll/8"))
    assert texts(listed, "contents")[-2:] == ["Internal only", "<p>Hello</p>"]
    ticket_node = kayako.xml(await kayako.get("/Tickets/Ticket/8")).find("ticket")
    assert ticket_node is not None
    assert ticket_node.findtext("replies") == str(replies_before + 2)
    assert ticket_node.findtext("lastreplier") == "Priya Raman"


async def test_in_debug_mode_a_staff_reply_without_isprivate_prints_the_notice(
    kayako_debug: Wire,
) -> None:
    public = await kayako_debug.post(
        "/Tickets/TicketPost", {"ticketid": "8", "contents": "Hello", "staffid": "2"}
    )
    assert public.text.startswith(
        "<br />\n<b>Notice</b>:  Undefined index: isprivate in <b>/var/www/helpdesk/"
        "__apps/tickets/api/class.Controller_TicketPost.php</b> on line <b>327</b><br />\n"
        '<?xml version="1.0" encoding="UTF-8"?>\n<posts>'
    )
    given = await kayako_debug.post(
        "/Tickets/TicketPost",
        {"ticketid": "8", "contents": "Hello", "staffid": "2", "isprivate": "0"},
    )
    assert given.text.startswith("<?xml")
    assert kayako_debug.xml(public).findtext("post/isprivate") == "0"


async def test_customer_reply(kayako: Wire, desk: KayakoDesk) -> None:
    ticket = desk.tickets[8]
    user = desk.users[ticket.userid]
    reply = kayako.xml(
        await kayako.post(
            "/Tickets/TicketPost",
            {"ticketid": ticket.displayid, "contents": "Still broken", "userid": str(user.id)},
        )
    ).find("post")
    assert reply is not None
    assert reply.findtext("creator") == "2"
    assert reply.findtext("userid") == str(user.id)
    assert reply.findtext("staffid") == "0"
    assert reply.findtext("fullname") == user.fullname


@pytest.mark.parametrize(
    ("form", "status", "message"),
    [
        ({"contents": "x", "staffid": "2"}, 400, "No Ticket ID Specified"),
        ({"ticketid": "8", "staffid": "2"}, 400, "No Contents Specified"),
        ({"ticketid": "8", "contents": " "}, 400, "No Contents Specified"),
        ({"ticketid": "8", "contents": "x"}, 400, "Staff ID and User ID is empty"),
        ({"ticketid": "8", "contents": "x", "userid": "99999"}, 400, "User ID is Invalid"),
        ({"ticketid": "8", "contents": "x", "staffid": "99"}, 400, "Staff ID is Invalid"),
        ({"ticketid": "99999", "contents": "x", "staffid": "2"}, 404, "Ticket not Found"),
    ],
)
async def test_post_create_errors(
    kayako: Wire, form: dict[str, str], status: int, message: str
) -> None:
    response = await kayako.post("/Tickets/TicketPost", form)
    assert (response.status_code, response.text) == (status, message)


async def test_reply_with_attachments_and_delete(kayako: Wire, desk: KayakoDesk) -> None:
    payload = b"PK\x03\x04 pretend zip"
    created = kayako.xml(
        await kayako.post(
            "/Tickets/TicketPost",
            {
                "ticketid": "8",
                "contents": "Logs attached",
                "staffid": "3",
                "isprivate": "0",
                "filename": "logs.zip",
                "filecontent": base64.b64encode(payload).decode(),
                "filename1": "note.txt",
                "filecontent1": base64.b64encode(b"hello").decode(),
            },
        )
    )
    post = created.find("post")
    assert post is not None
    assert post.findtext("hasattachments") == "1"
    attachments = post.findall("attachments/attachment")
    assert [a.findtext("filename") for a in attachments] == ["logs.zip", "note.txt"]
    assert base64.b64decode(attachments[0].findtext("contents") or "") == payload
    assert attachments[0].findtext("filesize") == str(len(payload))
    assert attachments[0].findtext("filetype") == "application/zip"
    post_id = post.findtext("id")
    listing = kayako.xml(await kayako.get("/Tickets/TicketAttachment/ListAll/8"))
    listed = [a for a in listing if a.findtext("ticketpostid") == post_id]
    assert len(listed) == 2
    assert listed[0].find("contents") is None  # lists omit the file contents
    one = kayako.xml(await kayako.get(f"/Tickets/TicketAttachment/8/{listed[1].findtext('id')}"))
    assert base64.b64decode(one.findtext("attachment/contents") or "") == b"hello"
    deleted = await kayako.delete(f"/Tickets/TicketPost/8/{post_id}")
    assert (deleted.status_code, deleted.content) == (200, b"")
    gone = await kayako.get(f"/Tickets/TicketPost/8/{post_id}")
    assert gone.status_code == 404
    after = kayako.xml(await kayako.get("/Tickets/TicketAttachment/ListAll/8"))
    assert all(a.findtext("ticketpostid") != post_id for a in after)


async def test_seeded_attachments_are_served(kayako: Wire, desk: KayakoDesk) -> None:
    ticket = next(t for t in desk.tickets.values() if t.n_attachments and t.hostile < 0)
    root = kayako.xml(await kayako.get(f"/Tickets/TicketPost/ListAll/{ticket.id}"))
    first = root.find("post")
    assert first is not None and first.findtext("hasattachments") == "1"
    files = first.findall("attachments/attachment")
    assert files and all(base64.b64decode(f.findtext("contents") or "") for f in files)
    foreign = desk.attachments.get(ticket)[0].id
    other = await kayako.get(f"/Tickets/TicketAttachment/1/{foreign}")
    assert (other.status_code, other.text) == (
        400,
        "Attachment does not belong to the specified ticket",
    )


async def test_attachment_post_errors_and_success(kayako: Wire, desk: KayakoDesk) -> None:
    post_id = str(desk.posts.get(desk.tickets[8])[0].id)
    other_post = str(desk.posts.get(desk.tickets[9])[0].id)
    cases = [
        ({"ticketpostid": post_id}, 400, "No Ticket ID Specified"),
        ({"ticketid": "8"}, 400, "No Ticket Post ID Specified"),
        ({"ticketid": "8", "ticketpostid": other_post}, 404, "Ticket Post not found"),
        ({"ticketid": "8", "ticketpostid": post_id}, 400, "No file name specified"),
        (
            {"ticketid": "8", "ticketpostid": post_id, "filename": "a.txt"},
            400,
            "No contents specified",
        ),
    ]
    for form, status, message in cases:
        response = await kayako.post("/Tickets/TicketAttachment", form)
        assert (response.status_code, response.text) == (status, message)
    ok = kayako.xml(
        await kayako.post(
            "/Tickets/TicketAttachment",
            {
                "ticketid": "8",
                "ticketpostid": post_id,
                "filename": "a.png",
                "contents": base64.b64encode(b"\x89PNG").decode(),
            },
        )
    )
    assert ok.findtext("attachment/filetype") == "image/png"
    assert ok.findtext("attachment/ticketpostid") == post_id
    new_id = ok.findtext("attachment/id")
    assert (await kayako.delete(f"/Tickets/TicketAttachment/8/{new_id}")).status_code == 200
    assert (await kayako.get(f"/Tickets/TicketAttachment/8/{new_id}")).status_code == 404


# ---- notes ---------------------------------------------------------------------------


async def test_notes_create_list_get_delete(kayako: Wire, desk: KayakoDesk) -> None:
    created = kayako.xml(
        await kayako.post(
            "/Tickets/TicketNote",
            {
                "ticketid": "8",
                "contents": "Call back after 3pm",
                "staffid": "4",
                "forstaffid": "2",
                "notecolor": "3",
            },
        )
    )
    note = created.find("note")
    assert note is not None
    assert note.text == "Call back after 3pm"
    assert note.attrib["type"] == "ticket"
    assert note.attrib["ticketid"] == "8"
    assert note.attrib["creatorstaffid"] == "4"
    assert note.attrib["creatorstaffname"] == "Sofia Lindqvist"
    assert note.attrib["forstaffid"] == "2"
    assert note.attrib["notecolor"] == "3"
    note_id = note.attrib["id"]
    by_name = kayako.xml(
        await kayako.post(
            "/Tickets/TicketNote",
            {
                "ticketid": "8",
                "contents": "From outside",
                "fullname": "Ops Bot",
                "forstaffid": "999",
            },
        )
    ).find("note")
    assert by_name is not None
    assert by_name.attrib["creatorstaffid"] == "0"
    assert by_name.attrib["creatorstaffname"] == "Ops Bot"
    assert by_name.attrib["forstaffid"] == "0"
    assert by_name.attrib["notecolor"] == "1"
    listed = kayako.xml(await kayako.get("/Tickets/TicketNote/ListAll/8"))
    assert note_id in [n.attrib["id"] for n in listed]
    one = kayako.xml(await kayako.get(f"/Tickets/TicketNote/8/{note_id}"))
    assert [n.attrib["id"] for n in one] == [note_id]
    in_ticket = kayako.xml(await kayako.get("/Tickets/Ticket/8")).findall("ticket/note")
    assert note_id in [n.attrib["id"] for n in in_ticket if n.attrib["type"] == "ticket"]
    assert (await kayako.delete(f"/Tickets/TicketNote/8/{note_id}")).status_code == 200
    gone = await kayako.get(f"/Tickets/TicketNote/8/{note_id}")
    assert (gone.status_code, gone.text) == (404, "Ticket note not Found")


@pytest.mark.parametrize(
    ("form", "status", "message"),
    [
        ({"contents": "x", "staffid": "2"}, 400, "No Ticket ID Specified"),
        ({"ticketid": "99999", "contents": "x", "staffid": "2"}, 404, "Ticket not Found"),
        (
            {"ticketid": "8", "contents": "x", "staffid": "99"},
            400,
            "No fullname or staff id specified",
        ),
        ({"ticketid": "8", "staffid": "2"}, 400, "No contents specified"),
    ],
)
async def test_note_errors(kayako: Wire, form: dict[str, str], status: int, message: str) -> None:
    response = await kayako.post("/Tickets/TicketNote", form)
    assert (response.status_code, response.text) == (status, message)


async def test_note_of_another_ticket(kayako: Wire, desk: KayakoDesk) -> None:
    noted = next(t for t in desk.tickets.values() if t.n_notes and t.id != 8)
    foreign = desk.notes.get(noted)[0].id
    response = await kayako.get(f"/Tickets/TicketNote/8/{foreign}")
    assert (response.status_code, response.text) == (
        400,
        "Ticket note does not belong to the specified ticket",
    )


# ---- time tracking -------------------------------------------------------------------


TIMETRACK = {
    "ticketid": "8",
    "staffid": "5",
    "contents": "Remote session",
    "worktimeline": "1749600000",
    "billtimeline": "1749686400",
    "timespent": "3600",
    "timebillable": "1800",
}


async def test_timetrack_create_and_read(kayako: Wire) -> None:
    created = kayako.xml(
        await kayako.post(
            "/Tickets/TicketTimeTrack", {**TIMETRACK, "workerstaffid": "6", "notecolor": "4"}
        )
    )
    track = created.find("timetrack")
    assert track is not None
    assert track.text == "Remote session"
    assert {k: track.attrib[k] for k in ("timeworked", "timebillable", "workdate", "billdate")} == {
        "timeworked": "3600",
        "timebillable": "1800",
        "workdate": "1749600000",
        "billdate": "1749686400",
    }
    assert track.attrib["workerstaffname"] == "Hannah Weber"
    assert track.attrib["creatorstaffname"] == "Marcus Chen"
    assert track.attrib["notecolor"] == "4"
    track_id = track.attrib["id"]
    in_ticket = kayako.xml(await kayako.get("/Tickets/Ticket/8")).findall("ticket/note")
    timetracks = [n for n in in_ticket if n.attrib["type"] == "timetrack"]
    assert track_id in [n.attrib["id"] for n in timetracks]
    one = kayako.xml(await kayako.get(f"/Tickets/TicketTimeTrack/8/{track_id}"))
    assert [t.attrib["id"] for t in one] == [track_id]
    assert (await kayako.delete(f"/Tickets/TicketTimeTrack/8/{track_id}")).status_code == 200
    gone = await kayako.get(f"/Tickets/TicketTimeTrack/8/{track_id}")
    assert (gone.status_code, gone.text) == (404, "Ticket time tracking note not Found")


@pytest.mark.parametrize(
    ("drop", "override", "message"),
    [
        ("staffid", {}, "No staff id specified"),
        ("", {"staffid": "99"}, "No staff id specified"),
        ("contents", {}, "No contents specified"),
        ("worktimeline", {}, "No work timeline specified"),
        ("", {"worktimeline": "0"}, "No work timeline specified"),
        ("billtimeline", {}, "No bill timeline specified"),
        ("timespent", {}, "No time spent specified"),
        ("timebillable", {}, "No time billable specified"),
        ("", {"workerstaffid": "99"}, "Invalid worker staff id specified"),
        ("", {"workerstaffid": ""}, "Invalid worker staff id specified"),
        ("ticketid", {}, "No Ticket ID Specified"),
    ],
)
async def test_timetrack_errors(
    kayako: Wire, drop: str, override: dict[str, str], message: str
) -> None:
    form = {k: v for k, v in TIMETRACK.items() if k != drop}
    form.update(override)
    response = await kayako.post("/Tickets/TicketTimeTrack", form)
    assert (response.status_code, response.text) == (400, message)


# ---- custom fields -------------------------------------------------------------------


def fields_by_title(root: ET.Element) -> dict[str, ET.Element]:
    return {f.attrib["title"]: f for f in root.iter("field")}


async def test_custom_field_groups_follow_the_department(kayako: Wire, desk: KayakoDesk) -> None:
    billing = next(t for t in desk.tickets.values() if t.departmentid == 3)
    general = next(t for t in desk.tickets.values() if t.departmentid == 1)
    billing_groups = kayako.xml(await kayako.get(f"/Tickets/TicketCustomField/{billing.id}"))
    assert [g.attrib["title"] for g in billing_groups] == ["Escalation", "Billing details"]
    general_groups = kayako.xml(await kayako.get(f"/Tickets/TicketCustomField/{general.id}"))
    assert [g.attrib["title"] for g in general_groups] == ["Environment", "Escalation"]
    for group in general_groups:
        assert set(group.attrib) == {"id", "title", "displayorder"}
        for node in group:
            assert set(node.attrib) == {"id", "title", "type", "name"}
    missing = await kayako.get("/Tickets/TicketCustomField/99999")
    assert (missing.status_code, missing.text) == (404, "Ticket not Found")


async def test_custom_field_updates_render_like_the_server(kayako: Wire, desk: KayakoDesk) -> None:
    fields = {cf.title: cf for cf in desk.cf_fields.values()}
    option = {
        (cf.title, o.value): o.id for cf in fields.values() for o in cf.options if not o.parentid
    }
    plan = fields["Plan"]
    business = next(o for o in plan.options if o.value == "Business")
    annual = next(o for o in plan.options if o.parentid == business.id and o.value == "Annual")
    ticket = next(t for t in desk.tickets.values() if t.departmentid == 3)
    form = {
        fields["Invoice number"].name: "INV-004512",
        fields["Customer impact"].name: str(option["Customer impact", "Whole site"]),
        f"{fields['Flags'].name}[0]": str(option["Flags", "VIP"]),
        f"{fields['Flags'].name}[1]": str(option["Flags", "Security"]),
        fields["Follow-up date"].name: "05/24/2026",
        f"{plan.name}[0]": str(business.id),
        f"{plan.name}[1][{business.id}]": str(annual.id),
        fields["Vendor case number"].name: "",
    }
    root = kayako.xml(await kayako.post(f"/Tickets/TicketCustomField/{ticket.id}", form))
    rendered = fields_by_title(root)
    assert rendered["Invoice number"].text == "INV-004512"
    assert rendered["Customer impact"].text == "Whole site"
    assert rendered["Flags"].text == "Security, VIP"
    assert rendered["Follow-up date"].text == "05/24/2026"
    assert rendered["Plan"].text == "Business &gt; Annual"
    assert rendered["Vendor case number"].text is None  # cleared -> self-closed
    again = fields_by_title(kayako.xml(await kayako.get(f"/Tickets/TicketCustomField/{ticket.id}")))
    assert again["Flags"].text == "Security, VIP"
    # Commas inside multi-select labels are escaped.
    general = next(t for t in desk.tickets.values() if t.departmentid == 1)
    areas = fields["Affected areas"]
    multi = {f"{areas.name}[]": str(option["Affected areas", "Billing, invoices"])}
    shown = fields_by_title(
        kayako.xml(await kayako.post(f"/Tickets/TicketCustomField/{general.id}", multi))
    )
    assert shown["Affected areas"].text == "Billing\\, invoices"


@pytest.mark.parametrize(
    ("title", "value", "failing"),
    [
        ("Invoice number", "12345", "Invoice number"),
        ("Invoice number", "", "Invoice number"),
        ("Refund amount", "12,50", "Refund amount"),
        ("Customer impact", "Whole site", "Customer impact"),
        ("Customer impact", "999", "Customer impact"),
        ("Follow-up date", "2026-05-24", "Follow-up date"),
        ("Follow-up date", "13/40/2026", "Follow-up date"),
    ],
)
async def test_custom_field_validation(
    kayako: Wire, desk: KayakoDesk, title: str, value: str, failing: str
) -> None:
    fields = {cf.title: cf for cf in desk.cf_fields.values()}
    ticket = next(t for t in desk.tickets.values() if t.departmentid == 3)
    response = await kayako.post(
        f"/Tickets/TicketCustomField/{ticket.id}", {fields[title].name: value}
    )
    assert response.status_code == 400
    assert response.text == f"Custom Field Data is Invalid: {failing}"


async def test_custom_fields_of_other_departments_are_ignored(
    kayako: Wire, desk: KayakoDesk
) -> None:
    fields = {cf.title: cf for cf in desk.cf_fields.values()}
    general = next(t for t in desk.tickets.values() if t.departmentid == 1)
    before = await kayako.get(f"/Tickets/TicketCustomField/{general.id}")
    # Billing fields are not linked to the General department: ignored, no error.
    after = await kayako.post(
        f"/Tickets/TicketCustomField/{general.id}", {fields["Invoice number"].name: "nope"}
    )
    assert after.status_code == 200
    assert after.content == before.content
