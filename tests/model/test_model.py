"""The normalised model's own behaviour: keys, and the memory trick that keeps 100 000
tickets small without changing what a model reports."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters import model
from adapters.model import Change, Choice, Lookups, Person, StatusCategory, Ticket, TicketKey

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def _ticket(native_id: str, **extra: object) -> Ticket:
    return Ticket(
        key=TicketKey("acme", native_id),
        display_id=native_id,
        subject=f"subject {native_id}",
        created=NOW,
        updated=NOW,
        **extra,  # type: ignore[arg-type]
    )


def test_key_round_trip_and_ids_with_colons() -> None:
    key = TicketKey.parse("acme:ABC:12")
    assert key == TicketKey("acme", "ABC:12")
    assert str(key) == "acme:ABC:12"
    for bad in ("acme", ":12", "acme:"):
        with pytest.raises(ValueError, match="connection:id"):
            TicketKey.parse(bad)


def test_tickets_of_one_shape_share_their_fields_set() -> None:
    first, second = _ticket("1"), _ticket("2")
    assert first.__pydantic_fields_set__ is second.__pydantic_fields_set__
    due = _ticket("3", due=NOW)
    assert due.__pydantic_fields_set__ is not first.__pydantic_fields_set__
    assert "due" in due.model_fields_set and "due" not in first.model_fields_set


def test_a_copy_with_changes_leaves_the_shared_set_alone() -> None:
    first, second = _ticket("1"), _ticket("2")
    copy = first.model_copy(update={"due": NOW})
    assert "due" in copy.model_fields_set
    assert "due" not in first.model_fields_set
    assert "due" not in second.model_fields_set
    assert first.model_dump(exclude_unset=True).keys() == {
        "key",
        "display_id",
        "subject",
        "created",
        "updated",
    }


def test_equal_people_values_and_tag_sets_are_one_instance() -> None:
    """Each mapped ticket brings its own copies; the model keeps one of each."""
    first = _ticket(
        "1",
        requester=Person(id="7", name="Zoë Ng", email="zoe@customer.test"),
        status=Choice(id="1", label="Open"),
        tags=("vip", "onsite"),
    )
    second = _ticket(
        "2",
        requester=Person(id="7", name="Zoë Ng", email="zoe@customer.test"),
        status=Choice(id="1", label="Open"),
        tags=("vip", "onsite"),
    )
    assert first.requester is second.requester
    assert first.status is second.status
    assert first.tags is second.tags
    other = _ticket("3", requester=Person(id="7", name="Zoë Ng", email="zoe@elsewhere.test"))
    assert other.requester is not first.requester
    assert other.requester is not None and other.requester.email == "zoe@elsewhere.test"
    # Equal by value but of another kind: never confused.
    label = _ticket("4", status=Choice(id="7", label="Zoë Ng"))
    assert isinstance(label.status, Choice)


def test_the_sharing_table_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model, "_SHARED_LIMIT", 10)
    for n in range(50):
        _ticket(str(n), requester=Person(name=f"Person {n}"))
        assert len(model._SHARED) <= 10


def test_done_follows_the_status_category() -> None:
    closed = Choice(id="3", label="Closed", category=StatusCategory.CLOSED)
    pending = Choice(id="2", label="Waiting", category=StatusCategory.PENDING)
    assert _ticket("1", status=closed).is_done
    assert not _ticket("2", status=pending).is_done
    assert not _ticket("3").is_done


def test_change_and_lookups_helpers() -> None:
    assert Change().is_empty()
    assert not Change(subject="x").is_empty()
    lookups = Lookups(statuses=(Choice(id="1", label="Open"),))
    assert lookups.find("statuses", "1") == Choice(id="1", label="Open")
    assert lookups.find("statuses", "9") is None
