"""InvGate Service Management's connection: settings, the API's request shape and error
bodies, the per-minute limits, the acting user, and the lookups.

Wire rules (``adapters/invgate/README.md`` lists the sources): every endpoint is a dotted
name under ``<url>/api/v1/`` with HTTP Basic; GET and DELETE carry their parameters in
the query, POST and PUT in a form body; arrays are PHP's ``name[]=…`` repeated; GET
booleans are ``true``/``false``, form flags ``1``/``0``. An answer is JSON; a logical
failure is ``{"status": "ERROR", "error"|"info": …}`` whatever the HTTP code, and is
mapped to a typed error here, as is every non-2xx (its message read from ``error``, then
``info``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar, Literal, Self

import httpx
from pydantic import Field, SecretStr, field_validator

from adapters.base import Adapter, ConnectionSettings
from adapters.errors import InvalidInput, NotFound, ProtocolError
from adapters.http import StatusHints
from adapters.invgate.limits import OVERALL, EndpointLimits
from adapters.invgate.wire import values
from adapters.invgate.wire.catalog import Catalog, Named, User
from adapters.lookups import LookupCache
from adapters.model import Lookups

log = logging.getLogger("triage.invgate")

# 1 000 calls a minute overall: the kit's bucket paces at that average, in short bursts.
DEFAULT_RATE = OVERALL / 60
DEFAULT_BURST = 10
DEFAULT_CONCURRENCY = 4
Params = Mapping[str, Any]
_NOT_FOUND = re.compile(r"doesn'?t exist|does not exist|not found|no such|unknown", re.I)
_PARAMETER = re.compile(
    r"\b(?:parameter|the)\s+([a-z_]+_id|[a-z_]+_ids|id|ids|rating|comment|title|values|timestamp)\b",
    re.I,
)


def message_of(body: Any) -> str:
    """The error text of an answer: ``error``, then ``info`` (a non-2xx answer may have
    either, as a client library reads them)."""
    if isinstance(body, dict):
        for key in ("error", "info", "message"):
            text = body.get(key)
            if isinstance(text, str) and text.strip():
                return text.strip()
    return ""


def _response_message(response: httpx.Response) -> str:
    try:
        return message_of(json.loads(response.content))
    except ValueError:
        return ""


def field_of(message: str) -> str:
    """The parameter an error names (``The parameter id is required`` → ``id``)."""
    match = _PARAMETER.search(message)
    return match.group(1).lower() if match else "request"


_STATUS_HINTS = StatusHints(
    message=_response_message,
    field_of=field_of,
    unauthorized="check username and password (the API user's credentials)",
    forbidden="the API user may not call this endpoint",
    forbidden_hint="give the API user the permission (or the OAuth scope) for it",
)


class InvGateSettings(ConnectionSettings):
    """An InvGate Service Management connection.

    ``url`` is the instance (``https://acme.cloud.invgate.net``); the API is ``<url>/api/v1``.
    ``helpdesks`` limits the listing to those help desks (and their levels); empty: every
    one. ``acting_user_id`` is the author of writes; without it the API user is looked up
    once by ``username``. ``plan`` sets the per-endpoint limits the client keeps;
    ``view_id`` lists a saved view instead; ``close_as`` is how close() finishes a request.
    """

    username: str
    password: SecretStr
    helpdesks: list[int] = Field(default_factory=list)
    acting_user_id: int | None = Field(default=None, gt=0)
    plan: Literal["starter", "pro", "enterprise"] = "starter"
    view_id: int | None = Field(default=None, gt=0)
    close_as: Literal["solution", "cancel"] = "solution"

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.strip().lower().startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// address")
        return value.strip()

    @field_validator("username")
    @classmethod
    def _named(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value.strip()

    @field_validator("password")
    @classmethod
    def _not_empty(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value():
            raise ValueError("must not be empty")
        return value

    @field_validator("helpdesks")
    @classmethod
    def _positive(cls, value: list[int]) -> list[int]:
        if any(item <= 0 for item in value):
            raise ValueError("help desk ids are positive numbers")
        return value


def api_root(url: str) -> str:
    """``<url>/api/v1`` for an instance URL (one that already ends so is kept)."""
    base = url.strip().split("#", 1)[0].split("?", 1)[0].rstrip("/")
    if base.endswith("/api/v1"):
        return base
    if base.endswith("/api"):
        return base + "/v1"
    return base + "/api/v1"


def instance_root(url: str) -> str:
    """The instance's own root (``api_root`` without ``/api/v1``), which file URLs are
    relative to."""
    return api_root(url).removesuffix("/api/v1")


def encode(params: Params, *, form: bool) -> list[tuple[str, str]]:
    """Parameters as PHP reads them: lists as ``name[]`` repeated, booleans ``1``/``0``
    in forms and ``true``/``false`` in queries, ``None`` left out."""
    pairs: list[tuple[str, str]] = []
    for name, value in params.items():
        if value is None:
            continue
        if isinstance(value, list | tuple):
            pairs.extend((f"{name}[]", _scalar(item, form)) for item in value)
        else:
            pairs.append((name, _scalar(value, form)))
    return pairs


def _scalar(value: Any, form: bool) -> str:
    if isinstance(value, bool):
        if form:
            return "1" if value else "0"
        return "true" if value else "false"
    return str(value)


async def gather(*awaitables: Any) -> list[Any]:
    """Run concurrently; the first (typed) failure is raised as it is."""
    tasks = [asyncio.ensure_future(a) for a in awaitables]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        raise


class InvGateClient(Adapter):
    """Requests, lookups and the acting user of one instance; the operations are
    :class:`adapters.invgate.adapter.InvGateAdapter`'s."""

    settings_class: ClassVar[type[ConnectionSettings]] = InvGateSettings
    settings: InvGateSettings
    default_rate: ClassVar[float] = DEFAULT_RATE
    default_burst: ClassVar[int] = DEFAULT_BURST

    def __init__(
        self, settings: ConnectionSettings, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        super().__init__(settings, transport=transport)
        assert isinstance(settings, InvGateSettings)  # checked by Adapter.__init__
        self.settings = settings
        self.root = api_root(settings.url)
        auth = httpx.BasicAuth(settings.username, settings.password.get_secret_value())
        self.http = self.build_http(self.root, auth=auth)
        self.limits = EndpointLimits(settings.plan)
        self.catalog = LookupCache(self._load_catalog)
        self._author: str | None = (
            str(settings.acting_user_id) if settings.acting_user_id is not None else None
        )
        self._author_lock = asyncio.Lock()

    async def __aenter__(self) -> Self:
        return self

    # ----------------------------------------------------------------------------------
    # Requests
    # ----------------------------------------------------------------------------------

    async def call(
        self,
        method: str,
        endpoint: str,
        params: Params | None = None,
        *,
        field: str = "request",
        idempotent: bool | None = None,
    ) -> Any:
        """One API call; the decoded JSON answer, or a typed error.

        ``field`` names what a logical ``{"status": "ERROR"}`` refusal is about when it
        is not "not found" (which is :class:`NotFound`).
        """
        method = method.upper()
        where = f"{method} {endpoint}"
        await self.limits.acquire(endpoint, method)
        if method in ("GET", "DELETE"):
            response = await self.http.request(
                method, f"/{endpoint}", params=encode(params or {}, form=False),
                idempotent=idempotent,
            )  # fmt: skip
        else:
            response = await self.http.request(
                method, f"/{endpoint}", data=dict(_grouped(encode(params or {}, form=True))),
                idempotent=idempotent,
            )  # fmt: skip
        self.http.raise_for_status(response, where, _STATUS_HINTS)
        try:
            body = json.loads(response.content)
        except ValueError:
            raise ProtocolError(
                self.name, f"answer to {where}", "not JSON: " + self.http.redact(response.text[:80])
            ) from None
        if isinstance(body, dict) and str(body.get("status", "")).upper() == "ERROR":
            text = self.http.redact(message_of(body) or "the desk refused it")
            if _NOT_FOUND.search(text):
                raise NotFound(self.name, f"{text} ({where})")
            raise InvalidInput(self.name, field, text)
        return body

    def protocol(self, what: str, error: values.BadValue) -> ProtocolError:
        return ProtocolError(self.name, what, str(error))

    async def author(self) -> str:
        """The user writes are made as: ``acting_user_id``, or the API user, looked up
        once by username."""
        if self._author is not None:
            return self._author
        async with self._author_lock:
            if self._author is None:
                try:
                    row = await self.call("GET", "user.by", {"username": self.settings.username})
                    found = values.ident(row.get("id")) if isinstance(row, dict) else None
                except NotFound:
                    found = None
                if found is None:
                    raise InvalidInput(
                        self.name,
                        "acting_user_id",
                        f"writes need an author: set acting_user_id in connection "
                        f"{self.name!r} (the API user {self.settings.username!r} is not a "
                        "user the API can find)",
                    )
                self._author = found
        return self._author

    # ----------------------------------------------------------------------------------
    # Health and lookups
    # ----------------------------------------------------------------------------------

    async def probe(self) -> str:
        """``GET incident.attributes.status``: small, and authenticated like every call."""
        statuses = await self.call("GET", "incident.attributes.status")
        try:
            count = len(values.rows(statuses, "statuses"))
        except values.BadValue as error:
            raise self.protocol("answer to GET incident.attributes.status", error) from None
        return f"{count} request statuses"

    async def _named(self, endpoint: str, parent_key: str = "", **params: Any) -> list[Named]:
        answer = await self.call("GET", endpoint, params)
        try:
            return [Named.read(row, parent_key) for row in values.rows(answer, endpoint)]
        except values.BadValue as error:
            raise self.protocol(f"answer to GET {endpoint}", error) from None

    async def list_users(self, ids: Sequence[str] = ()) -> list[User]:
        """``GET users`` (all, or ``ids[]``), disabled ones included."""
        params: dict[str, Any] = {"include_disabled": True}
        if ids:
            params["ids"] = list(ids)
        answer = await self.call("GET", "users", params)
        try:
            return [User.read(row) for row in values.rows(answer, "users")]
        except values.BadValue as error:
            raise self.protocol("answer to GET users", error) from None

    async def _load_catalog(self) -> Catalog:
        statuses, priorities, types, sources, categories, groups, users = await gather(
            self._named("incident.attributes.status"),
            self._named("incident.attributes.priority"),
            self._named("incident.attributes.type"),
            self._named("incident.attributes.source"),
            self._named("categories", "parent_category_id"),
            self._named("helpdesksandlevels", "parent_id"),
            self.list_users(),
        )
        return Catalog(
            statuses=statuses,
            priorities=priorities,
            types=types,
            sources=sources,
            categories=categories,
            groups=groups,
            users={u.id: u for u in users},
            status_map=self.settings.status_map,
        )

    async def lookups(self) -> Lookups:
        return (await self.catalog.get(refresh=True)).choices.lookups()

    async def know_users(self, user_ids: Iterable[str | None]) -> Catalog:
        """The catalog, with any of ``user_ids`` it lacks fetched (``users?ids[]=``)."""
        catalog = await self.catalog.get()
        missing = sorted({u for u in user_ids if u and u not in catalog.users})
        if missing:
            for user in await self.list_users(missing):
                catalog.users[user.id] = user
        return catalog

    def request_id(self, ticket_id: str) -> str:
        """A request's number from what the agent typed: ``206``, ``#206``, ``HL-#206``."""
        ref = ticket_id.strip()
        match = re.fullmatch(r"(?:[A-Za-z0-9_-]*#)?(\d+)", ref)
        if match is None or int(match.group(1)) == 0:
            raise InvalidInput(self.name, "ticket_id", f"{ticket_id!r} is not a request id")
        return match.group(1)


def _grouped(pairs: list[tuple[str, str]]) -> dict[str, str | list[str]]:
    """Pairs as httpx's ``data=`` wants them: a repeated name as a list."""
    grouped: dict[str, str | list[str]] = {}
    for name, value in pairs:
        if name.endswith("[]"):
            existing = grouped.setdefault(name, [])
            assert isinstance(existing, list)
            existing.append(value)
        else:
            grouped[name] = value
    return grouped
