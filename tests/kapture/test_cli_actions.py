"""Kapture's desk actions from the command line, on one simulated tenant kept for the
test: ``triage action`` dry run then for real, by labels, the known dispositions, the
common verbs that are Kapture's Update (close, reopen, queue, note), and the ones Kapture
cannot do refused with the reason."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.kapture import simulator
from adapters.kapture.sim_data import generate_desk
from adapters.kapture.simulator import KaptureServer, app_for_desk
from tui.cli import main

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def server() -> tuple[Any, KaptureServer]:
    return app_for_desk(generate_desk(tickets=60, seed=5))


@pytest.fixture
def run(
    server: tuple[Any, KaptureServer],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Run:
    """``run(*argv)``: ``triage --config <kap> argv`` on the simulated tenant."""
    monkeypatch.setenv("KAPTURE_KEY", simulator.API_KEY)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    block = simulator.connection_block("https://acme.kapturecrm.com")
    statuses = ", ".join(f'{k} = "{v}"' for k, v in block["statuses"].items())
    queues = ", ".join(f'{k} = "{v}"' for k, v in block["queues"].items())
    dispositions = ", ".join(json.dumps(d) for d in block["dispositions"])
    config = tmp_path / "config.toml"
    config.write_text(
        "[connections.kap]\n"
        'vendor = "kapture"\n'
        'url = "https://acme.kapturecrm.com"\n'
        'api_key = { env = "KAPTURE_KEY" }\n'
        f"days = {block['days']}\n"
        f'timezone = "{block["timezone"]}"\n'
        "rate_limit = 1000\n"
        f"statuses = {{ {statuses} }}\n"
        f"queues = {{ {queues} }}\n"
        f"dispositions = [{dispositions}]\n",
        encoding="utf-8",
    )
    app, _ = server

    def run(*argv: str) -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(""))
        transports: dict[str, httpx.AsyncBaseTransport] = {"kap": httpx.ASGITransport(app=app)}
        code = main(["--config", str(config), *argv], transports=transports)
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        return code, captured.out, captured.err

    return run


def open_key(run: Run) -> str:
    code, out, err = run("tickets", "--json")
    assert code == 0, err
    for item in json.loads(out):
        if item["status"] and item["status"]["category"] not in ("resolved", "closed"):
            return ":".join(item["key"])
    raise AssertionError("no open ticket")


def shown(run: Run, key: str) -> dict[str, Any]:
    code, out, err = run("show", key, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert isinstance(data, dict)
    return data


def updates(server: tuple[Any, KaptureServer]) -> list[dict[str, Any]]:
    return [body[0] for operation, body in server[1].requests if operation == "update"]


def test_update_ticket_action_dry_run_then_for_real(
    run: Run, server: tuple[Any, KaptureServer]
) -> None:
    key = open_key(run)
    ref = key.split(":", 1)[1]
    argv = (
        "action", key, "Update ticket (Kapture)", "--set", "Sub-status=awaiting customer",
        "--set", "queue=Billing", "--set", "comment=Invoice re-sent",
        "--set", "callback=2026-12-01 10:00",
    )  # fmt: skip
    code, out, err = run(*argv, "--dry-run")
    assert code == 0, err
    assert "dry run: nothing was sent" in out
    assert not updates(server)
    code, out, err = run(*argv, "--json")
    assert code == 0, err
    (result,) = json.loads(out)
    assert result["ok"] and result["message"].startswith("updated sub-status Awaiting Customer")
    assert updates(server)[-1] == {
        "ticket_id": ref,
        "sub_status": "AC",
        "queue": "BILL",
        "comment": "Invoice re-sent",
        "callback_time": "2026-12-01 10:00:00",
    }
    detail = shown(run, key)
    assert detail["ticket"]["status"]["label"] == "Awaiting Customer"
    assert detail["ticket"]["group"]["label"] == "Billing"


def test_callback_disposition_and_the_list_of_dispositions(
    run: Run, server: tuple[Any, KaptureServer]
) -> None:
    key = open_key(run)
    code, out, err = run("action", key, "callback", "--set", "day=2026-12-24", "--set", "at=16:45")
    assert code == 0, err
    assert "updated callback 2026-12-24 16:45" in out
    code, out, err = run("action", "--connection", "kap", "dispositions")
    assert code == 0, err
    assert out.startswith("kap: dispositions: ok: ")
    path, label = out.splitlines()[1].strip().split("  ", 1)
    code, out, err = run("action", key, "disposition", "--set", f"Disposition={label}")
    assert code == 0, err
    assert updates(server)[-1]["disposition"] == path
    fields = {f["key"]: f["value"] for f in shown(run, key)["custom_fields"]}
    assert fields["disposition"] == label
    assert fields["callback_time"] == "2026-12-24 16:45"
    code, _, err = run("action", key, "disposition", "--set", "Disposition=Nothing|Like|It")
    assert code == 2 and "Disposition has no choice" in err


def test_close_reopen_queue_and_note_through_the_common_verbs(run: Run) -> None:
    key = open_key(run)
    code, _, err = run("close", key, "--note", "Sorted")
    assert code == 0, err
    assert shown(run, key)["ticket"]["status"]["id"] == "CL"
    code, _, err = run("update", key, "--status", "Pending")
    assert code == 0, err
    assert shown(run, key)["ticket"]["status"]["id"] == "P"
    code, _, err = run("assign", key, "--group", "Billing")
    assert code == 0, err
    code, _, err = run("note", key, "--body", "Checked the ledger")
    assert code == 0, err
    detail = shown(run, key)
    assert detail["ticket"]["group"]["label"] == "Billing"
    assert any(post["body"] == "Checked the ledger" for post in detail["posts"])


def test_what_kapture_cannot_do_is_refused_with_the_reason(run: Run) -> None:
    key = open_key(run)
    code, _, err = run("delete", key, "--yes")
    assert code != 0 and "cannot delete a ticket" in err
    code, _, err = run("action", key, "log-time", "--set", "worked=1h", "--set", "note=x")
    assert code == 2 and "log-time" in err
    code, _, err = run("reply", key, "--body", "Hello")
    assert code != 0 and "no public/private choice" in err
