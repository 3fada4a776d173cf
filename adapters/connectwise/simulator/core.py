"""What every part of the simulated PSA API shares: the site, the error bodies, reading a
JSON body, rendering records with their hrefs, and answering a list the way the API does.

Error bodies are ConnectWise's ``{"code", "message", "errors"}`` (``errors`` left out when
there are none); a list is a bare JSON array with an RFC 5988 ``Link`` header whose URLs end
in ``page=N`` (clients read the number with ``page=(\\d+)>; rel="next"``).
"""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from adapters.connectwise.sim_data import ConnectWiseDesk
from adapters.connectwise.sim_data.config import API_MEMBER_ID
from adapters.connectwise.sim_data.records import Record, stamp
from adapters.connectwise.simulator.conditions import ConditionError, matches, parse, values_at
from adapters.simulation import Faults, SimRequest, SimResponse

API_ROOT = "apis/3.0"
DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 1000
JSON_TYPE = "application/json; charset=utf-8"


@dataclass
class Site:
    """The desk behind the API, the faults it injects, and what it has e-mailed."""

    desk: ConnectWiseDesk
    faults: Faults
    clock: Callable[[], float] = time.time
    outbox: list[dict[str, Any]] = field(default_factory=list)
    merged_notes: set[int] = field(default_factory=set)

    def now(self) -> str:
        return stamp(self.clock())

    def api_member(self) -> Record:
        member = self.desk.members[API_MEMBER_ID]
        return {"id": member["id"], "identifier": member["identifier"]}


def answer(payload: Any, status: int = 200, headers: Sequence[tuple[str, str]] = ()) -> SimResponse:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return SimResponse(status=status, body=body, content_type=JSON_TYPE, headers=headers)


def error(
    status: int, code: str, message: str, errors: Iterable[Mapping[str, Any]] | None = None
) -> SimResponse:
    payload: dict[str, Any] = {"code": code, "message": message}
    listed = list(errors or ())
    if listed:
        payload["errors"] = listed
    return answer(payload, status)


def field_error(code: str, message: str, resource: str, field_name: str) -> dict[str, str]:
    return {"code": code, "message": message, "resource": resource, "field": field_name}


def invalid(resource: str, errors: Iterable[Mapping[str, Any]]) -> SimResponse:
    return error(400, "InvalidObject", f"{resource} object is invalid", errors)


def not_found(what: str, ident: object) -> SimResponse:
    return error(404, "NotFound", f"{what} {ident} not found")


class BodyError(ValueError):
    """A request body the server cannot read; carries the answer."""

    def __init__(self, response: SimResponse) -> None:
        super().__init__("bad body")
        self.response = response


def json_body(request: SimRequest) -> Any:
    """The body as JSON, or the 400 Json.NET's reader gives."""
    try:
        return request.json()
    except (ValueError, UnicodeDecodeError) as exc:
        raise BodyError(
            error(400, "InvalidObject", f"The request body is not valid JSON: {exc}")
        ) from None


def json_object(request: SimRequest) -> dict[str, Any]:
    """The body as a JSON object, or the 400 for a body that is not JSON or not an object."""
    body = json_body(request)
    if not isinstance(body, dict):
        raise BodyError(error(400, "InvalidObject", "The request body must be an object."))
    return body


def site_url(request: SimRequest) -> str:
    """The URL the client reached the site at (for hrefs and Link headers)."""
    host = request.header("host") or "localhost"
    scheme = request.header("x-forwarded-proto")
    if scheme is None:
        local = ":" in host or host.endswith((".sim", "localhost")) or host[0].isdigit()
        scheme = "http" if local else "https"
    return f"{scheme}://{host}{request.root_path}"


# --------------------------------------------------------------------------------------
# References and their hrefs
# --------------------------------------------------------------------------------------

