"""Deterministic, seeded data of the simulated Kayako Classic help desk.

*Harbourline IT*, a managed-service provider, runs its support desk on Kayako:
departments, statuses (global and per department), priorities, types, staff in groups,
customer users in organisations, and tickets spread over the last ~90 days with
conversations, internal notes, time tracking, custom fields and a few attachments.

The vendor-neutral parts (customers, the topic corpus, hostile samples, lazy children,
hashing, time spreading) live in :mod:`adapters.simdata`; this package is what makes them
a Kayako install:

* :mod:`~adapters.kayako.sim_data.records`: the server's records and constants;
* :mod:`~adapters.kayako.sim_data.config`: the install's lookups, and where topics land;
* :mod:`~adapters.kayako.sim_data.desk`: the desk in memory, with its writes;
* :mod:`~adapters.kayako.sim_data.children`: posts, notes, time, files, custom values;
* :mod:`~adapters.kayako.sim_data.build`: :func:`generate_desk`.

Scaling: the ticket rows are built eagerly, everything under a ticket lazily from
``(seed, ticket id)``; 100 000 tickets take a few seconds and about 100 MB. The same seed
(and ``now``) always gives the same desk, byte for byte; writes mutate the memory state.
Six tickets carry hostile text, so the demo exercises the UI's defences.
"""

from adapters.kayako.sim_data.build import generate_desk
from adapters.kayako.sim_data.config import (
    DEPARTMENT_STAFF,
    DEPARTMENTS,
    KIND_TYPES,
    PRIORITIES,
    REPLY_HOURS,
    RESOLVE_HOURS,
    ROLE_DEPARTMENTS,
    STAFF,
    STAFF_GROUPS,
    STATUSES,
    TEMPLATE_GROUPS,
    TICKET_DEPARTMENTS,
    TYPES,
    USER_GROUPS,
    WORKFLOWS,
)
from adapters.kayako.sim_data.desk import KayakoDesk
from adapters.kayako.sim_data.records import (
    CF_CHECKBOX,
    CF_CUSTOM,
    CF_DATE,
    CF_FILE,
    CF_LINKEDSELECT,
    CF_MULTISELECT,
    CF_PASSWORD,
    CF_RADIO,
    CF_SELECT,
    CF_TEXT,
    CF_TEXTAREA,
    CREATOR_CC,
    CREATOR_STAFF,
    CREATOR_USER,
    MODE_API,
    MODE_EMAIL,
    MODE_SITEBADGE,
    MODE_STAFFCP,
    MODE_SUPPORTCENTER,
    TYPE_DEFAULT,
    TYPE_PHONE,
    Attachment,
    CustomField,
    CustomFieldGroup,
    CustomFieldOption,
    CustomValue,
    Department,
    Organization,
    Post,
    Staff,
    StaffGroup,
    TemplateGroup,
    Ticket,
    TicketNote,
    TicketPriority,
    TicketStatus,
    TicketType,
    TimeTrack,
    User,
    UserGroup,
    UserNote,
    Workflow,
)
from adapters.simdata.conversation import COMPANY
from adapters.simdata.draw import stable_hash
from adapters.simdata.hostile import HOSTILE, Hostile
from adapters.simdata.lazy import IdBlocks, LazyChildren
from adapters.simdata.markup import looks_like_html, text_to_html
from adapters.simdata.timeline import DAY, HISTORY_DAYS, HOUR, format_date, parse_mdy
from adapters.simdata.topics import TOPICS

__all__ = [
    "CF_CHECKBOX",
    "CF_CUSTOM",
    "CF_DATE",
    "CF_FILE",
    "CF_LINKEDSELECT",
    "CF_MULTISELECT",
    "CF_PASSWORD",
    "CF_RADIO",
    "CF_SELECT",
    "CF_TEXT",
    "CF_TEXTAREA",
    "COMPANY",
    "CREATOR_CC",
    "CREATOR_STAFF",
    "CREATOR_USER",
    "DAY",
    "DEPARTMENTS",
    "DEPARTMENT_STAFF",
    "HISTORY_DAYS",
    "HOSTILE",
    "HOUR",
    "KIND_TYPES",
    "MODE_API",
    "MODE_EMAIL",
    "MODE_SITEBADGE",
    "MODE_STAFFCP",
    "MODE_SUPPORTCENTER",
    "PRIORITIES",
    "REPLY_HOURS",
    "RESOLVE_HOURS",
    "ROLE_DEPARTMENTS",
    "STAFF",
    "STAFF_GROUPS",
    "STATUSES",
    "TEMPLATE_GROUPS",
    "TICKET_DEPARTMENTS",
    "TOPICS",
    "TYPES",
    "TYPE_DEFAULT",
    "TYPE_PHONE",
    "USER_GROUPS",
    "WORKFLOWS",
    "Attachment",
    "CustomField",
    "CustomFieldGroup",
    "CustomFieldOption",
    "CustomValue",
    "Department",
    "Hostile",
    "IdBlocks",
    "KayakoDesk",
    "LazyChildren",
    "Organization",
    "Post",
    "Staff",
    "StaffGroup",
    "TemplateGroup",
    "Ticket",
    "TicketNote",
    "TicketPriority",
    "TicketStatus",
    "TicketType",
    "TimeTrack",
    "User",
    "UserGroup",
    "UserNote",
    "Workflow",
    "format_date",
    "generate_desk",
    "looks_like_html",
    "parse_mdy",
    "stable_hash",
    "text_to_html",
]
