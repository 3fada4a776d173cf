"""Building the simulated InvGate instance for a seed: configuration, people, requests.

The configuration (help desks with levels, categories, custom fields, views) is fixed;
customers come from the shared world (:mod:`adapters.simdata`, a clientele of their own)
and requests are drawn from one ``random.Random`` per desk in a fixed order, so a seed and
a ``now`` always give the same desk. Which help desk and category a topic lands in, which
type a kind becomes and which status a request of that age has is decided here.
"""

from __future__ import annotations

import hashlib
import random
import time

from adapters.invgate.sim_data.desk import Children, InvGateDesk, View
from adapters.invgate.sim_data.records import (
    ACTIVE,
    CF_CHECKBOX,
    CF_DATE,
    CF_LIST,
    CF_NUMBER,
    CF_TEXT,
    CF_TEXTAREA,
    CF_TREE,
    CLOSED_ACCEPTED,
    CLOSED_TIMEOUT,
    S_CANCELLED,
    S_CLOSED,
    S_NEW,
    S_OPEN,
    S_PENDING,
    S_REJECTED,
    S_SOLVED,
    S_WAITING,
    WAIT_AGENT,
    WAIT_CUSTOMER,
    Attachment,
    Category,
    Comment,
    CustomFieldDef,
    HelpDesk,
    Request,
    TimeEntry,
    TreeOption,
    User,
)
from adapters.simdata import HOSTILE, TOPIC_WEIGHTS, TOPICS, Clientele, Weighted, pick, seeded
from adapters.simdata.attachments import sample_attachment
from adapters.simdata.conversation import (
    CLOSING_LINE,
    GENERIC_FOLLOWUPS,
    GENERIC_PRIVATES,
    GENERIC_REPLIES,
    SIGNATURE,
    placeholders,
)
from adapters.simdata.lazy import LazyChildren
from adapters.simdata.markup import text_to_html
from adapters.simdata.timeline import DAY, HOUR, creation_times, current_hour, spread

API_USER_ID = 1
API_USERNAME = "api-user"
CUSTOMER_BASE_ID = 100
PRETTY_PREFIX = "HL-#"

AGENTS = (
    ("Ines", "Carvalho", "Service desk lead"),
    ("Tom", "Hargreaves", "Agent"),
    ("Elena", "Petrova", "Agent"),
    ("Marcus", "Bell", "Agent"),
    ("Aoife", "Gallagher", "Agent"),
    ("Samir", "Haddad", "Network engineer"),
    ("Yusuf", "Demir", "Systems engineer"),
    ("Luis", "Moreno", "Systems engineer"),
    ("Beatriz", "Costa", "Billing specialist"),
    ("Chloe", "Martin", "Billing specialist"),
    ("Nadia", "Karim", "Security analyst"),
    ("Felix", "Brandt", "Security analyst"),
)
# Help desks and their levels: (id, name, parent, level order, member agent ids)
HELPDESKS = (
    (1, "Service Desk", None, None, (2, 3, 4, 5, 6)),
    (11, "First line", 1, 1, (3, 4, 5, 6)),
    (12, "Second line", 1, 2, (2, 3)),
    (2, "Infrastructure", None, None, (7, 8, 9)),
    (21, "Network", 2, 1, (7, 8)),
    (22, "Servers", 2, 2, (8, 9)),
    (3, "Billing & Accounts", None, None, (10, 11)),
    (31, "Accounts", 3, 1, (10, 11)),
    (4, "Security", None, None, (12, 13)),
    (41, "Triage", 4, 1, (12, 13)),
    (42, "Incident response", 4, 2, (13,)),
)
CATEGORIES = (
    (1, "Access", None),
    (11, "Passwords & MFA", 1),
    (12, "Single sign-on", 1),
    (2, "Hardware", None),
    (21, "Laptops", 2),
    (22, "Printers & peripherals", 2),
    (3, "Network & connectivity", None),
    (31, "VPN", 3),
    (32, "Wi-Fi", 3),
    (4, "Billing", None),
    (41, "Invoices", 4),
    (42, "Licences", 4),
    (5, "Security", None),
    (51, "Phishing", 5),
    (52, "Data protection", 5),
    (6, "General", None),
    (61, "Onboarding", 6),
    (62, "Feedback", 6),
)
# Topic role -> (help desk, root category)
ROLE_PLACES = {
    "general": (1, 6),
    "access": (1, 1),
    "hardware": (2, 2),
    "request": (1, 6),
    "feedback": (1, 6),
    "privacy": (4, 5),
    "technical": (2, 3),
    "incident": (2, 3),
    "security": (4, 5),
    "billing": (3, 4),
    "infrastructure": (2, 3),
}
KIND_TYPES = {"incident": 1, "bug": 4, "request": 2, "case": 3, "feedback": 3, "billing": 2}
STATUS_WEIGHTS = Weighted(
    (S_NEW, S_OPEN, S_PENDING, S_WAITING, S_SOLVED, S_CLOSED, S_REJECTED, S_CANCELLED),
    (10, 25, 10, 12, 13, 22, 3, 5),
)
TEXT_SAMPLES = ("SUP-20431", "VND-88120", "PO 4471-B", "Case 00918273", "ext. ref 7731")
TIME_CATEGORIES = (
    (1, None, "Remote support", 60.0),
    (2, None, "On-site", 95.0),
    (3, 1, "Admin", 40.0),
)