HREFS: Mapping[str, Callable[[Record, Record], str]] = {
    "board": lambda r, _: f"service/boards/{r['id']}",
    "status": lambda r, t: f"service/boards/{t.get('board', {}).get('id', 0)}/statuses/{r['id']}",
    "team": lambda r, t: f"service/boards/{t.get('board', {}).get('id', 0)}/teams/{r['id']}",
    "type": lambda r, t: f"service/boards/{t.get('board', {}).get('id', 0)}/types/{r['id']}",
    "company": lambda r, _: f"company/companies/{r['id']}",
    "contact": lambda r, _: f"company/contacts/{r['id']}",
    "owner": lambda r, _: f"system/members/{r['id']}",
    "member": lambda r, _: f"system/members/{r['id']}",
    "teamLeader": lambda r, _: f"system/members/{r['id']}",
    "priority": lambda r, _: f"service/priorities/{r['id']}",
    "source": lambda r, _: f"service/sources/{r['id']}",
    "site": lambda r, t: f"company/companies/{t.get('company', {}).get('id', 0)}/sites/{r['id']}",
    "location": lambda r, _: f"system/locations/{r['id']}",
    "department": lambda r, _: f"system/departments/{r['id']}",
    "mergedParentTicket": lambda r, _: f"service/tickets/{r['id']}",
    "ticket": lambda r, _: f"service/tickets/{r['id']}",
}
_HREF_NAMES = {
    "owner": "member_href",
    "teamLeader": "member_href",
    "mergedParentTicket": "ticket_href",
}


def render(record: Record, base: str, codebase: str) -> Record:
    """A copy of ``record`` with each reference's ``_info`` href, as the API sends them
    (``base`` is the site's URL, ``codebase`` the one the request used)."""
    out = copy.deepcopy(record)
    api = f"{base}/{codebase}{API_ROOT}/"
    for key, value in out.items():
        builder = HREFS.get(key)
        if builder is not None and isinstance(value, dict) and "id" in value:
            name = _HREF_NAMES.get(key, f"{key}_href")
            value["_info"] = {name: api + builder(value, record)}
    return out


# --------------------------------------------------------------------------------------
# Lists: conditions, orderBy, fields, paging
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Schema:
    """What a resource's conditions may name: top-level fields, reference fields (with
    their sub-fields), and aliases (``lastUpdated`` is ``_info/lastUpdated`` on tickets)."""

    resource: str
    fields: frozenset[str]
    references: frozenset[str] = frozenset()
    arrays: Mapping[str, frozenset[str]] = field(default_factory=dict)
    aliases: Mapping[str, str] = field(default_factory=dict)

    def knows(self, path: str) -> bool:
        target = self.alias(path)
        head, _, rest = target.partition("/")
        names = {name.lower(): name for name in (*self.fields, *self.references, *self.arrays)}
        name = names.get(head.lower())
        if name is None:
            return False
        if not rest:
            return True  # a field, an array, or a reference compared with null
        if name == "_info":
            return rest.lower() in {"lastupdated", "dateentered", "updatedby", "enteredby"}
        if name in self.arrays:
            return rest.lower() in {sub.lower() for sub in self.arrays[name]} or rest.lower() in {
                "id",
                "name",
            }
        return name in self.references and rest.lower() in {"id", "name", "identifier", "sort"}

    def alias(self, path: str) -> str:
        return self.aliases.get(path.lower(), path)


def filtered(request: SimRequest, items: Iterable[Record], schema: Schema) -> list[Record]:
    """``items`` passing ``conditions`` and ``childConditions`` (400 on a bad one)."""
    nodes = []
    for name in ("conditions", "childConditions"):
        text = request.query_value(name)
        if text:
            nodes.append(parse(text, schema.knows))
    custom = request.query_value("customFieldConditions")
    custom_node = parse(custom, {"caption", "value", "id"}) if custom else None
    result: list[Record] = []
    for item in items:
        if not all(matches(node, item, schema.alias) for node in nodes):
            continue
        if custom_node is not None and not any(
            matches(custom_node, entry) for entry in item.get("customFields", [])
        ):
            continue
        result.append(item)
    return result


def ordered(request: SimRequest, items: list[Record], schema: Schema) -> list[Record]:
    """``orderBy=field [asc|desc][, …]``; by id without one."""
    spec = request.query_value("orderBy") or request.query_value("orderby") or ""
    keys: list[tuple[str, bool]] = []
    for part in spec.split(","):
        words = part.split()
        if not words:
            continue
        direction = words[1].lower() if len(words) > 1 else "asc"
        if len(words) > 2 or direction not in ("asc", "desc") or not schema.knows(words[0]):
            raise ConditionError(f"{part.strip()} is not a recognized name.")
        keys.append((schema.alias(words[0]), direction == "desc"))
    if not keys:
        return sorted(items, key=lambda item: item.get("id", 0))
    result = sorted(items, key=lambda item: item.get("id", 0))
    for path, descending in reversed(keys):
        present = [i for i in result if _sort_key(i, path) is not None]
        missing = [i for i in result if _sort_key(i, path) is None]
        present.sort(key=lambda i: _sort_key(i, path), reverse=descending)
        result = present + missing if not descending else missing + present
    return result


