"""The fake desk's adapter: its wire protocol and nothing else, everything shared comes from
the kit (client and OAuth2 from :mod:`adapters.http`/:mod:`adapters.oauth`, paging from
:mod:`adapters.paging`, lookups from :mod:`adapters.lookups`, health, status mapping and
the emulated merge from :class:`adapters.base.Adapter`)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import datetime
from typing import Any, ClassVar

import httpx
from pydantic import SecretStr

from adapters.base import (
    Adapter,
    Capabilities,
    Capability,
    ConnectionSettings,
    InvalidInput,
    ProtocolError,
    Unsupported,
)
from adapters.http import StatusHints
from adapters.lookups import ChoiceCatalogue, LookupCache, priority_ranks, status_category
from adapters.model import (
    UNASSIGNED,
    ActionResult,
    AuthorKind,
    Change,
    Choice,
    CustomField,
    CustomFieldValue,
    FieldType,
    Lookups,
    NewTicket,
    Person,
    Post,
    PostKind,
    Ticket,
    TicketDetail,
    TicketKey,
    TicketPage,
    TicketQuery,
    Visibility,
)
from adapters.oauth import OAuth2ClientCredentials
from adapters.paging import FetchedPage, PageRequest, ticket_pages


class FakeDeskSettings(ConnectionSettings):
    client_id: str
    client_secret: SecretStr


def _message(response: httpx.Response) -> str:
    try:
        body = json.loads(response.content)
    except ValueError:
        return ""
    return str(body.get("error", "")) if isinstance(body, dict) else ""


def _field(response_text: str) -> str:
    return (
        response_text.removeprefix("invalid ")
        if response_text.startswith("invalid ")
        else "request"
    )


HINTS = StatusHints(message=_message, field_of=_field, unauthorized="check client_id")
_CHANGE = {"status_id": "status_id", "priority_id": "priority_id", "group_id": "group_id"}


class FakeDeskAdapter(Adapter):
    vendor: ClassVar[str] = "fakedesk"
    settings_class: ClassVar[type[ConnectionSettings]] = FakeDeskSettings
    capabilities: ClassVar[Capabilities] = Capabilities(
        update=Capability.yes("status, priority, group, agent"),
        assign=Capability.yes("agent and/or group"),
        close=Capability.yes("the Closed status, after an optional private note"),
        merge=Capability.emulate("notes and closing, the kit's emulated merge"),
        reply=Capability.yes("public post"),
        note=Capability.yes("private post"),
        custom_fields=Capability.yes("text fields by key"),
        create=Capability.no("the fake desk takes new tickets by email only"),
    )
    settings: FakeDeskSettings

    def __init__(
        self, settings: ConnectionSettings, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        super().__init__(settings, transport=transport)
        assert isinstance(settings, FakeDeskSettings)
        self.settings = settings
        base = settings.url.rstrip("/")
        auth = OAuth2ClientCredentials(
            settings.name,
            f"{base}/oauth/token",
            settings.client_id,
            settings.client_secret.get_secret_value(),
        )
        self.http = self.build_http(f"{base}/api", auth=auth)
        self.catalogue = LookupCache(self._load_catalogue)

    async def _json(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        response = await self.http.request(method, path, json=body, params=params or None)
        self.http.raise_for_status(response, f"{method} {path}", HINTS)
        try:
            return json.loads(response.content)
        except ValueError:
            raise ProtocolError(self.name, f"answer to {method} {path}", "not JSON") from None

    async def _load_catalogue(self) -> ChoiceCatalogue:
        statuses, priorities = (
            await self._json("GET", "/statuses"),
            await self._json("GET", "/priorities"),
        )
        agents, groups = await self._json("GET", "/agents"), await self._json("GET", "/groups")
        ranks = priority_ranks([(p["id"], p["name"], -i) for i, p in enumerate(priorities)])
        return ChoiceCatalogue(
            statuses=[
                Choice(
                    id=str(s["id"]),
                    label=s["name"],
                    category=status_category(
                        str(s["id"]),
                        s["name"],
                        done=s.get("closed", False),
                        overrides=self.settings.status_map,
                    ),
                )
                for s in statuses
            ],
            priorities=[
                Choice(id=str(p["id"]), label=p["name"], rank=ranks[p["id"]]) for p in priorities
            ],
            agents=[Choice(id=str(a["id"]), label=a["name"]) for a in agents],
            groups=[Choice(id=str(g["id"]), label=g["name"]) for g in groups],
        )

    async def lookups(self) -> Lookups:
        return (await self.catalogue.get(refresh=True)).lookups()

    async def _ticket(self, row: dict[str, Any]) -> Ticket:
        catalogue = await self.catalogue.get()
        agent = catalogue.agent(str(row["agent_id"] or ""))
        return Ticket(
            key=TicketKey(self.name, str(row["id"])),
            display_id=str(row["id"]),
            subject=row["subject"],
            status=catalogue.status(str(row["status_id"])),
            priority=catalogue.priority(str(row["priority_id"])),
            group=catalogue.group(str(row["group_id"])),
            assignee=Person(id=agent.id, name=agent.label) if agent else None,
            requester=Person(**row["requester"]),
            created=datetime.fromisoformat(row["created_at"]),
            updated=datetime.fromisoformat(row["updated_at"]),
        )

    def _id(self, ticket_id: str) -> str:
        if not ticket_id.strip().isdigit():
            raise InvalidInput(self.name, "ticket_id", f"{ticket_id!r} is not a ticket number")
        return ticket_id.strip()

    async def list_tickets(self, query: TicketQuery | None = None) -> AsyncIterator[TicketPage]:
        size = (query or TicketQuery()).page_size

        async def fetch(page: PageRequest) -> FetchedPage:
            body = await self._json("GET", "/tickets", page=page.number, per_page=page.size)
            return FetchedPage(
                [await self._ticket(t) for t in body["tickets"]], total=body["total"]
            )

        async for page in ticket_pages(self.name, fetch, page_size=size):
            yield page

    async def get_ticket(self, ticket_id: str) -> TicketDetail:
        row = await self._json("GET", f"/tickets/{self._id(ticket_id)}")
        fields = tuple(
            CustomField(key=k, label=k.title(), group="Fields", type=FieldType.TEXT, value=v)
            for k, v in row["fields"].items()
        )
        return TicketDetail(
            ticket=await self._ticket(row),
            posts=tuple(self._post(p) for p in row["posts"]),
            custom_fields=fields,
            raw=row,
        )

    def _post(self, row: dict[str, Any]) -> Post:
        agent = row["author"].endswith("Agent")
        return Post(
            id=str(row["id"]),
            author=Person(name=row["author"]),
            author_kind=AuthorKind.AGENT if agent else AuthorKind.CUSTOMER,
            created=datetime.fromisoformat(row["created_at"]),
            body=row["body"],
            visibility=Visibility.PRIVATE if row["private"] else Visibility.PUBLIC,
            kind=PostKind.NOTE if row["private"] else PostKind.REPLY,
        )

    async def update(self, ticket_id: str, change: Change) -> Ticket:
        if change.is_empty():
            raise InvalidInput(self.name, "change", "nothing to change")
        body: dict[str, Any] = {"subject": change.subject} if change.subject else {}
        for name in ("status_id", "priority_id", "group_id", "assignee_id"):
            value = getattr(change, name)
            if value is None:
                continue
            wire_name = _CHANGE.get(name, "agent_id")
            if name == "assignee_id" and value == UNASSIGNED:
                body[wire_name] = None
            elif value.isdigit():
                body[wire_name] = int(value)
            else:
                raise InvalidInput(self.name, name, f"{value!r} is not an id")
        return await self._ticket(
            await self._json("PATCH", f"/tickets/{self._id(ticket_id)}", body)
        )

    async def assign(self, ticket_id: str, agent_id: str | None, group_id: str | None) -> Ticket:
        if agent_id is None and group_id is None:
            raise InvalidInput(self.name, "agent_id", "give an agent and/or a group")
        return await self.update(ticket_id, Change(assignee_id=agent_id, group_id=group_id))

    async def add_post(self, ticket_id: str, text: str, visibility: Visibility) -> Post:
        if not text.strip():
            raise InvalidInput(self.name, "text", "must not be empty")
        body = {"body": text, "private": visibility is Visibility.PRIVATE}
        return self._post(await self._json("POST", f"/tickets/{self._id(ticket_id)}/posts", body))

    async def close(self, ticket_id: str, note: str = "", resolution: str = "") -> Ticket:
        text = "\n\n".join(p for p in (note.strip(), resolution.strip()) if p)
        if text:
            await self.add_post(ticket_id, text, Visibility.PRIVATE)
        closed = [
            s
            for s in (await self.catalogue.get()).lookups().statuses
            if s.category and s.category.is_done
        ]
        return await self.update(ticket_id, Change(status_id=closed[0].id))

    async def merge(self, target_id: str, source_ids: Sequence[str]) -> list[ActionResult]:
        return await self.emulated_merge(target_id, source_ids)

    async def set_custom_fields(
        self, ticket_id: str, values: Mapping[str, CustomFieldValue]
    ) -> tuple[CustomField, ...]:
        await self._json("PUT", f"/tickets/{self._id(ticket_id)}/fields", dict(values))
        return (await self.get_ticket(ticket_id)).custom_fields

    async def create_ticket(self, new: NewTicket) -> TicketDetail:
        raise Unsupported(self.name, self.capabilities.create.reason)
