"""What a support conversation is made of, whichever desk it is on.

A :class:`Topic` is one kind of request with the words both sides use about it. It says
what it is about through *roles* (``"billing"``, ``"incident"``, ``"access"``, …) and
*kinds* (``"bug"``, ``"request"``, …) instead of any vendor's IDs: each simulator maps
roles to its own departments, boards, help desks, teams or queues, and kinds to its own
ticket types, so one corpus serves every desk.

Texts are ``str.format`` templates over :func:`placeholders` (the customer's first name,
the agent, the product version, …); a missing key is left as written, never an error.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from adapters.simdata.people import FIRST_NAMES, LAST_NAMES
from adapters.simdata.timeline import DAY, format_date

COMPANY = "Harbourline IT"
"""The managed-service provider whose agents answer on every simulated desk."""

ROLES = frozenset(
    {
        "general",
        "access",
        "hardware",
        "request",
        "feedback",
        "privacy",
        "technical",
        "incident",
        "security",
        "billing",
        "infrastructure",
    }
)
"""What a request is about, in words a vendor's queue or board can be mapped from."""

KINDS = frozenset({"case", "bug", "feedback", "incident", "request", "billing"})
"""What kind of ticket a request is, mapped by each vendor to its ticket types."""


@dataclass(frozen=True, slots=True)
class Topic:
    """One kind of support request, with the words both sides use about it."""

    key: str
    roles: tuple[str, ...]  # the first is the usual one; a ticket draws one of them
    kinds: tuple[str, ...]
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

    def __post_init__(self) -> None:
        unknown = (set(self.roles) - ROLES) | (set(self.kinds) - KINDS)
        if unknown:
            raise ValueError(f"topic {self.key!r} names unknown roles/kinds {sorted(unknown)}")


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


class Placeholders(dict[str, str]):
    """Template values; an unknown ``{key}`` stays in the text as written."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def placeholders(
    rng: random.Random,
    *,
    first: str,
    email: str,
    org: str,
    agent: str,
    agent_full: str,
    team: str,
    ticket: str,
    host: str,
    item_id: int,
    created: int,
) -> Placeholders:
    """The values a conversation's templates draw on, for one ticket.

    ``item_id`` numbers invoices; ``created`` dates the "since ..." of an opening. The
    draws from ``rng`` happen in a fixed order, so a seed always gives the same words.
    """
    return Placeholders(
        first=first,
        email=email,
        org=org,
        agent=agent,
        agent_full=agent_full,
        team=team,
        version=rng.choice(VERSIONS),
        os=rng.choice(OSES),
        browser=rng.choice(BROWSERS),
        date=format_date(created - rng.randrange(1, 6) * DAY),
        ticket=ticket,
        host=host,
        invoice=invoice_number(item_id),
        amount=f"{rng.randrange(40, 2400)}.{rng.choice(('00', '50', '99', '20'))}",
        person=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        month=time.strftime("%B", time.gmtime(created)),
        vendor=str(rng.randrange(10000, 99999)),
    )


def invoice_number(item_id: int) -> str:
    """The invoice a billing conversation about item ``item_id`` quotes."""
    return f"INV-{100000 + item_id * 7 % 900000:06d}"
