"""HaloPSA's optional operations: attachments (list, fetch, upload), deleting a ticket and
the desk's own search, over :class:`adapters.halopsa.client.HaloClient`.

* **Attachments** are ``GET /Attachment?ticket_id=`` (``{record_count, attachments}``),
  one file's bytes ``GET /Attachment/{id}?includedetails=true`` (its ``data_base64``;
  without the flag Halo streams the bare file, which carries no name we can trust more),
  and an upload ``POST /Attachment [{ticket_id, filename, data_base64}]`` (seed "Attach
  File to Ticket").
* **Delete** is ``DELETE /Tickets/{id}``, with ``?reason=`` when one is given (seed
  "Delete Tickets"; the app's ``D`` and ``triage delete`` confirm first, the desk action
  ``delete-with-reason`` carries the reason).
* **Search** is ``GET /Tickets?search=`` (summary, details and id on the server), newest
  change first, one page of at most 100.
* **Time entries** are refused: Halo keeps time on actions (``timetaken``), and neither the
  seed nor the notes give a time command to build them on.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from adapters.actions import FileContent
from adapters.base import InvalidInput, NotFound, ProtocolError
from adapters.halopsa import wire
from adapters.halopsa.client import HaloClient
from adapters.model import Attachment, Ticket

SEARCH_PAGE = 100
"""Tickets one search returns (Halo's largest page)."""


class HaloOperations(HaloClient):
    """The optional operations; :class:`~adapters.halopsa.adapter.HaloAdapter` adds the
    common ones and the desk actions."""

    def number(self, ticket_id: str, field: str = "ticket_id") -> str:
        """The ticket number in ``ticket_id`` (``#`` and spaces allowed)."""
        text = str(ticket_id).strip().lstrip("#")
        if not text.isdigit():
            raise InvalidInput(self.name, field, f"{ticket_id!r} is not a ticket number")
        return str(int(text))

    # ---- attachments ------------------------------------------------------------------

    async def attachments(self, ticket_id: str) -> list[dict[str, Any]]:
        """The ticket's attachment records, as Halo sends them."""
        return await self.listed(
            "/Attachment", "attachments", {"ticket_id": self.number(ticket_id)}
        )

    async def list_attachments(self, ticket_id: str) -> list[Attachment]:
        return [_attachment(row) for row in await self.attachments(ticket_id)]

    async def download_attachment(self, ticket_id: str, attachment_id: str) -> FileContent:
        number = self.number(ticket_id)
        wanted = attachment_id.strip()
        if not wanted.isdigit():
            raise InvalidInput(self.name, "attachment", f"{attachment_id!r} is not an id")
        body = await self.json("GET", f"/Attachment/{wanted}", params={"includedetails": "true"})
        if not isinstance(body, dict):
            raise ProtocolError(self.name, f"answer to GET /Attachment/{wanted}", "not a record")
        if wire.ident(body.get("ticket_id")) not in ("", number):
            raise NotFound(self.name, f"attachment {wanted} is not on ticket {number}")
        try:
            data = base64.b64decode(str(body.get("data_base64") or ""), validate=True)
        except (binascii.Error, ValueError):
            raise ProtocolError(
                self.name, f"attachment {wanted}", "data_base64 is not base64"
            ) from None
        return FileContent(
            name=str(body.get("filename") or f"attachment-{wanted}"),
            data=data,
            content_type=None,
        )

    async def attach(self, ticket_id: str, filename: str, data: bytes) -> dict[str, Any]:
        """``POST /Attachment``: the saved record."""
        number = self.number(ticket_id)
        if not filename.strip():
            raise InvalidInput(self.name, "name", "must not be empty")
        record = {
            "ticket_id": int(number),
            "filename": filename.strip(),
            "data_base64": base64.b64encode(data).decode("ascii"),
        }
        body = await self.json("POST", "/Attachment", body=[record])
        saved = body[0] if isinstance(body, list) and body else body
        if not isinstance(saved, dict):
            raise ProtocolError(self.name, "answer to POST /Attachment", "not the saved record")
        return saved

    async def upload_attachment(self, ticket_id: str, name: str, data: bytes) -> Attachment:
        return _attachment(await self.attach(ticket_id, name, data))

    # ---- delete, search ---------------------------------------------------------------

    async def delete_ticket(self, ticket_id: str, reason: str = "") -> None:
        """Delete a ticket (``DELETE /Tickets/{id}?reason=``); the caller confirms first."""
        number = self.number(ticket_id)
        params = {"reason": reason.strip()} if reason.strip() else None
        await self.send("DELETE", f"/Tickets/{number}", params=params)

    async def search_tickets(self, query: str) -> list[Ticket]:
        text = query.strip()
        if not text:
            raise InvalidInput(self.name, "query", "enter something to search for")
        params = {
            "pageinate": "true",
            "page_size": SEARCH_PAGE,
            "page_no": 1,
            "order": "last_update",
            "orderdesc": "true",
            "search": text,
        }
        body = await self.json("GET", "/Tickets", params=params)
        catalog = await self.catalog.get()
        try:
            return [wire.ticket(self.name, row, catalog) for row in wire.records(body, "tickets")]
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise self.protocol("ticket search", exc) from None


def _attachment(row: dict[str, Any]) -> Attachment:
    size = row.get("filesize")
    return Attachment(
        id=wire.ident(row.get("id")) or None,
        name=str(row.get("filename") or "attachment"),
        size=size if isinstance(size, int) and size >= 0 else None,
        created=wire.parse_time(row.get("datecreated")),
    )
