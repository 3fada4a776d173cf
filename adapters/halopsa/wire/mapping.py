"""Halo's JSON as the normalised model: the lookups as choices, tickets, actions as posts,
custom fields read and written.

* **Statuses** are done when ``GET /Status?excludeclosed=true`` leaves them out (Halo's
  own flag); the label then tells closed from resolved, and the connection's
  ``status_map`` overrides either way.
* **Priorities** are defined per SLA (the same ``priorityid`` once per SLA); a ticket's
  ``priority_id`` is the ``priorityid``, so the pick-list has one entry per ``priorityid``,
  named as in the first SLA that has it.
* **Teams** are written and listed by name in ticket rows (``team``) and by id in a full
  ticket (``team_id``); both map to the team's id.
* **Agents** 0 and 1 mean "unassigned" (Halo's pseudo-agent "Unassigned" is agent 1).
* **Actions**: hidden from the user = private note, else a public reply; who_type 0 (or
  ``who`` "System") is the system, a ``actionby_user_id`` the customer, else an agent.
  Notes may be HTML; they are read as text. Actions without text (a status change, a
  claim) are not posts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from adapters.halopsa.wire.times import parse_time
from adapters.lookups import ChoiceCatalogue, priority_ranks, status_category
from adapters.model import (
    AuthorKind,
    Choice,
    CustomField,
    CustomFieldValue,
    FieldType,
    Person,
    Post,
    PostKind,
    StatusCategory,
    Ticket,
    TicketKey,
    Visibility,
)
from adapters.text import html_to_text, looks_like_html

UNASSIGNED_IDS = frozenset({"0", "1", ""})

# FieldInfo / customfields type codes.
CF_TEXT, CF_MEMO, CF_SELECT, CF_MULTI, CF_DATE, CF_CHECKBOX = 0, 1, 2, 3, 4, 6
_FIELD_TYPES = {
    CF_TEXT: FieldType.TEXT,
    CF_MEMO: FieldType.TEXT,
    CF_SELECT: FieldType.SELECT,
    CF_MULTI: FieldType.MULTI_SELECT,
    CF_DATE: FieldType.DATE,
    CF_CHECKBOX: FieldType.CHECKBOX,
}


def ident(value: Any) -> str:
    """A wire id as the model's string ("" for none)."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def records(body: Any, key: str | None = None) -> list[dict[str, Any]]:
    """The records of a list answer: a bare array, or ``body[key]`` of an envelope."""
    if key is not None and isinstance(body, dict):
        body = body.get(key)
    if not isinstance(body, list):
        raise ValueError(f"expected a list{f' under {key!r}' if key else ''}")
    return [item for item in body if isinstance(item, dict)]


# --------------------------------------------------------------------------------------
# Lookups
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Catalog:
    """A connection's lookups: the choices, and what Halo-specific work needs beside them."""

    choices: ChoiceCatalogue
    team_ids: Mapping[str, str]  # casefolded team name -> team id
    team_names: Mapping[str, str]  # team id -> name
    agent_teams: Mapping[str, frozenset[str]]  # agent id -> team ids
    closed_status_ids: frozenset[str]
    agents: Sequence[Choice] = field(default_factory=tuple)


