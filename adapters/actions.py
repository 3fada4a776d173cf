"""Desk actions: the operations a desk has beyond the common ones, declared as data.

Every desk can do more than update, assign, close, merge, reply and note (Kayako's time
entries, another desk's outcomes or dispositions). Rather than a screen and a CLI verb per
operation per desk, an adapter *declares* each one as an :class:`ActionSpec`: an id, a
label, one line of help, typed :class:`ActionField`\\ s, the tickets it applies to
(:class:`Scope`) and whether it destroys something. The TUI renders any spec with one
generic form, the CLI fills one from ``--set FIELD=VALUE``, and both hand the adapter the
same typed values; neither knows which desk it is talking to.

Values cross this seam typed by the field's :class:`FieldKind` (:data:`ActionValue`):

=============  ============================================================
kind           value
=============  ============================================================
text           ``str`` on one line (runs of whitespace become one space)
multiline      ``str``, line breaks kept
number         ``float`` (finite)
date           ``str``, ISO ``YYYY-MM-DD``
duration       ``int`` seconds (typed ``1h30m``, ``90m``, ``1:30``, ``45s``;
               a bare number is minutes)
bool           ``bool`` (typed yes/no, true/false, on/off, 1/0)
choice         ``str``, the choice's id
multichoice    ``tuple[str, ...]`` of choice ids, in the order given
path           ``str``, a local path with ``~`` expanded
=============  ============================================================

A choice field takes its choices from the desk's :class:`~adapters.model.Lookups`
(``lookup="agents"``…), from one of the desk's own lists there (``desk_list="outcomes"``,
:attr:`~adapters.model.Lookups.lists`) or from a static list. Wherever a person types a
choice (the CLI, a filter in the form) it may be given by id or by label;
:func:`resolve_choice` finds it and, on a miss, raises :class:`UnknownChoice`, an
:class:`~adapters.base.InvalidInput` whose message names the desk and the field and lists
the choices. Every problem with a
value is raised the same way, so a caller shows one kind of error beside one field.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from adapters.errors import InvalidInput
from adapters.model import Choice, Lookups, Ticket, TicketKey

ActionValue = str | float | int | bool | tuple[str, ...] | None
"""A field's value, typed by its :class:`FieldKind` (see the module docstring)."""

LOOKUP_KINDS: frozenset[str] = frozenset(Lookups.model_fields) - {"lists"}
"""The :class:`Lookups` lists a choice field may name as ``lookup`` (the desk's own lists
are named by ``desk_list``)."""

_NAME = re.compile(r"[a-z][a-z0-9_]*")
_ACTION_ID = re.compile(r"[a-z][a-z0-9_-]*")
MAX_LISTED_CHOICES = 20
"""How many choices an error message lists before saying how many more there are."""


class FieldKind(StrEnum):
    TEXT = "text"
    MULTILINE = "multiline"
    NUMBER = "number"
    DATE = "date"
    DURATION = "duration"
    BOOL = "bool"
    CHOICE = "choice"
    MULTICHOICE = "multichoice"
    PATH = "path"

    @property
    def has_choices(self) -> bool:
        return self in (FieldKind.CHOICE, FieldKind.MULTICHOICE)


class Scope(StrEnum):
    """Which tickets an action applies to."""

    ONE = "one"
    """Exactly one ticket (e.g. download one attachment)."""
    MANY = "many"
    """Each of one or more tickets, separately (the bulk runner runs it per ticket)."""
    NONE = "none"
    """No ticket: the action stands alone (e.g. create a ticket)."""


class PathUse(StrEnum):
    """What a path field is for, which decides how it is checked before anything is sent."""

    READ = "read"
    """An existing regular file that will be read (an upload)."""
    WRITE = "write"
    """A file that will be written, in an existing folder (a download)."""


