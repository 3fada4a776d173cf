"""The ``triage`` commands, run in-process against the demo and against a config file whose
connection is served by the Kayako simulator through an in-process transport."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import types
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters import registry
from adapters.model import Ticket, TicketDetail
from tui.cli import main
from tui.cli.output import CSV_COLUMNS, TABLE_COLUMNS, cell_width, fit_columns, pad

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    def run(*argv: str, transports: dict[str, httpx.AsyncBaseTransport] | None = None) -> Any:
        code = main(list(argv), transports=transports)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture(scope="module")
def kayako_app() -> Any:
    """One seeded Kayako simulator for the module: the commands only read from it."""
    from adapters.kayako import simulator

    return simulator.create_app(tickets=40)


Acme = tuple[Path, Callable[[], dict[str, httpx.AsyncBaseTransport]]]


@pytest.fixture
def acme(
    write_config: Callable[[str], Path],
    secret_command: Callable[..., str],
    monkeypatch: pytest.MonkeyPatch,
    kayako_app: Any,
) -> Acme:
    """A config file in the documented shape for the Kayako simulator (key from the
    environment, secret from a command), and the transports that serve it in-process."""
    from adapters.kayako import simulator

    monkeypatch.setenv("ACME_KAYAKO_KEY", simulator.API_KEY)
    path = write_config(
        f"""
        [connections.acme]
        vendor = "kayako"
        url = "http://acme.test/api/index.php"
        api_key = {{ env = "ACME_KAYAKO_KEY" }}
        secret_key = {{ command = "{secret_command(simulator.SECRET_KEY)}" }}
        staff_id = {simulator.DEMO_STAFF_ID}
        rate_limit = 100
        """
    )

    def transports() -> dict[str, httpx.AsyncBaseTransport]:
        return {"acme": httpx.ASGITransport(app=kayako_app)}

    return path, transports


_DEMO_DESKS = ", ".join(repr(name) for name in registry.vendor_names())
"""The demo's connections (one per registered vendor) as errors list them."""


def _tickets_json(out: str) -> list[dict[str, Any]]:
    data = json.loads(out)
    assert isinstance(data, list)
    return data


# --------------------------------------------------------------------------------------
# tickets
# --------------------------------------------------------------------------------------


def test_tickets_json_from_demo(run: Run) -> None:
    code, out, err = run("--demo", "tickets", "--json")
    assert code == 0, err
    assert err == ""
    tickets = _tickets_json(out)
    assert len(tickets) >= 400
    parsed = [Ticket.model_validate(item) for item in tickets]
    # Every registered vendor's demo desk is listed.
    assert {item["key"][0] for item in tickets} == set(registry.vendor_names())
    assert all("raw" not in item for item in tickets)
    assert len({ticket.key for ticket in parsed}) == len(parsed)
    updated = [ticket.updated for ticket in parsed]
    assert updated == sorted(updated, reverse=True)


def test_tickets_csv_matches_json(run: Run) -> None:
    _, out_json, _ = run("--demo", "tickets", "--json")
    code, out_csv, err = run("--demo", "tickets", "--csv")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out_csv)))
    assert tuple(rows[0]) == CSV_COLUMNS
    tickets = _tickets_json(out_json)
    assert len(rows) - 1 == len(tickets)
    first = dict(zip(CSV_COLUMNS, rows[1], strict=True))
    assert first["key"] == ":".join(tickets[0]["key"])
    assert first["display_id"] == tickets[0]["display_id"]
    assert datetime.fromisoformat(first["updated"]) == datetime.fromisoformat(tickets[0]["updated"])
    for row in rows[1:]:
        assert not row[2].startswith(("=", "+", "-", "@"))  # formulas are neutralised


def test_tickets_limit_and_connection(run: Run) -> None:
    _, full, _ = run("--demo", "tickets", "--json")
    code, limited, err = run(
        "--demo", "tickets", "--connection", "kayako", "--limit", "5", "--json"
    )
    assert code == 0, err
    kayako = [item for item in _tickets_json(full) if item["key"][0] == "kayako"]
    assert _tickets_json(limited) == kayako[:5]


def test_tickets_unknown_connection(run: Run) -> None:
    code, out, err = run("--demo", "tickets", "--connection", "nope")
    assert code == 2
    assert out == ""
    assert err == f"triage: no connection named 'nope' (configured: {_DEMO_DESKS})\n"


