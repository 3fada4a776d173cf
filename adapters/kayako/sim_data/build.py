"""Building the simulated Kayako desk for a seed: custom fields, customers, tickets.

The ticket rows are drawn eagerly from one ``random.Random`` per desk, in a fixed order
(custom fields, customers, tickets), so a seed and a ``now`` always give the same desk,
byte for byte. Topics, customers and hostile samples come from the shared world
(:mod:`adapters.simdata`); this module decides how they become Kayako tickets: which
department a topic's role lands in, which status a ticket of that age has, how long its
conversation is, who owns it.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable

from adapters.kayako.sim_data.config import (
    DEPARTMENT_STAFF,
    ENABLED_STAFF,
    REPLY_HOURS,
    RESOLVE_HOURS,
    S_AWAITPAY,
    S_CLOSED,
    S_ESCALATED,
    S_INPROGRESS,
    S_NEW,
    S_ONHOLD,
    S_OPEN,
    S_REFUNDED,
    S_RESOLVED,
    S_WAITING,
    SEGMENT_USER_GROUPS,
    T_BILLING,
    T_CASE,
    TICKET_DEPARTMENTS,
    TOPIC_DEPARTMENTS,
    TOPIC_TYPES,
)
from adapters.kayako.sim_data.desk import KayakoDesk
from adapters.kayako.sim_data.records import (
    CF_CHECKBOX,
    CF_DATE,
    CF_LINKEDSELECT,
    CF_MULTISELECT,
    CF_RADIO,
    CF_SELECT,
    CF_TEXT,
    CF_TEXTAREA,
    CREATOR_STAFF,
    CREATOR_USER,
    GROUP_STAFFTICKET,
    GROUP_STAFFUSERTICKET,
    MODE_API,
    MODE_EMAIL,
    MODE_SITEBADGE,
    MODE_STAFFCP,
    MODE_SUPPORTCENTER,
    TYPE_DEFAULT,
    TYPE_PHONE,
    CustomField,
    CustomFieldGroup,
    CustomFieldOption,
    Organization,
    Ticket,
    TicketStatus,
    User,
    UserNote,
)
from adapters.simdata.conversation import TAGS_POOL, VERSIONS
from adapters.simdata.draw import Weighted, pick, sample
from adapters.simdata.hostile import HOSTILE
from adapters.simdata.people import CUSTOMER_NOTES, FIRST_NAMES, LAST_NAMES, Clientele
from adapters.simdata.timeline import DAY, HOUR, creation_times, current_hour
from adapters.simdata.topics import TOPIC_WEIGHTS, TOPICS


def generate_desk(
    tickets: int = 400, seed: int = 1, now: int | None = None, *, clientele: int = 0
) -> KayakoDesk:
    """Build the desk for ``seed`` with ``tickets`` tickets ending at ``now`` (epoch
    seconds; default: the current hour, so the demo's history is "the last 90 days").

    ``clientele`` picks the customers the desk serves (:class:`~adapters.simdata.people.
    Clientele`): 0 is the canonical set; another value gives a desk of other
    organisations and people, for a demo with several desks.
    """
    if tickets < 0:
        raise ValueError("tickets must be >= 0")
    if now is None:
        now = current_hour()
    desk = KayakoDesk(seed=seed, now=now)
    rng = random.Random(f"kayako:{seed}:desk")
    _build_custom_fields(desk, rng)
    _build_people(desk, rng, tickets, Clientele(clientele))
    _build_tickets(desk, rng, tickets)
    return desk


def _field_name(rng: random.Random) -> str:
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(12))


def _build_custom_fields(desk: KayakoDesk, rng: random.Random) -> None:
    option_id = 1

    def add_field(
        group: CustomFieldGroup,
        fid: int,
        ftype: int,
        title: str,
        options: Iterable[str | tuple[str, Iterable[str]]] = (),
        **extra: str | int,
    ) -> None:
        nonlocal option_id
        cf = CustomField(
            id=fid,
            groupid=group.id,
            fieldtype=ftype,
            name=_field_name(rng),
            title=title,
            displayorder=len(group.fields) + 1,
        )
        for key, value in extra.items():
            setattr(cf, key, value)
        order = 1
        for option in options:
            label, children = (option, ()) if isinstance(option, str) else option
            parent = CustomFieldOption(option_id, fid, label, order)
            cf.options.append(parent)
            option_id += 1
            order += 1
            for child_order, child in enumerate(children, start=1):
                cf.options.append(
                    CustomFieldOption(option_id, fid, child, child_order, parentid=parent.id)
                )
                option_id += 1
        group.fields.append(cf)
        desk.cf_fields[fid] = cf
        for opt in cf.options:
            desk.cf_options[opt.id] = opt

    env = CustomFieldGroup(1, "Environment", GROUP_STAFFUSERTICKET, 1, (1, 2, 5))
    esc = CustomFieldGroup(2, "Escalation", GROUP_STAFFTICKET, 2, (1, 2, 3, 5))
    bill = CustomFieldGroup(3, "Billing details", GROUP_STAFFTICKET, 3, (3,))
    for group in (env, esc, bill):
        desk.cf_groups[group.id] = group
    add_field(
        env,
        1,
        CF_SELECT,
        "Product",
        (
            "Harbourline Portal",
            "Harbourline Mobile",
            "Harbourline API",
            "Managed Workstation",
            "Managed Network",
        ),
    )
    add_field(
        env,
        2,
        CF_TEXT,
        "Version",
        regexpvalidate=r"^\d+\.\d+(\.\d+)?(-[a-z0-9]+)?$",
        description="Product version, e.g. 5.3.2",
    )
    add_field(env, 3, CF_RADIO, "Operating system", ("Windows", "macOS", "Linux", "iOS", "Android"))
    add_field(
        env,
        4,
        CF_MULTISELECT,
        "Affected areas",
        ("Login", "Email", "Files", "Printing", "Reporting", "Billing, invoices"),
    )
    add_field(env, 5, CF_TEXTAREA, "Steps to reproduce")
    add_field(
        esc,
        6,
        CF_RADIO,
        "Customer impact",
        ("Single user", "Team", "Whole site", "All customers"),
        usereditable=0,
    )
    add_field(
        esc,
        7,
        CF_CHECKBOX,
        "Flags",
        ("Security", "Data loss", "VIP", "Needs vendor"),
        usereditable=0,
    )
    add_field(esc, 8, CF_TEXT, "Vendor case number", usereditable=0)
    add_field(esc, 9, CF_DATE, "Follow-up date", usereditable=0)
    add_field(bill, 10, CF_TEXT, "Invoice number", regexpvalidate=r"^INV-\d{6}$", isrequired=1)
    add_field(
        bill,
        11,
        CF_LINKEDSELECT,
        "Plan",
        (
            ("Essentials", ("Monthly", "Annual")),
            ("Business", ("Monthly", "Annual")),
            ("Enterprise", ("Annual", "Three-year")),
        ),
    )
    add_field(bill, 12, CF_TEXT, "Refund amount", regexpvalidate=r"^\d+(\.\d{2})?$")


def _build_people(desk: KayakoDesk, rng: random.Random, tickets: int, clientele: Clientele) -> None:
    """The desk's organisations and users (about one user per four tickets), and the
    notes agents keep on a few of them."""
    n_users = min(max(60, tickets // 4), 25_000)
    n_orgs = min(12 + n_users // 12, 90)
    draw = clientele.rng(rng, desk.seed)
    orgs, people = clientele.build(draw, organisations=n_orgs, people=n_users, now=desk.now)
    for org in orgs:
        desk.organizations[org.id] = Organization(
            id=org.id,
            name=org.name,
            organizationtype=org.sharing,
            address=org.address,
            city=org.city,
            state=org.state,
            postalcode=org.postcode,
            country=org.country,
            phone=org.phone,
            fax="",
            website=org.website,
            dateline=org.created,
            lastupdate=org.updated,
            slaplanid=org.plan,
            domain=org.domain,
        )
    for person in people:
        desk.users[person.id] = User(
            id=person.id,
            usergroupid=SEGMENT_USER_GROUPS[person.segment],
            userrole="manager" if person.is_manager else "user",
            userorganizationid=person.org_id,
            salutation=person.salutation,
            fullname=person.fullname,
            emails=person.emails,
            designation=person.designation,
            phone=person.phone,
            dateline=person.created,
            lastvisit=person.last_seen,
            isenabled=1 if person.enabled else 0,
            timezone=person.timezone,
            slaplanid=person.plan,
        )
    note_id = 1
    for user in desk.users.values():
        if draw.random() < 0.04:
            author = draw.choice(ENABLED_STAFF)
            desk.user_notes.append(
                UserNote(
                    note_id,
                    "user",
                    user.id,
                    author.id,
                    author.fullname,
                    draw.choice((1, 2, 5)),
                    user.dateline + DAY,
                    draw.choice(CUSTOMER_NOTES),
                )
            )
            note_id += 1
    for organization in desk.organizations.values():
        if draw.random() < 0.15:
            author = draw.choice(ENABLED_STAFF)
            desk.user_notes.append(
                UserNote(
                    note_id,
                    "userorganization",
                    organization.id,
                    author.id,
                    author.fullname,
                    draw.choice((1, 3, 4)),
                    organization.dateline + DAY,
                    draw.choice(CUSTOMER_NOTES[2:]),
                )
            )
            note_id += 1


_N_POSTS = Weighted((2, 3, 4, 5, 6, 7, 8), (25, 25, 20, 12, 8, 5, 5))
_PRIORITY = Weighted(range(1, 7), (20, 40, 22, 10, 4, 4))
_MODES = Weighted(
    (MODE_EMAIL, MODE_SUPPORTCENTER, MODE_STAFFCP, MODE_API, MODE_SITEBADGE), (60, 20, 8, 7, 5)
)
_TOPIC = Weighted(range(len(TOPICS)), TOPIC_WEIGHTS)
_N_TAGS = Weighted((0, 1, 2, 3), (35, 35, 20, 10))
_N_NOTES = Weighted((0, 1, 2, 3), (62, 26, 9, 3))
_N_TIMETRACKS = Weighted((0, 1, 2, 3), (72, 18, 7, 3))
_N_ATTACHMENTS = Weighted((0, 1, 2), (93, 6, 1))
_FLAG = Weighted(range(7), (85, 3, 3, 3, 2, 2, 2))
_STAFF_IDS = tuple(s.id for s in ENABLED_STAFF)
_IP_PREFIXES = (81, 86, 92, 104, 151, 176, 185, 194, 203, 212)
_RESOLVED_STATUS = (S_CLOSED, S_CLOSED, S_CLOSED, S_RESOLVED, S_RESOLVED)
_OPEN_STATUS = {
    (dept, fresh): Weighted(
        (S_NEW, S_OPEN, S_INPROGRESS, S_WAITING, S_ONHOLD)
        + ((S_AWAITPAY,) if dept == 3 else ())
        + ((S_ESCALATED,) if dept == 2 else ()),
        (18 if fresh else 3, 25, 20, 18, 8)
        + ((12,) if dept == 3 else ())
        + ((10,) if dept == 2 else ()),
    )
    for dept in TICKET_DEPARTMENTS
    for fresh in (True, False)
}


def _choose_status(rng: random.Random, dept: int, age_days: float) -> int:
    if rng.random() < min(0.9, 0.08 + age_days / 45):
        if dept == 3 and rng.random() < 0.15:
            return S_REFUNDED
        return pick(rng, _RESOLVED_STATUS)
    return _OPEN_STATUS[dept, age_days < 5].pick(rng)


def _build_tickets(desk: KayakoDesk, rng: random.Random, count: int) -> None:
    now = desk.now
    created = creation_times(rng, count, now)
    rand = rng.random
    hostile_at = {count - 1 - (k * 7 + 3): k for k in range(len(HOSTILE)) if count > k * 7 + 3}
    users = desk.users
    n_users = len(users)
    tag_strings: dict[tuple[str, ...], str] = {}
    for index, creation in enumerate(created):
        tid = index + 1
        topic_index = _TOPIC.pick(rng)
        topic = TOPICS[topic_index]
        dept = pick(rng, TOPIC_DEPARTMENTS[topic_index])
        age_days = (now - creation) / DAY
        status = _choose_status(rng, dept, age_days)
        hostile = hostile_at.get(index, -1)
        if hostile >= 0:
            status = pick(rng, (S_OPEN, S_NEW, S_INPROGRESS))
            dept = 1 if dept == 3 else dept
        resolved = desk.statuses[status].markasresolved
        priority = _PRIORITY.pick(rng)
        typeid = pick(rng, TOPIC_TYPES[topic_index])
        if typeid == T_BILLING and dept != 3:
            typeid = T_CASE
        user = users[1 + int(n_users * rand() ** 1.6) % n_users]
        mode = _MODES.pick(rng)
        staff_created = mode == MODE_STAFFCP
        creationtype = TYPE_PHONE if staff_created and rand() < 0.5 else TYPE_DEFAULT
        first_by_staff = 1 if staff_created else 0
        # How the conversation ends decides how many posts it has.
        if status == S_NEW or hostile >= 0:
            n_posts, first_by_staff = 1, 0
        else:
            n_posts = _N_POSTS.pick(rng)
            want_staff_last = status in (S_WAITING, S_RESOLVED, S_CLOSED, S_REFUNDED, S_AWAITPAY)
            last_is_staff = (n_posts - 1 + first_by_staff) % 2 == 1
            if (want_staff_last and not last_is_staff) or (status == S_OPEN and last_is_staff):
                n_posts += 1
        if n_posts == 1:
            last = creation
        else:
            longest = max(min(now - creation, (14 if resolved else 30) * DAY), 60)
            last = min(now, creation + max(600, int(longest * rand() ** 1.5)))
        span = last - creation
        step = n_posts - 1 or 1
        staff_index = n_posts - 1 if (n_posts - 1 + first_by_staff) % 2 == 1 else n_posts - 2
        user_index = n_posts - 1 if staff_index != n_posts - 1 else n_posts - 2
        last_is_staff = staff_index == n_posts - 1 and n_posts > 1
        laststaff = creation + span * staff_index // step if staff_index >= 0 else 0
        lastuser = creation + span * user_index // step if user_index >= 0 else 0
        unassigned = rand() < (0.7 if status == S_NEW else 0.15)
        pool = DEPARTMENT_STAFF[dept]
        owner = 0 if unassigned else pick(rng, pool)
        fullname = user.fullname
        emails = user.emails
        email = emails[-1] if len(emails) > 1 and rand() < 0.3 else emails[0]
        variant = int(rand() * len(topic.subjects))
        subject = topic.subjects[variant]
        if "{" in subject:
            subject = subject.format(
                version=pick(rng, VERSIONS),
                month=time.strftime("%B", time.gmtime(creation - 20 * DAY)),
                invoice=f"INV-{100000 + tid * 7 % 900000:06d}",
                person=f"{pick(rng, FIRST_NAMES)} {pick(rng, LAST_NAMES)}",
            )
        if hostile >= 0:
            subject = HOSTILE[hostile].subject
            fullname = HOSTILE[hostile].fullname or fullname
        replier_id = owner or pool[tid % len(pool)]
        lastreplier = desk.staff[replier_id].fullname if last_is_staff else fullname
        if resolved:
            duetime = resolutiondue = 0
        else:
            duetime = 0 if last_is_staff else last + REPLY_HOURS[priority] * HOUR
            resolutiondue = creation + RESOLVE_HOURS[priority] * HOUR
        overdue = not resolved and 0 < resolutiondue < now
        escalated = 1 if overdue and priority >= 3 and rand() < 0.5 else 0
        n_tags = _N_TAGS.pick(rng)
        tag_key = tuple(sample(rng, topic.tags + TAGS_POOL, n_tags)) if n_tags else ()
        tags = tag_strings.setdefault(tag_key, " ".join(tag_key))
        n_notes = _N_NOTES.pick(rng)
        n_timetracks = _N_TIMETRACKS.pick(rng)
        n_attachments = _N_ATTACHMENTS.pick(rng)
        if hostile >= 0 and HOSTILE[hostile].attachment:
            n_attachments = 1
        watchers: tuple[int, ...] = ()
        if rand() < 0.06:
            watchers = tuple(sorted(sample(rng, _STAFF_IDS, 1 + int(rand() * 2))))
        workflows: tuple[int, ...] = ()
        if rand() < 0.08:
            workflows = tuple(sorted(sample(rng, (1, 2, 3, 4), 1 + int(rand() * 2))))
        if mode == MODE_EMAIL:
            ipaddress = ""
        else:
            octets = int(rand() * 16_777_216)
            ipaddress = (
                f"{pick(rng, _IP_PREFIXES)}.{octets >> 16}.{(octets >> 8) & 255}."
                f"{(octets & 255) or 1}"
            )
        ticket = Ticket(
            id=tid,
            displayid=desk._new_mask(rng),
            departmentid=dept,
            statusid=status,
            priorityid=priority,
            typeid=typeid,
            userid=user.id,
            ownerstaffid=owner,
            fullname=fullname,
            email=email,
            subject=subject,
            creationtime=creation,
            lastactivity=last,
            laststaffreply=laststaff,
            lastuserreply=lastuser,
            lastreplier=lastreplier,
            slaplanid=pick(rng, (0, 0, 1, 1, 2)),
            duetime=duetime,
            resolutiondue=resolutiondue,
            replies=n_posts - 1,
            ipaddress=ipaddress,
            creator=CREATOR_STAFF if staff_created else CREATOR_USER,
            creationmode=mode,
            creationtype=creationtype,
            isescalated=escalated,
            escalationruleid=(1 + int(rand() * 2)) if escalated else 0,
            templategroupid=2 if user.usergroupid == 3 else 1,
            tags=tags,
            flagtype=_FLAG.pick(rng),
            hasattachments=1 if n_attachments else 0,
            hasnotes=1 if n_notes else 0,
            isresolved=resolved,
            resolutiondateline=last if resolved else 0,
            watchers=watchers,
            workflows=workflows,
            topic=topic_index,
            n_posts=n_posts,
            first_by_staff=first_by_staff,
            n_notes=n_notes,
            n_timetracks=n_timetracks,
            n_attachments=n_attachments,
            html_customer=1 if rand() < 0.15 else 0,
            hostile=hostile,
            variant=variant,
        )
        desk.post_ids.reserve(tid, n_posts)
        desk.note_ids.reserve(tid, n_notes)
        desk.timetrack_ids.reserve(tid, n_timetracks)
        desk.attachment_ids.reserve(tid, n_attachments)
        desk.tickets[tid] = ticket
        desk._by_mask[ticket.displayid] = tid
    desk.next_ticket_id = count + 1
    _ensure_every_status(desk)


def _ensure_every_status(desk: KayakoDesk) -> None:
    """Give each status at least one ticket (small desks may not draw them all).

    A donor ticket comes from a status that has tickets to spare, in the status's
    department (or one its topic may move to); its resolution fields follow the change.
    """
    counts: dict[int, int] = {}
    for ticket in desk.tickets.values():
        counts[ticket.statusid] = counts.get(ticket.statusid, 0) + 1
    for status in desk.statuses.values():
        if counts.get(status.id) or status.id == S_NEW:
            continue

        def fits(ticket: Ticket, status: TicketStatus = status) -> bool:
            if ticket.hostile >= 0 or ticket.statusid == S_NEW or counts[ticket.statusid] < 2:
                return False
            return not status.departmentid or status.departmentid in (
                ticket.departmentid,
                *TOPIC_DEPARTMENTS[ticket.topic],
            )

        candidates = [t for t in desk.tickets.values() if fits(t)]
        if not candidates:
            continue
        donor = min(
            candidates,
            key=lambda t: (
                t.departmentid != (status.departmentid or t.departmentid),
                desk.statuses[t.statusid].markasresolved != status.markasresolved,
                t.id,
            ),
        )
        counts[donor.statusid] -= 1
        counts[status.id] = 1
        if status.departmentid:
            donor.departmentid = status.departmentid
        _restatus(desk, donor, status)


def _restatus(desk: KayakoDesk, ticket: Ticket, status: TicketStatus) -> None:
    ticket.statusid = status.id
    if status.markasresolved:
        ticket.isresolved, ticket.resolutiondateline = 1, ticket.lastactivity
        ticket.duetime = ticket.resolutiondue = 0
        return
    last_is_staff = (ticket.n_posts - 1 + ticket.first_by_staff) % 2 == 1 and ticket.n_posts > 1
    ticket.isresolved = ticket.resolutiondateline = 0
    ticket.duetime = (
        0 if last_is_staff else ticket.lastactivity + REPLY_HOURS[ticket.priorityid] * HOUR
    )
    ticket.resolutiondue = ticket.creationtime + RESOLVE_HOURS[ticket.priorityid] * HOUR
