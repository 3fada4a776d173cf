"""Everything under a simulated ticket, generated from (seed, ticket) when first read.

Posts (the conversation), internal notes, time entries, attachments and custom field
values are pure functions of the desk's seed and the ticket's generation recipe (its
topic, counts and flags, fixed when the desk was built), so they need not exist until
someone reads them; :class:`adapters.simdata.lazy.LazyChildren` caches them and keeps
them once the ticket is written. The words come from the shared world's topic corpus.
"""

from __future__ import annotations

import random
import time
from typing import TYPE_CHECKING

from adapters.kayako.sim_data.config import (
    CF_TEXT_SAMPLES,
    DEPARTMENT_STAFF,
    ENABLED_STAFF,
    STAFF,
    STAFF_GROUPS,
)
from adapters.kayako.sim_data.records import (
    CF_CHECKBOX,
    CF_DATE,
    CF_LINKEDSELECT,
    CF_MULTISELECT,
    CF_RADIO,
    CF_SELECT,
    CREATOR_CC,
    CREATOR_STAFF,
    CREATOR_USER,
    MODE_EMAIL,
    Attachment,
    CustomField,
    CustomValue,
    Post,
    Staff,
    Ticket,
    TicketNote,
    TimeTrack,
)
from adapters.simdata.attachments import FAKE_EXECUTABLE, sample_attachment
from adapters.simdata.conversation import (
    CLOSING_LINE,
    GENERIC_FOLLOWUPS,
    GENERIC_NOTES,
    GENERIC_PRIVATES,
    GENERIC_REPLIES,
    SIGNATURE,
    Placeholders,
    placeholders,
)
from adapters.simdata.draw import seeded
from adapters.simdata.hostile import HOSTILE
from adapters.simdata.markup import text_to_html
from adapters.simdata.people import FIRST_NAMES, LAST_NAMES
from adapters.simdata.timeline import DAY, spread
from adapters.simdata.topics import TOPICS

# Generation reads the install as it was configured, never the live (writable) tables:
# children are a pure function of the seed, whatever staff were added or deleted since.
STAFF_BY_ID = {member.id: member for member in STAFF}
STAFF_GROUP_TITLES = {group.id: group.title for group in STAFF_GROUPS}

if TYPE_CHECKING:
    from adapters.kayako.sim_data.desk import KayakoDesk