def build_catalog(
    statuses: Iterable[dict[str, Any]],
    open_statuses: Iterable[dict[str, Any]],
    priorities: Iterable[dict[str, Any]],
    types: Iterable[dict[str, Any]],
    teams: Iterable[dict[str, Any]],
    agents: Iterable[dict[str, Any]],
    overrides: Mapping[str, StatusCategory],
) -> Catalog:
    open_ids = {ident(s.get("id")) for s in open_statuses}
    status_choices: list[Choice] = []
    closed: set[str] = set()
    for status in statuses:
        sid, label = ident(status.get("id")), str(status.get("name") or "")
        done = sid not in open_ids
        if done:
            closed.add(sid)
        category = status_category(sid, label, done=done, overrides=overrides)
        status_choices.append(Choice(id=sid, label=label or f"#{sid}", category=category))
    named: dict[str, str] = {}
    for priority in priorities:
        pid = ident(priority.get("priorityid"))
        if pid and pid not in named and not priority.get("ishidden"):
            named[pid] = str(priority.get("name") or f"#{pid}")
    order = sorted(named, key=lambda pid: (len(pid), pid))
    ranks = priority_ranks([(pid, named[pid], -index) for index, pid in enumerate(order)])
    priority_choices = [Choice(id=pid, label=named[pid], rank=ranks[pid]) for pid in order]
    type_choices = [
        Choice(
            id=ident(t.get("id")), label=str(t.get("name") or ""), detail=str(t.get("use") or "")
        )
        for t in types
        if ident(t.get("id"))
    ]
    team_rows = [t for t in teams if ident(t.get("id"))]
    group_choices = [
        Choice(
            id=ident(t.get("id")),
            label=str(t.get("name") or ""),
            detail=str(t.get("department_name") or "") or None,
        )
        for t in team_rows
    ]
    agent_choices: list[Choice] = []
    agent_teams: dict[str, frozenset[str]] = {}
    team_ids = {str(t.get("name") or "").casefold(): ident(t.get("id")) for t in team_rows}
    for agent in agents:
        aid = ident(agent.get("id"))
        if aid in UNASSIGNED_IDS or agent.get("isdisabled"):
            continue
        agent_choices.append(
            Choice(id=aid, label=str(agent.get("name") or ""), detail=agent.get("email") or None)
        )
        member: set[str] = set()
        for team in agent.get("teams") or ():
            if isinstance(team, dict):
                tid = ident(team.get("id") or team.get("team_id"))
                name = str(team.get("name") or team.get("team_name") or "").casefold()
                member.add(tid or team_ids.get(name, ""))
        if agent.get("team"):
            member.add(team_ids.get(str(agent["team"]).casefold(), ""))
        agent_teams[aid] = frozenset(member - {""})
    choices = ChoiceCatalogue(
        statuses=status_choices,
        priorities=priority_choices,
        types=type_choices,
        groups=group_choices,
        agents=agent_choices,
        none_ids=("", "0"),
    )
    return Catalog(
        choices=choices,
        team_ids=team_ids,
        team_names={ident(t.get("id")): str(t.get("name") or "") for t in team_rows},
        agent_teams=agent_teams,
        closed_status_ids=frozenset(closed),
        agents=tuple(agent_choices),
    )


def outcome_choices(
    outcomes: Iterable[Mapping[str, Any]], statuses: Sequence[Choice]
) -> tuple[Choice, ...]:
    """The outcomes an action can take, as the ``outcomes`` pick-list (Take an action): the
    outcome's name, with the status it sets and whether it is private as detail. Hidden
    outcomes (not offered as buttons in Halo) come last."""
    status_labels = {status.id: status.label for status in statuses}
    shown: list[Choice] = []
    hidden: list[Choice] = []
    for outcome in outcomes:
        oid = ident(outcome.get("id"))
        if not oid:
            continue
        status = ident(outcome.get("newstatus"))
        details = [
            f"sets {status_labels.get(status, '#' + status)}" if status not in ("", "0") else "",
            "private" if outcome.get("hidefromuser") else "",
            "hidden" if outcome.get("hidden") else "",
        ]
        choice = Choice(
            id=oid,
            label=str(outcome.get("outcome") or outcome.get("buttonname") or f"#{oid}"),
            detail=", ".join(part for part in details if part) or None,
        )
        (hidden if outcome.get("hidden") else shown).append(choice)
    return (*shown, *hidden)


# --------------------------------------------------------------------------------------
# Tickets
# --------------------------------------------------------------------------------------


def _person(pid: Any, name: Any, email: Any) -> Person | None:
    text = str(name or "").strip()
    mail = str(email or "").strip() or None
    if not text and not mail:
        return None
    return Person(id=ident(pid) or None, name=text or (mail or ""), email=mail)


def ticket(
    connection: str, row: Mapping[str, Any], catalog: Catalog, *, raw: bool = False
) -> Ticket:
    """A ticket row (list or full) as the model's :class:`Ticket`."""
    number = ident(row.get("id"))
    if not number:
        raise ValueError("a ticket without an id")
    choices = catalog.choices
    team_id = ident(row.get("team_id"))
    if not team_id and row.get("team"):
        team_id = catalog.team_ids.get(str(row["team"]).casefold(), "")
    group = choices.group(team_id) if team_id else None
    if group is None and row.get("team"):
        group = Choice(id=f"name:{row['team']}", label=str(row["team"]))
    agent_id = ident(row.get("agent_id"))
    assignee = None
    if agent_id not in UNASSIGNED_IDS:
        known = choices.agent(agent_id)
        name = str(row.get("agent_name") or "") or (known.label if known else f"#{agent_id}")
        assignee = Person(id=agent_id, name=name, email=known.detail if known else None)
    created = parse_time(row.get("dateoccurred")) or parse_time(row.get("datecreated"))
    updated = parse_time(row.get("last_update")) or parse_time(row.get("lastactiondate")) or created
    if created is None:
        created = updated or datetime(1970, 1, 1, tzinfo=UTC)
    tags = tuple(t.strip() for t in str(row.get("ticket_tags") or "").split(",") if t.strip())
    if not tags and isinstance(row.get("tags"), list):
        tags = tuple(str(t.get("text") or "") for t in row["tags"] if isinstance(t, dict))
    return Ticket(
        key=TicketKey(connection, number),
        display_id=number,
        subject=str(row.get("summary") or "") or "(no summary)",
        status=choices.status(ident(row.get("status_id"))),
        priority=choices.priority(ident(row.get("priority_id"))),
        type=choices.type(ident(row.get("tickettype_id"))),
        requester=_person(
            row.get("user_id"), row.get("user_name"), row.get("user_email") or row.get("reportedby")
        ),
        assignee=assignee,
        group=group,
        created=created,
        updated=max(updated or created, created),
        due=parse_time(row.get("fixbydate")),
        tags=tuple(t for t in tags if t),
        raw=dict(row) if raw else None,
    )


