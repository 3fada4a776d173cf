"""The records of a simulated InvGate instance: what its database would hold.

Field names follow the API's own (``assigned_group_id``, ``customer_visible``,
``date_ocurred``), so the server renders a record by copying fields. Times are epoch
seconds; ``None`` is the API's ``null``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Statuses as one observed instance names them; 1-4 are active.
S_NEW, S_OPEN, S_PENDING, S_WAITING, S_SOLVED, S_CLOSED, S_REJECTED, S_CANCELLED = range(1, 9)
STATUSES = (
    (S_NEW, "New"),
    (S_OPEN, "Open"),
    (S_PENDING, "Pending"),
    (S_WAITING, "Waiting"),
    (S_SOLVED, "Solved"),
    (S_CLOSED, "Closed"),
    (S_REJECTED, "Rejected"),
    (S_CANCELLED, "Cancelled"),
)
ACTIVE = frozenset({S_NEW, S_OPEN, S_PENDING, S_WAITING})
PRIORITIES = ((1, "Low"), (2, "Medium"), (3, "High"), (4, "Urgent"), (5, "Critical"))
TYPES = (
    (1, "Incident"),
    (2, "Service Request"),
    (3, "Question"),
    (4, "Problem"),
    (5, "Change"),
    (6, "Major Incident"),
)
SOURCES = ((1, "Email"), (2, "Web"), (3, "Phone"), (4, "Chat"), (5, "API"))
# closed_reason values
CLOSED_ACCEPTED, CLOSED_EXPIRED, CLOSED_TIMEOUT, CLOSED_WORKFLOW = 1, 2, 3, 4
# What a waiting request waits for (kept beside status 4).
WAIT_CUSTOMER, WAIT_AGENT, WAIT_DATE, WAIT_ENTITY, WAIT_REQUEST = (
    "customer",
    "agent",
    "date",
    "external_entity",
    "request",
)
USER_AGENT, USER_END = 1, 2

# Custom field types (cf.fields.types).
CF_TYPES = (
    (1, "Text"),
    (2, "Text area"),
    (3, "List"),
    (4, "Tree"),
    (5, "Checkbox"),
    (6, "Date"),
    (7, "Number"),
)
CF_TEXT, CF_TEXTAREA, CF_LIST, CF_TREE, CF_CHECKBOX, CF_DATE, CF_NUMBER = range(1, 8)


@dataclass(slots=True)
class Category:
    id: int
    name: str
    parent_category_id: int | None


@dataclass(slots=True)
class HelpDesk:
    """A help desk (``parent_id`` None) or one of its levels (``level_order`` set)."""

    id: int
    name: str
    parent_id: int | None
    members_ids: list[int]
    level_order: int | None = None
    engine_id: int = 1
    status_id: int = 1


@dataclass(slots=True)
class User:
    id: int
    name: str
    lastname: str
    username: str
    email: str
    user_type: int
    role_name: str
    phone: str = ""
    is_disabled: bool = False
    is_deleted: bool = False
    type: int = 1


@dataclass(slots=True)
class TreeOption:
    hash: str
    key: str
    name: str
    children: list[TreeOption] = field(default_factory=list)


@dataclass(slots=True)
class CustomFieldDef:
    uid: int
    label: str
    type: int
    description: str
    categories: list[int]  # empty: every category
    is_required: bool = False
    options: dict[str, str] = field(default_factory=dict)  # list fields: key -> label
    tree: list[TreeOption] = field(default_factory=list)


@dataclass(slots=True)
class Comment:
    id: int
    incident_id: int
    author_id: int
    message: str
    created_at: int
    customer_visible: bool
    is_solution: bool = False
    reference: int | None = None
    msg_num: int = 0
    attached_files: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Attachment:
    id: int
    name: str
    extension: str
    hash: str
    content: bytes


@dataclass(slots=True)
class TimeEntry:
    timetracking_id: int
    incident: int
    user_id: int
    timetracking_category_id: int
    comment: str
    start: int
    end: int
    status: int = 1


@dataclass(slots=True)
class Request:
    """One request (``incident`` in the API's names)."""

    id: int
    title: str
    description: str | None  # None: the generated opening, written when first read
    category_id: int
    priority_id: int
    type_id: int
    status_id: int
    source_id: int
    user_id: int
    creator_id: int
    assigned_id: int | None
    assigned_group_id: int | None
    location_id: int | None
    created_at: int
    last_update: int
    date_ocurred: int
    solved_at: int | None = None
    closed_at: int | None = None
    closed_reason: int | None = None
    rating: int | None = None
    custom_fields: dict[int, object] = field(default_factory=dict)
    sentiment: str = "neutral"
    waiting_for: str | None = None
    attachments: list[int] = field(default_factory=list)
    links: list[int] = field(default_factory=list)
    observers: list[int] = field(default_factory=list)
    collaborators: list[int] = field(default_factory=list)
