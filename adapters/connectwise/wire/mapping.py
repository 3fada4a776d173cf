"""ConnectWise's JSON as the normalised model: the site's catalogue (boards with their
statuses, teams and types; priorities; members), tickets, notes and custom fields.

* Statuses belong to a board: each :class:`~adapters.model.Choice` carries its board's id
  as ``scope`` (so the forms offer a ticket only its own board's statuses), and its
  category comes from ``closedStatus`` (the PSA's own "done"), the label telling closed
  from resolved. Board types are scoped the same way. Boards are the groups.
* A note's flags say where it shows: Discussion (``detailDescriptionFlag``) is public,
  Internal alone is private, Resolution is a resolution (public unless also Internal).
  Notes that came in by e-mail may be HTML; they are read as text.
* Custom fields come from the ticket's ``customFields``: the key is the field's id; a
  number without decimals is written back as an integer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from adapters.errors import InvalidInput, ProtocolError
from adapters.lookups import priority_ranks, status_category
from adapters.model import (
    AuthorKind,
    Choice,
    CustomField,
    CustomFieldValue,
    FieldType,
    Lookups,
    Person,
    Post,
    PostKind,
    StatusCategory,
    Ticket,
    TicketKey,
    Visibility,
)
from adapters.text import html_to_text, looks_like_html

Json = dict[str, Any]

FIELD_TYPES: Mapping[str, FieldType] = {
    "Text": FieldType.TEXT,
    "TextArea": FieldType.TEXT,
    "Hyperlink": FieldType.TEXT,
    "IPAddress": FieldType.TEXT,
    "Password": FieldType.TEXT,
    "Button": FieldType.TEXT,
    "Number": FieldType.NUMBER,
    "Percent": FieldType.NUMBER,
    "Currency": FieldType.NUMBER,
    "Date": FieldType.DATE,
    "Checkbox": FieldType.CHECKBOX,
}
READ_ONLY_FIELD_TYPES = frozenset({"Button"})


def parse_time(value: object, *, what: str, connection: str) -> datetime:
    """A PSA timestamp (``2024-05-01T08:29:34Z``) as aware UTC."""
    if not isinstance(value, str) or not value.strip():
        raise ProtocolError(connection, what, f"no timestamp ({value!r})")
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ProtocolError(connection, what, f"not a timestamp: {value!r}") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def ident(record: Mapping[str, Any], *, what: str, connection: str) -> int:
    value = record.get("id")
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProtocolError(connection, what, f"no numeric id ({value!r})")
    return value


def ref(record: Mapping[str, Any], name: str) -> Json | None:
    value = record.get(name)
    return value if isinstance(value, dict) and isinstance(value.get("id"), int) else None


def label(value: Mapping[str, Any] | None, *keys: str) -> str:
    if value is None:
        return ""
    for key in keys or ("name",):
        text = value.get(key)
        if isinstance(text, str) and text.strip():
            return text
    return ""


# --------------------------------------------------------------------------------------
# The catalogue
# --------------------------------------------------------------------------------------


@dataclass
class Catalog:
    """The site's setup tables, as read: every list is the API's records."""

    boards: list[Json]
    statuses: list[Json]  # every board's, each with its ``board``
    teams: list[Json]
    types: list[Json]
    priorities: list[Json]
    members: list[Json]
    status_map: Mapping[str, StatusCategory] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.status_by_id = {s["id"]: s for s in self.statuses}
        self.board_by_id = {b["id"]: b for b in self.boards}
        ranks = priority_ranks(
            [(p["id"], label(p), int(p.get("sortOrder") or 0)) for p in self.priorities]
        )
        self._priority_choices = {
            p["id"]: Choice(id=str(p["id"]), label=label(p) or f"#{p['id']}", rank=ranks[p["id"]])
            for p in self.priorities
        }
        self._status_choices = {s["id"]: self._status_choice(s) for s in self.statuses}

    def board_of_status(self, status: Json) -> int | None:
        board = status.get("board")
        return board.get("id") if isinstance(board, dict) else None

    def _status_choice(self, status: Json) -> Choice:
        name = label(status) or f"#{status['id']}"
        board = self.board_of_status(status)
        return Choice(
            id=str(status["id"]),
            label=name,
            category=status_category(
                str(status["id"]),
                name,
                done=bool(status.get("closedStatus")),
                overrides=self.status_map,
            ),
            scope=str(board) if board is not None else None,
            detail=label(self.board_by_id.get(board, {})) or None,
        )

    def status(self, reference: Json | None, board_id: int | None) -> Choice | None:
        if reference is None:
            return None
        known = self._status_choices.get(reference["id"])
        if known is not None:
            return known
        name = label(reference) or f"#{reference['id']}"
        return Choice(
            id=str(reference["id"]),
            label=name,
            category=status_category(str(reference["id"]), name, overrides=self.status_map),
            scope=str(board_id) if board_id is not None else None,
        )

    def priority(self, reference: Json | None) -> Choice | None:
        if reference is None:
            return None
        known = self._priority_choices.get(reference["id"])
        return known or Choice(id=str(reference["id"]), label=label(reference) or "?")

    def closing_statuses(self, board_id: int) -> list[Json]:
        """The board's closed statuses, the one titled "Closed" first."""
        closed = [
            s
            for s in self.statuses
            if self.board_of_status(s) == board_id
            and s.get("closedStatus")
            and not s.get("inactive")
        ]
        closed.sort(key=lambda s: ("clos" not in label(s).casefold(), s.get("sortOrder", 0)))
        return closed

    def default_status(self, board_id: int) -> Json | None:
        own = [s for s in self.statuses if self.board_of_status(s) == board_id]
        return next((s for s in own if s.get("defaultFlag")), own[0] if own else None)

    def lookups(self) -> Lookups:
        active = [b for b in self.boards if not b.get("inactiveFlag")]
        active_ids = {b["id"] for b in active}
        return Lookups(
            statuses=tuple(
                self._status_choices[s["id"]]
                for s in self.statuses
                if self.board_of_status(s) in active_ids and not s.get("inactive")
            ),
            priorities=tuple(
                sorted(self._priority_choices.values(), key=lambda c: (c.rank or 9, c.id))
            ),
            types=tuple(
                Choice(
                    id=str(t["id"]),
                    label=label(t) or f"#{t['id']}",
                    scope=str(t["board"]["id"]) if isinstance(t.get("board"), dict) else None,
                )
                for t in self.types
                if not t.get("inactiveFlag")
            ),
            agents=tuple(
                Choice(id=str(m["id"]), label=member_name(m), detail=m.get("identifier"))
                for m in self.members
                if not m.get("inactiveFlag") and m.get("licenseClass") != "A"
            ),
            groups=tuple(Choice(id=str(b["id"]), label=label(b) or f"#{b['id']}") for b in active),
        )


