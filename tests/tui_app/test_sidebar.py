"""Each health state of a desk shows in the sidebar (glyph and word, not colour alone) and
as one notification, never as a traceback; healthy desks carry on meanwhile."""

from __future__ import annotations

from typing import Any

from adapters.model import HealthState


def sidebar_block(text: str, name: str) -> str:
    """The sidebar lines of one desk entry (from its name line to the next entry)."""
    lines = [line.split("│")[1] if line.count("│") >= 2 else "" for line in text.splitlines()]
    start = next(
        i
        for i, line in enumerate(lines)
        if not line.startswith("    ") and line.rstrip().endswith(f" {name}")
    )
    block = [lines[start]]
    for line in lines[start + 1 :]:
        if not line.startswith("    "):
            break
        block.append(line)
    return "\n".join(block)


async def test_every_health_state_in_the_sidebar(harness: Any) -> None:
    harness.add_desk("fine", harness.make_desk(tickets=5))
    harness.add_desk("locked", secret_key="not-the-secret")
    harness.add_unreachable_desk("dead")
    harness.add_rate_limited_desk("busy")
    gate = harness.add_gated_desk("slow")
    app = harness.build()
    async with app.run_test(size=(160, 48)) as pilot:
        store = app.store
        await harness.wait_for(
            pilot,
            lambda: all(
                store.desk(name).state is not HealthState.SYNCING
                for name in ("fine", "locked", "dead", "busy")
            ),
            "four desks settled",
        )
        await pilot.pause()
        text = harness.screen_text(app)
        assert store.desk("fine").state is HealthState.OK
        assert "✓ fine" in sidebar_block(text, "fine")
        open_count = app.store.desk("fine").open_count
        assert f"ok · {open_count} open · just now" in sidebar_block(text, "fine")

        assert store.desk("locked").state is HealthState.AUTH_FAILED
        locked = sidebar_block(text, "locked")
        assert "✗ locked" in locked and "auth failed" in locked and "never" in locked
        assert "FAILED TO AUTHENTICATE" in locked

        assert store.desk("dead").state is HealthState.UNREACHABLE
        dead = sidebar_block(text, "dead")
        assert "⊘ dead" in dead and "unreachable" in dead and "ConnectError" in dead

        assert store.desk("busy").state is HealthState.RATE_LIMITED
        busy = sidebar_block(text, "busy")
        assert "⧖ busy" in busy and "rate limited" in busy and "retry after 120s" in busy
        assert store.desk("busy").retry_after == 120
        assert "retry after 120s" in store.desk("busy").message

        assert store.desk("slow").state is HealthState.SYNCING
        assert "↻ slow" in sidebar_block(text, "slow")
        assert "syncing" in sidebar_block(text, "slow")

        # One notification per failing desk, naming it, with the reason.
        failures = [n for n in app._notifications if n.title == "Sync failed"]
        assert sorted(n.message.split(":")[0].split()[-1] for n in failures) == [
            "busy",
            "dead",
            "locked",
        ]
        assert all(n.severity == "error" for n in failures)
        # The healthy desk's tickets are there; the app is still running.
        assert harness.main(app).ticket_list.total_count == 5
        assert app.is_running

        gate.gate.set()
        await harness.wait_for(pilot, lambda: store.desk("slow").last_sync, "slow synced")
        await pilot.pause()
        assert "✓ slow" in sidebar_block(harness.screen_text(app), "slow")


async def test_an_auto_refresh_failing_again_is_not_announced_again(harness: Any) -> None:
    harness.add_unreachable_desk("dead", refresh_interval=0.05)
    app = harness.build()
    async with app.run_test(size=(160, 48)) as pilot:
        await harness.wait_for(
            pilot, lambda: app.store.desk("dead").state is HealthState.UNREACHABLE, "failure"
        )
        requests_before = app.store.adapter("dead").http.requests_sent
        await harness.wait_for(
            pilot,
            lambda: app.store.adapter("dead").http.requests_sent >= requests_before + 2,
            "two more automatic attempts",
        )
        assert len([n for n in app._notifications if n.title == "Sync failed"]) == 1
        # A refresh the agent asks for is always answered.
        await pilot.press("R")
        await harness.wait_for(
            pilot,
            lambda: len([n for n in app._notifications if n.title == "Sync failed"]) == 2,
            "the manual refresh's failure",
        )


async def test_auto_refresh_brings_desk_changes_in(harness: Any) -> None:
    desk = harness.add_desk("acme", refresh_interval=0.1)
    app = harness.build()
    async with app.run_test(size=(80, 24)) as pilot:
        await harness.synced(pilot, app)
        ticket = harness.main(app).ticket_list.cursor_ticket
        desk.tickets[int(ticket.key.native_id)].subject = "Changed on the desk"
        await harness.wait_for(
            pilot,
            lambda: "Changed on the desk" in harness.screen_text(app),
            "the automatic refresh",
        )


async def test_a_ticket_deleted_on_the_desk_leaves_the_list_on_refresh(harness: Any) -> None:
    desk = harness.add_desk("acme", harness.make_desk(tickets=6))
    harness.ui["view"] = "all"  # every ticket: resolved and closed ones too
    app = harness.build()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await harness.synced(pilot, app)
        gone = screen.ticket_list.tickets[2]
        desk.delete_ticket(desk.tickets[int(gone.key.native_id)])
        await pilot.press("R")
        await harness.wait_for(pilot, lambda: app.store.get(gone.key) is None, "removal")
        await pilot.pause()
        assert screen.ticket_list.get_ticket(gone.key) is None
        assert "5 of 5" in harness.screen_text(app)
        assert app.store.desk("acme").ticket_count == 5
