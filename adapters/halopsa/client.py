"""The connection to a HaloPSA instance: its settings, the OAuth2 client and the rolling
rate limit, JSON requests with Halo's error shapes, and the lookups.

``url`` is the instance (``https://acme.halopsa.com``): the API is ``<url>/api`` and the
authorisation server ``<url>/auth`` unless ``auth_url`` names another; ``tenant`` goes on
the token URL as ``?tenant=`` (Halo-hosted tenants). Tokens come from
:class:`adapters.oauth.OAuth2ClientCredentials` with scope ``all``; the rate limit is
:mod:`adapters.halopsa.window`'s rolling window (``limit_requests`` per ``limit_window``
seconds, Halo's 500 per 300 s by default) on top of the kit's token bucket.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any, ClassVar
from urllib.parse import urlencode, urlsplit

import httpx
from pydantic import Field, SecretStr, field_validator

from adapters.base import Adapter, Capabilities, ConnectionSettings, ProtocolError
from adapters.errors import DeskError, RateLimited
from adapters.halopsa import wire
from adapters.halopsa.window import RollingWindowLimiter, watch_refusals
from adapters.lookups import LookupCache
from adapters.model import Lookups
from adapters.oauth import OAuth2ClientCredentials
from adapters.tasks import together

log = logging.getLogger("triage.halopsa")


class HaloSettings(ConnectionSettings):
    """A ``[connections.NAME]`` table with ``vendor = "halopsa"``."""

    client_id: str = Field(min_length=1)
    client_secret: SecretStr
    tenant: str | None = None
    auth_url: str | None = None
    teams: list[str] = Field(default_factory=list, description="team names the list fetches")
    limit_requests: int = Field(default=500, gt=0, description="requests per rolling window")
    limit_window: float = Field(default=300.0, gt=0, description="seconds of the window")

    @field_validator("url", "auth_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        text = value.strip().rstrip("/")
        if urlsplit(text).scheme not in ("http", "https") or not urlsplit(text).netloc:
            raise ValueError("must be an http(s) URL such as https://acme.halopsa.com")
        # The instance, not its API: "…/api" is what Halo shows as the resource server.
        return text[: -len("/api")] if text.lower().endswith("/api") else text

    @field_validator("client_secret")
    @classmethod
    def _not_empty(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value():
            raise ValueError("must not be empty")
        return value


def token_url(settings: HaloSettings) -> str:
    base = (settings.auth_url or f"{settings.url}/auth").rstrip("/")
    url = base if base.lower().endswith("/token") else f"{base}/token"
    if settings.tenant:
        url += "?" + urlencode({"tenant": settings.tenant})
    return url


class HaloClient(Adapter):
    """Requests to one instance, and its lookups (the operations are in the adapter)."""

    vendor: ClassVar[str] = "halopsa"
    settings_class: ClassVar[type[ConnectionSettings]] = HaloSettings
    capabilities: ClassVar[Capabilities]
    # The kit's token bucket is only a courtesy cap here; the window does the limiting.
    default_rate: ClassVar[float] = 20.0
    default_burst: ClassVar[int] = 20
    settings: HaloSettings

    def __init__(
        self, settings: ConnectionSettings, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        super().__init__(settings, transport=transport)
        assert isinstance(settings, HaloSettings)
        self.settings = settings
        self.oauth = OAuth2ClientCredentials(
            settings.name,
            token_url(settings),
            settings.client_id,
            settings.client_secret.get_secret_value(),
            scope="all",
        )
        self.http = self.build_http(
            f"{settings.url}/api", headers={"Accept": "application/json"}, auth=self.oauth
        )
        bucket = self.http.limiter
        self.window = RollingWindowLimiter(
            bucket.rate,
            bucket.burst,
            limit=settings.limit_requests,
            window=settings.limit_window,
        )
        self.http.limiter = self.window
        watch_refusals(self.http.client, self.window)
        self.catalog = LookupCache(self._load_catalog)
        self.definitions = LookupCache(self._load_definitions)
        self.outcome_cache = LookupCache(self._load_outcomes)

    # ---- requests ---------------------------------------------------------------------

    async def send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
    ) -> httpx.Response:
        """One request; a 429 that the window pause did not cure within a window is
        :class:`RateLimited`, every other failure typed by :data:`wire.HINTS`."""
        where = f"{method} {path}"
        started = self.window.now()
        while True:
            refusals = self.window.refusals
            try:
                response = await self.http.request(method, path, params=params, json=body)
            except RateLimited:
                # Halo's own 429s pause the window; keep waiting them out for up to one
                # window before giving up (a 429 was never processed, so resending is safe).
                if self.window.refusals == refusals:
                    raise
                if self.window.now() - started >= self.window.window:
                    raise
                continue
            self.http.raise_for_status(response, where, wire.HINTS)
            return response

    async def json(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
    ) -> Any:
        """The decoded JSON answer; an answer that is not JSON is a :class:`ProtocolError`."""
        response = await self.send(method, path, params=params, body=body)
        if not response.content.strip():
            return None
        try:
            return json.loads(response.content)
        except (ValueError, UnicodeDecodeError):
            raise ProtocolError(self.name, f"answer to {method} {path}", "not JSON") from None

    async def listed(
        self, path: str, key: str | None = None, params: Mapping[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """The records of a list endpoint (bare array, or the envelope's ``key``)."""
        body = await self.json("GET", path, params=params)
        try:
            return wire.records(body, key)
        except ValueError as exc:
            raise ProtocolError(self.name, f"answer to GET {path}", str(exc)) from None

    def protocol(self, what: str, exc: Exception) -> ProtocolError:
        return ProtocolError(self.name, what, str(exc) or type(exc).__name__)

    # ---- lookups ----------------------------------------------------------------------

    async def probe(self) -> str:
        me = await self.json("GET", "/Agent/me")
        name = me.get("name") if isinstance(me, dict) else None
        if not isinstance(name, str):
            raise ProtocolError(self.name, "answer to GET /Agent/me", "no agent name")
        return f"signed in as {name}"

    async def _load_catalog(self) -> wire.Catalog:
        statuses = await self.listed("/Status", params={"type": "ticket"})
        open_statuses = await self.listed(
            "/Status", params={"type": "ticket", "excludeclosed": "true"}
        )
        priorities = await self.listed("/Priority")
        types = await self.listed("/TicketType")
        teams = await self.listed("/Team", params={"type": "reqs"})
        agents = await self.listed("/Agent")
        try:
            return wire.build_catalog(
                statuses, open_statuses, priorities, types, teams, agents, self.settings.status_map
            )
        except (TypeError, ValueError, AttributeError) as exc:
            raise self.protocol("lookups", exc) from None

    async def _load_definitions(self) -> dict[str, wire.FieldDefinition]:
        rows = await self.listed("/FieldInfo", params={"includevalues": "true"})
        return wire.field_definitions(rows)

    async def _load_outcomes(self) -> list[dict[str, Any]]:
        return await self.listed("/Outcome")

    async def lookups(self) -> Lookups:
        """The catalogue's lists, and the desk's outcomes as ``lists["outcomes"]`` (what
        Take an action picks from), both fetched afresh."""
        async with together() as group:
            catalog = group.create_task(self.catalog.get(refresh=True))
            outcomes = group.create_task(self.outcome_cache.get(refresh=True))
        lookups = catalog.result().choices.lookups()
        listed = wire.outcome_choices(outcomes.result(), lookups.statuses)
        return lookups.model_copy(update={"lists": {"outcomes": listed}})

    def error(self, message: str) -> DeskError:
        return DeskError(self.name, message)
