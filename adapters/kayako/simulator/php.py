"""PHP semantics the Kayako server's behaviour depends on.

SWIFT is PHP, and much of what a client meets is PHP's doing rather than Kayako's: which
values count as empty (``"0"`` does), how ``(int)`` reads ``"12abc"``, how ``a[]=1&b[x]=2``
becomes nested ``$_POST`` arrays, how lenient ``base64_decode`` is, what a notice looks
like when ``display_errors`` is on. The controllers call these instead of Python's own
idea of each, so edge cases answer as a real install does.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Mapping

PHP_ROOT = "/var/www/helpdesk"
"""Where the simulated install lives, as notices and fatal errors name its files."""

PhpValue = str | dict[str, "PhpValue"]
Bucket = dict[str, int]
_NUMERIC = re.compile(r"[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_INT_KEY = re.compile(r"-?[1-9]\d*|0")
_FORM_KEY = re.compile(r"([^\[]+)((?:\[[^\]]*\])*)")


def php_empty(value: object) -> bool:
    """PHP's empty(): null, "", "0" and empty arrays are empty."""
    if value is None:
        return True
    if isinstance(value, str):
        return value in ("", "0")
    if isinstance(value, dict):
        return not value
    return not value


def php_is_numeric(value: object) -> bool:
    return isinstance(value, str) and _NUMERIC.fullmatch(value) is not None


def php_intval(value: object) -> int:
    """PHP's (int) cast of a string: the leading integer part, else 0."""
    if isinstance(value, int):
        return value
    if not isinstance(value, str):
        return 0
    match = re.match(r"[ \t\n\r\v\f]*([+-]?\d+)", value)
    return int(match.group(1)) if match else 0


def php_key(value: object) -> int | None:
    """The integer an array lookup ``$cache[$value]`` would use, or None for keys that
    cannot match an integer-keyed cache ("05", " 5", arrays...)."""
    if isinstance(value, str) and _INT_KEY.fullmatch(value):
        return int(value)
    return None


def php_trim(value: str) -> str:
    return value.strip(" \t\n\r\0\x0b")


def php_blank(form: Mapping[str, PhpValue], key: str) -> bool:
    """``!isset($_POST[k]) || empty($_POST[k]) || trim($_POST[k]) == ''``."""
    value = form.get(key)
    return not isinstance(value, str) or php_empty(value) or php_trim(value) == ""


def php_form(pairs: Iterable[tuple[str, str]]) -> dict[str, PhpValue]:
    """Decode form/query pairs into PHP's nested ``$_POST`` arrays (``a[]=1&b[x][y]=2``)."""
    result: dict[str, PhpValue] = {}
    for raw_key, value in pairs:
        match = _FORM_KEY.fullmatch(raw_key)
        if match is None:
            if not raw_key or raw_key.startswith("["):
                continue
            base, subkeys = raw_key, []
        else:
            base, subkeys = match.group(1), re.findall(r"\[([^\]]*)\]", match.group(2))
        base = base.replace(" ", "_").replace(".", "_")
        node: dict[str, PhpValue] = result
        key = base
        for sub in subkeys:
            container = node.get(key)
            if not isinstance(container, dict):
                container = {}
                node[key] = container
            if sub == "":
                numeric = [int(k) for k in container if _INT_KEY.fullmatch(k)]
                sub = str(max(numeric) + 1 if numeric else 0)
            node, key = container, sub
        node[key] = value
    return result


def php_b64decode(value: str) -> bytes:
    """PHP's lenient base64_decode: characters outside the alphabet are ignored."""
    cleaned = re.sub(r"[^A-Za-z0-9+/]", "", value)
    cleaned += "=" * (-len(cleaned) % 4)
    try:
        return base64.b64decode(cleaned)
    except (binascii.Error, ValueError):
        return b""


def php_notice(message: str, path: str, line: int) -> str:
    """A notice as PHP prints it with ``display_errors`` on and HTML errors."""
    return (
        f"<br />\n<b>Notice</b>:  {message} in <b>{PHP_ROOT}/{path}</b> on line "
        f"<b>{line}</b><br />\n"
    )
