"""How the simulated Harbourline IT desk is configured in Kayako: its lookups and maps.

A real install configures these once in the admin panel: departments, statuses (global
and per department), priorities, types, staff and their groups, user groups, template
groups, workflows, SLA targets. Here they are fixed data, plus the two maps that place
the shared world's topics on this desk: topic roles to departments, topic kinds to ticket
types (:data:`ROLE_DEPARTMENTS`, :data:`KIND_TYPES`).
"""

from __future__ import annotations

from adapters.kayako.sim_data.records import (
    Department,
    Staff,
    StaffGroup,
    TemplateGroup,
    TicketPriority,
    TicketStatus,
    TicketType,
    UserGroup,
    Workflow,
)
from adapters.simdata.conversation import VERSIONS, Topic
from adapters.simdata.topics import TOPICS

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
ENABLED_STAFF = STAFF[:14]
"""Staff who work tickets (Samuel Adeyemi, the last, is disabled)."""

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

# The user group of each customer segment of the shared world.
SEGMENT_USER_GROUPS = {"registered": 1, "managed": 3, "partner": 4}

TEMPLATE_GROUPS = (TemplateGroup(1, "Default"), TemplateGroup(2, "Managed Clients"))

WORKFLOWS = (
    Workflow(1, "Close ticket"),
    Workflow(2, "Escalate to Tier 2"),
    Workflow(3, "Send to Billing"),
    Workflow(4, "Request customer feedback"),
)

# The SLA plans of the install (users and organisations may name one).
SLA_PLANS = {1: "Standard Support", 2: "Priority Support"}

# Hours to first reply / to resolution by priority id (an SLA plan's targets).
REPLY_HOURS = {1: 48, 2: 24, 3: 8, 4: 4, 5: 2, 6: 1}
RESOLVE_HOURS = {1: 240, 2: 120, 3: 48, 4: 24, 5: 12, 6: 8}

# Where the world's topics land on this desk (see adapters/simdata/conversation.py).
ROLE_DEPARTMENTS: dict[str, int] = {
    "general": 1,
    "access": 1,
    "hardware": 1,
    "request": 1,
    "feedback": 1,
    "privacy": 1,
    "technical": 2,
    "incident": 2,
    "security": 2,
    "billing": 3,
    "infrastructure": 5,
}
KIND_TYPES: dict[str, int] = {
    "case": T_CASE,
    "bug": T_BUG,
    "feedback": T_FEEDBACK,
    "incident": T_INCIDENT,
    "request": T_REQUEST,
    "billing": T_BILLING,
}


def topic_departments(topic: Topic) -> tuple[int, ...]:
    """The departments a topic's tickets are filed in, in the order of its roles."""
    return tuple(ROLE_DEPARTMENTS[role] for role in topic.roles)


def topic_types(topic: Topic) -> tuple[int, ...]:
    return tuple(KIND_TYPES[kind] for kind in topic.kinds)


TOPIC_DEPARTMENTS = tuple(topic_departments(topic) for topic in TOPICS)
TOPIC_TYPES = tuple(topic_types(topic) for topic in TOPICS)

# Sample values of the text custom fields, by field title.
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