def generate_desk(
    tickets: int = 400, seed: int = 1, now: int | None = None, *, clientele: int = 4
) -> InvGateDesk:
    """A desk of ``tickets`` requests for ``seed``, its history ending at ``now``.

    ``clientele`` picks the customer organisations (4: this desk's own, so a multi-desk
    demo reads like several customers' queues).
    """
    desk = InvGateDesk(seed=seed, now=now if now is not None else current_hour())
    rng = random.Random(f"invgate:{seed}")
    _configure(desk)
    _build_people(desk, rng, tickets, Clientele(clientele))
    _build_requests(desk, rng, tickets)
    desk.children = LazyChildren(lambda request: _children(desk, request))
    desk.describe = lambda request: _describe(desk, request)
    return desk


# --------------------------------------------------------------------------------------
# Configuration
# --------------------------------------------------------------------------------------


def _hash(*parts: object) -> str:
    return hashlib.sha1(":".join(map(str, parts)).encode()).hexdigest()[:16]


def _configure(desk: InvGateDesk) -> None:
    desk.categories = [Category(i, name, parent) for i, name, parent in CATEGORIES]
    desk.helpdesks = [
        HelpDesk(i, name, parent, list(members), order)
        for i, name, parent, order, members in HELPDESKS
    ]
    sites = [
        TreeOption(_hash("site", "uk"), "uk", "United Kingdom", [
            TreeOption(_hash("site", "bristol"), "bristol", "Bristol"),
            TreeOption(_hash("site", "leeds"), "leeds", "Leeds"),
        ]),
        TreeOption(_hash("site", "ie"), "ie", "Ireland", [
            TreeOption(_hash("site", "dublin"), "dublin", "Dublin"),
        ]),
        TreeOption(_hash("site", "nl"), "nl", "Netherlands", [
            TreeOption(_hash("site", "amsterdam"), "amsterdam", "Amsterdam"),
        ]),
    ]  # fmt: skip
    desk.custom_fields = [
        CustomFieldDef(1, "External reference", CF_TEXT, "The customer's own reference", []),
        CustomFieldDef(2, "Affected users", CF_NUMBER, "How many people are affected", []),
        CustomFieldDef(
            3,
            "Impact",
            CF_LIST,
            "Business impact",
            [],
            options={"low": "Low", "medium": "Medium", "high": "High", "extensive": "Extensive"},
        ),
        CustomFieldDef(4, "Site", CF_TREE, "Where the problem is", [2, 3], tree=sites),
        CustomFieldDef(5, "VIP customer", CF_CHECKBOX, "Handle with priority", []),
        CustomFieldDef(6, "Follow-up date", CF_DATE, "When to check back", []),
        CustomFieldDef(7, "Steps already tried", CF_TEXTAREA, "What the customer tried", [1, 2, 3]),
        CustomFieldDef(8, "Invoice number", CF_TEXT, "The invoice in question", [4]),
    ]
    desk.views = [
        View(1, "All open requests", lambda r: r.status_id in ACTIVE),
        View(2, "Unassigned", lambda r: r.status_id in ACTIVE and r.assigned_id is None),
        View(3, "Urgent and critical", lambda r: r.status_id in ACTIVE and r.priority_id >= 4),
        View(4, "Everything", lambda r: True),
    ]
    desk.time_categories = list(TIME_CATEGORIES)
    desk.external_entities = {1: "Hardware vendor support", 2: "Telecom provider"}
    desk.users[API_USER_ID] = User(
        API_USER_ID, "API", "Integration", API_USERNAME, "api@harbourline.example", 1, "API"
    )
    for index, (first, last, role) in enumerate(AGENTS, start=2):
        username = f"{first}.{last}".lower()
        desk.users[index] = User(
            index, first, last, username, f"{username}@harbourline.example", 1, role
        )


