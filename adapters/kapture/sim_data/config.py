"""The simulated Kapture tenant's configuration: what its admin set up under
Configuration (queues, statuses and sub-statuses, dispositions, ticket sources, the
additional-detail field groups, the agents) and where the shared world's topics land.

Kapture keeps all of this as tenant configuration and publishes no API to read it, so a
client learns the keys from its own configuration tables; :data:`SUB_STATUSES` and
:data:`QUEUES` are what an admin of this tenant would copy into ``triage``'s config.
"""

from __future__ import annotations

from dataclasses import dataclass

TIMEZONE_OFFSET = 5 * 3600 + 30 * 60
"""The tenant's clock (IST, UTC+05:30, no daylight saving): every date on the wire."""
TIMEZONE = "+05:30"


@dataclass(frozen=True, slots=True)
class SubStatus:
    key: str
    name: str
    status: str  # the top-level status key: "P" (Pending) or "C" (Complete)


TOP_STATUSES: dict[str, str] = {"P": "Pending", "C": "Complete"}
SUB_STATUSES: tuple[SubStatus, ...] = (
    SubStatus("P", "Pending", "P"),
    SubStatus("IP", "In Progress", "P"),
    SubStatus("AC", "Awaiting Customer", "P"),
    SubStatus("CB", "Callback Scheduled", "P"),
    SubStatus("ES", "Escalated", "P"),
    SubStatus("RS", "Resolved", "C"),
    SubStatus("CL", "Closed", "C"),
)
SUB_STATUS_BY_KEY = {sub.key: sub for sub in SUB_STATUSES}

QUEUES: tuple[tuple[str, str], ...] = (
    ("L1", "First line"),
    ("L2", "Second line"),
    ("BILL", "Billing"),
    ("NOC", "Network operations"),
    ("SEC", "Security desk"),
)
QUEUE_NAMES = dict(QUEUES)

ROLE_QUEUES: dict[str, str] = {
    "general": "L1",
    "access": "L1",
    "request": "L1",
    "feedback": "L1",
    "hardware": "L2",
    "technical": "L2",
    "incident": "NOC",
    "infrastructure": "NOC",
    "privacy": "SEC",
    "security": "SEC",
    "billing": "BILL",
}
"""The queue a topic's role lands in."""

DISPOSITIONS: dict[str, tuple[str, ...]] = {
    "L1": ("Support|Query|Password reset", "Support|Query|How-to", "Support|Request|New user"),
    "L2": ("Support|Fault|Hardware", "Support|Fault|Software", "Support|Request|Install"),
    "BILL": ("Billing|Query|Invoice", "Billing|Refund|Approved", "Billing|Refund|Declined"),
    "NOC": ("Operations|Incident|Outage", "Operations|Incident|Degraded", "Operations|Change"),
    "SEC": ("Security|Incident|Phishing", "Security|Request|Access review"),
}
"""Disposition paths (Kapture's ``A|B|C``) a queue's tickets are disposed with."""

SOURCES: tuple[tuple[str, str], ...] = (
    ("E", "Email"),
    ("C", "Call"),
    ("W", "Web Form"),
    ("O", "Mobile App"),
    ("S", "Chat"),
)
SOURCE_NAMES = dict(SOURCES)

PRIORITIES = ("low", "medium", "high")
"""Kapture's ticket priority, an integer 0 (none) … 3 on the ticket object and a word in
the pulled summaries; the ticket APIs cannot set it."""


@dataclass(frozen=True, slots=True)
class Agent:
    id: int
    name: str
    email: str
    queues: tuple[str, ...]


API_AGENT = Agent(209803, "Kapture Dev API's", "api@harbourline.kapturecrm.com", ())
"""Whom the API acts as: the creator of tickets added and the author of comments."""

AGENTS: tuple[Agent, ...] = (
    Agent(209811, "Priya Raman", "priya.raman@harbourline.example", ("L1", "BILL")),
    Agent(209812, "Tom Becker", "tom.becker@harbourline.example", ("L1",)),
    Agent(209813, "Aisha Khan", "aisha.khan@harbourline.example", ("L2", "NOC")),
    Agent(209814, "Rohan Mehta", "rohan.mehta@harbourline.example", ("L2",)),
    Agent(209815, "Grace Liu", "grace.liu@harbourline.example", ("NOC", "SEC")),
    Agent(209816, "Daniel Okafor", "daniel.okafor@harbourline.example", ("SEC", "BILL")),
)
AGENT_BY_ID = {agent.id: agent for agent in (*AGENTS, API_AGENT)}

FIELD_GROUPS: dict[str, tuple[str, ...]] = {
    "issue_category_details": ("issue_category_1", "issue_category_2"),
    "customer_info": ("account_code", "plan", "site"),
    "asset_details": ("asset_tag", "serial_number"),
}
"""The tenant's additional-detail groups and their fields: set through extra keys of Add
and Update (a group as ``[{field: value}]``), read back in Get's ``additional_info``."""

PLANS = ("Managed", "Managed Plus", "Break-fix", "Partner")
