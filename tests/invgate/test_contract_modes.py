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


test_check_ok = contract.test_check_ok
test_bad_credentials = contract.test_bad_credentials
test_list_pages_with_totals = contract.test_list_pages_with_totals
test_get_with_posts_and_custom_fields = contract.test_get_with_posts_and_custom_fields
test_update = contract.test_update
test_assign = contract.test_assign
test_reply_and_note = contract.test_reply_and_note
test_close = contract.test_close
test_merge = contract.test_merge
test_set_custom_fields = contract.test_set_custom_fields
test_create = contract.test_create
test_not_found = contract.test_not_found
test_invalid_input = contract.test_invalid_input
test_faults_are_typed = contract.test_faults_are_typed
test_every_no_raises_unsupported_with_its_reason = (
    contract.test_every_no_raises_unsupported_with_its_reason
)
