"""A vendor in the test tree that declares one extra action (``escalate``) gets it in the
palette, the form, the bulk runner and the CLI, with no change to ``tui/``."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.command import CommandPalette
from textual.widgets import Select, TextArea

from adapters import registry
from tests.actions.extradesk import VENDOR
from tests.contract.fakedesk.simulator import connection_block, create_app
from tui.app import TriageApp
from tui.cli import main
from tui.config import AppConfig, UiSettings, connection_settings
from tui.outbox import Outbox
from tui.screens.forms.action import ActionFormScreen
from tui.screens.forms.bulk_progress import BulkProgressScreen
from tui.screens.forms.confirm_bulk import ConfirmBulkScreen
from tui.screens.main import MainScreen


@pytest.fixture
def vendor() -> Iterator[str]:
    with registry.registered(VENDOR):
        yield VENDOR.name


def block() -> dict[str, Any]:
    return {**connection_block("http://extra.sim"), "vendor": VENDOR.name, "rate_limit": 1000.0}


async def wait(pilot: Any, condition: Any, what: str) -> None:
    for _ in range(1500):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError(f"never happened: {what}")


async def test_the_extra_action_in_palette_form_and_bulk_runner(
    vendor: str, tmp_path: Path
) -> None:
    from adapters.registry import adapter_class

    sim = create_app(tickets=6, seed=2)
    settings = connection_settings("extra", block(), plain_secrets_ok=True)
    adapter = adapter_class(vendor)(settings, transport=httpx.ASGITransport(app=sim))
    config = AppConfig(path=None, connections=[settings], ui=UiSettings())
    app = TriageApp(
        config,
        [adapter],
        outbox=Outbox(tmp_path / "outbox.json"),
        clock=lambda: datetime(2025, 2, 1, tzinfo=UTC),
        tz=UTC,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen_stack[0]
        assert isinstance(screen, MainScreen)
        await wait(pilot, lambda: len(app.store.all_tickets()) == 6, "the listing")
        await pilot.press("space", "space")
        marked = sorted(screen.ticket_list.marked_keys)
        await pilot.press("A")
        await wait(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        await pilot.press(*"escalate")
        await pilot.pause(0.2)
        await pilot.press("enter")
        await wait(pilot, lambda: isinstance(app.screen, ActionFormScreen), "the form")
        form = app.screen
        assert isinstance(form, ActionFormScreen)
        form.query_one("#f-act-level", Select).value = "l3"
        form.query_one("#f-act-reason", TextArea).text = "Crashes on save"
        await pilot.press("ctrl+s")
        await wait(pilot, lambda: isinstance(app.screen, ConfirmBulkScreen), "the confirmation")
        await pilot.press("y")
        await wait(pilot, lambda: isinstance(app.screen, BulkProgressScreen), "the progress")
        progress = app.screen
        assert isinstance(progress, BulkProgressScreen)
        await wait(pilot, lambda: not progress.running, "the run")
        results = progress.runner.results
        assert sorted(r.key for r in results) == marked
        assert all(r.ok and r.message == "escalated to Engineering" for r in results)
    for key in marked:
        async with adapter_class(vendor)(
            settings, transport=httpx.ASGITransport(app=sim)
        ) as reader:
            detail = await reader.get_ticket(key.native_id)
        assert any(p.body == "Escalated to Engineering: Crashes on save" for p in detail.posts)


def test_the_extra_action_on_the_command_line(
    vendor: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sim = create_app(tickets=6, seed=2)
    config = tmp_path / "config.toml"
    lines = ["[connections.extra]"]
    lines += [f"{name} = {json.dumps(value)}" for name, value in block().items()]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    config.chmod(0o600)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))

    def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        transports = {"extra": httpx.ASGITransport(app=sim)}
        code = main(["--config", str(config), *argv], transports=transports)
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        return code, captured.out, captured.err

    code, out, err = run("action", "--list")
    assert code == 0, err
    assert "extra  escalate  (tickets)" in out
    code, out, err = run("tickets", "--json")
    assert code == 0, err
    keys = [":".join(item["key"]) for item in json.loads(out)][:2]
    code, _, err = run("action", *keys, "escalate", "--set", "level=Third line")
    assert code == 2
    assert "Support line has no choice 'Third line'" in err
    assert "Second line (l2), Engineering (l3)" in err
    code, out, _ = run(
        "action", "-", "Escalate", "--set", "Support line=second line",
        "--set", "reason=Needs a specialist", "--dry-run", stdin="\n".join(keys),
    )  # fmt: skip
    assert code == 0
    assert out.splitlines()[0] == (
        f"{keys[0]}: would escalate: Support line: Second line; Reason: Needs a specialist"
    )
    code, out, err = run(
        "action", *keys, "escalate", "--set", "level=l2", "--set", "reason=Needs a specialist",
        "--json",
    )  # fmt: skip
    assert code == 0, err
    assert [item["message"] for item in json.loads(out)] == ["escalated to Second line"] * 2
    code, out, err = run("show", keys[0], "--json")
    assert code == 0, err
    bodies = [post["body"] for post in json.loads(out)["posts"]]
    assert "Escalated to Second line: Needs a specialist" in bodies