def opening_post(row: Mapping[str, Any]) -> Post | None:
    """The ticket's ``details`` as its first message, from the requester."""
    body = _text(row.get("details_html") or row.get("details"))
    if not body.strip():
        return None
    created = parse_time(row.get("dateoccurred")) or parse_time(row.get("datecreated"))
    return Post(
        id=f"details-{ident(row.get('id'))}",
        author=_person(
            row.get("user_id"), row.get("user_name"), row.get("user_email") or row.get("reportedby")
        ),
        author_kind=AuthorKind.CUSTOMER,
        created=created or datetime(1970, 1, 1, tzinfo=UTC),
        body=body,
        visibility=Visibility.PUBLIC,
        kind=PostKind.REPLY,
    )


def _text(value: Any) -> str:
    text = str(value or "")
    return html_to_text(text) if looks_like_html(text) else text


def post(action: Mapping[str, Any], closed_status_ids: frozenset[str] = frozenset()) -> Post | None:
    """An action as a post; ``None`` for one without text."""
    body = _text(action.get("note") or action.get("note_html"))
    if not body.strip():
        return None
    hidden = bool(action.get("hiddenfromuser"))
    who = str(action.get("who") or "")
    if action.get("who_type") == 0 or who.casefold() == "system":
        kind = AuthorKind.SYSTEM
    elif ident(action.get("actionby_user_id")) not in ("", "0") or action.get("who_type") == 2:
        kind = AuthorKind.CUSTOMER
    else:
        kind = AuthorKind.AGENT
    agent = ident(action.get("actionby_agent_id") or action.get("who_agentid"))
    author = None
    if who and kind is not AuthorKind.SYSTEM:
        author = Person(
            id=agent if kind is AuthorKind.AGENT and agent not in ("", "0") else None,
            name=who,
            email=str(action.get("emailfrom") or "") or None,
        )
    resolved = ident(action.get("new_status")) in closed_status_ids
    post_kind = PostKind.NOTE if hidden else PostKind.REPLY
    if resolved and kind is AuthorKind.AGENT:
        post_kind = PostKind.RESOLUTION
    return Post(
        id=ident(action.get("id")),
        author=author,
        author_kind=kind,
        created=parse_time(action.get("datetime"))
        or parse_time(action.get("actiondatecreated"))
        or datetime(1970, 1, 1, tzinfo=UTC),
        body=body,
        visibility=Visibility.PRIVATE if hidden else Visibility.PUBLIC,
        kind=post_kind,
    )


# --------------------------------------------------------------------------------------
# Custom fields
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldDefinition:
    """A custom field's set-up (``GET /FieldInfo?includevalues=true``)."""

    id: str
    name: str
    label: str
    type: int
    inputtype: int
    options: tuple[Choice, ...]
    mandatory: bool = False


def field_definitions(rows: Iterable[dict[str, Any]]) -> dict[str, FieldDefinition]:
    """Definitions by field name (casefolded) and by id."""
    found: dict[str, FieldDefinition] = {}
    for row in rows:
        name = str(row.get("name") or "")
        if not name:
            continue
        options = tuple(
            Choice(id=ident(v.get("id")), label=str(v.get("name") or v.get("value") or ""))
            for v in row.get("values") or ()
            if isinstance(v, dict)
        )
        definition = FieldDefinition(
            id=ident(row.get("id")),
            name=name,
            label=str(row.get("label") or row.get("summary") or name),
            type=_int(row.get("type")),
            inputtype=_int(row.get("inputtype")),
            options=options,
            mandatory=bool(row.get("mandatory")),
        )
        found[name.casefold()] = definition
        found[definition.id] = definition
    return found