@pytest.mark.parametrize("columns", [60, 100, 200])
def test_tickets_table_fits_the_terminal(
    run: Run, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, err = run("--demo", "tickets", "--limit", "20")
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 21
    assert all(cell_width(line) <= columns for line in lines)
    headings = lines[0].split()
    assert headings[:2] == ["KEY", "SUBJECT"]
    assert set(headings) <= set(TABLE_COLUMNS)
    if columns >= 200:
        assert headings == list(TABLE_COLUMNS)
    if columns >= 100:  # the subject keeps its room; group and assignee make way first
        assert headings[:3] == ["KEY", "SUBJECT", "STATUS"] and headings[-1] == "UPDATED"
    _, out_json, _ = run("--demo", "tickets", "--limit", "20", "--json")
    # Tickets are named as the app names them: connection:display-id.
    names = [f"{item['key'][0]}:{item['display_id']}" for item in _tickets_json(out_json)]
    assert [line.split()[0] for line in lines[1:]] == names


def test_tickets_table_gives_the_subject_room_at_160(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    _, out_json, _ = run("--demo", "tickets", "--limit", "40", "--json")
    tickets = [Ticket.model_validate(item) for item in _tickets_json(out_json)]
    code, out, err = run("--demo", "tickets", "--limit", "40")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == list(TABLE_COLUMNS)
    for ticket, line in zip(tickets, lines[1:], strict=True):
        assert ticket.status is not None
        assert ticket.status.label in line  # never cut at 160 columns
        # Short times: "Nov 27 14:39" this year, not "2026-11-27 14:39".
        assert line.rstrip().endswith(ticket.updated.astimezone().strftime("%b %d %H:%M"))
    assert all(not line.endswith("…") for line in lines)
    # The names the table shows are what `triage show` takes.
    name = lines[1].split()[0]
    code, shown, err = run("--demo", "show", name)
    assert code == 0, err
    assert shown.startswith(name)


def test_tickets_from_a_config_file(run: Run, acme: Acme) -> None:
    path, transports = acme
    code, out, err = run("--config", str(path), "tickets", "--json", transports=transports())
    assert code == 0, err
    assert err == ""  # references: no plain-text warning
    tickets = _tickets_json(out)
    assert len(tickets) == 40
    assert {item["key"][0] for item in tickets} == {"acme"}


def test_desk_error_is_one_line_naming_the_connection(
    run: Run,
    acme: Acme,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path, transports = acme
    monkeypatch.setenv("ACME_KAYAKO_KEY", "not-the-simulator-key")
    code, out, err = run("--config", str(path), "tickets", "--json", transports=transports())
    assert code == 1
    assert json.loads(out) == []
    assert err.count("\n") == 1
    assert err.startswith("triage: acme: ")
    assert "not-the-simulator-key" not in err
    assert "Traceback" not in err


def test_verbose_logs_never_show_secrets(run: Run, acme: Acme) -> None:
    from adapters.kayako import simulator

    path, transports = acme
    code, out, err = run(
        "-vv", "--config", str(path), "tickets", "--limit", "1", transports=transports()
    )
    assert code == 0, err
    assert "acme: 40 tickets at offset 0" in err
    assert simulator.API_KEY not in err
    assert simulator.SECRET_KEY not in err
    assert simulator.API_KEY not in out


def test_verbose_logs_go_to_a_file_while_the_app_runs(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Log lines on stderr would be drawn over the app's screen."""
    import logging

    import tui.app
    from adapters.kayako import simulator

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))

    def fake_run_app(config: Any, adapters: Any, **options: Any) -> int:
        logging.getLogger("triage.test").warning("while running: key %s", simulator.API_KEY)
        return 0

    monkeypatch.setattr(tui.app, "run_app", fake_run_app)
    code, _out, err = run("-v", "--demo")
    assert code == 0, err
    assert "while running" not in err
    (log_file,) = tmp_path.rglob("triage.log")
    assert f"logging to {log_file}" in err
    logged = log_file.read_text()
    assert "while running: key ***" in logged
    assert simulator.API_KEY not in logged


# --------------------------------------------------------------------------------------
# show
# --------------------------------------------------------------------------------------


def _first_key(run: Run) -> str:
    _, out, _ = run("--demo", "tickets", "--limit", "1", "--json")
    return ":".join(_tickets_json(out)[0]["key"])


def test_show_plain(run: Run) -> None:
    key = _first_key(run)
    code, out, err = run("--demo", "show", key)
    assert code == 0, err
    _, detail_json, _ = run("--demo", "show", key, "--json")
    detail = TicketDetail.model_validate_json(detail_json)
    lines = out.splitlines()
    name = f"{detail.ticket.key.connection}:{detail.ticket.display_id}"
    assert lines[0] == f"{name}  (id {detail.ticket.key.native_id})"
    assert lines[1] == detail.ticket.subject
    assert (
        f"Conversation ({sum(p.kind.value in ('reply', 'resolution') for p in detail.posts)})"
        in out
    )
    assert f"Custom fields ({len(detail.custom_fields)})" in out
    for post in detail.posts:
        marker = "public" if post.visibility.value == "public" else "PRIVATE"
        assert f"[{marker} {post.kind.value.replace('_', ' ')}]" in out
    for custom in detail.custom_fields:
        assert f" {custom.group}" in lines
        assert any(line.startswith(f"   {custom.label}:") for line in lines)


def test_show_json_has_posts_fields_and_raw(run: Run) -> None:
    key = _first_key(run)
    code, out, err = run("--demo", "show", key, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert ":".join(data["ticket"]["key"]) == key
    assert data["raw"]
    assert "posts" in data and "custom_fields" in data


def test_show_finds_posts_notes_and_custom_fields_somewhere(run: Run, acme: Acme) -> None:
    path, transports = acme
    _, out, _ = run(
        "--config", str(path), "tickets", "--limit", "15", "--json", transports=transports()
    )
    kinds: set[str] = set()
    visibilities: set[str] = set()
    fields = 0
    for item in _tickets_json(out):
        key = ":".join(item["key"])
        code, detail, err = run(
            "--config", str(path), "show", key, "--json", transports=transports()
        )
        assert code == 0, err
        parsed = TicketDetail.model_validate_json(detail)
        kinds |= {post.kind.value for post in parsed.posts}
        visibilities |= {post.visibility.value for post in parsed.posts}
        fields += len(parsed.custom_fields)
        code, plain, err = run("--config", str(path), "show", key, transports=transports())
        assert code == 0, err
        assert plain.startswith(f"{key.partition(':')[0]}:{parsed.ticket.display_id}  (id ")
    assert {"reply", "note"} <= kinds
    assert visibilities == {"public", "private"}
    assert fields > 0


def test_show_bad_key(run: Run, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--demo", "show", "no-colon"])
    assert caught.value.code == 2
    assert "is not of the form connection:id" in capsys.readouterr().err


def test_show_unknown_connection_and_ticket(run: Run) -> None:
    code, _, err = run("--demo", "show", "other:1")
    assert code == 2
    assert err == f"triage: no connection named 'other' (configured: {_DEMO_DESKS})\n"
    code, out, err = run("--demo", "show", "kayako:99999999")
    assert code == 1
    assert out == ""
    assert err.startswith("triage: kayako: ") and err.count("\n") == 1


# --------------------------------------------------------------------------------------
# check
# --------------------------------------------------------------------------------------


def test_check_demo(run: Run) -> None:
    code, out, err = run("--demo", "check")
    assert code == 0, err
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == registry.vendor_names()
    assert all(line.split()[1] == "ok" for line in lines), out


def test_check_failure_exits_1(
    run: Run,
    acme: Acme,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path, transports = acme
    monkeypatch.setenv("ACME_KAYAKO_KEY", "wrong-key")
    code, out, err = run("--config", str(path), "check", transports=transports())
    assert code == 1, err
    [line] = out.splitlines()
    assert line.split()[:2] == ["acme", "auth_failed"]
    assert "wrong-key" not in out


# --------------------------------------------------------------------------------------
# the app, help, missing config, interrupts, simulate errors
# --------------------------------------------------------------------------------------


def test_help_is_usage_and_example(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: triage")
    assert "[connections.acme]" in out and "triage --demo" in out


def test_no_config_explains_how_to_write_one(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    code, out, err = run()
    assert code == 2
    assert out == ""
    assert f"no configuration file at {tmp_path / 'triage' / 'config.toml'}" in err
    assert "[connections.acme]" in err and 'api_key = { env = "KAYAKO_KEY" }' in err
    assert "triage --demo" in err
    # Every command says the same as the app does: where to write one, and the demo.
    for command in ("tickets", "check"):
        code, out, command_err = run(command)
        assert code == 2 and out == ""
        assert command_err == err


def test_no_command_runs_the_app(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Any, Any]] = []
    options: list[dict[str, Any]] = []

    def run_app(config: Any, adapters: Any, **given: Any) -> int:
        calls.append((config, adapters))
        options.append(given)
        return 7

    fake_app = types.ModuleType("tui.app")
    fake_app.run_app = run_app  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tui.app", fake_app)
    code, _, err = run("--demo")
    assert code == 7, err
    [(config, adapters)] = calls
    assert [c.name for c in config.connections] == registry.vendor_names()
    assert [a.name for a in adapters] == registry.vendor_names()
    assert all(adapter.transport is not None for adapter in adapters)
    assert options == [{"use_cache": False}]  # the demo's desks are new at every start


def test_keyboard_interrupt_exits_130_quietly(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    import tui.demo

    def interrupted(**options: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(tui.demo, "demo_config", interrupted)
    assert run("--demo", "tickets") == (130, "", "")


def test_simulate_unknown_vendor(run: Run) -> None:
    code, out, err = run("simulate", "--vendor", "zendesk")
    assert code == 2
    assert out == ""
    known = ", ".join(registry.vendor_names())
    assert err.startswith(f"triage: unknown vendor 'zendesk' (known: {known})")


def test_argument_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["tickets", "--limit", "0"], ["--demo", "--config", "x", "check"], ["nope"]):
        with pytest.raises(SystemExit) as caught:
            main(argv)
        assert caught.value.code == 2
        assert "usage: triage" in capsys.readouterr().err


# --------------------------------------------------------------------------------------
# table layout helpers
# --------------------------------------------------------------------------------------


def test_pad_and_width_count_terminal_cells() -> None:
    assert cell_width("abc") == 3
    assert cell_width("日本") == 4
    assert cell_width("e\u0301") == 1
    assert pad("abc", 5) == "abc  "
    assert pad("abcdef", 4) == "abc…"
    assert pad("日本語", 4) == "日… "
    assert cell_width(pad("日本語テキスト", 7)) == 7


def test_fit_columns_gives_the_subject_room_first() -> None:
    row = [
        "kayako:1234",
        "s" * 80,
        "In Progress",
        "High",
        "Firstname Lastname",
        "General",
        "2024-01-01 10:00",
    ]
    natural = fit_columns([row], 500)
    assert natural == [11, 80, 11, 8, 18, 7, 16]
    # Wide enough for everything but the full subject: only the subject is cut.
    assert fit_columns([row], 150) == [11, 67, 11, 8, 18, 7, 16]
    # Narrower: the subject keeps two fifths of the width, the widest others give way
    # (the status last).
    assert fit_columns([row], 120) == [11, 48, 11, 8, 8, 6, 16]
    # Narrower still: rather than squeeze the subject under its two fifths, columns are
    # left out, group first, then assignee and priority; the key and the time stay whole.
    assert fit_columns([row], 100) == [11, 40, 7, 8, 8, 0, 16]
    assert fit_columns([row], 70) == [11, 28, 9, 0, 0, 0, 16]
    # The time goes only when the row would not fit at all.
    assert fit_columns([row], 50) == [11, 19, 0, 0, 0, 0, 16]
    assert fit_columns([row], 20) == [11, 7, 0, 0, 0, 0, 0]
    # A short subject needs no more than itself: nothing is left out for it.
    short = [row[0], "Short", *row[2:]]
    assert fit_columns([short], 100) == [11, 7, 11, 8, 18, 7, 16]


# --------------------------------------------------------------------------------------
# cold start: what each command imports
# --------------------------------------------------------------------------------------

_IMPORTED = """\
import contextlib, io, sys
from tui.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main(sys.argv[1:])
    except SystemExit:
        pass
print(" ".join(sorted({name.split(".")[0] for name in sys.modules})))
"""


def _top_level_imports(*argv: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", _IMPORTED, *argv], capture_output=True, text=True, check=True
    )
    return set(done.stdout.split())


def test_help_imports_nothing_heavy() -> None:
    imported = _top_level_imports("--help")
    assert "tui" in imported
    assert not imported & {"textual", "rich", "httpx", "pydantic", "xmltodict", "adapters"}


def test_commands_do_not_import_textual() -> None:
    imported = _top_level_imports("--demo", "tickets", "--limit", "1")
    assert {"httpx", "pydantic", "adapters"} <= imported
    assert "textual" not in imported


# --------------------------------------------------------------------------------------
# a reader that goes away
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("output", [[], ["--json"], ["--csv"]])
def test_closed_pipe_ends_quietly_with_status_0(output: list[str]) -> None:
    """`triage tickets | head -1`: head has what it wanted and closes the pipe; triage
    ends at once, with no traceback and status 0."""
    triage = Path(sys.executable).with_name("triage")
    command = " ".join([str(triage), "--demo", "tickets", *output])
    done = subprocess.run(
        ["bash", "-c", f'{command} 2>err.txt | head -n 1 >/dev/null; echo "${{PIPESTATUS[0]}}"'],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        cwd=Path(sys.executable).parent,
        env={**os.environ, "COLUMNS": "120"},
    )
    err = (Path(sys.executable).parent / "err.txt").read_text()
    (Path(sys.executable).parent / "err.txt").unlink()
    assert done.stdout.strip() == "0", err
    assert err == ""


def test_a_wrong_url_that_answers_404_says_to_check_url(
    run: Run, acme: Acme, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _ = acme

    def not_found(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, text="<html>Not Found</html>")

    transports = {"acme": httpx.MockTransport(not_found)}
    code, out, err = run("--config", str(path), "check", transports=transports)
    assert code == 1
    assert "404" in out and "check the connection's url" in out
    code, out, err = run("--config", str(path), "tickets", transports=transports)
    assert code == 1
    assert err.startswith("triage: acme: ") and err.count("\n") == 1
    assert "404" in err and "check the connection's url" in err
