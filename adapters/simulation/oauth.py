"""An OAuth2 client-credentials token endpoint, and the bearer check behind it.

HaloPSA and InvGate hand out short-lived bearer tokens for a client id and secret
(RFC 6749 §4.4). Their clients must fetch a token, reuse it until shortly before it
expires, and fetch a new one when the server says the old one is no longer good, so the
simulators need exactly that life cycle and a way for tests to end a token early
(:meth:`TokenIssuer.expire`, :meth:`TokenIssuer.revoke`).

Error answers follow RFC 6749 §5.2 (``invalid_request``, ``invalid_client`` with a
``WWW-Authenticate`` challenge when the client used Basic auth, ``unsupported_grant_type``)
and RFC 6750 §3 for a rejected bearer token (401 ``invalid_token``). Tokens are random and
never logged; the clock is injectable so expiry is testable without sleeping.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from adapters.simulation.request import SimRequest, SimResponse

NO_STORE = (("Cache-Control", "no-store"), ("Pragma", "no-cache"))


@dataclass
class IssuedToken:
    client_id: str
    expires_at: float
    scope: str


class TokenIssuer:
    """Issues and checks bearer tokens for the registered ``clients`` (id -> secret)."""

    def __init__(
        self,
        clients: Mapping[str, str],
        *,
        lifetime: int = 3600,
        scope: str = "all",
        clock: Callable[[], float] = time.time,
    ) -> None:
        if lifetime <= 0:
            raise ValueError(f"token lifetime must be > 0 seconds, got {lifetime}")
        self.clients = dict(clients)
        self.lifetime = lifetime
        self.scope = scope
        self.clock = clock
        self._tokens: dict[str, IssuedToken] = {}
        self.issued_count = 0

    # ---- the token endpoint -------------------------------------------------------------

    def token_endpoint(self, request: SimRequest) -> SimResponse:
        """Answer a token request (POST, form body)."""
        if request.method != "POST":
            return self._error(400, "invalid_request", "The token endpoint takes POST only.")
        form = dict(request.form())
        grant = form.get("grant_type")
        if not grant:
            return self._error(400, "invalid_request", "grant_type is missing.")
        if grant != "client_credentials":
            return self._error(400, "unsupported_grant_type", f"{grant} is not supported.")
        basic = request.basic_auth()
        client_id, secret = basic if basic else (form.get("client_id"), form.get("client_secret"))
        if not client_id or secret is None:
            return self._error(400, "invalid_request", "Client credentials are missing.")
        expected = self.clients.get(client_id)
        if expected is None or not hmac.compare_digest(expected.encode(), secret.encode()):
            challenge = (("WWW-Authenticate", 'Basic realm="token"'),) if basic else ()
            return self._error(401, "invalid_client", "Client authentication failed.", challenge)
        token = self.issue(client_id, form.get("scope") or self.scope)
        payload = {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": self.lifetime,
            "scope": self._tokens[token].scope,
        }
        return SimResponse.json(payload, headers=NO_STORE)

    def issue(self, client_id: str, scope: str | None = None) -> str:
        """A new token for ``client_id`` (the endpoint's work, callable from tests)."""
        token = secrets.token_urlsafe(32)
        self._tokens[token] = IssuedToken(client_id, self.clock() + self.lifetime, scope or "")
        self.issued_count += 1
        return token

    # ---- checking bearer tokens ---------------------------------------------------------

    def client_of(self, request: SimRequest) -> str | None:
        """The client id behind the request's bearer token, or None when it carries no
        token, an unknown one, or an expired one."""
        token = request.bearer_token()
        if token is None:
            return None
        issued = self._tokens.get(token)
        if issued is None:
            return None
        if self.clock() >= issued.expires_at:
            del self._tokens[token]
            return None
        return issued.client_id

    def challenge(self, request: SimRequest) -> SimResponse:
        """RFC 6750's 401 for a request without a usable token."""
        if request.bearer_token() is None:
            header = 'Bearer realm="api"'
        else:
            header = 'Bearer realm="api", error="invalid_token"'
        return SimResponse(
            status=401,
            body="",
            content_type=None,
            headers=(("WWW-Authenticate", header),),
        )

    # ---- test controls --------------------------------------------------------------

    def expire(self, token: str | None = None) -> None:
        """Let ``token`` (or every token) expire now, as time passing would."""
        now = self.clock()
        for key, issued in self._tokens.items():
            if token is None or key == token:
                issued.expires_at = now

    def revoke(self, token: str) -> None:
        """Forget ``token`` (an administrator revoked it)."""
        self._tokens.pop(token, None)

    @property
    def live_tokens(self) -> int:
        now = self.clock()
        return sum(1 for issued in self._tokens.values() if issued.expires_at > now)

    @staticmethod
    def _error(
        status: int, code: str, description: str, headers: tuple[tuple[str, str], ...] = ()
    ) -> SimResponse:
        payload = {"error": code, "error_description": description}
        return SimResponse.json(payload, status=status, headers=(*NO_STORE, *headers))
