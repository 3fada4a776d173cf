"""``/Tickets`` (list, one, create/update as an array POST, delete) and ``/Users``.

Listing: ``pageinate=true`` with ``page_size`` (at most 100; more is cut to 100) and
``page_no`` (from 1) answers ``{page_no, page_size, record_count, tickets}``; without it,
``count=N`` gives the first N as ``{record_count, tickets}``, and with paging on, paging
wins over ``count``. Filters: ``search`` (summary, details, id; ``searchactions`` adds the
actions' notes), ``search_summary``, ``status_id``/``status``, ``team``, ``agent_id``/
``agent``, ``requesttype_id``/``requesttype``, ``ticketarea_id``, ``client_id``, ``user_id``,
``open_only``, ``closed_only``, ``lastupdatefromdate``/``lastupdatetodate``, ``ticketids``,
``deleted``; ``order``/``orderdesc`` sort by a field name; ``include_custom_fields`` adds
those fields to each row; ``ticketidonly`` answers ids only and ignores paging.

Writes follow ``Faults``: an object with a known ``id`` updates that ticket with the
fields it carries, one without creates a ticket. The team is written by name (``team``)
or id (``team_id``); an agent who is not in the team given with it is not assigned (the
rest of the record is saved), as Halo does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from adapters.halopsa.sim_data import Ticket
from adapters.halopsa.sim_data.config import (
    AGENT_BY_ID,
    AREA_BY_ID,
    CF_CHECKBOX,
    CF_DATE,
    CF_MULTI,
    CF_SELECT,
    FIELD_BY_ID,
    FIELD_BY_NAME,
    PRIORITY_IDS,
    SLAS,
    ST_NEW,
    STATUS_BY_ID,
    TEAM_BY_ID,
    TEAM_BY_NAME,
    TYPE_BY_ID,
    UNASSIGNED_AGENT,
    FieldDef,
)
from adapters.halopsa.simulator import render
from adapters.halopsa.simulator.server import (
    Params,
    created,
    flag,
    json_array,
    model_state,
    moment,
    number,
    numbers,
    text,
    text_error,
)
from adapters.simulation import SimRequest, SimResponse, numbered_page

if TYPE_CHECKING:
    from adapters.halopsa.simulator.server import HaloServer

MAX_PAGE_SIZE = 100

_ORDER: dict[str, Callable[[Ticket], Any]] = {
    "id": lambda t: t.id,
    "dateoccurred": lambda t: t.created,
    "dateoccured": lambda t: t.created,
    "datecreated": lambda t: t.created,
    "last_update": lambda t: t.last_update,
    "lastupdate": lambda t: t.last_update,
    "lastactiondate": lambda t: t.last_action,
    "summary": lambda t: t.summary.casefold(),
    "status_id": lambda t: t.status_id,
    "priority_id": lambda t: t.priority_id,
    "fixbydate": lambda t: t.fix_by,
    "dateclosed": lambda t: t.closed,
    "agent_id": lambda t: t.agent_id,
    "tickettype_id": lambda t: t.tickettype_id,
}


def register(server: HaloServer) -> None:
    router = server.router
    router.add("GET", "/api/Tickets", lambda r, p: list_tickets(server, r))
    router.add("POST", "/api/Tickets", lambda r, p: post_tickets(server, r))
    router.add("GET", "/api/Tickets/{id}", lambda r, p: get_ticket(server, r, p))
    router.add("DELETE", "/api/Tickets/{id}", lambda r, p: delete_ticket(server, r, p))
    router.add("GET", "/api/Users", lambda r, p: list_users(server, r))


# ---- reading ----------------------------------------------------------------------------


def _matches_search(server: HaloServer, ticket: Ticket, needle: str, actions: bool) -> bool:
    if needle in ticket.summary.casefold() or needle in ticket.details.casefold():
        return True
    if needle == str(ticket.id):
        return True
    if actions:
        return any(needle in a.note.casefold() for a in server.desk.ticket_actions(ticket))
    return False


def _filtered(server: HaloServer, request: SimRequest) -> list[Ticket]:
    deleted = flag(request, "deleted")
    rows = [t for t in server.desk.tickets.values() if t.deleted == deleted]
    search = text(request, "search")
    if search:
        needle = search.casefold()
        in_actions = flag(request, "searchactions")
        rows = [t for t in rows if _matches_search(server, t, needle, in_actions)]
    summary = text(request, "search_summary")
    if summary:
        rows = [t for t in rows if summary.casefold() in t.summary.casefold()]
    statuses = numbers(request, "status") + numbers(request, "status_id")
    if statuses:
        rows = [t for t in rows if t.status_id in statuses]
    teams = numbers(request, "team")
    if teams:
        rows = [t for t in rows if t.team_id in teams]
    agents = numbers(request, "agent") + numbers(request, "agent_id")
    if agents:
        rows = [t for t in rows if t.agent_id in agents]
    types = numbers(request, "requesttype") + numbers(request, "requesttype_id")
    if types:
        rows = [t for t in rows if t.tickettype_id in types]
    areas = numbers(request, "ticketarea_id")
    if areas:
        allowed = {tt for a in areas if a in AREA_BY_ID for tt in AREA_BY_ID[a].types}
        rows = [t for t in rows if t.tickettype_id in allowed]
    for name, attribute in (("client_id", "client_id"), ("user_id", "user_id")):
        wanted = numbers(request, name)
        if wanted:
            rows = [t for t in rows if getattr(t, attribute) in wanted]
    ids = numbers(request, "ticketids")
    if ids:
        rows = [t for t in rows if t.id in ids]
    if flag(request, "open_only"):
        rows = [t for t in rows if not STATUS_BY_ID[t.status_id].closed]
    if flag(request, "closed_only"):
        rows = [t for t in rows if STATUS_BY_ID[t.status_id].closed]
    start, end = moment(request, "lastupdatefromdate"), moment(request, "lastupdatetodate")
    if start is not None:
        rows = [t for t in rows if t.last_update >= start]
    if end is not None:
        rows = [t for t in rows if t.last_update <= end]
    key = _ORDER.get((text(request, "order") or "").lower())
    if key is not None:
        rows.sort(key=lambda t: (key(t), t.id), reverse=flag(request, "orderdesc"))
    else:
        rows.sort(key=lambda t: t.id)
    return rows


def list_tickets(server: HaloServer, request: SimRequest) -> SimResponse:
    rows = _filtered(server, request)
    custom = set(numbers(request, "include_custom_fields"))
    if flag(request, "ticketidonly"):
        return SimResponse.json(
            {"record_count": len(rows), "tickets": [{"id": t.id} for t in rows]}
        )
    if flag(request, "pageinate"):
        size = min(number(request, "page_size") or 50, MAX_PAGE_SIZE)
        page_no = max(number(request, "page_no") or 1, 1)
        page = numbered_page(rows, page_no, max(size, 1))
        return SimResponse.json(
            {
                "page_no": page_no,
                "page_size": max(size, 1),
                "record_count": page.total,
                "tickets": [render.ticket_row(server.desk, t, custom) for t in page.items],
                "include_children": False,
            }
        )
    count = number(request, "count")
    shown = rows if count is None else rows[: max(count, 0)]
    return SimResponse.json(
        {
            "record_count": len(rows),
            "tickets": [render.ticket_row(server.desk, t, custom) for t in shown],
        }
    )


def get_ticket(server: HaloServer, request: SimRequest, params: Params) -> SimResponse:
    ticket = server.ticket(params["id"])
    if flag(request, "ticketidonly"):
        return SimResponse.json({"id": ticket.id})
    return SimResponse.json(
        render.ticket_full(server.desk, ticket, details=flag(request, "includedetails"))
    )


def delete_ticket(server: HaloServer, request: SimRequest, params: Params) -> SimResponse:
    ticket = server.ticket(params["id"])
    ticket.deleted = True
    ticket.deleted_reason = text(request, "reason") or ""
    ticket.last_update = server.now()
    return SimResponse.json(render.ticket_full(server.desk, ticket))


def list_users(server: HaloServer, request: SimRequest) -> SimResponse:
    users = list(server.desk.users.values())
    search = text(request, "search")
    if search:
        needle = search.casefold()
        users = [u for u in users if needle in u.name.casefold() or needle in u.email.casefold()]
    count = number(request, "count")
    shown = users if count is None else users[:count]
    return SimResponse.json(
        {
            "record_count": len(users),
            "users": [
                {
                    "id": u.id,
                    "name": u.name,
                    "emailaddress": u.email,
                    "client_id": u.client_id,
                    "client_name": server.desk.clients[u.client_id].name,
                    "site_id": u.site_id,
                    "site_name": server.desk.sites[u.site_id].name,
                }
                for u in shown
            ],
        }
    )


# ---- writing ----------------------------------------------------------------------------


def post_tickets(server: HaloServer, request: SimRequest) -> SimResponse:
    saved: list[dict[str, Any]] = []
    for index, item in enumerate(json_array(request)):
        ticket_id = _int(item.get("id"), f"[{index}].id") if item.get("id") else 0
        ticket = server.ticket(ticket_id) if ticket_id else _new_ticket(server, item, index)
        _apply(server, ticket, item, index)
        if not ticket_id:
            server.desk.tickets[ticket.id] = ticket
        saved.append(render.ticket_full(server.desk, ticket))
    return created(saved)


def _int(value: Any, where: str) -> int:
    try:
        if isinstance(value, bool):
            raise ValueError
        return int(value)
    except (TypeError, ValueError):
        raise model_state(400, {where: f"The value '{value}' is not valid."}) from None


def _new_ticket(server: HaloServer, item: dict[str, Any], index: int) -> Ticket:
    desk = server.desk
    summary = str(item.get("summary") or "").strip()
    if not summary:
        raise text_error(400, "Please enter a Summary.")
    user = None
    if item.get("user_id"):
        user = desk.users.get(_int(item["user_id"], f"[{index}].user_id"))
        if user is None:
            raise text_error(400, f"User {item['user_id']} does not exist.")
    elif item.get("reportedby"):
        user = desk.user_by_email(str(item["reportedby"]))
    now = server.now()
    type_id = _int(item.get("tickettype_id") or 1, f"[{index}].tickettype_id")
    if type_id not in TYPE_BY_ID:
        raise text_error(400, f"Ticket Type {type_id} does not exist.")
    client_id = user.client_id if user else 1
    return Ticket(
        id=desk.next_ticket_id(),
        summary=summary,
        details="",
        status_id=ST_NEW,
        tickettype_id=type_id,
        priority_id=3,
        sla_id=1,
        team_id=1,
        agent_id=UNASSIGNED_AGENT,
        client_id=client_id,
        site_id=user.site_id if user else 1,
        user_id=user.id if user else 0,
        user_name=user.name if user else str(item.get("user_name") or "General User"),
        reportedby=user.email if user else str(item.get("reportedby") or ""),
        category_1="",
        created=now,
        last_action=now,
        last_update=now,
        respond_by=0,
        fix_by=0,
        fraction=now % 10_000_000,
    )


def _apply(server: HaloServer, ticket: Ticket, item: dict[str, Any], index: int) -> None:
    """Set the fields ``item`` carries, checking them as Halo does."""
    where = f"[{index}]"
    if "summary" in item:
        summary = str(item["summary"] or "").strip()
        if not summary:
            raise text_error(400, "Please enter a Summary.")
        ticket.summary = summary
    if "details" in item:
        ticket.details = str(item["details"] or "")
    elif "details_html" in item:
        ticket.details = str(item["details_html"] or "")
    if "status_id" in item:
        set_status(server, ticket, _int(item["status_id"], f"{where}.status_id"), "")
    if "priority_id" in item:
        priority = _int(item["priority_id"], f"{where}.priority_id")
        if priority not in PRIORITY_IDS:
            raise text_error(400, f"Priority {priority} is not valid for this SLA.")
        ticket.priority_id = priority
    if "sla_id" in item:
        sla = _int(item["sla_id"], f"{where}.sla_id")
        if sla not in dict(SLAS):
            raise text_error(400, f"SLA {sla} does not exist.")
        ticket.sla_id = sla
    if "tickettype_id" in item:
        kind = _int(item["tickettype_id"], f"{where}.tickettype_id")
        if kind not in TYPE_BY_ID:
            raise text_error(400, f"Ticket Type {kind} does not exist.")
        ticket.tickettype_id = kind
    team_given = None
    if item.get("team_id"):
        team_given = TEAM_BY_ID.get(_int(item["team_id"], f"{where}.team_id"))
        if team_given is None:
            raise text_error(400, f"Team {item['team_id']} does not exist.")
    elif item.get("team"):
        team_given = TEAM_BY_NAME.get(str(item["team"]).strip().casefold())
        if team_given is None:
            raise text_error(400, f"Team '{item['team']}' does not exist.")
    if team_given is not None:
        ticket.team_id = team_given.id
    if "agent_id" in item:
        agent_id = _int(item["agent_id"] or 0, f"{where}.agent_id")
        if agent_id in (0, UNASSIGNED_AGENT):
            ticket.agent_id = UNASSIGNED_AGENT
        else:
            agent = AGENT_BY_ID.get(agent_id)
            if agent is None or agent.disabled:
                raise text_error(400, f"Agent {agent_id} does not exist.")
            # Halo does not assign an agent who is not a member of the team given with them.
            if team_given is None or team_given.id in agent.teams:
                ticket.agent_id = agent_id
    for name in ("impact", "urgency"):
        if name in item:
            setattr(ticket, name, _int(item[name], f"{where}.{name}"))
    if "category_1" in item:
        ticket.category_1 = str(item["category_1"] or "")
    if "onhold" in item:
        ticket.onhold = bool(item["onhold"])
    if "ticket_tags" in item:
        tags = str(item["ticket_tags"] or "")
        ticket.tags = tuple(t.strip() for t in tags.split(",") if t.strip())
    if "customfields" in item:
        _custom_fields(ticket, item["customfields"], where)
    ticket.last_update = server.now()


def set_status(server: HaloServer, ticket: Ticket, status_id: int, note: str) -> None:
    status = STATUS_BY_ID.get(status_id)
    if status is None:
        raise text_error(400, f"Status {status_id} does not exist.")
    was_closed = STATUS_BY_ID[ticket.status_id].closed
    ticket.status_id = status_id
    if status.closed and not was_closed:
        ticket.closed = server.now()
        ticket.closure_note = note
    elif not status.closed:
        ticket.closed = 0


def _custom_fields(ticket: Ticket, values: Any, where: str) -> None:
    if not isinstance(values, list):
        raise model_state(400, {f"{where}.customfields": "An array of fields is expected."})
    for position, entry in enumerate(values):
        if not isinstance(entry, dict):
            continue
        definition: FieldDef | None = None
        if entry.get("name"):
            definition = FIELD_BY_NAME.get(str(entry["name"]).casefold())
        elif entry.get("id"):
            definition = FIELD_BY_ID.get(_int(entry["id"], f"{where}.customfields[{position}].id"))
        if definition is None:
            # Halo skips fields that are not set up for the ticket.
            continue
        if definition.readonly:
            raise text_error(400, f"The field {definition.label} is read only.")
        ticket.custom[definition.id] = _field_value(definition, entry.get("value"))


def _field_value(definition: FieldDef, value: Any) -> Any:
    if value is None or value == "":
        return None
    options = {option for option, _ in definition.values}
    if definition.type == CF_SELECT:
        if int(value) not in options:
            raise text_error(400, f"'{value}' is not an option of {definition.label}.")
        return value
    if definition.type == CF_MULTI:
        parts = [int(p) for p in str(value).replace(";", ",").split(",") if p.strip()]
        if any(p not in options for p in parts):
            raise text_error(400, f"'{value}' are not options of {definition.label}.")
        return ",".join(str(p) for p in parts)
    if definition.type == CF_DATE:
        try:
            parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            raise text_error(400, f"'{value}' is not a date for {definition.label}.") from None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return int(parsed.timestamp())
    if definition.type == CF_CHECKBOX:
        return 1 if str(value).strip().lower() in ("1", "true", "yes") else 0
    if definition.inputtype == 1:
        try:
            return int(str(value).strip())
        except ValueError:
            raise text_error(400, f"{definition.label} must be a whole number.") from None
    return str(value)
