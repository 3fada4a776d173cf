"""The app and the CLI use one cache file at the same time: readers go on while a writer
writes, a second writer waits its turn, and neither sees damage that is not there."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

from tui.cache import Cache

Factory = Any
ROOT = Path(__file__).resolve().parents[2]


def test_a_reader_and_a_writer_in_two_connections(
    cache_path: Path, make_settings: Factory, make_ticket: Factory
) -> None:
    settings = make_settings()
    app, cli = Cache(cache_path), Cache(cache_path)
    counts: list[int] = []
    errors: list[BaseException] = []

    def write() -> None:
        try:
            desk = app.desk(settings)
            for start in range(0, 10_000, 1000):
                desk.put([make_ticket(str(i), minutes=i) for i in range(start, start + 1000)])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    writer = threading.Thread(target=write)
    reader_desk = cli.desk(settings)
    writer.start()
    while writer.is_alive():
        counts.append(len(reader_desk.all_tickets()))
    writer.join()
    counts.append(len(reader_desk.all_tickets()))
    assert errors == []
    assert counts == sorted(counts)  # a reader sees whole transactions, never less
    assert counts[-1] == 10_000
    assert all(count % 1000 == 0 for count in counts)
    assert app.take_notices() == [] and cli.take_notices() == []
    app.close()
    cli.close()


def test_a_second_writer_waits_for_the_first(
    cache_path: Path, make_settings: Factory, make_ticket: Factory
) -> None:
    with Cache(cache_path) as cache:
        desk = cache.desk(make_settings())
        other = sqlite3.connect(cache_path, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")
        release = threading.Timer(0.5, lambda: other.execute("COMMIT"))
        release.start()
        started = time.monotonic()
        assert desk.put([make_ticket("1")]) == 1
        assert time.monotonic() - started >= 0.4
        release.join()
        other.close()
        assert cache.take_notices() == []
        assert desk.native_ids() == {"1"}


WRITER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime, timedelta
    from pathlib import Path

    from pydantic import SecretStr

    from adapters.base import ConnectionSettings
    from adapters.model import Ticket, TicketKey
    from tui.cache import Cache


    class SecretSettings(ConnectionSettings):
        api_key: SecretStr
        departments: tuple[int, ...] = ()


    settings = SecretSettings(
        name="desk", vendor="test", url="https://desk.example", api_key=SecretStr("key-1")
    )
    now = datetime(2026, 3, 1, tzinfo=UTC)
    with Cache(Path(sys.argv[1])) as cache:
        desk = cache.desk(settings)
        for start in range(0, 6000, 500):
            desk.put(
                Ticket(
                    key=TicketKey("desk", str(i)),
                    display_id=str(i),
                    subject=f"from the CLI {i}",
                    created=now,
                    updated=now + timedelta(seconds=i),
                )
                for i in range(start, start + 500)
            )
        print(len(cache.take_notices()))
    """
)


def test_another_process_writes_while_this_one_reads(
    cache_path: Path, make_settings: Factory, make_ticket: Factory
) -> None:
    settings = make_settings()
    with Cache(cache_path) as cache:
        desk = cache.desk(settings)
        desk.put([make_ticket("app", minutes=-100)])
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(cache_path)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        counts = []
        while writer.poll() is None:
            counts.append(len(desk.all_tickets()))
            desk.put([make_ticket("app", minutes=len(counts))])
        out, err = writer.communicate(timeout=60)
        assert writer.returncode == 0, err
        assert out.strip() == "0"  # the other process saw no damage either
        assert cache.take_notices() == []
        assert counts == sorted(counts)
        assert len(desk.all_tickets()) == 6001
