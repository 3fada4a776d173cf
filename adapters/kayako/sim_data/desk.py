"""The simulated Kayako desk in memory: what the controllers read and write.

:class:`KayakoDesk` holds the lookups, users and organisations, the ticket rows and, behind
:class:`~adapters.simdata.lazy.LazyChildren`, everything under each ticket. Its write
methods apply already-validated changes with the side effects the server has (activity
times, reply counts, due times, resolution), so the controllers only validate and render.
It knows nothing about HTTP or XML: :mod:`adapters.kayako.simulator` renders it.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable

from adapters.kayako.sim_data.children import ChildGenerator
from adapters.kayako.sim_data.config import (
    DEPARTMENTS,
    PRIORITIES,
    REPLY_HOURS,
    RESOLVE_HOURS,
    SLA_PLANS,
    STAFF,
    STAFF_GROUPS,
    STATUSES,
    TEMPLATE_GROUPS,
    TYPES,
    USER_GROUPS,
    WORKFLOWS,
)
from adapters.kayako.sim_data.records import (
    CREATOR_STAFF,
    CREATOR_USER,
    MODE_API,
    Attachment,
    CustomField,
    CustomFieldGroup,
    CustomFieldOption,
    CustomValue,
    Organization,
    Post,
    Staff,
    Ticket,
    TicketNote,
    TimeTrack,
    User,
    UserNote,
)
from adapters.simdata.draw import seeded
from adapters.simdata.lazy import IdBlocks, LazyChildren, R
from adapters.simdata.markup import looks_like_html
from adapters.simdata.timeline import HOUR

MASK_SPACE = 26**3 * 1000 * 100000


class KayakoDesk:
    """The whole simulated help desk: lookups, users, tickets and their children."""

    def __init__(self, *, seed: int, now: int) -> None:
        self.seed = seed
        self.now = now
        self.clock: Callable[[], int] = lambda: int(time.time())
        self.departments = {d.id: d for d in DEPARTMENTS}
        self.statuses = {s.id: s for s in STATUSES}
        self.priorities = {p.id: p for p in PRIORITIES}
        self.types = {t.id: t for t in TYPES}
        self.staff_groups = {g.id: g for g in STAFF_GROUPS}
        self.staff = {s.id: s for s in STAFF}
        self.user_groups = {g.id: g for g in USER_GROUPS}
        self.template_groups = {g.id: g for g in TEMPLATE_GROUPS}
        self.workflows = {w.id: w for w in WORKFLOWS}
        self.sla_plans = dict(SLA_PLANS)
        self.organizations: dict[int, Organization] = {}
        self.users: dict[int, User] = {}
        self.user_notes: list[UserNote] = []
        self.cf_groups: dict[int, CustomFieldGroup] = {}
        self.cf_fields: dict[int, CustomField] = {}
        self.cf_options: dict[int, CustomFieldOption] = {}
        self.tickets: dict[int, Ticket] = {}
        self.next_ticket_id = 1
        self._by_mask: dict[str, int] = {}
        self._by_email: dict[str, int] | None = None
        self.post_ids = IdBlocks()
        self.note_ids = IdBlocks()
        self.timetrack_ids = IdBlocks()
        self.attachment_ids = IdBlocks()
        children = ChildGenerator(self)
        self.children = children
        self.posts: LazyChildren[list[Post]] = LazyChildren(children.posts)
        self.notes: LazyChildren[list[TicketNote]] = LazyChildren(children.notes)
        self.timetracks: LazyChildren[list[TimeTrack]] = LazyChildren(children.timetracks)
        self.attachments: LazyChildren[list[Attachment]] = LazyChildren(children.attachments)
        self.custom_values: LazyChildren[dict[int, CustomValue]] = LazyChildren(
            children.custom_values
        )

    # ---- lookups ----------------------------------------------------------------------

    def staff_name(self, staff_id: int) -> str:
        member = self.staff.get(staff_id)
        return member.fullname if member else ""

    def find_ticket(self, ref: str) -> Ticket | None:
        """By numeric ID or display mask (case-insensitive), as the server looks up."""
        text = ref.strip()
        if re.fullmatch(r"[+-]?\d+(\.\d*)?", text):
            return self.tickets.get(int(float(text)))
        tid = self._by_mask.get(text.upper())
        return self.tickets.get(tid) if tid is not None else None

    def user_by_email(self, email: str) -> User | None:
        if self._by_email is None:
            self._by_email = {}
            for user in self.users.values():
                for address in user.emails:
                    self._by_email.setdefault(address.lower(), user.id)
        uid = self._by_email.get(email.strip().lower())
        return self.users.get(uid) if uid is not None else None

    def organization_of(self, user_id: int) -> Organization | None:
        user = self.users.get(user_id)
        if user is None:
            return None
        return self.organizations.get(user.userorganizationid)

    def linked_groups(self, ticket: Ticket) -> list[CustomFieldGroup]:
        """Custom field groups shown for a ticket: those linked to its department, plus
        any group holding a value for it."""
        values = self.custom_values.get(ticket)
        with_values = {self.cf_fields[fid].groupid for fid in values if fid in self.cf_fields}
        return [
            group
            for group in self.cf_groups.values()
            if ticket.departmentid in group.departmentids or group.id in with_values
        ]

    def find_child(
        self, rid: int, blocks: IdBlocks, store: LazyChildren[list[R]]
    ) -> tuple[int | None, R | None]:
        """(owning ticket id, record) of child ``rid``; (None, None) when it is gone."""
        owner = blocks.owner(rid)
        ticket = self.tickets.get(owner) if owner is not None else None
        if ticket is None:
            return None, None
        for record in store.get(ticket):
            if record.id == rid:
                return owner, record
        return None, None

    def forget_emails(self) -> None:
        """Drop the e-mail index (users' addresses changed; rebuilt on the next lookup)."""
        self._by_email = None

    def user_notes_by(self, linktype: str) -> dict[int, list[UserNote]]:
        """User (or organisation) notes grouped by the user (organisation) they are on."""
        grouped: dict[int, list[UserNote]] = {}
        for note in self.user_notes:
            if note.linktype == linktype:
                grouped.setdefault(note.linkid, []).append(note)
        return grouped

    # ---- writes -----------------------------------------------------------------------

    def materialise(self, ticket: Ticket) -> None:
        """Keep every lazily generated child of ``ticket`` before it is changed (the
        generators read the ticket's fields, which a write is about to alter)."""
        self.posts.own(ticket)
        self.notes.own(ticket)
        self.timetracks.own(ticket)
        self.attachments.own(ticket)
        self.custom_values.own(ticket)

    def touch(self, ticket: Ticket) -> int:
        moment = max(self.clock(), ticket.lastactivity)
        ticket.lastactivity = moment
        return moment

    def update_ticket(
        self,
        ticket: Ticket,
        *,
        departmentid: int | None = None,
        statusid: int | None = None,
        priorityid: int | None = None,
        typeid: int | None = None,
        ownerstaffid: int | None = None,
        subject: str | None = None,
        fullname: str | None = None,
        email: str | None = None,
        userid: int | None = None,
        templategroupid: int | None = None,
    ) -> None:
        """Apply already-validated field changes (None = leave alone)."""
        self.materialise(ticket)
        changes = {
            "departmentid": departmentid,
            "statusid": statusid,
            "priorityid": priorityid,
            "typeid": typeid,
            "ownerstaffid": ownerstaffid,
            "subject": subject,
            "fullname": fullname,
            "email": email,
            "userid": userid,
            "templategroupid": templategroupid,
        }
        for name, value in changes.items():
            if value is None:
                continue
            if name == "statusid":
                assert isinstance(value, int)
                self.set_status(ticket, value)  # also moves the due and resolution times
            else:
                setattr(ticket, name, value)
        if any(value is not None for value in changes.values()):
            self.touch(ticket)

    def set_status(self, ticket: Ticket, status_id: int) -> None:
        self.materialise(ticket)
        status = self.statuses[status_id]
        ticket.statusid = status_id
        moment = self.touch(ticket)
        if status.markasresolved:
            if not ticket.isresolved:
                ticket.resolutiondateline = moment
            ticket.isresolved = 1
            ticket.duetime = 0
            ticket.resolutiondue = 0
        else:
            if ticket.isresolved:
                ticket.duetime = moment + REPLY_HOURS[ticket.priorityid] * HOUR
                ticket.resolutiondue = moment + RESOLVE_HOURS[ticket.priorityid] * HOUR
            ticket.isresolved = 0
            ticket.resolutiondateline = 0

    def create_ticket(
        self,
        *,
        subject: str,
        fullname: str,
        email: str,
        contents: str,
        departmentid: int,
        statusid: int,
        priorityid: int,
        typeid: int,
        userid: int,
        staffid: int,
        creationtype: int,
        ownerstaffid: int,
        templategroupid: int,
        ipaddress: str,
        emailto: str,
    ) -> Ticket:
        moment = self.clock()
        tid = self.next_ticket_id
        self.next_ticket_id += 1
        rng = seeded("kayako", self.seed, "mask", tid)
        mask = self._new_mask(rng)
        by_staff = staffid > 0
        ticket = Ticket(
            id=tid,
            displayid=mask,
            departmentid=departmentid,
            statusid=statusid,
            priorityid=priorityid,
            typeid=typeid,
            userid=userid,
            ownerstaffid=ownerstaffid,
            fullname=fullname,
            email=email,
            subject=subject,
            creationtime=moment,
            lastactivity=moment,
            laststaffreply=moment if by_staff else 0,
            lastuserreply=0 if by_staff else moment,
            lastreplier=fullname,
            slaplanid=0,
            duetime=moment + REPLY_HOURS.get(priorityid, 24) * HOUR,
            resolutiondue=moment + RESOLVE_HOURS.get(priorityid, 120) * HOUR,
            replies=0,
            ipaddress=ipaddress,
            creator=CREATOR_STAFF if by_staff else CREATOR_USER,
            creationmode=MODE_API,
            creationtype=creationtype,
            isescalated=0,
            escalationruleid=0,
            templategroupid=templategroupid,
            tags="",
            flagtype=0,
            hasattachments=0,
            hasnotes=0,
            isresolved=0,
            resolutiondateline=0,
            watchers=(),
            workflows=(),
            topic=0,
            n_posts=0,
            first_by_staff=1 if by_staff else 0,
            n_notes=0,
            n_timetracks=0,
            n_attachments=0,
            html_customer=0,
            hostile=-1,
            seeded=0,
        )
        if self.statuses[statusid].markasresolved:
            ticket.isresolved, ticket.resolutiondateline = 1, moment
            ticket.duetime = ticket.resolutiondue = 0
        self.tickets[tid] = ticket
        self._by_mask[mask] = tid
        self.materialise(ticket)
        self.add_post(
            ticket,
            contents=contents,
            userid=0 if by_staff else userid,
            staffid=staffid,
            fullname=fullname,
            email=email,
            isprivate=0,
            ipaddress=ipaddress,
            emailto=emailto,
            count_reply=False,
        )
        return ticket

    def add_post(
        self,
        ticket: Ticket,
        *,
        contents: str,
        userid: int,
        staffid: int,
        fullname: str,
        email: str,
        isprivate: int,
        ipaddress: str,
        emailto: str = "",
        count_reply: bool = True,
    ) -> Post:
        self.materialise(ticket)
        moment = self.touch(ticket)
        by_staff = staffid > 0
        post = Post(
            id=self.post_ids.new_id(ticket.id),
            ticketid=ticket.id,
            dateline=moment,
            userid=userid,
            fullname=fullname,
            email=email,
            emailto=emailto,
            ipaddress=ipaddress,
            hasattachments=0,
            creator=CREATOR_STAFF if by_staff else CREATOR_USER,
            isthirdparty=0,
            ishtml=1 if looks_like_html(contents) else 0,
            isemailed=0 if (isprivate or not by_staff) else 1,
            staffid=staffid,
            issurveycomment=0,
            contents=contents,
            isprivate=isprivate,
        )
        self.posts.own(ticket).append(post)
        if count_reply:
            ticket.replies += 1
        ticket.lastreplier = fullname
        if by_staff:
            ticket.laststaffreply = moment
            if not isprivate and not ticket.isresolved:
                ticket.duetime = 0
        else:
            ticket.lastuserreply = moment
            if not ticket.isresolved:
                ticket.duetime = moment + REPLY_HOURS.get(ticket.priorityid, 24) * HOUR
        return post

    def add_attachment(
        self, ticket: Ticket, post: Post, *, filename: str, filetype: str, data: bytes
    ) -> Attachment:
        self.materialise(ticket)
        attachment = Attachment(
            id=self.attachment_ids.new_id(ticket.id),
            ticketid=ticket.id,
            postid=post.id,
            filename=filename,
            filetype=filetype,
            dateline=self.clock(),
            data=data,
        )
        self.attachments.own(ticket).append(attachment)
        post.hasattachments = 1
        ticket.hasattachments = 1
        return attachment

    def _remove(self, store: LazyChildren[list[R]], ticket: Ticket, rid: int) -> list[R]:
        """Delete child ``rid`` of ``ticket``; the ticket's remaining children of that kind."""
        self.materialise(ticket)
        records = store.own(ticket)
        records[:] = [r for r in records if r.id != rid]
        return records

    def delete_post(self, ticket: Ticket, post_id: int) -> None:
        posts = self._remove(self.posts, ticket, post_id)
        attachments = self.attachments.own(ticket)
        attachments[:] = [a for a in attachments if a.postid != post_id]
        ticket.hasattachments = 1 if attachments else 0
        ticket.replies = max(len(posts) - 1, 0)

    def add_note(
        self,
        ticket: Ticket,
        *,
        staffid: int,
        staffname: str,
        forstaffid: int,
        notecolor: int,
        text: str,
    ) -> TicketNote:
        self.materialise(ticket)
        note = TicketNote(
            id=self.note_ids.new_id(ticket.id),
            ticketid=ticket.id,
            notecolor=notecolor,
            staffid=staffid,
            forstaffid=forstaffid,
            staffname=staffname,
            dateline=self.clock(),
            text=text,
        )
        self.notes.own(ticket).append(note)
        ticket.hasnotes = 1
        return note

    def delete_note(self, ticket: Ticket, note_id: int) -> None:
        notes = self._remove(self.notes, ticket, note_id)
        ticket.hasnotes = 1 if notes else 0

    def add_timetrack(
        self,
        ticket: Ticket,
        *,
        creator: Staff,
        worker: Staff,
        timespent: int,
        timebillable: int,
        workdate: int,
        billdate: int,
        notecolor: int,
        text: str,
    ) -> TimeTrack:
        self.materialise(ticket)
        track = TimeTrack(
            id=self.timetrack_ids.new_id(ticket.id),
            ticketid=ticket.id,
            timespent=timespent,
            timebillable=timebillable,
            billdate=billdate,
            workdate=workdate,
            workerstaffid=worker.id,
            workerstaffname=worker.fullname,
            creatorstaffid=creator.id,
            creatorstaffname=creator.fullname,
            notecolor=notecolor,
            text=text,
            dateline=self.clock(),
        )
        self.timetracks.own(ticket).append(track)
        return track

    def delete_timetrack(self, ticket: Ticket, track_id: int) -> None:
        self._remove(self.timetracks, ticket, track_id)

    def delete_attachment(self, ticket: Ticket, attachment_id: int) -> None:
        attachments = self._remove(self.attachments, ticket, attachment_id)
        ticket.hasattachments = 1 if attachments else 0

    def delete_ticket(self, ticket: Ticket) -> None:
        for store in (self.posts, self.notes, self.timetracks, self.attachments):
            store.drop(ticket.id)
        self.custom_values.drop(ticket.id)
        self.tickets.pop(ticket.id, None)
        self._by_mask.pop(ticket.displayid.upper(), None)

    def get_or_create_user(self, fullname: str, email: str) -> User:
        existing = self.user_by_email(email)
        if existing is not None:
            return existing
        uid = max(self.users, default=0) + 1
        user = User(
            id=uid,
            usergroupid=1,
            userrole="user",
            userorganizationid=0,
            salutation="",
            fullname=fullname,
            emails=[email.strip()],
            designation="",
            phone="",
            dateline=self.clock(),
            lastvisit=0,
        )
        self.users[uid] = user
        if self._by_email is not None:
            self._by_email[email.strip().lower()] = uid
        return user

    def _new_mask(self, rng: random.Random) -> str:
        """A display ID like ``ABC-123-45678`` (Kayako's random ticket mask), unique."""
        letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        while True:
            value = int(rng.random() * MASK_SPACE)
            value, tail = divmod(value, 100000)
            value, middle = divmod(value, 1000)
            third, value = value % 26, value // 26
            second, first = value % 26, value // 26 % 26
            mask = f"{letters[first]}{letters[second]}{letters[third]}-{middle:03d}-{tail:05d}"
            if mask not in self._by_mask:
                return mask
