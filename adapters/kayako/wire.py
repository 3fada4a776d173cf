"""Kayako Classic wire format: reading the REST API's XML and mapping it onto the model.

The v4 REST API answers XML whose every value is a string element (live servers wrap them in
CDATA, the docs' examples do not), leaves empty values self-closed, and repeats an element for
a list without marking it as one: a list of one ticket looks exactly like a single ticket. PHP
notices may precede the document, some payloads carry their data in attributes (notes, time
tracks, custom fields) and errors are plain text. This module turns all of that into plain
dicts (:func:`parse_xml`), typed vendor records (:class:`Status`, :class:`TimeTrack`, …) and
normalised :mod:`adapters.model` objects (:class:`Catalog` and the ``*_from_node`` functions).

Anything malformed becomes :class:`adapters.base.ProtocolError` naming what was malformed;
nothing here lets a ``KeyError`` or an expat error escape. All remote text goes through
:mod:`adapters.text` (``clean_line`` for one-line values, ``html_to_text`` for HTML posts,
``clean_text`` otherwise).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, Literal, Self
from xml.parsers.expat import ExpatError, errors

import xmltodict
from pydantic import BaseModel, ConfigDict

from adapters.base import InvalidInput, ProtocolError
from adapters.model import (
    Attachment,
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
from adapters.text import clean_line, clean_text, html_to_text, looks_like_html

log = logging.getLogger("triage.kayako")

# --------------------------------------------------------------------------------------
# XML documents
# --------------------------------------------------------------------------------------

# Elements that are lists even when the server sends one of them, by parent element.
_LIST_CHILDREN: dict[str, frozenset[str]] = {
    "tickets": frozenset({"ticket"}),
    "ticket": frozenset({"note", "watcher", "workflow"}),
    "posts": frozenset({"post"}),
    "notes": frozenset({"note"}),
    "timetracks": frozenset({"timetrack"}),
    "attachments": frozenset({"attachment"}),
    "customfields": frozenset({"group", "customfield"}),
    "group": frozenset({"field"}),
    "departments": frozenset({"department"}),
    "staffusers": frozenset({"staff"}),
    "staffgroups": frozenset({"staffgroup"}),
    "users": frozenset({"user"}),
    "user": frozenset({"email"}),
    "ticketstatuses": frozenset({"ticketstatus"}),
    "ticketpriorities": frozenset({"ticketpriority"}),
    "tickettypes": frozenset({"tickettype"}),
}
# ListOptions' wrapper element is not documented; its children are always lists.
_ALWAYS_LISTS = frozenset({"option"})

# Characters XML 1.0 forbids (C0 controls but tab, LF, CR). PHP happily emits them inside
# CDATA when a customer's mail contained them, and expat then rejects the whole document.
_XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_REPAIRABLE = frozenset(
    {
        errors.codes[errors.XML_ERROR_JUNK_AFTER_DOC_ELEMENT],
        errors.codes[errors.XML_ERROR_MISPLACED_XML_PI],
    }
)
_TRUNCATED = frozenset(
    {
        errors.codes[errors.XML_ERROR_NO_ELEMENTS],
        errors.codes[errors.XML_ERROR_UNCLOSED_TOKEN],
        errors.codes[errors.XML_ERROR_UNCLOSED_CDATA_SECTION],
        errors.codes[errors.XML_ERROR_PARTIAL_CHAR],
    }
)
_MAX_REPAIRS = 4
# The title of an HTML page (a login wall's body text may be nothing but a form).
_HTML_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)


def _force_list(path: list[tuple[str, Any]], key: str, value: Any) -> bool:
    if key in _ALWAYS_LISTS:
        return True
    if not path:
        return False
    return key in _LIST_CHILDREN.get(path[-1][0], frozenset())


def _start_of(text: str, root: str | None) -> int:
    """Where the XML document starts: its declaration, else the root element's tag."""
    start = text.find("<?xml")
    if start >= 0:
        return start
    pattern = rf"<{re.escape(root)}[\s/>]" if root else r"<[A-Za-z_]"
    match = re.search(pattern, text)
    return match.start() if match else -1


def _expat_parse(document: str) -> Any:
    return xmltodict.parse(document, force_list=_force_list)


def _describe(exc: ExpatError) -> str:
    detail = str(exc)
    if exc.code in _TRUNCATED:
        return f"the XML ends early (truncated?): {detail}"
    return f"not well-formed XML: {detail}"


def _cut_after_root(document: str, root: str | None) -> Any:
    """Parse ``document`` up to a closing root tag, dropping what follows it (a PHP notice
    printed after the document, or a second copy of it). ``None`` when no cut parses."""
    if root is None:
        return None
    for attempt, match in enumerate(re.finditer(rf"</{re.escape(root)}\s*>", document)):
        if attempt >= _MAX_REPAIRS:
            break
        try:
            parsed = _expat_parse(document[: match.end()])
        except (ExpatError, ValueError):
            continue
        log.debug("dropped %d characters after </%s>", len(document) - match.end(), root)
        return parsed
    return None


