"""HaloPSA's wire format read by the adapter: timestamps, error shapes, custom fields."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from adapters.halopsa import wire
from adapters.model import Choice, CustomField, FieldType


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-06-20T14:45:15.9746271Z", datetime(2024, 6, 20, 14, 45, 15, 974627, tzinfo=UTC)),
        ("2022-09-30T20:00:00Z", datetime(2022, 9, 30, 20, 0, tzinfo=UTC)),
        ("2022-09-30T20:00:00", datetime(2022, 9, 30, 20, 0, tzinfo=UTC)),
        ("2022-09-30T22:00:00+02:00", datetime(2022, 9, 30, 20, 0, tzinfo=UTC)),
        ("2022-09-30 20:00", datetime(2022, 9, 30, 20, 0, tzinfo=UTC)),
        ("0001-01-01T00:00:00", None),
        ("1900-01-01T00:00:00", None),
        ("", None),
        ("not a date", None),
        (None, None),
        (12345, None),
    ],
)
def test_timestamps_lenient_with_sentinels(text: object, expected: datetime | None) -> None:
    assert wire.parse_time(text) == expected


def test_query_time_is_utc_without_zone() -> None:
    moment = datetime(2024, 12, 18, 23, 3, 34, 999, tzinfo=UTC)
    assert wire.format_query_time(moment) == "2024-12-18T23:03:34"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"An Outcome must be entered for this Action", ""),
        (
            b'{"[0].status_id": ["The value \'x\' is not valid."]}',
            "status_id: The value 'x' is not valid.",
        ),
        (b'{"ClassName": "System.Exception", "Message": "No record found"}', "No record found"),
        (b'{"resultCode": 3, "errorMessage": "Bad thing"}', "Bad thing"),
        (b'{"error": "invalid_client", "error_description": "nope"}', "invalid_client: nope"),
        (b'"Rate Limit Reached"', "Rate Limit Reached"),
        (b'{"errors": {"$": ["could not convert"]}}', "could not convert"),
    ],
)
def test_error_shapes(body: bytes, message: str) -> None:
    response = httpx.Response(400, content=body)
    assert wire.response_message(response) == message


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ("status_id: The value 'x' is not valid.", "status_id"),
        ("tickettype_id: bad", "type_id"),
        ("Team 'Nope' does not exist.", "group_id"),
        ("Agent 99 does not exist.", "assignee_id"),
        ("Please enter a Summary.", "subject"),
        ("Something else", "request"),
    ],
)
def test_error_field(message: str, field: str) -> None:
    assert wire.field_of(message) == field


def test_select_values_come_as_text_or_number() -> None:
    options = (Choice(id="1", label="Standard Desktop"), Choice(id="2", label="Thin Client"))
    for value in ("1", 1, 1.0):
        assert wire.read_value(FieldType.SELECT, value, "", options) == "Standard Desktop"
    assert wire.read_value(FieldType.MULTI_SELECT, "1,2", "", options) == [
        "Standard Desktop",
        "Thin Client",
    ]
    assert wire.read_value(FieldType.NUMBER, "12", "12", ()) == 12.0
    assert wire.read_value(FieldType.CHECKBOX, 1, "Yes", ()) is True
    assert wire.read_value(FieldType.DATE, "2024-06-20T09:00:00Z", "", ()) == "2024-06-20"
    assert wire.read_value(FieldType.TEXT, "", "", ()) is None


def test_write_values_by_type() -> None:
    options = (Choice(id="1", label="Email"), Choice(id="2", label="VPN"))
    multi = CustomField(
        key="CFx", label="X", group="g", type=FieldType.MULTI_SELECT, options=options
    )
    assert wire.write_value(multi, ["VPN", "email"]) == "2,1"
    with pytest.raises(ValueError, match="not one of its options"):
        wire.write_value(multi, ["Fax"])
    date = CustomField(key="CFd", label="D", group="g", type=FieldType.DATE)
    assert wire.write_value(date, "2024-06-20") == "2024-06-20T00:00:00"
    number = CustomField(key="CFn", label="N", group="g", type=FieldType.NUMBER)
    assert wire.write_value(number, 12.0) == 12
    with pytest.raises(ValueError):
        wire.write_value(number, "twelve")
    box = CustomField(key="CFb", label="B", group="g", type=FieldType.CHECKBOX)
    assert wire.write_value(box, False) == 0


def test_unassigned_agents_map_to_none() -> None:
    catalog = wire.build_catalog([], [], [], [], [{"id": 1, "name": "1st Line Support"}], [], {})
    row = {
        "id": 5,
        "summary": "s",
        "agent_id": 1,
        "team": "1st Line Support",
        "dateoccurred": "2024-06-20T14:45:15.9746271Z",
        "last_update": "0001-01-01T00:00:00",
    }
    ticket = wire.ticket("c", row, catalog)
    assert ticket.assignee is None
    assert ticket.group is not None and ticket.group.id == "1"
    assert ticket.updated == ticket.created
