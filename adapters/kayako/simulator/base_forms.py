"""How the Base controllers' Post, Put and Delete read forms and fail, shared.

They test required fields as ``isset($_POST[k]) && trim($_POST[k]) != '' && !empty(...)``
and answer ``One of the required fields is empty``; they load the record a Put or Delete
names through the model's constructor and answer ``<Record> Load Failed: <exception>``
(400) when it throws; an exception nobody catches (a model refusing data the controller
let through) ends the script with PHP's fatal error. Records are looked up as MySQL
compares ``WHERE id = '<arg>'``: by the argument's leading integer.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import TypeVar

from adapters.kayako.simulator.core import HTML_TYPE, status
from adapters.kayako.simulator.php import (
    PHP_ROOT,
    PhpValue,
    php_blank,
    php_empty,
    php_intval,
    php_is_numeric,
    php_key,
)
from adapters.simulation import SimResponse

REQUIRED_EMPTY = "One of the required fields is empty"
CLASS_NOT_LOADED = "Class not loaded"  # SWIFT_CLASSNOTLOADED
INVALID_DATA = "Invalid data provided"  # SWIFT_INVALIDDATA

V = TypeVar("V")
_TAG = re.compile(r"<[^>]*>")
_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


def given(post: Mapping[str, PhpValue], key: str) -> bool:
    """The controllers' test of a required text field."""
    return not php_blank(post, key)


def filled(post: Mapping[str, PhpValue], key: str) -> str | None:
    """``isset($_POST[k]) && !empty($_POST[k])``: the value, else None."""
    value = post.get(key)
    return value if isinstance(value, str) and not php_empty(value) else None


def loosely_one(value: PhpValue | None) -> bool:
    """PHP 7's ``$value == '1'`` (numeric strings compare as numbers)."""
    return isinstance(value, str) and php_is_numeric(value) and float(value) == 1


def loosely_zero(value: PhpValue | None) -> bool:
    return isinstance(value, str) and php_is_numeric(value) and float(value) == 0


def int_of(value: PhpValue | None) -> int:
    """``(int)$value``: arrays are 1 when not empty, strings their leading integer."""
    if isinstance(value, dict):
        return 1 if value else 0
    return php_intval(value)


def by_row_id(records: Mapping[int, V], raw: str | PhpValue | None) -> V | None:
    """The record ``WHERE id = '<raw>'`` finds (MySQL casts the string), or None."""
    if not isinstance(raw, str):
        return None
    record_id = php_intval(raw)
    return records.get(record_id) if record_id else None


def in_cache(cache: Mapping[int, object], raw: PhpValue | None) -> bool:
    """``isset($_cache[$_POST[k]])``: integer-like keys only."""
    key = php_key(raw)
    return key is not None and key in cache


def remove_tags(text: str, *, decode: bool) -> str:
    """``trim([html_entity_decode](removeTags($text)))`` as the models store titles."""
    stripped = _TAG.sub("", text)
    return (html.unescape(stripped) if decode else stripped).strip()


def email_valid(value: str) -> bool:
    """IsEmailValid: one address, a dotted domain."""
    return _EMAIL.fullmatch(value.strip()) is not None


def load_failed(record: str, reason: str) -> SimResponse:
    return status(400, f"{record} Load Failed: {reason}")


def uncaught(exception: str, message: str, path: str, line: int) -> SimResponse:
    """PHP's fatal error for an exception no one caught (display_errors shows it)."""
    return SimResponse(
        500,
        f"<br />\n<b>Fatal error</b>:  Uncaught {exception}: {message} in "
        f"{PHP_ROOT}/{path}:{line}<br />\n",
        HTML_TYPE,
    )
