"""Building the simulated PSA site for a seed: setup tables, companies, contacts, tickets.

The rows are drawn from one ``random.Random`` per site in a fixed order, so a seed and a
``now`` always give the same site. Customers, topics and hostile samples come from the
shared world (:mod:`adapters.simdata`); this module decides how they become ConnectWise
records: a topic's role picks the board, its kind the board's type, the ticket's age its
status; each organisation is a company, each person a contact.
"""

from __future__ import annotations

import random
import re
import time

from adapters.connectwise.sim_data.config import (
    API_MEMBER_ID,
    BOARDS,
    COMPANY_STATUSES,
    COMPANY_TYPES,
    CUSTOM_FIELDS,
    DEFAULT_PRIORITY,
    FIRST_TICKET_ID,
    INACTIVE_MEMBERS,
    LEVELS,
    MEMBERS,
    NOTE_ID_BASE,
    PRIORITIES,
    BoardSetup,
)
from adapters.connectwise.sim_data.desk import ConnectWiseDesk
from adapters.connectwise.sim_data.notes import NoteGenerator
from adapters.connectwise.sim_data.records import Record, TicketRecipe, stamp
from adapters.simdata.conversation import COMPANY, VERSIONS, Placeholders, invoice_number
from adapters.simdata.draw import Weighted, pick
from adapters.simdata.hostile import HOSTILE
from adapters.simdata.people import Clientele, Organisation, Person
from adapters.simdata.timeline import DAY, HOUR, creation_times, current_hour
from adapters.simdata.topics import TOPIC_WEIGHTS, TOPICS

CLIENTELE = 3
"""The shared world's customer block this site serves (Kayako's demo desk serves 0)."""
SOURCES = ((1, "Email"), (2, "Phone"), (3, "Portal"), (4, "Monitoring"))


def generate_desk(
    tickets: int = 400, seed: int = 1, now: int | None = None, *, clientele: int = CLIENTELE
) -> ConnectWiseDesk:
    """The site for ``seed`` with ``tickets`` service tickets ending at ``now`` (epoch
    seconds; default: the current hour)."""
    if tickets < 0:
        raise ValueError("tickets must be >= 0")
    if now is None:
        now = current_hour()
    desk = ConnectWiseDesk(seed=seed, now=now)
    rng = random.Random(f"connectwise:{seed}:site")
    _build_setup(desk, now)
    _orgs, people = _build_customers(desk, rng, tickets, Clientele(clientele), now)
    _build_tickets(desk, rng, tickets, people, now)
    desk.attach_notes(NoteGenerator(desk).notes)
    return desk


def _info(created: int, updated: int, by: str = "Admin1") -> Record:
    return {
        "lastUpdated": stamp(updated),
        "updatedBy": by,
        "dateEntered": stamp(created),
        "enteredBy": by,
    }


