"""Fixtures for the local cache: a cache file in a temporary directory, settings for a desk,
and tickets shaped like a real desk's list pages."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr

from adapters.base import ConnectionSettings
from adapters.model import Choice, Person, StatusCategory, Ticket, TicketKey
from tui.cache import Cache

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
OPEN = Choice(id="1", label="Open", category=StatusCategory.OPEN)
CLOSED = Choice(id="3", label="Closed", category=StatusCategory.CLOSED)
HIGH = Choice(id="2", label="High", rank=2)
SUPPORT = Choice(id="4", label="Support")


class SecretSettings(ConnectionSettings):
    """A vendor's settings with one secret, as every real vendor has."""

    api_key: SecretStr
    departments: tuple[int, ...] = ()


def _settings(
    name: str = "desk", url: str = "https://desk.example", key: str = "key-1", **extra: object
) -> SecretSettings:
    return SecretSettings(name=name, vendor="test", url=url, api_key=SecretStr(key), **extra)


def _ticket(
    native_id: str,
    *,
    connection: str = "desk",
    minutes: int = 0,
    subject: str | None = None,
    status: Choice | None = OPEN,
) -> Ticket:
    """A ticket updated ``minutes`` after :data:`NOW`."""
    return Ticket(
        key=TicketKey(connection, native_id),
        display_id=f"ABC-{native_id}",
        subject=subject or f"Ticket {native_id}",
        status=status,
        priority=HIGH,
        requester=Person(id="u1", name="Ana Lima", email="ana@customer.test"),
        group=SUPPORT,
        created=NOW - timedelta(days=1),
        updated=NOW + timedelta(minutes=minutes),
    )


SettingsFactory = Callable[..., SecretSettings]
TicketFactory = Callable[..., Ticket]


@pytest.fixture
def make_settings() -> SettingsFactory:
    """``make_settings(name=…, url=…, key=…, **fields)``: a connection with one secret."""
    return _settings


@pytest.fixture
def make_ticket() -> TicketFactory:
    """``make_ticket(id, connection=…, minutes=…, subject=…, status=…)``."""
    return _ticket


@pytest.fixture
def cache_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "triage" / "cache.sqlite3"


@pytest.fixture
def cache(cache_path: Path) -> Iterator[Cache]:
    with Cache(cache_path) as opened:
        yield opened
