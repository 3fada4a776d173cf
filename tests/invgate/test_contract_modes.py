"""The shared contract suite over the simulator answering as a *current* instance (typed
scalars): the suite itself runs over the registered default, an old instance answering
every scalar as a string, so between them both typing modes keep the contract."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from adapters import registry
from tests.contract import test_contract as contract
from tests.contract.conftest import Desk, Faults
from tests.contract.profile import profile_for


@pytest.fixture
async def desk() -> AsyncIterator[Desk]:
    profile = profile_for("invgate")
    simulator = registry.simulator_module("invgate")
    app = simulator.create_app(tickets=profile.tickets, seed=7, strings=False)
    made = Desk("invgate", profile, Faults(app, profile), adapter=None)  # type: ignore[arg-type]
    made.adapter = made.make()
    async with made.adapter:
        yield made


# Every test of the suite, run here with the fixture above.
for _name in dir(contract):
    if _name.startswith("test_"):
        globals()[_name] = getattr(contract, _name)
