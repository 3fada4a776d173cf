"""The ``conditions`` query language of the PSA API: a parser and an evaluator.

Grammar (ConnectWise's Developer Guide, "PSA API Requests"), as the simulated server reads
it::

    expr       := term (OR term)*
    term       := factor (AND factor)*
    factor     := NOT factor | "(" expr ")" | comparison
    comparison := path op value | path [NOT] (contains | like) value
                | path [NOT] in "(" value ("," value)* ")"
    op         := = | != | <> | < | <= | > | >=
    value      := "string" | 'string' | number | True | False | null | [datetime]

Keywords are case-insensitive; a path is a field name or a ``/``-separated reference path
(``status/name``, ``_info/lastUpdated``). Strings take ``\\"``, ``\\'`` and ``\\\\`` as escapes;
``like`` takes ``*`` as a wildcard; string comparisons ignore case, as the SQL Server
collation behind the API does. A path the resource does not know is refused with 400
``ApiFindCondition`` "<path> is not a recognized name.", as is any syntax error (with what
was expected where).

A path through an array (``communicationItems/value`` on contacts, ``types/name`` on
companies: ``childConditions``) holds when any element matches.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from adapters.connectwise.sim_data.records import parse_stamp

Scalar = str | int | float | bool | None | datetime


class ConditionError(ValueError):
    """A condition the server refuses; ``str()`` is the message it answers."""


@dataclass(frozen=True)
class Comparison:
    path: str
    op: str  # = != < <= > >= contains like in
    value: Scalar | tuple[Scalar, ...]
    negated: bool = False


@dataclass(frozen=True)
class Not:
    inner: Node


@dataclass(frozen=True)
class BoolOp:
    op: str  # and / or
    parts: tuple[Node, ...]


Node = Comparison | Not | BoolOp

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
      | (?P<date>\[[^\]]*\])
      | (?P<op><=|>=|!=|<>|=|<|>)
      | (?P<punct>[(),])
      | (?P<number>-?\d+(?:\.\d+)?(?![\w/]))
      | (?P<word>[A-Za-z_][\w/.]*)
    )""",
    re.VERBOSE,
)
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    position: int


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise ConditionError(f"Unexpected character at position {position} in conditions.")
        kind = match.lastgroup or ""
        tokens.append(Token(kind, match.group(kind), match.start(kind)))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str, known: Callable[[str], bool]) -> None:
        self.tokens = tokenize(text)
        self.index = 0
        self.known = known

    def peek(self) -> Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise ConditionError("Unexpected end of conditions.")
        self.index += 1
        return token

    def keyword(self, *words: str) -> bool:
        token = self.peek()
        if token is not None and token.kind == "word" and token.text.lower() in words:
            self.index += 1
            return True
        return False

    def punct(self, char: str) -> bool:
        token = self.peek()
        if token is not None and token.kind == "punct" and token.text == char:
            self.index += 1
            return True
        return False

    def parse(self) -> Node:
        node = self.expr()
        token = self.peek()
        if token is not None:
            raise ConditionError(f"Unexpected '{token.text}' at position {token.position}.")
        return node

    def expr(self) -> Node:
        parts = [self.term()]
        while self.keyword("or"):
            parts.append(self.term())
        return parts[0] if len(parts) == 1 else BoolOp("or", tuple(parts))

    def term(self) -> Node:
        parts = [self.factor()]
        while self.keyword("and"):
            parts.append(self.factor())
        return parts[0] if len(parts) == 1 else BoolOp("and", tuple(parts))

    def factor(self) -> Node:
        if self.keyword("not"):
            return Not(self.factor())
        if self.punct("("):
            node = self.expr()
            if not self.punct(")"):
                raise ConditionError("Expected ')' in conditions.")
            return node
        return self.comparison()

    def comparison(self) -> Comparison:
        token = self.take()
        if token.kind != "word" or token.text.lower() in ("and", "or", "not", "in"):
            raise ConditionError(f"Expected a field name at position {token.position}.")
        path = token.text
        if not self.known(path):
            raise ConditionError(f"{path} is not a recognized name.")
        negated = self.keyword("not")
        if self.keyword("contains"):
            return Comparison(path, "contains", self.value(), negated)
        if self.keyword("like"):
            return Comparison(path, "like", self.value(), negated)
        if self.keyword("in"):
            if not self.punct("("):
                raise ConditionError("Expected '(' after in.")
            values = [self.value()]
            while self.punct(","):
                values.append(self.value())
            if not self.punct(")"):
                raise ConditionError("Expected ')' to close the in list.")
            return Comparison(path, "in", tuple(values), negated)
        if negated:
            raise ConditionError(f"Expected contains, like or in after not ({path}).")
        op = self.take()
        if op.kind != "op":
            raise ConditionError(f"Expected an operator after {path} at position {op.position}.")
        return Comparison(path, "!=" if op.text == "<>" else op.text, self.value())

    def value(self) -> Scalar:
        token = self.take()
        if token.kind == "string":
            return _ESCAPE.sub(r"\1", token.text[1:-1])
        if token.kind == "number":
            return float(token.text) if "." in token.text else int(token.text)
        if token.kind == "date":
            moment = parse_stamp(token.text[1:-1])
            if moment is None:
                raise ConditionError(f"{token.text} is not a valid date.")
            return moment
        if token.kind == "word":
            word = token.text.lower()
            if word in ("true", "false"):
                return word == "true"
            if word == "null":
                return None
        raise ConditionError(f"Expected a value at position {token.position}.")


