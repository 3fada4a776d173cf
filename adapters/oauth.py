"""OAuth2 client credentials (RFC 6749 §4.4) as an ``httpx.Auth``, for desks such as
HaloPSA whose API takes a bearer token got from a token endpoint.

What every such desk needs, done once:

* **one token per connection**, shared by every request: concurrent requests that find no
  valid token wait for a single fetch instead of each asking for one (a desk counts token
  requests against its rate limit too);
* **renewed before it expires**: a token is used until shortly before ``expires_in`` runs
  out (a tenth of its lifetime, at most a minute), so that a request does not leave with a
  token that dies on the way;
* **one refresh on a 401**: a token can be revoked early (a permission change, a restart of
  the desk), so a 401 fetches a new token once, unless another request already did, and
  repeats the request once with it. A second 401 is the desk's answer;
* **secrets stay secret**: the client secret and every token are added to the connection's
  :class:`adapters.http.Redactor` (``DeskHttp`` hands it over), and no log line carries
  either. The token request is a form POST whose ``client_secret`` travels in the body.

Failures of the token endpoint are typed like any other: a refused client is
:class:`AuthFailed` quoting the OAuth ``error``/``error_description``, 429
:class:`RateLimited`, 5xx :class:`DeskUnavailable`, an unreadable answer
:class:`ProtocolError`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncGenerator, Generator, Mapping
from typing import Any

import httpx

from adapters.errors import AuthFailed, DeskError, DeskUnavailable, ProtocolError, RateLimited
from adapters.http import Clock, Redactor, error_excerpt, parse_retry_after
from adapters.text import clean_line

log = logging.getLogger("triage.oauth")

# A token is renewed when this share of its lifetime is left, but never more than
# _MAX_MARGIN seconds before it expires.
_MARGIN_SHARE = 0.1
_MAX_MARGIN = 60.0


class OAuth2ClientCredentials(httpx.Auth):
    """Bearer tokens from ``token_url`` for ``client_id``/``client_secret``.

    ``scope`` is sent when given (HaloPSA wants ``all``); ``params`` are further form
    fields of the token request. A tenant that goes in the token URL's query
    (``…/auth/token?tenant=acme``) is part of ``token_url``. ``clock`` is monotonic seconds,
    replaceable in tests.
    """

    def __init__(
        self,
        connection: str,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        scope: str | None = None,
        params: Mapping[str, str] | None = None,
        clock: Clock = time.monotonic,
    ) -> None:
        self.connection = connection
        self.token_url = token_url
        self._form = {
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret,
            **({"scope": scope} if scope else {}),
            **(params or {}),
        }
        self._clock = clock
        self._redactor = Redactor([client_secret])
        self._token: str | None = None
        self._renew_at = 0.0
        self._lock = asyncio.Lock()
        self.tokens_fetched = 0

    def redact_with(self, redactor: Redactor) -> None:
        """Make ``redactor`` (the connection's) know the secret and every token."""
        redactor.add(self._form["client_secret"])
        if self._token is not None:
            redactor.add(self._token)
        self._redactor = redactor

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response]:
        raise RuntimeError("OAuth2ClientCredentials works with httpx.AsyncClient only")
        yield request  # pragma: no cover - makes this a generator, as httpx expects

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        token = self._token if self._is_fresh() else None
        if token is None:
            async with self._lock:
                # Another request may have fetched one while this one waited.
                if not self._is_fresh():
                    await self._store((yield self._token_request()))
                token = self._token
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code != 401:
            return
        async with self._lock:
            if self._token == token:  # nobody has renewed it since this request left
                log.info(
                    "%s: the desk refused the access token; fetching a new one", self.connection
                )
                self._token = None
                await self._store((yield self._token_request()))
            token = self._token
        request.headers["Authorization"] = f"Bearer {token}"
        yield request

    def _is_fresh(self) -> bool:
        return self._token is not None and self._clock() < self._renew_at

    def _token_request(self) -> httpx.Request:
        return httpx.Request(
            "POST", self.token_url, data=self._form, headers={"Accept": "application/json"}
        )

    async def _store(self, response: httpx.Response) -> None:
        """Keep the token of a token response, or raise what its failure means."""
        # A flow that overrides async_auth_flow reads the bodies it needs itself.
        await response.aread()
        if response.status_code != 200:
            raise self._token_error(response)
        try:
            body: Any = json.loads(response.content)
        except (ValueError, UnicodeDecodeError):
            raise ProtocolError(self.connection, "token response", "not JSON") from None
        token = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise ProtocolError(self.connection, "token response", "no access_token")
        self._redactor.add(token)
        lifetime = body.get("expires_in")
        try:
            seconds = float(lifetime) if lifetime is not None else None
        except (TypeError, ValueError):
            seconds = None
        now = self._clock()
        if seconds is None or seconds <= 0:
            # No lifetime given: use it until the desk refuses it.
            self._renew_at = float("inf")
        else:
            self._renew_at = now + seconds - min(_MAX_MARGIN, seconds * _MARGIN_SHARE)
        self._token = token
        self.tokens_fetched += 1
        log.info(
            "%s: got an access token (expires in %s s)",
            self.connection,
            "?" if seconds is None else f"{seconds:g}",
        )

    def _token_error(self, response: httpx.Response) -> DeskError:
        status = response.status_code
        where = f"POST {self._redactor(clean_line(self.token_url))}"
        reason = self._oauth_reason(response) or error_excerpt(response, self._redactor)
        if status in (400, 401, 403):
            return AuthFailed(
                self.connection,
                f"token request refused: {reason or f'HTTP {status}'} ({where}): "
                "check client_id and client_secret",
            )
        if status == 429:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            return RateLimited(
                self.connection, f"token request rate limited ({where})", retry_after
            )
        if status >= 500:
            return DeskUnavailable(self.connection, f"HTTP {status} {reason} ({where})".strip())
        return DeskError(self.connection, f"HTTP {status} {reason} ({where})".strip())

    def _oauth_reason(self, response: httpx.Response) -> str:
        """``error: error_description`` of an RFC 6749 error body, cleaned and redacted."""
        try:
            body = json.loads(response.content)
        except (ValueError, UnicodeDecodeError):
            return ""
        if not isinstance(body, dict) or not isinstance(body.get("error"), str):
            return ""
        parts = [body["error"]]
        if isinstance(body.get("error_description"), str):
            parts.append(body["error_description"])
        return self._redactor(clean_line(": ".join(parts)))[:200]
