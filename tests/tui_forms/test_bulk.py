"""BulkRunner and plan() against in-test desks (FakeDesk, conftest.py)."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.base import Adapter, NotFound
from adapters.model import ActionResult, TicketKey
from tui.bulk import BulkRunner, plan


def keys(connection: str, *ids: int) -> list[TicketKey]:
    return [TicketKey(connection, str(native_id)) for native_id in ids]


async def close(adapter: Adapter, native_id: str) -> object:
    return await adapter.close(native_id, note="bulk")


async def test_bulk_close_some_fail_then_retry_failed(data: Any) -> None:
    acme = data.FakeDesk("acme", data.FULL, missing=["2", "4"])
    other = data.FakeDesk("other", data.FULL, missing=["9"])
    targets = [*keys("acme", 1, 2, 3), *keys("other", 8, 9), *keys("acme", 4)]
    progress: list[tuple[int, int, ActionResult]] = []
    runner = BulkRunner(
        targets,
        {"acme": acme, "other": other},
        "close",
        close,
        on_progress=lambda done, total, result: progress.append((done, total, result)),
    )
    results = await runner.run()

    assert [result.key for result in results] == targets
    assert [(str(r.key), r.ok, r.message) for r in results] == [
        ("acme:1", True, ""),
        ("acme:2", False, "acme: ticket 2 does not exist"),
        ("acme:3", True, ""),
        ("other:8", True, ""),
        ("other:9", False, "other: ticket 9 does not exist"),
        ("acme:4", False, "acme: ticket 4 does not exist"),
    ]
    assert all(result.action == "close" for result in results)
    assert [(done, total) for done, total, _ in progress] == [(n, 6) for n in range(1, 7)]
    assert sorted(str(result.key) for _, _, result in progress) == sorted(map(str, targets))
    assert runner.failed == keys("acme", 2) + keys("other", 9) + keys("acme", 4)
    assert set(runner.returned) == set(keys("acme", 1, 3) + keys("other", 8))

    # The desk recovers; only the failures are sent again.
    acme.missing.clear()
    other.missing.clear()
    acme.calls.clear()
    other.calls.clear()
    progress.clear()
    retried = await runner.retry_failed()
    assert [(str(r.key), r.ok) for r in retried] == [
        ("acme:2", True),
        ("other:9", True),
        ("acme:4", True),
    ]
    assert sorted(acme.calls) == ["2", "4"] and other.calls == ["9"]
    assert [(done, total) for done, total, _ in progress] == [(1, 3), (2, 3), (3, 3)]
    assert runner.failed == [] and runner.succeeded == 6
    assert all(result.ok for result in runner.results)


async def test_concurrency_is_bounded_per_desk_and_desks_run_in_parallel(data: Any) -> None:
    acme = data.FakeDesk("acme", data.FULL)  # max_concurrency 3
    halo = data.FakeDesk("halo", data.LIMITED)  # max_concurrency 2
    both = {"acme": acme, "halo": halo}
    in_flight = peak_together = 0

    async def update(adapter: Adapter, native_id: str) -> object:
        nonlocal in_flight, peak_together
        in_flight += 1
        peak_together = max(peak_together, in_flight)
        try:
            return await adapter.get_ticket(native_id)
        finally:
            in_flight -= 1

    targets = keys("acme", *range(10)) + keys("halo", *range(7))
    runner = BulkRunner(targets, both, "update", update)
    results = await runner.run()
    assert all(result.ok for result in results) and len(results) == 17
    assert acme.peak == 3 and halo.peak == 2
    assert peak_together == 5
    # Each desk's tickets start in target order.
    assert acme.calls == [str(n) for n in range(10)]


async def test_unsupported_tickets_are_reported_with_the_reason_and_never_sent(
    data: Any,
) -> None:
    acme = data.FakeDesk("acme", data.FULL)
    halo = data.FakeDesk("halo", data.LIMITED)
    targets = keys("halo", 1, 2) + keys("acme", 3) + keys("gone", 4)
    runner = BulkRunner(targets, {"acme": acme, "halo": halo}, "close", close)
    results = await runner.run()
    assert [(str(r.key), r.ok, r.message) for r in results] == [
        (
            "halo:1",
            False,
            "halo: not sent: cannot close tickets on this desk: "
            "closing needs a solution entered on the desk",
        ),
        (
            "halo:2",
            False,
            "halo: not sent: cannot close tickets on this desk: "
            "closing needs a solution entered on the desk",
        ),
        ("acme:3", True, ""),
        ("gone:4", False, "gone: not sent: no connection with this name is configured"),
    ]
    assert halo.calls == []
    # Retrying would fail the same way, so nothing is retryable.
    assert runner.retryable == []
    assert await runner.retry_failed() == []


def test_plan_counts_per_desk_and_names_unsupported_and_emulated(data: Any) -> None:
    adapters = {
        "acme": data.FakeDesk("acme", data.FULL),
        "halo": data.FakeDesk("halo", data.LIMITED),
    }
    targets = keys("acme", 1, 2, 1) + keys("halo", 5) + keys("gone", 6)
    merge_plan = plan(targets, adapters, "merge")
    assert [(d.connection, d.count, d.supported, d.emulated) for d in merge_plan.desks] == [
        ("acme", 2, True, True),
        ("halo", 1, True, False),
        ("gone", 1, False, False),
    ]
    assert merge_plan.total == 4 and merge_plan.runnable == 3
    assert [d.connection for d in merge_plan.emulated] == ["acme"]
    assert merge_plan.desk("acme").reason == "Kayako Classic has no merge in its API"

    assign_plan = plan(targets, adapters, "assign")
    assert [(d.connection, d.reason) for d in assign_plan.unsupported] == [
        ("halo", "tickets move between queues, not agents"),
        ("gone", "no connection with this name is configured"),
    ]
    with pytest.raises(ValueError, match="unknown bulk action 'explode'"):
        plan(targets, adapters, "explode")


async def test_stop_sends_nothing_more_and_the_rest_can_be_retried(data: Any) -> None:
    acme = data.FakeDesk("acme", data.FULL.model_copy(update={"max_concurrency": 1}))
    runner: BulkRunner

    def stop_after_first(done: int, total: int, result: ActionResult) -> None:
        if done == 1:
            runner.stop()

    runner = BulkRunner(keys("acme", 1, 2, 3), {"acme": acme}, "close", close)
    runner.on_progress = stop_after_first
    results = await runner.run()
    assert [(str(r.key), r.ok, r.message) for r in results] == [
        ("acme:1", True, ""),
        ("acme:2", False, "acme: not sent: the run was stopped"),
        ("acme:3", False, "acme: not sent: the run was stopped"),
    ]
    assert acme.calls == ["1"]
    assert runner.retryable == keys("acme", 2, 3)
    runner.on_progress = None
    assert all(result.ok for result in await runner.retry_failed())
    assert acme.calls == ["1", "2", "3"]


async def test_a_bug_in_one_ticket_does_not_stop_the_others(data: Any) -> None:
    acme = data.FakeDesk("acme", data.FULL)

    async def flaky(adapter: Adapter, native_id: str) -> object:
        if native_id == "2":
            raise KeyError("status_id")
        if native_id == "3":
            raise NotFound("acme", "gone\x1b]52;c;aGk=\x07 [bold]x[/bold]")
        return await close(adapter, native_id)

    runner = BulkRunner(keys("acme", 1, 2, 3), {"acme": acme}, "close", flaky)
    results = await runner.run()
    assert [(r.ok, r.message) for r in results] == [
        (True, ""),
        (False, "acme: internal error: KeyError: 'status_id'"),
        # Escape sequences from the desk are removed; markup-looking text stays text.
        (False, "acme: gone [bold]x[/bold]"),
    ]


async def test_duplicate_targets_run_once(data: Any) -> None:
    acme = data.FakeDesk("acme", data.FULL)
    runner = BulkRunner(keys("acme", 1, 1, 2), {"acme": acme}, "close", close)
    assert len(await runner.run()) == 2
    assert sorted(acme.calls) == ["1", "2"]


async def test_a_runner_cannot_run_twice_at_once(data: Any) -> None:
    acme = data.FakeDesk("acme", data.FULL)
    runner: BulkRunner
    errors: list[str] = []

    async def reenter(adapter: Adapter, native_id: str) -> object:
        try:
            await runner.run()
        except RuntimeError as exc:
            errors.append(str(exc))
        return None

    runner = BulkRunner(keys("acme", 1), {"acme": acme}, "close", reenter)
    await runner.run()
    assert errors == ["this bulk run is already running"]
    assert runner.running is False
