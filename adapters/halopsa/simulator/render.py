"""The simulated instance's records as Halo's API writes them.

Timestamps are ISO 8601 UTC with seven fractional digits or none, and "no date" is one of
Halo's sentinels without a zone (``0001-01-01T00:00:00`` for a ticket that was never
closed, ``1900-01-01T00:00:00`` for an unset target). Ticket lists carry the list
fields (the spec's ``Faults_List``: the team by **name**), one ticket carries more (the
spec's ``Faults``: ``team_id``, ``customfields``, ``tags``, objects with
``includedetails``). Custom field values are text or numbers as they were stored.
"""

from __future__ import annotations

import base64
import time
from typing import Any

from adapters.halopsa.sim_data import Action, Attachment, HaloDesk, Ticket
from adapters.halopsa.sim_data.config import (
    AGENT_BY_ID,
    AREA_BY_ID,
    CF_CHECKBOX,
    CF_DATE,
    CF_MULTI,
    CF_SELECT,
    FIELDS,
    PRIORITIES,
    SLAS,
    STATUS_BY_ID,
    TEAM_BY_ID,
    TYPE_BY_ID,
    Agent,
    FieldDef,
    priority_guid,
)

NEVER = "0001-01-01T00:00:00"
UNSET = "1900-01-01T00:00:00"


def stamp(epoch: int, fraction: int = -1, *, empty: str = NEVER) -> str:
    """``epoch`` as Halo writes it: with ``fraction`` (0..9999999) as seven digits, or
    none when it is negative; ``empty`` when ``epoch`` is 0."""
    if not epoch:
        return empty
    text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch))
    return f"{text}.{fraction:07d}Z" if fraction >= 0 else f"{text}Z"


def _display_date(epoch: int) -> str:
    return time.strftime("%d/%m/%Y %H:%M", time.gmtime(epoch))


def custom_field(definition: FieldDef, value: Any) -> dict[str, Any]:
    """One entry of a ticket's ``customfields``: the stored value and its display text."""
    display = ""
    wire: Any = "" if value is None else value
    if value is None or value == "":
        wire = ""
    elif definition.type == CF_SELECT:
        labels = dict(definition.values)
        display = labels.get(int(value), "")
    elif definition.type == CF_MULTI:
        labels = dict(definition.values)
        display = ", ".join(labels.get(int(part), "") for part in str(value).split(",") if part)
    elif definition.type == CF_DATE:
        wire = stamp(int(value))
        display = _display_date(int(value))
    elif definition.type == CF_CHECKBOX:
        display = "Yes" if int(value) else "No"
    else:
        display = str(value)
    return {
        "id": definition.id,
        "name": definition.name,
        "label": definition.label,
        "summary": definition.label,
        "type": definition.type,
        "value": wire,
        "display": display,
        "inputtype": definition.inputtype,
        "characterlimit": 0,
        "copytochild": False,
        "searchable": definition.type in (0, 1),
        "usage": 1,
        "showondetailsscreen": True,
        "onlyshowforagents": definition.readonly,
        "validation_reasons": None,
    }


def ticket_row(
    desk: HaloDesk, ticket: Ticket, custom_ids: set[int] | None = None
) -> dict[str, Any]:
    """A ticket as ``GET /Tickets`` lists it."""
    status = STATUS_BY_ID[ticket.status_id]
    agent = AGENT_BY_ID.get(ticket.agent_id)
    client = desk.clients[ticket.client_id]
    site = desk.sites[ticket.site_id]
    user = desk.users.get(ticket.user_id)
    done = status.closed
    row: dict[str, Any] = {
        "id": ticket.id,
        "dateoccurred": stamp(ticket.created, ticket.fraction),
        "summary": ticket.summary,
        "details": ticket.details,
        "status_id": ticket.status_id,
        "status_name": status.name,
        "tickettype_id": ticket.tickettype_id,
        "tickettype_name": TYPE_BY_ID[ticket.tickettype_id].name,
        "sla_id": ticket.sla_id,
        "sla_name": dict(SLAS)[ticket.sla_id],
        "priority_id": ticket.priority_id,
        "client_id": ticket.client_id,
        "client_name": client.name,
        "site_id": ticket.site_id,
        "site_name": site.name,
        "user_id": ticket.user_id,
        "user_name": ticket.user_name,
        "user_email": user.email if user else ticket.reportedby,
        "reportedby": ticket.reportedby,
        "team": TEAM_BY_ID[ticket.team_id].name,
        "agent_id": ticket.agent_id,
        "agent_name": agent.name if agent else "",
        "category_1": ticket.category_1,
        "category_2": "",
        "category_3": "",
        "category_4": "",
        "lastactiondate": stamp(ticket.last_action, ticket.fraction),
        "last_update": stamp(ticket.last_update, ticket.fraction),
        "respondbydate": stamp(ticket.respond_by, empty=UNSET),
        "fixbydate": stamp(ticket.fix_by, empty=UNSET),
        "deadlinedate": UNSET,
        "dateclosed": stamp(ticket.closed, ticket.fraction) if done else NEVER,
        "hasbeenclosed": done,
        "onhold": ticket.onhold,
        "inactive": False,
        "impact": ticket.impact,
        "urgency": ticket.urgency,
        "ticket_tags": ",".join(ticket.tags),
        "parent_id": 0,
        "merged_into_id": ticket.merged_into,
        "child_count": 0,
        "attachment_count": len(desk.attachments.get(ticket.id, ())),
        "flagged": False,
        "read": True,
        "enduserstatus": 1 if done else 0,
    }
    if custom_ids:
        row["customfields"] = [
            custom_field(d, ticket.custom.get(d.id)) for d in FIELDS if d.id in custom_ids
        ]
    return row


