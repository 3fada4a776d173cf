"""The records of the simulated Kayako desk, field for field as the server stores them.

Each dataclass mirrors one SWIFT table as the REST controllers read it (names follow the
XML the controllers write, not the database columns, where the two differ). The numeric
codes are the server's own constants (``SWIFT_CustomField::TYPE_*``, ``SWIFT_Ticket::
CREATOR_*``, …), so values read like a real install's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Custom field types (SWIFT_CustomField::TYPE_*).
CF_TEXT = 1
CF_TEXTAREA = 2
CF_PASSWORD = 3
CF_CHECKBOX = 4
CF_RADIO = 5
CF_SELECT = 6
CF_MULTISELECT = 7
CF_CUSTOM = 8
CF_LINKEDSELECT = 9
CF_DATE = 10
CF_FILE = 11
# Custom field group types that belong to tickets (SWIFT_CustomFieldGroup::GROUP_*).
GROUP_USERTICKET = 3
GROUP_STAFFTICKET = 4
GROUP_STAFFUSERTICKET = 9
TICKET_GROUP_TYPES = (GROUP_STAFFTICKET, GROUP_STAFFUSERTICKET, GROUP_USERTICKET)

# Ticket creators / creation modes / creation types (SWIFT_Ticket constants).
CREATOR_STAFF = 1
CREATOR_USER = 2
CREATOR_CC = 3
MODE_SUPPORTCENTER = 1
MODE_STAFFCP = 2
MODE_EMAIL = 3
MODE_API = 4
MODE_SITEBADGE = 5
TYPE_DEFAULT = 1
TYPE_PHONE = 2


@dataclass(slots=True)
class Department:
    id: int
    title: str
    type: str  # public / private
    app: str  # tickets / livechat
    displayorder: int
    parentdepartmentid: int = 0
    uservisibilitycustom: int = 0
    usergroupids: tuple[int, ...] = ()


@dataclass(slots=True)
class TicketStatus:
    id: int
    title: str
    displayorder: int
    departmentid: int
    markasresolved: int
    statuscolor: str
    statusbgcolor: str
    type: str = "public"
    displayicon: str = ""
    displayinmainlist: int = 1
    displaycount: int = 1
    resetduetime: int = 0
    triggersurvey: int = 0
    staffvisibilitycustom: int = 0
    staffgroupids: tuple[int, ...] = ()


@dataclass(slots=True)
class TicketPriority:
    id: int
    title: str
    displayorder: int
    frcolorcode: str
    bgcolorcode: str
    type: str = "public"
    uservisibilitycustom: int = 0
    usergroupids: tuple[int, ...] = ()


@dataclass(slots=True)
class TicketType:
    id: int
    title: str
    displayorder: int
    departmentid: int
    displayicon: str
    type: str = "public"
    uservisibilitycustom: int = 0
    usergroupids: tuple[int, ...] = ()


@dataclass(slots=True)
class StaffGroup:
    id: int
    title: str
    isadmin: int


@dataclass(slots=True)
class Staff:
    id: int
    staffgroupid: int
    firstname: str
    lastname: str
    username: str
    email: str
    designation: str
    greeting: str = ""
    mobilenumber: str = ""
    isenabled: int = 1
    timezone: str = ""
    enabledst: int = 0
    signature: str = ""

    @property
    def fullname(self) -> str:
        return f"{self.firstname} {self.lastname}"


@dataclass(slots=True)
class UserGroup:
    id: int
    title: str
    grouptype: str  # registered / guest
    ismaster: int


@dataclass(slots=True)
class Organization:
    id: int
    name: str
    organizationtype: str  # restricted / shared
    address: str
    city: str
    state: str
    postalcode: str
    country: str
    phone: str
    fax: str
    website: str
    dateline: int
    lastupdate: int
    slaplanid: int = 0
    slaplanexpiry: int = 0
    domain: str = ""


@dataclass(slots=True)
class User:
    id: int
    usergroupid: int
    userrole: str  # user / manager
    userorganizationid: int
    salutation: str
    fullname: str
    emails: list[str]
    designation: str
    phone: str
    dateline: int
    lastvisit: int
    userexpiry: int = 0
    isenabled: int = 1
    timezone: str = ""
    enabledst: int = 0
    slaplanid: int = 0
    slaplanexpiry: int = 0


@dataclass(slots=True)
class UserNote:
    """A note on a user or an organisation; shown inside that user's tickets."""

    id: int
    linktype: str  # user / userorganization
    linkid: int
    staffid: int
    staffname: str
    notecolor: int
    dateline: int
    text: str


