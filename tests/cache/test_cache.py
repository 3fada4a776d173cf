"""The local cache: what goes in comes back the same, newest first and in batches; one
connection's rows never leak to another account; the file stays private; damage and old
schemas are rebuilt with one notice."""

from __future__ import annotations

import sqlite3
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from adapters.model import (
    AuthorKind,
    Choice,
    CustomField,
    FieldType,
    Lookups,
    Person,
    Post,
    PostKind,
    StatusCategory,
    Ticket,
    TicketDetail,
    TicketKey,
    Visibility,
)
from tui import cache as cache_module
from tui.cache import (
    SCHEMA_VERSION,
    Cache,
    credential_identity,
    from_micros,
    remove_cache_file,
    to_micros,
)

Factory = Any


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ------------------------------------------------------------------ round trips


def full_ticket() -> Ticket:
    """Every field of the model set, with values that are easy to get subtly wrong."""
    moment = datetime(2026, 1, 2, 3, 4, 5, 999_999, tzinfo=UTC)
    return Ticket(
        key=TicketKey("desk", "42:a"),
        display_id="VDA-123-45678",
        subject='Ünïcode «subject» with "quotes" and a \'; DROP TABLE tickets; --',
        status=Choice(id="s1", label="Waiting", category=StatusCategory.PENDING, scope="7"),
        priority=Choice(id="p1", label="Urgent", rank=1, detail="answer within 1 h"),
        type=Choice(id="t1", label="Incident"),
        requester=Person(id=None, name="Zoë Ng", email=None),
        assignee=Person(id="9", name="Bo Quinn", email="bo@example.com"),
        group=Choice(id="g1", label="Billing"),
        created=moment - timedelta(days=400),
        updated=moment,
        due=moment + timedelta(microseconds=1),
        tags=("vip", "two words", "vip2"),
        raw={"id": "42", "nested": {"list": [1, "two", None]}},
    )


def test_the_encoder_knows_every_ticket_field() -> None:
    # A field added to the model must be added to the cache (and SCHEMA_VERSION raised).
    assert set(Ticket.model_fields) == {
        "key",
        "display_id",
        "subject",
        "status",
        "priority",
        "type",
        "requester",
        "assignee",
        "group",
        "created",
        "updated",
        "due",
        "tags",
        "raw",
    }


def test_a_full_ticket_round_trips_exactly(cache: Cache, make_settings: Factory) -> None:
    desk = cache.desk(make_settings())
    original = full_ticket()
    assert desk.put([original]) == 1
    (back,) = desk.all_tickets()
    assert back == original
    assert back.model_dump() == original.model_dump()
    assert back.updated.tzinfo is UTC or back.updated.utcoffset() == timedelta(0)


def test_a_sparse_ticket_round_trips(cache: Cache, make_settings: Factory) -> None:
    desk = cache.desk(make_settings())
    sparse = Ticket(
        key=TicketKey("desk", "7"),
        display_id="7",
        subject="",
        created=datetime(2020, 1, 1, tzinfo=UTC),
        updated=datetime(2020, 1, 1, tzinfo=UTC),
    )
    desk.put([sparse])
    assert desk.all_tickets() == [sparse]


