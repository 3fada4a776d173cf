"""The local cache: every desk's last known tickets, lookups, sync watermark and recently
opened details, in one SQLite file, so that a start paints at once and a refresh asks the
desk only for what changed.

Why SQLite (the standard library's ``sqlite3``) in WAL mode: the app and the CLI may use the
cache at the same time (``triage tickets --cached`` beside a running app); WAL lets readers
go on while one process writes, and ``busy_timeout`` makes a second writer wait its turn
instead of failing. The file lives in the user data directory; it holds customer data, so
the directory is 0700 and the file (with its ``-wal``/``-shm`` companions, which SQLite
creates with the database's mode) 0600.

Keys. A desk's rows belong to its connection name, its URL and an *identity*: an HMAC of
the connection's settings with the secrets resolved, under a random salt kept in the file
(never the secret, and not comparable between two caches). When any of the three changes
(another account, another instance, another department filter) the old rows are deleted
before anything is read, so a changed account never shows another's data. Settings that
only change how or when we talk to the desk (:data:`NOT_IDENTITY`) are left out.

Rows. A ticket is one row of columns rather than a JSON document: SQLite hands rows back as
tuples, so reading 100 000 tickets costs no parsing, and the row is about half the size of
the model's JSON. Statuses, priorities, types and groups are stored once per desk in
``choices`` and referenced by number; people and tags are stored inline as compact JSON and
shared on reading (the same requester on many tickets becomes one object). Times are integer
microseconds since the epoch, exact both ways. Rows are rebuilt without validation
(:func:`_construct`, what ``model_construct`` does less its per-field bookkeeping, a third
of the time): they were validated (and their text cleaned) when the desk's answer was
read, and validating 100 000 again would cost seconds at every start. The round-trip tests
compare what comes back with what went in, field by field.

Reading is newest first (index on ``updated``) and in batches, so the first rows are on
screen before the rest are read.

Failure. A cache is never worth a crash. A file that is not a database, is damaged, or was
written with another schema version is deleted and built again, with one notice the app
and the CLI show (:meth:`Cache.take_notices`); any other SQLite error (disk full, a lock
held too long) is logged, noticed once, and the operation behaves as if the cache were
empty.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import json
import logging
import os
import secrets
import sqlite3
import stat
import threading
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import platformdirs
from pydantic import SecretStr, ValidationError
from pydantic_core import to_jsonable_python

from adapters.base import ConnectionSettings
from adapters.model import Choice, Lookups, Person, Ticket, TicketDetail, TicketKey

log = logging.getLogger("triage.cache")

FILE_NAME = "cache.sqlite3"
SCHEMA_VERSION = 1
DETAILS_PER_DESK = 100
"""Recently opened details kept per connection (oldest opened dropped first)."""
FIRST_BATCH = 200
"""Tickets in the first batch read: what a warm start paints before reading the rest."""
READ_BATCH = 5000
"""Tickets per later batch."""
BUSY_TIMEOUT_MS = 5000

NOT_IDENTITY = frozenset(
    {"name", "url", "timeout", "verify_tls", "rate_limit", "refresh_interval", "reconcile_interval"}
)
"""Settings that change how or when the desk is asked, never which tickets it answers."""

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_SIDE_FILES = ("-wal", "-shm", "-journal")

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE desks (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL,
    identity TEXT NOT NULL,
    watermark TEXT,
    synced_at INTEGER,
    complete INTEGER NOT NULL DEFAULT 0,
    reconciled_at INTEGER,
    lookups TEXT
);
CREATE TABLE choices (
    id INTEGER PRIMARY KEY,
    desk INTEGER NOT NULL REFERENCES desks (id) ON DELETE CASCADE,
    data TEXT NOT NULL,
    UNIQUE (desk, data)
);
CREATE TABLE tickets (
    desk INTEGER NOT NULL REFERENCES desks (id) ON DELETE CASCADE,
    native_id TEXT NOT NULL,
    display_id TEXT,
    subject TEXT NOT NULL,
    status INTEGER,
    priority INTEGER,
    type INTEGER,
    grp INTEGER,
    requester TEXT,
    assignee TEXT,
    created INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    due INTEGER,
    tags TEXT,
    raw TEXT,
    PRIMARY KEY (desk, native_id)
) WITHOUT ROWID;
CREATE INDEX tickets_newest ON tickets (desk, updated DESC, native_id DESC);
CREATE TABLE details (
    desk INTEGER NOT NULL REFERENCES desks (id) ON DELETE CASCADE,
    native_id TEXT NOT NULL,
    opened INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (desk, native_id)
) WITHOUT ROWID;
"""

