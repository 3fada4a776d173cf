"""The HaloPSA instance's configuration: statuses, teams, agents, ticket types, ticket
areas, SLAs and priorities, categories, outcomes (actions) and custom fields.

Ids follow Halo's own defaults where they are known (Incident is ticket type 1, Closed is
status 9, unassigned tickets carry agent 1); the rest is Harbourline IT's own set-up. The
records are the wire objects' fields (the spec's ``TStatus``, ``SectionDetail``, ``Uname``,
``RequestType``, ``TicketArea``, ``Policy``/priority, ``CategoryDetail``, ``TOutcome``,
``FieldInfo``), kept as plain tuples here and rendered by the simulator.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# --------------------------------------------------------------------------------------
# Statuses
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Status:
    id: int
    name: str
    shortname: str
    colour: str
    closed: bool = False  # left out by ``excludeclosed=true``
    pending: bool = False  # left out by ``excludepending=true``


ST_NEW, ST_IN_PROGRESS, ST_ACTION_REQUIRED, ST_WAITING_USER = 1, 2, 3, 4
ST_WITH_SUPPLIER, ST_UPDATED, ST_CLOSED, ST_RESOLVED = 5, 8, 9, 10

STATUSES: tuple[Status, ...] = (
    Status(ST_NEW, "New", "NEW", "#3f9bd5"),
    Status(ST_IN_PROGRESS, "In Progress", "PROG", "#f0a030"),
    Status(ST_ACTION_REQUIRED, "Action Required", "ACT", "#d9534f"),
    Status(ST_WAITING_USER, "Waiting on User", "WAIT", "#8e7cc3", pending=True),
    Status(ST_WITH_SUPPLIER, "With Supplier", "SUPP", "#7f8c8d", pending=True),
    Status(ST_UPDATED, "Updated", "UPD", "#5cb85c"),
    Status(ST_CLOSED, "Closed", "CLSD", "#333333", closed=True),
    Status(ST_RESOLVED, "Resolved", "RES", "#2e7d32", closed=True),
)
STATUS_BY_ID = {status.id: status for status in STATUSES}

# --------------------------------------------------------------------------------------
# Teams and agents
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Team:
    id: int
    name: str
    department_id: int
    department_name: str
    use: str = "reqs"  # reqs: tickets, opps: opportunities, prjs: projects
    inactive: bool = False


TEAMS: tuple[Team, ...] = (
    Team(1, "1st Line Support", 1, "Service Desk"),
    Team(2, "2nd Line Support", 1, "Service Desk"),
    Team(3, "3rd Line Support", 2, "Infrastructure"),
    Team(4, "Security Operations", 2, "Infrastructure"),
    Team(5, "Billing & Accounts", 3, "Finance"),
    Team(6, "Project Delivery", 2, "Infrastructure", use="prjs"),
    Team(7, "Sales", 3, "Finance", use="opps"),
    Team(8, "Legacy Helpdesk", 1, "Service Desk", inactive=True),
)
TEAM_BY_ID = {team.id: team for team in TEAMS}
TEAM_BY_NAME = {team.name.casefold(): team for team in TEAMS}

# Which team a topic's role lands in.
ROLE_TEAMS: dict[str, int] = {
    "general": 1,
    "access": 1,
    "hardware": 1,
    "request": 1,
    "feedback": 1,
    "privacy": 4,
    "technical": 2,
    "incident": 2,
    "security": 4,
    "billing": 5,
    "infrastructure": 3,
}


@dataclass(frozen=True)
class Agent:
    id: int
    first: str
    last: str
    teams: tuple[int, ...]
    jobtitle: str
    disabled: bool = False
    api: bool = False

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}".strip()

    @property
    def email(self) -> str:
        return f"{self.first.lower()}.{self.last.lower()}@harbourline.example" if self.last else ""


UNASSIGNED_AGENT = 1
API_AGENT = 2

AGENTS: tuple[Agent, ...] = (
    Agent(UNASSIGNED_AGENT, "Unassigned", "", (), ""),
    Agent(API_AGENT, "Integration", "Agent", (), "API application", api=True),
    Agent(3, "Priya", "Raman", (1,), "Service Desk Analyst"),
    Agent(4, "Tom", "Whitfield", (1,), "Service Desk Analyst"),
    Agent(5, "Aisha", "Bello", (1, 2), "Senior Analyst"),
    Agent(6, "Marek", "Nowak", (2,), "Second Line Engineer"),
    Agent(7, "Hannah", "Lindqvist", (2, 3), "Systems Engineer"),
    Agent(8, "Diego", "Alvarez", (3,), "Infrastructure Engineer"),
    Agent(9, "Grace", "Okafor", (4,), "Security Analyst"),
    Agent(10, "Oliver", "Brandt", (3, 4), "Security Engineer"),
    Agent(11, "Sofia", "Marchetti", (5,), "Accounts Officer"),
    Agent(12, "Ken", "Yang", (1, 3), "Service Delivery Manager"),
    Agent(13, "Lena", "Fischer", (6,), "Project Manager"),
    Agent(14, "Ruth", "Adeyemi", (7,), "Account Manager"),
    Agent(15, "Callum", "Reid", (1,), "Service Desk Analyst", disabled=True),
)
AGENT_BY_ID = {agent.id: agent for agent in AGENTS}


def team_agents(team_id: int) -> tuple[Agent, ...]:
    """The enabled, real agents of a team (the ones tickets are assigned to)."""
    return tuple(a for a in AGENTS if team_id in a.teams and not a.disabled and a.id > API_AGENT)


# --------------------------------------------------------------------------------------
# Ticket types and areas
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TicketType:
    id: int
    name: str
    use: str  # "tickets", "opps" or "prjs"
    group_name: str
    inactive: bool = False


TT_INCIDENT, TT_PROBLEM, TT_SERVICE_REQUEST, TT_CHANGE = 1, 2, 3, 4
TT_PROJECT, TT_OPPORTUNITY, TT_BILLING, TT_RETIRED = 5, 6, 7, 8

TICKET_TYPES: tuple[TicketType, ...] = (
    TicketType(TT_INCIDENT, "Incident", "tickets", "ITIL"),
    TicketType(TT_PROBLEM, "Problem", "tickets", "ITIL"),
    TicketType(TT_SERVICE_REQUEST, "Service Request", "tickets", "ITIL"),
    TicketType(TT_CHANGE, "Change Request", "tickets", "ITIL"),
    TicketType(TT_PROJECT, "Project", "prjs", "Projects"),
    TicketType(TT_OPPORTUNITY, "Opportunity", "opps", "Sales"),
    TicketType(TT_BILLING, "Billing Query", "tickets", "Accounts"),
    TicketType(TT_RETIRED, "Legacy Request", "tickets", "Legacy", inactive=True),
)
TYPE_BY_ID = {tt.id: tt for tt in TICKET_TYPES}

KIND_TYPES: dict[str, int] = {
    "case": TT_INCIDENT,
    "bug": TT_PROBLEM,
    "feedback": TT_SERVICE_REQUEST,
    "incident": TT_INCIDENT,
    "request": TT_SERVICE_REQUEST,
    "billing": TT_BILLING,
}


@dataclass(frozen=True)
class TicketArea:
    id: int
    name: str
    singular: str
    plural: str
    types: tuple[int, ...]
    use: int  # area_use: 1 tickets, 2 projects, 3 opportunities


TICKET_AREAS: tuple[TicketArea, ...] = (
    TicketArea(
        1,
        "Service Desk",
        "Ticket",
        "Tickets",
        (TT_INCIDENT, TT_PROBLEM, TT_SERVICE_REQUEST, TT_CHANGE, TT_BILLING, TT_RETIRED),
        1,
    ),
    TicketArea(2, "Projects", "Project", "Projects", (TT_PROJECT,), 2),
    TicketArea(3, "Opportunities", "Opportunity", "Opportunities", (TT_OPPORTUNITY,), 3),
)
AREA_BY_ID = {area.id: area for area in TICKET_AREAS}

# --------------------------------------------------------------------------------------
# SLAs and priorities (priorities are defined per SLA)
# --------------------------------------------------------------------------------------

SLAS: tuple[tuple[int, str], ...] = ((1, "Standard SLA"), (2, "Managed Service SLA"))

# (priorityid, name, colour, response hours, fix hours per SLA)
PRIORITIES: tuple[tuple[int, str, str, tuple[int, int], tuple[int, int]], ...] = (
    (1, "Critical", "#d9534f", (1, 1), (8, 4)),
    (2, "High", "#f0ad4e", (4, 2), (24, 12)),
    (3, "Medium", "#5bc0de", (8, 4), (72, 48)),
    (4, "Low", "#5cb85c", (24, 8), (168, 120)),
)
PRIORITY_IDS = tuple(p[0] for p in PRIORITIES)


def priority_guid(sla_id: int, priority_id: int) -> str:
    """The priority record's GUID (its ``id``; tickets carry ``priorityid`` instead)."""
    return f"6f1c{sla_id:04x}-2b7e-4c3a-9d10-{priority_id:012x}"


