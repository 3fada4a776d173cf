"""The simulated site's writes: PATCH and PUT, per-board rules, notes, merge, delete."""

from __future__ import annotations

from typing import Any

from tests.connectwise_simulator.conftest import API, HEADERS, Wire


async def an_open_ticket(wire: Wire, board: int = 21) -> dict[str, Any]:
    listed = await wire.get("/service/tickets", conditions=f"closedFlag=False AND board/id={board}")
    return dict(listed.json()[0])


async def test_patch_replaces_references_and_follows_closed_statuses(wire: Wire) -> None:
    ticket = await an_open_ticket(wire)
    ops = [
        {"op": "replace", "path": "summary", "value": "Renamed"},
        {"op": "replace", "path": "status", "value": {"id": 507}},
        {"op": "replace", "path": "priority", "value": {"name": "Priority 1 - Emergency Response"}},
        {"op": "replace", "path": "severity", "value": "High"},
    ]
    response = await wire.send("PATCH", f"/service/tickets/{ticket['id']}", ops)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["summary"], body["status"]["id"], body["priority"]["id"]) == ("Renamed", 507, 15)
    assert body["closedFlag"] is True and body["closedBy"] == "triageapi" and "closedDate" in body
    reopened = await wire.send(
        "PATCH",
        f"/service/tickets/{ticket['id']}",
        [{"op": "replace", "path": "status", "value": {"id": 502}}],
    )
    assert reopened.json()["closedFlag"] is False and "closedDate" not in reopened.json()


async def test_patch_sub_path_is_a_silent_no_op(wire: Wire) -> None:
    ticket = await an_open_ticket(wire)
    ops = [{"op": "replace", "path": "company/identifier", "value": "Catchall"}]
    response = await wire.send("PATCH", f"/service/tickets/{ticket['id']}", ops)
    assert response.status_code == 200
    assert response.json()["company"]["id"] == ticket["company"]["id"]


async def test_statuses_and_teams_belong_to_the_board(wire: Wire) -> None:
    ticket = await an_open_ticket(wire)
    wrong = await wire.send(
        "PATCH",
        f"/service/tickets/{ticket['id']}",
        [{"op": "replace", "path": "status", "value": {"id": 526}}],
    )
    assert wrong.status_code == 400
    [problem] = wrong.json()["errors"]
    assert problem["field"] == "status/id" and "on board 21" in problem["message"]
    team = await wire.send(
        "PATCH",
        f"/service/tickets/{ticket['id']}",
        [{"op": "replace", "path": "team", "value": {"id": 33}}],
    )
    assert team.status_code == 400
    moved = await wire.send(
        "PATCH",
        f"/service/tickets/{ticket['id']}",
        [{"op": "replace", "path": "board", "value": {"id": 22}}],
    )
    body = moved.json()
    assert body["board"]["id"] == 22 and body["status"]["id"] == 521
    assert "team" not in body or body["team"]["id"] in (33, 34)


async def test_errors_list_every_field_and_apply_nothing(wire: Wire) -> None:
    ticket = await an_open_ticket(wire)
    ops = [
        {"op": "replace", "path": "summary", "value": ""},
        {"op": "replace", "path": "impact", "value": "Enormous"},
        {"op": "replace", "path": "owner", "value": {"id": 9999}},
    ]
    response = await wire.send("PATCH", f"/service/tickets/{ticket['id']}", ops)
    assert response.status_code == 400 and response.json()["code"] == "InvalidObject"
    assert {e["field"] for e in response.json()["errors"]} == {"summary", "impact", "owner/id"}
    again = (await wire.get(f"/service/tickets/{ticket['id']}")).json()
    assert again["summary"] == ticket["summary"]


async def test_custom_fields_are_replaced_whole(wire: Wire) -> None:
    ticket = await an_open_ticket(wire)
    ops = [{"op": "replace", "path": "customFields", "value": [{"id": 41, "value": "OUT-1"}]}]
    body = (await wire.send("PATCH", f"/service/tickets/{ticket['id']}", ops)).json()
    values = {f["id"]: f.get("value") for f in body["customFields"]}
    assert values[41] == "OUT-1" and all(v is None for k, v in values.items() if k != 41)
    bad = [{"op": "replace", "path": "customFields", "value": [{"id": 42, "value": 2.5}]}]
    assert (await wire.send("PATCH", f"/service/tickets/{ticket['id']}", bad)).status_code == 400


async def test_put_resets_what_it_leaves_out(wire: Wire) -> None:
    ticket = await an_open_ticket(wire)
    body = {"summary": "Only this", "company": {"id": ticket["company"]["id"]}, "board": {"id": 21}}
    response = await wire.send("PUT", f"/service/tickets/{ticket['id']}", body)
    assert response.status_code == 200
    put = response.json()
    assert put["summary"] == "Only this" and put["severity"] == "Medium" and "owner" not in put
    assert put["_info"]["dateEntered"] == ticket["_info"]["dateEntered"]


