"""Deterministic, seeded data of the simulated ConnectWise PSA site.

*Harbourline IT*, a managed-service provider, runs part of its support on ConnectWise PSA:
four service boards (one retired) with their own statuses, teams and types, the stock
priorities, members, a block of the shared world's customer organisations as companies
with their contacts, and service tickets over the last ~90 days with notes of every kind
(Discussion, Internal, Resolution; some HTML) and custom fields.

* :mod:`~adapters.connectwise.sim_data.config`: the site's setup tables and credentials;
* :mod:`~adapters.connectwise.sim_data.records`: records as the API shapes them;
* :mod:`~adapters.connectwise.sim_data.desk`: the site in memory;
* :mod:`~adapters.connectwise.sim_data.notes`: notes, built when first read;
* :mod:`~adapters.connectwise.sim_data.build`: :func:`generate_desk`.
"""

from adapters.connectwise.sim_data.build import generate_desk
from adapters.connectwise.sim_data.desk import ConnectWiseDesk

__all__ = ["ConnectWiseDesk", "generate_desk"]
