"""HaloPSA's own desk actions: the seed's commands the common operations do not cover,
declared as :class:`~adapters.actions.ActionSpec` so the app's ``A`` form, the bulk runner
and ``triage action`` reach them with no code of their own.

=====================  ======  ===========================================================
action                 scope   seed command
=====================  ======  ===========================================================
``take-action``        many    Create Actions (an outcome such as Triage or Claim, a note,
                               a new status, private or not)
``outcomes``           none    the outcomes Create Actions takes, from ``GET /Outcome``
``assign-with-note``   many    Assign Tickets (a team and/or an agent, a private note)
``resolve``            many    Resolve Tickets (Email To required, note, extra fields)
``update-fields``      many    Update Tickets (one JSON object of Halo fields)
``delete-with-reason`` many    Delete Tickets (with the reason Halo records)
``report``             one     Generate Ticket Reports
``fetch``              none    Fetch Event (last-updated range, types, statuses, areas,
                               search text, extra parameters; newest first)
``agents``             none    List Agents (search text, team)
``categories``         none    List Categories (category type id, team name)
``teams``              none    List Teams (names, domain, department)
``areas``              none    List Ticket Areas
``statuses``           none    List Ticket Statuses
``ticket-types``       none    List Ticket Types (domain)
=====================  ======  ===========================================================

``outcome`` picks from the desk's outcomes, which the lookups carry as their
``outcomes`` list (by name or id; a miss lists them). Teams and agents, statuses and
ticket types are choices from the desk's lookups.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from adapters.actions import ActionField, ActionOutcome, ActionSpec, ActionValue, FieldKind, Scope
from adapters.base import InvalidInput, Unsupported
from adapters.halopsa import wire
from adapters.model import Choice, Visibility

if TYPE_CHECKING:
    from adapters.halopsa.adapter import HaloAdapter

DOMAINS = tuple(Choice(id=name, label=name) for name in ("Tickets", "Opportunities", "Projects"))

TAKE_ACTION = ActionSpec(
    id="take-action",
    label="Take an action (outcome)",
    help="Record an action with an outcome such as Triage or Claim on each ticket.",
    fields=(
        ActionField(
            name="outcome",
            label="Outcome",
            kind=FieldKind.CHOICE,
            desk_list="outcomes",
            required=True,
            help="its name or id, from the desk's outcomes",
        ),
        ActionField(name="note", label="Note", kind=FieldKind.MULTILINE),
        ActionField(
            name="new_status",
            label="New status",
            kind=FieldKind.CHOICE,
            lookup="statuses",
            help="default: as the outcome says",
        ),
        ActionField(
            name="private",
            label="Hidden from the user",
            kind=FieldKind.BOOL,
            help="default: as the outcome says",
        ),
    ),
)
OUTCOMES = ActionSpec(
    id="outcomes",
    label="List outcomes",
    help="The outcomes an action can take, with the status each sets.",
    scope=Scope.NONE,
)
ASSIGN_WITH_NOTE = ActionSpec(
    id="assign-with-note",
    label="Assign with a note",
    help="Assign each ticket to a team and/or an agent of it, with an optional private note.",
    fields=(
        ActionField(name="team", label="Team", kind=FieldKind.CHOICE, lookup="groups"),
        ActionField(
            name="agent",
            label="Agent",
            kind=FieldKind.CHOICE,
            lookup="agents",
            help="a member of the team",
        ),
        ActionField(name="note", label="Private note", kind=FieldKind.MULTILINE),
    ),
)
RESOLVE = ActionSpec(
    id="resolve",
    label="Resolve and notify",
    help="Resolve each ticket, e-mailing the addresses given.",
    fields=(
        ActionField(
            name="email_to",
            label="Email to",
            kind=FieldKind.TEXT,
            required=True,
            help="one or more addresses, separated by commas",
        ),
        ActionField(name="note", label="Private note", kind=FieldKind.MULTILINE),
        ActionField(
            name="extra",
            label="Additional fields",
            kind=FieldKind.MULTILINE,
            help='a JSON object merged into the action, e.g. {"emailcc": "a@b.com"}',
        ),
    ),
)
UPDATE_FIELDS = ActionSpec(
    id="update-fields",
    label="Update with a Halo object",
    help="Apply one JSON object of Halo ticket fields to each ticket.",
    fields=(
        ActionField(
            name="fields",
            label="Fields",
            kind=FieldKind.MULTILINE,
            required=True,
            help='e.g. {"summary": "…", "urgency": 2, "tickettype_id": 2}',
        ),
    ),
)
DELETE_WITH_REASON = ActionSpec(
    id="delete-with-reason",
    label="Delete with a reason",
    help="Delete each ticket for good, recording the reason on the desk.",
    destructive=True,
    fields=(ActionField(name="reason", label="Reason", kind=FieldKind.TEXT, required=True),),
)
REPORT = ActionSpec(
    id="report",
    label="Ticket report",
    help="A text report of the ticket: its fields, custom fields and conversation.",
    scope=Scope.ONE,
)
FETCH = ActionSpec(
    id="fetch",
    label="Fetch tickets",
    help="Tickets last updated in a range, newest first, by type, status, area and text.",
    scope=Scope.NONE,
    fields=(
        ActionField(
            name="since", label="Updated from", kind=FieldKind.DATE, help="default: a day ago"
        ),
        ActionField(name="until", label="Updated until", kind=FieldKind.DATE, help="default: now"),
        ActionField(name="types", label="Ticket types", kind=FieldKind.MULTICHOICE, lookup="types"),
        ActionField(
            name="statuses", label="Statuses", kind=FieldKind.MULTICHOICE, lookup="statuses"
        ),
        ActionField(
            name="areas", label="Ticket areas", kind=FieldKind.TEXT, help="area ids, e.g. 1,3"
        ),
        ActionField(name="search", label="Search text", kind=FieldKind.TEXT),
        ActionField(
            name="extra",
            label="Extra parameters",
            kind=FieldKind.TEXT,
            help="name=value pairs joined by &, e.g. client_id=12&open_only=true",
        ),
        ActionField(
            name="limit", label="At most", kind=FieldKind.NUMBER, default=100.0, help="1 to 1000"
        ),
    ),
)
AGENTS = ActionSpec(
    id="agents",
    label="List agents",
    help="The desk's agents, by search text and team.",
    scope=Scope.NONE,
    fields=(
        ActionField(name="search", label="Search text", kind=FieldKind.TEXT),
        ActionField(name="team", label="Team name", kind=FieldKind.TEXT),
    ),
)
CATEGORIES = ActionSpec(
    id="categories",
    label="List categories",
    help="Categories, by category type (2: resolution codes) and team.",
    scope=Scope.NONE,
    fields=(
        ActionField(name="type_id", label="Category type id", kind=FieldKind.NUMBER),
        ActionField(
            name="team", label="Team name", kind=FieldKind.TEXT, help="only with a type id"
        ),
    ),
)
TEAMS = ActionSpec(
    id="teams",
    label="List teams",
    help="Teams by domain and department; named teams come with their agents.",
    scope=Scope.NONE,
    fields=(
        ActionField(
            name="names",
            label="With agents of",
            kind=FieldKind.TEXT,
            help="team names, separated by commas",
        ),
        ActionField(name="domain", label="Domain", kind=FieldKind.CHOICE, choices=DOMAINS),
        ActionField(name="department", label="Department id", kind=FieldKind.NUMBER),
    ),
)
AREAS = ActionSpec(
    id="areas",
    label="List ticket areas",
    help="The ticket areas and the ticket types each holds.",
    scope=Scope.NONE,
)
STATUSES = ActionSpec(
    id="statuses",
    label="List ticket statuses",
    help="The ticket statuses, open or closed.",
    scope=Scope.NONE,
)
TICKET_TYPES = ActionSpec(
    id="ticket-types",
    label="List ticket types",
    help="The ticket types, by domain.",
    scope=Scope.NONE,
    fields=(ActionField(name="domain", label="Domain", kind=FieldKind.CHOICE, choices=DOMAINS),),
)

SPECS: tuple[ActionSpec, ...] = (
    TAKE_ACTION,
    OUTCOMES,
    ASSIGN_WITH_NOTE,
    RESOLVE,
    UPDATE_FIELDS,
    DELETE_WITH_REASON,
    REPORT,
    FETCH,
    AGENTS,
    CATEGORIES,
    TEAMS,
    AREAS,
    STATUSES,
    TICKET_TYPES,
)

_ADDRESS_SPLIT = re.compile(r"[,;\s]+")


async def run(
    adapter: HaloAdapter,
    spec: ActionSpec,
    ticket_id: str | None,
    values: Mapping[str, ActionValue],
) -> ActionOutcome:
    """Run one of :data:`SPECS` (values already checked against ``spec``)."""
    if ticket_id is not None:
        if spec.id == TAKE_ACTION.id:
            return await _take_action(adapter, ticket_id, values)
        if spec.id == ASSIGN_WITH_NOTE.id:
            return await _assign(adapter, ticket_id, values)
        if spec.id == RESOLVE.id:
            addresses = [a for a in _ADDRESS_SPLIT.split(_text(values, "email_to")) if a]
            extra = _json_object(adapter.name, "extra", values.get("extra"))
            ticket = await adapter.resolve(
                ticket_id, addresses, note=_text(values, "note"), extra=extra
            )
            return ActionOutcome(
                message=f"resolved, notified {', '.join(addresses)}", ticket=ticket
            )
        if spec.id == UPDATE_FIELDS.id:
            fields = _json_object(adapter.name, "fields", values.get("fields"))
            if not fields:
                raise InvalidInput(adapter.name, "fields", "give a JSON object of fields")
            saved = await adapter.update_tickets([ticket_id], fields)
            names = ", ".join(sorted(fields))
            return ActionOutcome(message=f"updated {names} on {len(saved)} ticket")
        if spec.id == DELETE_WITH_REASON.id:
            reason = _text(values, "reason")
            await adapter.delete_ticket(ticket_id, reason)
            return ActionOutcome(message=f"deleted ({reason})")
        if spec.id == REPORT.id:
            report = await adapter.ticket_report(ticket_id)
            lines = tuple(report.splitlines())
            return ActionOutcome(message=lines[0] if lines else "report", lines=lines[1:])
    if spec.id == OUTCOMES.id:
        outcomes = await adapter.outcomes()
        return ActionOutcome(
            message=f"{len(outcomes)} outcomes", lines=tuple(_outcome_line(o) for o in outcomes)
        )
    if spec.id == FETCH.id:
        return await _fetch(adapter, values)
    if spec.id in _LISTS:
        return await _list(adapter, spec, values)
    raise Unsupported(adapter.name, f"the desk has no action {spec.id!r}")


async def _take_action(
    adapter: HaloAdapter, ticket_id: str, values: Mapping[str, ActionValue]
) -> ActionOutcome:
    private = values.get("private")
    status = values.get("new_status")
    saved = await adapter.apply_outcome(
        ticket_id,
        _text(values, "outcome"),
        note=_text(values, "note"),
        new_status=status if isinstance(status, str) else None,
        private=private if isinstance(private, bool) else None,
    )
    outcome = str(saved.get("outcome") or _text(values, "outcome"))
    return ActionOutcome(
        message=f"action {wire.ident(saved.get('id'))}: {outcome}",
        created_id=wire.ident(saved.get("id")) or None,
    )


async def _assign(
    adapter: HaloAdapter, ticket_id: str, values: Mapping[str, ActionValue]
) -> ActionOutcome:
    team = values.get("team")
    agent = values.get("agent")
    if not isinstance(team, str) and not isinstance(agent, str):
        raise InvalidInput(adapter.name, "team", "give a team and/or an agent")
    ticket = await adapter.assign(
        ticket_id,
        agent if isinstance(agent, str) else None,
        team if isinstance(team, str) else None,
    )
    note = _text(values, "note")
    if note.strip():
        await adapter.add_post(ticket_id, note, Visibility.PRIVATE)
    who = [
        part
        for part in (
            ticket.group.label if ticket.group else "",
            ticket.assignee.name if ticket.assignee else "",
        )
        if part
    ]
    noted = " with a private note" if note.strip() else ""
    return ActionOutcome(message=f"assigned to {' / '.join(who)}{noted}", ticket=ticket)


async def _fetch(adapter: HaloAdapter, values: Mapping[str, ActionValue]) -> ActionOutcome:
    since = values.get("since")
    until = values.get("until")
    limit = values.get("limit")
    rows = await adapter.fetch_tickets(
        start=_day_start(since) if isinstance(since, str) else None,
        end=_day_start(until) + timedelta(days=1) if isinstance(until, str) else None,
        limit=int(limit) if isinstance(limit, float) else None,
        type_ids=_choices(values.get("types")),
        status_ids=_choices(values.get("statuses")),
        area_ids=[a for a in re.split(r"[,\s]+", _text(values, "areas")) if a],
        search=_text(values, "search"),
        extra=_pairs(adapter.name, _text(values, "extra")),
    )
    lines = tuple(
        f"{wire.ident(row.get('id'))}  {row.get('lastactiondate') or row.get('last_update') or '-'}"
        f"  {row.get('status_name') or row.get('status_id') or '-'}  {row.get('summary') or ''}"
        for row in rows
    )
    return ActionOutcome(
        message=f"{len(rows)} tickets", lines=tuple(" ".join(li.split()) for li in lines)
    )


_LISTS = frozenset(spec.id for spec in (AGENTS, CATEGORIES, TEAMS, AREAS, STATUSES, TICKET_TYPES))


async def _list(
    adapter: HaloAdapter, spec: ActionSpec, values: Mapping[str, ActionValue]
) -> ActionOutcome:
    rows: list[dict[str, Any]]
    if spec.id == AGENTS.id:
        rows = await adapter.list_agents(search=_text(values, "search"), team=_text(values, "team"))
        what = "agents"
    elif spec.id == CATEGORIES.id:
        type_id = values.get("type_id")
        rows = await adapter.list_categories(
            type_id=str(int(type_id)) if isinstance(type_id, float) else None,
            team_name=_text(values, "team"),
        )
        what = "categories"
    elif spec.id == TEAMS.id:
        department = values.get("department")
        domain = values.get("domain")
        rows = await adapter.list_teams(
            names=[n.strip() for n in _text(values, "names").split(",") if n.strip()],
            team_type=domain if isinstance(domain, str) else None,
            department_id=str(int(department)) if isinstance(department, float) else None,
        )
        what = "teams"
    elif spec.id == AREAS.id:
        rows = await adapter.list_ticket_areas()
        what = "ticket areas"
    elif spec.id == STATUSES.id:
        rows = await adapter.list_statuses()
        what = "statuses"
    else:
        domain = values.get("domain")
        rows = await adapter.list_ticket_types(domain=domain if isinstance(domain, str) else None)
        what = "ticket types"
    return ActionOutcome(
        message=f"{len(rows)} {what}", lines=tuple(_record_line(spec.id, row) for row in rows)
    )


def _record_line(kind: str, row: Mapping[str, Any]) -> str:
    ident = wire.ident(row.get("id"))
    name = row.get("name") or row.get("value") or row.get("category_name") or ""
    extra = ""
    if kind == "agents":
        teams = row.get("teams")
        names = (
            [str(t.get("name")) for t in teams if isinstance(t, dict)]
            if isinstance(teams, list)
            else []
        )
        extra = f"  {row.get('email') or '-'}  teams: {', '.join(names) or '-'}"
    elif kind == "teams":
        agents = row.get("agents")
        if isinstance(agents, list):
            extra = "  agents: " + (
                ", ".join(str(a.get("name")) for a in agents if isinstance(a, dict)) or "-"
            )
    return " ".join(f"{ident}  {name}{extra}".split())


def _outcome_line(outcome: Mapping[str, Any]) -> str:
    flags = [
        flag
        for flag, on in (
            ("private", outcome.get("hidefromuser")),
            ("e-mails", outcome.get("sendemail")),
            ("hidden", outcome.get("hidden")),
        )
        if on
    ]
    status = wire.ident(outcome.get("newstatus"))
    sets = f"  sets status {status}" if status not in ("", "0") else ""
    shown = f"  ({', '.join(flags)})" if flags else ""
    return " ".join(f"{wire.ident(outcome.get('id'))}  {outcome.get('outcome') or ''}".split()) + (
        sets + shown
    )


def _text(values: Mapping[str, ActionValue], name: str) -> str:
    value = values.get(name)
    return value if isinstance(value, str) else ""


def _choices(value: ActionValue) -> Sequence[str]:
    return value if isinstance(value, tuple) else ()


def _day_start(day: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(0, 0), tzinfo=UTC)


def _json_object(connection: str, field: str, value: ActionValue) -> dict[str, Any]:
    if not isinstance(value, str) or not value.strip():
        return {}
    try:
        parsed = json.loads(value)
    except ValueError as exc:
        raise InvalidInput(connection, field, f"not JSON: {exc}") from None
    if not isinstance(parsed, dict):
        raise InvalidInput(connection, field, "must be a JSON object")
    return parsed


def _pairs(connection: str, text: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for part in (p for p in text.split("&") if p.strip()):
        name, sep, value = part.partition("=")
        if not sep or not name.strip():
            raise InvalidInput(connection, "extra", f"{part.strip()!r} is not name=value")
        pairs[name.strip()] = value.strip()
    return pairs