def member_name(member: Mapping[str, Any]) -> str:
    name = f"{member.get('firstName') or ''} {member.get('lastName') or ''}".strip()
    return name or str(member.get("identifier") or f"#{member.get('id')}")


# --------------------------------------------------------------------------------------
# Tickets
# --------------------------------------------------------------------------------------


def ticket_from(
    record: Mapping[str, Any], catalog: Catalog, connection: str, *, keep_raw: bool = False
) -> Ticket:
    number = ident(record, what="ticket", connection=connection)
    what = f"ticket {number}"
    info = record.get("_info")
    if not isinstance(info, dict):
        raise ProtocolError(connection, what, "no _info")
    board = ref(record, "board")
    board_id = board["id"] if board else None
    contact = ref(record, "contact")
    requester_name = label(record, "contactName") or label(contact)
    email = (
        record.get("contactEmailAddress")
        if isinstance(record.get("contactEmailAddress"), str)
        else None
    )
    requester = None
    if requester_name or email:
        requester = Person(
            id=str(contact["id"]) if contact else None,
            name=requester_name or (email or ""),
            email=email or None,
        )
    owner = ref(record, "owner")
    assignee = (
        Person(id=str(owner["id"]), name=label(owner, "name", "identifier") or f"#{owner['id']}")
        if owner
        else None
    )
    kind = ref(record, "type")
    due = record.get("requiredDate")
    company = ref(record, "company")
    return Ticket(
        key=TicketKey(connection, str(number)),
        display_id=str(number),
        subject=str(record.get("summary") or ""),
        status=catalog.status(ref(record, "status"), board_id),
        priority=catalog.priority(ref(record, "priority")),
        type=(
            Choice(id=str(kind["id"]), label=label(kind) or f"#{kind['id']}", scope=str(board_id))
            if kind
            else None
        ),
        requester=requester,
        assignee=assignee,
        group=Choice(id=str(board["id"]), label=label(board) or f"#{board['id']}")
        if board
        else None,
        created=parse_time(info.get("dateEntered"), what=what, connection=connection),
        updated=parse_time(info.get("lastUpdated"), what=what, connection=connection),
        due=parse_time(due, what=what, connection=connection) if due else None,
        tags=(label(company),) if company and label(company) else (),
        raw=dict(record) if keep_raw else None,
    )


# --------------------------------------------------------------------------------------
# Notes
# --------------------------------------------------------------------------------------


def note_kind(note: Mapping[str, Any]) -> tuple[Visibility, PostKind]:
    discussion = note.get("detailDescriptionFlag") is True
    internal = note.get("internalAnalysisFlag") is True
    resolution = note.get("resolutionFlag") is True
    visibility = Visibility.PRIVATE if internal and not discussion else Visibility.PUBLIC
    if resolution:
        return visibility, PostKind.RESOLUTION
    return visibility, PostKind.REPLY if discussion else PostKind.NOTE


