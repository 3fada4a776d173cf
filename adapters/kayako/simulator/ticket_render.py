"""SWIFT_TicketAPIManager::RenderTickets, and the attribute lists of notes and time entries.

A ticket is written the same way by every controller that returns tickets (ListAll, Get,
Post, Put, TicketSearch): the fields in the server's order, the template group's name,
watchers, workflows, then its notes (ticket notes, the user's and organisation's notes,
time entries as ``type="timetrack"``), then its posts when the answer is a single ticket.
Notes and time entries carry their fields as attributes and their text as the value, the
same inside a ticket as in TicketNote and TicketTimeTrack.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Protocol, TypeVar

from adapters.kayako.sim_data import Post, Ticket, TicketNote, TimeTrack, UserNote
from adapters.kayako.simulator.core import Call, Site, xml_response
from adapters.kayako.simulator.swift_xml import Attrs, SwiftXml
from adapters.simulation import SimResponse


def note_attrs(note: TicketNote) -> Attrs:
    """A ticket note's attributes, the same inside a ticket and in TicketNote."""
    return (
        ("type", "ticket"),
        ("id", note.id),
        ("ticketid", note.ticketid),
        ("notecolor", note.notecolor),
        ("creatorstaffid", note.staffid),
        ("forstaffid", note.forstaffid),
        ("creatorstaffname", note.staffname),
        ("creationdate", note.dateline),
    )


def user_note_attrs(note: UserNote) -> Attrs:
    """A user or organisation note shown inside a ticket (``userid=`` or
    ``userorganizationid=`` names what it is on)."""
    return (
        ("type", note.linktype),
        ("id", note.id),
        (f"{note.linktype}id", note.linkid),
        ("notecolor", note.notecolor),
        ("creatorstaffid", note.staffid),
        ("forstaffid", "0"),
        ("creatorstaffname", note.staffname),
        ("creationdate", note.dateline),
    )


def timetrack_attrs(track: TimeTrack) -> Attrs:
    """A time track's attributes (inside a ticket they follow ``type="timetrack"``)."""
    return (
        ("id", track.id),
        ("ticketid", track.ticketid),
        ("timeworked", track.timespent),
        ("timebillable", track.timebillable),
        ("billdate", track.billdate),
        ("workdate", track.workdate),
        ("workerstaffid", track.workerstaffid),
        ("workerstaffname", track.workerstaffname),
        ("creatorstaffid", track.creatorstaffid),
        ("creatorstaffname", track.creatorstaffname),
        ("notecolor", track.notecolor),
    )


class HasId(Protocol):
    @property
    def id(self) -> int: ...


class Texted(HasId, Protocol):
    @property
    def text(self) -> str: ...


TextedT = TypeVar("TextedT", bound=Texted)


def attribute_list(
    root: str,
    element: str,
    records: Iterable[TextedT],
    only: int | None,
    attrs: Callable[[TextedT], Attrs],
) -> SwiftXml:
    """A list whose records carry their fields as attributes and their text as the
    element's value (notes, time tracks); ``only``: just the record with that ID."""
    xml = SwiftXml()
    xml.open(root)
    for record in records:
        if only is None or record.id == only:
            xml.tag(element, record.text, attrs(record))
    xml.close(root)
    return xml