_TICKET_COLUMNS = (
    "native_id, display_id, subject, status, priority, type, grp, requester, assignee,"
    " created, updated, due, tags, raw"
)

FIRST_ROWS = (
    f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE desk = ?"
    " ORDER BY updated DESC, native_id DESC LIMIT ?"
)
NEXT_ROWS = (
    f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE desk = ? AND (updated, native_id) < (?, ?)"
    " ORDER BY updated DESC, native_id DESC LIMIT ?"
)
"""Newest first, a batch at a time: each batch resumes after the last row of the one
before, through ``tickets_newest`` (no sort of the whole desk)."""

T = TypeVar("T")


class CacheCorrupt(Exception):
    """A row could not be turned back into a model: the file is treated as damaged."""


def default_cache_path() -> Path:
    """``cache.sqlite3`` in the user data directory (beside the outbox)."""
    return Path(platformdirs.user_data_dir("triage")) / FILE_NAME


def remove_cache_file(path: Path) -> bool:
    """Delete the cache file and its WAL companions; True if there was one."""
    existed = False
    for suffix in ("", *_SIDE_FILES):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}{suffix}")
            existed = existed or suffix == ""
    return existed


# --------------------------------------------------------------------------------------
# Encoding
# --------------------------------------------------------------------------------------


def to_micros(moment: datetime) -> int:
    """Integer microseconds since the epoch, exact (no float on the way)."""
    return (moment - _EPOCH) // _MICROSECOND


def from_micros(value: int) -> datetime:
    return _EPOCH + timedelta(microseconds=value)


def _compact(values: list[Any]) -> str:
    while values and values[-1] is None:
        values.pop()
    return json.dumps(values, separators=(",", ":"), ensure_ascii=False)


def encode_choice(choice: Choice) -> str:
    category = None if choice.category is None else choice.category.value
    return _compact([choice.id, choice.label, category, choice.rank, choice.detail, choice.scope])


def encode_person(person: Person | None) -> str | None:
    return None if person is None else _compact([person.id, person.name, person.email])


_CHOICE_FIELDS = ("id", "label", "category", "rank", "detail", "scope")
_PERSON_FIELDS = ("id", "name", "email")


def decode_choice(data: str) -> Choice:
    return Choice.model_validate(dict(zip(_CHOICE_FIELDS, json.loads(data), strict=False)))


def decode_person(data: str) -> Person:
    return Person.model_validate(dict(zip(_PERSON_FIELDS, json.loads(data), strict=False)))


def credential_identity(settings: ConnectionSettings, salt: bytes) -> str:
    """HMAC-SHA256 (hex) of the settings that decide which tickets a desk shows, secrets
    resolved; see the module docstring. Equal settings and salt give equal identities."""
    payload: dict[str, Any] = {}
    for name in sorted(type(settings).model_fields):
        if name in NOT_IDENTITY:
            continue
        value = getattr(settings, name)
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        payload[name] = to_jsonable_python(value)
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hmac.new(salt, text.encode("utf-8"), hashlib.sha256).hexdigest()


# --------------------------------------------------------------------------------------
# The cache
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeskSnapshot:
    """What the cache knows about one desk's last sync."""

    watermark: str | None
    synced_at: datetime | None
    complete: bool
    reconciled_at: datetime | None
    count: int