async def test_create_and_delete(wire: Wire) -> None:
    missing = await wire.send("POST", "/service/tickets", {"summary": "x", "company": {"id": 1}})
    assert missing.status_code == 400
    assert missing.json()["errors"][0] == {
        "code": "NotFound",
        "message": "company 1 not found",
        "resource": "ticket",
        "field": "company/id",
    }
    created = await wire.send(
        "POST",
        "/service/tickets",
        {"summary": "New one", "company": {"identifier": "Catchall"}, "initialDescription": "Help"},
    )
    assert created.status_code == 201
    new = created.json()
    assert (new["board"]["id"], new["status"]["id"], new["team"]["id"]) == (21, 501, 31)
    notes = (await wire.get(f"/service/tickets/{new['id']}/notes")).json()
    assert [(n["text"], n["detailDescriptionFlag"]) for n in notes] == [("Help", True)]
    gone = await wire.send("DELETE", f"/service/tickets/{new['id']}", None)
    assert (gone.status_code, gone.content) == (204, b"")
    assert (await wire.get(f"/service/tickets/{new['id']}")).json() == {
        "code": "NotFound",
        "message": f"Service Ticket {new['id']} not found",
    }


async def test_notes_need_a_flag(wire: Wire) -> None:
    ticket = await an_open_ticket(wire)
    none = await wire.send("POST", f"/service/tickets/{ticket['id']}/notes", {"text": "hello"})
    assert none.status_code == 400
    assert none.json()["message"] == (
        "Please choose where to display the notes in order to save this record."
    )
    assert {e["field"] for e in none.json()["errors"]} == {
        "detailDescriptionFlag",
        "internalAnalysisFlag",
        "resolutionFlag",
    }
    ok = await wire.send(
        "POST",
        f"/service/tickets/{ticket['id']}/notes",
        {"text": "hello", "internalAnalysisFlag": True},
    )
    assert ok.status_code == 201 and ok.json()["internalFlag"] is True


async def test_merge(wire: Wire) -> None:
    listed = (
        await wire.get("/service/tickets", conditions="closedFlag=False AND board/id=21")
    ).json()
    parent, child = listed[0]["id"], listed[1]["id"]
    objects = await wire.send(
        "POST",
        f"/service/tickets/{parent}/merge",
        {"mergeTicketIds": [{"id": child}], "status": {"id": 507}},
    )
    assert objects.status_code == 500
    assert "Unexpected character encountered while parsing value: {" in objects.json()["message"]
    open_status = await wire.send(
        "POST",
        f"/service/tickets/{parent}/merge",
        {"mergeTicketIds": [child], "status": {"id": 502}},
    )
    assert open_status.json()["message"] == "Merged ticket status must be a closed status."
    itself = await wire.send(
        "POST",
        f"/service/tickets/{parent}/merge",
        {"mergeTicketIds": [parent], "status": {"id": 507}},
    )
    assert itself.status_code == 400
    child_notes = (await wire.get(f"/service/tickets/{child}/notes")).json()
    done = await wire.send(
        "POST",
        f"/service/tickets/{parent}/merge",
        {"mergeTicketIds": [child], "status": {"id": 507}},
    )
    assert done.status_code == 200 and done.json()["success"] is True
    merged_child = (await wire.get(f"/service/tickets/{child}")).json()
    assert merged_child["closedFlag"] is True and merged_child["mergedParentTicket"]["id"] == parent
    timeline = (await wire.get(f"/service/tickets/{parent}/allNotes", pageSize=1000)).json()
    assert sum(1 for n in timeline if n["mergedFlag"]) == len(child_notes)
    assert (await wire.get(f"/service/tickets/{parent}")).json()["hasMergedChildTicketFlag"] is True


async def test_a_body_that_is_not_one_object_is_refused(wire: Wire) -> None:
    """Create, replace, notes, merge and search read one JSON object; anything else is
    the 400 InvalidObject, and nothing changes."""
    ticket = next(iter(wire.server.desk.tickets))
    before = len(wire.server.desk.tickets)
    for method, path in (
        ("POST", "/service/tickets"),
        ("PUT", f"/service/tickets/{ticket}"),
        ("POST", f"/service/tickets/{ticket}/notes"),
        ("POST", f"/service/tickets/{ticket}/merge"),
        ("POST", "/service/tickets/search"),
    ):
        response = await wire.send(method, path, [{"summary": "in an array"}])
        assert response.status_code == 400, (method, path)
        assert response.json()["code"] == "InvalidObject"
        assert response.json()["message"] == "The request body must be an object."
        raw = await wire.client.request(
            method,
            API + path,
            content=b"{not json",
            headers={**HEADERS, "Content-Type": "application/json"},
        )
        assert raw.status_code == 400 and "not valid JSON" in raw.json()["message"]
    assert len(wire.server.desk.tickets) == before
