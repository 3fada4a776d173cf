"""The customers of the simulated desks: organisations and the people who write in.

Every simulator draws its customers here, so that a person looks alike on every desk
(name, address, e-mail at the organisation's domain, a personal address now and then)
while each desk serves *different* customers: a :class:`Clientele` is keyed by a seed,
and each seed has its own block of organisation names and its own people. Clientele 0
is the canonical set the Kayako simulator has always served; seeds 1, 2, … give the other
demo desks customers of their own, so a merged list of several desks reads like one
agent's morning, not copies of one desk.

The records are vendor-neutral (:class:`Organisation`, :class:`Person`); each simulator
copies what its wire format knows into its own records.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from adapters.simdata.timeline import DAY

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

# Words that compose the organisation names of clientele 1, 2, … (clientele 0 uses
# ORG_NAMES): 40 x 30 names, shuffled once, dealt out in disjoint blocks.
NAME_STEMS = (
    "Ashford",
    "Beacon",
    "Birchwood",
    "Bramley",
    "Castlegate",
    "Cedar",
    "Clearwater",
    "Copperfield",
    "Crescent",
    "Dunmore",
    "Eastbrook",
    "Elmstead",
    "Fairhaven",
    "Fernhill",
    "Foxglove",
    "Glenrock",
    "Greystone",
    "Hartwell",
    "Hawthorn",
    "Highbury",
    "Ironbridge",
    "Juniper",
    "Kestrel",
    "Lakeside",
    "Larkspur",
    "Meadowbank",
    "Northgate",
    "Oakridge",
    "Pennant",
    "Quayside",
    "Redcliffe",
    "Rosemount",
    "Saltmarsh",
    "Silverdale",
    "Stonebridge",
    "Thornbury",
    "Westfield",
    "Whitehaven",
    "Willowbrook",
    "Yarrow",
)
NAME_TRADES = (
    "Dental Practice",
    "Veterinary Clinic",
    "Architects",
    "Accountants",
    "Estate Agents",
    "Solicitors",
    "Logistics",
    "Engineering",
    "Bakery",
    "Brewing Co",
    "Care Home",
    "Primary School",
    "Surveyors",
    "Print Works",
    "Garden Centre",
    "Physiotherapy",
    "Opticians",
    "Marine Services",
    "Building Supplies",
    "Recruitment",
    "Consulting",
    "Media",
    "Hotel",
    "Pharmacy",
    "Wealth Management",
    "Haulage",
    "Joinery",
    "Medical Centre",
    "Insurance Brokers",
    "Housing Trust",
)
CLIENTELE_BLOCK = 120

CUSTOMER_NOTES = (
    "VIP - escalate anything from this contact to the account manager.",
    "Prefers phone calls; email replies often go unanswered.",
    "On the legacy contract until renewal - check entitlement before onsite visits.",
    "Site has a strict change freeze on Fridays.",
)
"""What agents note about a customer (the last two fit organisations too)."""


@dataclass(slots=True)
class Organisation:
    """A customer organisation."""

    id: int
    name: str
    sharing: str  # "restricted": members see their own tickets; "shared": each other's
    address: str
    city: str
    state: str
    postcode: str
    country: str
    phone: str
    website: str
    created: int
    updated: int
    plan: int  # 0: no support plan, 1..2: plans of rising level
    domain: str


@dataclass(slots=True)
class Person:
    """A customer who writes in, alone or for an organisation (``org_id`` 0: none)."""

    id: int
    first: str
    last: str
    org_id: int
    emails: list[str]
    segment: str  # "registered", "managed" (a managed-service client) or "partner"
    is_manager: bool  # may see the organisation's tickets
    salutation: str
    designation: str
    phone: str
    created: int
    last_seen: int  # 0: never signed in
    enabled: bool
    timezone: str
    plan: int

    @property
    def fullname(self) -> str:
        return f"{self.first} {self.last}"


def _composed_names() -> tuple[str, ...]:
    names = [f"{stem} {trade}" for stem in NAME_STEMS for trade in NAME_TRADES]
    random.Random("simdata:organisation-names").shuffle(names)
    return tuple(names)


_COMPOSED = _composed_names()


@dataclass(frozen=True)
class Clientele:
    """The customers of one desk, keyed by ``seed`` (0: the canonical Kayako set)."""

    seed: int = 0

    def __post_init__(self) -> None:
        if self.seed < 0:
            raise ValueError(f"clientele seeds are >= 0, got {self.seed}")

    def organisation_names(self) -> tuple[str, ...]:
        """The names this clientele's organisations take, in order (disjoint blocks for
        seeds 1 to 10; later seeds reuse the blocks with other people)."""
        if self.seed == 0:
            return ORG_NAMES
        blocks = len(_COMPOSED) // CLIENTELE_BLOCK
        start = ((self.seed - 1) % blocks) * CLIENTELE_BLOCK
        return _COMPOSED[start : start + CLIENTELE_BLOCK]

    def rng(self, desk_rng: random.Random, desk_seed: int) -> random.Random:
        """The generator to draw people from: the desk's own for clientele 0 (so the
        canonical desk stays as it always was), else one of this clientele's."""
        if self.seed == 0:
            return desk_rng
        return random.Random(f"simdata:clientele:{self.seed}:{desk_seed}")

    def build(
        self, rng: random.Random, *, organisations: int, people: int, now: int
    ) -> tuple[list[Organisation], list[Person]]:
        """``organisations`` organisations and ``people`` people, created before ``now``.

        People belong to an organisation about 4 times in 5 (e-mail at its domain),
        otherwise write from a personal address; some have a second address.
        """
        names = self.organisation_names()
        used: set[str] = set()
        orgs = [_organisation(rng, oid, names, now, used) for oid in range(1, organisations + 1)]
        persons = [_person(rng, pid, orgs, now) for pid in range(1, people + 1)]
        return orgs, persons