class ChildGenerator:
    """Builds a ticket's children for one desk (the desk's LazyChildren call these)."""

    def __init__(self, desk: KayakoDesk) -> None:
        self.desk = desk

    def _rng(self, ticket: Ticket, kind: str) -> random.Random:
        # String seeds hash through SHA-512: stable across runs and Python processes.
        return seeded("kayako", self.desk.seed, kind, ticket.id)

    def post_is_staff(self, ticket: Ticket, index: int) -> bool:
        return (index + ticket.first_by_staff) % 2 == 1

    def replier_for(self, ticket: Ticket) -> Staff:
        if ticket.ownerstaffid in STAFF_BY_ID:
            return STAFF_BY_ID[ticket.ownerstaffid]
        pool = DEPARTMENT_STAFF.get(ticket.departmentid, (1,))
        return STAFF_BY_ID[pool[ticket.id % len(pool)]]

    def _placeholders(self, ticket: Ticket, rng: random.Random) -> Placeholders:
        user = self.desk.users.get(ticket.userid)
        org = self.desk.organizations.get(user.userorganizationid) if user else None
        agent = self.replier_for(ticket)
        return placeholders(
            rng,
            first=ticket.fullname.split(" ")[0] if ticket.fullname else "there",
            email=ticket.email,
            org=org.name if org else "our",
            agent=agent.firstname,
            agent_full=agent.fullname,
            team=STAFF_GROUP_TITLES[agent.staffgroupid],
            ticket=ticket.displayid,
            host=org.domain if org else "harbourline-client.example",
            item_id=ticket.id,
            created=ticket.creationtime,
        )

    def posts(self, ticket: Ticket) -> list[Post]:
        if not ticket.seeded:
            return []
        rng = self._rng(ticket, "posts")
        topic = TOPICS[ticket.topic]
        ph = self._placeholders(ticket, rng)
        times = spread(ticket.creationtime, ticket.lastactivity, ticket.n_posts)
        agent = self.replier_for(ticket)
        resolved = bool(ticket.isresolved)
        opening = ticket.variant % len(topic.openings)
        start = self.desk.post_ids.base_of(ticket.id)
        n_att = ticket.n_attachments
        user = self.desk.users.get(ticket.userid)
        posts: list[Post] = []
        staff_posts_seen = 0
        for index, dateline in enumerate(times):
            is_staff = self.post_is_staff(ticket, index)
            last = index == len(times) - 1
            if is_staff:
                staff_posts_seen += 1
                private = 0
                if last and resolved and staff_posts_seen > 1:
                    text = rng.choice(topic.resolutions)
                elif staff_posts_seen == 1:
                    text = topic.replies[opening % len(topic.replies)]
                    if last and resolved:
                        text += CLOSING_LINE
                elif rng.random() < 0.6:
                    text = rng.choice(topic.replies + GENERIC_REPLIES[:1])
                else:
                    text = rng.choice(GENERIC_REPLIES)
                if not last and rng.random() < 0.14:
                    private = 1
                    text = rng.choice(topic.privates + GENERIC_PRIVATES)
                    body = text.format_map(ph)
                else:
                    body = (text + SIGNATURE).format_map(ph)
                html = 1 if rng.random() < 0.3 else 0
                if html:
                    body = text_to_html(body)
                posts.append(
                    Post(
                        id=start + index,
                        ticketid=ticket.id,
                        dateline=dateline,
                        userid=0,
                        fullname=agent.fullname,
                        email=agent.email,
                        emailto="",
                        ipaddress="",
                        hasattachments=0,
                        creator=CREATOR_STAFF,
                        isthirdparty=0,
                        ishtml=html,
                        isemailed=0 if private else 1,
                        staffid=agent.id,
                        issurveycomment=0,
                        contents=body,
                        isprivate=private,
                    )
                )
                continue
            if index == 0 or (index == 1 and ticket.first_by_staff):
                text = topic.openings[opening]
            elif rng.random() < 0.6:
                text = rng.choice(topic.followups)
            else:
                text = rng.choice(GENERIC_FOLLOWUPS)
            body = text.format_map(ph)
            if index == 0 and ticket.hostile >= 0:
                body = HOSTILE[ticket.hostile].body
            fullname, email = ticket.fullname, ticket.email
            creator, userid = CREATOR_USER, ticket.userid
            if index > 1 and rng.random() < 0.06 and user is not None:
                # A colleague on CC answers instead of the requester.
                colleague = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                domain = email.split("@")[-1]
                fullname = colleague
                email = colleague.lower().replace(" ", ".").replace("'", "") + "@" + domain
                creator, userid = CREATOR_CC, 0
            html = ticket.html_customer
            if ticket.hostile >= 0 and index == 0:
                html = 1 if HOSTILE[ticket.hostile].html else 0
            elif html:
                body = text_to_html(body)
            posts.append(
                Post(
                    id=start + index,
                    ticketid=ticket.id,
                    dateline=dateline,
                    userid=userid,
                    fullname=fullname,
                    email=email,
                    emailto="",
                    ipaddress=ticket.ipaddress if index == 0 else "",
                    hasattachments=1 if index == 0 and n_att else 0,
                    creator=creator,
                    isthirdparty=0,
                    ishtml=html,
                    isemailed=1 if ticket.creationmode == MODE_EMAIL else 0,
                    staffid=0,
                    issurveycomment=0,
                    contents=body,
                    isprivate=0,
                )
            )
        return posts

    def notes(self, ticket: Ticket) -> list[TicketNote]:
        if not ticket.n_notes or not ticket.seeded:
            return []
        rng = self._rng(ticket, "notes")
        topic = TOPICS[ticket.topic]
        ph = self._placeholders(ticket, rng)
        start = self.desk.note_ids.base_of(ticket.id)
        span = max(ticket.lastactivity - ticket.creationtime, 1)
        datelines = sorted(ticket.creationtime + rng.randrange(span) for _ in range(ticket.n_notes))
        notes = []
        for index, dateline in enumerate(datelines):
            author = self.replier_for(ticket) if rng.random() < 0.7 else rng.choice(ENABLED_STAFF)
            for_staff = 0
            if rng.random() < 0.25:
                for_staff = rng.choice(DEPARTMENT_STAFF.get(ticket.departmentid, (1,)))
            text = rng.choice(topic.notes + GENERIC_NOTES).format_map(ph)
            notes.append(
                TicketNote(
                    id=start + index,
                    ticketid=ticket.id,
                    notecolor=rng.choice((1, 1, 2, 3, 4, 5)),
                    staffid=author.id,
                    forstaffid=for_staff,
                    staffname=author.fullname,
                    dateline=dateline,
                    text=text,
                )
            )
        return notes

    def timetracks(self, ticket: Ticket) -> list[TimeTrack]:
        if not ticket.n_timetracks or not ticket.seeded:
            return []
        rng = self._rng(ticket, "timetracks")
        topic = TOPICS[ticket.topic]
        start = self.desk.timetrack_ids.base_of(ticket.id)
        span = max(ticket.lastactivity - ticket.creationtime, 1)
        tracks = []
        for index in range(ticket.n_timetracks):
            worker = self.replier_for(ticket) if rng.random() < 0.8 else rng.choice(ENABLED_STAFF)
            creator = worker if rng.random() < 0.85 else STAFF_BY_ID[1]
            moment = ticket.creationtime + rng.randrange(span)
            workdate = moment - moment % DAY
            spent = rng.randrange(1, 25) * 300
            billable = rng.choice((spent, spent, spent // 2, 0))
            tracks.append(
                TimeTrack(
                    id=start + index,
                    ticketid=ticket.id,
                    timespent=spent,
                    timebillable=billable,
                    billdate=workdate + rng.choice((0, 0, DAY)),
                    workdate=workdate,
                    workerstaffid=worker.id,
                    workerstaffname=worker.fullname,
                    creatorstaffid=creator.id,
                    creatorstaffname=creator.fullname,
                    notecolor=rng.choice((1, 1, 3, 4)),
                    text=rng.choice(topic.work),
                    dateline=moment,
                )
            )
        tracks.sort(key=lambda track: (track.dateline, track.id))
        return tracks

    def attachments(self, ticket: Ticket) -> list[Attachment]:
        if not ticket.n_attachments or not ticket.seeded:
            return []
        rng = self._rng(ticket, "attachments")
        start = self.desk.attachment_ids.base_of(ticket.id)
        post_id = self.desk.post_ids.base_of(ticket.id)
        result = []
        for index in range(ticket.n_attachments):
            if ticket.hostile >= 0 and HOSTILE[ticket.hostile].attachment and index == 0:
                name, ftype = HOSTILE[ticket.hostile].attachment, "application/octet-stream"
                data = FAKE_EXECUTABLE
            else:
                name, ftype, data = sample_attachment(
                    rng, item_id=ticket.id, reference=ticket.displayid, created=ticket.creationtime
                )
            result.append(
                Attachment(
                    id=start + index,
                    ticketid=ticket.id,
                    postid=post_id,
                    filename=name,
                    filetype=ftype,
                    dateline=ticket.creationtime,
                    data=data,
                )
            )
        return result

    def custom_values(self, ticket: Ticket) -> dict[int, CustomValue]:
        values: dict[int, CustomValue] = {}
        if not ticket.seeded:
            return values
        rng = self._rng(ticket, "customfields")
        for group in self.desk.cf_groups.values():
            if ticket.departmentid not in group.departmentids:
                continue
            for cf in group.fields:
                if rng.random() > 0.6 and not cf.isrequired:
                    continue
                value = self._random_value(cf, ticket, rng)
                if value is not None:
                    values[cf.id] = value
        return values

    def _random_value(
        self, cf: CustomField, ticket: Ticket, rng: random.Random
    ) -> CustomValue | None:
        top = [o for o in cf.options if not o.parentid]
        if cf.fieldtype in (CF_SELECT, CF_RADIO):
            return rng.choice(top).id if top else None
        if cf.fieldtype in (CF_MULTISELECT, CF_CHECKBOX):
            chosen = rng.sample(top, k=min(len(top), rng.randrange(1, 3)))
            return sorted(o.id for o in chosen)
        if cf.fieldtype == CF_LINKEDSELECT:
            parent = rng.choice(top)
            children = [o for o in cf.options if o.parentid == parent.id]
            return (parent.id, rng.choice(children).id) if children else None
        if cf.fieldtype == CF_DATE:
            moment = ticket.creationtime + rng.randrange(1, 21) * DAY
            return time.strftime("%m/%d/%Y", time.gmtime(moment))
        samples = CF_TEXT_SAMPLES.get(cf.title)
        if samples is None:
            return None
        return rng.choice(samples).format(n=rng.randrange(1000, 99999), id=ticket.id)