def blank_fields(definitions: Mapping[str, FieldDefinition]) -> tuple[CustomField, ...]:
    """Every field the instance defines, unset and in definition order, as a new ticket's
    form offers them (``definitions`` holds each under its name and its id)."""
    unique = {definition.id: definition for definition in definitions.values()}
    return tuple(
        CustomField(
            key=definition.name,
            label=definition.label,
            group="Custom fields",
            type=field_type(definition.type, definition.inputtype),
            options=definition.options,
            editable=definition.type in _FIELD_TYPES,
            required=definition.mandatory,
        )
        for definition in unique.values()
    )


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def field_type(definition_type: int, inputtype: int) -> FieldType:
    if definition_type == CF_TEXT and inputtype == 1:
        return FieldType.NUMBER
    return _FIELD_TYPES.get(definition_type, FieldType.TEXT)


def custom_fields(
    entries: Any, definitions: Mapping[str, FieldDefinition]
) -> tuple[CustomField, ...]:
    """A ticket's ``customfields`` as the model's, typed by their definitions."""
    fields: list[CustomField] = []
    seen: set[str] = set()
    for entry in entries if isinstance(entries, list) else ():
        if not isinstance(entry, dict) or not entry.get("name"):
            continue
        name = str(entry["name"])
        if name.casefold() in seen:
            continue
        seen.add(name.casefold())
        definition = definitions.get(name.casefold()) or definitions.get(ident(entry.get("id")))
        code = (
            _int(entry.get("type"))
            if entry.get("type") is not None
            else (definition.type if definition else 0)
        )
        inputtype = _int(entry.get("inputtype")) if entry.get("inputtype") is not None else 0
        kind = field_type(code, inputtype)
        options = definition.options if definition else ()
        fields.append(
            CustomField(
                key=name,
                label=str(entry.get("label") or (definition.label if definition else name)),
                group="Custom fields",
                type=kind,
                value=read_value(kind, entry.get("value"), entry.get("display"), options),
                options=options,
                editable=code in _FIELD_TYPES,
                required=bool(definition.mandatory) if definition else False,
            )
        )
    return tuple(fields)


def read_value(
    kind: FieldType, value: Any, display: Any, options: Sequence[Choice]
) -> CustomFieldValue:
    """A stored value (text or number, as Halo sends it) as the model's typed value."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    labels = {choice.id: choice.label for choice in options}
    if kind is FieldType.SELECT:
        return labels.get(ident(value)) or (str(display) if display else ident(value))
    if kind is FieldType.MULTI_SELECT:
        parts = [p.strip() for p in str(value).replace(";", ",").split(",") if p.strip()]
        return [labels.get(p, p) for p in parts]
    if kind is FieldType.DATE:
        moment = parse_time(str(value))
        return moment.date().isoformat() if moment else None
    if kind is FieldType.CHECKBOX:
        return str(value).strip().lower() in ("1", "true", "yes")
    if kind is FieldType.NUMBER:
        try:
            return float(value)
        except (TypeError, ValueError):
            return None
    return str(value)


def write_value(field: CustomField, value: CustomFieldValue) -> Any:
    """The wire value of ``value`` for ``field``; ValueError when it cannot be one."""
    if value is None or value == "" or value == []:
        return ""
    by_label = {choice.label.casefold(): choice.id for choice in field.options}
    ids = {choice.id for choice in field.options}

    def option(item: str) -> str:
        text = item.strip()
        if text in ids:
            return text
        if text.casefold() in by_label:
            return by_label[text.casefold()]
        raise ValueError(f"{item!r} is not one of its options")

    if field.type is FieldType.SELECT:
        return option(str(value))
    if field.type is FieldType.MULTI_SELECT:
        items = value if isinstance(value, list) else str(value).split(",")
        return ",".join(option(str(item)) for item in items)
    if field.type is FieldType.DATE:
        day = datetime.fromisoformat(str(value).strip()[:10])
        return day.strftime("%Y-%m-%dT00:00:00")
    if field.type is FieldType.CHECKBOX:
        if isinstance(value, bool):
            return 1 if value else 0
        text = str(value).strip().lower()
        if text not in ("1", "0", "true", "false", "yes", "no"):
            raise ValueError(f"{value!r} is not yes or no")
        return 1 if text in ("1", "true", "yes") else 0
    if field.type is FieldType.NUMBER:
        number = float(value) if not isinstance(value, list) else float("nan")
        if number != number:
            raise ValueError(f"{value!r} is not a number")
        return int(number) if number.is_integer() else number
    if isinstance(value, list):
        raise ValueError("a text field takes one value")
    return str(value)
