"""Deterministic, seeded data of the simulated HaloPSA instance.

*Harbourline IT* runs its service desk on HaloPSA: teams of agents, ticket types in ticket
areas, SLAs with their priorities, categories, outcomes (the actions agents take) and
custom fields (:mod:`~.config`), customers from the shared world as Halo clients, sites and
users, and tickets spread over the last ~90 days with their actions (:mod:`~.build`), held
in memory with the API's writes (:mod:`~.desk`).
"""

from adapters.halopsa.sim_data.build import FIRST_TICKET_ID, generate_desk
from adapters.halopsa.sim_data.desk import (
    Action,
    Attachment,
    Client,
    HaloDesk,
    SentEmail,
    Site,
    Ticket,
    User,
)

__all__ = [
    "FIRST_TICKET_ID",
    "Action",
    "Attachment",
    "Client",
    "HaloDesk",
    "SentEmail",
    "Site",
    "Ticket",
    "User",
    "generate_desk",
]