def _build_people(
    desk: InvGateDesk, rng: random.Random, tickets: int, clientele: Clientele
) -> None:
    people_count = max(20, min(2000, tickets // 3))
    draw = clientele.rng(rng, desk.seed)
    _, people = clientele.build(
        draw, organisations=max(5, people_count // 8), people=people_count, now=desk.now
    )
    for person in people:
        uid = CUSTOMER_BASE_ID + person.id
        desk.users[uid] = User(
            uid,
            person.first,
            person.last,
            person.emails[0].split("@")[0] + str(person.id),
            person.emails[0],
            2,
            "End user",
            phone=person.phone,
            is_disabled=not person.enabled,
            type=4,
        )


# --------------------------------------------------------------------------------------
# Requests
# --------------------------------------------------------------------------------------


def _build_requests(desk: InvGateDesk, rng: random.Random, count: int) -> None:
    topics = Weighted(range(len(TOPICS)), TOPIC_WEIGHTS)
    customers = [u.id for u in desk.users.values() if u.user_type == 2 and not u.is_disabled]
    times = creation_times(rng, count, desk.now)
    hostile_at = {count - 1 - (k * 7 + 3): k for k in range(len(HOSTILE)) if count > k * 7 + 3}
    levels = {h.id: h for h in desk.helpdesks}
    for index, created in enumerate(times):
        rid = index + 1
        topic_index = topics.pick(rng)
        topic = TOPICS[topic_index]
        role = pick(rng, topic.roles)
        helpdesk_id, root_category = ROLE_PLACES.get(role, (1, 6))
        children = [c.id for c in desk.categories if c.parent_category_id == root_category]
        category = pick(rng, children) if children and rng.random() < 0.8 else root_category
        type_id = KIND_TYPES.get(pick(rng, topic.kinds), 1)
        if rng.random() < 0.03:
            type_id = pick(rng, (5, 6))
        age_days = (desk.now - created) / DAY
        status = STATUS_WEIGHTS.pick(rng)
        if age_days < 1 and status not in ACTIVE:
            status = S_OPEN
        hostile = hostile_at.get(index, -1)
        if hostile >= 0:
            status = S_NEW
        group = helpdesk_id
        level_ids = [h.id for h in desk.helpdesks if h.parent_id == helpdesk_id]
        if level_ids and rng.random() < 0.5:
            group = pick(rng, level_ids)
        members = levels[group].members_ids
        agent = None if status == S_NEW or rng.random() < 0.1 else pick(rng, members)
        priority = pick(rng, (1, 2, 2, 2, 3, 3, 4, 5))
        last = min(desk.now, created + int(rng.random() * max(HOUR, (desk.now - created))))
        title = pick(rng, topic.subjects)
        if hostile >= 0:
            title = HOSTILE[hostile].subject
        request = Request(
            id=rid,
            title=title,
            description=None,
            category_id=category,
            priority_id=priority,
            type_id=type_id,
            status_id=status,
            source_id=pick(rng, (1, 1, 1, 2, 2, 3, 4)),
            user_id=pick(rng, customers),
            creator_id=0,
            assigned_id=agent,
            assigned_group_id=group,
            location_id=None,
            created_at=created,
            last_update=last,
            date_ocurred=created - int(rng.random() * 6 * HOUR),
            sentiment=pick(rng, ("neutral", "neutral", "positive", "negative")),
        )
        request.creator_id = request.user_id if rng.random() < 0.85 else (agent or API_USER_ID)
        if status == S_WAITING:
            request.waiting_for = pick(rng, (WAIT_CUSTOMER, WAIT_CUSTOMER, WAIT_AGENT))
        if status in (S_SOLVED, S_CLOSED):
            request.solved_at = last - (0 if status == S_SOLVED else DAY)
        if status in (S_CLOSED, S_REJECTED, S_CANCELLED):
            request.closed_at = last
        if status == S_CLOSED:
            request.closed_reason = pick(rng, (CLOSED_ACCEPTED, CLOSED_ACCEPTED, CLOSED_TIMEOUT))
            if request.closed_reason == CLOSED_ACCEPTED:
                request.rating = pick(rng, (3, 4, 5, 5, 5))
        _draw_custom_values(desk, rng, request)
        if rng.random() < 0.1:
            request.observers = [pick(rng, members)]
        desk.requests[rid] = request
        desk.stories[rid] = (topic_index, agent, status, last, hostile)
        if hostile < 0 and "{" in title:
            words = _words(desk, request, agent, seeded("invgate", desk.seed, "title", rid))
            request.title = title.format_map(words)
    desk.next_request_id = count + 1
    ids = list(desk.requests)
    for rid in ids:
        if rid > 5 and rng.random() < 0.05:
            other = desk.requests[rid - 1 - int(rng.random() * min(rid - 1, 40))]
            request = desk.requests[rid]
            if other.id not in request.links:
                request.links.append(other.id)
                other.links.append(rid)


def _draw_custom_values(desk: InvGateDesk, rng: random.Random, request: Request) -> None:
    roots = {c.id: (c.parent_category_id or c.id) for c in desk.categories}
    root = roots.get(request.category_id, request.category_id)
    for definition in desk.custom_fields:
        if definition.categories and root not in definition.categories:
            continue
        if rng.random() < 0.45:
            continue
        kind = definition.type
        value: object
        if kind == CF_TEXT:
            value = pick(rng, TEXT_SAMPLES)
        elif kind == CF_TEXTAREA:
            value = "Restarted the device.\nCleared the browser cache."
        elif kind == CF_NUMBER:
            value = 1 + int(rng.random() * 40)
        elif kind == CF_LIST:
            key = pick(rng, tuple(definition.options))
            value = {key: definition.options[key]}
        elif kind == CF_TREE:
            parent = pick(rng, tuple(definition.tree))
            leaf = pick(rng, tuple(parent.children)) if parent.children else parent
            value = {leaf.hash: leaf.name}
        elif kind == CF_CHECKBOX:
            value = rng.random() < 0.3
        else:
            value = time.strftime("%Y-%m-%d", time.gmtime(request.created_at + 7 * DAY))
        request.custom_fields[definition.uid] = value


def _describe(desk: InvGateDesk, request: Request) -> str:
    """A generated request's description: the customer's opening message (HTML for some)."""
    story = desk.stories.get(request.id)
    if story is None:
        return ""
    topic_index, agent, _, _, hostile = story
    if hostile >= 0:
        return HOSTILE[hostile].body
    rng = seeded("invgate", desk.seed, "description", request.id)
    words = _words(desk, request, agent, rng)
    text = pick(rng, TOPICS[topic_index].openings).format_map(words)
    return text_to_html(text) if rng.random() < 0.5 else text


def _words(
    desk: InvGateDesk, request: Request, agent: int | None, rng: random.Random
) -> dict[str, str]:
    customer = desk.users[request.user_id]
    staff = desk.users.get(agent or 2) or desk.users[2]
    helpdesk = desk.helpdesk(request.assigned_group_id or 1)
    return placeholders(
        rng,
        first=customer.name,
        email=customer.email,
        org=customer.email.split("@")[-1],
        agent=staff.name,
        agent_full=f"{staff.name} {staff.lastname}",
        team=helpdesk.name if helpdesk else "Service Desk",
        ticket=f"{PRETTY_PREFIX}{request.id}",
        host=f"WS-{request.id % 997:03d}",
        item_id=request.id,
        created=request.created_at,
    )


def _children(desk: InvGateDesk, request: Request) -> Children:
    """Comments and time entries of a request, from its story (see :mod:`.desk`)."""
    story = desk.stories.get(request.id)
    if story is None:  # created through the API: it starts with none
        return Children([], [])
    topic_index, agent, status, last, hostile = story
    if hostile >= 0 or status == S_NEW:
        return Children([], [])
    topic = TOPICS[topic_index]
    rng = seeded("invgate", desk.seed, "children", request.id)
    words = _words(desk, request, agent, rng)
    staff = agent or 2
    plan: list[tuple[int, str, bool, bool]] = []  # author, text, public, solution
    plan.append((staff, pick(rng, topic.replies or GENERIC_REPLIES) + SIGNATURE, True, False))
    if rng.random() < 0.6:
        plan.append((request.user_id, pick(rng, topic.followups or GENERIC_FOLLOWUPS), True, False))
    if rng.random() < 0.6:
        plan.append((staff, pick(rng, topic.privates or GENERIC_PRIVATES), False, False))
    if rng.random() < 0.3:
        plan.append((staff, pick(rng, GENERIC_REPLIES), True, False))
    if status in (S_SOLVED, S_CLOSED):
        text = pick(rng, topic.resolutions or GENERIC_REPLIES) + CLOSING_LINE + SIGNATURE
        plan.append((staff, text, True, True))
    moments = spread(
        request.created_at + 20 * 60, max(last, request.created_at + 30 * 60), len(plan)
    )
    comments: list[Comment] = []
    base = request.id * 100
    for number, ((author, text, public, solution), moment) in enumerate(
        zip(plan, moments, strict=True), start=1
    ):
        message = text.format_map(words)
        if rng.random() < 0.35:
            message = text_to_html(message)
        comment = Comment(
            id=base + number,
            incident_id=request.id,
            author_id=author,
            message=message,
            created_at=moment,
            customer_visible=public,
            is_solution=solution,
            msg_num=number,
            reference=comments[-1].id if comments and rng.random() < 0.3 else None,
        )
        if author == request.user_id and rng.random() < 0.4:
            name, _mime, content = sample_attachment(
                rng, item_id=request.id, reference=f"{PRETTY_PREFIX}{request.id}", created=moment
            )
            attachment_id = base * 10 + number
            extension = name.rsplit(".", 1)[-1]
            desk.attachments[attachment_id] = Attachment(
                attachment_id, name, extension, _hash("file", attachment_id), content
            )
            comment.attached_files.append(attachment_id)
        comments.append(comment)
    entries: list[TimeEntry] = []
    if status not in ACTIVE or rng.random() < 0.4:
        for number in range(1 + int(rng.random() * 3)):
            start = request.created_at + HOUR * (number + 1)
            minutes = pick(rng, (10, 15, 20, 30, 45, 60, 90))
            entries.append(
                TimeEntry(
                    timetracking_id=base + 50 + number,
                    incident=request.id,
                    user_id=staff,
                    timetracking_category_id=pick(rng, (1, 1, 2, 3)),
                    comment=pick(rng, topic.work) if topic.work else "Worked on the request",
                    start=start,
                    end=start + minutes * 60,
                )
            )
    return Children(comments, entries)
