"""Kapture's connection: settings, the four action URLs, per-operation keys, and the one
request every operation is built on.

Wire rules (``adapters/kapture/README.md`` lists the sources): every call is ``POST
<url>/<action>.html/v.2.0`` with a JSON body and ``Authorization: Basic <key>``, the key used
exactly as Kapture issued it (it looks like base64 but is never built from a user and a
password). Each API can be configured in Kapture with its own key, so the connection may
name one per operation (``keys``), falling back to ``api_key``. A failure is a body
``{"message": …, "status": "failed"}`` (the older Pull page: ``Message``/``Status``)
whatever the HTTP status, so the body decides before the status does.

**Rate limit.** Kapture publishes none; the client stays modest: 5 requests/s, bursts of 5,
4 in flight (``rate_limit`` overrides); the list walks at most 3 day windows at once.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any, ClassVar, Literal, Self

import httpx
from pydantic import Field, SecretStr, field_validator

from adapters.base import (
    Adapter,
    AuthFailed,
    ConnectionSettings,
    DeskError,
    DeskUnavailable,
    InvalidInput,
    NotFound,
    ProtocolError,
)
from adapters.http import StatusHints, error_excerpt
from adapters.kapture import wire
from adapters.text import clean_line

log = logging.getLogger("triage.kapture")

Operation = Literal["add", "update", "get", "pull"]
ACTIONS: dict[str, str] = {
    "add": "add-ticket-from-other-source",
    "update": "update-ticket-from-other-source",
    "get": "search-ticket-by-ticket-id",
    "pull": "select-ticket-between-start-and-end-dates",
}
VERSION = "v.2.0"
DEFAULT_RATE = 5.0
DEFAULT_BURST = 5
DEFAULT_CONCURRENCY = 4
_STATUS_HINTS = StatusHints(
    unauthorized="check api_key (or keys) in the connection",
    forbidden="the key may not use this API",
    forbidden_hint="assign the key to the API under Configuration > API Configuration",
)
# Documented failure messages (folded) -> (error kind, the field it is about).
_FAILURES: tuple[tuple[str, str, str], ...] = (
    ("invalid auth key", "auth", ""),
    ("no data found", "not_found", "ticket_id"),
    ("title is missing", "input", "subject"),
    ("callback_date", "input", "callback_time"),
    ("ticket_ids are missing", "input", "ticket_id"),
    ("start_date", "input", "start_date"),
    ("end_date", "input", "end_date"),
    ("24 hours", "input", "window"),
    ("sub_status", "input", "status_id"),
    ("invalid json", "input", "request"),
)


def _resolve_reference(value: object, field: str) -> object:
    """A secret reference (``{ env = … }``, ``{ command = … }``, ``{ keyring = … }``) in
    ``keys``, resolved as the config loader resolves ``api_key`` (it does not look inside
    tables)."""
    from tui.secrets import SecretError, is_reference, resolve_secret

    if not is_reference(value):
        return value
    try:
        return resolve_secret(value, field=field)
    except SecretError as exc:
        raise ValueError(exc.message) from None


class KaptureSettings(ConnectionSettings):
    """A Kapture CRM connection.

    ``url`` is the tenant's address (``https://acme.kapturecrm.com``); ``api_key`` the key
    of the ticket APIs, ``keys`` one per API where Kapture was configured so. ``days`` is
    how far back the list pulls (one request per day, the API's limit). ``timezone`` is
    the tenant's clock, which every date on the wire is written in. ``statuses``,
    ``queues`` and ``dispositions`` name the tenant's keys (Kapture has no API to read
    them); ``close_status`` is the sub-status key closing sets.
    """

    api_key: SecretStr
    keys: dict[Operation, SecretStr] = Field(default_factory=dict)
    days: int = Field(default=7, ge=1, le=366)
    timezone: str = "+05:30"
    statuses: dict[str, str] = Field(default_factory=dict)
    queues: dict[str, str] = Field(default_factory=dict)
    dispositions: list[str] | dict[str, str] = Field(default_factory=list)
    close_status: str = "CL"

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        text = value.strip()
        if not text.lower().startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// address")
        return text.split("#", 1)[0].split("?", 1)[0].rstrip("/")

    @field_validator("api_key")
    @classmethod
    def _not_empty(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().strip():
            raise ValueError("must not be empty")
        return value

    @field_validator("keys", mode="before")
    @classmethod
    def _references(cls, value: object) -> object:
        if not isinstance(value, Mapping):
            return value
        return {name: _resolve_reference(item, f"keys.{name}") for name, item in value.items()}

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        wire.dates.tenant_zone(value)
        return value.strip()

    @field_validator("close_status")
    @classmethod
    def _close_key(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must name a sub-status key")
        return value.strip()

    def key_for(self, operation: Operation) -> str:
        """The key of ``operation``'s API: its own, else ``api_key``."""
        own = self.keys.get(operation)
        return (own or self.api_key).get_secret_value().strip()

    def secrets(self) -> list[str]:
        values = super().secrets()
        values += [key.get_secret_value() for key in self.keys.values()]
        return [value for value in values if value]

    def disposition_paths(self) -> list[str]:
        if isinstance(self.dispositions, dict):
            return list(self.dispositions)
        return list(self.dispositions)


