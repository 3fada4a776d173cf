"""Kayako Classic's vendor records: statuses, priorities, types, departments, staff, users,
time tracks and custom-field definitions, typed from their XML elements.

These are what the seed's list commands return (the CLI prints them as JSON) and what the
catalogue (:mod:`adapters.kayako.wire.catalog`) builds the model's choices from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict

from adapters.errors import ProtocolError
from adapters.kayako.wire.xml import Node, text_of
from adapters.model import (
    AuthorKind,
    Choice,
    FieldType,
    Person,
    Post,
    PostKind,
    Visibility,
)
from adapters.text import clean_line, clean_text, html_to_text, looks_like_html

# Custom field type codes (``/Base/CustomField``'s ``fieldtype``).
TEXT_TYPES = frozenset({1, 2, 3, 8})
SELECT_TYPES = frozenset({5, 6})
MULTI_TYPES = frozenset({4, 7})
LINKED_SELECT = 9
DATE_TYPE = 10
FILE_TYPE = 11
OPTION_TYPES = SELECT_TYPES | MULTI_TYPES | {LINKED_SELECT}
LINKED_SEPARATOR = " > "
# Kayako's checkbox field is a group of checkboxes with options, so it is multi-valued.
FIELD_TYPES: dict[int, FieldType] = {
    **dict.fromkeys(TEXT_TYPES, FieldType.TEXT),
    **dict.fromkeys(SELECT_TYPES, FieldType.SELECT),
    **dict.fromkeys(MULTI_TYPES, FieldType.MULTI_SELECT),
    LINKED_SELECT: FieldType.SELECT,
    DATE_TYPE: FieldType.DATE,
    FILE_TYPE: FieldType.TEXT,
}


class _Wire(BaseModel):
    """A vendor record: typed, immutable, safe to dump as JSON (the CLI prints these).

    :meth:`from_node` reads each field, in declaration order, by its type from the child
    element (or attribute) of the same name or the one ``_SOURCES`` names: ``id`` as a
    required id (from the first of ``_ID_NAMES`` present), ``str`` as one-line text,
    ``int``/``bool`` as a number/flag (``_DEFAULTS`` when absent, else 0), ``int | None``
    with 0 as None and ``datetime | None`` as epoch seconds.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    _ID_NAMES: ClassVar[tuple[str, ...]] = ("id",)
    _SOURCES: ClassVar[Mapping[str, str]] = {}
    _DEFAULTS: ClassVar[Mapping[str, int]] = {}

    @classmethod
    def from_node(cls, node: Node) -> Self:
        return cls._read(node)

    @classmethod
    def _read(cls, node: Node, **given: Any) -> Self:
        """The record from ``node``; ``given`` fields are taken as they are (a subclass
        reads those itself)."""
        values: dict[str, Any] = {}
        for name, info in cls.model_fields.items():
            if name in given:
                values[name] = given[name]
            elif name == "id":
                values[name] = int(node.ident(*cls._ID_NAMES))
            else:
                source, default = cls._SOURCES.get(name, name), cls._DEFAULTS.get(name, 0)
                values[name] = _read_value(node, source, info.annotation, default)
        return cls(**values)


def _read_value(node: Node, name: str, kind: Any, default: int) -> Any:
    if kind is str:
        return node.text(name)
    if kind is int:
        return node.number(name, default)
    if kind is bool:
        return node.number(name, default) != 0
    if kind == int | None:
        return node.number(name) or None
    if kind == datetime | None:
        return node.time(name)
    raise TypeError(f"no reader for a {kind} field")  # a programming error, not bad input


class Status(_Wire):
    """``/Tickets/TicketStatus``: ``departmentid`` 0 means every department."""

    id: int
    title: str
    displayorder: int
    departmentid: int
    markasresolved: bool
    type: str
    displayinmainlist: bool
    statuscolor: str


class Priority(_Wire):
    id: int
    title: str
    displayorder: int
    type: str
    frcolorcode: str
    bgcolorcode: str


class TicketType(_Wire):
    id: int
    title: str
    displayorder: int
    departmentid: int
    type: str


class Department(_Wire):
    """``/Base/Department``: only ``module == "tickets"`` ones hold tickets."""

    id: int
    title: str
    type: str
    module: str
    app: str
    displayorder: int
    parentdepartmentid: int

    @property
    def is_tickets(self) -> bool:
        return (self.module or self.app) == "tickets"


class Staff(_Wire):
    id: int
    staffgroupid: int
    firstname: str
    lastname: str
    fullname: str
    username: str
    email: str
    designation: str
    isenabled: bool

    _DEFAULTS = {"isenabled": 1}

    @property
    def name(self) -> str:
        return self.fullname or " ".join(p for p in (self.firstname, self.lastname) if p)