def _sort_key(item: Record, path: str) -> Any:
    found = values_at(item, path)
    if not found or found[0] is None:
        return None
    value = found[0]
    if isinstance(value, str):
        return (1, value.casefold())
    if isinstance(value, bool):
        return (0, int(value))
    if isinstance(value, int | float):
        return (0, value)
    return (2, json.dumps(value))


def page_size(request: SimRequest) -> int:
    raw = request.query_value("pageSize") or request.query_value("pagesize")
    if raw is None:
        return DEFAULT_PAGE_SIZE
    try:
        size = int(raw)
    except ValueError:
        raise ConditionError(f"pageSize {raw} is not a number.") from None
    return max(1, min(size, MAX_PAGE_SIZE))


def page_number(request: SimRequest) -> int:
    raw = request.query_value("page")
    try:
        return max(1, int(raw)) if raw else 1
    except ValueError:
        raise ConditionError(f"page {raw} is not a number.") from None


def link(request: SimRequest, params: list[tuple[str, str]], rel: str) -> str:
    kept = [(k, v) for k, v in request.query if k.lower() not in ("page", "pagesize", "pageid")]
    url = f"{site_url(request)}{request.path}?{urlencode([*kept, *params])}"
    return f'<{url}>; rel="{rel}"'


def paged(request: SimRequest, items: list[Record]) -> tuple[list[Record], list[tuple[str, str]]]:
    """One page of ``items`` and the ``Link`` header, navigable or forward-only."""
    size = page_size(request)
    if (request.header("pagination-type") or "").lower() == "forward-only":
        raw = request.query_value("pageId") or "0"
        try:
            after = int(raw)
        except ValueError:
            raise ConditionError(f"pageId {raw} is not a number.") from None
        rest = sorted((i for i in items if i.get("id", 0) > after), key=lambda i: i["id"])
        chunk = rest[:size]
        last_id = chunk[-1]["id"] if chunk else after
        header = link(request, [("pageSize", str(size)), ("pageId", str(last_id))], "next")
        return chunk, [("Link", header)]
    number = page_number(request)
    total = len(items)
    last = max(1, -(-total // size))
    chunk = items[(number - 1) * size : number * size]
    links: list[str] = []
    if number > 1:
        links.append(link(request, [("pageSize", str(size)), ("page", "1")], "first"))
        prev = min(number - 1, last)
        links.append(link(request, [("pageSize", str(size)), ("page", str(prev))], "prev"))
    if number < last:
        links.append(link(request, [("pageSize", str(size)), ("page", str(number + 1))], "next"))
        links.append(link(request, [("pageSize", str(size)), ("page", str(last))], "last"))
    return chunk, [("Link", ", ".join(links))] if links else []


def partial(record: Record, fields_param: str | None) -> Record:
    """``fields=id,summary,status/name``: only those paths of the record."""
    if not fields_param:
        return record
    out: Record = {}
    for path in (p.strip() for p in fields_param.split(",")):
        if not path:
            continue
        source: Any = record
        target = out
        parts = path.split("/")
        for index, part in enumerate(parts):
            if not isinstance(source, dict) or part not in source:
                break
            if index == len(parts) - 1:
                target[part] = copy.deepcopy(source[part])
            else:
                target = target.setdefault(part, {})
                source = source[part]
    return out


def list_answer(
    request: SimRequest, items: Iterable[Record], schema: Schema, codebase: str
) -> SimResponse:
    """The whole list pipeline: filter, order, page, render, trim to ``fields``."""
    try:
        chosen = ordered(request, filtered(request, items, schema), schema)
        chunk, headers = paged(request, chosen)
    except ConditionError as exc:
        return error(400, "ApiFindCondition", str(exc))
    base = site_url(request)
    fields_param = request.query_value("fields")
    payload = [partial(render(item, base, codebase), fields_param) for item in chunk]
    return answer(payload, headers=headers)


def count_answer(request: SimRequest, items: Iterable[Record], schema: Schema) -> SimResponse:
    try:
        return answer({"count": len(filtered(request, items, schema))})
    except ConditionError as exc:
        return error(400, "ApiFindCondition", str(exc))


def one_answer(
    request: SimRequest, record: Record, codebase: str, status: int = 200
) -> SimResponse:
    rendered = partial(render(record, site_url(request), codebase), request.query_value("fields"))
    return answer(rendered, status)
