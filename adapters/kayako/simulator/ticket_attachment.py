"""Tickets\\Api\\Controller_TicketAttachment: a ticket's files, listed, read, added, deleted.

Lists leave the file contents out; Get sends them base64-encoded. Post attaches a
base64 file to one of the ticket's posts; the MIME type follows the file name, as the
server's upload handling does.
"""

from __future__ import annotations

import base64

from adapters.kayako.sim_data import Ticket
from adapters.kayako.simulator.core import Call, status, xml_response
from adapters.kayako.simulator.php import php_b64decode, php_blank, php_intval
from adapters.kayako.simulator.swift_xml import SwiftXml
from adapters.kayako.simulator.ticket_children import ChildController, ChildKind
from adapters.simulation import SimResponse

MIME_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "pdf": "application/pdf",
    "txt": "text/plain",
    "log": "text/plain",
    "csv": "text/csv",
    "zip": "application/zip",
    "json": "application/json",
    "xml": "text/xml",
    "html": "text/html",
    "htm": "text/html",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def mime_for(filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return MIME_TYPES.get(extension, "application/octet-stream")


class TicketAttachmentController(ChildController):
    php_class = "Tickets\\Api\\Controller_TicketAttachment"
    name = "TicketAttachment"

    def kind(self) -> ChildKind:
        desk = self.desk
        return ChildKind(
            missing="Attachment not Found",
            foreign="Attachment does not belong to the specified ticket",
            owner_of=lambda rid: desk.find_child(rid, desk.attachment_ids, desk.attachments)[0],
            render=self.list_response,
            render_one=self.get_response,  # only Get sends the file contents
            delete=desk.delete_attachment,
        )

    def list_response(self, call: Call, ticket: Ticket, only: int | None) -> SimResponse:
        return self._attachments_response(call, ticket, only, with_contents=False)

    def get_response(self, call: Call, ticket: Ticket, only: int | None) -> SimResponse:
        return self._attachments_response(call, ticket, only, with_contents=True)

    def _attachments_response(
        self, call: Call, ticket: Ticket, only: int | None, with_contents: bool
    ) -> SimResponse:
        xml = SwiftXml()
        xml.open("attachments")
        for attachment in sorted(self.desk.attachments.get(ticket), key=lambda a: a.id):
            if only is not None and attachment.id != only:
                continue
            xml.open("attachment")
            xml.tag("id", str(attachment.id))
            xml.tag("ticketid", str(attachment.ticketid))
            xml.tag("ticketpostid", str(attachment.postid))
            xml.tag("filename", attachment.filename)
            xml.tag("filesize", str(attachment.filesize))
            xml.tag("filetype", attachment.filetype)
            xml.tag("dateline", str(attachment.dateline))
            if with_contents:
                xml.tag("contents", base64.b64encode(attachment.data).decode("ascii"))
            xml.close("attachment")
        xml.close("attachments")
        return xml_response(xml, call)

    def create(self, call: Call, args: list[str]) -> SimResponse:
        desk, post = self.desk, call.post
        if php_blank(post, "ticketid"):
            return status(400, "No Ticket ID Specified")
        if php_blank(post, "ticketpostid"):
            return status(400, "No Ticket Post ID Specified")
        ticket = self.site.ticket(call.text("ticketid"))
        if ticket is None:
            return status(404, "Ticket not Found")
        owner, target = desk.find_child(
            php_intval(call.text("ticketpostid")), desk.post_ids, desk.posts
        )
        if target is None or owner != ticket.id:
            return status(404, "Ticket Post not found")
        if php_blank(post, "filename"):
            return status(400, "No file name specified")
        if "contents" not in post:
            return status(400, "No contents specified")
        filename = call.text("filename") or ""
        attachment = desk.add_attachment(
            ticket,
            target,
            filename=filename,
            filetype=mime_for(filename),
            data=php_b64decode(call.text("contents") or ""),
        )
        return self._attachments_response(call, ticket, attachment.id, False)
