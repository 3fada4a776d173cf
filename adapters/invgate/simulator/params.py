"""How the InvGate server reads parameters, and how an old instance writes scalars.

PHP merges the query string and a form body into one set of parameters, and reads
``name[]=1&name[]=2`` and ``name[0]=1&name[1]=2`` alike as an array; the API also accepts
a JSON body. Booleans arrive as ``1``/``0`` or ``true``/``false``. Validation failures are
:class:`ApiError` with the HTTP code and the ``{"status": "ERROR", "error": …}`` body.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from adapters.simulation import SimRequest

_ARRAY = re.compile(r"^(?P<name>[^\[\]]+)\[(?P<index>[^\]]*)\]$")
_TRUE = frozenset({"1", "true", "on", "yes"})
_FALSE = frozenset({"0", "false", "off", "no", ""})


class ApiError(Exception):
    """An answer other than success: ``status`` HTTP code, ``message`` for ``error``."""

    def __init__(self, status: int, message: str, *, key: str = "error") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.key = key

    def body(self) -> dict[str, Any]:
        return {"status": "ERROR", self.key: self.message}


@dataclass
class Params:
    """The request's parameters by name: a string, or a list for PHP arrays."""

    values: dict[str, str | list[str]] = field(default_factory=dict)

    @classmethod
    def read(cls, request: SimRequest) -> Params:
        pairs: list[tuple[str, str]] = list(request.query)
        if request.method in ("POST", "PUT", "PATCH", "DELETE"):
            if request.content_type == "application/json" and request.body.strip():
                try:
                    document = request.json()
                except ValueError:
                    raise ApiError(400, "Malformed JSON body") from None
                if not isinstance(document, dict):
                    raise ApiError(400, "Malformed JSON body")
                pairs.extend(_flatten(document))
            else:
                pairs.extend(request.form())
        values: dict[str, str | list[str]] = {}
        for name, value in pairs:
            match = _ARRAY.match(name)
            if match is None:
                values[name] = value
                continue
            existing = values.get(match.group("name"))
            items = existing if isinstance(existing, list) else []
            items.append(value)
            values[match.group("name")] = items
        return cls(values)

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        if isinstance(value, list):
            return value[0] if value else None
        return value

    def has(self, name: str) -> bool:
        return name in self.values

    def integer(self, name: str, *, required: bool = False) -> int | None:
        value = self.text(name)
        if value is None or value == "":
            if required:
                raise ApiError(400, f"The parameter {name} is required")
            return None
        try:
            return int(value)
        except ValueError:
            raise ApiError(400, f"The parameter {name} must be an integer") from None

    def required_int(self, name: str) -> int:
        value = self.integer(name, required=True)
        assert value is not None
        return value

    def required_text(self, name: str) -> str:
        value = self.text(name)
        if value is None or not value.strip():
            raise ApiError(400, f"The parameter {name} is required")
        return value

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self.text(name)
        if value is None:
            return default
        folded = value.strip().lower()
        if folded in _TRUE:
            return True
        if folded in _FALSE:
            return False
        raise ApiError(400, f"The parameter {name} must be a boolean")

    def array(self, name: str) -> list[str]:
        value = self.values.get(name)
        if value is None:
            return []
        return value if isinstance(value, list) else [value]

    def int_array(self, name: str, single: str | None = None) -> list[int]:
        """``name[]`` (or the scalar ``single`` as a one-item list) as integers."""
        raw = self.array(name)
        if not raw and single is not None and self.text(single) not in (None, ""):
            raw = [self.text(single) or ""]
        try:
            return [int(item) for item in raw if item != ""]
        except ValueError:
            raise ApiError(400, f"The parameter {name} must be an array of integers") from None


def _flatten(document: dict[str, Any]) -> Iterable[tuple[str, str]]:
    for name, value in document.items():
        if isinstance(value, list):
            for item in value:
                yield f"{name}[]", _scalar(item)
        elif isinstance(value, dict):
            for key, item in value.items():
                yield f"{name}[{key}]", _scalar(item)
        else:
            yield name, _scalar(value)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return "" if value is None else str(value)


def stringify(value: Any) -> Any:
    """Every scalar as an old instance wrote it: a string (booleans ``"1"``/``"0"``)."""
    if isinstance(value, dict):
        return {key: stringify(item) for key, item in value.items()}
    if isinstance(value, list):
        return [stringify(item) for item in value]
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return str(value)
    return value
