"""The instance's set-up as the API lists it: ``/Status``, ``/TicketType``, ``/Team``,
``/Agent`` (and ``/Agent/me``), ``/Category``, ``/Priority``, ``/Outcome``, ``/TicketArea``,
``/FieldInfo`` and ``/Client``.

All of them answer bare JSON arrays except ``/Client`` (``{record_count, clients}``), as
the notes on each endpoint say. Their filters: ``/Status`` ``excludeclosed``,
``excludepending``, ``showcounts``; ``/TicketType`` ``showinactive``, ``domain``
(``reqs``/``opps``/``prjs``); ``/Team`` ``type``, ``department_id``, ``includedisabled``,
``includeagentsforteams`` (team names, comma-joined: those teams carry their ``agents``);
``/Agent`` ``team`` (name), ``team_id``, ``search``, ``includedisabled``,
``includeunassigned``, ``includeapiagents``; ``/Category`` ``type_id`` and ``team_name``
(only with ``type_id``); ``/Priority`` ``slaid``; ``/Outcome`` ``showhidden``;
``/FieldInfo`` ``includevalues``.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from adapters.halopsa.sim_data.config import (
    AGENT_BY_ID,
    AGENTS,
    API_AGENT,
    CATEGORIES,
    FIELDS,
    OUTCOMES,
    PRIORITIES,
    SLAS,
    STATUSES,
    TEAM_BY_NAME,
    TEAMS,
    TICKET_AREAS,
    TICKET_TYPES,
    UNASSIGNED_AGENT,
)
from adapters.halopsa.simulator import render
from adapters.halopsa.simulator.server import Params, exception_body, flag, number, text
from adapters.simulation import SimRequest, SimResponse

if TYPE_CHECKING:
    from adapters.halopsa.simulator.server import HaloServer

_DOMAINS = {"reqs": "tickets", "tickets": "tickets", "opps": "opps", "prjs": "prjs"}


def register(server: HaloServer) -> None:
    router = server.router
    router.add("GET", "/api/Status", lambda r, p: statuses(server, r))
    router.add("GET", "/api/TicketType", lambda r, p: ticket_types(r))
    router.add("GET", "/api/Team", lambda r, p: teams(server, r))
    router.add("GET", "/api/Agent", lambda r, p: agents(server, r))
    router.add(
        "GET", "/api/Agent/me", lambda r, p: SimResponse.json(render.agent(AGENT_BY_ID[API_AGENT]))
    )
    router.add("GET", "/api/Agent/{id:int}", lambda r, p: one_agent(p))
    router.add("GET", "/api/Category", lambda r, p: categories(r))
    router.add("GET", "/api/Priority", lambda r, p: priorities(r))
    router.add("GET", "/api/Outcome", lambda r, p: outcomes(r))
    router.add(
        "GET",
        "/api/TicketArea",
        lambda r, p: SimResponse.json([render.area(a.id) for a in TICKET_AREAS]),
    )
    router.add("GET", "/api/FieldInfo", lambda r, p: field_info(r))
    router.add("GET", "/api/Client", lambda r, p: clients(server, r))


def statuses(server: HaloServer, request: SimRequest) -> SimResponse:
    rows = list(STATUSES)
    if flag(request, "excludeclosed"):
        rows = [s for s in rows if not s.closed]
    if flag(request, "excludepending"):
        rows = [s for s in rows if not s.pending]
    counts = (
        Counter(t.status_id for t in server.desk.live()) if flag(request, "showcounts") else None
    )
    body: list[dict[str, Any]] = []
    for sequence, status in enumerate(rows, start=1):
        item: dict[str, Any] = {
            "id": status.id,
            "name": status.name,
            "shortname": status.shortname,
            "type": 1,
            "sequence": sequence,
            "colour": status.colour,
        }
        if counts is not None:
            item["ticket_count"] = counts.get(status.id, 0)
        body.append(item)
    return SimResponse.json(body)


def ticket_types(request: SimRequest) -> SimResponse:
    rows = [t for t in TICKET_TYPES if flag(request, "showinactive") or not t.inactive]
    domain = _DOMAINS.get((text(request, "domain") or "").lower())
    if domain:
        rows = [t for t in rows if t.use == domain]
    return SimResponse.json(
        [
            {
                "id": t.id,
                "name": t.name,
                "use": t.use,
                "sequence": t.id,
                "group_id": {"ITIL": 1, "Projects": 2, "Sales": 3, "Accounts": 4}.get(
                    t.group_name, 5
                ),
                "group_name": t.group_name,
                "agentscanselect": not t.inactive,
                "enduserscanselect": t.use == "tickets" and not t.inactive,
                "visible": not t.inactive,
                "default_sla": 1,
            }
            for t in rows
        ]
    )


def teams(server: HaloServer, request: SimRequest) -> SimResponse:
    rows = [t for t in TEAMS if flag(request, "includedisabled") or not t.inactive]
    kind = (text(request, "type") or "").lower()
    if kind in ("reqs", "opps", "prjs"):
        rows = [t for t in rows if t.use == kind]
    department = number(request, "department_id")
    if department is not None:
        rows = [t for t in rows if t.department_id == department]
    wanted = {
        name.strip().casefold()
        for name in (text(request, "includeagentsforteams") or "").split(",")
        if name.strip()
    }
    counts = Counter(t.team_id for t in server.desk.live()) if flag(request, "showcounts") else None
    body: list[dict[str, Any]] = []
    for team in rows:
        item: dict[str, Any] = {
            "id": team.id,
            "name": team.name,
            "sequence": team.id,
            "forrequests": team.use == "reqs",
            "foropps": team.use == "opps",
            "forprojects": team.use == "prjs",
            "department_id": team.department_id,
            "department_name": team.department_name,
            "inactive": team.inactive,
        }
        if counts is not None:
            item["ticket_count"] = counts.get(team.id, 0)
        if team.name.casefold() in wanted:
            item["agents"] = [
                {"id": a.id, "name": a.name, "email": a.email}
                for a in AGENTS
                if team.id in a.teams and not a.disabled
            ]
        body.append(item)
    return SimResponse.json(body)


def agents(server: HaloServer, request: SimRequest) -> SimResponse:
    rows = [
        a
        for a in AGENTS
        if (a.id != UNASSIGNED_AGENT or flag(request, "includeunassigned"))
        and (not a.api or flag(request, "includeapiagents"))
        and (not a.disabled or flag(request, "includedisabled"))
    ]
    team_name = text(request, "team")
    if team_name:
        team = TEAM_BY_NAME.get(team_name.strip().casefold())
        rows = [a for a in rows if team is not None and team.id in a.teams]
    team_id = number(request, "team_id")
    if team_id is not None:
        rows = [a for a in rows if team_id in a.teams]
    search = text(request, "search")
    if search:
        needle = search.casefold()
        rows = [a for a in rows if needle in a.name.casefold() or needle in a.email.casefold()]
    counts = (
        Counter(t.agent_id for t in server.desk.live()) if flag(request, "showcounts") else None
    )
    return SimResponse.json([render.agent(a, counts=counts) for a in rows])


def one_agent(params: Params) -> SimResponse:
    agent = AGENT_BY_ID.get(int(params["id"]))
    if agent is None:
        raise exception_body(404, f"No record found for Agent with ID {params['id']}.")
    return SimResponse.json(render.agent(agent))


def categories(request: SimRequest) -> SimResponse:
    type_id = number(request, "type_id")
    rows = list(CATEGORIES)
    if type_id is not None:
        rows = [c for c in rows if c.type_id == type_id]
        team_name = text(request, "team_name")
        if team_name:
            team = TEAM_BY_NAME.get(team_name.strip().casefold())
            rows = [c for c in rows if not c.teams or (team is not None and team.id in c.teams)]
    return SimResponse.json(
        [
            {
                "id": c.id,
                "value": c.value,
                "category_name": c.value.split(">")[-1],
                "type_id": c.type_id,
                "sla_id": 0,
                "priority_id": 0,
            }
            for c in rows
        ]
    )


def priorities(request: SimRequest) -> SimResponse:
    sla = number(request, "slaid")
    rows = [
        render.priority_record(sla_id, priority)
        for sla_id, _name in SLAS
        if sla is None or sla == sla_id
        for priority in PRIORITIES
    ]
    return SimResponse.json(rows)


def outcomes(request: SimRequest) -> SimResponse:
    rows = [o for o in OUTCOMES if flag(request, "showhidden") or not o.hidden]
    return SimResponse.json(
        [
            {
                "id": o.id,
                "outcome": o.outcome,
                "buttonname": o.buttonname,
                "labellong": o.outcome,
                "sequence": o.id,
                "hidden": o.hidden,
                "systemid": o.systemid,
                "sendemail": o.sendemail,
                "hidefromuser": o.hidefromuser,
                "newstatus": o.newstatus,
                "mustaddnote": o.mustaddnote,
                "defaultagent": -1 if o.claim else 0,
            }
            for o in rows
        ]
    )


def field_info(request: SimRequest) -> SimResponse:
    values = flag(request, "includevalues")
    body: list[dict[str, Any]] = []
    for definition in FIELDS:
        item: dict[str, Any] = {
            "id": definition.id,
            "name": definition.name,
            "label": definition.label,
            "summary": definition.label,
            "type": definition.type,
            "inputtype": definition.inputtype,
            "usage": 1,
            "searchable": definition.type in (0, 1),
            "onlyshowforagents": definition.readonly,
            "readonly": definition.readonly,
            "mandatory": definition.mandatory,
        }
        if values:
            item["values"] = [{"id": vid, "name": name} for vid, name in definition.values]
        body.append(item)
    return SimResponse.json(body)


def clients(server: HaloServer, request: SimRequest) -> SimResponse:
    rows = list(server.desk.clients.values())
    search = text(request, "search")
    if search:
        rows = [c for c in rows if search.casefold() in c.name.casefold()]
    return SimResponse.json(
        {
            "record_count": len(rows),
            "clients": [{"id": c.id, "name": c.name, "inactive": c.inactive} for c in rows],
        }
    )