class _Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ActionField(_Spec):
    """One input of an action.

    ``name`` is what the adapter receives the value under and what ``--set`` names (the
    label works too). ``choices`` is a static list; ``lookup`` names a :class:`Lookups`
    list instead, and ``desk_list`` one of the desk's own lists (:attr:`Lookups.lists`).
    ``default`` is used when nothing is given and is typed like a value.
    """

    name: str
    label: str
    kind: FieldKind
    help: str = ""
    required: bool = False
    default: ActionValue = None
    choices: tuple[Choice, ...] = ()
    lookup: str | None = None
    desk_list: str | None = None
    path_use: PathUse = PathUse.READ

    @property
    def needs_lookups(self) -> bool:
        """Whether the field's choices come from the desk (its lookups must be loaded)."""
        return self.lookup is not None or self.desk_list is not None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if not _NAME.fullmatch(self.name):
            raise ValueError(f"field name {self.name!r} must be lower_snake_case")
        if not self.label.strip():
            raise ValueError(f"field {self.name!r} needs a label")
        if "\n" in self.help:
            raise ValueError(f"field {self.name!r}: help is one line")
        sources = sum((bool(self.choices), self.lookup is not None, self.desk_list is not None))
        if self.kind.has_choices:
            if sources > 1:
                raise ValueError(
                    f"field {self.name!r}: choices, a lookup or a desk list, only one of them"
                )
            if not sources:
                raise ValueError(
                    f"field {self.name!r}: a choice field needs choices, a lookup or a desk list"
                )
            if self.lookup is not None and self.lookup not in LOOKUP_KINDS:
                known = ", ".join(sorted(LOOKUP_KINDS))
                raise ValueError(f"field {self.name!r}: unknown lookup {self.lookup!r} ({known})")
            if self.desk_list is not None and not _NAME.fullmatch(self.desk_list):
                raise ValueError(f"field {self.name!r}: desk list {self.desk_list!r} is not a name")
        elif sources:
            raise ValueError(f"field {self.name!r}: only choice fields have choices")
        if self.default is not None:
            problem = _type_problem(self, self.default)
            if problem:
                raise ValueError(f"field {self.name!r}: default {self.default!r}: {problem}")
        return self


class ActionSpec(_Spec):
    """One operation a desk offers, as the TUI's form and the CLI's ``action`` see it."""

    id: str
    label: str
    help: str
    fields: tuple[ActionField, ...] = ()
    scope: Scope = Scope.MANY
    destructive: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if not _ACTION_ID.fullmatch(self.id):
            raise ValueError(f"action id {self.id!r} must be lower-case words")
        if not self.label.strip() or not self.help.strip():
            raise ValueError(f"action {self.id!r} needs a label and a line of help")
        if "\n" in self.help:
            raise ValueError(f"action {self.id!r}: help is one line")
        names = [field.name for field in self.fields]
        labels = [_fold(field.label) for field in self.fields]
        for seen in (names, labels):
            twice = sorted({item for item in seen if seen.count(item) > 1})
            if twice:
                raise ValueError(f"action {self.id!r}: fields named twice: {', '.join(twice)}")
        for field in self.fields:
            for other in self.fields:
                if other is not field and other.name == _fold(field.label):
                    raise ValueError(
                        f"action {self.id!r}: the label of {field.name!r} is another field's name"
                    )
        return self

    def field(self, name: str) -> ActionField:
        """The field called ``name``, by name or (case-insensitively) by label."""
        folded = _fold(name)
        for field in self.fields:
            if field.name == name or _fold(field.label) == folded:
                return field
        raise KeyError(name)


class FileContent(_Spec):
    """A file an action fetched from the desk (an attachment). The front end saves it
    where the agent says (:mod:`tui.files`); nothing ever opens or runs it. ``name`` is the
    desk's, untrusted: it is made safe before it names anything on disk."""

    name: str
    data: bytes = Field(repr=False)
    content_type: str | None = None


class ActionOutcome(_Spec):
    """What one run of an action on one ticket (or on none) did.

    ``message`` is one line for the agent ("Logged 1h30m", "3 attachments"); ``lines`` are
    what a listing action found, one per entry, shown under it; ``ticket`` is the ticket as
    the desk now has it, when the action changed it and the desk said so; ``created`` the
    key of a ticket the action created; ``created_id`` the desk's id of anything else it
    created (a time entry, an attachment); ``file`` a file it fetched, for the front end to
    save.
    """

    message: str = ""
    lines: tuple[str, ...] = ()
    ticket: Ticket | None = None
    created: TicketKey | None = None
    created_id: str | None = None
    file: FileContent | None = None


# --------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------