# --------------------------------------------------------------------------------------
# Categories (type_id 1: ticket category 1; type_id 2: resolution codes)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Category:
    id: int
    value: str
    type_id: int
    teams: tuple[int, ...] = ()  # team restriction; () = every team


CATEGORIES: tuple[Category, ...] = (
    Category(1, "Hardware>Laptop", 1, (1, 2)),
    Category(2, "Hardware>Printer", 1, (1,)),
    Category(3, "Hardware>Purchase", 1, (1, 5)),
    Category(4, "Software>Microsoft 365", 1, (1, 2)),
    Category(5, "Software>Line of Business", 1, (2, 3)),
    Category(6, "Network>VPN", 1, (2, 3)),
    Category(7, "Network>Wi-Fi", 1, (1, 3)),
    Category(8, "Accounts>Password Reset", 1, (1,)),
    Category(9, "IT Security Threats>Phishing", 1, (4,)),
    Category(10, "IT Security Threats>Malware", 1, (3, 4)),
    Category(11, "Billing>Invoice Query", 1, (5,)),
    Category(20, "Resolved - Fixed", 2),
    Category(21, "Resolved - Workaround", 2),
    Category(22, "Resolved - No Fault Found", 2, (1, 2)),
    Category(23, "Resolved - Duplicate", 2),
    Category(24, "Resolved - Security Incident Closed", 2, (4,)),
)

