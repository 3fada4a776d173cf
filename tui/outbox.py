"""The outbox: replies, notes and new tickets the agent typed, kept until the desk
confirms them.

Nothing typed may be lost. Before a reply, note or new ticket is sent, the caller stores it
here; the
entry stays (in memory and in ``outbox.json`` under the user data dir) until the desk has
confirmed it, so a failed send keeps the draft beside the reason, and a crash or a restart
brings it back.

The file is rewritten atomically (a temporary file in the same directory, flushed and
renamed over the old one) with mode 0600: drafts can hold customer data. An entry found in
the ``sending`` state when the file is loaded was interrupted mid-send, so the desk may or
may not have it; it is loaded as ``failed`` with that explanation rather than being sent a
second time without the agent deciding to.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

import platformdirs
from pydantic import BaseModel, ConfigDict, ValidationError

from adapters.model import CustomFieldValue, NewTicket, TicketKey, Visibility

log = logging.getLogger("triage.outbox")

FILE_NAME = "outbox.json"
FORMAT_VERSION = 1
INTERRUPTED = "interrupted while sending: the desk may or may not have it; check the ticket"


class OutboxState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    FAILED = "failed"


class OutboxEntry(BaseModel):
    """One unconfirmed reply, note or new ticket.

    ``key`` is the ticket key as ``connection:id``; for a new ticket (``new_ticket`` set,
    its body in ``text``) it is the connection's name alone, as the ticket has no id yet,
    and ``custom_fields`` holds the values to set once it has.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    key: str
    visibility: Visibility
    text: str
    created: datetime
    state: OutboxState = OutboxState.PENDING
    last_error: str = ""
    new_ticket: NewTicket | None = None
    custom_fields: dict[str, CustomFieldValue] = {}

    @property
    def is_new_ticket(self) -> bool:
        return self.new_ticket is not None

    @property
    def connection(self) -> str:
        return self.key.partition(":")[0]

    @property
    def ticket_key(self) -> TicketKey:
        """The ticket's key (``ValueError`` for a new ticket, which has none yet)."""
        if self.new_ticket is not None:
            raise ValueError(f"a new ticket on {self.key} has no key yet")
        return TicketKey.parse(self.key)


class _OutboxFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = FORMAT_VERSION
    entries: list[OutboxEntry] = []