class KaptureClient(Adapter):
    """The requests of one Kapture tenant; the operations are
    :class:`adapters.kapture.adapter.KaptureAdapter`'s."""

    settings_class: ClassVar[type[ConnectionSettings]] = KaptureSettings
    settings: KaptureSettings
    default_rate: ClassVar[float] = DEFAULT_RATE
    default_burst: ClassVar[int] = DEFAULT_BURST

    def __init__(
        self, settings: ConnectionSettings, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        super().__init__(settings, transport=transport)
        assert isinstance(settings, KaptureSettings)  # checked by Adapter.__init__
        self.settings = settings
        self.zone = wire.dates.tenant_zone(settings.timezone)
        self.http = self.build_http(settings.url, headers={"Accept": "application/json"})
        self.labels = wire.Labels(
            statuses=settings.statuses,
            queues=settings.queues,
            dispositions=settings.disposition_paths(),
            status_map=settings.status_map,
        )
        if isinstance(settings.dispositions, dict):
            for path, label in settings.dispositions.items():
                self.labels.dispositions[path.strip()] = label.strip() or path.strip()

    async def __aenter__(self) -> Self:
        return self

    @staticmethod
    def path_of(operation: Operation) -> str:
        return f"/{ACTIONS[operation]}.html/{VERSION}"

    async def call(self, operation: Operation, body: object) -> Any:
        """POST ``body`` to ``operation``'s action and return the decoded answer.

        Get and Pull are reads (retried on 502/503/504 and dropped connections); Add and
        Update are not repeated once they may have reached the desk.

        Raises:
            AuthFailed, NotFound, InvalidInput: a failure body, by its message (or the
                HTTP status when the message is not one Kapture documents).
            DeskUnavailable: the desk could not be reached or answered 5xx.
            ProtocolError: a 2xx answer that is not JSON.
        """
        path = self.path_of(operation)
        where = f"POST {path}"
        response = await self.http.request(
            "POST",
            path,
            json=body,
            headers={"Authorization": f"Basic {self.settings.key_for(operation)}"},
            idempotent=operation in ("get", "pull"),
        )
        try:
            data = json.loads(response.content) if response.content.strip() else None
        except (UnicodeDecodeError, ValueError):
            data = None
            if 200 <= response.status_code < 300:
                detail = error_excerpt(response, self.http.redact)
                raise ProtocolError(
                    self.name, f"answer to {where}", f"not JSON: {detail}"
                ) from None
        message = wire.failure_message(data)
        if message is not None:
            raise self._failure(operation, where, message, response.status_code)
        error = self.http.error_for(response, where, _STATUS_HINTS)
        if error is not None:
            raise error
        if data is None:
            raise ProtocolError(self.name, f"answer to {where}", "empty")
        return data

    def _failure(self, operation: Operation, where: str, message: str, status: int) -> DeskError:
        shown = self.http.redact(clean_line(message))[:300]
        folded = shown.casefold()
        for marker, kind, field in _FAILURES:
            if marker not in folded:
                continue
            if kind == "auth":
                own = "keys." + operation if operation in self.settings.keys else "api_key"
                return AuthFailed(self.name, f"{shown} ({where}): check {own}")
            if kind == "not_found":
                return NotFound(self.name, f"{shown} ({where})")
            return InvalidInput(self.name, field, shown)
        if status in (401, 403):
            return AuthFailed(self.name, f"{shown} ({where})")
        if status == 404:
            return NotFound(self.name, f"{shown} ({where})")
        if status >= 500:
            return DeskUnavailable(self.name, f"HTTP {status} {shown} ({where})")
        return InvalidInput(self.name, "request", f"{shown} ({where})")
