"""The one place that builds HTTP clients for desks.

Every adapter talks to its desk through :class:`DeskHttp`, which adds what a flaky help
desk over a slow link needs and what no vendor should re-implement:

* a deadline on every request, whatever the server does: ``timeout`` bounds the whole
  exchange (connect, status line, headers, body), not each socket read, so a desk that
  trickles a byte a second fails in ``timeout`` seconds; retries stop when the operation's
  budget (:attr:`DeskHttp.operation_budget`, a few deadlines) would be overrun;
* bounded bodies: the decoded body may not exceed :attr:`DeskHttp.max_body_bytes` nor
  expand more than :attr:`DeskHttp.max_expansion` times its compressed size (a gzip bomb),
  and reading stops the moment it does, with a :class:`ProtocolError`;
* TLS verification on (per connection opt-out only);
* a per-connection token-bucket rate limiter set from the vendor's published limit, plus a
  cap on requests in flight; for desks whose limit is a count per rolling window (HaloPSA,
  InvGate), :class:`RollingWindow`, which the adapter puts in front of its requests;
* retries with exponential backoff and full jitter, for **idempotent requests only**. A
  write is repeated only when it certainly never reached the desk (the connection could not
  be opened) or the desk refused it unprocessed (429): a write that may have landed is never
  sent twice, because a duplicated reply on a customer's ticket is worse than an error, and
  the error it raises says so (:attr:`DeskError.may_have_landed`). A failure no retry is
  likely to fix soon is tried fewer times: a name that does not resolve once, a refused
  connection or a timeout twice. Each attempt is logged at INFO only, so that a failure
  is one line at the default verbosity: the error the caller reports;
* ``Retry-After`` honoured (seconds or HTTP date), up to :attr:`DeskHttp.max_retry_after`;
* transport failures and 429/502/503/504 turned into typed :mod:`adapters.errors` errors
  that name the connection; every other status is returned for the adapter to interpret,
  since vendors disagree on what their error bodies mean. Once the adapter has read the
  body's message, :meth:`DeskHttp.error_for` maps the status to the error every desk means
  by it (401 auth, 404 not found, 400/422 invalid input, 5xx unavailable);
* error bodies quoted in one way only (:func:`error_excerpt`): an HTML page (a proxy, a
  login wall) as its text, cleaned to one line, redacted, cut short;
* OAuth2 client credentials (:class:`OAuth2ClientCredentials`) as an ``httpx.Auth``: one
  token shared by every request of the connection, fetched again shortly before it
  expires or once after a 401;
* secrets redacted from every error message and log line: known secret values (raw and
  URL-encoded), and the values of every credential-looking parameter a request carries (a
  per-request salt or signature) by value too, so that a desk echoing them in prose does
  not show them; credential-looking query/form/JSON parameters, auth headers and URL
  userinfo by name. httpx and httpcore log request URLs themselves (``HTTP Request: GET …``), so a
  filter on their loggers redacts those lines too.
"""

from __future__ import annotations

import asyncio
import collections
import email.utils
import logging
import random
import re
import socket
import ssl
import time
import weakref
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC
from typing import Any, Protocol, runtime_checkable
from urllib.parse import quote, quote_plus

import httpx

from adapters.errors import (
    AuthFailed,
    DeskError,
    DeskUnavailable,
    InvalidInput,
    NotFound,
    ProtocolError,
    RateLimited,
    human_seconds,
)
from adapters.text import clean_line, html_to_text, looks_like_html

