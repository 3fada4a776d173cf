"""The simulated InvGate instance's data: records (:mod:`.records`), the desk that holds
them (:mod:`.desk`) and how a seed becomes one (:mod:`.build`)."""

from adapters.invgate.sim_data.build import generate_desk
from adapters.invgate.sim_data.desk import InvGateDesk

__all__ = ["InvGateDesk", "generate_desk"]
