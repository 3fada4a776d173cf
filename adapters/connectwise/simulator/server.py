"""The simulated site's front door: companyinfo, the codebase, authentication, the
``clientId`` check, the rate limit, and the route table of the API.

* ``GET /login/companyinfo/{company}`` answers without authentication (whatever headers
  come with it): the company's codebase, or a JSON ``null`` for a company the site does
  not know.
* The API answers under ``/{codebase}apis/3.0/``, for the site's current codebase and for
  ``v4_6_release/`` (which cloud sites still accept); any other codebase is the web
  server's HTML 404, not a JSON error.
* Every API request needs ``Authorization: Basic base64(company+publicKey:privateKey)``
  (401 ``Unauthorized`` otherwise) and a ``clientId`` header (401 too); header names are
  case-insensitive.
* Requests are counted per API key over a rolling minute; past the limit the answer is 429
  with ``Retry-After`` and the body the Developer Guide shows (``error``, not ``code``).
* Paths are case-insensitive, as on IIS; an unknown path is 404 ``NotFound``, a known one
  with another verb 405.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Mapping, Sequence

from adapters.connectwise.sim_data import ConnectWiseDesk
from adapters.connectwise.sim_data.config import VERSION_CODE, VERSION_NUMBER
from adapters.connectwise.simulator.core import API_ROOT, Site, answer, error
from adapters.connectwise.simulator.lookups import LookupController
from adapters.connectwise.simulator.tickets import TicketController
from adapters.simulation import Faults, RateLimiter, Router, SimRequest, SimResponse
from adapters.simulation.ratelimit import LimitState

LEGACY_CODEBASE = "v4_6_release/"
IIS_404 = (
    "<!DOCTYPE html>\r\n<html><head><title>404 - File or directory not found.</title></head>"
    '<body><div id="header"><h1>Server Error</h1></div><div id="content"><h2>404 - File '
    "or directory not found.</h2><h3>The resource you are looking for might have been "
    "removed, had its name changed, or is temporarily unavailable.</h3></div></body></html>"
)
Action = Callable[[SimRequest, Mapping[str, str], str], SimResponse]


def _too_many(state: LimitState) -> SimResponse:
    wait = max(state.retry_after, 1)
    return answer(
        {
            "error": "ConnectWiseAPI",
            "message": f"Too many requests. Please try again in {wait} seconds.",
        },
        429,
    )


def _key_of(request: SimRequest) -> str:
    credentials = request.basic_auth()
    return credentials[0] if credentials else ""


class ConnectWiseServer:
    """The site's HTTP face over a :class:`ConnectWiseDesk`."""

    def __init__(
        self,
        desk: ConnectWiseDesk,
        *,
        faults: Faults | None = None,
        requests_per_minute: int = 1000,
    ) -> None:
        self.desk = desk
        self.site = Site(desk, faults if faults is not None else Faults())
        self.tickets = TicketController(self.site)
        self.lookups = LookupController(self.site)
        self.limiter = RateLimiter(requests_per_minute, 60.0, key=_key_of, refused=_too_many)
        self.api = self._api_router()
        outer = Router(not_found=self._iis_404, case_sensitive=False)
        outer.add("GET", "/login/companyinfo/{company}", self._company_info)
        outer.add("*", "/{codebase}/" + API_ROOT + "/{rest:path}", self._api)
        outer.add("*", "/{codebase}/" + API_ROOT, self._api)
        self.router = outer

    def handle(self, request: SimRequest) -> SimResponse:
        response = self.router(request)
        assert isinstance(response, SimResponse)  # every route answers synchronously
        return response

    @staticmethod
    def _iis_404(request: SimRequest) -> SimResponse:
        return SimResponse(404, IIS_404, "text/html")

    # ---- companyinfo -----------------------------------------------------------------

    def _company_info(self, request: SimRequest, params: Mapping[str, str]) -> SimResponse:
        if params["company"].casefold() != self.desk.login_company.casefold():
            return SimResponse(200, "null", "application/json; charset=utf-8")
        return answer(
            {
                "CompanyName": "Harbourline IT",
                "Codebase": self.desk.codebase,
                "VersionCode": VERSION_CODE,
                "VersionNumber": VERSION_NUMBER,
                "CompanyID": self.desk.login_company,
                "IsCloud": True,
                "SiteUrl": request.header("host") or "",
            }
        )

    # ---- the API ---------------------------------------------------------------------

    def _authenticate(self, request: SimRequest) -> SimResponse | None:
        credentials = request.basic_auth()
        expected_user = f"{self.desk.login_company}+{self.desk.public_key}"
        if (
            credentials is None
            or credentials[0].casefold() != expected_user.casefold()
            or credentials[1] != self.desk.private_key
        ):
            return error(401, "Unauthorized", "Authentication failed: unknown API keys.")
        if not (request.header("clientid") or "").strip():
            return error(401, "Unauthorized", "A clientId header is required for all API calls.")
        return None

    def _api(self, request: SimRequest, params: Mapping[str, str]) -> SimResponse:
        codebase = params["codebase"] + "/"
        if codebase.casefold() not in (self.desk.codebase.casefold(), LEGACY_CODEBASE):
            return self._iis_404(request)
        refused = self._authenticate(request)
        if refused is not None:
            return refused
        limited = self.limiter.check(request)
        if limited is not None:
            return limited
        path = "/" + params.get("rest", "").strip("/")
        found = self.api.match(request.method, path)
        if isinstance(found, list):
            if found:
                return error(
                    405,
                    "MethodNotAllowed",
                    f"The requested resource does not support http method '{request.method}'.",
                )
            return error(404, "NotFound", f"No route matches {path}.")
        route, values = found
        handler: Action = route.handler  # type: ignore[assignment]
        return handler(request, values, codebase)

    def _board_children(self, kind: str) -> Action:
        def action(request: SimRequest, params: Mapping[str, str], codebase: str) -> SimResponse:
            return self.lookups.board_children(request, int(params["id"]), kind, codebase)

        return action

    def _api_router(self) -> Router:
        router = Router(case_sensitive=False)
        t, lk = self.tickets, self.lookups

        def add(methods: Sequence[str], pattern: str, action: Action) -> None:
            for method in methods:
                router.add(method, pattern, action)  # type: ignore[arg-type]

        add(["GET"], "/system/info", lambda r, p, c: lk.system_info())
        add(["GET"], "/service/tickets", lambda r, p, c: t.listing(r, c))
        add(["POST"], "/service/tickets", lambda r, p, c: t.create(r, c))
        add(["GET"], "/service/tickets/count", lambda r, p, c: t.count(r))
        add(["POST"], "/service/tickets/search", lambda r, p, c: t.search(r, c))
        one = "/service/tickets/{id:int}"
        add(["GET"], one, lambda r, p, c: t.get(r, int(p["id"]), c))
        add(["PATCH"], one, lambda r, p, c: t.patch(r, int(p["id"]), c))
        add(["PUT"], one, lambda r, p, c: t.put(r, int(p["id"]), c))
        add(["DELETE"], one, lambda r, p, c: t.delete(int(p["id"])))
        add(["GET"], one + "/notes", lambda r, p, c: t.notes(r, int(p["id"]), c))
        add(["POST"], one + "/notes", lambda r, p, c: t.add_note(r, int(p["id"]), c))
        add(["GET"], one + "/notes/count", lambda r, p, c: t.notes_count(r, int(p["id"])))
        note = one + "/notes/{note:int}"
        add(["GET"], note, lambda r, p, c: t.note(r, int(p["id"]), int(p["note"]), c))
        add(
            ["PATCH", "PUT"],
            note,
            lambda r, p, c: t.change_note(r, int(p["id"]), int(p["note"]), c),
        )
        add(["DELETE"], note, lambda r, p, c: t.delete_note(int(p["id"]), int(p["note"])))
        add(["GET"], one + "/allNotes", lambda r, p, c: t.all_notes(r, int(p["id"]), c))
        add(["POST"], one + "/merge", lambda r, p, c: t.merge(r, int(p["id"])))
        add(["GET"], "/service/boards", lambda r, p, c: lk.boards(r, c))
        add(["GET"], "/service/boards/count", lambda r, p, c: lk.boards_count(r))
        add(["GET"], "/service/boards/{id:int}", lambda r, p, c: lk.board(r, int(p["id"]), c))
        for kind in ("statuses", "teams", "types"):
            add(["GET"], "/service/boards/{id:int}/" + kind, self._board_children(kind))
        add(["GET"], "/service/priorities", lambda r, p, c: lk.priorities(r, c))
        add(["GET"], "/system/members", lambda r, p, c: lk.members(r, c))
        add(["GET"], "/system/members/{id:int}", lambda r, p, c: lk.member(r, int(p["id"]), c))
        add(["GET"], "/company/companies", lambda r, p, c: lk.companies(r, c))
        add(["GET"], "/company/companies/count", lambda r, p, c: lk.companies_count(r))
        add(
            ["GET"],
            "/company/companies/{id:int}",
            lambda r, p, c: lk.company(r, int(p["id"]), c),
        )
        add(["GET"], "/company/contacts", lambda r, p, c: lk.contacts(r, c))
        add(["GET"], "/company/contacts/count", lambda r, p, c: lk.contacts_count(r))
        add(
            ["GET"],
            "/company/contacts/{id:int}",
            lambda r, p, c: lk.contact(r, int(p["id"]), c),
        )
        return router


def decode_basic(header: str) -> tuple[str, str] | None:
    """(user, password) of a Basic header value (for tests that build their own)."""
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user, sep, password = base64.b64decode(token).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (user, password) if sep else None
