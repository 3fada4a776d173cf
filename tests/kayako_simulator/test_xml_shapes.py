"""Byte-level shape of the XML (as SWIFT_XML writes it), hostile content, determinism."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from typing import Any

import httpx

from adapters.kayako.sim_data import HOSTILE, KayakoDesk, generate_desk
from adapters.kayako.simulator import API_KEY, SECRET_KEY, app_for_desk

Wire = Any  # the KayakoWire fixture object (conftest)

# Child order of <ticket> and <post> in the live capture (D3 Security guide, seed 000).
LIVE_TICKET_FIELDS = [
    "displayid", "departmentid", "statusid", "priorityid", "typeid", "userid",
    "userorganization", "userorganizationid", "ownerstaffid", "ownerstaffname", "fullname",
    "email", "lastreplier", "subject", "creationtime", "lastactivity", "laststaffreply",
    "lastuserreply", "slaplanid", "nextreplydue", "resolutiondue", "replies", "ipaddress",
    "creator", "creationmode", "creationtype", "isescalated", "escalationruleid",
    "templategroupid", "tags", "templategroupname",
]  # fmt: skip
LIVE_POST_FIELDS = [
    "id", "ticketpostid", "ticketid", "dateline", "userid", "fullname", "email", "emailto",
    "ipaddress", "hasattachments", "creator", "isthirdparty", "ishtml", "isemailed", "staffid",
    "issurveycomment", "contents", "isprivate",
]  # fmt: skip


async def plain_ticket(kayako: Wire, desk: KayakoDesk, **want: int) -> tuple[int, str]:
    """A ticket matching ``want`` whose GET carries no PHP notice, and its body."""
    for ticket in desk.tickets.values():
        if ticket.hostile >= 0 or any(getattr(ticket, k) != v for k, v in want.items()):
            continue
        text = (await kayako.get(f"/Tickets/Ticket/{ticket.id}")).text
        if text.startswith("<?xml"):
            return ticket.id, text
    raise AssertionError(f"no ticket with {want}")


async def test_layout_matches_swift_xml(kayako: Wire, desk: KayakoDesk) -> None:
    _tid, text = await plain_ticket(kayako, desk, ownerstaffid=0)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<tickets>\n<ticket id="')
    assert text.endswith("</ticket>\n</tickets>")  # trimmed: no final newline
    # Outside CDATA sections every line is one tag: opening, closing, self-closed, or a
    # leaf whose only content was CDATA. No indentation, no bare text.
    line_shape = re.compile(
        r"<\?xml [^>]+\?>|</?\w+( [^>]*)?>|<\w+( [^>]*)? />|<(\w+)( [^>]*)?></\3>"
    )
    skeleton = re.sub(r"<!\[CDATA\[.*?\]\]>", "", text, flags=re.DOTALL)
    for line in skeleton.split("\n"):
        assert line_shape.fullmatch(line), line
    for name in ("displayid", "statusid", "subject", "creationtime"):
        assert re.search(rf"<{name}><!\[CDATA\[[^\]]+\]\]></{name}>", text), name
    assert "<ownerstaffname />\n" in text
    assert "<emailto />\n" in text
    assert "<ownerstaffid><![CDATA[0]]></ownerstaffid>" in text  # "0" strings are kept


async def test_field_order_matches_the_live_capture(kayako: Wire, desk: KayakoDesk) -> None:
    tid, _text = await plain_ticket(kayako, desk)
    node = kayako.xml(await kayako.get(f"/Tickets/Ticket/{tid}")).find("ticket")
    assert node is not None
    assert list(node.attrib) == ["id", "flagtype"]
    tags = [child.tag for child in node]
    assert tags[: len(LIVE_TICKET_FIELDS)] == LIVE_TICKET_FIELDS
    assert tags[-1] == "posts"
    assert set(tags[len(LIVE_TICKET_FIELDS) : -1]) <= {"watcher", "workflow", "note"}
    for post in node.findall("posts/post"):
        assert [child.tag for child in post] == LIVE_POST_FIELDS


async def test_users_without_organisation_and_tickets_without_tags(
    kayako: Wire, desk: KayakoDesk
) -> None:
    lone = next(
        t
        for t in desk.tickets.values()
        if desk.users[t.userid].userorganizationid == 0 and not t.tags and t.hostile < 0
    )
    text = (await kayako.get(f"/Tickets/Ticket/{lone.id}")).text
    assert "<userorganization />\n<userorganizationid />\n" in text
    assert "<tags />\n" in text


async def test_watchers_workflows_and_user_notes(kayako: Wire, desk: KayakoDesk) -> None:
    watched = next(t for t in desk.tickets.values() if t.watchers)
    node = kayako.xml(await kayako.get(f"/Tickets/Ticket/{watched.id}")).find("ticket")
    assert node is not None
    watchers = [w.attrib for w in node.findall("watcher")]
    assert [int(w["staffid"]) for w in watchers] == list(watched.watchers)
    assert all(w["name"] == desk.staff[int(w["staffid"])].fullname for w in watchers)
    flowing = next(t for t in desk.tickets.values() if t.workflows)
    listed = kayako.xml(
        await kayako.get(f"/Tickets/Ticket/ListAll/{flowing.departmentid}/{flowing.statusid}")
    )
    item = next(t for t in listed if t.attrib["id"] == str(flowing.id))
    assert [int(w.attrib["id"]) for w in item.findall("workflow")] == list(flowing.workflows)
    noted_user = next(n.linkid for n in desk.user_notes if n.linktype == "user")
    ticket = next((t for t in desk.tickets.values() if t.userid == noted_user), None)
    if ticket is not None:
        notes = kayako.xml(await kayako.get(f"/Tickets/Ticket/{ticket.id}")).findall("ticket/note")
        user_notes = [n for n in notes if n.attrib["type"] == "user"]
        assert user_notes and user_notes[0].attrib["userid"] == str(noted_user)


def hostile_ticket(desk: KayakoDesk, index: int) -> int:
    return next(t.id for t in desk.tickets.values() if t.hostile == index)


async def test_hostile_markup_reaches_the_client_verbatim(kayako: Wire, desk: KayakoDesk) -> None:
    tid = hostile_ticket(desk, 0)
    node = kayako.xml(await kayako.get(f"/Tickets/Ticket/{tid}")).find("ticket")
    assert node is not None
    assert node.findtext("subject") == HOSTILE[0].subject
    assert "[@click=app.quit]" in (node.findtext("posts/post/contents") or "")
    html = kayako.xml(await kayako.get(f"/Tickets/Ticket/{hostile_ticket(desk, 1)}"))
    post = html.find("ticket/posts/post")
    assert post is not None and post.findtext("ishtml") == "1"
    assert "<script>" in (post.findtext("contents") or "")
    assert html.findtext("ticket/fullname") == "[reverse]Mallory[/reverse] Ops"


async def test_escape_sequences_on_the_wire(kayako: Wire, desk: KayakoDesk) -> None:
    csi = kayako.xml(await kayako.get(f"/Tickets/Ticket/{hostile_ticket(desk, 2)}"))
    assert csi.findtext("ticket/subject") == "Printer shows \x9b31mPAPER JAM\x9b0m on every job"
    body = csi.findtext("ticket/posts/post/contents") or ""
    assert "\x1b" not in body  # C0 controls never survive SWIFT_XML::Clean
    assert "[2J[H[31mRED ALERT[0m" in body
    assert "\x9b5mBLINKING" in body  # 8-bit C1 controls do
    osc = kayako.xml(await kayako.get(f"/Tickets/Ticket/{hostile_ticket(desk, 3)}"))
    osc_body = osc.findtext("ticket/posts/post/contents") or ""
    assert "\x9d52;c;" in osc_body and "\x07" not in osc_body
    # TicketPost additionally strips every \p{C} character except CR, LF and tab.
    posts = kayako.xml(await kayako.get(f"/Tickets/TicketPost/ListAll/{hostile_ticket(desk, 3)}"))
    stripped = posts.findtext("post/contents") or ""
    assert "\x9d" not in stripped and "\x9c" not in stripped
    assert "52;c;" in stripped and "\n" in stripped


async def test_bidi_controls_and_cdata_terminators(kayako: Wire, desk: KayakoDesk) -> None:
    bidi_id = hostile_ticket(desk, 4)
    bidi = kayako.xml(await kayako.get(f"/Tickets/Ticket/{bidi_id}"))
    assert "\u202e" in (bidi.findtext("ticket/subject") or "")
    attachments = kayako.xml(await kayako.get(f"/Tickets/TicketAttachment/ListAll/{bidi_id}"))
    assert attachments.findtext("attachment/filename") == "invoice_2024\u202efdp.exe"
    stripped = kayako.xml(await kayako.get(f"/Tickets/TicketPost/ListAll/{bidi_id}"))
    assert "\u202e" not in (stripped.findtext("post/contents") or "")
    weird = await kayako.get(f"/Tickets/Ticket/{hostile_ticket(desk, 5)}")
    assert "]]]]><![CDATA[>" in weird.text
    subject = kayako.xml(weird).findtext("ticket/subject") or ""
    assert subject == "Weird characters: null bell \u200bzero-width \ufeffBOM and ]]> CDATA end"
    contents = kayako.xml(weird).findtext("ticket/posts/post/contents") or ""
    assert 'x = "]]>"' in contents
    assert "\x08" not in contents and "\x7f" not in contents
    assert "Tab\tand\r\ncarriage" in weird.text


async def test_attributes_are_escaped(kayako: Wire) -> None:
    name = 'Bob "The <Builder>" & Co'
    response = await kayako.post(
        "/Tickets/TicketNote", {"ticketid": "8", "contents": "hi", "fullname": name}
    )
    assert 'creatorstaffname="Bob &quot;The &lt;Builder&gt;&quot; &amp; Co"' in response.text
    note = kayako.xml(response).find("note")
    assert note is not None and note.attrib["creatorstaffname"] == name


async def test_html_and_private_posts_are_seeded(desk: KayakoDesk) -> None:
    posts = [p for t in list(desk.tickets.values())[:200] for p in desk.posts.get(t)]
    assert any(p.ishtml and "<p>" in p.contents for p in posts)
    assert any(p.isprivate and p.staffid for p in posts)
    assert any(p.staffid == 0 and p.creator == 2 for p in posts)
    assert len({p.id for p in posts}) == len(posts)


async def fetch_all(desk: KayakoDesk, routes: list[str]) -> list[bytes]:
    signature = base64.b64encode(hmac.new(SECRET_KEY.encode(), b"77", hashlib.sha256).digest())
    transport = httpx.ASGITransport(app=app_for_desk(desk))
    bodies = []
    async with httpx.AsyncClient(transport=transport, base_url="http://kayako.sim") as http:
        for route in routes:
            params = {"e": route, "apikey": API_KEY, "salt": "77", "signature": signature.decode()}
            response = await http.get("/api/index.php", params=params)
            assert response.status_code == 200, route
            bodies.append(response.content)
    return bodies


async def test_same_seed_gives_the_same_bytes() -> None:
    routes = [
        "/Tickets/Ticket/ListAll/1,2,3,5/1,2,3,4,5,6,7,8,9,10",
        "/Tickets/Ticket/7",
        "/Tickets/Ticket/150",
        "/Tickets/TicketPost/ListAll/33",
        "/Tickets/TicketCustomField/33",
        "/Tickets/TicketTimeTrack/ListAll/5",
        "/Base/User/Filter",
        "/Base/UserOrganization",
        "/Base/CustomField",
        "/Tickets/TicketCount",
    ]
    first = await fetch_all(generate_desk(tickets=200, seed=11, now=1_700_000_000), routes)
    second = await fetch_all(generate_desk(tickets=200, seed=11, now=1_700_000_000), routes)
    assert first == second
    other = await fetch_all(generate_desk(tickets=200, seed=12, now=1_700_000_000), routes[:1])
    assert other[0] != first[0]


async def test_every_seeded_ticket_renders_valid_xml(kayako: Wire, desk: KayakoDesk) -> None:
    chosen = [t.id for t in desk.tickets.values() if t.hostile >= 0 or t.id % 7 == 0]
    for tid in chosen:
        node = kayako.xml(await kayako.get(f"/Tickets/Ticket/{tid}")).find("ticket")
        assert node is not None and node.attrib["id"] == str(tid)
        posts = kayako.xml(await kayako.get(f"/Tickets/TicketPost/ListAll/{tid}"))
        assert len(posts) == len(node.findall("posts/post"))
