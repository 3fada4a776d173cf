"""``/Actions`` (a ticket's conversation, and new actions) and ``/Attachment``.

``GET /Actions?ticket_id=`` answers ``{record_count, actions}``, newest first, with the
filters ``excludesys``, ``excludeprivate``, ``conversationonly``, ``agentonly``,
``importantonly``, ``count`` and ``includehtmlnote``; action ids count per ticket, so one
action is ``GET /Actions/{id}?ticket_id=``. ``POST /Actions`` takes an array; every action
needs an outcome (``outcome_id`` or the ``outcome`` name), else 400 "An Outcome must be
entered for this Action". The outcome's new status and visibility apply unless the action
says otherwise (``new_status``, ``hiddenfromuser``); ``new_agent``/``new_team`` reassign;
``sendemail`` e-mails ``emailto`` (the ticket's user when empty), which the desk records
in its outbox. The API's actions are taken by the application's agent.

``POST /Attachment`` takes ``[{ticket_id, filename, data_base64}]``; ``GET /Attachment?
ticket_id=`` lists a ticket's files as ``{record_count, attachments}``.
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Any

from adapters.halopsa.sim_data import Action, SentEmail
from adapters.halopsa.sim_data.config import (
    AGENT_BY_ID,
    API_AGENT,
    OUTCOME_BY_ID,
    OUTCOMES,
    TEAM_BY_ID,
    TEAM_BY_NAME,
    Outcome,
)
from adapters.halopsa.simulator import render
from adapters.halopsa.simulator.server import (
    Params,
    created,
    exception_body,
    flag,
    json_array,
    model_state,
    number,
    text_error,
)
from adapters.halopsa.simulator.tickets import set_status
from adapters.simulation import SimRequest, SimResponse

if TYPE_CHECKING:
    from adapters.halopsa.simulator.server import HaloServer


def register(server: HaloServer) -> None:
    router = server.router
    router.add("GET", "/api/Actions", lambda r, p: list_actions(server, r))
    router.add("POST", "/api/Actions", lambda r, p: post_actions(server, r))
    router.add("GET", "/api/Actions/{id}", lambda r, p: get_action(server, r, p))
    router.add("GET", "/api/Attachment", lambda r, p: list_attachments(server, r))
    router.add("POST", "/api/Attachment", lambda r, p: post_attachments(server, r))
    router.add("GET", "/api/Attachment/{id}", lambda r, p: get_attachment(server, r, p))


def list_actions(server: HaloServer, request: SimRequest) -> SimResponse:
    ticket_id = number(request, "ticket_id")
    if ticket_id is None:
        raise text_error(400, "Please provide a ticket_id.")
    ticket = server.ticket(ticket_id)
    actions = list(server.desk.ticket_actions(ticket))
    if flag(request, "excludesys"):
        actions = [a for a in actions if a.who_type != 0]
    if flag(request, "excludeprivate"):
        actions = [a for a in actions if not a.hidden]
    if flag(request, "conversationonly"):
        actions = [a for a in actions if a.who_type in (1, 2) and not a.hidden]
    if flag(request, "agentonly"):
        actions = [a for a in actions if a.who_type == 1]
    if flag(request, "importantonly"):
        actions = [a for a in actions if a.important]
    actions.sort(key=lambda a: (a.when, a.id), reverse=True)
    count = number(request, "count")
    if count is not None:
        actions = actions[:count]
    html = flag(request, "includehtmlnote")
    return SimResponse.json(
        {
            "record_count": len(actions),
            "actions": [render.action(server.desk, a, html=html) for a in actions],
        }
    )


def get_action(server: HaloServer, request: SimRequest, params: Params) -> SimResponse:
    ticket_id = number(request, "ticket_id")
    if ticket_id is None:
        raise text_error(400, "Please provide a ticket_id.")
    ticket = server.ticket(ticket_id)
    actions = server.desk.ticket_actions(ticket)
    if flag(request, "mostrecent"):
        found = max(actions, key=lambda a: (a.when, a.id), default=None)
    else:
        found = next((a for a in actions if str(a.id) == params["id"]), None)
    if found is None:
        raise exception_body(404, f"No record found for Action with ID {params['id']}.")
    return SimResponse.json(render.action(server.desk, found, html=True))


def _outcome(item: dict[str, Any], where: str) -> Outcome:
    if item.get("outcome_id") not in (None, "", 0, "0"):
        try:
            found = OUTCOME_BY_ID.get(int(item["outcome_id"]))
        except (TypeError, ValueError):
            raise model_state(400, {f"{where}.outcome_id": "The value is not valid."}) from None
        if found is None:
            raise text_error(400, f"Outcome {item['outcome_id']} does not exist.")
        return found
    name = str(item.get("outcome") or "").strip().casefold()
    if not name:
        raise text_error(400, "An Outcome must be entered for this Action")
    found = next((o for o in OUTCOMES if o.outcome.casefold() == name), None)
    if found is None:
        raise text_error(400, f"Outcome '{item['outcome']}' does not exist.")
    return found


def post_actions(server: HaloServer, request: SimRequest) -> SimResponse:
    saved: list[dict[str, Any]] = []
    for index, item in enumerate(json_array(request)):
        where = f"[{index}]"
        if item.get("ticket_id") in (None, "", 0):
            raise text_error(400, "Please provide a ticket_id for the Action.")
        ticket = server.ticket(item["ticket_id"])
        outcome = _outcome(item, where)
        note = str(item.get("note") or item.get("note_html") or "")
        if outcome.mustaddnote and not note.strip():
            raise text_error(400, "Please enter a note for this Action.")
        old_status = ticket.status_id
        new_status = item.get("new_status")
        target = outcome.newstatus
        if new_status not in (None, "", 0, "0"):
            try:
                target = int(new_status)
            except (TypeError, ValueError):
                raise model_state(400, {f"{where}.new_status": "The value is not valid."}) from None
        if target:
            set_status(server, ticket, target, note)
        if item.get("new_team"):
            team = _team(item["new_team"])
            ticket.team_id = team.id
        if item.get("new_agent") not in (None, "", 0, "0"):
            agent = AGENT_BY_ID.get(int(item["new_agent"]))
            if agent is None or agent.disabled:
                raise text_error(400, f"Agent {item['new_agent']} does not exist.")
            if not item.get("new_team") or ticket.team_id in agent.teams:
                ticket.agent_id = agent.id
        if outcome.claim:
            ticket.agent_id = API_AGENT
        hidden = item.get("hiddenfromuser")
        api = AGENT_BY_ID[API_AGENT]
        action = Action(
            id=0,
            ticket_id=ticket.id,
            outcome_id=outcome.id,
            outcome=outcome.outcome,
            who=api.name,
            who_type=1,
            agent_id=api.id,
            user_id=0,
            when=server.now(),
            note=note,
            hidden=outcome.hidefromuser if hidden is None else bool(hidden),
            new_status=ticket.status_id if ticket.status_id != old_status else 0,
            old_status=old_status if ticket.status_id != old_status else 0,
            emailto=str(item.get("emailto") or ""),
            emailcc=str(item.get("emailcc") or ""),
            emailsubject=str(item.get("emailsubject") or ""),
            timetaken=float(item.get("timetaken") or 0),
            important=bool(item.get("important")),
        )
        server.desk.add_action(ticket, action)
        sendemail = item.get("sendemail")
        if outcome.sendemail if sendemail is None else bool(sendemail):
            to = action.emailto or ticket.reportedby
            action.emailto = to
            server.desk.outbox.append(
                SentEmail(
                    ticket.id,
                    action.id,
                    to,
                    action.emailcc,
                    action.emailsubject or f"[Ticket #{ticket.id}] {ticket.summary}",
                    note,
                )
            )
        saved.append(render.action(server.desk, action))
    return created(saved)


def _team(value: Any) -> Any:
    if isinstance(value, int) or str(value).isdigit():
        team = TEAM_BY_ID.get(int(value))
    else:
        team = TEAM_BY_NAME.get(str(value).strip().casefold())
    if team is None:
        raise text_error(400, f"Team '{value}' does not exist.")
    return team


def list_attachments(server: HaloServer, request: SimRequest) -> SimResponse:
    ticket_id = number(request, "ticket_id")
    files = []
    if ticket_id is not None:
        files = list(server.desk.attachments.get(server.ticket(ticket_id).id, ()))
    return SimResponse.json(
        {
            "record_count": len(files),
            "attachments": [render.attachment(a) for a in files],
            "ticket_id": ticket_id or 0,
        }
    )


def get_attachment(server: HaloServer, request: SimRequest, params: Params) -> SimResponse:
    for files in server.desk.attachments.values():
        for item in files:
            if str(item.id) == params["id"]:
                if flag(request, "includedetails"):
                    return SimResponse.json(render.attachment(item, data=True))
                return SimResponse(
                    status=200,
                    body=item.content,
                    content_type="application/octet-stream",
                    headers=(("Content-Disposition", f'attachment; filename="{item.filename}"'),),
                )
    raise exception_body(404, f"No record found for Attachment with ID {params['id']}.")


def post_attachments(server: HaloServer, request: SimRequest) -> SimResponse:
    saved: list[dict[str, Any]] = []
    for index, item in enumerate(json_array(request)):
        if item.get("ticket_id") in (None, "", 0):
            raise text_error(400, "Please provide a ticket_id for the Attachment.")
        ticket = server.ticket(item["ticket_id"])
        filename = str(item.get("filename") or "").strip()
        if not filename:
            raise text_error(400, "Please provide a filename.")
        try:
            content = base64.b64decode(str(item.get("data_base64") or ""), validate=True)
        except (binascii.Error, ValueError):
            raise model_state(400, {f"[{index}].data_base64": "Not valid base64."}) from None
        attachment = server.desk.add_attachment(
            ticket, filename, content, str(item.get("desc") or "")
        )
        saved.append(render.attachment(attachment))
    return created(saved)