log = logging.getLogger("triage.http")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
RETRY_STATUSES = frozenset({429, 502, 503, 504})
# Parameter names whose values are credentials wherever they appear (query, form, JSON).
SENSITIVE_PARAMS = frozenset(
    {
        "apikey",
        "api_key",
        "api-key",
        "key",
        "signature",
        "sig",
        "salt",
        "secret",
        "secret_key",
        "token",
        "access_token",
        "refresh_token",
        "id_token",
        "client_secret",
        "password",
        "passwd",
        "pwd",
        "authorization",
        "session",
        "sessionid",
        "session_id",
    }
)
# A parameter whose name contains one of these is a credential too ("x_auth_token",
# "_KAPTURECRM_SESSION", "private_key"). Redacting a harmless one costs nothing.
_SENSITIVE_MARKERS = ("apikey", "api_key", "api-key", "secret", "token", "passw", "session")
_SENSITIVE_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "x-api-key", "api-key", "x-auth-token", "cookie"}
)
REDACTED = "***"
# Shorter values would redact innocent text; real secrets are longer.
_MIN_SECRET_LENGTH = 4
# How much of an error body goes into an error message: the text of the first 64 KiB (an
# HTML page's text may start after a long <head>), cut to a line.
_EXCERPT_CHARS = 200
_EXCERPT_BYTES = 65536
# Transport failures that prove the request never left: safe to resend even a write.
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Failures that no retry can fix (a certificate that fails verification is a ConnectError
# caused by this ssl error).
_PERMANENT = (httpx.UnsupportedProtocol, ssl.SSLCertVerificationError)

# Failures no retry is likely to fix within an operation: at most this many attempts.
_UNRESOLVED_ATTEMPTS = 1  # the name does not resolve
_REFUSED_ATTEMPTS = 2  # nothing listens, or the deadline passed
MAX_BODY_BYTES = 64 * 1024 * 1024
"""Decoded bytes a response may have by default: far above any page of tickets."""
MAX_EXPANSION = 100.0
"""How many times its compressed size a body may decode to (text compresses ~5-20x)."""
_EXPANSION_FLOOR = 1024 * 1024
# Decoded bytes before the expansion ratio is checked: small bodies may compress very well.
_REQUEST_CREDENTIALS_KEPT = 64
# Per-request credentials (salts, signatures) remembered for redaction, newest first.

# Said of a write that failed after it may have reached the desk.
_MAY_HAVE_LANDED = (
    " (not repeated: the request may have reached the desk, which may have applied it)"
)

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]