def _build_setup(desk: ConnectWiseDesk, now: int) -> None:
    setup_time = now - 900 * DAY
    for board in BOARDS:
        desk.boards[board.id] = {
            "id": board.id,
            "name": board.name,
            "location": {"id": board.location[0], "name": board.location[1]},
            "department": {
                "id": board.department[0],
                "identifier": re.sub(r"[^A-Za-z]", "", board.department[1])[:10],
                "name": board.department[1],
            },
            "locationId": board.location[0],
            "businessUnitId": board.department[0],
            "inactiveFlag": board.inactive,
            "projectFlag": False,
            "signOffOnCloseFlag": False,
            "autoCloseStatus": {"id": _closed_status(board), "name": ""},
            "_info": _info(setup_time, setup_time + 30 * DAY),
        }
        for order, (sid, name, closed, default) in enumerate(board.statuses):
            desk.statuses[sid] = {
                "id": sid,
                "name": name,
                "board": {"id": board.id, "name": board.name},
                "sortOrder": order,
                "displayOnBoard": not closed,
                "inactive": False,
                "closedStatus": closed,
                "timeEntryNotAllowed": closed,
                "defaultFlag": default,
                "escalationStatus": "Escalated" if name == "Escalated" else "NotResponded",
                "customerPortalDescription": name.lstrip(">"),
                "customStatusIndicatorName": "",
                "saveTimeAsNote": False,
                "_info": _info(setup_time, setup_time),
            }
        for tid, name, default, members in board.teams:
            leader = members[0]
            desk.teams[tid] = {
                "id": tid,
                "name": name,
                "boardId": board.id,
                "teamLeader": _member_ref(leader),
                "members": list(members),
                "defaultFlag": default,
                "notifyOnTicketDelete": False,
                "locationId": board.location[0],
                "businessUnitId": board.department[0],
                "_info": _info(setup_time, setup_time),
            }
        for type_id, name, _kinds in board.types:
            desk.types[type_id] = {
                "id": type_id,
                "name": name,
                "board": {"id": board.id, "name": board.name},
                "category": "Reactive",
                "defaultFlag": type_id == board.types[0][0],
                "inactiveFlag": False,
                "_info": _info(setup_time, setup_time),
            }
        desk.boards[board.id]["autoCloseStatus"]["name"] = desk.statuses[_closed_status(board)][
            "name"
        ]
    for pid, name, sort, color in PRIORITIES:
        desk.priorities[pid] = {
            "id": pid,
            "name": name,
            "sortOrder": sort,
            "color": color,
            "defaultFlag": pid == DEFAULT_PRIORITY,
            "level": "NotApplicable",
            "_info": _info(setup_time, setup_time),
        }
    for mid, identifier, first, last, title, license_class in MEMBERS:
        desk.members[mid] = {
            "id": mid,
            "identifier": identifier,
            "firstName": first,
            "lastName": last,
            "title": title,
            "officeEmail": f"{identifier}@harbourline-it.example",
            "inactiveFlag": mid in INACTIVE_MEMBERS,
            "licenseClass": license_class,
            "defaultEmail": "Office",
            "defaultPhone": "Office",
            "invoicingDisplayOptions": "RemainOnInvoicingScreen",
            "agreementInvoicingDisplayOptions": "RemainOnInvoicingScreen",
            "invoiceScreenDefaultTabFormat": "ShowInvoicingTab",
            "timeZone": {"id": 1, "name": "GMT Standard Time"},
            "_info": _info(setup_time, setup_time + mid * HOUR),
        }
    for fid, caption, kind, entry, decimals in CUSTOM_FIELDS:
        desk.custom_fields.append(
            {
                "id": fid,
                "caption": caption,
                "type": kind,
                "entryMethod": entry,
                "numberOfDecimals": decimals,
            }
        )


def _closed_status(board: BoardSetup) -> int:
    return next(sid for sid, _, closed, _ in board.statuses if closed)


def _member_ref(member_id: int) -> Record:
    for mid, identifier, first, last, _, _ in MEMBERS:
        if mid == member_id:
            return {"id": mid, "identifier": identifier, "name": f"{first} {last}"}
    raise KeyError(member_id)


def _company_record(org: Organisation, cid: int, rng: random.Random) -> Record:
    identifier = re.sub(r"[^A-Za-z0-9]", "", org.name)[:25]
    status = COMPANY_STATUSES[0] if rng.random() < 0.9 else pick(rng, COMPANY_STATUSES[1:])
    kind = COMPANY_TYPES[0] if rng.random() < 0.8 else pick(rng, COMPANY_TYPES[1:4])
    record: Record = {
        "id": cid,
        "identifier": identifier,
        "name": org.name,
        "status": {"id": status[0], "name": status[1]},
        "types": [{"id": kind[0], "name": kind[1]}],
        "addressLine1": org.address,
        "city": org.city,
        "state": org.state,
        "zip": org.postcode,
        "country": {"id": 1, "name": org.country},
        "phoneNumber": org.phone,
        "website": org.website,
        "deletedFlag": False,
        "_info": _info(org.created, org.updated),
    }
    for name in ("phoneNumber", "website"):
        if not record[name]:
            del record[name]  # unset fields are left out, not sent empty
    return record


