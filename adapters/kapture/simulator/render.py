"""The JSON shapes Kapture answers with, and its three date formats.

* the **ticket object** of Add and Update answers: ``id`` and ``ticketId``, keys beside
  names (``status``/``statusName``, ``substatus``/``substatusName``, ``queueKey``/
  ``queueName``), dates as ``yyyy-MM-dd HH:mm:ss``, ``lastConversationTime`` in epoch
  milliseconds;
* the **summary** of Pull and the ``task_details`` of Get: ``taskId`` and ``ticketId``,
  status and sub-status as names only, dates as ``dd-MM-yyyy HH:mm``;
* conversation messages with ``sentDate`` as ``yyyy-MM-dd HH:mm:ss``.

Every date is the tenant's wall clock (IST here), without a zone.
"""

from __future__ import annotations

import time
from typing import Any

from adapters.kapture.sim_data import KaptureDesk, Message, Ticket
from adapters.kapture.sim_data.config import (
    AGENT_BY_ID,
    PRIORITIES,
    QUEUE_NAMES,
    SOURCE_NAMES,
    SUB_STATUS_BY_KEY,
    TIMEZONE_OFFSET,
    TOP_STATUSES,
)

OBJECT_DATE = "%Y-%m-%d %H:%M:%S"
SUMMARY_DATE = "%d-%m-%Y %H:%M"


def local(epoch: int, pattern: str) -> str:
    """``epoch`` on the tenant's wall clock, formatted; "" for 0."""
    if not epoch:
        return ""
    return time.strftime(pattern, time.gmtime(epoch + TIMEZONE_OFFSET))


def tat(ticket: Ticket) -> str:
    """Turnaround time as Kapture writes it (``2 Day 3 Hr 10 Min``), done tickets only."""
    if not ticket.ended:
        return ""
    minutes = max(0, ticket.ended - ticket.created) // 60
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    return f"{days} Day {hours} Hr {mins} Min"


def _assignee(ticket: Ticket) -> tuple[int, str, str]:
    agent = AGENT_BY_ID.get(ticket.assignee)
    return (agent.id, agent.name, agent.email) if agent else (0, "", "")


def ticket_url(ticket: Ticket) -> str:
    return f"/employee/all-tickets.html?detail=2/{ticket.id}/{ticket.ticket_id}"


def ticket_object(desk: KaptureDesk, ticket: Ticket) -> dict[str, Any]:
    """The ``ticket`` of Add and Update answers (field order as the docs show it)."""
    sub = SUB_STATUS_BY_KEY[ticket.substatus]
    conversation = desk.conversation(ticket)
    last = conversation[-1] if conversation else None
    agent_id, agent_name, agent_email = _assignee(ticket)
    creator = AGENT_BY_ID.get(ticket.creator)
    return {
        "id": ticket.id,
        "type": ticket.source,
        "email": ticket.email,
        "phone": ticket.phone,
        "status": sub.status,
        "orderId": "",
        "queueKey": ticket.queue,
        "ticketId": ticket.ticket_id,
        "folderId": 0,
        "detail": ticket.detail,
        "isUnread": False,
        "isOutOfSLA": False,
        "priority": ticket.priority,
        "isCallBack": ticket.callback,
        "creatorId": ticket.creator,
        "enquiryId": 0,
        "contactId": 0,
        "substatus": sub.key,
        "productId": 0,
        "erpOrderId": "",
        "referenceId": 0,
        "ticketEmail": "",
        "assignedToId": agent_id,
        "pendingTaskId": 0,
        "agencyBriefId": 0,
        "twitterUserId": "",
        "facebookUserId": "",
        "associativefile": "",
        "statusName": TOP_STATUSES[sub.status],
        "customerFeedback": 0,
        "playStoreReviewId": "",
        "lastConversationId": last.id if last else 0,
        "lastConversationType": ticket.source,
        "lastConversationTime": (last.sent if last else ticket.created) * 1000,
        "date": local(ticket.created, OBJECT_DATE),
        "totalConversationCount": len(conversation),
        "taskTitle": ticket.title,
        "typeName": SOURCE_NAMES[ticket.source],
        "taskEnddate": local(ticket.ended or ticket.created, OBJECT_DATE),
        "lastFollowUp": local(ticket.updated, OBJECT_DATE),
        "nextFollowUp": local(ticket.follow_up, OBJECT_DATE),
        "substatusName": sub.name,
        "encryptedPhone": "",
        "encryptedEmail": "",
        "lastConversationTypeName": SOURCE_NAMES[ticket.source],
        "ticketURL": ticket_url(ticket),
        "ticketCreatorURL": ticket_url(ticket),
        "isEscalated": ticket.escalated,
        "folders": ["Inbox"],
        "queueName": QUEUE_NAMES.get(ticket.queue, ""),
        "creatorName": creator.name if creator else "",
        "folderColor": "red",
        "assignedToName": agent_name,
        "assignedToEmail": agent_email,
        "mergeTicketId": "",
        "skuCode": "",
        "productName": "",
    }