class RateLimiter:
    """Token bucket: ``rate`` requests per second on average, bursts of up to ``burst``.

    Waiters are served in arrival order (the lock is held while one waits for its token).
    """

    # Float error must not turn "exactly one token" into a needless extra wait.
    _EPSILON = 1e-9

    def __init__(
        self,
        rate: float,
        burst: int = 1,
        *,
        clock: Clock = time.monotonic,
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
                if self._tokens >= 1 - self._EPSILON:
                    self._tokens = max(0.0, self._tokens - 1)
                    return
                await self._sleep((1 - self._tokens) / self.rate)


class RollingWindow:
    """At most ``limit`` sends in any ``window`` seconds: :meth:`acquire` waits for room.

    For a desk whose limit counts requests per rolling window (500 per 300 s, 100 a
    minute) rather than a rate. A token bucket at the window's average would never trip
    such a limit, but would take far longer for a burst than the window allows; this lets
    a burst of ``limit`` go at once, and the next send as soon as the oldest ages out.

    ``slack``: a send time leaves the window this long after it expired, because the
    client counts a request when it leaves and the server when it arrives. :meth:`pause`
    holds every send until a moment (after a refusal the client did not foresee).
    Waiters are served in arrival order.
    """

    # Float error must not keep a send that expires exactly now inside the window (a
    # nanosecond: far below what any server measures, far above the clock's rounding).
    _EPSILON = 1e-9

    def __init__(
        self,
        limit: int,
        window: float,
        *,
        slack: float = 0.0,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if limit <= 0 or window <= 0:
            raise ValueError("a rolling window needs a positive limit and length")
        self.limit = limit
        self.window = window
        self.slack = slack
        self.sent: collections.deque[float] = collections.deque()
        self.paused_until = 0.0
        self._clock = clock
        self._sleep = sleep
        self._lock = asyncio.Lock()

    def recent(self, span: float) -> list[float]:
        """The send times of the last ``span`` seconds, oldest first."""
        now = self._clock()
        return [moment for moment in self.sent if moment > now - span]

    def pause(self, until: float) -> None:
        """Hold every send until the clock reads ``until`` (a later pause wins)."""
        self.paused_until = max(self.paused_until, until)

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                now = self._clock()
                if now < self.paused_until:
                    await self._sleep(self.paused_until - now)
                    continue
                horizon = now - self.window - self.slack
                while self.sent and self.sent[0] <= horizon + self._EPSILON:
                    self.sent.popleft()
                if len(self.sent) < self.limit:
                    self.sent.append(now)
                    return
                await self._sleep(max(self.sent[0] - horizon, self._EPSILON))


_DELTA_SECONDS = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date).

    ``now`` is the wall-clock time (``time.time()``) to measure a date from. Returns
    ``None`` for a missing or unreadable value, and 0 for a date in the past.
    """
    if not value:
        return None
    value = value.strip()
    if _DELTA_SECONDS.fullmatch(value):
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # "-0000" parses as naive; an HTTP-date is always GMT
        when = when.replace(tzinfo=UTC)
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


def _is_sensitive(name: str) -> bool:
    name = name.lower()
    return name in SENSITIVE_PARAMS or any(marker in name for marker in _SENSITIVE_MARKERS)


def _redact_pair(match: re.Match[str]) -> str:
    """``name=value`` or ``"name": "value"`` with the value replaced if the name says so."""
    if not _is_sensitive(match.group("name")):
        return match.group()
    return match.group("head") + REDACTED + match.group("tail")


# Every pattern is anchored so that it starts only at the beginning of a run of the
# characters it repeats: redaction must stay linear in the length of the text.
_USERINFO = re.compile(r"(?i)(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*://)[^/\s@?#]+@")
_HEADER = re.compile(
    r"(?i)(?<![\w-])(?P<name>" + "|".join(sorted(_SENSITIVE_HEADERS, key=len, reverse=True)) + r")"
    r"(?P<sep>['\"]?\s*[:=]\s*(?:b?['\"])?|['\"],\s*b?['\"])[^'\"\n]+"
)
_QUOTED_PAIR = re.compile(
    r"""(?P<head>(?P<q>["'])(?P<name>[\w.-]+)(?P=q)\s*:\s*(?P<v>["']))"""
    r"""(?:(?!(?P=v))[^\\\n]|\\.)*(?P<tail>(?P=v))"""
)
_PAIR = re.compile(r"(?P<head>(?<![\w.-])(?P<name>[\w.-]+)=)[^&\s\"'<>]+(?P<tail>)")
_BEARER = re.compile(r"(?i)(?<![\w-])(bearer)\s+[\w.~+/-]+=*")


def _redact_patterns(text: str) -> str:
    text = _USERINFO.sub(lambda m: f"{m.group(1)}{REDACTED}@", text)
    text = _HEADER.sub(lambda m: f"{m.group('name')}{m.group('sep')}{REDACTED}", text)
    text = _QUOTED_PAIR.sub(_redact_pair, text)
    text = _PAIR.sub(_redact_pair, text)
    return _BEARER.sub(lambda m: f"{m.group(1)} {REDACTED}", text)


class Redactor:
    """Removes secrets from text bound for a log line, an error or the screen.

    Known secret values are replaced in every form a URL or form body gives them; values
    that are not known in advance (a request signature, a session cookie, a token in an
    echoed body) are found by the name they travel under.
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._values: list[str] = []
        # Credentials of recent requests (a salt, a signature): a bounded window, since a
        # connection makes thousands of requests and each has its own.
        self._passing: list[str] = []
        for secret in secrets:
            self.add(secret)

    @staticmethod
    def _forms(secret: str) -> set[str]:
        return {
            secret,
            quote(secret, safe=""),
            quote(secret),  # in a path, "/" stays as it is
            quote_plus(secret),  # a form body
            str(httpx.QueryParams({"": secret}))[1:],  # exactly what httpx puts in a URL
        }

    def add(self, secret: str) -> None:
        if not secret or len(secret) < _MIN_SECRET_LENGTH:
            return
        for form in self._forms(secret):
            if form not in self._values:
                self._values.append(form)
        # Longest first, so that a secret containing another is replaced whole.
        self._values.sort(key=len, reverse=True)

    def add_passing(self, credential: str) -> None:
        """A credential of one request (a salt, a signature): redacted by value while it
        is among the last few dozen seen."""
        if not credential or len(credential) < _MIN_SECRET_LENGTH:
            return
        forms = [form for form in self._forms(credential) if form not in self._passing]
        self._passing[:0] = forms
        del self._passing[_REQUEST_CREDENTIALS_KEPT * 5 :]

    def replace_values(self, text: str) -> str:
        """Only the known secret values replaced (see :meth:`__call__` for everything)."""
        for value in self._values:
            text = text.replace(value, REDACTED)
        for value in sorted(self._passing, key=len, reverse=True):
            text = text.replace(value, REDACTED)
        return text

    def __call__(self, text: str) -> str:
        return _redact_patterns(self.replace_values(text))

    def __repr__(self) -> str:
        return f"Redactor({len(self._values)} forms)"


# Redactors of every live client, so that the log filter knows every secret value.
_LIVE_REDACTORS: weakref.WeakSet[Redactor] = weakref.WeakSet()
# httpx logs every request URL at INFO; httpcore traces at DEBUG under these names.
_FILTERED_LOGGERS = (
    "triage.http",
    "httpx",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
)


class _RedactingFilter(logging.Filter):
    """Rewrites a record's message with every secret removed, before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: its arguments may hold anything
            message = f"(unformattable log record from {record.name})"
        for redactor in list(_LIVE_REDACTORS):
            message = redactor.replace_values(message)
        message = _redact_patterns(message)
        if message != record.msg or record.args:
            record.msg = message
            record.args = None
        return True


_LOG_FILTER = _RedactingFilter()


def _install_log_filter() -> None:
    for name in _FILTERED_LOGGERS:
        logging.getLogger(name).addFilter(_LOG_FILTER)  # no-op when already there


@runtime_checkable
class RedactedAuth(Protocol):
    """An ``httpx.Auth`` that holds secrets of its own (a client secret, the tokens it
    gets) and adds them to the connection's redactor."""

    def redact_with(self, redactor: Redactor) -> None: ...


class DeskHttp:
    """An ``httpx.AsyncClient`` for one connection, with the policy described above.

    ``sleep``, ``clock`` (monotonic, for the rate limiter), ``wall_clock`` (for
    ``Retry-After`` dates) and ``rng`` (for jitter) can be replaced, so that tests run
    without waiting and deterministically.
    """

    max_retry_after = 60.0
    max_body_bytes = MAX_BODY_BYTES
    max_expansion = MAX_EXPANSION

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
        max_retry_after: float | None = None,
        max_body_bytes: int | None = None,
        secrets: Iterable[str] = (),
        headers: Mapping[str, str] | None = None,
        auth: httpx.Auth | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep = asyncio.sleep,
        clock: Clock = time.monotonic,
        wall_clock: Clock = time.time,
        rng: random.Random | None = None,
    ) -> None:
        self.connection = connection
        self.max_retries = max_retries
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        if max_retry_after is not None:
            self.max_retry_after = max_retry_after
        if max_body_bytes is not None:
            self.max_body_bytes = max_body_bytes
        self.deadline = timeout
        """Seconds one request (connect, status line, headers, body) may take at most."""
        self.operation_budget = 3 * timeout + self.max_retry_after
        """Seconds one call of :meth:`request`, retries and waits included, may take: a
        few deadlines, and one wait the desk asked for."""
        self.redact = Redactor(secrets)
        _LIVE_REDACTORS.add(self.redact)
        _install_log_filter()
        self._remember_header_secrets(headers)
        if isinstance(auth, RedactedAuth):
            # Token flows (adapters.oauth) report their secrets and tokens as they get them.
            auth.redact_with(self.redact)
        if isinstance(auth, httpx.BasicAuth):
            # The Authorization header it builds is base64 of the password: a secret form.
            probe = auth.sync_auth_flow(httpx.Request("GET", "https://redaction.invalid/"))
            self._remember_header_secrets(next(probe).headers)
            probe.close()
        self._sleep = sleep
        self._clock = clock
        self._wall_clock = wall_clock
        self._rng = rng or random.Random()
        self.limiter = RateLimiter(rate_limit, burst, clock=clock, sleep=sleep)
        self._in_flight = asyncio.Semaphore(max_concurrency)
        # Built here rather than left to httpx so that it can be inspected; unused (and not
        # built) when a transport is given, as for the simulators.
        self.ssl_context: ssl.SSLContext | None = None
        if transport is None:
            self.ssl_context = httpx.create_ssl_context(verify=verify)
        if not verify:
            log.warning("%s: TLS certificate verification is off", connection)
        self.client = httpx.AsyncClient(
            base_url=base_url,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            verify=self.ssl_context if self.ssl_context is not None else verify,
            headers={"User-Agent": "triage/0.1", **(headers or {})},
            auth=auth,
            transport=transport,
            follow_redirects=False,
        )
        self.requests_sent = 0

    async def aclose(self) -> None:
        await self.client.aclose()

    async def __aenter__(self) -> DeskHttp:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def _remember_header_secrets(self, headers: Mapping[str, str] | None) -> None:
        for name, value in (headers or {}).items():
            if name.lower() in _SENSITIVE_HEADERS or _is_sensitive(name):
                self.redact.add(value)
                scheme, _, credential = value.partition(" ")
                if credential and scheme.isalpha():  # "Basic xyz", "Bearer xyz"
                    self.redact.add(credential.strip())

    def _backoff(self, attempt: int) -> float:
        """Full jitter: uniform in [0, min(cap, base * 2**attempt)]."""
        return self._rng.uniform(
            0, min(self.backoff_cap, self.backoff_base * 2 ** min(attempt, 32))
        )

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
        the vendor documents as safe to repeat (a PUT that sets absolute values, or a read
        that the vendor makes a POST).

        Returns the response for every status except 429/502/503/504, which are retried
        when allowed and otherwise raised as :class:`RateLimited` (429) or
        :class:`DeskUnavailable`. Transport failures raise :class:`DeskUnavailable`.
        """
        method = method.upper()
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        self._remember_header_secrets(headers)
        self._remember_passing_credentials(_query_of(url), params, data, json)
        attempt = 0
        started_operation = self._clock()
        while True:
            try:
                async with self._in_flight:
                    # The token is taken once a slot is free, so that requests leave at
                    # the limiter's pace even after waiting for a slot.
                    await self.limiter.acquire()
                    self.requests_sent += 1
                    started = time.perf_counter()
                    response = await self._exchange(
                        method, url, params=params, data=data, json=json, headers=headers
                    )
            except httpx.InvalidURL as exc:
                raise DeskUnavailable(
                    self.connection, self._safe(f"{method} {url}: invalid URL: {exc}")
                ) from None
            except (httpx.HTTPError, TimeoutError) as exc:
                request = _request_of(exc) if isinstance(exc, httpx.HTTPError) else None
                described = self.describe(method, request, url)
                never_sent = isinstance(exc, _NEVER_SENT)
                retryable = not _is_permanent(exc) and (idempotent or never_sent)
                if isinstance(exc, TimeoutError):
                    reason = "deadline"
                    detail = f"no complete answer within {self.deadline:g} s"
                else:
                    reason = type(exc).__name__
                    detail = self._safe(str(exc))
                limit = _attempts_for(exc, self.max_retries)
                log.info("%s failed: %s %s", described, reason, detail)
                wait = self._backoff(attempt)
                if (
                    retryable
                    and attempt + 1 < limit
                    and self._within_budget(started_operation, wait)
                ):
                    log.info("%s: retrying in %.2fs", described, wait)
                    await self._sleep(wait)
                    attempt += 1
                    continue
                message = f"{described}: {reason}" + (f": {detail}" if detail else "")
                landed = not (never_sent or idempotent)
                if landed:
                    message += _MAY_HAVE_LANDED
                error = DeskUnavailable(self.connection, message + _attempts(attempt))
                error.may_have_landed = landed
                raise error from None
            elapsed = (time.perf_counter() - started) * 1000
            described = self.describe(method, response.request, url)
            log.debug("%s -> %s in %.0f ms", described, response.status_code, elapsed)
            if response.status_code not in RETRY_STATUSES:
                return response
            status = response.status_code
            retry_after = parse_retry_after(
                response.headers.get("Retry-After"), now=self._wall_clock()
            )
            # A 429 means the desk did not process the request: safe to resend even a write.
            retryable = idempotent or status == 429
            too_long = retry_after is not None and retry_after > self.max_retry_after
            wait = retry_after if retry_after is not None else self._backoff(attempt)
            if (
                retryable
                and attempt < self.max_retries
                and not too_long
                and self._within_budget(started_operation, wait)
            ):
                log.info("%s: HTTP %s, retrying in %.2fs", described, status, wait)
                await self._sleep(wait)
                attempt += 1
                continue
            after = f", retry after {human_seconds(retry_after)}" if retry_after is not None else ""
            if status == 429:
                raise RateLimited(
                    self.connection,
                    f"{described}: rate limited by the desk{after}{_attempts(attempt)}",
                    retry_after,
                )
            excerpt = self._excerpt(response)
            message = f"{described}: HTTP {status}" + (f" {excerpt}" if excerpt else "") + after
            if not retryable:
                message += _MAY_HAVE_LANDED
            unavailable = DeskUnavailable(self.connection, message + _attempts(attempt))
            unavailable.may_have_landed = not retryable
            raise unavailable

    def _within_budget(self, started: float, wait: float) -> bool:
        """Whether another attempt after ``wait`` seconds can still end within the
        operation's budget (one more deadline included)."""
        spent = self._clock() - started
        return spent + wait + self.deadline <= self.operation_budget

    async def _exchange(
        self,
        method: str,
        url: str,
        *,
        params: Any,
        data: Mapping[str, Any] | None,
        json: Any,
        headers: Mapping[str, str] | None,
    ) -> httpx.Response:
        """One request and its whole body, within :attr:`deadline`, the body bounded."""
        async with asyncio.timeout(self.deadline):
            request = self.client.build_request(
                method, url, params=params, data=data, json=json, headers=headers
            )
            response = await self.client.send(request, stream=True)
            try:
                body = await self._read_bounded(response)
            finally:
                await response.aclose()
        # The body is decoded already: the copy must not claim an encoding it no longer has.
        plain = [
            (name, value)
            for name, value in response.headers.multi_items()
            if name.lower() not in ("content-encoding", "content-length", "transfer-encoding")
        ]
        return httpx.Response(
            response.status_code,
            headers=plain,
            content=body,
            request=response.request,
            extensions=response.extensions,
        )

    async def _read_bounded(self, response: httpx.Response) -> bytes:
        """The decoded body, stopping with :class:`ProtocolError` past the size or
        expansion bound (before the excess is held in memory)."""
        chunks: list[bytes] = []
        total = 0
        async for chunk in response.aiter_bytes():
            total += len(chunk)
            if total > self.max_body_bytes:
                raise ProtocolError(
                    self.connection,
                    "response",
                    f"the body is larger than {_megabytes(self.max_body_bytes)} decoded "
                    f"({self.describe(response.request.method, response.request, '')}); "
                    "reading stopped",
                )
            compressed = response.num_bytes_downloaded
            if total > _EXPANSION_FLOOR and compressed and total > compressed * self.max_expansion:
                raise ProtocolError(
                    self.connection,
                    "response",
                    f"the body expands more than {self.max_expansion:g} times "
                    f"({_megabytes(compressed)} compressed gave {_megabytes(total)} so far: "
                    "a decompression bomb?); reading stopped",
                )
            chunks.append(chunk)
        return b"".join(chunks)

    def _remember_passing_credentials(self, *carriers: Any) -> None:
        """Credential-looking parameters of this request (a salt, a signature) are
        redacted by value from now on, wherever an answer echoes them."""
        for carrier in carriers:
            items: Iterable[tuple[Any, Any]]
            if isinstance(carrier, Mapping):
                items = carrier.items()
            elif isinstance(carrier, list | tuple):
                items = [item for item in carrier if isinstance(item, tuple) and len(item) == 2]
            else:
                continue
            for name, value in items:
                if isinstance(name, str) and _is_sensitive(name) and isinstance(value, str):
                    self.redact.add_passing(value)

    def describe(self, method: str, request: httpx.Request | None, url: str) -> str:
        """``METHOD url`` with every credential removed."""
        target = str(request.url) if request is not None else url
        return f"{method} {self._safe(target)}"

    def _safe(self, text: str) -> str:
        # Cleaned before redacting: removing a control character must not be able to
        # re-join a secret that the redactor would then miss.
        return self.redact(clean_line(text))

    def _excerpt(self, response: httpx.Response) -> str:
        return error_excerpt(response, self.redact)

    def error_for(
        self, response: httpx.Response, where: str, hints: StatusHints | None = None
    ) -> DeskError | None:
        """The typed error a non-2xx ``response`` means, or ``None`` for a 2xx.

        ``where`` names the request in the message (``GET /Tickets/Ticket/7``); ``hints``
        carry the vendor's message text and advice (see :class:`StatusHints`).
        """
        status = response.status_code
        if 200 <= status < 300:
            return None
        hints = hints or StatusHints()
        text = hints.message(response) if hints.message else ""
        if not text:
            text = error_excerpt(response, self.redact, hints.excerpt_chars)
        else:
            text = _cut(self._safe(text), hints.excerpt_chars)
        name = self.connection
        if status == 401:
            return AuthFailed(
                name, f"{text or 'authentication failed'} ({where})" + _hint(hints.unauthorized)
            )
        if status == 403:
            detail = f" ({text})" if text else ""
            return AuthFailed(
                name, f"{hints.forbidden}{detail} ({where})" + _hint(hints.forbidden_hint)
            )
        if status == 404:
            return NotFound(name, f"{text or 'not found'} ({where})")
        if status in (400, 422):
            return InvalidInput(name, hints.field_of(text), text or "bad request")
        if status == 429:
            retry_after = parse_retry_after(
                response.headers.get("Retry-After"), now=self._wall_clock()
            )
            return RateLimited(name, f"{text or 'rate limited'} ({where})", retry_after)
        if status >= 500:
            return DeskUnavailable(name, f"HTTP {status} {text} ({where})".strip())
        if 300 <= status < 400:
            location = self.redact(response.headers.get("location", "elsewhere"))
            return DeskError(name, f"the desk redirects to {location}: use that address as the url")
        return DeskError(name, f"HTTP {status} {text} ({where})")

    def raise_for_status(
        self, response: httpx.Response, where: str, hints: StatusHints | None = None
    ) -> None:
        """:meth:`error_for`, raised."""
        error = self.error_for(response, where, hints)
        if error is not None:
            raise error


def _no_field(text: str) -> str:
    return "request"


@dataclass(frozen=True)
class StatusHints:
    """What one vendor adds to :meth:`DeskHttp.error_for`'s messages.

    ``message`` reads the vendor's error text from a body (a JSON ``message``, an OAuth
    ``error_description``); without it, or when it finds none, the body's excerpt is used.
    ``field_of`` names the field a 400/422 message is about. ``unauthorized`` and
    ``forbidden_hint`` are advice appended to 401 and 403 messages; ``forbidden`` is what a
    403 says happened.
    """

    message: Callable[[httpx.Response], str] | None = None
    field_of: Callable[[str], str] = _no_field
    unauthorized: str = ""
    forbidden: str = "access forbidden"
    forbidden_hint: str = ""
    excerpt_chars: int = _EXCERPT_CHARS


def _hint(hint: str) -> str:
    return f": {hint}" if hint else ""


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def error_excerpt(
    response: httpx.Response, redact: Callable[[str], str], limit: int = _EXCERPT_CHARS
) -> str:
    """The start of an error body as one clean, redacted line of at most ``limit``
    characters: an HTML page (a proxy's error, a login wall) as its text."""
    raw = response.content[:_EXCERPT_BYTES]
    try:
        text = raw.decode(response.encoding or "utf-8", errors="replace")
    except LookupError:  # a charset Python does not know
        text = raw.decode("utf-8", errors="replace")
    if looks_like_html(text):
        text = html_to_text(text)
    # Cleaned before redacting, so that removing a control character cannot re-join a
    # secret the redactor would then miss; redacted before cutting, so none is half-shown.
    return _cut(redact(clean_line(text)), limit)


def _query_of(url: str) -> list[tuple[str, str]]:
    """The query parameters of a URL given whole (as Kayako's signed GETs are)."""
    try:
        return list(httpx.URL(url).params.multi_items())
    except (httpx.InvalidURL, ValueError, TypeError):
        return []


def _megabytes(count: int) -> str:
    if count < 1024 * 1024:
        return f"{count / 1024:.1f} KB"
    return f"{count / (1024 * 1024):.1f} MB"


def _attempts_for(exc: BaseException, max_retries: int) -> int:
    """How many attempts a failure is worth: fewer when a retry within one operation
    is unlikely to help (an unknown name, a refused connection, a timeout)."""
    if _caused_by(exc, socket.gaierror):
        return min(_UNRESOLVED_ATTEMPTS, max_retries + 1)
    if _caused_by(exc, ConnectionRefusedError) or isinstance(
        exc, TimeoutError | httpx.ConnectTimeout | httpx.ReadTimeout | httpx.WriteTimeout
    ):
        return min(_REFUSED_ATTEMPTS, max_retries + 1)
    return max_retries + 1


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            return False
        if isinstance(seen, kind):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _attempts(retries: int) -> str:
    return f" (gave up after {retries + 1} attempts)" if retries else ""


def _is_permanent(exc: BaseException) -> bool:
    """Whether ``exc`` or what caused it is a failure that retrying cannot fix."""
    seen: BaseException | None = exc
    for _ in range(8):  # httpx -> httpcore -> ssl is three links; cycles are possible
        if seen is None:
            return False
        if isinstance(seen, _PERMANENT):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _request_of(exc: httpx.HTTPError) -> httpx.Request | None:
    try:
        return exc.request
    except RuntimeError:  # the property raises when no request is attached
        return None
