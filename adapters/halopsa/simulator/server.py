"""The front of the simulated HaloPSA instance: routing, the token endpoint, bearer checks,
the rolling rate limit, and the pieces every controller shares (reading Halo's query
parameters, answering Halo's error shapes).

Paths are matched case-insensitively, as Halo's are (clients send ``/Tickets`` and
``/tickets`` alike). Query parameters Halo does not know are ignored without a word, so a
misspelt filter lists everything; booleans are read case-insensitively (``True`` from
Python clients, ``true`` from the rest); "array of int" filters arrive comma-joined or as
repeated keys.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from adapters.halopsa.sim_data import HaloDesk, Ticket
from adapters.simulation import Faults, RateLimiter, Router, SimRequest, SimResponse, TokenIssuer
from adapters.simulation.oauth import NO_STORE
from adapters.simulation.ratelimit import no_headers

Params = Mapping[str, str]


class HaloError(Exception):
    """Raised by a controller to answer an error in one of Halo's shapes."""

    def __init__(self, response: SimResponse) -> None:
        super().__init__(response.status)
        self.response = response


def text_error(status: int, message: str) -> HaloError:
    """A business-rule refusal: plain text, as Halo's validation messages come."""
    return HaloError(SimResponse.text(status, message))


def model_state(status: int, errors: Mapping[str, str]) -> HaloError:
    """ASP.NET model-binding errors: ``{"[0].status_id": ["…"]}``."""
    return HaloError(SimResponse.json({k: [v] for k, v in errors.items()}, status))


def exception_body(status: int, message: str) -> HaloError:
    """A .NET exception object, as Halo answers a missing record."""
    return HaloError(
        SimResponse.json({"ClassName": "System.Exception", "Message": message}, status)
    )


def window_words(limit: int, window: float) -> str:
    """The 429 text: ``Rate Limit Reached - 500 Requests per rolling 5 minute window``."""
    if window >= 60 and window % 60 == 0:
        size = f"{int(window // 60)} minute"
    else:
        size = f"{window:g} second"
    return f"Rate Limit Reached - {limit} Requests per rolling {size} window"


class HaloServer:
    """One instance: its desk, its token issuer, its limiter and its routes."""

    def __init__(
        self,
        desk: HaloDesk,
        *,
        clients: Mapping[str, str],
        tenant: str | None,
        token_lifetime: int,
        rate_limit: int,
        rate_window: float,
        faults: Faults,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.desk = desk
        self.tenant = tenant
        self.faults = faults
        self.tokens = (
            TokenIssuer(clients, lifetime=token_lifetime, scope="all", clock=clock)
            if clock
            else TokenIssuer(clients, lifetime=token_lifetime, scope="all")
        )
        words = window_words(rate_limit, rate_window)
        self.limiter = RateLimiter(
            rate_limit,
            rate_window,
            key=lambda request: "instance",
            refused=lambda state: SimResponse.text(429, words),
            refused_headers=no_headers,
        )
        self.refused = 0
        self.served = 0
        self.router = Router(
            not_found=lambda request: SimResponse(status=404, body="", content_type=None),
            case_sensitive=False,
        )
        self.router.add("POST", "/auth/token", lambda request, params: self.token(request))
        from adapters.halopsa.simulator import actions, lookups, tickets

        tickets.register(self)
        actions.register(self)
        lookups.register(self)

    # ---- the front door --------------------------------------------------------------------

    async def handle(self, request: SimRequest) -> SimResponse:
        if request.path.lower().startswith("/api/"):
            refusal = self.limiter.check(request)
            if refusal is not None:
                self.refused += 1
                return refusal
            if self.tokens.client_of(request) is None:
                return self.tokens.challenge(request)
            self.served += 1
        try:
            result = self.router(request)
            if not isinstance(result, SimResponse):
                result = await result
            return result
        except HaloError as error:
            return error.response

    def token(self, request: SimRequest) -> SimResponse:
        tenant = request.query_value("tenant")
        if tenant is not None and self.tenant is not None and tenant != self.tenant:
            return SimResponse.json(
                {"error": "invalid_request", "error_description": f"Unknown tenant '{tenant}'."},
                400,
                headers=NO_STORE,
            )
        return self.tokens.token_endpoint(request)

    # ---- shared reading -----------------------------------------------------------------

    def ticket(self, ticket_id: int | str, *, deleted: bool = False) -> Ticket:
        try:
            number = int(ticket_id)
        except (TypeError, ValueError):
            raise model_state(400, {"id": f"The value '{ticket_id}' is not valid."}) from None
        ticket = self.desk.tickets.get(number)
        if ticket is None or (ticket.deleted and not deleted):
            raise exception_body(404, f"No record found for Ticket with ID {number}.")
        return ticket

    def now(self) -> int:
        return self.desk.clock()


# ---- query parameters, the way Halo's model binder reads them -----------------------------


def flag(request: SimRequest, name: str, default: bool = False) -> bool:
    """A boolean parameter: ``true``/``True``/``1`` are true, anything else false."""
    value = _value(request, name)
    if value is None or value == "":
        return default
    return value.strip().lower() in ("true", "1")


def _value(request: SimRequest, name: str) -> str | None:
    lowered = name.lower()
    for key, value in request.query:
        if key.lower() == lowered:
            return value
    return None


def text(request: SimRequest, name: str) -> str | None:
    value = _value(request, name)
    return value if value not in (None, "") else None


def number(request: SimRequest, name: str) -> int | None:
    value = text(request, name)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise model_state(400, {name: f"The value '{value}' is not valid."}) from None


def numbers(request: SimRequest, name: str) -> list[int]:
    """An "array of int" filter, comma-joined and/or repeated."""
    lowered = name.lower()
    found: list[int] = []
    for key, value in request.query:
        if key.lower() != lowered:
            continue
        for part in value.split(","):
            part = part.strip()
            if not part:
                continue
            try:
                found.append(int(part))
            except ValueError:
                raise model_state(400, {name: f"The value '{value}' is not valid."}) from None
    return found


def moment(request: SimRequest, name: str) -> int | None:
    """A date parameter (``YYYY-MM-DDTHH:MM:SS``, a zone optional, UTC when absent)."""
    value = text(request, name)
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace(" ", "T"))
    except ValueError:
        raise model_state(400, {name: f"The value '{value}' is not valid."}) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return int(parsed.timestamp())


def json_array(request: SimRequest) -> list[dict[str, Any]]:
    """A POST body: a JSON array of objects (Halo takes an array even for one record)."""
    try:
        body = json.loads(request.body.decode("utf-8") or "null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise model_state(400, {"": f"The JSON value could not be read: {exc}"}) from None
    if not isinstance(body, list) or not all(isinstance(item, dict) for item in body):
        raise model_state(400, {"": "The JSON value could not be converted to a list of records."})
    if not body:
        raise model_state(400, {"": "A non-empty request body is required."})
    return body


def created(items: list[dict[str, Any]]) -> SimResponse:
    """201 with the saved record (one posted) or the records (several)."""
    return SimResponse.json(items[0] if len(items) == 1 else items, 201)