class OutboxError(Exception):
    """The outbox file could not be read or written; ``path`` names it."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def default_outbox_path() -> Path:
    return Path(platformdirs.user_data_dir("triage")) / FILE_NAME


class Outbox:
    """Drafts not yet confirmed by their desk, persisted after every change.

    ``load_error`` is set when the file existed but could not be read; the unreadable file
    is moved aside (``outbox.json.unreadable-<time>``), never overwritten, so no draft is
    destroyed by a bad file, and the UI can tell the agent where it went.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else default_outbox_path()
        self.load_error: str | None = None
        self._entries: dict[str, OutboxEntry] = {}
        self.load()

    # -- reading --------------------------------------------------------------------------

    def load(self) -> None:
        """(Re)read the file. A missing file is an empty outbox."""
        self._entries = {}
        self.load_error = None
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            raise OutboxError(self.path, f"cannot read: {exc.strerror or exc}") from None
        try:
            stored = _OutboxFile.model_validate_json(data)
        except ValidationError as exc:
            aside = self._move_aside()
            self.load_error = (
                f"{self.path} could not be read ({exc.error_count()} problem(s)); "
                f"it was kept as {aside}"
            )
            log.warning("%s", self.load_error)
            return
        changed = False
        for entry in stored.entries:
            if entry.state is OutboxState.SENDING:
                entry = entry.model_copy(
                    update={"state": OutboxState.FAILED, "last_error": INTERRUPTED}
                )
                changed = True
            self._entries[entry.id] = entry
        if changed:
            self._save()

    def _move_aside(self) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.unreadable-{stamp}")
        os.replace(self.path, aside)
        return aside

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._entries

    def get(self, entry_id: str) -> OutboxEntry:
        try:
            return self._entries[entry_id]
        except KeyError:
            raise KeyError(f"no outbox entry {entry_id!r}") from None

    def pending(self) -> list[OutboxEntry]:
        """Every unconfirmed entry (pending, sending or failed), oldest first."""
        return sorted(self._entries.values(), key=lambda entry: entry.created)

    def drafts_for(self, key: TicketKey | str) -> list[OutboxEntry]:
        """The unconfirmed entries of one ticket, oldest first."""
        wanted = str(key)
        return [entry for entry in self.pending() if entry.key == wanted]

    # -- changing -------------------------------------------------------------------------

    def add(self, key: TicketKey | str, text: str, visibility: Visibility) -> OutboxEntry:
        """Store a new draft (state ``pending``) and persist it before returning."""
        ticket_key = key if isinstance(key, TicketKey) else TicketKey.parse(key)
        entry = OutboxEntry(
            id=uuid.uuid4().hex,
            key=str(ticket_key),
            visibility=visibility,
            text=text,
            created=datetime.now(UTC),
        )
        self._put(entry)
        return entry

    def add_new_ticket(
        self,
        connection: str,
        new: NewTicket,
        custom_fields: Mapping[str, CustomFieldValue] | None = None,
    ) -> OutboxEntry:
        """Store a ticket to create on ``connection`` (state ``pending``) before it is sent."""
        if not connection or ":" in connection:
            raise ValueError(f"{connection!r} is not a connection name")
        entry = OutboxEntry(
            id=uuid.uuid4().hex,
            key=connection,
            visibility=Visibility.PUBLIC,
            text=new.body,
            created=datetime.now(UTC),
            new_ticket=new,
            custom_fields=dict(custom_fields or {}),
        )
        self._put(entry)
        return entry

    def new_tickets(self) -> list[OutboxEntry]:
        """The unconfirmed new tickets, oldest first."""
        return [entry for entry in self.pending() if entry.is_new_ticket]

    def update_text(self, entry_id: str, text: str) -> OutboxEntry:
        """The agent edited a draft (typically a failed one) before sending it again."""
        return self._put(
            self.get(entry_id).model_copy(update={"text": text, "state": OutboxState.PENDING})
        )

    def mark_sending(self, entry_id: str) -> OutboxEntry:
        return self._put(self.get(entry_id).model_copy(update={"state": OutboxState.SENDING}))

    def mark_failed(self, entry_id: str, error: str) -> OutboxEntry:
        """The send failed: keep the draft, with the reason the agent will see."""
        return self._put(
            self.get(entry_id).model_copy(update={"state": OutboxState.FAILED, "last_error": error})
        )

    def confirm(self, entry_id: str) -> None:
        """The desk has the post: the draft is no longer needed."""
        self._remove(entry_id)

    def discard(self, entry_id: str) -> None:
        """The agent chose to throw a draft away."""
        self._remove(entry_id)

    def _remove(self, entry_id: str) -> None:
        removed = self._entries.pop(entry_id, None)
        if removed is None:
            raise KeyError(f"no outbox entry {entry_id!r}")
        try:
            self._save()
        except OutboxError:
            self._entries[entry_id] = removed
            raise

    def _put(self, entry: OutboxEntry) -> OutboxEntry:
        previous = self._entries.get(entry.id)
        self._entries[entry.id] = entry
        try:
            self._save()
        except OutboxError:
            # Memory and disk must agree, so the caller knows the change did not stick.
            if previous is None:
                del self._entries[entry.id]
            else:
                self._entries[entry.id] = previous
            raise
        return entry

    def _save(self) -> None:
        payload = _OutboxFile(entries=self.pending()).model_dump_json(indent=1)
        directory = self.path.parent
        try:
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            # mkstemp creates the file 0600, so the text is never readable by others.
            fd, temp_name = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=directory)
        except OSError as exc:
            raise OutboxError(self.path, f"cannot write: {exc.strerror or exc}") from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp_name, self.path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
            raise OutboxError(self.path, f"cannot write: {exc.strerror or exc}") from None