def summary(desk: KaptureDesk, ticket: Ticket) -> dict[str, Any]:
    """One ticket of a Pull answer: the v2 docs' fields, the older docs' customer and
    assignment fields, and the queue (the docs' example is cut off before it)."""
    sub = SUB_STATUS_BY_KEY[ticket.substatus]
    _, agent_name, _ = _assignee(ticket)
    creator = AGENT_BY_ID.get(ticket.creator)
    conversation = desk.conversation(ticket)
    last = conversation[-1].sent if conversation else ticket.created
    return {
        "tat": tat(ticket),
        "sla": "",
        "date": local(ticket.created, SUMMARY_DATE),
        "status": TOP_STATUSES[sub.status],
        "nextFollowUp": local(ticket.follow_up, SUMMARY_DATE),
        "lastFollowUp": local(ticket.updated, SUMMARY_DATE),
        "taskId": ticket.id,
        "lastSource": SOURCE_NAMES[ticket.source],
        "orderId": "",
        "lastConvesationTime": local(last, SUMMARY_DATE),
        "ticketId": ticket.ticket_id,
        "folderId": 0,
        "primarySource": SOURCE_NAMES[ticket.source],
        "detail": ticket.detail,
        "mergedTicketId": "",
        "contactId": 0,
        "creatorName": creator.name if creator else "",
        "priority": PRIORITIES[ticket.priority - 1] if ticket.priority else "",
        "assignedToName": agent_name,
        "sla status": "within sla",
        "total_conversations": str(len(conversation)),
        "taskTitle": ticket.title,
        "substatus": sub.name,
        "taskEnddate": local(ticket.ended, SUMMARY_DATE),
        "disposition": ticket.disposition,
        "companyName": "",
        "customerName": ticket.customer_name,
        "customerEmail": ticket.email,
        "customerPhone": ticket.phone,
        "queueKey": ticket.queue,
        "queueName": QUEUE_NAMES.get(ticket.queue, ""),
    }


def task_details(desk: KaptureDesk, ticket: Ticket) -> dict[str, Any]:
    """Get's ``task_details``."""
    sub = SUB_STATUS_BY_KEY[ticket.substatus]
    _, agent_name, _ = _assignee(ticket)
    return {
        "date": local(ticket.created, SUMMARY_DATE),
        "tat": tat(ticket),
        "sla": "",
        "status": TOP_STATUSES[sub.status],
        "substatus": sub.name,
        "ticketId": ticket.ticket_id,
        "taskId": ticket.id,
        "title": ticket.title,
        "taskEnddate": local(ticket.ended, SUMMARY_DATE),
        "lastFollowUp": local(ticket.updated, SUMMARY_DATE),
        "nextFollowUp": local(ticket.follow_up, SUMMARY_DATE),
        "disposition": ticket.disposition,
        "assignedToName": agent_name,
        "customerName": ticket.customer_name,
        "customerEmail": ticket.email,
        "customerPhone": ticket.phone,
        "queueKey": ticket.queue,
        "queueName": QUEUE_NAMES.get(ticket.queue, ""),
        "priority": PRIORITIES[ticket.priority - 1] if ticket.priority else "",
        "url": ticket_url(ticket),
    }


def message(item: Message) -> dict[str, Any]:
    return {
        "id": item.id,
        "chat_message": item.body,
        "sender_name": item.sender,
        "receiver_name": item.receiver,
        "sentDate": local(item.sent, OBJECT_DATE),
        "sender_type": "customer" if item.from_customer else "agent",
    }
