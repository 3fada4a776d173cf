"""Building ``conditions`` strings whose meaning user text cannot change.

Every value goes in as a literal of its type: text always in double quotes with ``\\`` and
``"`` escaped by a backslash, integers bare, booleans ``True``/``False``, times in square
brackets (UTC, ``Z``). Field paths are never user text: they come from this code, and
:func:`field` refuses anything but ``name`` or ``name/sub`` words. A quote, ``AND``, a
parenthesis or a bracket in a value therefore stays inside its literal. The agent's own
``conditions`` (the connection's, or a seed command's "Search Condition") are the one
place raw syntax is accepted, and they are wrapped in parentheses before being joined, so
that an ``OR`` in them cannot loosen the filters joined to them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime

_FIELD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:/[A-Za-z_][A-Za-z0-9_]*)*$")
OPERATORS = frozenset({"=", "!=", "<", "<=", ">", ">=", "contains", "like", "not contains"})


def field(path: str) -> str:
    """A field path, checked: code names fields, never the user."""
    if not _FIELD.match(path):
        raise ValueError(f"{path!r} is not a field path")
    return path


def text(value: str) -> str:
    """A string literal: double quotes, ``\\`` and ``"`` escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def integer(value: int | str) -> str:
    """An integer literal; text that is not a whole number is refused."""
    number = int(value) if isinstance(value, int) else None
    if number is None:
        stripped = str(value).strip()
        if not re.fullmatch(r"-?\d+", stripped):
            raise ValueError(f"{value!r} is not a whole number")
        number = int(stripped)
    return str(number)


def boolean(value: bool) -> str:
    return "True" if value else "False"


def moment(value: datetime) -> str:
    """A time literal: ``[2024-05-01T08:00:00Z]`` (aware times only)."""
    if value.tzinfo is None:
        raise ValueError("a time in a condition needs a timezone")
    return "[" + value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") + "]"


Literal = str | int | bool | datetime


def literal(value: Literal) -> str:
    if isinstance(value, bool):
        return boolean(value)
    if isinstance(value, int):
        return integer(value)
    if isinstance(value, datetime):
        return moment(value)
    return text(value)


def compare(path: str, op: str, value: Literal) -> str:
    """``path op literal``."""
    if op not in OPERATORS:
        raise ValueError(f"unknown operator {op!r}")
    return f"{field(path)} {op} {literal(value)}"


def equals(path: str, value: Literal) -> str:
    return compare(path, "=", value)


def one_of(path: str, values: Iterable[Literal]) -> str:
    """``path in (a, b)`` (``path = a`` for one value); no values is an error."""
    items = [literal(v) for v in dict.fromkeys(values)]
    if not items:
        raise ValueError("one_of needs at least one value")
    if len(items) == 1:
        return f"{field(path)} = {items[0]}"
    return f"{field(path)} in ({', '.join(items)})"


def raw(condition: str) -> str:
    """The agent's own condition, parenthesised so that it joins as one term."""
    return f"({condition.strip()})"


def all_of(parts: Iterable[str | None]) -> str:
    """The parts joined with ``AND`` (each already a term); "" when there are none."""
    kept = [part for part in parts if part]
    if len(kept) > 1:
        kept = [part if _is_term(part) else f"({part})" for part in kept]
    return " AND ".join(kept)


def _is_term(part: str) -> bool:
    """Whether ``part`` is safe to join with AND as it is (no top-level OR)."""
    depth, quote, escaped = 0, "", False
    index = 0
    while index < len(part):
        char = part[index]
        if quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and part[index : index + 4].lower() == " or ":
            return False
        index += 1
    return True