def parse_xml(
    body: bytes | str,
    *,
    connection: str,
    root: str | None,
    what: str,
    redact: Callable[[str], str] | None = None,
) -> dict[str, Any]:
    """The content of the document's root element as xmltodict gives it (``{}`` if empty).

    ``root`` is the element the answer must have (``None``: any). Junk before ``<?xml`` is
    skipped, junk after the root element dropped; anything else unreadable raises
    :class:`ProtocolError` naming ``what``. ``redact`` removes secrets from the excerpt of
    a non-XML answer quoted in that error (a proxy page may echo the signed URL).
    """
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    start = _start_of(text, root)
    if start < 0:
        stripped = text.strip()
        if not stripped:
            raise ProtocolError(connection, what, "empty answer where XML was expected")
        expected = f"<{root}>" if root else "XML"
        if looks_like_html(stripped):
            # A proxy's error or login page in front of the desk: show what it says.
            title = _HTML_TITLE.search(stripped[:8192])
            page = clean_line(html_to_text(stripped)) or (
                clean_line(html_to_text(title.group(1))) if title else ""
            )
            page = redact(page) if redact else page
            shown = f": {page[:160]!r}" if page else ""
            raise ProtocolError(connection, what, f"expected {expected}, got an HTML page{shown}")
        excerpt = clean_line(stripped[:4096])
        excerpt = redact(excerpt) if redact else excerpt
        raise ProtocolError(connection, what, f"expected {expected}, got text: {excerpt[:160]!r}")
    document = text[start:]
    if _XML_FORBIDDEN.search(document):
        # clean_text removes whole escape sequences and the controls XML forbids; the text
        # would be cleaned the same way after parsing anyway.
        document = clean_text(document)
    try:
        parsed = _expat_parse(document)
    except ExpatError as exc:
        parsed = _cut_after_root(document, root) if exc.code in _REPAIRABLE else None
        if parsed is None:
            raise ProtocolError(connection, what, _describe(exc)) from None
    except ValueError as exc:  # xmltodict refuses entity declarations
        raise ProtocolError(connection, what, f"unsupported XML: {exc}") from None
    if not isinstance(parsed, dict) or len(parsed) != 1:
        raise ProtocolError(connection, what, "no single root element")
    name, content = next(iter(parsed.items()))
    if root is not None and name != root:
        raise ProtocolError(connection, what, f"expected <{root}>, got <{clean_line(name)}>")
    if content is None:
        return {}
    if isinstance(content, list):
        raise ProtocolError(connection, what, f"<{name}> appears more than once")
    if not isinstance(content, dict):
        raise ProtocolError(connection, what, f"<{name}> holds text instead of elements")
    return content


# --------------------------------------------------------------------------------------
# Reading one element
# --------------------------------------------------------------------------------------


def _text_of(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dict):
        text = value.get("#text")
        return text if isinstance(text, str) else None
    if isinstance(value, list):
        return _text_of(value[0]) if value else None
    return str(value)


class Node:
    """Read access to one xmltodict element.

    A name is looked up as a child element first, then as an attribute, because Kayako puts
    the same kind of data in either (a post's ``<id>``, a note's ``id="…"``). Bad values raise
    :class:`ProtocolError` naming the element and the field.
    """

    __slots__ = ("connection", "data", "what")

    def __init__(self, data: Any, *, what: str, connection: str) -> None:
        if not isinstance(data, dict):
            raise ProtocolError(connection, what, "an element without fields")
        self.data: dict[str, Any] = data
        self.what = what
        self.connection = connection

    def error(self, message: str) -> ProtocolError:
        return ProtocolError(self.connection, self.what, message)

    def raw(self, name: str) -> str | None:
        value = self.data.get(name)
        if value is None:
            value = self.data.get("@" + name)
        return _text_of(value)

    def text(self, name: str) -> str:
        """One-line text, cleaned; ``""`` when absent or empty."""
        return clean_line(self.raw(name))

    @property
    def content(self) -> str:
        """The element's own text (``#text``), uncleaned."""
        text = self.data.get("#text")
        return text if isinstance(text, str) else ""

    def number(self, name: str, default: int = 0) -> int:
        value = self.raw(name)
        if value is None or not value.strip():
            return default
        try:
            return int(value.strip())
        except ValueError:
            raise self.error(f"{name} {clean_line(value)[:40]!r} is not a number") from None

    def flag(self, name: str) -> bool:
        return self.number(name) != 0

    def time(self, name: str) -> datetime | None:
        """An epoch-seconds value as aware UTC; ``0`` or empty means none."""
        seconds = self.number(name)
        if seconds <= 0:
            return None
        try:
            return datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            raise self.error(f"{name} {seconds} is not a usable time") from None

    def ident(self, *names: str) -> str:
        """A required numeric id from the first of ``names`` that is present."""
        for name in names:
            value = (self.raw(name) or "").strip()
            if value:
                if not value.isdigit():
                    raise self.error(f"{name} {clean_line(value)[:40]!r} is not an id")
                return value
        raise self.error(f"missing {' / '.join(names)}")

    def items(self, name: str, what: str | None = None) -> list[Node]:
        """Child elements ``name`` (a list whatever the count); each must have fields."""
        value = self.data.get(name)
        if value is None:
            return []
        values = value if isinstance(value, list) else [value]
        label = what or f"<{name}> in {self.what}"
        return [Node(item, what=label, connection=self.connection) for item in values]

    def wrapper(self, name: str) -> Node | None:
        """A wrapper child such as ``<posts>``; ``None`` when absent or empty."""
        value = self.data.get(name)
        if value is None:
            return None
        if isinstance(value, list):
            value = value[0]
        if isinstance(value, str):
            if not value.strip():
                return None
            raise self.error(f"<{name}> holds text instead of elements")
        return Node(value, what=f"<{name}> in {self.what}", connection=self.connection)


