"""ConnectWise PSA's connection: settings, the site and codebase, authentication and the
JSON requests every operation is built on, with the site's setup tables.

Wire rules (``adapters/connectwise/README.md`` lists the sources):

* the API lives at ``https://<site>/<codebase>apis/3.0/``; the codebase comes from
  ``GET /login/companyinfo/<company>`` unless the connection pins one, and is looked up
  once more when the API answers a 404 that is not one of its own JSON errors (a moved
  codebase answers the web server's HTML page);
* cloud sites are reached on their ``api-`` host (``na.myconnectwise.net`` →
  ``api-na.myconnectwise.net``): the plain host answers "SSL is required" to API calls;
* every request carries ``Authorization: Basic base64(company+public_key:private_key)``, the
  integration's ``clientId`` and an ``Accept`` header pinning the model version, so that a
  site upgrade cannot change the shapes under us;
* errors are ``{"code", "message", "errors": [{"field", "message"}]}``; a 429 carries
  ``Retry-After`` and a body with ``error`` instead of ``code``.

**Rate limit.** ConnectWise publishes no fixed quota and says that over 1 000 requests a
minute will likely be throttled; the client keeps to 8 requests/s, bursts of 8, 4 in flight
(``rate_limit`` overrides).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Self
from urllib.parse import quote, urlsplit, urlunsplit

import httpx
from pydantic import Field, SecretStr, field_validator

from adapters.base import Adapter, AuthFailed, ConnectionSettings, NotFound
from adapters.connectwise import wire
from adapters.errors import ProtocolError
from adapters.http import StatusHints
from adapters.lookups import LookupCache
from adapters.model import Lookups
from adapters.tasks import together

log = logging.getLogger("triage.connectwise")

DEFAULT_RATE = 8.0
DEFAULT_BURST = 8
DEFAULT_CONCURRENCY = 4
API_VERSION = "2025.1"
ACCEPT = f"application/vnd.connectwise.com+json; version={API_VERSION}"
API_ROOT = "apis/3.0"
PAGE_SIZE = 1000  # the API's hard limit
CLOUD_HOSTS = re.compile(
    r"^(na|eu|au|aus|za|staging)\.(myconnectwise\.net|connectwisedev\.com)$", re.I
)
_CODEBASE = re.compile(r"^[A-Za-z0-9_.-]+/$")


def _error_message(response: httpx.Response) -> str:
    """The message of a ConnectWise error body, with the fields it names."""
    try:
        payload = response.json()
    except ValueError:
        return ""
    if not isinstance(payload, dict):
        return ""
    message = payload.get("message")
    text = message if isinstance(message, str) else ""
    details = payload.get("errors")
    if isinstance(details, list):
        parts = []
        for item in details:
            if isinstance(item, dict) and isinstance(item.get("message"), str):
                where = item.get("field")
                parts.append(f"{where}: {item['message']}" if where else item["message"])
        unique = [p for p in dict.fromkeys(parts) if p != text]
        if unique:
            text = f"{text} ({'; '.join(unique)})" if text else "; ".join(unique)
    return text


_FIELD_NAMES = {
    "summary": "subject",
    "status": "status_id",
    "priority": "priority_id",
    "type": "type_id",
    "board": "group_id",
    "owner": "assignee_id",
    "team": "team",
    "company": "company",
    "text": "text",
    "customfields": "custom_fields",
    "mergeticketids": "source_ids",
}


def _field_of(message: str) -> str:
    """The normalised field a 400 names (``status/id: …`` → ``status_id``)."""
    match = re.search(r"\(([A-Za-z_]+)(?:/[A-Za-z]+)?:", message) or re.match(
        r"([A-Za-z_]+)(?:/[A-Za-z]+)?:", message
    )
    if match:
        return _FIELD_NAMES.get(match.group(1).lower(), match.group(1))
    return "request"


STATUS_HINTS = StatusHints(
    message=_error_message,
    field_of=_field_of,
    unauthorized="check company, public_key, private_key and client_id",
    forbidden="the API member's security role does not allow this",
    forbidden_hint="grant it under System > Security Roles",
    excerpt_chars=300,
)


def site_url(url: str) -> str:
    """The site's root URL; a cloud host is moved to its ``api-`` host."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    netloc = parts.netloc
    if CLOUD_HOSTS.match(host):
        netloc = netloc.replace(host, f"api-{host}", 1)
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme, netloc, path, "", ""))


