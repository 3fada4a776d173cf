"""The bulk runner with a desk's own action: the caller says per desk whether it can, the
desks that cannot are reported with the reason and never sent, and an action's outcome
message becomes the ticket's result message."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.actions import ActionOutcome
from adapters.base import Adapter, Capability
from adapters.model import TicketKey
from tui.bulk import BulkRunner, plan


def keys(*names: str) -> list[TicketKey]:
    return [TicketKey.parse(name) for name in names]


def only_acme(adapter: Adapter) -> Capability:
    if adapter.name == "acme":
        return Capability.yes()
    return Capability.no("this desk offers no action 'log-time' (none)")


async def test_a_desk_action_runs_where_offered_and_says_why_not_elsewhere(data: Any) -> None:
    desks = {
        "acme": data.FakeDesk("acme", data.FULL, missing=["13"]),
        "halo": data.FakeDesk("halo", data.LIMITED),
    }

    async def log_time(adapter: Adapter, native_id: str) -> object:
        await adapter.get_ticket(native_id)
        return ActionOutcome(message=f"logged 1h30m on {native_id}\x1b[2J")

    targets = keys("acme:12", "halo:9", "acme:13")
    runner = BulkRunner(targets, desks, "log-time", log_time, capability_of=only_acme)
    assert runner.plan.desk("halo").reason == "this desk offers no action 'log-time' (none)"
    results = {str(result.key): result for result in await runner.run()}
    assert results["acme:12"].ok and results["acme:12"].message == "logged 1h30m on 12"
    assert results["acme:12"].action == "log-time"
    assert not results["acme:13"].ok and "does not exist" in results["acme:13"].message
    assert not results["halo:9"].ok
    assert results["halo:9"].message == (
        "halo: not sent: cannot log-time on this desk: this desk offers no action 'log-time' (none)"
    )
    assert desks["halo"].calls == []
    assert runner.retryable == keys("acme:13")


def test_a_plan_for_a_desk_action(data: Any) -> None:
    desks = {"acme": data.FakeDesk("acme", data.FULL), "halo": data.FakeDesk("halo", data.LIMITED)}
    made = plan(keys("acme:1", "halo:2", "gone:3"), desks, "log-time", only_acme)
    assert [desk.supported for desk in made.desks] == [True, False, False]
    assert made.desk("gone").reason == "no connection with this name is configured"
    assert made.runnable == 1


def test_unknown_actions_still_need_a_capability(data: Any) -> None:
    desks = {"acme": data.FakeDesk("acme", data.FULL)}
    with pytest.raises(ValueError, match="unknown bulk action 'log-time'"):
        plan(keys("acme:1"), desks, "log-time")