def root_node(content: dict[str, Any], *, what: str, connection: str) -> Node:
    return Node(content, what=what, connection=connection)


# --------------------------------------------------------------------------------------
# Vendor records
# --------------------------------------------------------------------------------------


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
            e for e in (clean_line(_text_of(v)) for v in _as_list(node.data.get("email"))) if e
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
        return cls._read(node, contents=_body(node.content))

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


def _body(text: str | None) -> str:
    """A note or time-track body: HTML when it looks like HTML, else plain text."""
    if text and looks_like_html(text):
        return html_to_text(text)
    return clean_text(text).strip()


# --------------------------------------------------------------------------------------
# Statuses and priorities
# --------------------------------------------------------------------------------------

_NEW_WORDS = frozenset({"new", "nouveau", "nouvelle", "neu", "nuevo", "unassigned"})
_PENDING = re.compile(r"\b(wait|await|hold|pending|suspend|defer|paus|snooz|attente)", re.I)
_CLOSED = re.compile(r"\b(clos|ferm)", re.I)


def status_category(
    status: Status, overrides: Mapping[str, StatusCategory] | None = None
) -> StatusCategory:
    """What a Kayako status means.

    ``overrides`` (the connection's ``status_map``) wins, by id or label (case-insensitive).
    Otherwise ``markasresolved`` decides done or not, because the server's own filters
    (ListAll's default, "resolved" counts) use it: a resolved status titled like "Closed" is
    CLOSED, any other resolved one RESOLVED. Unresolved statuses are NEW when titled "New"
    (or a translation), PENDING when titled like waiting or on hold, else OPEN.
    """
    if overrides:
        if str(status.id) in overrides:
            return overrides[str(status.id)]
        folded = status.title.casefold()
        for label, category in overrides.items():
            if label.casefold() == folded:
                return category
    if status.markasresolved:
        return StatusCategory.CLOSED if _CLOSED.search(status.title) else StatusCategory.RESOLVED
    words = set(re.findall(r"\w+", status.title.casefold()))
    if words & _NEW_WORDS:
        return StatusCategory.NEW
    if _PENDING.search(status.title):
        return StatusCategory.PENDING
    return StatusCategory.OPEN


_RANK_WORDS: dict[str, int] = {
    **dict.fromkeys(
        ("critical", "emergency", "blocking", "blocker", "bloquant", "urgent", "highest"), 1
    ),
    **dict.fromkeys(("high", "major", "majeur", "important"), 2),
    **dict.fromkeys(("medium", "normal", "moderate", "standard", "moyen", "moyenne"), 3),
    **dict.fromkeys(("low", "minor", "mineur", "faible"), 4),
    **dict.fromkeys(("lowest", "trivial", "planning", "cosmetic"), 5),
}


def _rank_from_title(title: str) -> int | None:
    ranks = [_RANK_WORDS[w] for w in re.findall(r"\w+", title.casefold()) if w in _RANK_WORDS]
    return min(ranks) if ranks else None


def priority_ranks(priorities: Sequence[Priority]) -> dict[int, int]:
    """Rank 1 (most urgent) … 5 for each priority id.

    A title that says what it is ("Critical", "Major(Majeur)", "Low") decides. The others
    are placed by ``displayorder`` spread over 1…5, in the direction the recognised titles
    show; with none recognised, a higher displayorder is more urgent, as in Kayako's
    default set (Low 1 … Critical 6).
    """
    if not priorities:
        return {}
    known = {p.id: rank for p in priorities if (rank := _rank_from_title(p.title)) is not None}
    ascending_is_urgent = False
    if len(known) >= 2:
        by_order = sorted((p for p in priorities if p.id in known), key=lambda p: p.displayorder)
        ascending_is_urgent = known[by_order[0].id] < known[by_order[-1].id]
    ordered = sorted(
        priorities,
        key=lambda p: (p.displayorder if ascending_is_urgent else -p.displayorder, p.id),
    )
    ranks: dict[int, int] = {}
    last = len(ordered) - 1
    for index, priority in enumerate(ordered):
        if priority.id in known:
            ranks[priority.id] = known[priority.id]
        else:
            ranks[priority.id] = 3 if last == 0 else 1 + round(index * 4 / last)
    return ranks