@dataclass(frozen=True)
class CachedDesk:
    """One connection as the cache holds it (for ``triage cache`` output)."""

    name: str
    url: str
    count: int
    synced_at: datetime | None


class Cache:
    """The cache file, opened (and if need be rebuilt) on construction.

    Thread-safe: one SQLite connection guarded by a lock, so that a worker thread can read
    while the event loop writes. Each process opens its own ``Cache``.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else default_cache_path()
        self._lock = threading.RLock()
        self._notices: list[str] = []
        self._disabled: str | None = None
        self._db: sqlite3.Connection | None = None
        self._salt = b""
        self._open()

    # ---------------------------------------------------------------- opening

    def _open(self) -> None:
        try:
            self._connect()
            self._prepare()
        except sqlite3.DatabaseError as exc:
            if _is_damage(exc):
                self._rebuild(f"was unreadable ({exc})")
            else:
                self._disable(exc)
        except OSError as exc:
            self._disable(exc)

    def _connect(self) -> None:
        directory = self.path.parent
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        if stat.S_IMODE(directory.stat().st_mode) != 0o700:
            os.chmod(directory, 0o700)
        # Create the file 0600 before SQLite opens it; SQLite gives -wal/-shm its mode.
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if stat.S_IMODE(os.fstat(fd).st_mode) != 0o600:
                os.fchmod(fd, 0o600)
        finally:
            os.close(fd)
        db = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
        self._db = db
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA foreign_keys = ON")
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()
        if mode is None or str(mode[0]).lower() != "wal":
            log.info("cache: WAL mode unavailable (%s); using %s", self.path, mode)
        db.execute("PRAGMA synchronous = NORMAL")
        # After a checkpoint the WAL file is cut back to this size instead of staying as
        # large as the biggest write (a first sync of 100 000 tickets).
        db.execute("PRAGMA journal_size_limit = 4194304")

    def _prepare(self) -> None:
        """Create the schema in an empty file, rebuild one of another version."""
        db = self._conn()
        with self._write(db):
            version = db.execute("PRAGMA user_version").fetchone()[0]
            tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if version == SCHEMA_VERSION:
                row = db.execute("SELECT value FROM meta WHERE key = 'salt'").fetchone()
                if row is None or not isinstance(row[0], bytes) or len(row[0]) < 16:
                    raise sqlite3.DatabaseError("cache meta table has no salt (malformed)")
                self._salt = row[0]
                return
            if tables:
                # Written by another version: drop everything inside this transaction, so
                # that two processes opening the old file at once rebuild it once.
                self._drop_all(db)
                self._notice(
                    f"cache {self.path} was written by another version of triage (schema "
                    f"{version}, now {SCHEMA_VERSION}) and has been rebuilt"
                )
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            self._salt = secrets.token_bytes(32)
            db.execute("INSERT INTO meta (key, value) VALUES ('salt', ?)", (self._salt,))
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @staticmethod
    def _drop_all(db: sqlite3.Connection) -> None:
        rows = db.execute(
            "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        ).fetchall()
        for kind, name in rows:
            if kind in ("table", "view"):
                db.execute(f'DROP {kind.upper()} IF EXISTS "{name}"')

    def _rebuild(self, why: str) -> None:
        """Delete a damaged file and start an empty one; one notice says so."""
        self._close_db()
        remove_cache_file(self.path)
        self._notice(f"cache {self.path} {why} and has been rebuilt")
        try:
            self._connect()
            self._prepare()
        except (sqlite3.DatabaseError, OSError) as exc:
            self._disable(exc)

    def _disable(self, error: BaseException) -> None:
        self._close_db()
        self._disabled = str(error)
        self._notice(f"cache {self.path} is not available ({error}); working without it")

    def _notice(self, text: str) -> None:
        log.warning("%s", text)
        if text not in self._notices:
            self._notices.append(text)

    def take_notices(self) -> list[str]:
        """Notices since the last call (a rebuild, a disabled cache), each given once."""
        with self._lock:
            notices, self._notices = self._notices, []
        return notices

    @property
    def available(self) -> bool:
        return self._db is not None

    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            raise sqlite3.OperationalError(self._disabled or "cache is closed")
        return self._db

    @contextlib.contextmanager
    def _write(self, db: sqlite3.Connection) -> Iterator[None]:
        """One write transaction; ``BEGIN IMMEDIATE`` takes the write lock up front so a
        concurrent writer waits (``busy_timeout``) rather than failing half-way."""
        db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def _close_db(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    def close(self) -> None:
        with self._lock:
            self._close_db()

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ---------------------------------------------------------------- guarded calls

    def guarded(self, default: T, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` on the connection; on damage rebuild, on any other SQLite error
        notice it once; either way return ``default`` instead of raising."""
        with self._lock:
            if self._db is None:
                return default
            try:
                return work(self._db)
            except CacheCorrupt as exc:
                self._rebuild(f"held a row that could not be read ({exc})")
            except sqlite3.DatabaseError as exc:
                if _is_damage(exc):
                    self._rebuild(f"was damaged ({exc})")
                else:
                    log.warning("cache: %s", exc)
                    self._notice(f"cache {self.path}: {exc}")
            return default

    # ---------------------------------------------------------------- desks

    def desk(self, settings: ConnectionSettings) -> DeskCache:
        """The cache of one connection. Rows kept for the same name under another URL or
        identity are deleted first (see the module docstring)."""
        identity = credential_identity(settings, self._salt)

        def open_desk(db: sqlite3.Connection) -> int | None:
            with self._write(db):
                row = db.execute(
                    "SELECT id, url, identity FROM desks WHERE name = ?", (settings.name,)
                ).fetchone()
                if row is not None and (row[1], row[2]) == (settings.url, identity):
                    return int(row[0])
                if row is not None:
                    log.info("cache: %s changed URL or credentials; starting afresh", row[0])
                    db.execute("DELETE FROM desks WHERE id = ?", (row[0],))
                cursor = db.execute(
                    "INSERT INTO desks (name, url, identity) VALUES (?, ?, ?)",
                    (settings.name, settings.url, identity),
                )
                return cursor.lastrowid

        desk_id = self.guarded(None, open_desk)
        return DeskCache(self, settings.name, desk_id)

    def desks(self) -> list[CachedDesk]:
        """Every connection the cache holds, by name."""

        def read(db: sqlite3.Connection) -> list[CachedDesk]:
            rows = db.execute(
                "SELECT d.name, d.url, d.synced_at,"
                " (SELECT count(*) FROM tickets t WHERE t.desk = d.id)"
                " FROM desks d ORDER BY d.name"
            ).fetchall()
            return [
                CachedDesk(
                    name=name,
                    url=url,
                    count=count,
                    synced_at=None if synced is None else from_micros(synced),
                )
                for name, url, synced, count in rows
            ]

        return self.guarded([], read)

    def clear(self, connection: str | None = None) -> list[str]:
        """Forget one connection (by name, whatever its URL or account) or all of them;
        returns the names forgotten."""

        def drop(db: sqlite3.Connection) -> list[str]:
            with self._write(db):
                if connection is None:
                    names = [row[0] for row in db.execute("SELECT name FROM desks")]
                    db.execute("DELETE FROM desks")
                else:
                    names = [
                        row[0]
                        for row in db.execute(
                            "SELECT name FROM desks WHERE name = ?", (connection,)
                        )
                    ]
                    db.execute("DELETE FROM desks WHERE name = ?", (connection,))
            if connection is None:
                db.execute("VACUUM")
            return sorted(names)

        return self.guarded([], drop)


