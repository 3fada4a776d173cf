"""The writing commands against a Kayako simulator kept for the whole test: every verb
with --dry-run, --json, keys from stdin, label resolution and its error, partial failure
exit codes, the outbox, and no traceback on any bad input."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.kayako import simulator
from tui.cli import main
from tui.outbox import Outbox, default_outbox_path

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def desk(
    write_config: Callable[[str], Path],
    secret_command: Callable[..., str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> Path:
    """A config for one simulated Kayako desk (``acme``); the outbox in ``tmp_path``."""
    monkeypatch.setenv("ACME_KAYAKO_KEY", simulator.API_KEY)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return write_config(
        f"""
        [connections.acme]
        vendor = "kayako"
        url = "https://acme.test/api/index.php"
        api_key = {{ env = "ACME_KAYAKO_KEY" }}
        secret_key = {{ command = "{secret_command(simulator.SECRET_KEY)}" }}
        staff_id = {simulator.DEMO_STAFF_ID}
        rate_limit = 1000
        """
    )


@pytest.fixture
def run(desk: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    """``run(*argv, stdin=...)``: ``triage --config <desk> argv`` on one simulator."""
    app = simulator.create_app(tickets=40, seed=3)

    def run(*argv: str, stdin: str | None = None) -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin or ""))
        transports: dict[str, httpx.AsyncBaseTransport] = {"acme": httpx.ASGITransport(app=app)}
        code = main(["--config", str(desk), *argv], transports=transports)
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        return code, captured.out, captured.err

    return run


def tickets(run: Run, *extra: str) -> list[dict[str, Any]]:
    code, out, err = run("tickets", "--json", *extra)
    assert code == 0, err
    data = json.loads(out)
    assert isinstance(data, list)
    return data


def detail(run: Run, key: str) -> dict[str, Any]:
    code, out, err = run("show", key, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert isinstance(data, dict)
    return data


def open_keys(run: Run, count: int, *, every: bool = False) -> list[str]:
    found = [
        ":".join(item["key"])
        for item in tickets(run)
        if item["status"] and item["status"]["category"] not in ("resolved", "closed")
    ]
    assert len(found) >= count
    return found if every else found[:count]


def results(out: str) -> dict[str, dict[str, Any]]:
    return {item["key"]: item for item in json.loads(out)}


# ------------------------------------------------------------------------ update


def test_update_by_label_dry_run_then_for_real(run: Run) -> None:
    keys = open_keys(run, 2)
    code, out, err = run("update", *keys, "--priority", "high", "--dry-run")
    assert code == 0, err
    assert out.splitlines() == [
        f"{keys[0]}: would update: priority: High",
        f"{keys[1]}: would update: priority: High",
        "dry run: nothing was sent (2 tickets)",
    ]
    code, out, err = run("update", *keys, "--priority", "High", "--json")
    assert code == 0, err
    assert all(item["ok"] for item in results(out).values())
    assert detail(run, keys[1])["ticket"]["priority"]["label"] == "High"


def test_a_dry_run_sends_nothing(run: Run) -> None:
    (key,) = open_keys(run, 1)
    before = detail(run, key)["ticket"]["priority"]["label"]
    other = "Low" if before != "Low" else "High"
    code, out, _ = run("update", key, "--priority", other, "--dry-run", "--json")
    assert code == 0
    assert json.loads(out)[0]["changes"] == {"priority": other}
    assert detail(run, key)["ticket"]["priority"]["label"] == before


def test_update_by_id(run: Run) -> None:
    (key,) = open_keys(run, 1)
    code, out, err = run("update", key, "--status", "1", "--type", "bug")
    assert code == 0, err
    assert out == f"{key}: update: ok\n"
    ticket = detail(run, key)["ticket"]
    assert (ticket["status"]["id"], ticket["type"]["label"]) == ("1", "Bug")


def test_a_label_miss_lists_the_choices_and_sends_nothing(run: Run) -> None:
    (key,) = open_keys(run, 1)
    before = detail(run, key)["ticket"]
    code, out, err = run("update", key, "--status", "Finished", "--priority", "High")
    assert code == 2
    assert out == ""
    assert err.startswith("triage: acme: status has no choice 'Finished' on this desk;")
    assert "choose one of: " in err and "Open (1)" in err and "Closed (3)" in err
    assert detail(run, key)["ticket"]["priority"] == before["priority"]


# ------------------------------------------------------------------------ assign, close


def test_assign_by_name_then_unassign(run: Run) -> None:
    (key,) = open_keys(run, 1)
    code, _, err = run("assign", key, "--agent", "Admin", "--group", "general support")
    assert code == 2, "agents are named by their full names"
    assert "agent has no choice 'Admin'" in err
    lookups_code, lookups_out, _ = run("action", "--connection", "acme", "lookups")
    assert lookups_code == 0
    agent_line = lookups_out.split("Agents:\n", 1)[1].splitlines()[0]
    agent_id, agent_name = agent_line.split(None, 1)[0], agent_line.split("  ")[2]
    code, _, err = run("assign", key, "--agent", agent_name, "--json")
    assert code == 0, err
    assert detail(run, key)["ticket"]["assignee"]["id"] == agent_id
    code, _out, err = run("assign", key, "--agent", "none")
    assert code == 0, err
    assert detail(run, key)["ticket"]["assignee"] is None


def test_close_with_a_note_and_a_partial_failure(run: Run) -> None:
    keys = open_keys(run, 2)
    code, out, err = run("close", keys[0], "acme:99999", keys[1], "--note", "Fixed", "--json")
    assert code == 1
    found = results(out)
    assert found[keys[0]]["ok"] and found[keys[1]]["ok"]
    assert not found["acme:99999"]["ok"]
    assert "Ticket not Found" in found["acme:99999"]["message"]
    assert err.strip() == f"triage: acme:99999: close failed: {found['acme:99999']['message']}"
    closed = detail(run, keys[0])
    assert closed["ticket"]["status"]["category"] in ("closed", "resolved")
    assert any("Fixed" in post["body"] for post in closed["posts"])


def test_keys_from_stdin_lines_and_json(run: Run) -> None:
    keys = open_keys(run, 3)
    code, out, err = run("close", "-", "--dry-run", stdin="\n".join(keys[:2]) + "\n")
    assert code == 0, err
    assert out.splitlines()[:2] == [f"{keys[0]}: would close", f"{keys[1]}: would close"]
    listing = json.dumps([item for item in tickets(run) if ":".join(item["key"]) in keys])
    code, out, err = run("close", "-", "--json", stdin=listing)
    assert code == 0, err
    assert sorted(results(out)) == sorted(keys)


def test_tickets_read_from_json_are_named_as_tickets_showed_them(run: Run) -> None:
    """Kayako's key is its numeric id, the list shows the mask: the results of a pipeline
    from ``tickets --json`` name tickets by what the agent saw (JSON keeps the key)."""
    keys = open_keys(run, 2)
    listing = [item for item in tickets(run) if ":".join(item["key"]) in keys]
    shown = [f"acme:{item['display_id']}" for item in listing]
    assert not set(shown) & set(keys)  # the mask is not the key
    code, out, err = run("close", "-", "--dry-run", stdin=json.dumps(listing))
    assert code == 0, err
    assert out.splitlines()[:2] == [f"{name}: would close" for name in shown]
    code, out, err = run("note", "-", "--body", "Seen", stdin=json.dumps(listing))
    assert code == 0, err
    assert sorted(out.splitlines()) == sorted(f"{name}: note: ok" for name in shown)
    code, out, err = run("note", "-", "--body", "Seen", "--json", stdin=json.dumps(listing))
    assert sorted(results(out)) == sorted(keys)


# ------------------------------------------------------------------------ reply, note


def test_reply_from_an_argument_a_file_and_stdin(run: Run, tmp_path: Path) -> None:
    (key,) = open_keys(run, 1)
    body = tmp_path / "reply.txt"
    body.write_text("From a file.\nSecond line.\n", encoding="utf-8")
    assert run("reply", key, "--body", "From an argument.")[0] == 0
    assert run("reply", key, "--body-file", str(body))[0] == 0
    assert run("note", key, "-", stdin="From a pipe.\n")[0] == 0
    posts = [post["body"] for post in detail(run, key)["posts"]]
    assert "From an argument." in posts
    assert any(text.startswith("From a file.\nSecond line.") for text in posts)
    assert any(text.startswith("From a pipe.") for text in posts)
    assert Outbox(default_outbox_path()).pending() == []


def test_a_failed_reply_stays_in_the_outbox(run: Run) -> None:
    code, out, err = run("reply", "acme:99999", "--body", "Please keep me")
    assert code == 1
    assert "FAILED" in out and "kept in the outbox" in err
    (entry,) = Outbox(default_outbox_path()).pending()
    assert (entry.key, entry.text) == ("acme:99999", "Please keep me")
    assert "Ticket not Found" in entry.last_error


def test_reply_dry_run_and_bad_bodies(run: Run) -> None:
    (key,) = open_keys(run, 1)
    code, out, _ = run("reply", key, "--body", "Hello", "--dry-run")
    assert (code, out.splitlines()[0]) == (0, f"{key}: would reply: text: Hello")
    assert Outbox(default_outbox_path()).pending() == []
    assert run("reply", key, "--body", "   ")[0] == 2
    assert run("reply", key)[0] == 2
    code, _, err = run("reply", "-", "--body", "-", stdin="acme:1\n")
    assert code == 2 and "not both" in err


# ------------------------------------------------------------------------ merge


def test_merge_dry_run_then_emulated(run: Run) -> None:
    target, source = open_keys(run, 2)
    code, out, _ = run("merge", target, source, "--dry-run")
    assert code == 0
    assert out.startswith(f"{source}: would merge: into: {target} (emulated:")
    code, out, err = run("merge", target, source, "--json")
    assert code == 0, err
    found = results(out)
    assert found[source]["ok"] and found[target]["ok"]
    assert detail(run, source)["ticket"]["status"]["category"] in ("closed", "resolved")
    code, _, err = run("merge", target, "other:1")
    assert code == 2 and "no connection named 'other' (configured: acme)" in err


# ------------------------------------------------------------------------ fields


def test_fields_show_set_and_a_miss(run: Run) -> None:
    key = next(
        k
        for k in open_keys(run, 1, every=True)
        if any(f["options"] and f["editable"] for f in detail(run, k)["custom_fields"])
    )
    fields = detail(run, key)["custom_fields"]
    select = next(f for f in fields if f["type"] == "select" and f["editable"])
    code, out, _ = run("fields", key)
    assert code == 0 and out.startswith(f"{key}\n") and f"  {select['label']}: " in out
    option = select["options"][-1]["label"]
    code, out, err = run("fields", key, "--set", f"{select['label']}={option}", "--dry-run")
    assert (code, out.splitlines()[0]) == (
        0,
        f"{key}: would custom_fields: {select['label']}: {option}",
    )
    code, out, err = run("fields", key, "--set", f"{select['label'].upper()}={option.lower()}")
    assert code == 0, err
    now = next(f for f in detail(run, key)["custom_fields"] if f["key"] == select["key"])
    assert now["value"] == option
    code, _, err = run("fields", key, "--set", f"{select['label']}=No such option")
    assert code == 2 and "choose one of:" in err and option in err
    code, _, err = run("fields", key, "--set", "Shoe size=42")
    assert code == 2 and "no custom field 'Shoe size'" in err


# ------------------------------------------------------------------------ create


def test_create_dry_run_then_for_real(run: Run) -> None:
    base = ("create", "--connection", "acme", "--subject", "Printer on fire", "--body", "Smoke")
    who = ("--name", "Ann Example", "--email", "ann@example.com")
    code, _, err = run(*base, *who)
    assert code == 2 and "--group is required; choose one of:" in err
    code, out, err = run(*base, *who, "--group", "general support", "--dry-run")
    assert code == 0, err
    assert out.startswith(
        "(new ticket): would create: subject: Printer on fire; group: General Support"
    )
    code, out, err = run(*base, *who, "--group", "general support", "--priority", "High", "--json")
    assert code == 0, err
    (item,) = json.loads(out)
    assert item["ok"] and item["message"].startswith("created ")
    ticket = detail(run, item["key"])["ticket"]
    assert (ticket["subject"], ticket["priority"]["label"]) == ("Printer on fire", "High")
    assert Outbox(default_outbox_path()).pending() == []


def test_a_failed_create_keeps_the_draft(run: Run) -> None:
    code, out, err = run(
        "create", "--connection", "acme", "--subject", "Keep me", "--body", "Body text",
        "--name", "Ann", "--email", "not-an-email", "--group", "general support",
    )  # fmt: skip
    assert code == 1
    assert "not created" in out and "kept in the outbox" in err
    (entry,) = Outbox(default_outbox_path()).new_tickets()
    assert entry.new_ticket is not None and entry.new_ticket.subject == "Keep me"
    assert "requester_email" in entry.last_error


# ------------------------------------------------------------------------ action, delete


def test_action_log_time_from_stdin_keys_then_list_them(run: Run) -> None:
    keys = open_keys(run, 2)
    code, out, err = run(
        "action", "-", "Log time", "--set", "worked=1h30m", "--set", "Note=Fixed it",
        "--json", stdin="\n".join(keys),
    )  # fmt: skip
    assert code == 0, err
    found = results(out)
    assert all(item["ok"] and item["message"].startswith("logged 1h30m") for item in found.values())
    code, out, err = run("action", keys[0], "time-entries")
    assert code == 0, err
    assert "1h30m worked, 1h30m billable" in out and "Fixed it" in out


def test_action_errors(run: Run) -> None:
    (key,) = open_keys(run, 1)
    code, _, err = run("action", key, "teleport")
    assert code == 2 and "no desk offers an action 'teleport'" in err and "log-time" in err
    code, _, err = run("action", key, "log-time", "--set", "worked=soon", "--set", "note=x")
    assert code == 2 and "'soon' is not a duration" in err
    code, _, err = run("action", key, "log-time", "--set", "note=x")
    assert code == 2 and "Time worked is required" in err
    code, _, err = run("action", key, "delete-time-entry", "--set", "entry=1")
    assert code == 2 and "add --yes" in err
    code, _, err = run("action", "users")
    assert code == 2 and "--connection" in err
    code, out, _ = run("action", "--connection", "acme", "users", "--set", "limit=2")
    assert code == 0 and out.startswith("acme: users: ok: 2 users\n")


def test_action_download_saves_under_a_safe_name(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (key,) = open_keys(run, 1)
    upload = tmp_path / "notes.txt"
    upload.write_text("attached", encoding="utf-8")
    assert run("action", key, "upload", "--set", f"path={upload}")[0] == 0
    folder = tmp_path / "downloads"
    folder.mkdir()
    monkeypatch.chdir(folder)
    code, out, err = run("action", key, "download", "--set", "attachment=notes.txt")
    assert code == 0, err
    assert f"saved to {folder / 'notes.txt'}" in out
    assert (folder / "notes.txt").read_text() == "attached"
    code, out, _ = run("action", key, "download", "--set", "attachment=notes.txt")
    assert code == 0 and (folder / "notes (1).txt").exists()


def test_delete_needs_yes(run: Run) -> None:
    (key,) = open_keys(run, 1)
    code, _, err = run("delete", key)
    assert code == 2 and "add --yes" in err
    code, out, _ = run("delete", key, "--dry-run")
    assert code == 0 and out.startswith(f"{key}: would delete")
    code, out, err = run("delete", key, "--yes", "--json")
    assert code == 0, err
    assert results(out)[key]["ok"]
    assert run("show", key)[0] == 1


# ------------------------------------------------------------------------ tickets


def test_tickets_filter_and_query(run: Run) -> None:
    everything = tickets(run)
    opened = tickets(run, "--filter", "status:open")
    assert 0 < len(opened) < len(everything)
    assert all(item["status"]["category"] == "open" for item in opened)
    subject = everything[0]["subject"]
    word = max(subject.split(), key=len)
    found = tickets(run, "--query", word)
    assert everything[0]["key"] in [item["key"] for item in found]
    code, _, err = run("tickets", "--query", "  ")
    assert code == 2 and "--query needs some text" in err


# ------------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    "argv",
    [
        ("update", "acme:1"),
        ("update", "nonsense", "--status", "Open"),
        ("update", "other:1", "--status", "Open"),
        ("assign", "acme:1"),
        ("close",),
        ("close", "-"),
        ("reply", "acme:1", "--body-file", "/nonexistent/file"),
        ("merge", "acme:1"),
        ("merge", "acme", "acme:2"),
        ("fields", "acme:1", "--set", "novalue"),
        ("create", "--connection", "acme", "--subject", "s", "--body", "b"),
        ("create", "--connection", "nope", "--subject", "s", "--body", "b", "--name", "n",
         "--email", "e@example.com"),
        ("action",),
        ("action", "acme:1", "log-time", "users"),
        ("delete", "acme:1"),
        ("update", "acme:1", "--status"),
    ],
)  # fmt: skip
def test_bad_input_is_exit_2_without_a_traceback(run: Run, argv: tuple[str, ...]) -> None:
    try:
        code, _out, err = run(*argv)
    except SystemExit as exc:  # argparse's own usage errors
        code, err = int(exc.code or 0), ""
    assert code == 2
    assert "Traceback" not in err


def test_every_seed_time_track_command_and_the_lookup_lists(run: Run) -> None:
    """Seed 000's time track commands (list, get, create, delete) and its list commands
    (departments, staff, statuses, priorities, types, users) from the command line."""
    (key,) = open_keys(run, 1)
    code, out, err = run(
        "action", key, "log-time", "--set", "worked=20m", "--set", "billable=10m",
        "--set", "note=Phone call", "--set", "date=2024-05-02", "--json",
    )  # fmt: skip
    assert code == 0, err
    (created,) = json.loads(out)
    entry = created["created_id"]
    code, out, err = run("action", key, "time-entry", "--set", f"entry={entry}")
    assert code == 0, err
    assert f"  {entry}  2024-05-02  20m worked, 10m billable" in out and "Phone call" in out
    code, out, _ = run("action", key, "time-entries")
    assert f"  {entry}  2024-05-02" in out
    code, out, err = run("action", key, "delete-time-entry", "--set", f"entry={entry}", "--yes")
    assert code == 0, err
    assert out == f"{key}: delete-time-entry: ok: deleted time entry {entry}\n"
    code, out, _ = run("action", key, "time-entries")
    assert f"  {entry}  " not in out
    code, out, err = run("action", "--connection", "acme", "lookups")
    assert code == 0, err
    for heading in ("Statuses:", "Priorities:", "Types:", "Agents:", "Groups:"):
        assert f"\n  {heading}\n" in out
    assert "General Support" in out and "Closed" in out and "Bug" in out
    code, out, err = run("action", "--connection", "acme", "users", "--set", "from_id=2")
    assert code == 0, err
    assert out.splitlines()[1].startswith("  2  ")
