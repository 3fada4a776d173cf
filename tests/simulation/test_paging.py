"""Page slicing in the vendors' three styles."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest

from adapters.simulation import SimRequest, link_header, numbered_page, offset_page

ROWS = list(range(1, 96))  # 95 rows


def test_offset_and_limit_slice_rows_and_report_the_total() -> None:
    page = offset_page(ROWS, 40, 20)
    assert page.items == list(range(41, 61))
    assert (page.total, page.offset, page.has_more) == (95, 40, True)
    assert offset_page(ROWS, 90, 20).items == [91, 92, 93, 94, 95]
    assert not offset_page(ROWS, 90, 20).has_more
    assert offset_page(ROWS, 500, 20).items == []
    assert offset_page(ROWS, -5, 2).items == [1, 2]
    assert len(offset_page(ROWS, 0, None, max_limit=50).items) == 50
    with pytest.raises(ValueError):
        offset_page(ROWS, 0, -1)


def test_numbered_pages_count_from_the_vendors_first_page() -> None:
    assert numbered_page(ROWS, 1, 25).items == list(range(1, 26))
    assert numbered_page(ROWS, 4, 25).items == list(range(76, 96))
    assert numbered_page(ROWS, 0, 25, first=0).items == list(range(1, 26))
    assert numbered_page(ROWS, 5, 25).items == []
    assert numbered_page(ROWS, 2, 25).page_count == 4
    with pytest.raises(ValueError):
        numbered_page(ROWS, 1, 0)


def _links(header: str) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for part in header.split(", "):
        url, rel = part.split("; ")
        query = url.strip("<>").split("?", 1)[1]
        found[rel.split('"')[1]] = dict(parse_qsl(query))
    return found


def test_link_header_keeps_filters_and_names_next_prev_first_last() -> None:
    request = SimRequest(
        method="GET",
        path="/tickets",
        query=(("conditions", "status='New'"), ("page", "2"), ("pageSize", "25")),
    )
    page = numbered_page(ROWS, 2, 25)
    links = _links(link_header(request, page, base_url="http://sim/tickets"))
    assert set(links) == {"next", "prev", "first", "last"}
    assert links["next"] == {"conditions": "status='New'", "page": "3", "pageSize": "25"}
    assert links["prev"]["page"] == "1"
    assert links["last"]["page"] == "4"
    first = _links(link_header(request, numbered_page(ROWS, 1, 25), base_url="http://s/t"))
    assert "prev" not in first
    last = _links(link_header(request, numbered_page(ROWS, 4, 25), base_url="http://s/t"))
    assert "next" not in last