def parse(text: str, known: Callable[[str], bool] | Collection[str]) -> Node:
    """The tree of a conditions string, checking paths with ``known``."""
    if not callable(known):
        names = {name.lower() for name in known}

        def check(path: str) -> bool:
            return path.lower() in names

        return _Parser(text, check).parse()
    return _Parser(text, known).parse()


# --------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------


def values_at(record: Any, path: str) -> list[Any]:
    """Every value ``path`` reaches in ``record`` (several through arrays, [] if absent).

    Field names match whatever their case, as the server's do."""
    current: list[Any] = [record]
    for part in path.split("/"):
        found: list[Any] = []
        for item in current:
            items = item if isinstance(item, list) else [item]
            for element in items:
                if isinstance(element, dict):
                    key = _key(element, part)
                    if key is not None:
                        found.append(element[key])
        current = found
    flat: list[Any] = []
    for value in current:
        flat.extend(value if isinstance(value, list) else [value])
    return flat


def _key(record: dict[str, Any], name: str) -> str | None:
    if name in record:
        return name
    folded = name.lower()
    return next((key for key in record if key.lower() == folded), None)


def _like(pattern: str, text: str) -> bool:
    regex = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(regex, text, re.IGNORECASE | re.DOTALL) is not None


def _coerce(actual: Any, wanted: Scalar) -> tuple[Any, Any] | None:
    """Both sides in one comparable type, or None when they cannot be compared."""
    if isinstance(wanted, datetime):
        moment = parse_stamp(actual) if isinstance(actual, str) else None
        return (moment, wanted) if moment is not None else None
    if isinstance(wanted, bool) or isinstance(actual, bool):
        return (actual, wanted) if isinstance(actual, bool) and isinstance(wanted, bool) else None
    if isinstance(wanted, int | float) and isinstance(actual, int | float):
        return actual, wanted
    if isinstance(wanted, str | int | float) and isinstance(actual, str | int | float):
        return str(actual).casefold(), str(wanted).casefold()
    return None


def _compare(actual: Any, op: str, wanted: Scalar) -> bool:
    if wanted is None:
        return (actual is None) if op == "=" else (actual is not None) if op == "!=" else False
    if op in ("contains", "like"):
        if not isinstance(actual, str | int | float) or isinstance(actual, bool):
            return False
        text, pattern = str(actual), str(wanted)
        if op == "contains":
            return pattern.casefold() in text.casefold()
        return _like(pattern, text)
    pair = _coerce(actual, wanted)
    if pair is None:
        return op == "!=" and actual is not None
    left, right = pair
    try:
        if op == "=":
            return bool(left == right)
        if op == "!=":
            return bool(left != right)
        if op == "<":
            return bool(left < right)
        if op == "<=":
            return bool(left <= right)
        if op == ">":
            return bool(left > right)
        if op == ">=":
            return bool(left >= right)
    except TypeError:
        return False
    raise ConditionError(f"Unknown operator {op}.")


def matches(node: Node, record: Any, alias: Callable[[str], str] = lambda p: p) -> bool:
    """Whether ``record`` satisfies ``node``; ``alias`` maps a path to where it is kept."""
    if isinstance(node, BoolOp):
        if node.op == "and":
            return all(matches(part, record, alias) for part in node.parts)
        return any(matches(part, record, alias) for part in node.parts)
    if isinstance(node, Not):
        return not matches(node.inner, record, alias)
    found = values_at(record, alias(node.path))
    if not found:
        found = [None]
    if node.op == "in":
        assert isinstance(node.value, tuple)
        hit = any(_compare(v, "=", w) for v in found for w in node.value)
    else:
        assert not isinstance(node.value, tuple)
        hit = any(_compare(v, node.op, node.value) for v in found)
    return not hit if node.negated else hit
