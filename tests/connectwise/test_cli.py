"""ConnectWise's desk actions from the command line, against one simulated site kept for
the whole test: ``triage action`` on tickets with ``--dry-run`` then for real, a
ticketless listing action, choices by label and their misses, and ``triage delete``."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from adapters.connectwise.sim_data import ConnectWiseDesk, generate_desk
from adapters.connectwise.simulator import PRIVATE_KEY, app_for_desk, connection_block
from tui.cli import main

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def desk() -> ConnectWiseDesk:
    return generate_desk(tickets=30, seed=4)


@pytest.fixture
def run(
    desk: ConnectWiseDesk,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Run:
    """``run(*argv, stdin=...)``: ``triage --config <cw> argv`` on one simulated site."""
    monkeypatch.setenv("CW_PRIVATE_KEY", PRIVATE_KEY)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    block = connection_block("https://api-na.myconnectwise.test")
    config = tmp_path / "config.toml"
    config.write_text(
        "[connections.cw]\n"
        f'vendor = "connectwise"\nurl = "{block["url"]}"\ncompany = "{block["company"]}"\n'
        f'public_key = "{block["public_key"]}"\nprivate_key = {{ env = "CW_PRIVATE_KEY" }}\n'
        f'client_id = "{block["client_id"]}"\nrate_limit = 1000\n',
        encoding="utf-8",
    )
    app = app_for_desk(desk, requests_per_minute=100_000)

    def run(*argv: str, stdin: str | None = None) -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin or ""))
        transports: dict[str, httpx.AsyncBaseTransport] = {"cw": httpx.ASGITransport(app=app)}
        code = main(["--config", str(config), *argv], transports=transports)
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        return code, captured.out, captured.err

    return run


def open_keys(run: Run, count: int) -> list[str]:
    code, out, err = run("tickets", "--json")
    assert code == 0, err
    found = [
        ":".join(item["key"])
        for item in json.loads(out)
        if item["status"] and item["status"]["category"] not in ("resolved", "closed")
    ]
    assert len(found) >= count
    return found[:count]


def test_add_note_dry_run_then_for_real(run: Run, desk: ConnectWiseDesk) -> None:
    keys = open_keys(run, 2)
    numbers = [int(key.split(":")[1]) for key in keys]
    before = {n: len(desk.notes(n)) for n in numbers}
    argv = ("action", *keys, "add-note", "--set", "Note=Checked the firewall logs")
    flags = ("--set", "discussion=no", "--set", "internal=yes")
    code, out, err = run(*argv, *flags, "--dry-run")
    assert code == 0, err
    shown = "Note: Checked the firewall logs; Discussion: no; Internal: yes; Resolution: no"
    assert all(f"{key}: would add-note: {shown}\n" in out for key in keys)
    assert "dry run: nothing was sent (2 tickets)" in out
    assert {n: len(desk.notes(n)) for n in numbers} == before
    code, out, err = run(*argv, *flags, "--json")
    assert code == 0, err
    outcome = {item["key"]: item for item in json.loads(out)}
    assert all(outcome[key]["ok"] and outcome[key]["message"].startswith("note ") for key in keys)
    for number in numbers:
        notes = desk.notes(number)
        assert len(notes) == before[number] + 1
        latest = notes[-1]
        assert latest["text"] == "Checked the firewall logs"
        assert (latest["internalAnalysisFlag"], latest["detailDescriptionFlag"]) == (True, False)


def test_update_fields_by_labels_and_a_miss(run: Run, desk: ConnectWiseDesk) -> None:
    (key,) = open_keys(run, 1)
    number = int(key.split(":")[1])
    code, _, err = run("action", key, "update-fields", "--set", "urgency=Severe")
    assert code == 2 and "Urgency has no choice 'Severe'" in err and "High" in err
    code, out, err = run(
        "action", key, "update-fields",
        "--set", "priority=Priority 1 - Emergency Response", "--set", "impact=high",
    )  # fmt: skip
    assert code == 0, err
    assert out.startswith(f"{key}: update-fields: ok: updated")
    ticket = desk.tickets[number]
    assert (ticket["priority"]["name"], ticket["impact"]) == (
        "Priority 1 - Emergency Response",
        "High",
    )


def test_ticketless_listing_and_create(run: Run, desk: ConnectWiseDesk) -> None:
    code, out, err = run(
        "action", "--connection", "cw", "board-teams", "--set", "board=Network Operations"
    )
    assert code == 0, err
    assert out.startswith("cw: board-teams: ok: 2 teams\n")
    assert "Field Engineers" in out and "NOC" in out
    code, _, err = run("action", "board-teams")
    assert code == 2 and "--connection" in err
    create = ("action", "--connection", "cw", "create-ticket", "--set", "summary=Printer jam")
    count = len(desk.tickets)
    code, out, err = run(*create, "--set", "company_id=19291", "--dry-run")
    assert code == 0, err
    assert "Printer jam" in out and "19291" in out
    assert len(desk.tickets) == count
    code, out, err = run(*create, "--set", "company_id=19291", "--json")
    assert code == 0, err
    (item,) = json.loads(out)
    assert item["ok"] and item["message"].startswith("created ticket ")
    assert len(desk.tickets) == count + 1


def test_delete_needs_yes_then_deletes(run: Run, desk: ConnectWiseDesk) -> None:
    (key,) = open_keys(run, 1)
    number = int(key.split(":")[1])
    code, _, err = run("delete", key)
    assert code == 2 and "add --yes" in err
    code, out, _ = run("delete", key, "--dry-run")
    assert code == 0 and out.startswith(f"{key}: would delete")
    assert number in desk.tickets
    code, out, err = run("delete", key, "--yes")
    assert code == 0, err
    assert number not in desk.tickets
    assert run("show", key)[0] == 1


def test_tickets_query_is_the_desks_summary_search(run: Run, desk: ConnectWiseDesk) -> None:
    (key,) = open_keys(run, 1)
    number = int(key.split(":")[1])
    word = max(desk.tickets[number]["summary"].split(), key=len)
    code, out, err = run("tickets", "--query", word, "--json")
    assert code == 0, err
    found = [":".join(item["key"]) for item in json.loads(out)]
    assert key in found
    assert all(word.casefold() in item["subject"].casefold() for item in json.loads(out))
