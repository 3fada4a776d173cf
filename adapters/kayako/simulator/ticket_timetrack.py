"""Tickets\\Api\\Controller_TicketTimeTrack: time worked on a ticket, listed, read, logged.

An entry records who logged it (``staffid``), who did the work (``workerstaffid``, the
logger by default), seconds worked and billable, and the work and bill dates; the
server checks each in a fixed order, and so does this.
"""

from __future__ import annotations

from adapters.kayako.sim_data import Staff, Ticket
from adapters.kayako.simulator.core import Call, status, xml_response
from adapters.kayako.simulator.php import php_blank, php_empty, php_intval, php_key
from adapters.kayako.simulator.ticket_children import ChildController, ChildKind
from adapters.kayako.simulator.ticket_render import attribute_list, timetrack_attrs
from adapters.simulation import SimResponse


class TicketTimeTrackController(ChildController):
    php_class = "Tickets\\Api\\Controller_TicketTimeTrack"
    name = "TicketTimeTrack"

    def kind(self) -> ChildKind:
        desk = self.desk
        return ChildKind(
            missing="Ticket time tracking note not Found",
            foreign="Ticket time tracking note does not belong to the specified ticket",
            owner_of=lambda rid: desk.find_child(rid, desk.timetrack_ids, desk.timetracks)[0],
            render=self.timetracks_response,
            delete=desk.delete_timetrack,
        )

    def timetracks_response(self, call: Call, ticket: Ticket, only: int | None) -> SimResponse:
        tracks = sorted(self.desk.timetracks.get(ticket), key=lambda x: x.id)
        return xml_response(
            attribute_list("timetracks", "timetrack", tracks, only, timetrack_attrs), call
        )

    def create(self, call: Call, args: list[str]) -> SimResponse:
        desk, post = self.desk, call.post
        if php_blank(post, "ticketid"):
            return status(400, "No Ticket ID Specified")
        ticket = self.site.ticket(call.text("ticketid"))
        if ticket is None:
            return status(404, "Ticket not Found")
        creator = desk.staff.get(php_key(post.get("staffid")) or -1)
        if creator is None:
            return status(400, "No staff id specified")
        if "contents" not in post:
            return status(400, "No contents specified")
        for key, message in (
            ("worktimeline", "No work timeline specified"),
            ("billtimeline", "No bill timeline specified"),
        ):
            if php_empty(post.get(key)):
                return status(400, message)
        if "timespent" not in post:
            return status(400, "No time spent specified")
        if "timebillable" not in post:
            return status(400, "No time billable specified")
        worker: Staff = creator
        if "workerstaffid" in post:
            chosen = desk.staff.get(php_key(post.get("workerstaffid")) or -1)
            if php_empty(post.get("workerstaffid")) or chosen is None:
                return status(400, "Invalid worker staff id specified")
            worker = chosen
        color_raw = post.get("notecolor")
        track = desk.add_timetrack(
            ticket,
            creator=creator,
            worker=worker,
            timespent=php_intval(post.get("timespent")),
            timebillable=php_intval(post.get("timebillable")),
            workdate=php_intval(post.get("worktimeline")),
            billdate=php_intval(post.get("billtimeline")),
            notecolor=php_intval(color_raw) if not php_empty(color_raw) else 1,
            text=call.text("contents") or "",
        )
        return self.timetracks_response(call, ticket, track.id)