# --------------------------------------------------------------------------------------
# The catalog: a connection's lookups, for mapping ids to choices
# --------------------------------------------------------------------------------------


def _by_order(item: Status | Priority | TicketType | Department) -> tuple[int, int]:
    return (item.displayorder, item.id)


@dataclass
class Catalog:
    """Statuses, priorities, types, departments and staff of one desk, with their
    normalised choices. Built once per lookups fetch; mapping a ticket only reads it."""

    statuses: tuple[Status, ...] = ()
    priorities: tuple[Priority, ...] = ()
    types: tuple[TicketType, ...] = ()
    departments: tuple[Department, ...] = ()
    staff: tuple[Staff, ...] = ()
    status_map: Mapping[str, StatusCategory] = field(default_factory=dict)
    _status: dict[str, Choice] = field(init=False, repr=False)
    _priority: dict[str, Choice] = field(init=False, repr=False)
    _type: dict[str, Choice] = field(init=False, repr=False)
    _group: dict[str, Choice] = field(init=False, repr=False)
    _staff_names: dict[str, str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.statuses = tuple(sorted(self.statuses, key=_by_order))
        self.priorities = tuple(sorted(self.priorities, key=_by_order))
        self.types = tuple(sorted(self.types, key=_by_order))
        self.departments = tuple(sorted(self.departments, key=_by_order))
        titles = {d.id: d.title for d in self.departments}
        self._status = {
            str(s.id): Choice(
                id=str(s.id),
                label=s.title,
                category=status_category(s, self.status_map),
                scope=str(s.departmentid) if s.departmentid else None,
            )
            for s in self.statuses
        }
        ranks = priority_ranks(self.priorities)
        self._priority = {
            str(p.id): Choice(id=str(p.id), label=p.title, rank=ranks[p.id])
            for p in self.priorities
        }
        self._type = {
            str(t.id): Choice(
                id=str(t.id), label=t.title, scope=str(t.departmentid) if t.departmentid else None
            )
            for t in self.types
        }
        self._group = {
            str(d.id): Choice(
                id=str(d.id),
                label=d.title,
                detail=(
                    f"in {titles[d.parentdepartmentid]}" if d.parentdepartmentid in titles else None
                ),
            )
            for d in self.departments
            if d.is_tickets
        }
        self._staff_names = {str(s.id): s.name for s in self.staff}

    def lookups(self) -> Lookups:
        return Lookups(
            statuses=tuple(self._status.values()),
            priorities=tuple(self._priority.values()),
            types=tuple(self._type.values()),
            agents=tuple(
                Choice(id=str(s.id), label=s.name or s.username, detail=s.email or None)
                for s in sorted(self.staff, key=lambda s: (s.name.casefold(), s.id))
                if s.isenabled
            ),
            groups=tuple(self._group.values()),
        )

    # Unknown ids still show (the lookups may be older than the ticket), as "#id".
    def status(self, status_id: str) -> Choice | None:
        return _choice(self._status, status_id)

    def priority(self, priority_id: str) -> Choice | None:
        return _choice(self._priority, priority_id)

    def type(self, type_id: str) -> Choice | None:
        return _choice(self._type, type_id)

    def group(self, department_id: str) -> Choice | None:
        return _choice(self._group, department_id)

    def staff_name(self, staff_id: str) -> str | None:
        return self._staff_names.get(staff_id)

    def is_done(self, status_id: str) -> bool:
        choice = self._status.get(status_id)
        return choice is not None and choice.category is not None and choice.category.is_done

    def ticket_department_ids(self) -> list[int]:
        return [d.id for d in self.departments if d.is_tickets]

    def statuses_for(self, department_id: int) -> list[Status]:
        return [s for s in self.statuses if s.departmentid in (0, department_id)]

    def resolved_status_for(self, department_id: int) -> Status | None:
        """The status that closes a ticket of this department: one marked as resolved,
        preferring a CLOSED one (titled "Closed"), then by display order."""
        done = [s for s in self.statuses_for(department_id) if s.markasresolved]
        closed = [s for s in done if self._status[str(s.id)].category == StatusCategory.CLOSED]
        candidates = closed or done
        return candidates[0] if candidates else None

    def default_status_for(self, department_id: int) -> Status | None:
        """For a new ticket: an unresolved status, preferring a NEW one, then "Open"."""
        open_ = [s for s in self.statuses_for(department_id) if not s.markasresolved]
        new = [s for s in open_ if self._status[str(s.id)].category == StatusCategory.NEW]
        titled_open = [s for s in open_ if s.title.casefold() == "open"]
        candidates = new or titled_open or open_
        return candidates[0] if candidates else None

    def default_priority(self) -> Priority | None:
        """For a new ticket: the one ranked nearest to the middle (3), first by order."""
        if not self.priorities:
            return None
        return min(
            self.priorities,
            key=lambda p: (abs((self._priority[str(p.id)].rank or 3) - 3), p.displayorder, p.id),
        )

    def default_type_for(self, department_id: int) -> TicketType | None:
        types = [t for t in self.types if t.departmentid in (0, department_id)]
        return types[0] if types else None


def _choice(choices: Mapping[str, Choice], choice_id: str) -> Choice | None:
    if not choice_id or choice_id == "0":
        return None
    return choices.get(choice_id) or Choice(id=choice_id, label=f"#{choice_id}")


# --------------------------------------------------------------------------------------
# Tickets, posts and notes
# --------------------------------------------------------------------------------------


def ticket_items(content: dict[str, Any], *, connection: str, what: str) -> list[Node]:
    """The ``<ticket>`` elements of a ``<tickets>`` document."""
    return root_node(content, what=what, connection=connection).items("ticket", "<ticket>")


def ticket_from_node(
    node: Node, catalog: Catalog, connection: str, *, keep_raw: bool = False
) -> Ticket:
    ticket_id = node.ident("id", "ticketid")
    node.what = f"ticket {ticket_id}"
    created = node.time("creationtime")
    updated = node.time("lastactivity")
    if created is None and updated is None:
        raise node.error("has neither creationtime nor lastactivity")
    created = created or updated
    assert created is not None  # for mypy: one of the two is set
    status = catalog.status(node.text("statusid"))
    done = status is not None and status.category is not None and status.category.is_done
    # The next SLA deadline: reply or resolution, whichever is first; a done ticket has none.
    deadlines = [t for t in (node.time("nextreplydue"), node.time("resolutiondue")) if t]
    requester_name = node.text("fullname") or node.text("email")
    owner = node.text("ownerstaffid")
    assignee = None
    if owner and owner != "0":
        name = node.text("ownerstaffname") or catalog.staff_name(owner) or f"staff {owner}"
        assignee = Person(id=owner, name=name)
    user_id = node.text("userid")
    return Ticket(
        key=TicketKey(connection, ticket_id),
        display_id=node.text("displayid") or ticket_id,
        subject=node.text("subject"),
        status=status,
        priority=catalog.priority(node.text("priorityid")),
        type=catalog.type(node.text("typeid")),
        requester=(
            Person(
                id=user_id if user_id and user_id != "0" else None,
                name=requester_name,
                email=node.text("email") or None,
            )
            if requester_name
            else None
        ),
        assignee=assignee,
        group=catalog.group(node.text("departmentid")),
        created=created,
        updated=updated or created,
        due=None if done or not deadlines else min(deadlines),
        tags=tuple(dict.fromkeys(node.text("tags").split())),
        raw=node.data if keep_raw else None,
    )


_AUTHOR_KINDS = {1: AuthorKind.AGENT, 2: AuthorKind.CUSTOMER, 3: AuthorKind.CUSTOMER}
_AUTHOR_KINDS.update({4: AuthorKind.CUSTOMER, 5: AuthorKind.CUSTOMER})


def post_from_node(node: Node, connection: str) -> Post:
    """A ``<post>``: a reply by staff (``creator`` 1) or the customer/CC/third party."""
    post_id = node.ident("id", "ticketpostid")
    node.what = f"post {post_id}"
    created = node.time("dateline")
    if created is None:
        raise node.error("has no dateline")
    kind = _AUTHOR_KINDS.get(node.number("creator"), AuthorKind.SYSTEM)
    author_id = node.text("staffid") if kind is AuthorKind.AGENT else node.text("userid")
    name = node.text("fullname") or node.text("email")
    contents = node.raw("contents")
    body = html_to_text(contents) if node.flag("ishtml") else clean_text(contents).strip()
    attachments: list[Attachment] = []
    wrapper = node.wrapper("attachments")
    if wrapper is not None:
        for item in wrapper.items("attachment"):
            size = item.number("filesize", -1)
            attachments.append(
                Attachment(
                    name=item.text("filename") or "attachment",
                    size=size if size >= 0 else None,
                    content_type=item.text("filetype") or None,
                )
            )
    return Post(
        id=f"post:{post_id}",
        author=(
            Person(
                id=author_id if author_id and author_id != "0" else None,
                name=name,
                email=node.text("email") or None,
            )
            if name
            else None
        ),
        author_kind=kind,
        created=created,
        body=body,
        visibility=Visibility.PRIVATE if node.flag("isprivate") else Visibility.PUBLIC,
        kind=PostKind.REPLY,
        attachments=tuple(attachments),
    )


_NOTE_PREFIX = {"user": "Note on the user: ", "userorganization": "Note on the organisation: "}
_NOTE_ID_PREFIX = {"ticket": "note", "user": "usernote", "userorganization": "orgnote"}


def note_from_node(node: Node, connection: str) -> Post:
    """A ``<note>``: a ticket note (or a user/organisation note shown on the ticket) as a
    private NOTE, or ``type="timetrack"`` as a TIME_ENTRY."""
    note_type = node.text("type") or "ticket"
    if note_type == "timetrack":
        node.what = "<note type=timetrack>"
        return TimeTrack.from_node(node).to_post(connection)
    note_id = node.ident("id")
    node.what = f"note {note_id}"
    created = node.time("creationdate") or node.time("dateline")
    if created is None:
        raise node.error("has no creationdate")
    staff_id = node.text("creatorstaffid")
    name = node.text("creatorstaffname")
    return Post(
        id=f"{_NOTE_ID_PREFIX.get(note_type, 'note')}:{note_id}",
        author=(
            Person(id=staff_id if staff_id and staff_id != "0" else None, name=name)
            if name
            else None
        ),
        author_kind=AuthorKind.AGENT if name or staff_id not in ("", "0") else AuthorKind.SYSTEM,
        created=created,
        body=_NOTE_PREFIX.get(note_type, "") + _body(node.content or node.raw("contents")),
        visibility=Visibility.PRIVATE,
        kind=PostKind.NOTE,
    )


_KIND_ORDER = {PostKind.REPLY: 0, PostKind.RESOLUTION: 1, PostKind.NOTE: 2, PostKind.TIME_ENTRY: 3}


def conversation(ticket: Node, connection: str) -> tuple[Post, ...]:
    """Posts, notes and time entries of a single-ticket answer, in time order."""
    posts: list[Post] = []
    wrapper = ticket.wrapper("posts")
    if wrapper is not None:
        posts.extend(post_from_node(item, connection) for item in wrapper.items("post"))
    posts.extend(note_from_node(item, connection) for item in ticket.items("note"))
    return tuple(sorted(posts, key=_post_order))


def _post_order(post: Post) -> tuple[datetime, int, int, str]:
    number = post.id.rpartition(":")[2]
    return (post.created, _KIND_ORDER[post.kind], int(number) if number.isdigit() else 0, post.id)


# --------------------------------------------------------------------------------------
# Custom fields
# --------------------------------------------------------------------------------------

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


def split_multi(text: str) -> list[str]:
    """A multi-value as Kayako renders it: joined by ``", "``, commas in values as ``\\,``."""
    if not text:
        return []
    parts = re.split(r"(?<!\\), ", text)
    return [clean_line(part.replace("\\,", ",")) for part in parts if part.strip()]


def iso_date(text: str) -> str | None:
    """A Kayako date value as ``YYYY-MM-DD``; ``None`` when it is not a date.

    Kayako renders dates in the helpdesk's format, ``m/d/Y`` by default; ``d/m/Y`` is read
    when the first number cannot be a month, and epoch seconds and ISO dates are accepted.
    """
    value = text.strip()
    if not value:
        return None
    if value.isdigit():
        try:
            return datetime.fromtimestamp(int(value), UTC).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    for pattern in ("%m/%d/%Y", "%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, pattern).date().isoformat()
        except ValueError:
            continue
    return None


def kayako_date(value: str) -> str:
    """An ISO date (or ``m/d/Y``) as the ``m/d/Y`` Kayako's custom fields take."""
    text = value.strip()
    for pattern in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            parsed = datetime.strptime(text[:10] if pattern == "%Y-%m-%d" else text, pattern)
        except ValueError:
            continue
        return parsed.strftime("%m/%d/%Y")
    raise ValueError(f"{value!r} is not a date (use YYYY-MM-DD)")


def field_value(kayako_type: int, node: Node) -> CustomFieldValue:
    """The typed value of a ``<field>`` as the model holds it."""
    raw = node.content
    if kayako_type == FILE_TYPE:
        return node.text("filename") or None
    if kayako_type in MULTI_TYPES:
        return split_multi(raw)
    if kayako_type == DATE_TYPE:
        return iso_date(raw) or (clean_line(raw) or None)
    if kayako_type == LINKED_SELECT:
        # The server escapes the separator before wrapping the value in CDATA, so it
        # arrives as a literal "&gt;" (the PHP library splits on " &gt; " too).
        return clean_line(raw.replace(" &gt; ", LINKED_SEPARATOR)) or None
    if kayako_type == 2:
        return clean_text(raw).strip() or None
    return clean_line(raw) or None


def custom_fields_from_node(
    content: dict[str, Any],
    *,
    connection: str,
    what: str,
    definitions: Mapping[str, FieldDefinition] | None = None,
) -> tuple[CustomField, ...]:
    """The fields of a ``<customfields>`` answer, grouped as the desk groups them."""
    definitions = definitions or {}
    fields: list[CustomField] = []
    root = root_node(content, what=what, connection=connection)
    for group in root.items("group", "custom field <group>"):
        group_title = group.text("title")
        group.what = f"custom field group {group_title or group.raw('id')!r}"
        for item in group.items("field", f"<field> in {group.what}"):
            key = (item.raw("name") or "").strip()
            if not key:
                raise item.error("a <field> without a name")
            item.what = f"custom field {key!r}"
            kayako_type = item.number("type", 1)
            known = definitions.get(key)
            editable = kayako_type != FILE_TYPE and (
                known is None or known.definition.staffeditable
            )
            fields.append(
                CustomField(
                    key=key,
                    label=item.text("title") or clean_line(key),
                    group=group_title,
                    type=FIELD_TYPES.get(kayako_type, FieldType.TEXT),
                    value=field_value(kayako_type, item),
                    options=known.choices() if known else (),
                    editable=editable,
                    required=known.definition.isrequired if known else False,
                )
            )
    return tuple(fields)


def field_types(content: dict[str, Any], *, connection: str, what: str) -> dict[str, int]:
    """Kayako type code of each field in a ``<customfields>`` answer, by name."""
    types: dict[str, int] = {}
    root = root_node(content, what=what, connection=connection)
    for group in root.items("group"):
        for item in group.items("field"):
            name = (item.raw("name") or "").strip()
            if name:
                types[name] = item.number("type", 1)
    return types


def _option_for(
    known: FieldDefinition, label: str, connection: str, *, children_of: int | None = None
) -> CustomFieldOption:
    name = known.definition.name
    candidates = [o for o in known.options if o.parentid == children_of]
    wanted = label.strip()
    for match in (
        lambda o: o.value == wanted,
        lambda o: o.value.casefold() == wanted.casefold(),
        lambda o: str(o.id) == wanted,
    ):
        found = [o for o in candidates if match(o)]
        if found:
            return found[0]
    choices = ", ".join(o.value for o in candidates) or "none"
    raise InvalidInput(connection, name, f"{label!r} is not one of its options ({choices})")


@dataclass(frozen=True)
class EncodedField:
    """Form fields for one custom field, and the value the desk should then show."""

    form: dict[str, str]
    expected: CustomFieldValue


def _plain(value: CustomFieldValue, name: str, connection: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list):
        raise InvalidInput(connection, name, "takes one value, not a list")
    return value


def encode_custom_field(
    known: FieldDefinition, value: CustomFieldValue, connection: str
) -> EncodedField:
    """Form fields that set ``value`` on the field: text as is, select labels as option
    ids, multi-values as ``name[i]``, linked selects as ``name[0]``/``name[1][parent]``,
    dates as ``m/d/Y``. Raises :class:`InvalidInput` naming the field."""
    definition = known.definition
    name = definition.name
    kind = definition.fieldtype
    if kind == FILE_TYPE:
        raise InvalidInput(connection, name, "file fields cannot be set from here")
    if kind in MULTI_TYPES:
        if value is None:
            labels: list[str] = []
        elif isinstance(value, bool):
            # A one-box checkbox field reads naturally as a boolean.
            if len(known.options) != 1:
                raise InvalidInput(connection, name, "takes a list of option labels")
            labels = [known.options[0].value] if value else []
        elif isinstance(value, list):
            labels = [str(v) for v in value]
        else:
            labels = split_multi(str(value))
        options = [_option_for(known, label, connection) for label in labels]
        options = list({o.id: o for o in options}.values())
        if not options:
            return EncodedField({name: ""}, [])
        form = {f"{name}[{index}]": str(o.id) for index, o in enumerate(options)}
        return EncodedField(form, [o.value for o in options])
    if kind in SELECT_TYPES or kind == LINKED_SELECT:
        label = _plain(value, name, connection)
        if not label:
            return EncodedField({name: ""}, None)
        if kind == LINKED_SELECT:
            parent_label, _, child_label = label.partition(LINKED_SEPARATOR.strip())
            parent = _option_for(known, parent_label, connection)
            if not child_label.strip():
                return EncodedField({f"{name}[0]": str(parent.id)}, parent.value)
            child = _option_for(known, child_label, connection, children_of=parent.id)
            form = {f"{name}[0]": str(parent.id), f"{name}[1][{parent.id}]": str(child.id)}
            return EncodedField(form, f"{parent.value}{LINKED_SEPARATOR}{child.value}")
        option = _option_for(known, label, connection)
        return EncodedField({name: str(option.id)}, option.value)
    if kind == DATE_TYPE:
        text = _plain(value, name, connection)
        if not text:
            return EncodedField({name: ""}, None)
        try:
            formatted = kayako_date(text)
        except ValueError as exc:
            raise InvalidInput(connection, name, str(exc)) from None
        return EncodedField({name: formatted}, iso_date(formatted))
    text = _plain(value, name, connection)
    return EncodedField({name: text}, clean_text(text).strip() or None)


def same_value(expected: CustomFieldValue, actual: CustomFieldValue) -> bool:
    """Whether the desk shows the value that was sent (labels compared case-insensitively,
    multi-values as sets, empty values alike)."""

    def norm(value: CustomFieldValue) -> object:
        if value is None or value == "" or value == []:
            return None
        if isinstance(value, list):
            return frozenset(clean_line(v).casefold() for v in value)
        if isinstance(value, str):
            return " ".join(value.split()).casefold()
        return value

    return norm(expected) == norm(actual)


# --------------------------------------------------------------------------------------
# Error bodies
# --------------------------------------------------------------------------------------

_ERROR_FIELDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.I), name)
    for pattern, name in (
        (r"not implemented", "request"),
        (r"no ticket id|ticket id is", "ticket_id"),
        (r"fullname or staff id|staff id and user id|staff id, user id", "staff_id"),
        (r"worker staff", "worker_staff_id"),
        (r"owner", "assignee_id"),
        (r"\bsubject\b", "subject"),
        (r"\bfull ?name\b", "requester_name"),
        (r"\be-?mail\b", "requester_email"),
        (r"\bcontents?\b", "text"),
        (r"\bdepartment\b", "group_id"),
        (r"\bstatus\b", "status_id"),
        (r"\bpriority\b", "priority_id"),
        (r"\btype\b", "type_id"),
        (r"\bstaff\b", "staff_id"),
        (r"\buser\b", "user_id"),
        (r"work timeline", "work_date"),
        (r"bill timeline", "bill_date"),
        (r"time spent", "time_spent"),
        (r"time billable", "time_billable"),
        (r"template ?group", "template_group"),
    )
)
_CUSTOM_FIELD_ERROR = re.compile(r"custom field data is invalid\s*:?\s*(.*)", re.I | re.S)