def _build_customers(
    desk: ConnectWiseDesk, rng: random.Random, tickets: int, clientele: Clientele, now: int
) -> tuple[list[Organisation], list[Person]]:
    orgs, people = clientele.build(
        clientele.rng(rng, desk.seed),
        organisations=30,
        people=max(60, min(tickets // 3, 4000)),
        now=now,
    )
    setup_time = now - 900 * DAY
    desk.companies[2] = {
        "id": 2,
        "identifier": "HarbourlineIT",
        "name": COMPANY,
        "status": {"id": 1, "name": "Active"},
        "types": [{"id": 5, "name": "Owner"}],
        "addressLine1": "1 Harbour Road",
        "city": "Bristol",
        "state": "England",
        "zip": "BS1 4DJ",
        "country": {"id": 1, "name": "United Kingdom"},
        "deletedFlag": False,
        "_info": _info(setup_time, setup_time),
    }
    desk.companies[250] = {
        "id": 250,
        "identifier": "Catchall",
        "name": "Catchall",
        "status": {"id": 1, "name": "Active"},
        "types": [{"id": 1, "name": "Customer"}],
        "deletedFlag": False,
        "_info": _info(setup_time, setup_time),
    }
    for org in orgs:
        cid = 19290 + org.id
        desk.companies[cid] = _company_record(org, cid, rng)
    for person in people:
        company = desk.companies[19290 + person.org_id] if person.org_id else desk.companies[250]
        items: list[Record] = [
            {
                "id": person.id * 10 + index,
                "type": {"id": 1, "name": "Email"},
                "value": email,
                "defaultFlag": index == 0,
                "communicationType": "Email",
            }
            for index, email in enumerate(person.emails)
        ]
        if person.phone:
            items.append(
                {
                    "id": person.id * 10 + 9,
                    "type": {"id": 2, "name": "Direct"},
                    "value": person.phone,
                    "defaultFlag": True,
                    "communicationType": "Phone",
                }
            )
        contact: Record = {
            "id": 3000 + person.id,
            "firstName": person.first,
            "lastName": person.last,
            "company": {
                "id": company["id"],
                "identifier": company["identifier"],
                "name": company["name"],
            },
            "inactiveFlag": not person.enabled,
            "communicationItems": items,
            "_info": _info(person.created, max(person.created, person.last_seen)),
        }
        if person.designation:
            contact["title"] = person.designation
        desk.contacts[contact["id"]] = contact
    return orgs, people


def _status_for(board: BoardSetup, age_days: float, rng: random.Random) -> tuple[int, bool]:
    """A status of ``board`` fitting a ticket of this age: old ones mostly closed."""
    open_statuses = [s for s in board.statuses if not s[2]]
    closed = [s for s in board.statuses if s[2]]
    closed_share = min(0.85, age_days / 40)
    if rng.random() < closed_share:
        return pick(rng, closed)[0], True
    if age_days < 1.5:
        return open_statuses[0][0], False
    return pick(rng, open_statuses)[0], False


def _build_tickets(
    desk: ConnectWiseDesk, rng: random.Random, count: int, people: list[Person], now: int
) -> None:
    active = [b for b in BOARDS if not b.inactive]
    by_role = {role: board for board in active for role in board.roles}
    topics = Weighted(range(len(TOPICS)), TOPIC_WEIGHTS)
    created_at = creation_times(rng, count, now)
    hostile_every = max(count // max(len(HOSTILE), 1), 1)
    priorities = [p[0] for p in PRIORITIES]
    priority_odds = Weighted(priorities, (1, 3, 8, 3, 1))
    next_note = NOTE_ID_BASE
    desk.note_ids.next_id = next_note
    for index, created in enumerate(created_at):
        tid = FIRST_TICKET_ID + index
        topic_index = topics.pick(rng)
        topic = TOPICS[topic_index]
        role = pick(rng, topic.roles)
        board = by_role.get(role, active[0])
        kind = pick(rng, topic.kinds)
        type_id = next((t[0] for t in board.types if kind in t[2]), board.types[0][0])
        age_days = (now - created) / DAY
        status_id, closed = _status_for(board, age_days, rng)
        person = pick(rng, people)
        company = desk.companies[19290 + person.org_id] if person.org_id else desk.companies[250]
        team = pick(rng, board.teams) if rng.random() < 0.85 else None
        owner_id = pick(rng, team[3]) if team is not None and rng.random() < 0.75 else 0
        updated = min(now, created + int(rng.random() * max(age_days, 0.1) * DAY))
        hostile = index // hostile_every if index % hostile_every == 0 else -1
        if hostile >= len(HOSTILE):
            hostile = -1
        subject = pick(rng, topic.subjects)
        if "{" in subject:
            subject = subject.format_map(
                Placeholders(
                    version=pick(rng, VERSIONS),
                    month=time.strftime("%B", time.gmtime(created - 20 * DAY)),
                    invoice=invoice_number(tid),
                )
            )
        if hostile >= 0:
            subject = HOSTILE[hostile].subject
        n_notes = 2 + int(rng.random() * 5) + (1 if closed else 0)
        contact = desk.contacts[3000 + person.id]
        emails = [i["value"] for i in contact["communicationItems"] if i["type"]["name"] == "Email"]
        phones = [i["value"] for i in contact["communicationItems"] if i["type"]["name"] != "Email"]
        priority = desk.priorities[priority_odds.pick(rng)]
        status = desk.statuses[status_id]
        ticket: Record = {
            "id": tid,
            "summary": subject[:100],
            "recordType": "ServiceTicket",
            "board": {"id": board.id, "name": board.name},
            "status": {"id": status_id, "name": status["name"], "Sort": status["sortOrder"]},
            "company": {
                "id": company["id"],
                "identifier": company["identifier"],
                "name": company["name"],
            },
            "site": {"id": company["id"] * 10 + 1, "name": "Main"},
            "contact": {"id": contact["id"], "name": f"{person.first} {person.last}"},
            "contactName": f"{person.first} {person.last}",
            "contactEmailAddress": emails[0] if emails else "",
            "type": {"id": type_id, "name": desk.types[type_id]["name"]},
            "priority": {"id": priority["id"], "name": priority["name"], "sort": 0},
            "severity": pick(rng, LEVELS),
            "impact": pick(rng, LEVELS),
            "source": dict(zip(("id", "name"), pick(rng, SOURCES), strict=True)),
            "closedFlag": closed,
            "hasChildTicket": False,
            "hasMergedChildTicketFlag": False,
            "automaticEmailContactFlag": True,
            "automaticEmailResourceFlag": False,
            "automaticEmailCcFlag": False,
            "isInSla": rng.random() < 0.8,
            "slaStatus": "Resolved" if closed else pick(rng, ("Respond", "Plan", "Resolve")),
            "customFields": _custom_values(desk, rng, topic.key, created),
            "_info": _info(
                created, updated, "zAdmin" if owner_id == 0 else _member_ref(owner_id)["identifier"]
            ),
        }
        ticket["priority"]["sort"] = priority["sortOrder"]
        if not ticket["contactEmailAddress"]:
            del ticket["contactEmailAddress"]
        if phones:
            ticket["contactPhoneNumber"] = phones[0]
        if team is not None:
            ticket["team"] = {"id": team[0], "name": team[1]}
        if owner_id:
            ticket["owner"] = _member_ref(owner_id)
            ticket["resources"] = ticket["owner"]["identifier"]
        if closed:
            ticket["closedDate"] = stamp(updated)
            closer = _member_ref(owner_id or API_MEMBER_ID)
            ticket["closedBy"] = closer["identifier"]
        elif rng.random() < 0.3:
            ticket["requiredDate"] = stamp(created + (2 + int(rng.random() * 10)) * DAY)
        desk.tickets[tid] = ticket
        desk.recipes[tid] = TicketRecipe(
            id=tid,
            topic=topic_index,
            variant=int(rng.random() * 1000),
            n_notes=n_notes,
            hostile=hostile,
            html=rng.random() < 0.2 or (hostile >= 0 and HOSTILE[hostile].html),
            created=created,
            updated=updated,
            contact_name=ticket["contactName"],
            owner_id=owner_id,
            resolved=closed,
        )
        desk.note_ids.reserve(tid, n_notes)
    desk.next_ticket_id = FIRST_TICKET_ID + count


def _custom_values(
    desk: ConnectWiseDesk, rng: random.Random, topic: str, created: int
) -> list[Record]:
    """The ticket's custom fields; a value is left out where the field is unset."""
    fields: list[Record] = []
    for definition in desk.custom_fields:
        item = dict(definition)
        draw = rng.random()
        kind = definition["type"]
        if draw < 0.45:
            if kind == "Text" and definition["caption"] == "Outage ID":
                item["value"] = f"OUT-{int(rng.random() * 90000) + 10000}"
            elif kind == "Number":
                item["value"] = int(rng.random() * 250) + 1
            elif kind == "Checkbox":
                item["value"] = rng.random() < 0.4
            elif kind == "Date":
                item["value"] = stamp(created - created % DAY + int(rng.random() * 14) * DAY)
            elif kind == "TextArea":
                item["value"] = f"Traced to {topic.replace('_', ' ')}.\nSee the internal notes."
            elif kind == "Currency":
                item["value"] = round(rng.random() * 900, 2)
        fields.append(item)
    return fields