def ticket_full(desk: HaloDesk, ticket: Ticket, *, details: bool = False) -> dict[str, Any]:
    """A ticket as ``GET /Tickets/{id}`` (and a POST) answers it."""
    full = ticket_row(desk, ticket)
    full.update(
        {
            "team_id": ticket.team_id,
            "datecreated": stamp(ticket.created, ticket.fraction),
            "customfields": [custom_field(d, ticket.custom.get(d.id)) for d in FIELDS],
            "tags": [{"id": index + 1, "text": tag} for index, tag in enumerate(ticket.tags)],
            "closure_note": ticket.closure_note,
            "deleted": ticket.deleted,
            "ticketage": round((desk.now - ticket.created) / 86400, 2),
        }
    )
    if details:
        priority = PRIORITIES[ticket.priority_id - 1]
        user = desk.users.get(ticket.user_id)
        full["priority"] = priority_record(ticket.sla_id, priority)
        kind = TYPE_BY_ID[ticket.tickettype_id]
        full["tickettype"] = {"id": kind.id, "name": kind.name, "use": kind.use}
        full["user"] = (
            {"id": user.id, "name": user.name, "emailaddress": user.email, "site_id": user.site_id}
            if user
            else {"id": 0, "name": ticket.user_name, "emailaddress": ticket.reportedby}
        )
        full["attachments"] = [attachment(a) for a in desk.attachments.get(ticket.id, ())]
    return full


def priority_record(
    sla_id: int, priority: tuple[int, str, str, tuple[int, int], tuple[int, int]]
) -> dict[str, Any]:
    number, name, colour, respond, fix = priority
    return {
        "id": priority_guid(sla_id, number),
        "slaid": sla_id,
        "priorityid": number,
        "name": name,
        "colour": colour,
        "fixtime": fix[sla_id - 1],
        "fixunits": "H",
        "responsetime": respond[sla_id - 1],
        "responseunits": "H",
        "ishidden": False,
    }


def action(desk: HaloDesk, item: Action, *, html: bool = False) -> dict[str, Any]:
    ticket = desk.tickets[item.ticket_id]
    body: dict[str, Any] = {
        "id": item.id,
        "ticket_id": item.ticket_id,
        "outcome": item.outcome,
        "outcome_id": item.outcome_id,
        "who": item.who,
        "who_type": item.who_type,
        "who_agentid": item.agent_id,
        "actionby_agent_id": item.agent_id,
        "actionby_user_id": item.user_id,
        "actionby_application_id": "triage-sim" if item.agent_id == 2 else "",
        "datetime": stamp(item.when, (ticket.fraction + item.id) % 10_000_000),
        "actiondatecreated": stamp(item.when, ticket.fraction),
        "note": item.note,
        "emailfrom": ticket.reportedby if item.who_type == 2 else "",
        "emailto": item.emailto,
        "emailcc": item.emailcc,
        "emailsubject": item.emailsubject,
        "hiddenfromuser": item.hidden,
        "important": item.important,
        "old_status": item.old_status,
        "old_status_name": STATUS_BY_ID[item.old_status].name if item.old_status else "",
        "new_status": item.new_status,
        "new_status_name": STATUS_BY_ID[item.new_status].name if item.new_status else "",
        "timetaken": item.timetaken,
        "attachment_count": item.attachment_count,
    }
    if html:
        body["note_html"] = item.note
    return body


def attachment(item: Attachment, *, data: bool = False) -> dict[str, Any]:
    name = item.filename.lower()
    body: dict[str, Any] = {
        "id": item.id,
        "filename": item.filename,
        "ticket_id": item.ticket_id,
        "action_id": item.action_id,
        "filesize": len(item.content),
        "datecreated": stamp(item.created),
        "type": 0,
        "unique_id": item.id,
        "desc": item.note,
        "isimage": name.endswith((".png", ".jpg", ".jpeg", ".gif")),
    }
    if data:
        body["data_base64"] = base64.b64encode(item.content).decode("ascii")
    return body


def agent(item: Agent, *, counts: dict[int, int] | None = None) -> dict[str, Any]:
    teams = [TEAM_BY_ID[t] for t in item.teams]
    body: dict[str, Any] = {
        "id": item.id,
        "name": item.name,
        "firstname": item.first,
        "surname": item.last,
        "initials": "".join(part[:1] for part in item.name.split()).upper(),
        "email": item.email,
        "team": teams[0].name if teams else "",
        "teams": [{"id": t.id, "name": t.name} for t in teams],
        "jobtitle": item.jobtitle,
        "isdisabled": item.disabled,
        "is_agent": True,
        "isapiagent": item.api,
        "colour": "#" + f"{(item.id * 2654435761) & 0xFFFFFF:06x}",
    }
    if counts is not None:
        body["ticket_count"] = counts.get(item.id, 0)
    return body


def area(area_id: int) -> dict[str, Any]:
    item = AREA_BY_ID[area_id]
    return {
        "id": item.id,
        "name": item.name,
        "sequence": item.id,
        "entity_singular": item.singular,
        "entity_plural": item.plural,
        "default_ticket_type": item.types[0],
        "area_use": item.use,
        "area_use_name": {1: "Tickets", 2: "Projects", 3: "Opportunities"}[item.use],
        "shownewticketbutton": True,
    }