def field_from_message(message: str) -> str:
    """Which field a 400 body is about (``Subject is empty`` -> ``subject``,
    ``Custom Field Data is Invalid: abc`` -> ``abc``); ``request`` when it does not say."""
    custom = _CUSTOM_FIELD_ERROR.search(message)
    if custom:
        return clean_line(custom.group(1)).strip(" .,") or "custom_fields"
    for pattern, name in _ERROR_FIELDS:
        if pattern.search(message):
            return name
    return "request"


SortField = Literal[
    "ticketstatustitle",
    "departmenttitle",
    "userid",
    "ownerstaffid",
    "dateline",
    "totalreplies",
    "hasattachments",
    "hasnotes",
    "lastactivity",
    "duetime",
    "creator",
    "isphonecall",
    "isescalated",
    "hasfollowup",
    "hasratings",
    "islinked",
    "tickettype",
    "tickettypetitle",
    "tickettypeid",
    "creationmode",
    "resolutiondateline",
    "isresolved",
    "iswatched",
    "prioritytitle",
    "lastreplier",
    "ticketid",
]
SORT_FIELDS: frozenset[str] = frozenset(SortField.__args__)  # type: ignore[attr-defined]
# Normalised sort names (the ticket list's columns) -> ListAll's sort field.
SORT_ALIASES: dict[str, str] = {
    "updated": "lastactivity",
    "created": "dateline",
    "due": "duetime",
    "status": "ticketstatustitle",
    "priority": "prioritytitle",
    "group": "departmenttitle",
    "type": "tickettypetitle",
    "assignee": "ownerstaffid",
    "requester": "userid",
    "id": "ticketid",
    "key": "ticketid",
    "display_id": "ticketid",
}


def sort_field(name: str | None) -> str | None:
    """ListAll's sort field for a normalised or Kayako name; ``None`` if it cannot sort so."""
    if not name:
        return "lastactivity"
    key = name.strip().lower()
    if key in SORT_FIELDS:
        return key
    return SORT_ALIASES.get(key)


def items_of(content: dict[str, Any], element: str, *, connection: str, what: str) -> list[Node]:
    """The repeated ``element`` children of a document's root."""
    return root_node(content, what=what, connection=connection).items(element, f"<{element}>")


__all__ = [
    "Catalog",
    "CustomFieldDef",
    "CustomFieldOption",
    "Department",
    "EncodedField",
    "FieldDefinition",
    "Node",
    "Priority",
    "Staff",
    "Status",
    "TicketType",
    "TimeTrack",
    "User",
    "conversation",
    "custom_fields_from_node",
    "encode_custom_field",
    "field_from_message",
    "iso_date",
    "kayako_date",
    "note_from_node",
    "parse_xml",
    "post_from_node",
    "priority_ranks",
    "same_value",
    "sort_field",
    "split_multi",
    "status_category",
    "ticket_from_node",
]