class ConnectWiseSettings(ConnectionSettings):
    """A ConnectWise PSA connection.

    ``url`` is the site (``https://api-na.myconnectwise.net``); ``company`` the company id
    members log in with; ``public_key``/``private_key`` an API member's keys; ``client_id``
    the integration's id from developer.connectwise.com. ``codebase`` pins the codebase
    (``v4_6_release/``) instead of asking the site; ``conditions`` limits which tickets the
    list fetches (``closedFlag=False``). ``default_company`` is the company (identifier) a
    new ticket goes to when its requester is no known contact.
    """

    company: str
    public_key: str
    private_key: SecretStr
    client_id: str
    codebase: str | None = None
    conditions: str | None = None
    default_company: str = "Catchall"
    member_id: int | None = Field(default=None, gt=0, description="member notes are posted as")

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.strip().lower().startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// address (the site)")
        return value.strip()

    @field_validator("company", "public_key", "client_id")
    @classmethod
    def _filled(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value.strip()

    @field_validator("private_key")
    @classmethod
    def _secret_filled(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().strip():
            raise ValueError("must not be empty")
        return value

    @field_validator("codebase")
    @classmethod
    def _codebase(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        text = value.strip().strip("/") + "/"
        if not _CODEBASE.match(text):
            raise ValueError("a codebase looks like v4_6_release/ or v2025_1/")
        return text

    @field_validator("conditions")
    @classmethod
    def _conditions(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None


class ConnectWiseClient(Adapter):
    """Authenticated JSON requests and the setup tables of one PSA site; the operations
    are :class:`adapters.connectwise.adapter.ConnectWiseAdapter`'s."""

    settings_class: ClassVar[type[ConnectionSettings]] = ConnectWiseSettings
    settings: ConnectWiseSettings
    default_rate: ClassVar[float] = DEFAULT_RATE
    default_burst: ClassVar[int] = DEFAULT_BURST

    def __init__(
        self, settings: ConnectionSettings, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        super().__init__(settings, transport=transport)
        assert isinstance(settings, ConnectWiseSettings)  # checked by Adapter.__init__
        self.settings = settings
        self.site = site_url(settings.url)
        user = f"{settings.company}+{settings.public_key}"
        self.http = self.build_http(
            self.site,
            headers={"clientId": settings.client_id, "Accept": ACCEPT},
            auth=httpx.BasicAuth(user, settings.private_key.get_secret_value()),
        )
        self.codebase: str | None = settings.codebase
        self._codebase_lock = asyncio.Lock()
        self.catalog = LookupCache(self._load_catalog)

    async def __aenter__(self) -> Self:
        return self

    # ----------------------------------------------------------------------------------
    # The codebase
    # ----------------------------------------------------------------------------------

    async def company_info(self) -> dict[str, Any]:
        """``GET /login/companyinfo/<company>`` (no authentication needed)."""
        path = f"login/companyinfo/{quote(self.settings.company, safe='')}"
        response = await self.http.request("GET", path)
        self.http.raise_for_status(response, f"GET /{path}", STATUS_HINTS)
        try:
            payload = response.json()
        except ValueError:
            raise ProtocolError(self.name, "companyinfo", "not JSON") from None
        if payload is None:
            raise AuthFailed(
                self.name,
                f"the site does not know company {self.settings.company!r}: "
                "check company (the id members log in with) and url",
            )
        info = wire.record_of(payload, what="companyinfo", connection=self.name)
        codebase = info.get("Codebase")
        if not isinstance(codebase, str) or not _CODEBASE.match(codebase):
            raise ProtocolError(self.name, "companyinfo", f"no codebase ({codebase!r})")
        return info

    async def _codebase(self, *, refresh: bool = False, stale: str | None = None) -> str:
        async with self._codebase_lock:
            if self.codebase is None or (refresh and self.codebase == stale):
                info = await self.company_info()
                self.codebase = str(info["Codebase"])
                log.info("%s: codebase %s", self.name, self.codebase)
            return self.codebase

    # ----------------------------------------------------------------------------------
    # Requests
    # ----------------------------------------------------------------------------------

    async def send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        json: Any = None,
        idempotent: bool | None = None,
    ) -> httpx.Response:
        """One API request (``path`` under ``apis/3.0/``), errors raised as typed ones."""
        codebase = await self._codebase()
        where = f"{method} /{path}"
        response = await self._send_once(method, codebase, path, params, json, idempotent)
        if response.status_code == 404 and not _is_api_error(response):
            # The web server's 404, not the API's: the codebase moved (or was mistyped).
            fresh = await self._codebase(refresh=True, stale=codebase)
            if fresh != codebase:
                response = await self._send_once(method, fresh, path, params, json, idempotent)
        self.http.raise_for_status(response, where, STATUS_HINTS)
        return response

    async def _send_once(
        self,
        method: str,
        codebase: str,
        path: str,
        params: Mapping[str, str | int] | None,
        json: Any,
        idempotent: bool | None,
    ) -> httpx.Response:
        return await self.http.request(
            method,
            f"{codebase}{API_ROOT}/{path}",
            params=dict(params) if params else None,
            json=json,
            idempotent=idempotent,
        )

    async def get_json(self, path: str, params: Mapping[str, str | int] | None = None) -> Any:
        response = await self.send("GET", path, params=params)
        return self.decode(response, f"answer to GET /{path}")

    def decode(self, response: httpx.Response, what: str) -> Any:
        try:
            return response.json()
        except ValueError:
            raise ProtocolError(self.name, what, "not JSON") from None

    async def page(
        self, path: str, params: Mapping[str, str | int], page: int, size: int
    ) -> tuple[list[wire.mapping.Json], bool]:
        """One page of a list and whether the ``Link`` header names a next one."""
        response = await self.send("GET", path, params={**params, "page": page, "pageSize": size})
        items = wire.items_of(
            self.decode(response, f"answer to GET /{path}"),
            what=f"answer to GET /{path}",
            connection=self.name,
        )
        return items, 'rel="next"' in response.headers.get("link", "")

    async def every(
        self, path: str, params: Mapping[str, str | int] | None = None, *, limit: int | None = None
    ) -> list[wire.mapping.Json]:
        """Every item of a list, page by page (at most ``limit``)."""
        items: list[wire.mapping.Json] = []
        number = 1
        size = PAGE_SIZE if limit is None else max(1, min(PAGE_SIZE, limit))
        while True:
            chunk, more = await self.page(path, params or {}, number, size)
            items.extend(chunk)
            if limit is not None and len(items) >= limit:
                return items[:limit]
            if not more or len(chunk) < size:
                return items
            number += 1

    # ----------------------------------------------------------------------------------
    # Health and the setup tables
    # ----------------------------------------------------------------------------------

    async def probe(self) -> str:
        """``GET /system/info``: small, authenticated, and names the PSA version."""
        info = wire.record_of(
            await self.get_json("system/info"), what="system info", connection=self.name
        )
        version = info.get("version")
        return f"PSA {version}" if isinstance(version, str) else "connected"

    async def _load_catalog(self) -> wire.Catalog:
        async with together() as group:
            boards_task = group.create_task(self.every("service/boards"))
            priorities = group.create_task(self.every("service/priorities"))
            members = group.create_task(
                self.every("system/members", {"conditions": "inactiveFlag=False"})
            )
        boards = boards_task.result()
        statuses: list[wire.mapping.Json] = []
        teams: list[wire.mapping.Json] = []
        types: list[wire.mapping.Json] = []
        async with together() as group:
            tasks = [
                (
                    board,
                    group.create_task(self.every(f"service/boards/{board['id']}/statuses")),
                    group.create_task(self.every(f"service/boards/{board['id']}/teams")),
                    group.create_task(self.every(f"service/boards/{board['id']}/types")),
                )
                for board in boards
                if isinstance(board.get("id"), int)
            ]
        for board, status_task, team_task, type_task in tasks:
            reference = {"id": board["id"], "name": board.get("name", "")}
            for status in status_task.result():
                status.setdefault("board", reference)
                statuses.append(status)
            for team in team_task.result():
                team.setdefault("boardId", board["id"])
                teams.append(team)
            for kind in type_task.result():
                kind.setdefault("board", reference)
                types.append(kind)
        return wire.Catalog(
            boards=boards,
            statuses=statuses,
            teams=teams,
            types=types,
            priorities=priorities.result(),
            members=members.result(),
            status_map=self.settings.status_map,
        )

    async def lookups(self) -> Lookups:
        return (await self.catalog.get(refresh=True)).lookups()

    def describe(self) -> dict[str, Any]:
        facts = super().describe()
        facts.update({"company": self.settings.company, "codebase": self.codebase or "(looked up)"})
        return facts


def _is_api_error(response: httpx.Response) -> bool:
    """Whether a response is the API's own JSON error (not the web server's page)."""
    try:
        payload = response.json()
    except ValueError:
        return False
    return isinstance(payload, dict) and "code" in payload


def require_ids(values: Sequence[str], field: str, connection: str) -> list[int]:
    """Native ids as integers; anything else is :class:`InvalidInput`."""
    from adapters.base import InvalidInput

    ids: list[int] = []
    for value in values:
        text = str(value).strip()
        if not text.isdigit():
            raise InvalidInput(connection, field, f"{value!r} is not a ConnectWise id")
        ids.append(int(text))
    return list(dict.fromkeys(ids))


__all__ = [
    "ACCEPT",
    "API_VERSION",
    "STATUS_HINTS",
    "ConnectWiseClient",
    "ConnectWiseSettings",
    "NotFound",
    "require_ids",
    "site_url",
    "together",
]
