"""What to do about a desk that fails, in words an agent can act on.

The sidebar, the desk's own view (where its tickets would be) and ``triage check`` /
``triage tickets`` all say what failed; this module adds what to try next, from the
desk's health state (or error kind) and its message. A wrong ``url`` usually shows as a
404 from the desk's web server, so a 404 on a listing or a health check points at ``url``,
not at a ticket.

Plain text, no Textual: the command line uses it too.
"""

from __future__ import annotations

import re

_NOT_FOUND = re.compile(r"\b404\b|\bnot found\b", re.IGNORECASE)

CHECK = "`triage check` tests every connection"
"""Where to turn when the app alone cannot say more."""


def looks_like_wrong_url(message: str) -> bool:
    """Whether a listing or health-check failure reads like a wrong ``url`` (a 404)."""
    return bool(_NOT_FOUND.search(message))


def hint(kind: str, message: str) -> str:
    """A short "what to check" for one line of command-line output, or ``""``.

    ``kind`` is a health state or a :class:`~adapters.base.DeskError` kind
    (``auth_failed``, ``unreachable``, ``rate_limited``, ``not_found``, ``error``…).
    """
    if kind == "auth_failed":
        # The desk's own fields are named in its message where the adapter knows them
        # ("check company, public_key, …"); a second, generic list would contradict it.
        if "check " in message:
            return ""
        return "check the connection's credentials (the secrets in its table)"
    if kind == "unreachable":
        return "check the connection's url and the network"
    if kind in ("error", "not_found", "protocol_error") and looks_like_wrong_url(message):
        return "the server answered 404: check the connection's url"
    return ""


def what_to_do(kind: str, message: str, *, config: str | None = None, refresh: str = "") -> str:
    """A sentence or two for the desk's view in the app: what to check, and where.

    ``config`` names the configuration file, when there is one; ``refresh`` the key that
    asks the desk again.
    """
    where = f" in {config}" if config else " in the configuration file"
    again = f", then refresh ({refresh})" if refresh else ""
    if kind == "rate_limited":
        return "The desk asked triage to slow down; triage tries again by itself."
    short = hint(kind, message)
    if short:
        return f"What to do: {short}{where}{again}. {CHECK}."
    return (
        f"What to do: {CHECK}; `triage -v check` also logs the requests (secrets redacted){again}."
    )
