"""Building the simulated Kapture desk for a seed: customers, tickets, conversations.

The ticket rows are drawn eagerly from one ``random.Random`` per desk, so a seed and a
``now`` always give the same desk. Topics, customers and hostile samples come from the
shared world (:mod:`adapters.simdata`); this module decides how they become Kapture
tickets: the queue a topic's role lands in, the sub-status a ticket of that age has, its
source, disposition and additional details, and how long its conversation is.
"""

from __future__ import annotations

import random
import time

from adapters.kapture.sim_data.config import (
    AGENT_BY_ID,
    AGENTS,
    API_AGENT,
    DISPOSITIONS,
    PLANS,
    ROLE_QUEUES,
    SOURCES,
)
from adapters.kapture.sim_data.desk import KaptureDesk
from adapters.kapture.sim_data.records import Message, Ticket
from adapters.simdata.conversation import (
    GENERIC_FOLLOWUPS,
    GENERIC_PRIVATES,
    GENERIC_REPLIES,
    SIGNATURE,
    Placeholders,
    placeholders,
)
from adapters.simdata.draw import Weighted, pick, seeded
from adapters.simdata.hostile import HOSTILE
from adapters.simdata.people import Clientele, Person
from adapters.simdata.timeline import DAY, HOUR, creation_times, current_hour, spread
from adapters.simdata.topics import TOPIC_WEIGHTS, TOPICS

HISTORY_DAYS = 14
"""Two weeks of tickets: the span a list of the last ``days`` walks day by day."""
CLIENTELE = 4
"""The customers this desk serves (other demo desks serve others)."""
HOSTILE_EVERY = 61


