"""Building the simulated HaloPSA instance for a seed: customers, tickets, actions.

Ticket rows are drawn eagerly from one ``random.Random`` per desk in a fixed order, so a
seed and a ``now`` always give the same desk. Topics, customers and hostile samples come
from the shared world (:mod:`adapters.simdata`); this module decides how they become Halo
tickets: which team a topic's role lands in, which ticket type its kind is, which status a
ticket of that age has, who it is assigned to, what its actions are.
"""

from __future__ import annotations

import random
import time

from adapters.halopsa.sim_data.config import (
    AGENT_BY_ID,
    API_AGENT,
    CATEGORIES,
    CF_CHECKBOX,
    CF_DATE,
    CF_MEMO,
    CF_MULTI,
    CF_SELECT,
    CF_TEXT,
    CLIENTELE,
    FIELDS,
    KIND_TYPES,
    OC_CLOSE,
    OC_EMAIL_USER,
    OC_PRIVATE_NOTE,
    OC_SYSTEM,
    OC_USER_UPDATE,
    OUTCOME_BY_ID,
    PRIORITIES,
    ROLE_CATEGORIES,
    ROLE_TEAMS,
    ST_ACTION_REQUIRED,
    ST_CLOSED,
    ST_IN_PROGRESS,
    ST_NEW,
    ST_RESOLVED,
    ST_UPDATED,
    ST_WAITING_USER,
    ST_WITH_SUPPLIER,
    STATUS_BY_ID,
    TEAM_BY_ID,
    TT_PROJECT,
    UNASSIGNED_AGENT,
    Agent,
    team_agents,
)
from adapters.halopsa.sim_data.desk import Action, Client, HaloDesk, Site, Ticket, User
from adapters.simdata import (
    HOSTILE,
    TOPIC_WEIGHTS,
    TOPICS,
    Clientele,
    Weighted,
    pick,
    placeholders,
    seeded,
    stable_hash,
)
from adapters.simdata.conversation import COMPANY, TAGS_POOL
from adapters.simdata.markup import text_to_html
from adapters.simdata.timeline import DAY, HOUR, creation_times, current_hour, spread

FIRST_TICKET_ID = 2001
"""Halo numbers tickets from the instance's history; this one starts after 2000."""

_CATEGORY_VALUE = {category.id: category.value for category in CATEGORIES}
_TOPIC_PICK = Weighted(range(len(TOPICS)), TOPIC_WEIGHTS)
_PRIORITY_PICK = Weighted((1, 2, 3, 4), (1, 4, 10, 6))


