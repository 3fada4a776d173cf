"""Tickets\\Api\\Controller_TicketNote: a ticket's internal notes, listed, read, added.

A note is written by a staff member (``staffid``) or a named person (``fullname``), may
be addressed to a staff member (``forstaffid``) and coloured (``notecolor``, 1 yellow by
default). Notes carry their fields as attributes and their text as the element's value.
"""

from __future__ import annotations

from adapters.kayako.sim_data import Ticket
from adapters.kayako.simulator.core import Call, status, xml_response
from adapters.kayako.simulator.php import php_blank, php_empty, php_intval, php_key
from adapters.kayako.simulator.ticket_children import ChildController, ChildKind
from adapters.kayako.simulator.ticket_render import attribute_list, note_attrs
from adapters.simulation import SimResponse


class TicketNoteController(ChildController):
    php_class = "Tickets\\Api\\Controller_TicketNote"
    name = "TicketNote"

    def kind(self) -> ChildKind:
        desk = self.desk
        return ChildKind(
            missing="Ticket note not Found",
            foreign="Ticket note does not belong to the specified ticket",
            owner_of=lambda rid: desk.find_child(rid, desk.note_ids, desk.notes)[0],
            render=self.notes_response,
            delete=desk.delete_note,
        )

    def notes_response(self, call: Call, ticket: Ticket, only: int | None) -> SimResponse:
        notes = sorted(self.desk.notes.get(ticket), key=lambda n: n.id)
        return xml_response(attribute_list("notes", "note", notes, only, note_attrs), call)

    def create(self, call: Call, args: list[str]) -> SimResponse:
        desk, post = self.desk, call.post
        if php_blank(post, "ticketid"):
            return status(400, "No Ticket ID Specified")
        ticket = self.site.ticket(call.text("ticketid"))
        if ticket is None:
            return status(404, "Ticket not Found")
        staff = desk.staff.get(php_key(post.get("staffid")) or -1)
        if php_blank(post, "fullname") and staff is None:
            return status(400, "No fullname or staff id specified")
        if "contents" not in post:
            return status(400, "No contents specified")
        name = staff.fullname if staff is not None else (call.text("fullname") or "")
        for_staff = php_key(post.get("forstaffid"))
        color_raw = post.get("notecolor")
        note = desk.add_note(
            ticket,
            staffid=staff.id if staff is not None else 0,
            staffname=name,
            forstaffid=for_staff if for_staff in desk.staff and for_staff is not None else 0,
            notecolor=php_intval(color_raw) if not php_empty(color_raw) else 1,
            text=call.text("contents") or "",
        )
        return self.notes_response(call, ticket, note.id)