def generate_desk(
    tickets: int = 400, seed: int = 1, now: int | None = None, *, clientele: int = CLIENTELE
) -> KaptureDesk:
    """The desk for ``seed`` with ``tickets`` tickets created over the two weeks before
    ``now`` (epoch seconds; default: the current hour)."""
    if tickets < 0:
        raise ValueError("tickets must be >= 0")
    if now is None:
        now = current_hour()
    generator = _Conversations()
    desk = KaptureDesk(seed=seed, now=now, generate=generator)
    generator.desk = desk
    desk.clock = lambda: max(now, int(time.time()))
    rng = random.Random(f"kapture:{seed}:desk")
    people_count = max(20, tickets // 3)
    orgs, people = Clientele(clientele).build(
        Clientele(clientele).rng(rng, seed),
        organisations=max(5, people_count // 6),
        people=people_count,
        now=now,
    )
    generator.people = people
    generator.org_names = {org.id: org.name for org in orgs}
    # From an hour before ``now`` back to an hour short of two weeks: a list of the last
    # 15 tenant days then holds every ticket wherever the tenant's midnight is, even once
    # the real clock has moved into the hour after ``now`` (which is rounded down).
    times = creation_times(rng, tickets, now - HOUR, history=HISTORY_DAYS * DAY - 2 * HOUR)
    topics = Weighted(range(len(TOPICS)), TOPIC_WEIGHTS)
    sources = tuple(code for code, _ in SOURCES)
    for index, created in enumerate(times):
        desk.add(_ticket(desk, rng, index, created, topics, sources, people, now))
    return desk


def _ticket(
    desk: KaptureDesk,
    rng: random.Random,
    index: int,
    created: int,
    topics: Weighted[int],
    sources: tuple[str, ...],
    people: list[Person],
    now: int,
) -> Ticket:
    topic_index = topics.pick(rng)
    topic = TOPICS[topic_index]
    role = pick(rng, topic.roles)
    queue = ROLE_QUEUES[role]
    person = people[int(rng.random() * len(people))]
    age = now - created
    # Older tickets are more likely done; young ones new or in progress.
    draw = rng.random()
    if age > 5 * DAY and draw < 0.55:
        substatus = "CL" if rng.random() < 0.6 else "RS"
    elif age > DAY and draw < 0.25:
        substatus = "RS"
    else:
        substatus = pick(rng, ("P", "P", "IP", "IP", "AC", "CB", "ES"))
    done = substatus in ("CL", "RS")
    staff = [agent for agent in AGENTS if queue in agent.queues] or list(AGENTS)
    assignee = pick(rng, staff).id if substatus != "P" or rng.random() < 0.4 else 0
    messages = 1 + int(rng.random() * 5) + (1 if done else 0)
    last = created + int(min(age, 4 * DAY) * (0.2 + 0.8 * rng.random()))
    callback = substatus == "CB"
    follow_up = last + int(1 + rng.random() * 47) * HOUR if callback else created
    hostile = (index // HOSTILE_EVERY) % len(HOSTILE) if index % HOSTILE_EVERY == 7 else -1
    variant = int(rng.random() * 1000)
    title = topic.subjects[variant % len(topic.subjects)]
    if hostile >= 0:
        title = HOSTILE[hostile].subject
    fields: dict[str, dict[str, str]] = {
        "issue_category_details": {
            "issue_category_1": role.title(),
            "issue_category_2": topic.key.replace("_", " ").title(),
        },
        "customer_info": {
            "account_code": f"HB-{1000 + person.org_id * 37 % 9000:04d}",
            "plan": pick(rng, PLANS),
            "site": "",
        },
    }
    if role in ("hardware", "infrastructure") or rng.random() < 0.2:
        fields["asset_details"] = {
            "asset_tag": f"HBL-{int(rng.random() * 99999):05d}",
            "serial_number": "",
        }
    ticket_ms = created * 1000 + int(rng.random() * 1000)
    desk.next_task += 1
    ticket = Ticket(
        id=desk.next_task,
        ticket_id=desk.new_ticket_id(ticket_ms),
        title=title,
        detail="",
        source=pick(rng, sources),
        substatus=substatus,
        queue=queue if rng.random() < 0.93 else "",
        disposition=pick(rng, DISPOSITIONS[queue]) if done or rng.random() < 0.3 else "",
        assignee=assignee,
        creator=API_AGENT.id if rng.random() < 0.2 else (assignee or API_AGENT.id),
        customer_name=person.fullname
        if hostile < 0
        else HOSTILE[hostile].fullname or person.fullname,
        email=person.emails[0],
        phone=person.phone,
        created=created,
        updated=last,
        follow_up=follow_up,
        callback=callback,
        priority=pick(rng, (0, 1, 1, 2, 2, 3)),
        escalated=substatus == "ES",
        ended=last if done else 0,
        topic=topic_index,
        variant=variant,
        hostile=hostile,
        messages=messages,
        fields=fields,
    )
    if hostile < 0:
        agent = AGENT_BY_ID.get(assignee) or AGENTS[ticket.id % len(AGENTS)]
        ticket.title = title.format_map(_placeholders(desk.seed, ticket, agent.name))
    return ticket


def _placeholders(seed: int, ticket: Ticket, agent: str) -> Placeholders:
    """The template values of one ticket's texts, drawn from ``(seed, ticket)``."""
    return placeholders(
        seeded("kapture", seed, "placeholders", ticket.id),
        first=ticket.customer_name.split(" ")[0] or "there",
        email=ticket.email,
        org="your",
        agent=agent.split(" ")[0],
        agent_full=agent,
        team="Harbourline Support",
        ticket=ticket.ticket_id,
        host=ticket.email.split("@")[-1],
        item_id=ticket.id,
        created=ticket.created,
    )


class _Conversations:
    """A ticket's conversation, generated from ``(seed, ticket)`` when first read."""

    desk: KaptureDesk
    people: list[Person]
    org_names: dict[int, str]

    def __call__(self, ticket: Ticket) -> list[Message]:
        if ticket.topic < 0:
            return []
        rng = seeded("kapture", self.desk.seed, "conversation", ticket.id)
        topic = TOPICS[ticket.topic]
        agent = AGENT_BY_ID.get(ticket.assignee) or AGENTS[ticket.id % len(AGENTS)]
        ph = _placeholders(self.desk.seed, ticket, agent.name)
        kind = "chat" if ticket.source in ("S", "O") else "email"
        times = spread(ticket.created, ticket.updated, ticket.messages)
        done = ticket.ended > 0
        messages: list[Message] = []
        for index, sent in enumerate(times):
            message_id = ticket.id * 16 + index
            last = index == len(times) - 1
            if index % 2 == 0:
                if index == 0:
                    text = topic.openings[ticket.variant % len(topic.openings)]
                else:
                    text = pick(rng, topic.followups + GENERIC_FOLLOWUPS)
                body = text.format_map(ph)
                if index == 0 and ticket.hostile >= 0:
                    body = HOSTILE[ticket.hostile].body
                messages.append(
                    Message(message_id, kind, body, ticket.customer_name, agent.name, sent, True)
                )
                continue
            if last and done:
                text = pick(rng, topic.resolutions)
            elif rng.random() < 0.25:
                note = pick(rng, topic.privates + GENERIC_PRIVATES).format_map(ph)
                messages.append(Message(message_id, "notes", note, agent.name, "", sent, False))
                continue
            else:
                text = pick(rng, topic.replies + GENERIC_REPLIES)
            body = (text + SIGNATURE).format_map(ph)
            messages.append(
                Message(message_id, kind, body, agent.name, ticket.customer_name, sent, False)
            )
        return messages
