"""How the simulated Harbourline IT desk is set up in ConnectWise PSA: its table setup.

A real PSA site configures these once under System > Setup Tables: service boards, each
with its own statuses, teams and types; the global priorities; members (the agents); the
ticket custom fields (user-defined fields). Here they are fixed data, plus the maps that
place the shared world's topics on this site (topic roles to boards, topic kinds to each
board's types).

IDs are not 1, 2, 3: a PSA site's ids come from one database and look like it (boards in
the tens, statuses in the hundreds), so a client that confuses a board id with a status
id shows it.
"""

from __future__ import annotations

from dataclasses import dataclass

LOGIN_COMPANY = "harbourline"
"""The company id members log in with (the ``company`` of the connection)."""
PUBLIC_KEY = "hlSimPublic01"
PRIVATE_KEY = "hl-sim-private-key-5Qz9"
CLIENT_ID = "5d4b3c2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a"
CODEBASE = "v2025_1/"
"""What ``/login/companyinfo`` answers; ``v4_6_release/`` is accepted as well."""
VERSION_CODE = "v2025.1"
VERSION_NUMBER = "v4.6.97512"
API_MEMBER_ID = 190
"""The API member the simulator's keys belong to: notes without an author are its."""


@dataclass(frozen=True)
class BoardSetup:
    id: int
    name: str
    location: tuple[int, str]
    department: tuple[int, str]
    roles: tuple[str, ...]
    # (id, name, closed, default, sort order)
    statuses: tuple[tuple[int, str, bool, bool], ...]
    teams: tuple[tuple[int, str, bool, tuple[int, ...]], ...]  # id, name, default, members
    types: tuple[tuple[int, str, tuple[str, ...]], ...]  # id, name, topic kinds
    inactive: bool = False


BOARDS: tuple[BoardSetup, ...] = (
    BoardSetup(
        id=21,
        name="Service Desk",
        location=(2, "Bristol HQ"),
        department=(10, "Managed Services"),
        roles=("general", "access", "hardware", "request", "feedback", "privacy"),
        statuses=(
            (501, "New", False, True),
            (502, "In Progress", False, False),
            (503, "Waiting on Customer", False, False),
            (504, "Scheduled", False, False),
            (505, "Escalated", False, False),
            (506, ">Resolved", True, False),
            (507, ">Closed", True, False),
        ),
        teams=(
            (31, "Tier 1", True, (101, 102, 103)),
            (32, "Tier 2", False, (104, 105)),
        ),
        types=(
            (71, "Incident", ("incident", "bug", "case")),
            (72, "Service Request", ("request", "feedback")),
            (73, "Question", ("case",)),
        ),
    ),
    BoardSetup(
        id=22,
        name="Network Operations",
        location=(2, "Bristol HQ"),
        department=(11, "Infrastructure"),
        roles=("infrastructure", "incident", "technical", "security"),
        statuses=(
            (521, "New", False, True),
            (522, "Assigned", False, False),
            (523, "Investigating", False, False),
            (524, "Waiting on Vendor", False, False),
            (525, "Monitoring", False, False),
            (526, ">Closed", True, False),
            (527, "Closed - No Fault Found", True, False),
        ),
        teams=(
            (33, "NOC", True, (104, 106, 107)),
            (34, "Field Engineers", False, (105, 107)),
        ),
        types=(
            (74, "Outage", ("incident",)),
            (75, "Change", ("request",)),
            (76, "Alert", ("bug", "case", "feedback")),
        ),
    ),
    BoardSetup(
        id=23,
        name="Billing & Accounts",
        location=(3, "Leeds Office"),
        department=(12, "Finance"),
        roles=("billing",),
        statuses=(
            (541, "New", False, True),
            (542, "In Review", False, False),
            (543, "Awaiting Payment", False, False),
            (544, ">Completed", True, False),
            (545, ">Cancelled", True, False),
        ),
        teams=((35, "Accounts", True, (108, 102)),),
        types=(
            (77, "Invoice Query", ("billing", "case")),
            (78, "Refund", ("request",)),
        ),
    ),
    BoardSetup(
        id=24,
        name="Projects Intake (retired)",
        location=(3, "Leeds Office"),
        department=(10, "Managed Services"),
        roles=(),
        statuses=((561, "New", False, True), (562, ">Closed", True, False)),
        teams=((36, "Project Office", True, (101,)),),
        types=((79, "Project Request", ("request",)),),
        inactive=True,
    ),
)

# (id, name, sort, color); the names are the ones a PSA site has out of the box.
PRIORITIES: tuple[tuple[int, str, int, str], ...] = (
    (15, "Priority 1 - Emergency Response", 1, "Red"),
    (8, "Priority 2 - Quick Response", 2, "Orange"),
    (4, "Priority 3 - Normal Response", 3, "Yellow"),
    (7, "Priority 4 - Scheduled Maintenance", 4, "Green"),
    (16, "Do Not Respond", 5, "Gray"),
)
DEFAULT_PRIORITY = 4
LEVELS = ("Low", "Medium", "High")
"""``severity`` (shown as Urgency) and ``impact``."""

# (id, identifier, first, last, title, license class)
MEMBERS: tuple[tuple[int, str, str, str, str, str], ...] = (
    (101, "aokafor", "Adaeze", "Okafor", "Service Desk Analyst", "F"),
    (102, "tbrennan", "Tom", "Brennan", "Service Desk Analyst", "F"),
    (103, "psharma", "Priya", "Sharma", "Service Desk Analyst", "F"),
    (104, "mlindqvist", "Magnus", "Lindqvist", "Senior Engineer", "F"),
    (105, "cdoyle", "Ciara", "Doyle", "Field Engineer", "F"),
    (106, "hnakamura", "Hiro", "Nakamura", "NOC Engineer", "F"),
    (107, "rmensah", "Rebecca", "Mensah", "Network Architect", "F"),
    (108, "jwhitfield", "James", "Whitfield", "Accounts Manager", "C"),
    (109, "lvance", "Laura", "Vance", "Former Engineer", "F"),
    (API_MEMBER_ID, "triageapi", "Triage", "Integration", "API Member", "A"),
)
INACTIVE_MEMBERS = frozenset({109})

COMPANY_STATUSES = ((1, "Active"), (2, "Inactive"), (3, "Not-Approved"))
COMPANY_TYPES = (
    (1, "Customer"),
    (2, "Partner"),
    (3, "Vendor"),
    (4, "Prospect"),
    (5, "Owner"),
    (6, "Not-a-fit"),
)

# User-defined fields on service tickets: (id, caption, type, entry method, decimals).
CUSTOM_FIELDS: tuple[tuple[int, str, str, str, int], ...] = (
    (41, "Outage ID", "Text", "EntryField", 0),
    (42, "Affected users", "Number", "EntryField", 0),
    (43, "Site visit required", "Checkbox", "EntryField", 0),
    (44, "Change window", "Date", "Date", 0),
    (45, "Root cause", "TextArea", "EntryField", 0),
    (46, "Budget impact", "Currency", "EntryField", 2),
)

FIRST_TICKET_ID = 250101
NOTE_ID_BASE = 1_800_000
