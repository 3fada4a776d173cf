"""The typed errors every adapter raises, and what each one means for a desk's health.

An adapter raises only :class:`DeskError` subclasses, each naming the connection, so that
the UI can say which desk failed and how, and the bulk runner can tell "retry later"
(:class:`RateLimited`, :class:`DeskUnavailable`) from "fix the input"
(:class:`InvalidInput`). Messages never contain secrets: the HTTP layer
(:mod:`adapters.http`) redacts every text it puts into one.
"""

from __future__ import annotations

import math
from typing import ClassVar

from adapters.model import HealthState


class DeskError(Exception):
    """Base of every error an adapter raises. Always names the connection.

    Messages never contain secrets: the HTTP layer redacts them before an error is built.
    """

    kind: ClassVar[str] = "error"

    may_have_landed: bool = False
    """A write that failed after it may have reached the desk (a timeout or a lost answer):
    sending it again could apply it twice, so no one does so without the agent deciding."""

    def __init__(self, connection: str, message: str) -> None:
        super().__init__(f"{connection}: {message}")
        self.connection = connection
        self.message = message


class AuthFailed(DeskError):
    """The desk refused the credentials (or the API is switched off)."""

    kind = "auth_failed"


class NotFound(DeskError):
    """The ticket (or post, note, …) does not exist on the desk."""

    kind = "not_found"


class RateLimited(DeskError):
    """The desk asked us to slow down; ``retry_after`` is in seconds when it said so."""

    kind = "rate_limited"

    def __init__(self, connection: str, message: str, retry_after: float | None = None) -> None:
        super().__init__(connection, message)
        # A desk may say anything ("1e9", a date in year 9999): a wait is at most a day.
        if retry_after is not None:
            retry_after = min(max(retry_after, 0.0), MAX_RETRY_AFTER)
            if math.isnan(retry_after):
                retry_after = None
        self.retry_after = retry_after


class InvalidInput(DeskError):
    """The desk (or our own validation) rejected a value; ``field`` names which."""

    kind = "invalid_input"

    def __init__(self, connection: str, field: str, message: str) -> None:
        super().__init__(connection, f"{field}: {message}")
        self.field = field
        self.reason = message


class DeskUnavailable(DeskError):
    """The desk could not be reached, timed out, or answered 5xx."""

    kind = "unreachable"


class ProtocolError(DeskError):
    """The desk answered something we cannot read; ``what`` names what was malformed."""

    kind = "protocol_error"

    def __init__(self, connection: str, what: str, message: str) -> None:
        super().__init__(connection, f"malformed {what}: {message}")
        self.what = what


class OutcomeUnknown(DeskError):
    """A step of a composite action may or may not have reached the desk on an earlier
    attempt; it is not sent again until the agent has checked (see :mod:`adapters.steps`).
    ``step`` names it."""

    kind = "outcome_unknown"
    may_have_landed = True

    def __init__(self, connection: str, step: str) -> None:
        super().__init__(
            connection,
            f"{step} may already be on the desk (an earlier attempt's answer was lost): "
            "not sent again; check the ticket",
        )
        self.step = step


class Unsupported(DeskError):
    """The desk cannot do this action; the message says why."""

    kind = "unsupported"


MAX_RETRY_AFTER = 86400.0
"""Seconds a desk's "retry after" is believed at most (a day)."""


def human_seconds(seconds: float) -> str:
    """A wait as a person says it: "40 s", "3 min", "2 h", "more than a day"."""
    if math.isnan(seconds):
        return "an unknown time"
    if seconds >= MAX_RETRY_AFTER:
        return "more than a day" if seconds > MAX_RETRY_AFTER else "1 day"
    if seconds < 1:
        return "under a second" if seconds > 0 else "now"
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 59.5 * 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.0f} h"


def health_state_for(error: BaseException) -> HealthState:
    """The health a failure puts its connection in: the one mapping, used by
    ``Adapter.check()`` and by the UI's store alike."""
    if isinstance(error, AuthFailed):
        return HealthState.AUTH_FAILED
    if isinstance(error, RateLimited):
        return HealthState.RATE_LIMITED
    if isinstance(error, DeskUnavailable):
        return HealthState.UNREACHABLE
    return HealthState.ERROR