class UnknownChoice(InvalidInput):
    """A choice given by id or label that the desk does not have; lists what it has."""

    def __init__(
        self, connection: str, field: ActionField, given: str, choices: Sequence[Choice]
    ) -> None:
        self.given = given
        self.choices = tuple(choices)
        super().__init__(
            connection,
            field.name,
            f"{field.label} has no choice {given!r} on this desk; choose one of: "
            f"{list_choices(choices)}",
        )


def list_choices(choices: Sequence[Choice], limit: int = MAX_LISTED_CHOICES) -> str:
    """``Open (1), Closed (3)``: choices as an error lists them, at most ``limit``."""
    if not choices:
        return "(none: the desk lists no choices)"
    shown = [_choice_text(choice) for choice in choices[:limit]]
    more = len(choices) - limit
    if more > 0:
        shown.append(f"and {more} more")
    return ", ".join(shown)


def _choice_text(choice: Choice) -> str:
    return choice.label if choice.label == choice.id else f"{choice.label} ({choice.id})"


# --------------------------------------------------------------------------------------
# Reading typed text
# --------------------------------------------------------------------------------------

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CLOCK = re.compile(r"(\d+):([0-5]\d)(?::([0-5]\d))?")
_UNITS = re.compile(r"(\d+(?:\.\d+)?)\s*(hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)(?![a-z])")
_UNIT_SECONDS = {"h": 3600, "m": 60, "s": 1}
_TRUE = frozenset({"yes", "y", "true", "t", "on", "1"})
_FALSE = frozenset({"no", "n", "false", "f", "off", "0"})
MAX_DURATION = 1000 * 3600
"""Durations beyond a thousand hours are a typo, not a time entry."""


def parse_duration(text: str) -> int:
    """Seconds in ``1h30m``, ``1h 30m``, ``90m``, ``45s``, ``1.5h``, ``1:30`` (h:mm),
    ``1:30:15`` or a bare number of minutes. Raises ``ValueError`` with a reason."""
    cleaned = text.strip().casefold()
    if not cleaned:
        raise ValueError("Enter a duration such as 1h30m, 90m or 1:30.")
    seconds: float
    if cleaned.replace(".", "", 1).isdigit():
        seconds = float(cleaned) * 60
    elif clock := _CLOCK.fullmatch(cleaned):
        hours, minutes, secs = clock.groups()
        seconds = int(hours) * 3600 + int(minutes) * 60 + int(secs or 0)
    else:
        seconds = 0.0
        position = 0
        for match in _UNITS.finditer(cleaned):
            if cleaned[position : match.start()].strip():
                break
            seconds += float(match.group(1)) * _UNIT_SECONDS[match.group(2)[0]]
            position = match.end()
        else:
            if position and not cleaned[position:].strip():
                return _bounded_duration(seconds)
        raise ValueError(f"{text.strip()!r} is not a duration; write e.g. 1h30m, 90m or 1:30.")
    return _bounded_duration(seconds)


def _bounded_duration(seconds: float) -> int:
    if seconds > MAX_DURATION:
        raise ValueError(f"At most {MAX_DURATION // 3600} hours.")
    return round(seconds)


def format_duration(seconds: int) -> str:
    """``1h30m``, ``45m``, ``20s``, ``0m``: the inverse of :func:`parse_duration`."""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(f"{hours}h")
    if minutes or (hours and secs):
        parts.append(f"{minutes}m")
    if secs:
        parts.append(f"{secs}s")
    return "".join(parts) or "0m"


def parse_bool(text: str) -> bool:
    folded = text.strip().casefold()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise ValueError(f"{text.strip()!r} is not yes or no.")