def generate_desk(
    tickets: int = 400, seed: int = 1, now: int | None = None, *, clientele: int = CLIENTELE
) -> HaloDesk:
    """The instance for ``seed`` with ``tickets`` tickets whose history ends at ``now``
    (epoch seconds; the current hour by default). Writes are stamped with the real time."""
    if tickets < 0:
        raise ValueError(f"tickets must be >= 0, got {tickets}")
    end = current_hour() if now is None else now
    desk = HaloDesk(seed, end, lambda ticket: _actions(desk, ticket))
    desk.clock = lambda: max(int(time.time()), desk.now)
    rng = random.Random(f"halopsa:{seed}")
    _people(desk, rng, tickets, Clientele(clientele))
    users = list(desk.users.values())
    moments = creation_times(rng, tickets, end)
    hostile_at = {tickets * k // 7: k - 1 for k in range(1, 7)} if tickets >= 7 else {}
    for index, created in enumerate(moments):
        ticket = _ticket(desk, rng, FIRST_TICKET_ID + index, created, users)
        if index in hostile_at:
            sample = HOSTILE[hostile_at[index]]
            ticket.summary = sample.subject
            ticket.details = sample.body
            if sample.fullname:
                ticket.user_name = sample.fullname
        desk.tickets[ticket.id] = ticket
    return desk


def _people(desk: HaloDesk, rng: random.Random, tickets: int, clientele: Clientele) -> None:
    draw = clientele.rng(rng, desk.seed)
    organisations = max(6, min(60, tickets // 12))
    orgs, people = clientele.build(
        draw, organisations=organisations, people=max(12, tickets // 3), now=desk.now
    )
    # Client 1 is where Halo files users it cannot match to a customer.
    desk.clients[1] = Client(1, "Unallocated Users")
    desk.sites[1] = Site(1, 1, "Unallocated")
    for org in orgs:
        client_id = org.id + 1
        desk.clients[client_id] = Client(client_id, org.name)
        desk.sites[client_id] = Site(client_id, client_id, f"{org.city} Office")
    for person in people:
        client_id = person.org_id + 1 if person.org_id else 1
        desk.users[person.id] = User(
            person.id, person.fullname, person.emails[0], client_id, client_id
        )


def _status_for(rng: random.Random, age_days: float) -> int:
    if age_days < 1:
        return pick(rng, (ST_NEW, ST_NEW, ST_IN_PROGRESS, ST_ACTION_REQUIRED))
    if age_days < 7:
        return pick(
            rng,
            (ST_IN_PROGRESS, ST_ACTION_REQUIRED, ST_WAITING_USER, ST_UPDATED, ST_WITH_SUPPLIER),
        )
    if age_days < 21:
        return pick(rng, (ST_IN_PROGRESS, ST_WAITING_USER, ST_CLOSED, ST_RESOLVED, ST_CLOSED))
    return pick(rng, (ST_CLOSED, ST_CLOSED, ST_RESOLVED, ST_WAITING_USER))


def _ticket(
    desk: HaloDesk, rng: random.Random, ticket_id: int, created: int, users: list[User]
) -> Ticket:
    topic_index = _TOPIC_PICK.pick(rng)
    topic = TOPICS[topic_index]
    role = pick(rng, topic.roles)
    kind = pick(rng, topic.kinds)
    team_id = ROLE_TEAMS[role]
    type_id = KIND_TYPES[kind]
    if role == "infrastructure" and rng.random() < 0.25:
        team_id, type_id = 6, TT_PROJECT
    user = pick(rng, users)
    status = _status_for(rng, (desk.now - created) / DAY)
    agents = team_agents(team_id)
    agent_id = UNASSIGNED_AGENT
    if agents and (status != ST_NEW or rng.random() < 0.3):
        agent_id = pick(rng, agents).id
    priority = _PRIORITY_PICK.pick(rng)
    client = desk.clients[user.client_id]
    sla_id = 2 if user.client_id != 1 and stable_hash(user.client_id) % 3 == 0 else 1
    fix_hours = PRIORITIES[priority - 1][4][sla_id - 1]
    respond_hours = PRIORITIES[priority - 1][3][sla_id - 1]
    words = placeholders(
        rng,
        first=user.name.split(" ")[0],
        email=user.email,
        org=client.name,
        agent="",
        agent_full="",
        team=TEAM_BY_ID[team_id].name,
        ticket=str(ticket_id),
        host=f"HL-{rng.randrange(1000, 9999)}",
        item_id=ticket_id,
        created=created,
    )
    done = STATUS_BY_ID[status].closed
    span = rng.randrange(2, 96) * HOUR
    last = min(desk.now, created + (span if done else span // 2))
    tags = tuple(sorted({pick(rng, TAGS_POOL) for _ in range(rng.randrange(0, 3))}))
    ticket = Ticket(
        id=ticket_id,
        summary=pick(rng, topic.subjects).format_map(words),
        details=pick(rng, topic.openings).format_map(words),
        status_id=status,
        tickettype_id=type_id,
        priority_id=priority,
        sla_id=sla_id,
        team_id=team_id,
        agent_id=agent_id,
        client_id=user.client_id,
        site_id=user.site_id,
        user_id=user.id,
        user_name=user.name,
        reportedby=user.email,
        category_1=_CATEGORY_VALUE[pick(rng, ROLE_CATEGORIES[role])],
        created=created,
        last_action=last,
        last_update=last,
        respond_by=created + respond_hours * HOUR,
        fix_by=created + fix_hours * HOUR,
        closed=last if done else 0,
        impact=rng.randrange(1, 4),
        urgency=rng.randrange(1, 4),
        onhold=status in (ST_WAITING_USER, ST_WITH_SUPPLIER),
        tags=tags,
        fraction=rng.randrange(10_000_000) if rng.random() < 0.7 else -1,
        topic=topic_index,
    )
    _custom_values(rng, ticket, role)
    return ticket


def _custom_values(rng: random.Random, ticket: Ticket, role: str) -> None:
    for definition in FIELDS:
        chance = rng.random()
        if chance < 0.35:
            continue
        if definition.type == CF_SELECT and role in ("hardware", "general", "access"):
            option = pick(rng, definition.values)[0]
            # Halo sends the option id as text or as a number, even for one field.
            ticket.custom[definition.id] = str(option) if chance < 0.7 else option
        elif definition.type == CF_TEXT and definition.inputtype == 1:
            if role in ("incident", "infrastructure", "security"):
                count = rng.randrange(1, 250)
                ticket.custom[definition.id] = count if chance < 0.6 else str(count)
        elif definition.type == CF_TEXT and definition.name == "CFassetTag":
            ticket.custom[definition.id] = f"HL-{rng.randrange(10000, 99999)}"
        elif definition.type == CF_TEXT:
            if chance > 0.8:
                ticket.custom[definition.id] = f"VND-{rng.randrange(100000, 999999)}"
        elif definition.type == CF_DATE and role in ("incident", "infrastructure"):
            ticket.custom[definition.id] = ticket.created - rng.randrange(0, 6) * HOUR
        elif definition.type == CF_MULTI and role in ("incident", "infrastructure", "technical"):
            chosen = sorted({pick(rng, definition.values)[0] for _ in range(rng.randrange(1, 3))})
            ticket.custom[definition.id] = ",".join(str(c) for c in chosen)
        elif definition.type == CF_CHECKBOX:
            ticket.custom[definition.id] = 1 if chance > 0.85 else 0
        elif definition.type == CF_MEMO and chance > 0.75:
            ticket.custom[definition.id] = (
                "Restart the client and sign in again.\nIf it fails, use webmail."
            )


def _actions(desk: HaloDesk, ticket: Ticket) -> list[Action]:
    """A ticket's actions, from ``(seed, ticket id)`` only (see :mod:`~.desk`)."""
    rng = seeded("halopsa", desk.seed, "actions", ticket.id)
    topic = TOPICS[ticket.topic]
    agent = _agent_for(ticket)
    first = ticket.user_name.split(" ")[0]
    words = placeholders(
        rng,
        first=first,
        email=ticket.reportedby,
        org=desk.clients[ticket.client_id].name,
        agent=agent.first,
        agent_full=agent.name,
        team=TEAM_BY_ID[ticket.team_id].name,
        ticket=str(ticket.id),
        host=f"HL-{rng.randrange(1000, 9999)}",
        item_id=ticket.id,
        created=ticket.created,
    )
    done = STATUS_BY_ID[ticket.status_id].closed
    steps: list[tuple[str, str]] = [
        ("rule", f"Ticket assigned to {TEAM_BY_ID[ticket.team_id].name} by rule")
    ]
    if ticket.status_id != ST_NEW:
        steps.append(("reply", pick(rng, topic.replies)))
        for _ in range(rng.randrange(0, 3)):
            steps.append(("user", pick(rng, topic.followups)))
            steps.append(
                pick(
                    rng,
                    (("reply", pick(rng, topic.replies)), ("private", pick(rng, topic.privates))),
                )
            )
        if rng.random() < 0.5:
            steps.append(("private", pick(rng, topic.notes)))
    if done:
        steps.append(("close", pick(rng, topic.resolutions)))
    moments = spread(ticket.created + 60, max(ticket.created + 60, ticket.last_action), len(steps))
    actions: list[Action] = []
    status = ST_NEW
    for number, ((step, text), when) in enumerate(zip(steps, moments, strict=True), start=1):
        body = text.format_map(words)
        if step == "rule":
            actions.append(
                Action(
                    number,
                    ticket.id,
                    OC_SYSTEM,
                    "Rule Applied",
                    "System",
                    0,
                    0,
                    0,
                    when,
                    body,
                    True,
                )
            )
        elif step == "reply":
            body += (
                f"\n\nKind regards,\n{agent.name}\n{TEAM_BY_ID[ticket.team_id].name} | {COMPANY}"
            )
            new = ST_IN_PROGRESS if status == ST_NEW else 0
            actions.append(
                Action(
                    number,
                    ticket.id,
                    OC_EMAIL_USER,
                    OUTCOME_BY_ID[OC_EMAIL_USER].outcome,
                    agent.name,
                    1,
                    agent.id,
                    0,
                    when,
                    body,
                    False,
                    new_status=new,
                    old_status=status if new else 0,
                    emailto=ticket.reportedby,
                    emailsubject=f"[Ticket #{ticket.id}] {ticket.summary}",
                    timetaken=round(rng.randrange(1, 6) * 0.25, 2),
                )
            )
            status = new or status
        elif step == "user":
            html = rng.random() < 0.4
            actions.append(
                Action(
                    number,
                    ticket.id,
                    OC_USER_UPDATE,
                    OUTCOME_BY_ID[OC_USER_UPDATE].outcome,
                    ticket.user_name,
                    2,
                    0,
                    ticket.user_id,
                    when,
                    text_to_html(body) if html else body,
                    False,
                    emailsubject=f"RE: [Ticket #{ticket.id}] {ticket.summary}",
                )
            )
        elif step == "private":
            actions.append(
                Action(
                    number,
                    ticket.id,
                    OC_PRIVATE_NOTE,
                    OUTCOME_BY_ID[OC_PRIVATE_NOTE].outcome,
                    agent.name,
                    1,
                    agent.id,
                    0,
                    when,
                    body,
                    True,
                    timetaken=round(rng.randrange(0, 3) * 0.25, 2),
                )
            )
        else:
            actions.append(
                Action(
                    number,
                    ticket.id,
                    OC_CLOSE,
                    OUTCOME_BY_ID[OC_CLOSE].outcome,
                    agent.name,
                    1,
                    agent.id,
                    0,
                    when,
                    body,
                    True,
                    new_status=ticket.status_id,
                    old_status=status,
                )
            )
    if ticket.summary and rng.random() < 0.08:
        actions[-1].important = True
    return actions


def _agent_for(ticket: Ticket) -> Agent:
    if ticket.agent_id > API_AGENT:
        return AGENT_BY_ID[ticket.agent_id]
    agents = team_agents(ticket.team_id) or team_agents(1)
    return agents[ticket.id % len(agents)]