def post_from(note: Mapping[str, Any], connection: str) -> Post:
    number = ident(note, what="note", connection=connection)
    what = f"note {number}"
    visibility, kind = note_kind(note)
    contact = ref(note, "contact")
    member = ref(note, "member")
    if contact is not None:
        author: Person | None = Person(id=str(contact["id"]), name=label(contact) or "Contact")
        author_kind = AuthorKind.CUSTOMER
    elif member is not None:
        author = Person(
            id=str(member["id"]), name=label(member, "name", "identifier") or f"#{member['id']}"
        )
        author_kind = AuthorKind.AGENT
    else:
        name = note.get("createdBy")
        author = Person(name=name) if isinstance(name, str) and name.strip() else None
        author_kind = AuthorKind.SYSTEM
    raw_text = note.get("text")
    text = raw_text if isinstance(raw_text, str) else ""
    body = html_to_text(text) if looks_like_html(text) else text
    created = note.get("dateCreated") or (note.get("_info") or {}).get("lastUpdated")
    return Post(
        id=str(number),
        author=author,
        author_kind=author_kind,
        created=parse_time(created, what=what, connection=connection),
        body=body if body.strip() else "(empty note)",
        visibility=visibility,
        kind=kind,
    )


def note_flags(visibility: Visibility, *, resolution: bool = False) -> dict[str, bool]:
    """The three flags a new note is posted with."""
    return {
        "detailDescriptionFlag": visibility is Visibility.PUBLIC,
        "internalAnalysisFlag": visibility is Visibility.PRIVATE,
        "resolutionFlag": resolution,
    }


# --------------------------------------------------------------------------------------
# Custom fields
# --------------------------------------------------------------------------------------


def custom_fields_from(record: Mapping[str, Any], connection: str) -> tuple[CustomField, ...]:
    items = record.get("customFields")
    if items is None:
        return ()
    if not isinstance(items, list):
        raise ProtocolError(connection, "customFields", "not an array")
    fields: list[CustomField] = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("id"), int):
            continue
        kind = str(item.get("type") or "Text")
        field_type = FIELD_TYPES.get(kind, FieldType.TEXT)
        fields.append(
            CustomField(
                key=str(item["id"]),
                label=label(item, "caption") or f"Field {item['id']}",
                group="Custom fields",
                type=field_type,
                value=_read_value(field_type, item.get("value")),
                editable=kind not in READ_ONLY_FIELD_TYPES,
            )
        )
    return tuple(fields)


def _read_value(field_type: FieldType, value: object) -> CustomFieldValue:
    if value is None:
        return None
    if field_type is FieldType.NUMBER:
        return (
            float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
        )
    if field_type is FieldType.CHECKBOX:
        return value if isinstance(value, bool) else None
    if field_type is FieldType.DATE:
        return str(value)[:10] if isinstance(value, str) else None
    return str(value)


def encode_value(item: Mapping[str, Any], value: CustomFieldValue, connection: str) -> object:
    """A normalised value as the field's JSON ``value`` (``None`` clears it)."""
    key = str(item.get("id"))
    if value is None or value == "":
        return None
    kind = str(item.get("type") or "Text")
    field_type = FIELD_TYPES.get(kind, FieldType.TEXT)
    if kind in READ_ONLY_FIELD_TYPES:
        raise InvalidInput(connection, key, "a button field cannot be set")
    if field_type is FieldType.NUMBER:
        try:
            number = float(value) if not isinstance(value, bool | list) else None
        except ValueError:
            number = None
        if number is None:
            raise InvalidInput(connection, key, f"{value!r} is not a number")
        if int(item.get("numberOfDecimals") or 0) == 0:
            if not number.is_integer():
                raise InvalidInput(connection, key, "takes whole numbers only")
            return int(number)
        return number
    if field_type is FieldType.CHECKBOX:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in (
            "true",
            "yes",
            "1",
            "false",
            "no",
            "0",
        ):
            return value.strip().lower() in ("true", "yes", "1")
        raise InvalidInput(connection, key, f"{value!r} is not true or false")
    if field_type is FieldType.DATE:
        try:
            day = datetime.strptime(str(value).strip()[:10], "%Y-%m-%d")
        except ValueError:
            raise InvalidInput(connection, key, f"{value!r} is not a date (YYYY-MM-DD)") from None
        return day.strftime("%Y-%m-%dT00:00:00Z")
    if isinstance(value, list):
        raise InvalidInput(connection, key, "takes one value")
    return str(value)


def same_value(wanted: object, actual: CustomFieldValue) -> bool:
    if isinstance(wanted, str) and isinstance(actual, str) and "T" in wanted:
        return wanted[:10] == actual[:10]
    if isinstance(wanted, int | float) and isinstance(actual, int | float):
        return float(wanted) == float(actual)
    return wanted == actual


def items_of(payload: object, *, what: str, connection: str) -> list[Json]:
    """A list answer: a JSON array of objects."""
    if not isinstance(payload, list) or not all(isinstance(i, dict) for i in payload):
        raise ProtocolError(connection, what, "not an array of objects")
    return payload


def record_of(payload: object, *, what: str, connection: str) -> Json:
    if not isinstance(payload, dict):
        raise ProtocolError(connection, what, "not an object")
    return payload


def ids_text(values: Sequence[int]) -> str:
    return ", ".join(str(v) for v in values)