@dataclass(slots=True)
class TemplateGroup:
    id: int
    title: str


@dataclass(slots=True)
class Workflow:
    id: int
    title: str


@dataclass(slots=True)
class CustomFieldOption:
    id: int
    fieldid: int
    value: str
    displayorder: int
    isselected: int = 0
    parentid: int = 0


@dataclass(slots=True)
class CustomField:
    id: int
    groupid: int
    fieldtype: int
    name: str
    title: str
    displayorder: int
    defaultvalue: str = ""
    isrequired: int = 0
    usereditable: int = 1
    staffeditable: int = 1
    regexpvalidate: str = ""
    encryptindb: int = 0
    description: str = ""
    options: list[CustomFieldOption] = field(default_factory=list)


@dataclass(slots=True)
class CustomFieldGroup:
    id: int
    title: str
    grouptype: int
    displayorder: int
    departmentids: tuple[int, ...]
    fields: list[CustomField] = field(default_factory=list)


# A stored custom-field value, as the server keeps it: text/textarea/date -> str,
# select/radio -> option id, checkbox/multi-select -> option ids, linked select ->
# (parent option id, child option id).
CustomValue = str | int | list[int] | tuple[int, int]


@dataclass(slots=True)
class Ticket:
    id: int
    displayid: str
    departmentid: int
    statusid: int
    priorityid: int
    typeid: int
    userid: int
    ownerstaffid: int
    fullname: str
    email: str
    subject: str
    creationtime: int
    lastactivity: int
    laststaffreply: int
    lastuserreply: int
    lastreplier: str
    slaplanid: int
    duetime: int
    resolutiondue: int
    replies: int
    ipaddress: str
    creator: int
    creationmode: int
    creationtype: int
    isescalated: int
    escalationruleid: int
    templategroupid: int
    tags: str
    flagtype: int
    hasattachments: int
    hasnotes: int
    isresolved: int
    resolutiondateline: int
    watchers: tuple[int, ...]
    workflows: tuple[int, ...]
    # Generation recipe of the lazily built children (fixed at build time).
    topic: int
    n_posts: int
    first_by_staff: int
    n_notes: int
    n_timetracks: int
    n_attachments: int
    html_customer: int
    hostile: int  # index into HOSTILE, or -1
    variant: int = 0  # which subject of the topic; its opening and first reply match
    seeded: int = 1  # 0: created through the API, so it has no generated children


@dataclass(slots=True)
class Post:
    id: int
    ticketid: int
    dateline: int
    userid: int
    fullname: str
    email: str
    emailto: str
    ipaddress: str
    hasattachments: int
    creator: int
    isthirdparty: int
    ishtml: int
    isemailed: int
    staffid: int
    issurveycomment: int
    contents: str
    isprivate: int


@dataclass(slots=True)
class TicketNote:
    id: int
    ticketid: int
    notecolor: int
    staffid: int
    forstaffid: int
    staffname: str
    dateline: int
    text: str


@dataclass(slots=True)
class TimeTrack:
    id: int
    ticketid: int
    timespent: int
    timebillable: int
    billdate: int
    workdate: int
    workerstaffid: int
    workerstaffname: str
    creatorstaffid: int
    creatorstaffname: str
    notecolor: int
    text: str
    dateline: int


@dataclass(slots=True)
class Attachment:
    id: int
    ticketid: int
    postid: int
    filename: str
    filetype: str
    dateline: int
    data: bytes

    @property
    def filesize(self) -> int:
        return len(self.data)