def test_times_are_exact_to_the_microsecond() -> None:
    for moment in (
        datetime(1970, 1, 1, tzinfo=UTC),
        datetime(1969, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
        datetime(2038, 1, 19, 3, 14, 8, 1, tzinfo=UTC),
        datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
    ):
        assert from_micros(to_micros(moment)) == moment


def test_people_are_shared_on_reading(
    cache: Cache, make_settings: Factory, make_ticket: Factory
) -> None:
    desk = cache.desk(make_settings())
    desk.put([make_ticket(str(i), minutes=i) for i in range(50)])
    tickets = desk.all_tickets()
    assert len({id(t.requester) for t in tickets}) == 1
    assert len({id(t.status) for t in tickets}) == 1


def test_tag_sets_are_shared_on_reading(
    cache: Cache, make_settings: Factory, make_ticket: Factory
) -> None:
    desk = cache.desk(make_settings())
    tag_sets = [("vip",), ("vip", "onsite"), ()]
    desk.put(
        [
            make_ticket(str(i), minutes=i).model_copy(update={"tags": tag_sets[i % 3]})
            for i in range(30)
        ]
    )
    tickets = desk.all_tickets()
    assert {t.tags for t in tickets} == set(tag_sets)
    assert len({id(t.tags) for t in tickets if t.tags}) == 2


def test_choices_are_stored_once_per_desk(
    cache: Cache, make_settings: Factory, make_ticket: Factory
) -> None:
    desk = cache.desk(make_settings())
    for start in range(0, 300, 100):
        desk.put([make_ticket(str(i), minutes=i) for i in range(start, start + 100)])
    count = cache.guarded(0, lambda db: db.execute("SELECT count(*) FROM choices").fetchone()[0])
    assert count == 3  # Open, High, Support


def test_a_ticket_of_another_connection_is_not_stored(
    cache: Cache, make_settings: Factory, make_ticket: Factory
) -> None:
    desk = cache.desk(make_settings())
    assert desk.put([make_ticket("1", connection="other")]) == 0
    assert desk.all_tickets() == []


# ------------------------------------------------------------------ reading order


def test_newest_first_in_batches_across_equal_times(
    cache: Cache, make_settings: Factory, make_ticket: Factory
) -> None:
    desk = cache.desk(make_settings())
    # 23 tickets, many sharing an update time, so that batch edges fall inside ties.
    tickets = [make_ticket(str(i), minutes=i // 4) for i in range(23)]
    desk.put(tickets)
    batches = list(desk.tickets(first=3, batch=5))
    assert [len(batch) for batch in batches] == [3, 5, 5, 5, 5]
    read = [t for batch in batches for t in batch]
    assert len({t.key for t in read}) == 23
    expected = sorted(tickets, key=lambda t: (t.updated, t.key.native_id), reverse=True)
    assert [t.key for t in read] == [t.key for t in expected]


def test_reading_uses_the_index_not_a_sort(
    cache: Cache, make_settings: Factory, make_ticket: Factory
) -> None:
    desk = cache.desk(make_settings())
    desk.put([make_ticket(str(i), minutes=i) for i in range(100)])
    assert desk._id is not None
    for sql, args in (
        (cache_module.FIRST_ROWS, (desk._id, 5)),
        (cache_module.NEXT_ROWS, (desk._id, 0, "x", 5)),
    ):
        rows = cache.guarded(
            [], lambda db, s=sql, a=args: db.execute(f"EXPLAIN QUERY PLAN {s}", a).fetchall()
        )
        plan = " ".join(str(row[-1]) for row in rows)
        assert "tickets_newest" in plan
        assert "TEMP B-TREE" not in plan


def test_a_reader_is_not_confused_by_writes_between_batches(
    cache: Cache, make_settings: Factory, make_ticket: Factory
) -> None:
    desk = cache.desk(make_settings())
    desk.put([make_ticket(str(i), minutes=i) for i in range(20)])
    batches = desk.tickets(first=5, batch=5)
    first = next(batches)
    # A sync writes while the start is still reading: an old ticket becomes the newest.
    desk.put([make_ticket("0", minutes=500), make_ticket("new", minutes=600)])
    rest = [t for batch in batches for t in batch]
    keys = [t.key.native_id for t in first + rest]
    assert len(keys) == len(set(keys))
    assert set(keys) >= {str(i) for i in range(1, 20)}


# ------------------------------------------------------------------ writes and state


def test_put_replaces_remove_and_retain(
    cache: Cache, make_settings: Factory, make_ticket: Factory
) -> None:
    desk = cache.desk(make_settings())
    desk.put([make_ticket(str(i), minutes=i) for i in range(10)])
    desk.put([make_ticket("3", minutes=99, subject="edited")])
    assert desk.all_tickets()[0].subject == "edited"
    assert desk.snapshot().count == 10
    assert desk.remove(["1", "2", "missing"]) == 2
    assert desk.native_ids() == {"0", "3", "4", "5", "6", "7", "8", "9"}
    assert desk.retain({"3", "4", "unknown"}) == 6
    assert desk.native_ids() == {"3", "4"}


def test_sync_state_is_kept(cache: Cache, make_settings: Factory) -> None:
    desk = cache.desk(make_settings())
    empty = desk.snapshot()
    assert (empty.watermark, empty.synced_at, empty.complete, empty.count) == (
        None,
        None,
        False,
        0,
    )
    at = datetime(2026, 3, 1, 10, 0, 0, 123, tzinfo=UTC)
    desk.record_sync(watermark="1750000000", synced_at=at, complete=True)
    desk.record_sync(watermark=None, synced_at=at + timedelta(hours=1), complete=False)
    desk.record_reconciled(at)
    snap = desk.snapshot()
    assert snap.watermark == "1750000000"  # None keeps the previous watermark
    assert snap.synced_at == at + timedelta(hours=1)
    assert snap.complete is False
    assert snap.reconciled_at == at


def test_lookups_round_trip(cache: Cache, make_settings: Factory) -> None:
    desk = cache.desk(make_settings())
    assert desk.lookups() is None
    lookups = Lookups(
        statuses=(Choice(id="1", label="Open", category=StatusCategory.OPEN, scope="2"),),
        priorities=(Choice(id="2", label="High", rank=2),),
        agents=(Choice(id="5", label="Bo"),),
        lists={"outcomes": (Choice(id="5", label="Triage", detail="sets In Progress"),)},
    )
    desk.save_lookups(lookups)
    assert desk.lookups() == lookups


def detail_of(ticket: Ticket) -> TicketDetail:
    return TicketDetail(
        ticket=ticket,
        posts=(
            Post(
                id="p1",
                author=Person(name="Ana"),
                author_kind=AuthorKind.CUSTOMER,
                created=ticket.created,
                body="The printer\nis on fire",
                visibility=Visibility.PUBLIC,
                kind=PostKind.REPLY,
            ),
        ),
        custom_fields=(
            CustomField(key="cf1", label="Serial", group="Device", type=FieldType.TEXT, value="X"),
        ),
        raw={"ticket": {"id": ticket.key.native_id}},
    )


def test_details_round_trip_and_are_bounded(
    cache: Cache,
    make_settings: Factory,
    make_ticket: Factory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cache_module, "DETAILS_PER_DESK", 3)
    desk = cache.desk(make_settings())
    start = datetime(2026, 3, 1, tzinfo=UTC)
    for i in range(5):
        desk.put_detail(detail_of(make_ticket(str(i), minutes=i)), start + timedelta(minutes=i))
    assert desk.detail("4") == detail_of(make_ticket("4", minutes=4))
    assert desk.detail("1") is None  # the two opened longest ago were dropped
    assert desk.detail("0") is None
    # Opening an older one again makes it recent.
    desk.put_detail(detail_of(make_ticket("2", minutes=2)), start + timedelta(hours=1))
    desk.put_detail(detail_of(make_ticket("9", minutes=9)), start + timedelta(hours=2))
    assert desk.detail("2") is not None
    assert desk.detail("3") is None
    # The ticket row follows the detail.
    assert "9" in desk.native_ids()
    desk.remove(["2"])
    assert desk.detail("2") is None


def test_clear_one_connection_or_all(
    cache: Cache, make_settings: Factory, make_ticket: Factory
) -> None:
    one = cache.desk(make_settings(name="one"))
    two = cache.desk(make_settings(name="two"))
    one.put([make_ticket("1", connection="one")])
    two.put([make_ticket("1", connection="two")])
    assert [d.name for d in cache.desks()] == ["one", "two"]
    assert cache.clear("one") == ["one"]
    assert cache.clear("nothing") == []
    assert [(d.name, d.count) for d in cache.desks()] == [("two", 1)]
    assert cache.clear() == ["two"]
    assert cache.desks() == []


def test_desk_clear_forgets_everything_of_one_connection(
    cache: Cache, make_settings: Factory, make_ticket: Factory
) -> None:
    desk = cache.desk(make_settings())
    desk.put([make_ticket("1")])
    desk.save_lookups(Lookups(statuses=(Choice(id="1", label="Open"),)))
    desk.record_sync(watermark="w", synced_at=datetime.now(UTC), complete=True)
    desk.clear()
    assert desk.all_tickets() == []
    assert desk.lookups() is None
    assert desk.snapshot().watermark is None
    desk.put([make_ticket("2")])  # choices are stored afresh after a clear
    assert [t.key.native_id for t in desk.all_tickets()] == ["2"]


# ------------------------------------------------------------------ accounts


def test_a_changed_account_never_shows_the_old_data(
    cache_path: Path, make_settings: Factory, make_ticket: Factory
) -> None:
    with Cache(cache_path) as cache:
        cache.desk(make_settings(key="alice-secret")).put([make_ticket("1")])
        assert len(cache.desk(make_settings(key="alice-secret")).all_tickets()) == 1
    with Cache(cache_path) as cache:
        assert cache.desk(make_settings(key="bob-secret")).all_tickets() == []
        # Alice's rows were deleted, not hidden: going back does not bring them back.
        assert cache.desk(make_settings(key="alice-secret")).all_tickets() == []


@pytest.mark.parametrize(
    "change",
    [{"url": "https://other.example"}, {"departments": (3,)}, {"status_map": {"Done": "closed"}}],
)
def test_another_instance_or_view_starts_afresh(
    cache: Cache, make_settings: Factory, make_ticket: Factory, change: dict[str, Any]
) -> None:
    cache.desk(make_settings()).put([make_ticket("1")])
    assert cache.desk(make_settings(**change)).all_tickets() == []


def test_timing_settings_keep_the_cache(
    cache: Cache, make_settings: Factory, make_ticket: Factory
) -> None:
    cache.desk(make_settings()).put([make_ticket("1")])
    same = make_settings(timeout=3.0, refresh_interval=60.0, rate_limit=1.0, verify_tls=False)
    assert len(cache.desk(same).all_tickets()) == 1


def test_the_secret_is_never_stored(
    cache: Cache, cache_path: Path, make_settings: Factory, make_ticket: Factory
) -> None:
    secret = "hunter2-very-secret-api-key"
    cache.desk(make_settings(key=secret)).put([make_ticket("1")])
    cache.close()
    for suffix in ("", "-wal", "-shm"):
        path = Path(f"{cache_path}{suffix}")
        if path.exists():
            assert secret.encode() not in path.read_bytes()


def test_identity_is_salted(make_settings: Factory) -> None:
    one = make_settings(key="k")
    assert credential_identity(one, b"a" * 32) == credential_identity(one, b"a" * 32)
    assert credential_identity(one, b"a" * 32) != credential_identity(one, b"b" * 32)
    assert credential_identity(one, b"a" * 32) != credential_identity(
        make_settings(key="k2"), b"a" * 32
    )


# ------------------------------------------------------------------ file modes


def test_file_and_directory_are_private(
    cache: Cache, cache_path: Path, make_settings: Factory, make_ticket: Factory
) -> None:
    cache.desk(make_settings()).put([make_ticket("1")])
    assert mode_of(cache_path.parent) == 0o700
    assert mode_of(cache_path) == 0o600
    companions = [Path(f"{cache_path}{s}") for s in ("-wal", "-shm")]
    assert all(path.exists() for path in companions)  # WAL mode is on
    for path in companions:
        assert mode_of(path) == 0o600


def test_loose_modes_are_tightened(cache_path: Path, make_settings: Factory) -> None:
    cache_path.parent.mkdir(parents=True, mode=0o755)
    cache_path.parent.chmod(0o755)
    with Cache(cache_path) as cache:
        cache.desk(make_settings())
    cache_path.chmod(0o644)
    with Cache(cache_path):
        pass
    assert mode_of(cache_path.parent) == 0o700
    assert mode_of(cache_path) == 0o600


def test_wal_mode_is_on(cache: Cache) -> None:
    mode = cache.guarded("", lambda db: db.execute("PRAGMA journal_mode").fetchone()[0])
    assert mode == "wal"


# ------------------------------------------------------------------ damage


def test_a_file_that_is_not_a_database_is_rebuilt_with_one_notice(
    cache_path: Path, make_settings: Factory, make_ticket: Factory
) -> None:
    cache_path.parent.mkdir(parents=True)
    cache_path.write_bytes(b"this is not a database, just some text " * 200)
    with Cache(cache_path) as cache:
        notices = cache.take_notices()
        assert len(notices) == 1
        assert "rebuilt" in notices[0]
        assert cache.take_notices() == []
        desk = cache.desk(make_settings())
        desk.put([make_ticket("1")])
        assert len(desk.all_tickets()) == 1
    assert mode_of(cache_path) == 0o600


def test_a_truncated_database_is_rebuilt(
    cache_path: Path, make_settings: Factory, make_ticket: Factory
) -> None:
    with Cache(cache_path) as cache:
        cache.desk(make_settings()).put([make_ticket(str(i), minutes=i) for i in range(3000)])
        cache.guarded(None, lambda db: db.execute("PRAGMA wal_checkpoint(TRUNCATE)"))
    data = cache_path.read_bytes()
    remove_cache_file(cache_path)
    # Keep the header and the first pages, scribble over the rest.
    cache_path.write_bytes(data[:8192] + b"\xff" * (len(data) - 8192))
    with Cache(cache_path) as cache:
        desk = cache.desk(make_settings())
        tickets = desk.all_tickets()
        desk.put([make_ticket("fresh")])
        notices = cache.take_notices()
        assert len(notices) == 1, notices
        assert "rebuilt" in notices[0]
        assert len(tickets) < 3000
        # After the rebuild the cache works again.
        assert "fresh" in cache.desk(make_settings()).native_ids()


def test_a_damaged_row_is_a_rebuild_not_a_crash(
    cache: Cache, make_settings: Factory, make_ticket: Factory
) -> None:
    desk = cache.desk(make_settings())
    desk.put([make_ticket(str(i), minutes=i) for i in range(10)])
    cache.guarded(
        None, lambda db: db.execute("UPDATE tickets SET created = 'garbage' WHERE native_id = '9'")
    )
    assert desk.all_tickets() == []
    assert ["rebuilt" in notice for notice in cache.take_notices()] == [True]
    fresh = cache.desk(make_settings())
    fresh.put([make_ticket("1")])
    assert [t.key.native_id for t in fresh.all_tickets()] == ["1"]


def test_damaged_lookups_and_details_are_a_rebuild(
    cache: Cache, make_settings: Factory, make_ticket: Factory
) -> None:
    desk = cache.desk(make_settings())
    desk.save_lookups(Lookups())
    cache.guarded(None, lambda db: db.execute("UPDATE desks SET lookups = '{\"statuses\": 5}'"))
    assert desk.lookups() is None
    assert len(cache.take_notices()) == 1
    desk = cache.desk(make_settings())
    desk.put_detail(detail_of(make_ticket("1")))
    cache.guarded(None, lambda db: db.execute("UPDATE details SET data = '[1, 2]'"))
    assert desk.detail("1") is None
    assert len(cache.take_notices()) == 1


def test_an_older_schema_is_rebuilt_with_one_notice(
    cache_path: Path, make_settings: Factory
) -> None:
    cache_path.parent.mkdir(parents=True)
    old = sqlite3.connect(cache_path)
    old.execute("CREATE TABLE tickets (id TEXT, json TEXT)")
    old.execute("INSERT INTO tickets VALUES ('1', '{}')")
    old.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    old.commit()
    old.close()
    with Cache(cache_path) as cache:
        (notice,) = cache.take_notices()
        assert f"schema {SCHEMA_VERSION - 1}, now {SCHEMA_VERSION}" in notice
        desk = cache.desk(make_settings())
        assert desk.all_tickets() == []
    with Cache(cache_path) as cache:
        assert cache.take_notices() == []  # rebuilt once, not at every start


def test_a_newer_schema_is_rebuilt_too(cache_path: Path) -> None:
    with Cache(cache_path):
        pass
    newer = sqlite3.connect(cache_path)
    newer.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    newer.commit()
    newer.close()
    with Cache(cache_path) as cache:
        assert len(cache.take_notices()) == 1


def test_a_missing_salt_is_damage(cache_path: Path) -> None:
    with Cache(cache_path) as cache:
        cache.guarded(None, lambda db: db.execute("DELETE FROM meta"))
    with Cache(cache_path) as cache:
        assert len(cache.take_notices()) == 1
        assert cache.available


def test_an_unusable_place_disables_the_cache_without_crashing(
    tmp_path: Path, make_settings: Factory, make_ticket: Factory
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with Cache(blocker / "cache.sqlite3") as cache:
        assert not cache.available
        (notice,) = cache.take_notices()
        assert "working without it" in notice
        desk = cache.desk(make_settings())
        assert desk.put([make_ticket("1")]) == 0
        assert desk.all_tickets() == []
        assert desk.snapshot().count == 0
        assert cache.clear() == []


def test_remove_cache_file(cache_path: Path) -> None:
    with Cache(cache_path):
        pass
    assert remove_cache_file(cache_path) is True
    assert not cache_path.exists()
    assert not Path(f"{cache_path}-wal").exists()
    assert remove_cache_file(cache_path) is False


def test_default_path_is_in_the_user_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert cache_module.default_cache_path() == tmp_path / "triage" / "cache.sqlite3"
