"""What a simulator sees and answers: one HTTP request, one HTTP response.

A simulator is a plain function ``handler(SimRequest) -> SimResponse`` (sync or async).
No web framework sits in between: the simulators must control every byte of their
responses (header spelling, content types, bodies that are not what the content type
says) to be faithful to the vendors they imitate, and must read requests the way each
vendor's server does (PHP's form parsing, blank values kept, JSON beside forms).
"""

from __future__ import annotations

import base64
import binascii
import email.parser
import email.policy
import json as jsonlib
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

FORM_URLENCODED = "application/x-www-form-urlencoded"
MULTIPART_FORM = "multipart/form-data"


@dataclass(frozen=True)
class SimRequest:
    """One HTTP request as a simulator sees it.

    ``path`` is relative to the mount point (``root_path`` holds the prefix); ``query``
    keeps every pair in order, blank values included; header names are lower-case.
    """

    method: str
    path: str
    query_string: str = ""
    query: tuple[tuple[str, str], ...] = ()
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    root_path: str = ""
    client: tuple[str, int] | None = None

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower-case ("" when absent)."""
        raw = self.headers.get("content-type", "")
        return raw.split(";", 1)[0].strip().lower()

    def query_value(self, name: str) -> str | None:
        """The first value of query parameter ``name``."""
        for key, value in self.query:
            if key == name:
                return value
        return None

    def form(self) -> list[tuple[str, str]]:
        """Form fields of an urlencoded or multipart body, in order; [] for other bodies.

        Multipart file parts are returned with their content decoded as UTF-8 (with
        replacement): simulators only need the text fields and small test uploads.
        """
        ctype = self.content_type
        if ctype == FORM_URLENCODED:
            return self.urlencoded_body()
        if ctype == MULTIPART_FORM:
            return _parse_multipart(self.headers.get("content-type", ""), self.body)
        return []

    def urlencoded_body(self) -> list[tuple[str, str]]:
        """The body parsed as ``a=b&c=d`` whatever its content type says."""
        text = self.body.decode("utf-8", errors="replace")
        return parse_qsl(text, keep_blank_values=True)

    def json(self) -> Any:
        """The body decoded as JSON; raises ValueError when it is not JSON."""
        return jsonlib.loads(self.body.decode("utf-8"))

    def basic_auth(self) -> tuple[str, str] | None:
        """(user, password) from an ``Authorization: Basic`` header, else None."""
        raw = self.headers.get("authorization", "")
        scheme, _, token = raw.partition(" ")
        if scheme.lower() != "basic" or not token:
            return None
        try:
            decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        user, sep, password = decoded.partition(":")
        if not sep:
            return None
        return user, password

    def bearer_token(self) -> str | None:
        """The token of an ``Authorization: Bearer`` header, else None."""
        raw = self.headers.get("authorization", "")
        scheme, _, token = raw.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return token.strip()


@dataclass
class SimResponse:
    """What a simulator answers. ``content_type`` is sent verbatim (None: no header)."""

    status: int = 200
    body: bytes | str = b""
    content_type: str | None = "text/plain; charset=utf-8"
    headers: Sequence[tuple[str, str]] = ()

    def body_bytes(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body

    @classmethod
    def text(cls, status: int, body: str) -> SimResponse:
        return cls(status=status, body=body, content_type="text/plain; charset=utf-8")

    @classmethod
    def json(
        cls, payload: Any, status: int = 200, headers: Sequence[tuple[str, str]] = ()
    ) -> SimResponse:
        return cls(
            status=status,
            body=jsonlib.dumps(payload, ensure_ascii=False),
            content_type="application/json",
            headers=headers,
        )


Handler = Callable[[SimRequest], "SimResponse | Awaitable[SimResponse]"]


def _parse_multipart(content_type: str, body: bytes) -> list[tuple[str, str]]:
    # The stdlib email parser handles boundaries, quoting and transfer encodings, which is
    # all a form post needs; building the MIME preamble from the request header suffices.
    preamble = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(preamble + body)
    fields: list[tuple[str, str]] = []
    if not message.is_multipart():
        return fields
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        fields.append((name, data.decode("utf-8", errors="replace")))
    return fields
