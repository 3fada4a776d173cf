"""HaloPSA's seed commands from the command line, against one simulated instance kept for
the whole test: ``triage action`` with ``--dry-run`` and for real, a destructive action
behind ``--yes``, ``triage delete``, ``triage tickets --query`` and the listing actions,
in the issue's config shape (secret from the environment)."""

from __future__ import annotations

import io
import json
import textwrap
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from adapters.halopsa.sim_data import generate_desk
from adapters.halopsa.sim_data.config import ST_IN_PROGRESS
from adapters.halopsa.simulator import (
    CLIENT_ID,
    CLIENT_SECRET,
    TENANT,
    HaloServer,
    app_for_desk,
)
from tui.cli import main

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def setup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[Run, HaloServer]:
    monkeypatch.setenv("HALO_SECRET", CLIENT_SECRET)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    config = tmp_path / "config.toml"
    config.write_text(
        textwrap.dedent(
            f"""
            [connections.halo]
            vendor = "halopsa"
            url = "http://acme.halo.test"
            client_id = "{CLIENT_ID}"
            client_secret = {{ env = "HALO_SECRET" }}
            tenant = "{TENANT}"
            rate_limit = 1000
            """
        ),
        encoding="utf-8",
    )
    app, server = app_for_desk(generate_desk(tickets=40, seed=3))

    def run(*argv: str, stdin: str | None = None) -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin or ""))
        transports: dict[str, httpx.AsyncBaseTransport] = {"halo": httpx.ASGITransport(app=app)}
        code = main(["--config", str(config), *argv], transports=transports)
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        return code, captured.out, captured.err

    return run, server


def open_keys(run: Run, count: int) -> list[str]:
    code, out, err = run("tickets", "--json")
    assert code == 0, err
    keys = [
        ":".join(item["key"])
        for item in json.loads(out)
        if item["status"] and item["status"]["category"] not in ("resolved", "closed")
    ]
    assert len(keys) >= count
    return keys[:count]


def test_take_action_dry_run_then_for_real_on_two_tickets(setup: tuple[Run, HaloServer]) -> None:
    run, server = setup
    desk = server.desk
    keys = open_keys(run, 2)
    code, out, err = run(
        "action", "-", "take-action", "--set", "outcome=Triage", "--set", "note=looked at",
        "--dry-run", stdin="\n".join(keys),
    )  # fmt: skip
    assert code == 0, err
    assert out.count("would") == 2
    assert all(desk.ticket_actions(desk.tickets[int(k.split(":")[1])])[-1].note != "looked at"
               for k in keys)  # fmt: skip
    code, out, err = run(
        "action", "-", "Take an action (outcome)", "--set", "Outcome=Triage",
        "--set", "note=looked at", "--json", stdin="\n".join(keys),
    )  # fmt: skip
    assert code == 0, err
    results = {item["key"]: item for item in json.loads(out)}
    assert all(item["ok"] and ": Triage" in item["message"] for item in results.values())
    for key in keys:
        ticket = desk.tickets[int(key.split(":")[1])]
        assert ticket.status_id == ST_IN_PROGRESS
        assert desk.ticket_actions(ticket)[-1].note == "looked at"


def test_destructive_action_and_delete_need_yes(setup: tuple[Run, HaloServer]) -> None:
    run, server = setup
    desk = server.desk
    first, second = open_keys(run, 2)
    code, _, err = run("action", first, "delete-with-reason", "--set", "reason=Duplicate")
    assert code == 2 and "add --yes" in err
    code, out, err = run(
        "action", first, "delete-with-reason", "--set", "reason=Duplicate", "--yes"
    )
    assert code == 0, err
    assert "deleted (Duplicate)" in out
    assert desk.tickets[int(first.split(":")[1])].deleted_reason == "Duplicate"
    code, _, err = run("delete", second)
    assert code == 2 and "add --yes" in err
    assert run("delete", second, "--yes")[0] == 0
    assert desk.tickets[int(second.split(":")[1])].deleted
    assert run("show", second)[0] == 1


def test_listing_actions_search_and_bad_values(setup: tuple[Run, HaloServer]) -> None:
    run, server = setup
    code, out, err = run("action", "--connection", "halo", "outcomes")
    assert code == 0, err
    assert " Triage" in out and "Rule Applied" not in out
    code, out, err = run("action", "--connection", "halo", "teams", "--set", "domain=Tickets")
    assert code == 0, err
    assert "Security Operations" in out
    code, _, err = run("action", "--connection", "halo", "teams", "--set", "domain=Moon")
    assert code == 2 and "has no choice 'Moon'" in err
    (key,) = open_keys(run, 1)
    code, _, err = run("action", key, "take-action", "--set", "outcome=Dance")
    assert code == 2 and "has no choice 'Dance'" in err and "Triage" in err
    code, out, err = run("action", key, "take-action", "--set", "outcome=triage")
    assert code == 0 and "Triage" in out, err
    desk = server.desk
    word = max(desk.live()[3].summary.split(), key=len)
    code, out, err = run("tickets", "--query", word, "--json")
    assert code == 0, err
    assert str(desk.live()[3].id) in {item["key"][1] for item in json.loads(out)}
