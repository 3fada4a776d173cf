"""HaloPSA: the adapter (:mod:`~.adapter`, on :mod:`~.client`), its wire format
(:mod:`~.wire`), the rolling rate limit (:mod:`~.window`), and the simulated instance
(:mod:`~.simulator`, :mod:`~.sim_data`)."""

from adapters.halopsa.adapter import HaloAdapter
from adapters.halopsa.client import HaloSettings

__all__ = ["HaloAdapter", "HaloSettings"]
