"""Method + path-pattern routing for the JSON simulators, with the vendor's own 404 and 405.

Every REST vendor routes ``GET /tickets/{id}`` the same way; what differs is how each one
says "no such route" and "wrong verb" (an HTML page, a JSON error object, an empty 404).
The :class:`Router` does the matching once and leaves those two answers to hooks.

Patterns are literal segments and parameters: ``{name}`` matches one segment, ``{name:int}``
one segment of digits, ``{name:path}`` any run of the path (slashes included, possibly
empty; a pattern may start with one, e.g. ``{prefix:path}/api/index.php``). Parameters
arrive as strings, percent-decoded. The router is itself a handler, so ``asgi_app(router)``
serves it; query, form and JSON bodies are read from the request
(:meth:`SimRequest.query_value`, :meth:`SimRequest.form`, :meth:`SimRequest.json`). Vendors
whose routes live elsewhere (Kayako's are in the query) still use it for the endpoint.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import unquote

from adapters.simulation.request import SimRequest, SimResponse

RouteHandler = Callable[[SimRequest, Mapping[str, str]], "SimResponse | Awaitable[SimResponse]"]
NotFoundHook = Callable[[SimRequest], SimResponse]
NotAllowedHook = Callable[[SimRequest, Sequence[str]], SimResponse]

ANY_METHOD = "*"
_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?::(int|path))?\}")
_KINDS = {None: r"[^/]+", "int": r"[0-9]+", "path": r".*"}


def default_not_found(request: SimRequest) -> SimResponse:
    return SimResponse.text(404, "Not Found\n")


def default_not_allowed(request: SimRequest, allowed: Sequence[str]) -> SimResponse:
    return SimResponse(
        status=405,
        body="Method Not Allowed\n",
        content_type="text/plain; charset=utf-8",
        headers=(("Allow", ", ".join(allowed)),),
    )


def compile_pattern(pattern: str, *, case_sensitive: bool = True) -> re.Pattern[str]:
    """The regular expression of a route pattern (see the module docstring)."""
    if not (pattern.startswith("/") or re.match(r"\{[A-Za-z_][A-Za-z0-9_]*:path\}", pattern)):
        raise ValueError(f"route patterns start with '/' or a path parameter: {pattern!r}")
    parts: list[str] = []
    position = 0
    names: set[str] = set()
    for match in _PARAM.finditer(pattern):
        name, kind = match.group(1), match.group(2)
        if name in names:
            raise ValueError(f"parameter {name!r} appears twice in {pattern!r}")
        names.add(name)
        parts.append(re.escape(pattern[position : match.start()]))
        parts.append(f"(?P<{name}>{_KINDS[kind]})")
        position = match.end()
    parts.append(re.escape(pattern[position:]))
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.compile("".join(parts), flags)


@dataclass(frozen=True)
class Route:
    method: str
    pattern: str
    regex: re.Pattern[str]
    handler: RouteHandler


class Router:
    """Routes a request to the first route whose pattern matches its path and method.

    A path that matches no pattern goes to ``not_found``; a path that matches only under
    other methods goes to ``not_allowed`` with those methods. ``strict_slashes=False``
    treats ``/tickets/`` as ``/tickets``; ``case_sensitive=False`` matches literal
    segments whatever their case (some vendors' servers do).
    """

    def __init__(
        self,
        *,
        not_found: NotFoundHook = default_not_found,
        not_allowed: NotAllowedHook = default_not_allowed,
        strict_slashes: bool = False,
        case_sensitive: bool = True,
    ) -> None:
        self.not_found = not_found
        self.not_allowed = not_allowed
        self.strict_slashes = strict_slashes
        self.case_sensitive = case_sensitive
        self.routes: list[Route] = []

    def add(self, method: str, pattern: str, handler: RouteHandler) -> None:
        """Route ``method`` (or ``"*"``: every method) on ``pattern`` to ``handler``."""
        regex = compile_pattern(pattern, case_sensitive=self.case_sensitive)
        self.routes.append(Route(method.upper(), pattern, regex, handler))

    def route(self, method: str, pattern: str) -> Callable[[RouteHandler], RouteHandler]:
        """Decorator form of :meth:`add`."""

        def register(handler: RouteHandler) -> RouteHandler:
            self.add(method, pattern, handler)
            return handler

        return register

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | list[str]:
        """(route, parameters) for a request, or the methods the path allows ([]: none)."""
        if not self.strict_slashes and len(path) > 1:
            path = path.rstrip("/") or "/"
        allowed: list[str] = []
        for route in self.routes:
            found = route.regex.fullmatch(path)
            if found is None:
                continue
            if route.method in (ANY_METHOD, method.upper()):
                params = {name: unquote(value) for name, value in found.groupdict().items()}
                return route, params
            if route.method not in allowed:
                allowed.append(route.method)
        return allowed

    def __call__(self, request: SimRequest) -> SimResponse | Awaitable[SimResponse]:
        found = self.match(request.method, request.path)
        if isinstance(found, list):
            if found:
                return self.not_allowed(request, found)
            return self.not_found(request)
        route, params = found
        return route.handler(request, params)
