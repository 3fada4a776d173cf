"""The vendor registry, text cleaned by type, and the shared label heuristics."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters import registry
from adapters.lookups import category_from_label, priority_ranks, status_category
from adapters.model import Choice, CustomField, FieldType, Post, StatusCategory, Ticket, TicketKey

NOW = datetime(2025, 1, 1, tzinfo=UTC)


def test_registered_vendor_is_there_only_inside_the_block() -> None:
    record = registry.Vendor("tmpdesk", "Temporary", "adapters.kayako.adapter:KayakoAdapter", "x")
    with registry.registered(record):
        assert "tmpdesk" in registry.vendor_names()
        assert registry.vendor_title("tmpdesk") == "Temporary"
        assert registry.adapter_class("tmpdesk").vendor == "kayako"
        with pytest.raises(ValueError, match="already registered"):
            registry.register(record)
    assert "tmpdesk" not in registry.vendor_names()
    assert registry.vendor_title("tmpdesk") == "tmpdesk"
    with pytest.raises(registry.UnknownVendor, match=r"known: (.*, )?kayako"):
        registry.adapter_class("tmpdesk")
    with pytest.raises(ValueError, match="module:Class"):
        registry.Vendor("bad", "Bad", "no.colon", "x")


def test_desk_text_is_cleaned_whatever_the_adapter_did() -> None:
    ticket = Ticket(
        key=TicketKey("k", "1"),
        display_id="1\x1b[2J",
        subject="Pay\u202enow \x07 please",
        group=Choice(id="1", label="Ops\x1b]0;x\x07"),
        tags=("vip\x00",),
        created=NOW,
        updated=NOW,
    )
    assert (ticket.display_id, ticket.subject) == ("1", "Paynow please")
    assert ticket.group is not None and ticket.group.label == "Ops"
    assert ticket.tags == ("vip",)
    post = Post.model_validate(
        {
            "id": "p",
            "author_kind": "agent",
            "created": NOW,
            "body": "line one\r\nline\x9b31m two",
            "visibility": "public",
            "kind": "reply",
        }
    )
    assert post.body == "line one\nline two"
    field = CustomField(
        key="k", label="L\x1b[0m", group="G", type=FieldType.TEXT, value="a\x1b[1mb"
    )
    assert (field.label, field.value) == ("L", "ab")


@pytest.mark.parametrize(
    ("label", "done", "category"),
    [
        ("Closed", None, StatusCategory.CLOSED),
        ("Solved", None, StatusCategory.RESOLVED),
        ("Waiting on customer", None, StatusCategory.PENDING),
        ("New", False, StatusCategory.NEW),
        ("Closed", False, StatusCategory.OPEN),
        ("Finished", True, StatusCategory.RESOLVED),
        ("In progress", None, StatusCategory.OPEN),
    ],
)
def test_category_from_label(label: str, done: bool | None, category: StatusCategory) -> None:
    assert category_from_label(label, done=done) is category


def test_status_map_wins_by_id_then_label() -> None:
    overrides = {"7": StatusCategory.PENDING, "in progress": StatusCategory.NEW}
    assert status_category("7", "Open", overrides=overrides) is StatusCategory.PENDING
    assert status_category("8", "In Progress", overrides=overrides) is StatusCategory.NEW
    assert status_category("9", "Open", overrides=overrides) is StatusCategory.OPEN


def test_priority_ranks_from_labels_then_order() -> None:
    ranks = priority_ranks([("a", "Urgent", 1), ("b", "Whatever", 2), ("c", "Low", 3)])
    assert ranks == {"a": 1, "b": 3, "c": 4}
    assert priority_ranks([("x", "P1", 2), ("y", "P2", 1)]) == {"x": 1, "y": 5}
