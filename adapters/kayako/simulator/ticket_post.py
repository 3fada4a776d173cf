"""Tickets\\Api\\Controller_TicketPost: a ticket's conversation, listed, read, replied to.

A reply is the customer's (``userid``) or an agent's (``staffid``, private with
``isprivate=1``); files come inline as ``filename``/``filecontent`` pairs (numbered for
several). Contents are written with ``\\p{C}`` stripped, as the controller does; a post with
files carries an ``<attachments>`` block with the files base64-encoded.
"""

from __future__ import annotations

import base64
import re

from adapters.kayako.sim_data import Ticket
from adapters.kayako.simulator.core import Call, status, xml_response
from adapters.kayako.simulator.php import php_b64decode, php_blank, php_empty, php_key, php_notice
from adapters.kayako.simulator.swift_xml import SwiftXml, strip_other_chars
from adapters.kayako.simulator.ticket_attachment import mime_for
from adapters.kayako.simulator.ticket_children import ChildController, ChildKind
from adapters.kayako.simulator.ticket_render import TicketRenderer
from adapters.simulation import SimResponse


class TicketPostController(ChildController):
    php_class = "Tickets\\Api\\Controller_TicketPost"
    name = "TicketPost"

    def kind(self) -> ChildKind:
        desk = self.desk
        return ChildKind(
            missing="Ticket Post not Found",
            foreign="Post does not belong to the specified ticket",
            owner_of=lambda rid: desk.find_child(rid, desk.post_ids, desk.posts)[0],
            render=self.posts_response,
            delete=desk.delete_post,
        )

    def posts_response(self, call: Call, ticket: Ticket, only: int | None) -> SimResponse:
        desk = self.desk
        xml = SwiftXml()
        xml.open("posts")
        attachments = desk.attachments.get(ticket)
        for post in sorted(desk.posts.get(ticket), key=lambda p: p.id):
            if only is not None and post.id != only:
                continue
            xml.open("post")
            TicketRenderer.post_fields(xml, post, strip_other_chars(post.contents))
            if post.hasattachments:
                xml.open("attachments")
                for attachment in attachments:
                    if attachment.postid != post.id:
                        continue
                    xml.open("attachment")
                    xml.tag("id", str(attachment.id))
                    xml.tag("filename", attachment.filename)
                    xml.tag("filesize", str(attachment.filesize))
                    xml.tag("filetype", attachment.filetype)
                    xml.tag("dateline", str(attachment.dateline))
                    xml.tag("contents", base64.b64encode(attachment.data).decode("ascii"))
                    xml.close("attachment")
                xml.close("attachments")
            xml.close("post")
        xml.close("posts")
        return xml_response(xml, call)

    def create(self, call: Call, args: list[str]) -> SimResponse:
        desk, post = self.desk, call.post
        if php_blank(post, "ticketid"):
            return status(400, "No Ticket ID Specified")
        if php_blank(post, "contents"):
            return status(400, "No Contents Specified")
        if php_blank(post, "userid") and php_blank(post, "staffid"):
            return status(400, "Staff ID and User ID is empty")
        ticket = self.site.ticket(call.text("ticketid"))
        if ticket is None:
            return status(404, "Ticket not Found")
        uploads: list[tuple[str, bytes]] = []
        for key in list(post):
            match = re.fullmatch(r"filename([0-9]?)", key)
            content = post.get(f"filecontent{match.group(1)}") if match else None
            name = post.get(key)
            if match and isinstance(content, str) and isinstance(name, str):
                uploads.append((name, php_b64decode(content)))
        if not php_empty(post.get("userid")):
            user = desk.users.get(php_key(post.get("userid")) or -1)
            if user is None:
                return status(400, "User ID is Invalid")
            userid, staffid, fullname, isprivate = user.id, 0, user.fullname, 0
            email = user.emails[0] if user.emails else ""
        else:
            staff = desk.staff.get(php_key(post.get("staffid")) or -1)
            if staff is None:
                return status(400, "Staff ID is Invalid")
            if "isprivate" not in post and self.site.notices_on():
                # The controller reads $_POST['isprivate'] unchecked; only a debug-mode
                # install prints the notice.
                call.notices.append(
                    php_notice(
                        "Undefined index: isprivate",
                        "__apps/tickets/api/class.Controller_TicketPost.php",
                        327,
                    )
                )
            userid, staffid, fullname, email = 0, staff.id, staff.fullname, staff.email
            isprivate = 1 if call.text("isprivate") == "1" else 0
        new_post = desk.add_post(
            ticket,
            contents=call.text("contents") or "",
            userid=userid,
            staffid=staffid,
            fullname=fullname,
            email=email,
            isprivate=isprivate,
            ipaddress=call.client_ip,
        )
        for filename, data in uploads:
            desk.add_attachment(
                ticket, new_post, filename=filename, filetype=mime_for(filename), data=data
            )
        return self.posts_response(call, ticket, new_post.id)