def _organisation(
    rng: random.Random, oid: int, names: tuple[str, ...], now: int, used: set[str]
) -> Organisation:
    base = names[(oid - 1) % len(names)]
    name = base if oid <= len(names) else f"{base} {rng.choice(ORG_SUFFIXES)}"
    while name in used:
        name = f"{base} {rng.choice(ORG_SUFFIXES)} {rng.randrange(2, 99)}"
    used.add(name)
    slug = re.sub(r"[^a-z0-9]+", "", name.lower())[:18]
    city, state, postcode, country = rng.choice(CITIES)
    created = now - rng.randrange(400, 1500) * DAY
    # The draws below happen in this order: keep it, seeded desks depend on it.
    sharing = rng.choice(("restricted", "shared", "shared"))
    address = f"{rng.randrange(1, 240)} {rng.choice(STREETS)}"
    phone = f"+44 117 496 {rng.randrange(10000):04d}" if rng.random() < 0.7 else ""
    website = f"https://www.{slug}.example" if rng.random() < 0.8 else ""
    updated = created + rng.randrange(0, 300) * DAY
    plan = rng.choice((0, 0, 1, 2))
    return Organisation(
        id=oid,
        name=name,
        sharing=sharing,
        address=address,
        city=city,
        state=state,
        postcode=postcode,
        country=country,
        phone=phone,
        website=website,
        created=created,
        updated=updated,
        plan=plan,
        domain=f"{slug}.example",
    )


def _person(rng: random.Random, pid: int, orgs: list[Organisation], now: int) -> Person:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    has_org = rng.random() < 0.78
    org = orgs[rng.randrange(1, len(orgs) + 1) - 1] if has_org and orgs else None
    local = re.sub(r"[^a-z0-9.]+", "", f"{first}.{last}".lower().replace("'", ""))
    if org is not None:
        emails = [f"{local}@{org.domain}"]
    else:
        emails = [f"{local}{rng.randrange(1, 99)}@{rng.choice(PERSONAL_DOMAINS)}"]
    if rng.random() < 0.12:
        emails.append(
            f"{first[0].lower()}{re.sub(r'[^a-z]', '', last.lower())}"
            f"{pid}@{rng.choice(PERSONAL_DOMAINS)}"
        )
    if org is not None and rng.random() < 0.55:
        segment = "managed"
    else:
        segment = "partner" if rng.random() < 0.05 else "registered"
    created = now - rng.randrange(100, 900) * DAY
    # As for organisations, the order of these draws is part of every seeded desk.
    is_manager = rng.random() < 0.08
    salutation = rng.choice(SALUTATIONS)
    designation = rng.choice(DESIGNATIONS)
    phone = f"+44 7700 9{rng.randrange(100000):05d}" if rng.random() < 0.5 else ""
    last_seen = 0 if rng.random() < 0.3 else now - rng.randrange(0, 60) * DAY
    enabled = not rng.random() < 0.02
    timezone = rng.choice(TIMEZONES)
    plan = rng.choice((0, 0, 0, 1))
    return Person(
        id=pid,
        first=first,
        last=last,
        org_id=org.id if org is not None else 0,
        emails=emails,
        segment=segment,
        is_manager=is_manager,
        salutation=salutation,
        designation=designation,
        phone=phone,
        created=created,
        last_seen=last_seen,
        enabled=enabled,
        timezone=timezone,
        plan=plan,
    )