class TicketRenderer:
    """Writes tickets as the server's ticket API manager does."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.desk = site.desk

    def render_tickets(self, xml: SwiftXml, tickets: Sequence[Ticket], with_posts: bool) -> None:
        """SWIFT_TicketAPIManager::RenderTickets."""
        desk = self.desk
        notes_by_user, notes_by_org = self.site.user_notes, self.site.org_notes
        xml.open("tickets")
        for t in tickets:
            user = desk.users.get(t.userid)
            org_id, org_name = 0, ""
            if user is not None:
                org = desk.organizations.get(user.userorganizationid)
                org_id = user.userorganizationid
                org_name = org.name if org else ""
            xml.open("ticket", (("id", t.id), ("flagtype", t.flagtype)))
            xml.fields(
                ("displayid", t.displayid),
                ("departmentid", str(t.departmentid)),
                ("statusid", str(t.statusid)),
                ("priorityid", str(t.priorityid)),
                ("typeid", str(t.typeid)),
                ("userid", str(t.userid)),
                ("userorganization", org_name),
                ("userorganizationid", org_id),
                ("ownerstaffid", str(t.ownerstaffid)),
                ("ownerstaffname", desk.staff_name(t.ownerstaffid)),
                ("fullname", t.fullname),
                ("email", t.email),
                ("lastreplier", t.lastreplier),
                ("subject", t.subject),
                ("creationtime", str(t.creationtime)),
                ("lastactivity", str(t.lastactivity)),
                ("laststaffreply", str(t.laststaffreply)),
                ("lastuserreply", str(t.lastuserreply)),
                ("slaplanid", str(t.slaplanid)),
                ("nextreplydue", str(t.duetime)),
                ("resolutiondue", str(t.resolutiondue)),
                ("replies", str(t.replies)),
                ("ipaddress", t.ipaddress),
                ("creator", str(t.creator)),
                ("creationmode", str(t.creationmode)),
                ("creationtype", str(t.creationtype)),
                ("isescalated", str(t.isescalated)),
                ("escalationruleid", str(t.escalationruleid)),
                ("templategroupid", str(t.templategroupid)),
                ("tags", t.tags),
            )
            group = desk.template_groups.get(t.templategroupid)
            if group is not None:
                xml.tag("templategroupname", group.title)
            for staff_id in t.watchers:
                if staff_id in desk.staff:
                    xml.tag(
                        "watcher", "", (("staffid", staff_id), ("name", desk.staff_name(staff_id)))
                    )
            for workflow_id in t.workflows:
                workflow = desk.workflows.get(workflow_id)
                if workflow is not None:
                    xml.tag("workflow", "", (("id", workflow.id), ("title", workflow.title)))
            for note in sorted(desk.notes.get(t), key=lambda n: (n.dateline, n.id)):
                xml.tag("note", note.text, note_attrs(note))
            user_notes = notes_by_user.get(t.userid, [])
            org_notes = notes_by_org.get(org_id, []) if org_id else []
            for unote in user_notes + org_notes:
                xml.tag("note", unote.text, user_note_attrs(unote))
            for track in sorted(desk.timetracks.get(t), key=lambda x: (x.dateline, x.id)):
                xml.tag("note", track.text, (("type", "timetrack"), *timetrack_attrs(track)))
            if with_posts:
                xml.open("posts")
                for post in sorted(desk.posts.get(t), key=lambda p: p.id):
                    xml.open("post")
                    self.post_fields(xml, post, post.contents)
                    xml.close("post")
                xml.close("posts")
            xml.close("ticket")
        xml.close("tickets")

    @staticmethod
    def post_fields(xml: SwiftXml, post: Post, contents: str) -> None:
        xml.fields(
            ("id", str(post.id)),
            ("ticketpostid", str(post.id)),
            ("ticketid", str(post.ticketid)),
            ("dateline", str(post.dateline)),
            ("userid", str(post.userid)),
            ("fullname", post.fullname),
            ("email", post.email),
            ("emailto", post.emailto),
            ("ipaddress", post.ipaddress),
            ("hasattachments", str(post.hasattachments)),
            ("creator", str(post.creator)),
            ("isthirdparty", str(post.isthirdparty)),
            ("ishtml", str(post.ishtml)),
            ("isemailed", str(post.isemailed)),
            ("staffid", str(post.staffid)),
            ("issurveycomment", str(post.issurveycomment)),
            ("contents", contents),
            ("isprivate", str(post.isprivate)),
        )

    def response(
        self, tickets: Sequence[Ticket], with_posts: bool, call: Call, prefix: str = ""
    ) -> SimResponse:
        xml = SwiftXml()
        self.render_tickets(xml, tickets, with_posts)
        return xml_response(xml, call, prefix)
