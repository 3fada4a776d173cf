"""Deterministic, seeded data of the simulated Kapture CRM desk.

*Harbourline IT* runs one of its support lines on Kapture: five queues, sub-statuses under
Pending and Complete, dispositions, ticket sources, three groups of additional details,
and tickets created over the last two weeks with conversations (chat, e-mail and notes).
The customers come from the shared world (:mod:`adapters.simdata`) as a clientele of their
own, so the Kapture desk serves different organisations from the other demo desks.

* :mod:`~adapters.kapture.sim_data.config`: the tenant's configuration;
* :mod:`~adapters.kapture.sim_data.records`: tickets and messages;
* :mod:`~adapters.kapture.sim_data.desk`: the desk in memory, with its writes;
* :mod:`~adapters.kapture.sim_data.build`: :func:`generate_desk`.
"""

from adapters.kapture.sim_data.build import HISTORY_DAYS, generate_desk
from adapters.kapture.sim_data.desk import KaptureDesk
from adapters.kapture.sim_data.records import Message, Ticket

__all__ = ["HISTORY_DAYS", "KaptureDesk", "Message", "Ticket", "generate_desk"]
