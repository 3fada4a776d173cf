"""The one place that builds HTTP clients for desks.

Every adapter talks to its desk through :class:`DeskHttp`, which adds what a flaky help
desk over a slow link needs and what no vendor should re-implement:

* timeouts on every request, TLS verification on (per connection opt-out only);
* a per-connection token-bucket rate limiter set from the vendor's published limit, plus a
  cap on requests in flight;
* retries with exponential backoff and full jitter, for **idempotent requests only**. A
  write is repeated only when it certainly never reached the desk (the connection could not
  be opened) or the desk refused it unprocessed (429): a write that may have landed is never
  sent twice, because a duplicated reply on a customer's ticket is worse than an error;
* ``Retry-After`` honoured (seconds or HTTP date), up to :attr:`DeskHttp.max_retry_after`;
* transport failures and 429/502/503/504 turned into typed :mod:`adapters.base` errors;
  every other status is returned for the adapter to interpret, since vendors disagree on
  what their error bodies mean;
* secrets redacted from every error message and log line: known secret values (and their
  URL-encoded forms), credential-looking query/form parameters and auth headers.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
import re
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any
from urllib.parse import quote, quote_plus

import httpx

from adapters.base import DeskUnavailable, RateLimited

log = logging.getLogger("triage.http")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
RETRY_STATUSES = frozenset({429, 502, 503, 504})
# Parameter names whose values are credentials wherever they appear (query, form, text).
SENSITIVE_PARAMS = frozenset(
    {
        "apikey",
        "api_key",
        "signature",
        "salt",
        "secret",
        "secret_key",
        "token",
        "access_token",
        "refresh_token",
        "client_secret",
        "password",
        "authorization",
    }
)
REDACTED = "***"

Sleep = Callable[[float], Awaitable[None]]


class RateLimiter:
    """Token bucket: ``rate`` requests per second on average, bursts of up to ``burst``."""

    def __init__(
        self,
        rate: float,
        burst: int = 1,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.burst = max(1, burst)
        self._tokens = float(self.burst)
        self._clock = clock
        self._sleep = sleep
        self._updated = clock()
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                now = self._clock()
                self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate)
                self._updated = now
                if self._tokens >= 1:
                    self._tokens -= 1
                    return
                await self._sleep((1 - self._tokens) / self.rate)


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


class Redactor:
    """Removes secrets from text bound for a log line, an error or the screen."""

    _PARAM = re.compile(
        r"(?i)\b(" + "|".join(sorted(SENSITIVE_PARAMS, key=len, reverse=True)) + r")=([^&\s\"']+)"
    )
    _AUTH_HEADER = re.compile(r"(?i)\b(authorization|x-api-key|cookie)(\"?\s*[:=]\s*\"?)([^\"\n]+)")

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._values: list[str] = []
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str) -> None:
        # Very short values would redact innocent text; real secrets are long.
        if not secret or len(secret) < 4:
            return
        for form in {secret, quote(secret, safe=""), quote_plus(secret)}:
            if form not in self._values:
                self._values.append(form)
        self._values.sort(key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for value in self._values:
            text = text.replace(value, REDACTED)
        text = self._PARAM.sub(lambda m: f"{m.group(1)}={REDACTED}", text)
        return self._AUTH_HEADER.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)


class DeskHttp:
    """An ``httpx.AsyncClient`` for one connection, with the policy described above."""

    max_retry_after = 60.0

    def __init__(
        self,
        connection: str,
        base_url: str,
        *,
        timeout: float = 20.0,
        verify: bool = True,
        rate_limit: float = 5.0,
        burst: int = 5,
        max_concurrency: int = 4,
        max_retries: int = 3,
        backoff_base: float = 0.5,
        backoff_cap: float = 8.0,
        secrets: Iterable[str] = (),
        headers: Mapping[str, str] | None = None,
        auth: httpx.Auth | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.connection = connection
        self.max_retries = max_retries
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.redact = Redactor(secrets)
        self._sleep = sleep
        self._rng = rng or random.Random()
        self.limiter = RateLimiter(rate_limit, burst, sleep=sleep)
        self._in_flight = asyncio.Semaphore(max_concurrency)
        self.client = httpx.AsyncClient(
            base_url=base_url,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            verify=verify,
            headers={"User-Agent": "triage/0.1", **(headers or {})},
            auth=auth,
            transport=transport,
            follow_redirects=False,
        )
        self.requests_sent = 0

    async def aclose(self) -> None:
        await self.client.aclose()

    def _backoff(self, attempt: int) -> float:
        return self._rng.uniform(0, min(self.backoff_cap, self.backoff_base * 2**attempt))

    async def request(
        self,
        method: str,
        url: str = "",
        *,
        params: Any = None,
        data: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool | None = None,
    ) -> httpx.Response:
        """Send one request under the rate limit; retry only where it is safe.

        ``idempotent`` defaults to true for GET/HEAD/OPTIONS only. Pass ``True`` for a write
        the vendor documents as safe to repeat (a PUT that sets absolute values).
        """
        method = method.upper()
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        attempt = 0
        while True:
            await self.limiter.acquire()
            started = time.perf_counter()
            try:
                async with self._in_flight:
                    self.requests_sent += 1
                    response = await self.client.request(
                        method, url, params=params, data=data, json=json, headers=headers
                    )
            except httpx.HTTPError as exc:
                never_sent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)
                retryable = idempotent or never_sent
                described = self.describe(method, exc.request if _has_request(exc) else None, url)
                log.warning("%s failed: %s", described, self.redact(repr(exc)))
                if retryable and attempt < self.max_retries:
                    await self._sleep(self._backoff(attempt))
                    attempt += 1
                    continue
                reason = type(exc).__name__
                detail = self.redact(str(exc)) or reason
                maybe = "" if never_sent or idempotent else " (the desk may have applied it)"
                raise DeskUnavailable(
                    self.connection, f"{described}: {reason}: {detail}{maybe}"
                ) from None
            elapsed = (time.perf_counter() - started) * 1000
            described = self.describe(method, response.request, url)
            log.debug("%s -> %s in %.0f ms", described, response.status_code, elapsed)
            if response.status_code not in RETRY_STATUSES:
                return response
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            # A 429 means the desk did not process the request: safe to resend even a write.
            retryable = idempotent or response.status_code == 429
            too_long = retry_after is not None and retry_after > self.max_retry_after
            if retryable and attempt < self.max_retries and not too_long:
                wait = retry_after if retry_after is not None else self._backoff(attempt)
                log.info("%s: %s, retrying in %.1fs", described, response.status_code, wait)
                await self._sleep(wait)
                attempt += 1
                continue
            if response.status_code == 429:
                raise RateLimited(
                    self.connection, f"{described}: rate limited by the desk", retry_after
                )
            raise DeskUnavailable(
                self.connection,
                f"{described}: HTTP {response.status_code} {self.redact(response.text[:200])}",
            )

    def describe(self, method: str, request: httpx.Request | None, url: str) -> str:
        """``METHOD url`` with every credential removed."""
        target = str(request.url) if request is not None else url
        return f"{method} {self.redact(target)}"


def _has_request(exc: httpx.HTTPError) -> bool:
    try:
        exc.request  # noqa: B018 - the property raises when no request is attached
    except RuntimeError:
        return False
    return True
