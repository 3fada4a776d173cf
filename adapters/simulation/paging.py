"""Slicing a list the way each vendor pages it.

Three styles cover the desks we imitate, and each vendor differs only in names and
defaults, so the arithmetic lives here once:

* offset/limit (:func:`offset_page`): ``?offset=40&limit=20``, 0-based rows;
* page/pageSize with an RFC 8288 ``Link`` header (:func:`numbered_page` and
  :func:`link_header`): ``?page=3&pageSize=25``, 1-based pages, the next/prev/first/last
  URLs in the header;
* page_no/page_size with the total in the body (:func:`numbered_page`, then
  :attr:`Page.total` as ``record_count``).

A :class:`Page` knows its rows, the total before slicing and where it sits, so each
simulator writes its own envelope from it. Out-of-range pages are empty, not errors: the
vendors answer an empty list past the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar
from urllib.parse import urlencode

from adapters.simulation.request import SimRequest

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One slice of a list: ``items``, the ``total`` before slicing, its ``offset``."""

    items: list[T]
    total: int
    offset: int
    size: int | None  # rows per page; None: everything from the offset

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.items) < self.total

    @property
    def page_count(self) -> int:
        """Pages of ``size`` rows the whole list fills (1 for an unsized page)."""
        if not self.size:
            return 1
        return max(1, -(-self.total // self.size))


def offset_page(
    items: Sequence[T], offset: int = 0, limit: int | None = None, *, max_limit: int | None = None
) -> Page[T]:
    """Rows ``offset .. offset+limit`` (negative offsets count as 0; ``limit=None``: all,
    capped by ``max_limit`` when the vendor caps it)."""
    offset = max(offset, 0)
    if max_limit is not None:
        limit = max_limit if limit is None else min(limit, max_limit)
    if limit is not None and limit < 0:
        raise ValueError(f"limit must be >= 0, got {limit}")
    end = len(items) if limit is None else offset + limit
    return Page(list(items[offset:end]), len(items), offset, limit)


def numbered_page(items: Sequence[T], page: int, size: int, *, first: int = 1) -> Page[T]:
    """Page number ``page`` of ``size`` rows; ``first`` is the vendor's first page number
    (1 for most, 0 for some). Pages before the first are treated as the first."""
    if size <= 0:
        raise ValueError(f"page size must be > 0, got {size}")
    index = max(page - first, 0)
    return offset_page(items, index * size, size)


def link_header(
    request: SimRequest,
    page: Page[T],
    *,
    base_url: str,
    page_param: str = "page",
    size_param: str = "pageSize",
    first: int = 1,
) -> str:
    """An RFC 8288 ``Link`` value with next/prev/first/last URLs for ``page``.

    The URLs repeat the request's query with only the page number changed, as vendors
    do, so filters survive paging. ``base_url`` is the absolute URL of the request's path.
    """
    size = page.size or max(len(page.items), 1)
    current = page.offset // size + first
    last = page.page_count - 1 + first
    kept = [(k, v) for k, v in request.query if k not in (page_param, size_param)]

    def url(number: int) -> str:
        query = urlencode([*kept, (page_param, str(number)), (size_param, str(size))])
        return f"{base_url}?{query}"

    links: list[str] = []
    if current < last:
        links.append(f'<{url(current + 1)}>; rel="next"')
    if current > first:
        links.append(f'<{url(min(current - 1, last))}>; rel="prev"')
    links.append(f'<{url(first)}>; rel="first"')
    links.append(f'<{url(last)}>; rel="last"')
    return ", ".join(links)