ROLE_CATEGORIES: dict[str, tuple[int, ...]] = {
    "general": (4, 7),
    "access": (8,),
    "hardware": (1, 2, 3),
    "request": (3, 4),
    "feedback": (4,),
    "privacy": (9,),
    "technical": (4, 5),
    "incident": (5, 6),
    "security": (9, 10),
    "billing": (11,),
    "infrastructure": (6, 7),
}

# --------------------------------------------------------------------------------------
# Outcomes (the "actions" agents take on a ticket)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    id: int
    outcome: str
    buttonname: str
    hidefromuser: bool
    sendemail: bool = False
    newstatus: int = 0
    systemid: int = 0
    hidden: bool = False
    claim: bool = False  # assigns the ticket to the agent taking the action
    mustaddnote: bool = False


OC_EMAIL_USER, OC_PRIVATE_NOTE, OC_PUBLIC_NOTE, OC_PHONE = 1, 2, 3, 4
OC_TRIAGE, OC_CLAIM, OC_CLOSE, OC_RESOLVE = 5, 6, 7, 8
OC_USER_UPDATE, OC_SYSTEM, OC_MERGE = 20, 21, 22

OUTCOMES: tuple[Outcome, ...] = (
    Outcome(OC_EMAIL_USER, "Email User", "Email User", False, sendemail=True, mustaddnote=True),
    Outcome(OC_PRIVATE_NOTE, "Private Note", "Private Note", True, mustaddnote=True),
    Outcome(OC_PUBLIC_NOTE, "Public Note", "Public Note", False, mustaddnote=True),
    Outcome(OC_PHONE, "Phone Call", "Log Call", True),
    Outcome(OC_TRIAGE, "Triage", "Triage", True, newstatus=ST_IN_PROGRESS),
    Outcome(OC_CLAIM, "Claim", "Claim", True, newstatus=ST_IN_PROGRESS, claim=True),
    Outcome(OC_CLOSE, "Close Ticket", "Close", True, newstatus=ST_CLOSED),
    Outcome(OC_RESOLVE, "Resolve", "Resolve", False, sendemail=True, newstatus=ST_RESOLVED),
    Outcome(OC_USER_UPDATE, "Email Update", "Email Update", False, systemid=1, hidden=True),
    Outcome(OC_SYSTEM, "Rule Applied", "Rule Applied", True, systemid=2, hidden=True),
    Outcome(OC_MERGE, "Merged", "Merge", True, systemid=3, hidden=True),
)
OUTCOME_BY_ID = {outcome.id: outcome for outcome in OUTCOMES}

# --------------------------------------------------------------------------------------
# Custom fields (FieldInfo). Types: 0 text, 1 memo, 2 single select, 3 multi-select,
# 4 date, 6 checkbox; inputtype on text fields: 0 any text, 1 integer.
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldDef:
    id: int
    name: str
    label: str
    type: int
    inputtype: int = 0
    values: tuple[tuple[int, str], ...] = field(default=())
    readonly: bool = False
    mandatory: bool = False


CF_TEXT, CF_MEMO, CF_SELECT, CF_MULTI, CF_DATE, CF_CHECKBOX = 0, 1, 2, 3, 4, 6

FIELDS: tuple[FieldDef, ...] = (
    FieldDef(
        113,
        "CFdesktopType",
        "Desktop Type",
        CF_SELECT,
        values=((1, "Standard Desktop"), (2, "Developer Workstation"), (3, "Thin Client")),
    ),
    FieldDef(114, "CFassetTag", "Asset Tag", CF_TEXT),
    FieldDef(115, "CFusersAffected", "Users Affected", CF_TEXT, inputtype=1),
    FieldDef(116, "CFoutageStart", "Outage Start", CF_DATE),
    FieldDef(
        117,
        "CFaffectedServices",
        "Affected Services",
        CF_MULTI,
        values=((1, "Email"), (2, "VPN"), (3, "File Shares"), (4, "Line of Business App")),
    ),
    FieldDef(118, "CFvipCaller", "VIP Caller", CF_CHECKBOX),
    FieldDef(119, "CFworkaround", "Workaround", CF_MEMO),
    FieldDef(120, "CFexternalRef", "External Reference", CF_TEXT, readonly=True),
)
FIELD_BY_ID = {f.id: f for f in FIELDS}
FIELD_BY_NAME = {f.name.casefold(): f for f in FIELDS}

CLIENTELE = 2
"""The customers this desk serves (:class:`adapters.simdata.people.Clientele`)."""