def parse_number(text: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a number.") from None
    if not math.isfinite(value):
        raise ValueError("Enter a finite number.")
    return value


def parse_date(text: str) -> str:
    """A real date written ``YYYY-MM-DD``, returned in that form."""
    cleaned = text.strip()
    if _DATE.fullmatch(cleaned):
        try:
            return date.fromisoformat(cleaned).isoformat()
        except ValueError:
            pass
    raise ValueError(f"{cleaned!r} is not a date; write YYYY-MM-DD.")


def parse_path(text: str, use: PathUse) -> str:
    """A local path, ``~`` expanded, checked for what it is for (see :class:`PathUse`)."""
    cleaned = text.strip()
    if not cleaned or "\x00" in cleaned:
        raise ValueError("Enter a file path.")
    path = Path(cleaned).expanduser()
    if use is PathUse.READ:
        if not path.is_file():
            raise ValueError(f"No such file: {path}")
    elif path.is_dir():
        raise ValueError(f"{path} is a folder; name the file to write.")
    elif not path.parent.is_dir():
        raise ValueError(f"No such folder: {path.parent}")
    return str(path)


def parse_text(field: ActionField, text: str) -> ActionValue:
    """The value of a field of any kind but a choice, typed as :data:`ActionValue`;
    ``None`` for empty text. Raises ``ValueError`` with a reason fit to show beside it."""
    if field.kind.has_choices:
        raise TypeError(f"{field.name} is a choice field: resolve it with its choices")
    if field.kind is FieldKind.MULTILINE:
        body = text.strip("\n").rstrip()
        return body if body.strip() else None
    if not text.strip():
        return None
    if field.kind is FieldKind.TEXT:
        return " ".join(text.split())
    if field.kind is FieldKind.NUMBER:
        return parse_number(text)
    if field.kind is FieldKind.DATE:
        return parse_date(text)
    if field.kind is FieldKind.DURATION:
        return parse_duration(text)
    if field.kind is FieldKind.BOOL:
        return parse_bool(text)
    return parse_path(text, field.path_use)


# --------------------------------------------------------------------------------------
# Choices
# --------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def choices_for(field: ActionField, lookups: Lookups) -> tuple[Choice, ...]:
    """The choices ``field`` offers on a desk with these ``lookups``."""
    if field.lookup is not None:
        choices: tuple[Choice, ...] = getattr(lookups, field.lookup)
        return choices
    if field.desk_list is not None:
        return lookups.lists.get(field.desk_list, ())
    return field.choices


def resolve_choice(
    connection: str, field: ActionField, given: str, choices: Sequence[Choice]
) -> Choice:
    """The choice ``given`` names, by id first, then by label (case and spacing ignored).

    Raises :class:`UnknownChoice` on a miss and :class:`InvalidInput` when a label names
    several choices (the message lists their ids, which are unambiguous).
    """
    wanted = given.strip()
    for choice in choices:
        if choice.id == wanted:
            return choice
    folded = _fold(wanted)
    matches = [choice for choice in choices if _fold(choice.label) == folded]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise InvalidInput(
            connection,
            field.name,
            f"{field.label} {wanted!r} names several choices; give the id: {list_choices(matches)}",
        )
    raise UnknownChoice(connection, field, wanted, choices)


# --------------------------------------------------------------------------------------
# Whole actions
# --------------------------------------------------------------------------------------


def resolve_values(
    connection: str,
    spec: ActionSpec,
    given: Mapping[str, str | Sequence[str]],
    lookups: Lookups,
) -> dict[str, ActionValue]:
    """Typed values for ``spec`` from text, as ``--set FIELD=VALUE`` gives it.

    ``given`` maps a field's name or label to its text (several texts for a multichoice,
    or one text with the choices separated by commas). Fields not given take their
    default. Raises :class:`InvalidInput` naming the field for an unknown field, a value
    of the wrong shape, a choice the desk does not have, or a required field left empty.
    """
    values: dict[str, ActionValue] = {}
    for name, raw in given.items():
        try:
            field = spec.field(name)
        except KeyError:
            fields = ", ".join(f.name for f in spec.fields) or "(none)"
            raise InvalidInput(
                connection, name, f"{spec.label} has no field {name!r}; its fields: {fields}"
            ) from None
        if field.name in values:
            raise InvalidInput(connection, field.name, f"{field.label} is given twice.")
        texts = [raw] if isinstance(raw, str) else list(raw)
        values[field.name] = _resolve_field(connection, field, texts, lookups)
    return check_values(connection, spec, values, lookups)


def _resolve_field(
    connection: str, field: ActionField, texts: Sequence[str], lookups: Lookups
) -> ActionValue:
    if field.kind is FieldKind.MULTICHOICE:
        choices = choices_for(field, lookups)
        parts = [part for text in texts for part in _split_choices(text, choices)]
        picked = [resolve_choice(connection, field, part, choices).id for part in parts]
        return tuple(dict.fromkeys(picked)) or None
    if len(texts) != 1:
        raise InvalidInput(connection, field.name, f"{field.label} takes one value.")
    text = texts[0]
    if field.kind is FieldKind.CHOICE:
        if not text.strip():
            return None
        return resolve_choice(connection, field, text, choices_for(field, lookups)).id
    try:
        return parse_text(field, text)
    except ValueError as exc:
        raise InvalidInput(connection, field.name, str(exc)) from None


def _split_choices(text: str, choices: Sequence[Choice]) -> list[str]:
    """``a, b`` as two choices, unless the whole text is one choice's label or id."""
    folded = _fold(text)
    if any(folded in (_fold(choice.label), _fold(choice.id)) for choice in choices):
        return [text]
    return [part for part in (piece.strip() for piece in text.split(",")) if part]


def check_values(
    connection: str,
    spec: ActionSpec,
    values: Mapping[str, ActionValue],
    lookups: Lookups,
) -> dict[str, ActionValue]:
    """``values`` completed with defaults and checked against ``spec``: every name a field,
    every value of its field's type, every choice id the desk's, every required field set.

    The adapter calls this before sending, so a value that came by another road than
    :func:`resolve_values` (the TUI's form, a test) is held to the same rules.
    """
    complete: dict[str, ActionValue] = {}
    for name in values:
        if not any(field.name == name for field in spec.fields):
            raise InvalidInput(connection, name, f"{spec.label} has no field {name!r}")
    for field in spec.fields:
        value = values.get(field.name)
        if value is None or value == () or (isinstance(value, str) and not value.strip()):
            value = field.default
        if value is None:
            if field.required:
                raise InvalidInput(connection, field.name, f"{field.label} is required.")
            complete[field.name] = None
            continue
        problem = _type_problem(field, value)
        if problem:
            raise InvalidInput(connection, field.name, f"{field.label}: {problem}")
        if field.kind.has_choices:
            choices = choices_for(field, lookups)
            known = {choice.id for choice in choices}
            for choice_id in _picked_ids(value):
                if choice_id not in known:
                    raise UnknownChoice(connection, field, choice_id, choices)
        complete[field.name] = value
    return complete


def _picked_ids(value: ActionValue) -> tuple[str, ...]:
    """The choice ids in a choice or multichoice value."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, tuple):
        return value
    return ()


def _type_problem(field: ActionField, value: ActionValue) -> str:
    """Why ``value`` cannot be ``field``'s (``""`` when it can)."""
    kind = field.kind
    if kind is FieldKind.BOOL:
        return "" if isinstance(value, bool) else "expected yes or no"
    if isinstance(value, bool):
        return f"expected a {kind.value} value, not yes or no"
    if kind is FieldKind.NUMBER:
        ok = isinstance(value, int | float) and math.isfinite(value)
        return "" if ok else "expected a number"
    if kind is FieldKind.DURATION:
        if not isinstance(value, int) or value < 0:
            return "expected a whole number of seconds, not negative"
        return "" if value <= MAX_DURATION else f"at most {MAX_DURATION // 3600} hours"
    if kind is FieldKind.MULTICHOICE:
        ok = isinstance(value, tuple) and all(isinstance(item, str) for item in value)
        return "" if ok else "expected a list of choice ids"
    if not isinstance(value, str):
        return "expected text"
    if kind is FieldKind.DATE:
        try:
            parse_date(value)
        except ValueError as exc:
            return str(exc)
    if kind is FieldKind.TEXT and "\n" in value:
        return "expected one line"
    return ""


def show_value(field: ActionField, value: ActionValue, lookups: Lookups) -> str:
    """A value as a person reads it: choice labels, ``1h30m``, ``yes``; ``-`` for none."""
    if value is None or value == ():
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if field.kind is FieldKind.DURATION and isinstance(value, int):
        return format_duration(value)
    if field.kind.has_choices:
        labels = {choice.id: choice.label for choice in choices_for(field, lookups)}
        return ", ".join(labels.get(choice_id, choice_id) for choice_id in _picked_ids(value))
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)