class DeskCache:
    """One connection's part of the cache. Every method is safe to call when the cache is
    unavailable: reads return nothing, writes do nothing."""

    def __init__(self, cache: Cache, name: str, desk_id: int | None) -> None:
        self.cache = cache
        self.name = name
        self._id = desk_id
        self._choices: dict[int, Choice] = {}

    def _guarded(self, default: T, work: Callable[[sqlite3.Connection, int], T]) -> T:
        desk_id = self._id
        if desk_id is None:
            return default
        return self.cache.guarded(default, lambda db: work(db, desk_id))

    # ---------------------------------------------------------------- state

    def snapshot(self) -> DeskSnapshot:
        def read(db: sqlite3.Connection, desk: int) -> DeskSnapshot:
            row = db.execute(
                "SELECT watermark, synced_at, complete, reconciled_at,"
                " (SELECT count(*) FROM tickets WHERE desk = desks.id)"
                " FROM desks WHERE id = ?",
                (desk,),
            ).fetchone()
            if row is None:
                return _EMPTY
            watermark, synced, complete, reconciled, count = row
            return DeskSnapshot(
                watermark=watermark,
                synced_at=None if synced is None else from_micros(synced),
                complete=bool(complete),
                reconciled_at=None if reconciled is None else from_micros(reconciled),
                count=count,
            )

        return self._guarded(_EMPTY, read)

    def record_sync(self, *, watermark: str | None, synced_at: datetime, complete: bool) -> None:
        """A listing ended: its watermark (``None`` keeps the previous one), when, and
        whether it got to the end."""

        def write(db: sqlite3.Connection, desk: int) -> None:
            with self.cache._write(db):
                db.execute(
                    "UPDATE desks SET watermark = coalesce(?, watermark), synced_at = ?,"
                    " complete = ? WHERE id = ?",
                    (watermark, to_micros(synced_at), int(complete), desk),
                )

        self._guarded(None, write)

    def record_reconciled(self, at: datetime) -> None:
        def write(db: sqlite3.Connection, desk: int) -> None:
            with self.cache._write(db):
                db.execute("UPDATE desks SET reconciled_at = ? WHERE id = ?", (to_micros(at), desk))

        self._guarded(None, write)

    # ---------------------------------------------------------------- lookups

    def lookups(self) -> Lookups | None:
        def read(db: sqlite3.Connection, desk: int) -> Lookups | None:
            row = db.execute("SELECT lookups FROM desks WHERE id = ?", (desk,)).fetchone()
            if row is None or row[0] is None:
                return None
            try:
                return Lookups.model_validate_json(row[0])
            except ValidationError as exc:
                problems = exc.error_count()
                raise CacheCorrupt(f"lookups of {self.name}: {problems} problem(s)") from None

        return self._guarded(None, read)

    def save_lookups(self, lookups: Lookups) -> None:
        data = lookups.model_dump_json(exclude_defaults=True)

        def write(db: sqlite3.Connection, desk: int) -> None:
            with self.cache._write(db):
                db.execute("UPDATE desks SET lookups = ? WHERE id = ?", (data, desk))

        self._guarded(None, write)

    # ---------------------------------------------------------------- tickets

    def put(self, tickets: Iterable[Ticket]) -> int:
        """Insert or replace tickets, in one transaction; returns how many."""
        batch = [ticket for ticket in tickets if ticket.key.connection == self.name]
        if not batch:
            return 0

        def write(db: sqlite3.Connection, desk: int) -> int:
            with self.cache._write(db):
                refs = self._choice_refs(db, desk, batch)
                db.executemany(
                    f"INSERT OR REPLACE INTO tickets (desk, {_TICKET_COLUMNS})"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (_ticket_row(desk, ticket, refs) for ticket in batch),
                )
            return len(batch)

        return self._guarded(0, write)

    @staticmethod
    def _choice_refs(db: sqlite3.Connection, desk: int, tickets: list[Ticket]) -> dict[Choice, int]:
        """Row ids of the batch's choices in ``choices``, inserting the new ones. Runs inside
        the write transaction, so ids another process inserts are seen, never guessed."""
        unique: dict[Choice, str] = {}
        for ticket in tickets:
            for choice in (ticket.status, ticket.priority, ticket.type, ticket.group):
                if choice is not None and choice not in unique:
                    unique[choice] = encode_choice(choice)
        db.executemany(
            "INSERT OR IGNORE INTO choices (desk, data) VALUES (?, ?)",
            ((desk, data) for data in set(unique.values())),
        )
        ids: dict[str, int] = {}
        datas = list(set(unique.values()))
        for start in range(0, len(datas), 500):
            chunk = datas[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row_id, data in db.execute(
                f"SELECT id, data FROM choices WHERE desk = ? AND data IN ({marks})",
                (desk, *chunk),
            ):
                ids[data] = row_id
        return {choice: ids[data] for choice, data in unique.items()}

    def remove(self, native_ids: Collection[str]) -> int:
        """Delete these tickets (and their details); returns how many were held."""
        ids = list(native_ids)
        if not ids:
            return 0

        def write(db: sqlite3.Connection, desk: int) -> int:
            with self.cache._write(db):
                cursor = db.executemany(
                    "DELETE FROM tickets WHERE desk = ? AND native_id = ?",
                    ((desk, native_id) for native_id in ids),
                )
                db.executemany(
                    "DELETE FROM details WHERE desk = ? AND native_id = ?",
                    ((desk, native_id) for native_id in ids),
                )
                return cursor.rowcount

        return self._guarded(0, write)

    def retain(self, native_ids: Collection[str]) -> int:
        """Delete every ticket not in ``native_ids`` (after a complete listing or a
        reconciliation); returns how many were deleted."""

        def write(db: sqlite3.Connection, desk: int) -> int:
            with self.cache._write(db):
                db.execute("CREATE TEMP TABLE IF NOT EXISTS keep (native_id TEXT PRIMARY KEY)")
                db.execute("DELETE FROM temp.keep")
                db.executemany(
                    "INSERT OR IGNORE INTO temp.keep VALUES (?)", ((i,) for i in native_ids)
                )
                cursor = db.execute(
                    "DELETE FROM tickets WHERE desk = ?"
                    " AND native_id NOT IN (SELECT native_id FROM temp.keep)",
                    (desk,),
                )
                db.execute(
                    "DELETE FROM details WHERE desk = ?"
                    " AND native_id NOT IN (SELECT native_id FROM temp.keep)",
                    (desk,),
                )
                db.execute("DELETE FROM temp.keep")
                return cursor.rowcount

        return self._guarded(0, write)

    def native_ids(self) -> set[str]:
        def read(db: sqlite3.Connection, desk: int) -> set[str]:
            rows = db.execute("SELECT native_id FROM tickets WHERE desk = ?", (desk,))
            return {row[0] for row in rows}

        return self._guarded(set(), read)

    def tickets(self, first: int = FIRST_BATCH, batch: int = READ_BATCH) -> Iterator[list[Ticket]]:
        """The cached tickets, most recently updated first: ``first`` of them, then
        ``batch`` at a time.

        Each batch is its own query that resumes after the last row of the one before
        (keyset paging on ``updated, native_id``), so no statement stays open between
        batches and a writer is never held up by a slow consumer. Should the cache be
        damaged half-way, the batches end early (and the cache is rebuilt with a notice).
        """
        desk_id = self._id
        if desk_id is None:
            return
        decoder = _Decoder(self.name, self._choices, self._choice)
        after: tuple[int, str] | None = None
        size = first
        while True:
            read = functools.partial(
                self._read_batch, decoder=decoder, desk=desk_id, after=after, size=size
            )
            nothing: tuple[list[tuple[Any, ...]], list[Ticket]] = ([], [])
            rows, tickets = self.cache.guarded(nothing, read)
            if not tickets:
                return
            yield tickets
            if len(rows) < size:
                return
            after = (rows[-1][10], rows[-1][0])
            size = batch

    @classmethod
    def _read_batch(
        cls,
        db: sqlite3.Connection,
        *,
        decoder: _Decoder,
        desk: int,
        after: tuple[int, str] | None,
        size: int,
    ) -> tuple[list[tuple[Any, ...]], list[Ticket]]:
        rows = cls._read_rows(db, desk, after, size)
        return rows, [decoder.ticket(row) for row in rows]

    @staticmethod
    def _read_rows(
        db: sqlite3.Connection, desk: int, after: tuple[int, str] | None, size: int
    ) -> list[tuple[Any, ...]]:
        if after is None:
            return db.execute(FIRST_ROWS, (desk, size)).fetchall()
        return db.execute(NEXT_ROWS, (desk, *after, size)).fetchall()

    def all_tickets(self) -> list[Ticket]:
        return [ticket for batch in self.tickets() for ticket in batch]

    def _choice(self, ref: int) -> Choice:
        """A choice by row id; every choice of the desk is read on the first miss."""
        choice = self._choices.get(ref)
        if choice is not None:
            return choice
        desk_id = self._id
        db = self.cache._conn()
        for row_id, data in db.execute("SELECT id, data FROM choices WHERE desk = ?", (desk_id,)):
            if row_id not in self._choices:
                self._choices[row_id] = _decode(decode_choice, data, "choice")
        try:
            return self._choices[ref]
        except KeyError:
            raise CacheCorrupt(f"ticket of {self.name} refers to missing choice {ref}") from None

    # ---------------------------------------------------------------- details

    def detail(self, native_id: str) -> TicketDetail | None:
        def read(db: sqlite3.Connection, desk: int) -> TicketDetail | None:
            row = db.execute(
                "SELECT data FROM details WHERE desk = ? AND native_id = ?", (desk, native_id)
            ).fetchone()
            if row is None:
                return None
            detail = _decode(TicketDetail.model_validate_json, row[0], "detail")
            if detail.ticket.key != TicketKey(self.name, native_id):
                raise CacheCorrupt(f"detail of {self.name}:{native_id} names another ticket")
            return detail

        return self._guarded(None, read)

    def put_detail(self, detail: TicketDetail, opened: datetime | None = None) -> None:
        """Keep a detail just opened; beyond :data:`DETAILS_PER_DESK` the least recently
        opened are dropped. The ticket row is updated too."""
        if detail.ticket.key.connection != self.name:
            return
        data = detail.model_dump_json(exclude_defaults=True)
        when = to_micros(opened or datetime.now(UTC))

        def write(db: sqlite3.Connection, desk: int) -> None:
            with self.cache._write(db):
                db.execute(
                    "INSERT OR REPLACE INTO details (desk, native_id, opened, data)"
                    " VALUES (?, ?, ?, ?)",
                    (desk, detail.ticket.key.native_id, when, data),
                )
                db.execute(
                    "DELETE FROM details WHERE desk = ? AND native_id IN (SELECT native_id"
                    " FROM details WHERE desk = ? ORDER BY opened DESC LIMIT -1 OFFSET ?)",
                    (desk, desk, DETAILS_PER_DESK),
                )

        self._guarded(None, write)
        self.put([detail.ticket])

    def clear(self) -> None:
        """Forget this connection's tickets, details, lookups and watermark."""

        def write(db: sqlite3.Connection, desk: int) -> None:
            with self.cache._write(db):
                db.execute("DELETE FROM tickets WHERE desk = ?", (desk,))
                db.execute("DELETE FROM details WHERE desk = ?", (desk,))
                db.execute("DELETE FROM choices WHERE desk = ?", (desk,))
                db.execute(
                    "UPDATE desks SET watermark = NULL, synced_at = NULL, complete = 0,"
                    " reconciled_at = NULL, lookups = NULL WHERE id = ?",
                    (desk,),
                )
            self._choices.clear()

        self._guarded(None, write)


_EMPTY = DeskSnapshot(watermark=None, synced_at=None, complete=False, reconciled_at=None, count=0)


_DAMAGE_CODES = frozenset({11, 26})  # SQLITE_CORRUPT, SQLITE_NOTADB


def _is_damage(error: sqlite3.DatabaseError) -> bool:
    """Errors that mean the file itself is bad (rebuild), not that it is busy, the disk
    full or the cache closed (notice and go on without it)."""
    if getattr(error, "sqlite_errorcode", None) in _DAMAGE_CODES:
        return True
    text = str(error).lower()
    return any(
        sign in text for sign in ("malformed", "not a database", "no such table", "no such column")
    )


def _decode(parse: Callable[[str], T], data: str, what: str) -> T:
    try:
        return parse(data)
    except (ValidationError, ValueError, TypeError) as exc:
        raise CacheCorrupt(f"unreadable {what}: {type(exc).__name__}") from None


def _ticket_row(desk: int, ticket: Ticket, refs: dict[Choice, int]) -> tuple[Any, ...]:
    native_id = ticket.key.native_id
    return (
        desk,
        native_id,
        None if ticket.display_id == native_id else ticket.display_id,
        ticket.subject,
        None if ticket.status is None else refs[ticket.status],
        None if ticket.priority is None else refs[ticket.priority],
        None if ticket.type is None else refs[ticket.type],
        None if ticket.group is None else refs[ticket.group],
        encode_person(ticket.requester),
        encode_person(ticket.assignee),
        to_micros(ticket.created),
        to_micros(ticket.updated),
        None if ticket.due is None else to_micros(ticket.due),
        json.dumps(list(ticket.tags), ensure_ascii=False) if ticket.tags else None,
        None if ticket.raw is None else json.dumps(ticket.raw, ensure_ascii=False, default=str),
    )


_TICKET_FIELDS_SET = set(Ticket.model_fields)
_setattr = object.__setattr__


def _construct(**values: Any) -> Ticket:
    """A :class:`Ticket` from every one of its fields, already valid: the instance state
    ``model_construct`` would set (the field values, all fields set, no extras, no
    private attributes), with one shared fields-set as :mod:`adapters.model` shares them."""
    ticket = Ticket.__new__(Ticket)
    _setattr(ticket, "__dict__", values)
    _setattr(ticket, "__pydantic_fields_set__", _TICKET_FIELDS_SET)
    _setattr(ticket, "__pydantic_extra__", None)
    _setattr(ticket, "__pydantic_private__", None)
    return ticket


class _Decoder:
    """Rows back to tickets, sharing one object per distinct person and tag set."""

    def __init__(
        self, connection: str, choices: dict[int, Choice], load: Callable[[int], Choice]
    ) -> None:
        self.connection = connection
        self.choices = choices
        self.load = load
        self.people: dict[str, Person] = {}
        self.tag_sets: dict[str, tuple[str, ...]] = {}

    def choice(self, ref: int | None) -> Choice | None:
        if ref is None:
            return None
        found = self.choices.get(ref)
        return found if found is not None else self.load(ref)

    def person(self, data: str | None) -> Person | None:
        if data is None:
            return None
        person = self.people.get(data)
        if person is None:
            person = self.people[data] = _decode(decode_person, data, "person")
        return person

    def tags(self, data: str | None) -> tuple[str, ...]:
        if data is None:
            return ()
        tags = self.tag_sets.get(data)
        if tags is None:
            tags = self.tag_sets[data] = tuple(str(tag) for tag in json.loads(data))
        return tags

    def ticket(self, row: tuple[Any, ...]) -> Ticket:
        (native_id, display_id, subject, status, priority, kind, group) = row[:7]
        (requester, assignee, created, updated, due, tags, raw) = row[7:]
        choice = self.choice
        try:
            if not isinstance(native_id, str) or not isinstance(subject, str):
                raise TypeError("id and subject must be text")
            return _construct(
                key=TicketKey(self.connection, native_id),
                display_id=native_id if display_id is None else str(display_id),
                subject=subject,
                status=choice(status),
                priority=choice(priority),
                type=choice(kind),
                requester=self.person(requester),
                assignee=self.person(assignee),
                group=choice(group),
                created=from_micros(created),
                updated=from_micros(updated),
                due=None if due is None else from_micros(due),
                tags=self.tags(tags),
                raw=None if raw is None else json.loads(raw),
            )
        except (TypeError, ValueError, OverflowError) as exc:
            raise CacheCorrupt(f"unreadable ticket row: {type(exc).__name__}") from None
