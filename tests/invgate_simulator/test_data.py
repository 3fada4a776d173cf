"""The simulated instance's data: reproducible, varied as the issue asks (help desks with
levels, every type, status and priority, public and internal comments with some HTML,
custom fields of several types, links, time entries), its own customers, and cheap to
build at scale (children and descriptions are written when first read)."""

from __future__ import annotations

import time

from adapters.invgate.sim_data import generate_desk
from adapters.invgate.sim_data.records import CF_TYPES, PRIORITIES, STATUSES, TYPES
from adapters.simdata import Clientele
from adapters.simdata.markup import looks_like_html


def test_same_seed_same_desk() -> None:
    first, second = (
        generate_desk(tickets=120, seed=5, now=1_800_000_000),
        generate_desk(tickets=120, seed=5, now=1_800_000_000),
    )
    assert [r.title for r in first.requests.values()] == [r.title for r in second.requests.values()]
    one, two = first.requests[40], second.requests[40]
    assert first.description(one) == second.description(two)
    assert [c.message for c in first.kids(one).comments] == [
        c.message for c in second.kids(two).comments
    ]


def test_variety_of_a_400_request_desk() -> None:
    desk = generate_desk(tickets=400, seed=1)
    requests = list(desk.requests.values())
    assert {r.status_id for r in requests} == {s for s, _ in STATUSES}
    assert {r.priority_id for r in requests} == {p for p, _ in PRIORITIES}
    assert {r.type_id for r in requests} == {t for t, _ in TYPES}
    roots = [h for h in desk.helpdesks if h.parent_id is None]
    assert len(roots) >= 3 and all(any(h.parent_id == r.id for h in desk.helpdesks) for r in roots)
    comments = [c for r in requests for c in desk.kids(r).comments]
    assert {c.customer_visible for c in comments} == {True, False}
    assert any(looks_like_html(c.message) for c in comments)
    assert any(c.is_solution for c in comments) and any(c.attached_files for c in comments)
    assert any(desk.kids(r).time_entries for r in requests)
    assert any(r.links for r in requests)
    kinds = {desk.field_def(uid).type for r in requests for uid in r.custom_fields}  # type: ignore[union-attr]
    assert kinds == {t for t, _ in CF_TYPES}
    assert not any("{" in r.title for r in requests)


def test_customers_are_clientele_four() -> None:
    desk = generate_desk(tickets=100, seed=1)
    domains = {u.email.split("@")[1] for u in desk.users.values() if u.user_type == 2}
    canonical = {name.lower().replace(" ", "") for name in Clientele(0).organisation_names()}
    assert not any(domain.split(".")[0] in canonical for domain in domains)
    assert all(u.user_type == 1 for u in desk.users.values() if u.id < 100)


def test_large_desk_builds_quickly() -> None:
    started = time.perf_counter()
    desk = generate_desk(tickets=20_000, seed=2)
    assert len(desk.requests) == 20_000
    assert time.perf_counter() - started < 5.0
    assert all(r.description is None for r in list(desk.requests.values())[:100])
