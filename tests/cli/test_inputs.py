"""What the writing commands read (keys, ``--set``, text) and print (dry-run plans, results,
exit status), without a desk."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.actions import ActionOutcome
from adapters.model import ActionResult, Choice, Ticket, TicketKey
from tui.cli.inputs import (
    EXIT_FAILED,
    EXIT_OK,
    PlannedChange,
    UsageError,
    exit_status,
    keys_from_text,
    parse_sets,
    read_keys,
    read_text,
    write_plan,
    write_results,
)

A = TicketKey("acme", "12")
B = TicketKey("acme", "13")
H = TicketKey("halo", "T:9")


class Stdin(io.StringIO):
    """Standard input that is (or is not) a terminal."""

    def __init__(self, text: str = "", *, tty: bool = False) -> None:
        super().__init__(text)
        self.tty = tty
        self.reads = 0

    def isatty(self) -> bool:
        return self.tty

    def read(self, size: int | None = -1) -> str:
        self.reads += 1
        return super().read(size)


def tickets_json(*keys: TicketKey) -> str:
    """What ``triage tickets --json`` prints for tickets with these keys."""
    moment = datetime(2024, 5, 1, tzinfo=UTC)
    out = io.StringIO()
    out.write("[")
    for index, key in enumerate(keys):
        ticket = Ticket(
            key=key,
            display_id=key.native_id,
            subject="s",
            status=Choice(id="1", label="Open"),
            created=moment,
            updated=moment,
        )
        out.write(",\n" if index else "\n")
        out.write(ticket.model_dump_json(exclude={"raw"}))
    out.write("\n]\n")
    return out.getvalue()


# ------------------------------------------------------------------------ keys


def test_keys_from_arguments_in_order_without_repeats() -> None:
    assert read_keys(["acme:12", "halo:T:9", "acme:12", "acme:13"], Stdin()) == [A, H, B]


def test_dash_reads_keys_one_per_line() -> None:
    stdin = Stdin("acme:12\n\n  halo:T:9  \r\nacme:13\n")
    assert read_keys(["-"], stdin) == [A, H, B]


def test_dash_reads_the_array_tickets_json_prints() -> None:
    assert read_keys(["-"], Stdin(tickets_json(A, H))) == [A, H]


def test_dash_reads_a_json_array_of_keys_or_pairs() -> None:
    text = json.dumps(["acme:12", ["halo", "T:9"], {"key": "acme:13"}])
    assert read_keys(["-"], Stdin(text)) == [A, H, B]


def test_dash_reads_the_stream_jq_prints() -> None:
    objects = "".join(line + "\n" for line in tickets_json(A, H).strip()[1:-1].split(",\n"))
    assert read_keys(["-"], Stdin(objects)) == [A, H]
    pairs = '[\n  "acme",\n  "12"\n]\n[\n  "halo",\n  "T:9"\n]\n'
    assert read_keys(["-"], Stdin(pairs)) == [A, H]
    assert read_keys(["-"], Stdin('"acme:12"\n"acme:13"\n')) == [A, B]


def test_display_ids_read_with_the_keys_name_the_results() -> None:
    hostile = "\x1b]52;c;cGF5\x07MASK-" + "9" * 200
    objects = [
        {"key": ["acme", "12"], "display_id": "ABC-012"},
        {"key": ["acme", "13"], "display_id": "13"},  # the same as the key: nothing to add
        {"key": ["halo", "T:9"], "display_id": hostile},
    ]
    names: dict[TicketKey, str] = {}
    assert read_keys(["-"], Stdin(json.dumps(objects)), names) == [A, B, H]
    assert names[A] == "acme:ABC-012" and B not in names
    assert "\x1b" not in names[H] and names[H].startswith("halo:") and len(names[H]) <= 70
    out, err = io.StringIO(), io.StringIO()
    write_results(RESULTS, out, err, as_json=False, names=names)
    assert out.getvalue().splitlines()[0] == "acme:ABC-012: close: ok"
    json_out = io.StringIO()
    write_results(RESULTS, json_out, io.StringIO(), as_json=True, names=names)
    assert json.loads(json_out.getvalue())[0]["key"] == "acme:12"


def test_dash_mixes_with_arguments_and_is_read_once() -> None:
    stdin = Stdin("acme:13\n")
    assert read_keys(["acme:12", "-"], stdin) == [A, B]
    with pytest.raises(UsageError, match="may be given once"):
        read_keys(["-", "-"], Stdin("acme:13\n"))


@pytest.mark.parametrize(
    ("arguments", "stdin", "problem"),
    [
        (["acme12"], "", "argument: 'acme12' is not a ticket key (connection:id)"),
        ([":12"], "", "is not a ticket key"),
        ([], "", "no ticket keys given"),
        (["-"], "", "no ticket keys given (standard input had none)"),
        (["-"], "\n \n", "no ticket keys given (standard input had none)"),
        (["-"], "acme:1\nnonsense\n", "standard input, line 2: 'nonsense'"),
        (["-"], "[1, 2]", "standard input, item 0: not a ticket key"),
        (["-"], '[{"id": 1}]', 'item 0: an object without a "key"'),
        (["-"], '[["a:b", "1"]]', "item 0: not a ticket key"),
        (["-"], '[["acme"]]', "item 0: not a ticket key"),
        (["-"], '{"key": "acme:1"} 5', "item 1: not a ticket key"),
        (["-"], '{"key": "acme:1"}\n{"key": "acme"}', "item 1: 'acme' is not a ticket key"),
        (["-"], '[["acme", "1\\u001b[2J"]]', "item 0"),
        (["-"], "[oops", "not valid JSON"),
        (["acme:\x1b[31m1"], "", "argument"),
    ],
)
def test_bad_keys_are_usage_errors(arguments: list[str], stdin: str, problem: str) -> None:
    with pytest.raises(UsageError) as caught:
        read_keys(arguments, Stdin(stdin))
    assert problem in str(caught.value)


def test_a_key_with_an_escape_is_shown_clean() -> None:
    with pytest.raises(UsageError) as caught:
        read_keys(["\x1b[2Jbad"], Stdin())
    assert "\x1b" not in str(caught.value)


def test_a_terminal_on_stdin_is_refused_not_waited_on() -> None:
    stdin = Stdin("acme:1\n", tty=True)
    with pytest.raises(UsageError, match="standard input, which is a terminal"):
        read_keys(["-"], stdin)
    assert stdin.reads == 0


def test_keys_from_text_directly() -> None:
    assert keys_from_text("acme:12\nacme:12\n") == [A, A]
    assert keys_from_text('  ["acme:12"]  ') == [A]


# ------------------------------------------------------------------------ --set


def test_sets_split_on_the_first_equals_and_collect_repeats() -> None:
    assert parse_sets(["Status=Closed", " Teams =a", "Teams=b", "Note=x=y", "Empty="]) == {
        "Status": ["Closed"],
        "Teams": ["a", "b"],
        "Note": ["x=y"],
        "Empty": [""],
    }
    assert parse_sets([]) == {}


@pytest.mark.parametrize(
    ("item", "problem"), [("Status", "write FIELD=VALUE"), ("=Closed", "field name is missing")]
)
def test_bad_sets_are_usage_errors(item: str, problem: str) -> None:
    with pytest.raises(UsageError, match=problem):
        parse_sets(["Priority=High", item])


# ------------------------------------------------------------------------ text


def test_text_from_an_argument_a_file_or_stdin(tmp_path: Path) -> None:
    assert read_text("Thanks!", None, Stdin(), "reply") == "Thanks!"
    body = tmp_path / "body.txt"
    body.write_text("Line one\nLine two\n", encoding="utf-8")
    assert read_text(None, str(body), Stdin(), "reply") == "Line one\nLine two\n"
    assert read_text("-", None, Stdin("from a pipe\n"), "reply") == "from a pipe\n"


def test_bad_text_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="give the reply as text, as a file, or '-'"):
        read_text(None, None, Stdin(), "reply")
    with pytest.raises(UsageError, match="give the note"):
        read_text("a", "b", Stdin(), "note")
    with pytest.raises(UsageError, match="the reply is empty"):
        read_text("  \n", None, Stdin(), "reply")
    with pytest.raises(UsageError, match="the reply is empty"):
        read_text("-", None, Stdin(""), "reply")
    with pytest.raises(UsageError, match="No such file"):
        read_text(None, str(tmp_path / "missing.txt"), Stdin(), "reply")
    with pytest.raises(UsageError, match="Is a directory"):
        read_text(None, str(tmp_path), Stdin(), "reply")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("caf\xe9".encode("latin-1"))
    with pytest.raises(UsageError, match="not UTF-8"):
        read_text(None, str(latin), Stdin(), "reply")
    with pytest.raises(UsageError, match="terminal"):
        read_text("-", None, Stdin("x", tty=True), "reply")


# ------------------------------------------------------------------------ plans and results


PLANS = [
    PlannedChange(A, "update", (("Status", "Closed"), ("Priority", "High"))),
    PlannedChange(H, "update", problem="cannot update tickets on this desk: read-only"),
    PlannedChange(None, "create", (("Subject", "Printer \x1b[31mon fire"),)),
]


def test_a_dry_run_plan_per_ticket() -> None:
    out = io.StringIO()
    write_plan(PLANS, out, as_json=False)
    assert out.getvalue().splitlines() == [
        "acme:12: would update: Status: Closed; Priority: High",
        "halo:T:9: would not update: cannot update tickets on this desk: read-only",
        "(new ticket): would create: Subject: Printer on fire",
        "dry run: nothing was sent (3 tickets)",
    ]


def test_a_dry_run_plan_as_json() -> None:
    out = io.StringIO()
    write_plan(PLANS[:2], out, as_json=True)
    assert json.loads(out.getvalue()) == [
        {
            "key": "acme:12",
            "action": "update",
            "dry_run": True,
            "would_send": True,
            "changes": {"Status": "Closed", "Priority": "High"},
        },
        {
            "key": "halo:T:9",
            "action": "update",
            "dry_run": True,
            "would_send": False,
            "changes": {},
            "problem": "cannot update tickets on this desk: read-only",
        },
    ]


RESULTS = [
    ActionResult(key=A, action="close", ok=True),
    ActionResult(key=B, action="close", ok=False, message="acme: ticket 13 does not exist"),
    ActionResult(key=H, action="close", ok=True, message="closed \x1b]0;pwned\x07as Solved"),
]


def test_results_one_line_per_ticket_failures_named_on_stderr() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert write_results(RESULTS, out, err, as_json=False) == EXIT_FAILED
    assert out.getvalue().splitlines() == [
        "acme:12: close: ok",
        "acme:13: close: FAILED: acme: ticket 13 does not exist",
        "halo:T:9: close: ok: closed as Solved",
    ]
    assert err.getvalue() == "triage: acme:13: close failed: acme: ticket 13 does not exist\n"


def test_results_as_json() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert write_results(RESULTS[:1], out, err, as_json=True) == EXIT_OK
    assert json.loads(out.getvalue()) == [
        {"key": "acme:12", "connection": "acme", "action": "close", "ok": True, "message": ""}
    ]
    assert err.getvalue() == ""
    out = io.StringIO()
    write_results(RESULTS, out, io.StringIO(), as_json=True)
    assert [item["ok"] for item in json.loads(out.getvalue())] == [True, False, True]


def test_results_with_what_a_listing_action_found() -> None:
    outcomes = {
        A: ActionOutcome(message="2 time entries", lines=("7  1h30m  fixed", "8  \x1b[1m5m")),
        H: ActionOutcome(created=TicketKey("halo", "77"), created_id="a\x1b[2J1"),
    }
    out = io.StringIO()
    write_results(RESULTS, out, io.StringIO(), as_json=False, outcomes=outcomes)
    assert out.getvalue().splitlines()[:3] == [
        "acme:12: close: ok",
        "  7  1h30m  fixed",
        "  8  5m",
    ]
    out = io.StringIO()
    write_results(RESULTS, out, io.StringIO(), as_json=True, outcomes=outcomes)
    items = json.loads(out.getvalue())
    assert items[0]["lines"] == ["7  1h30m  fixed", "8  5m"]
    assert "lines" not in items[1] and "created" not in items[1]
    assert items[2]["created"] == "halo:77" and items[2]["created_id"] == "a1"


def test_exit_status() -> None:
    assert exit_status([]) == EXIT_OK
    assert exit_status(RESULTS[:1]) == EXIT_OK
    assert exit_status(RESULTS) == EXIT_FAILED
