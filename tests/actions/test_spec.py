"""The desk-action spec: declaring actions, reading typed text, and resolving values given
by label or id through a desk's lookups, with errors that name the desk and the field."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from adapters.actions import (
    MAX_DURATION,
    ActionField,
    ActionSpec,
    FieldKind,
    PathUse,
    Scope,
    UnknownChoice,
    check_values,
    choices_for,
    format_duration,
    list_choices,
    parse_bool,
    parse_date,
    parse_duration,
    parse_path,
    parse_text,
    resolve_choice,
    resolve_values,
    show_value,
)
from adapters.base import InvalidInput
from adapters.model import Choice, Lookups

LOOKUPS = Lookups(
    statuses=(Choice(id="1", label="Open"), Choice(id="3", label="Closed")),
    agents=(
        Choice(id="7", label="Alice Archer"),
        Choice(id="8", label="Bob Baker"),
        Choice(id="9", label="bob baker"),
    ),
    groups=(Choice(id="10", label="Support"), Choice(id="20", label="Billing, EU")),
)

LOG_TIME = ActionSpec(
    id="log-time",
    label="Log time",
    help="Record time worked on the ticket.",
    fields=(
        ActionField(name="worked", label="Time worked", kind=FieldKind.DURATION, required=True),
        ActionField(name="billable", label="Billable", kind=FieldKind.DURATION),
        ActionField(name="note", label="Note", kind=FieldKind.MULTILINE, required=True),
        ActionField(name="on", label="Work date", kind=FieldKind.DATE),
        ActionField(name="bill", label="Bill it", kind=FieldKind.BOOL, default=True),
        ActionField(name="agent", label="Worked by", kind=FieldKind.CHOICE, lookup="agents"),
        ActionField(
            name="colour",
            label="Colour",
            kind=FieldKind.CHOICE,
            choices=(Choice(id="1", label="Yellow"), Choice(id="2", label="Red")),
            default="1",
        ),
        ActionField(name="teams", label="Teams", kind=FieldKind.MULTICHOICE, lookup="groups"),
        ActionField(name="rate", label="Rate", kind=FieldKind.NUMBER),
        ActionField(name="title", label="Title", kind=FieldKind.TEXT),
    ),
)


# ------------------------------------------------------------------------ declaring


def test_a_spec_keeps_what_it_declares() -> None:
    assert LOG_TIME.scope is Scope.MANY
    assert not LOG_TIME.destructive
    assert LOG_TIME.field("worked").label == "Time worked"
    assert LOG_TIME.field("time  WORKED").name == "worked"
    with pytest.raises(KeyError):
        LOG_TIME.field("minutes")


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"name": "Worked", "label": "W", "kind": FieldKind.TEXT}, "lower_snake_case"),
        ({"name": "w", "label": " ", "kind": FieldKind.TEXT}, "needs a label"),
        ({"name": "w", "label": "W", "kind": FieldKind.TEXT, "help": "a\nb"}, "one line"),
        (
            {"name": "w", "label": "W", "kind": FieldKind.CHOICE},
            "needs choices, a lookup or a desk list",
        ),
        (
            {"name": "w", "label": "W", "kind": FieldKind.CHOICE, "lookup": "moods"},
            "unknown lookup 'moods'",
        ),
        (
            {
                "name": "w",
                "label": "W",
                "kind": FieldKind.CHOICE,
                "lookup": "agents",
                "choices": (Choice(id="1", label="x"),),
            },
            "only one of them",
        ),
        (
            {"name": "w", "label": "W", "kind": FieldKind.TEXT, "lookup": "agents"},
            "only choice fields",
        ),
        ({"name": "w", "label": "W", "kind": FieldKind.DURATION, "default": -5}, "default"),
        ({"name": "w", "label": "W", "kind": FieldKind.BOOL, "default": "yes"}, "default"),
        ({"name": "w", "label": "W", "kind": FieldKind.DATE, "default": "2024-02-30"}, "date"),
    ],
)
def test_inconsistent_fields_are_refused(kwargs: dict[str, object], problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        ActionField.model_validate(kwargs)


def test_inconsistent_specs_are_refused() -> None:
    text = ActionField(name="a", label="A", kind=FieldKind.TEXT)
    with pytest.raises(ValidationError, match="lower-case"):
        ActionSpec(id="Log Time", label="L", help="h")
    with pytest.raises(ValidationError, match="label and a line of help"):
        ActionSpec(id="x", label="X", help=" ")
    with pytest.raises(ValidationError, match="one line"):
        ActionSpec(id="x", label="X", help="one\ntwo")
    with pytest.raises(ValidationError, match="named twice: a"):
        ActionSpec(id="x", label="X", help="h", fields=(text, text))
    with pytest.raises(ValidationError, match="named twice: same"):
        ActionSpec(
            id="x",
            label="X",
            help="h",
            fields=(
                ActionField(name="a", label="Same", kind=FieldKind.TEXT),
                ActionField(name="b", label="same", kind=FieldKind.TEXT),
            ),
        )
    with pytest.raises(ValidationError, match="another field's name"):
        ActionSpec(
            id="x",
            label="X",
            help="h",
            fields=(
                ActionField(name="a", label="B", kind=FieldKind.TEXT),
                ActionField(name="b", label="Other", kind=FieldKind.TEXT),
            ),
        )


def test_specs_are_frozen() -> None:
    with pytest.raises(ValidationError):
        LOG_TIME.label = "changed"  # type: ignore[misc]


# ------------------------------------------------------------------------ typed text


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1h30m", 5400),
        ("1h 30m", 5400),
        ("1 hour 30 minutes", 5400),
        ("90m", 5400),
        ("90", 5400),
        ("1.5h", 5400),
        ("1:30", 5400),
        ("0:45:30", 2730),
        ("45s", 45),
        ("2H", 7200),
        ("0", 0),
        ("  15 min ", 900),
    ],
)
def test_durations(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "abc", "1h30", "1:75", "h", "-5", "1h x", "5 parsecs"])
def test_bad_durations_say_how_to_write_one(text: str) -> None:
    with pytest.raises(ValueError, match=r"duration|1h30m"):
        parse_duration(text)


def test_durations_are_bounded() -> None:
    with pytest.raises(ValueError, match="At most 1000 hours"):
        parse_duration("1001h")
    assert parse_duration("1000h") == MAX_DURATION


@pytest.mark.parametrize(
    ("seconds", "text"), [(5400, "1h30m"), (2700, "45m"), (20, "20s"), (0, "0m"), (3605, "1h0m5s")]
)
def test_format_duration_round_trips(seconds: int, text: str) -> None:
    assert format_duration(seconds) == text
    assert parse_duration(text) == seconds


def test_bools_dates_and_numbers() -> None:
    assert parse_bool(" Yes ") is True
    assert parse_bool("off") is False
    with pytest.raises(ValueError, match="not yes or no"):
        parse_bool("maybe")
    assert parse_date("2024-02-29") == "2024-02-29"
    for bad in ("2023-02-29", "29/02/2024", "2024-2-1", "today"):
        with pytest.raises(ValueError, match="YYYY-MM-DD"):
            parse_date(bad)
    assert parse_text(LOG_TIME.field("rate"), " 12.5 ") == 12.5
    for bad in ("twelve", "nan", "inf"):
        with pytest.raises(ValueError, match="number"):
            parse_text(LOG_TIME.field("rate"), bad)


def test_text_kinds() -> None:
    assert parse_text(LOG_TIME.field("title"), "  a \t b\nc ") == "a b c"
    assert parse_text(LOG_TIME.field("note"), "\nfirst\n  second  \n\n") == "first\n  second"
    assert parse_text(LOG_TIME.field("note"), " \n \n") is None
    assert parse_text(LOG_TIME.field("title"), "   ") is None
    with pytest.raises(TypeError, match="choice field"):
        parse_text(LOG_TIME.field("agent"), "7")


def test_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    existing = tmp_path / "log.txt"
    existing.write_text("x")
    assert parse_path("~/log.txt", PathUse.READ) == str(existing)
    with pytest.raises(ValueError, match="No such file"):
        parse_path(str(tmp_path / "missing.txt"), PathUse.READ)
    with pytest.raises(ValueError, match="No such file"):
        parse_path(str(tmp_path), PathUse.READ)
    assert parse_path(str(tmp_path / "new.bin"), PathUse.WRITE) == str(tmp_path / "new.bin")
    with pytest.raises(ValueError, match="is a folder"):
        parse_path(str(tmp_path), PathUse.WRITE)
    with pytest.raises(ValueError, match="No such folder"):
        parse_path(str(tmp_path / "nope" / "new.bin"), PathUse.WRITE)
    with pytest.raises(ValueError, match="Enter a file path"):
        parse_path("a\x00b", PathUse.WRITE)


# ------------------------------------------------------------------------ choices


def test_choices_come_from_lookups_or_the_spec() -> None:
    assert choices_for(LOG_TIME.field("agent"), LOOKUPS) == LOOKUPS.agents
    assert [c.label for c in choices_for(LOG_TIME.field("colour"), LOOKUPS)] == ["Yellow", "Red"]


def test_a_desk_list_supplies_choices_the_desk_defines() -> None:
    outcome = ActionField(
        name="outcome", label="Outcome", kind=FieldKind.CHOICE, desk_list="outcomes"
    )
    assert outcome.needs_lookups and LOG_TIME.field("agent").needs_lookups
    assert not LOG_TIME.field("colour").needs_lookups
    triage = Choice(id="5", label="Triage", detail="sets In Progress")
    lookups = LOOKUPS.model_copy(update={"lists": {"outcomes": (triage,)}})
    assert choices_for(outcome, lookups) == (triage,)
    assert choices_for(outcome, LOOKUPS) == ()  # a desk that has no such list offers none
    spec = ActionSpec(id="act", label="Act", help="h", fields=(outcome,))
    assert resolve_values("acme", spec, {"outcome": "triage"}, lookups) == {"outcome": "5"}
    with pytest.raises(UnknownChoice, match="has no choice 'Dance'"):
        resolve_values("acme", spec, {"outcome": "Dance"}, lookups)
    with pytest.raises(ValidationError, match="not a name"):
        ActionField(name="o", label="O", kind=FieldKind.CHOICE, desk_list="Out Comes")


def test_a_choice_by_id_or_by_label() -> None:
    field = LOG_TIME.field("agent")
    assert resolve_choice("acme", field, "7", LOOKUPS.agents).label == "Alice Archer"
    assert resolve_choice("acme", field, "  alice   ARCHER ", LOOKUPS.agents).id == "7"


def test_an_ambiguous_label_asks_for_the_id() -> None:
    with pytest.raises(InvalidInput) as caught:
        resolve_choice("acme", LOG_TIME.field("agent"), "bob baker", LOOKUPS.agents)
    message = str(caught.value)
    assert message.startswith("acme: agent: ")
    assert "give the id" in message
    assert "Bob Baker (8)" in message and "bob baker (9)" in message


def test_a_miss_names_the_desk_the_field_and_the_choices() -> None:
    with pytest.raises(UnknownChoice) as caught:
        resolve_choice("acme", LOG_TIME.field("agent"), "Zed", LOOKUPS.agents)
    error = caught.value
    assert isinstance(error, InvalidInput)
    assert error.connection == "acme"
    assert error.field == "agent"
    assert error.given == "Zed"
    assert error.choices == LOOKUPS.agents
    assert str(error) == (
        "acme: agent: Worked by has no choice 'Zed' on this desk; choose one of: "
        "Alice Archer (7), Bob Baker (8), bob baker (9)"
    )


def test_long_choice_lists_are_cut() -> None:
    many = [Choice(id=str(n), label=f"Agent {n}") for n in range(30)]
    text = list_choices(many, limit=3)
    assert text == "Agent 0 (0), Agent 1 (1), Agent 2 (2), and 27 more"
    assert list_choices([Choice(id="x", label="x")]) == "x"
    assert "none" in list_choices([])


# ------------------------------------------------------------------------ whole actions


def test_resolve_values_types_everything_and_fills_defaults() -> None:
    values = resolve_values(
        "acme",
        LOG_TIME,
        {
            "Time worked": "1h30m",
            "note": "Fixed the\nprinter",
            "on": "2024-05-01",
            "agent": "Alice Archer",
            "teams": ["Support", "20"],
            "rate": "12",
        },
        LOOKUPS,
    )
    assert values == {
        "worked": 5400,
        "billable": None,
        "note": "Fixed the\nprinter",
        "on": "2024-05-01",
        "bill": True,
        "agent": "7",
        "colour": "1",
        "teams": ("10", "20"),
        "rate": 12.0,
        "title": None,
    }


def test_multichoice_by_commas_unless_a_label_has_one() -> None:
    base = {"worked": "1h", "note": "n"}
    values = resolve_values("acme", LOG_TIME, {**base, "teams": "support, 20, Support"}, LOOKUPS)
    assert values["teams"] == ("10", "20")
    values = resolve_values("acme", LOG_TIME, {**base, "teams": "Billing, EU"}, LOOKUPS)
    assert values["teams"] == ("20",)


@pytest.mark.parametrize(
    ("given", "field", "reason"),
    [
        ({"note": "n"}, "worked", "Time worked is required"),
        ({"worked": "1h"}, "note", "Note is required"),
        ({"worked": "1h", "note": "  "}, "note", "Note is required"),
        ({"worked": "soon", "note": "n"}, "worked", "not a duration"),
        ({"worked": "1h", "note": "n", "on": "yesterday"}, "on", "YYYY-MM-DD"),
        ({"worked": "1h", "note": "n", "bill": "perhaps"}, "bill", "not yes or no"),
        ({"worked": "1h", "note": "n", "colour": "Blue"}, "colour", "Yellow (1), Red (2)"),
        ({"worked": "1h", "note": "n", "teams": "Support, Sales"}, "teams", "no choice 'Sales'"),
        ({"worked": "1h", "note": "n", "minutes": "5"}, "minutes", "its fields: worked,"),
        ({"worked": ["1h", "2h"], "note": "n"}, "worked", "takes one value"),
        ({"worked": "1h", "Time worked": "2h", "note": "n"}, "worked", "given twice"),
    ],
)
def test_resolve_values_errors_name_the_field(
    given: dict[str, str | list[str]], field: str, reason: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        resolve_values("acme", LOG_TIME, given, LOOKUPS)
    assert caught.value.connection == "acme"
    assert caught.value.field == field
    assert reason in str(caught.value)


def test_an_empty_choice_is_no_choice() -> None:
    values = resolve_values("acme", LOG_TIME, {"worked": "1h", "note": "n", "agent": ""}, LOOKUPS)
    assert values["agent"] is None


def test_check_values_holds_typed_values_to_the_same_rules() -> None:
    ok = check_values("acme", LOG_TIME, {"worked": 60, "note": "n", "teams": ("10",)}, LOOKUPS)
    assert ok["worked"] == 60 and ok["bill"] is True and ok["teams"] == ("10",)
    bad: list[tuple[dict[str, object], str, str]] = [
        ({"worked": "60", "note": "n"}, "worked", "whole number of seconds"),
        ({"worked": 1.5, "note": "n"}, "worked", "whole number of seconds"),
        ({"worked": True, "note": "n"}, "worked", "not yes or no"),
        ({"worked": 60, "note": 5}, "note", "expected text"),
        ({"worked": 60, "note": "n", "title": "a\nb"}, "title", "one line"),
        ({"worked": 60, "note": "n", "rate": "5"}, "rate", "expected a number"),
        ({"worked": 60, "note": "n", "on": "2024-13-01"}, "on", "not a date"),
        ({"worked": 60, "note": "n", "bill": 1}, "bill", "yes or no"),
        ({"worked": 60, "note": "n", "agent": "99"}, "agent", "no choice '99'"),
        ({"worked": 60, "note": "n", "teams": ["10"]}, "teams", "list of choice ids"),
        ({"worked": 60, "note": "n", "teams": ("10", "30")}, "teams", "no choice '30'"),
        ({"worked": 60, "note": "n", "extra": 1}, "extra", "no field 'extra'"),
    ]
    for values, field, reason in bad:
        with pytest.raises(InvalidInput) as caught:
            check_values("acme", LOG_TIME, values, LOOKUPS)  # type: ignore[arg-type]
        assert caught.value.field == field, values
        assert reason in str(caught.value), (values, str(caught.value))


def test_show_value_reads_as_a_person_would() -> None:
    field = LOG_TIME.field
    assert show_value(field("worked"), 5400, LOOKUPS) == "1h30m"
    assert show_value(field("bill"), False, LOOKUPS) == "no"
    assert show_value(field("agent"), "8", LOOKUPS) == "Bob Baker"
    assert show_value(field("teams"), ("10", "20"), LOOKUPS) == "Support, Billing, EU"
    assert show_value(field("teams"), ("10", "404"), LOOKUPS) == "Support, 404"
    assert show_value(field("rate"), 12.0, LOOKUPS) == "12"
    assert show_value(field("rate"), 12.5, LOOKUPS) == "12.5"
    assert show_value(field("title"), None, LOOKUPS) == "-"
    assert show_value(field("teams"), (), LOOKUPS) == "-"