class User(_Wire):
    """``/Base/User/Filter``: a customer; ``emails`` may hold several addresses."""

    id: int
    usergroupid: int
    userrole: str
    userorganizationid: int | None
    fullname: str
    emails: tuple[str, ...]
    designation: str
    phone: str
    dateline: datetime | None
    lastvisit: datetime | None
    isenabled: bool

    _DEFAULTS = {"isenabled": 1}

    @classmethod
    def from_node(cls, node: Node) -> Self:
        emails = tuple(
            e for e in (clean_line(text_of(v)) for v in _as_list(node.data.get("email"))) if e
        )
        return cls._read(
            node, emails=emails, userorganizationid=node.number("userorganizationid") or None
        )


NOTE_COLORS: dict[str, int] = {"yellow": 1, "purple": 2, "blue": 3, "green": 4, "red": 5}


class TimeTrack(_Wire):
    """``/Tickets/TicketTimeTrack``: seconds worked and billable, epoch dates."""

    id: int
    ticketid: int
    timeworked: int
    timebillable: int
    workdate: datetime | None
    billdate: datetime | None
    workerstaffid: int
    workerstaffname: str
    creatorstaffid: int
    creatorstaffname: str
    notecolor: int
    contents: str

    _DEFAULTS = {"notecolor": 1}

    @classmethod
    def from_node(cls, node: Node) -> Self:
        return cls._read(node, contents=body_text(node.content))

    def to_post(self, connection: str) -> Post:
        when = self.workdate or self.billdate
        if when is None:
            raise ProtocolError(connection, f"time track {self.id}", "has no work or bill date")
        staff_id = self.workerstaffid or self.creatorstaffid
        name = self.workerstaffname or self.creatorstaffname or f"staff {staff_id}"
        return Post(
            id=f"timetrack:{self.id}",
            author=Person(id=str(staff_id) if staff_id else None, name=name),
            author_kind=AuthorKind.AGENT,
            created=when,
            body=self.contents,
            visibility=Visibility.PRIVATE,
            kind=PostKind.TIME_ENTRY,
            time_spent=self.timeworked,
            time_billable=self.timebillable,
        )


class CustomFieldOption(_Wire):
    """``/Base/CustomField/ListOptions/$id$``; ``parentid`` is set in linked selects."""

    id: int
    fieldid: int
    value: str
    displayorder: int
    isselected: bool
    parentid: int | None

    _ID_NAMES = ("customfieldoptionid", "id")
    _SOURCES = {"fieldid": "customfieldid", "value": "optionvalue"}

    @classmethod
    def from_node(cls, node: Node) -> Self:
        return cls._read(node, parentid=node.number("parentcustomfieldoptionid") or None)


class CustomFieldDef(_Wire):
    """``/Base/CustomField``: a field's definition; ``name`` is its form key."""

    id: int
    groupid: int
    fieldtype: int
    name: str
    title: str
    isrequired: bool
    staffeditable: bool
    displayorder: int
    description: str

    _ID_NAMES = ("customfieldid", "id")
    _SOURCES = {"groupid": "customfieldgroupid"}
    _DEFAULTS = {"staffeditable": 1}

    @classmethod
    def from_node(cls, node: Node) -> Self:
        name = (node.raw("fieldname") or "").strip()
        if not name:
            raise node.error("missing fieldname")
        return cls._read(node, name=name)

    @property
    def has_options(self) -> bool:
        return self.fieldtype in OPTION_TYPES


@dataclass(frozen=True)
class FieldDefinition:
    """A custom field's definition with its options (empty for free-text types)."""

    definition: CustomFieldDef
    options: tuple[CustomFieldOption, ...] = ()

    def choices(self) -> tuple[Choice, ...]:
        """Options as the model shows them; a linked select's children as ``Parent > Child``."""
        by_id = {option.id: option for option in self.options}
        ordered = sorted(self.options, key=lambda o: (o.parentid or 0, o.displayorder, o.id))
        choices: list[Choice] = []
        for option in ordered:
            label = option.value
            parent = by_id.get(option.parentid) if option.parentid else None
            if parent is not None:
                label = f"{parent.value}{LINKED_SEPARATOR}{option.value}"
            choices.append(Choice(id=str(option.id), label=label))
        return tuple(choices)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def body_text(text: str | None) -> str:
    """A note or time-track body: HTML when it looks like HTML, else plain text."""
    if text and looks_like_html(text):
        return html_to_text(text)
    return clean_text(text).strip()
