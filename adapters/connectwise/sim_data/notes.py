"""A ticket's notes, generated from (seed, ticket) when first read.

ConnectWise keeps a ticket's whole conversation as notes whose flags say where each one
shows: ``detailDescriptionFlag`` (the Discussion tab, which the customer sees; the first
such note is the ticket's description), ``internalAnalysisFlag`` (Internal) and
``resolutionFlag`` (Resolution). Customers' notes name a ``contact``, members' a
``member``. About one ticket in five came in by e-mail as HTML and keeps it.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from adapters.connectwise.sim_data.config import API_MEMBER_ID, MEMBERS
from adapters.connectwise.sim_data.records import Record, TicketRecipe, stamp
from adapters.simdata.conversation import (
    CLOSING_LINE,
    GENERIC_FOLLOWUPS,
    GENERIC_NOTES,
    GENERIC_PRIVATES,
    GENERIC_REPLIES,
    SIGNATURE,
    Placeholders,
    placeholders,
)
from adapters.simdata.draw import pick, seeded
from adapters.simdata.hostile import HOSTILE
from adapters.simdata.markup import text_to_html
from adapters.simdata.timeline import spread
from adapters.simdata.topics import TOPICS

if TYPE_CHECKING:
    from adapters.connectwise.sim_data.desk import ConnectWiseDesk

_MEMBER_NAMES = {mid: (ident, f"{first} {last}") for mid, ident, first, last, _, _ in MEMBERS}


def member_ref(member_id: int) -> Record:
    identifier, name = _MEMBER_NAMES[member_id]
    return {"id": member_id, "identifier": identifier, "name": name}


def note_record(
    *,
    note_id: int,
    ticket_id: int,
    text: str,
    created: int,
    discussion: bool = False,
    internal: bool = False,
    resolution: bool = False,
    member_id: int | None = None,
    contact: Record | None = None,
) -> Record:
    """One note as ``/service/tickets/{id}/notes`` answers it."""
    record: Record = {
        "id": note_id,
        "ticketId": ticket_id,
        "text": text,
        "detailDescriptionFlag": discussion,
        "internalAnalysisFlag": internal,
        "resolutionFlag": resolution,
        "issueFlag": False,
        "dateCreated": stamp(created),
        "internalFlag": internal and not discussion,
        "externalFlag": discussion,
        "customerUpdatedFlag": contact is not None,
    }
    if contact is not None:
        record["contact"] = {"id": contact["id"], "name": contact["name"]}
        record["createdBy"] = contact["name"]
    else:
        member = member_ref(member_id or API_MEMBER_ID)
        record["member"] = member
        record["createdBy"] = member["identifier"]
    record["_info"] = {"lastUpdated": stamp(created), "updatedBy": record["createdBy"]}
    return record


class NoteGenerator:
    """Builds a seeded ticket's notes for one site (the site's lazy children call it)."""

    def __init__(self, desk: ConnectWiseDesk) -> None:
        self.desk = desk

    def _placeholders(self, recipe: TicketRecipe, rng: random.Random) -> Placeholders:
        ticket = self.desk.tickets.get(recipe.id, {})
        company = ticket.get("company", {}).get("name", "your company")
        agent_id = recipe.owner_id or 101
        _, agent_full = _MEMBER_NAMES[agent_id]
        return placeholders(
            rng,
            first=recipe.contact_name.split(" ")[0] or "there",
            email=ticket.get("contactEmailAddress", ""),
            org=company,
            agent=agent_full.split(" ")[0],
            agent_full=agent_full,
            team=ticket.get("team", {}).get("name", "Service Desk"),
            ticket=f"#{recipe.id}",
            host=f"{ticket.get('company', {}).get('identifier', 'client').lower()}.example",
            item_id=recipe.id,
            created=recipe.created,
        )

    def notes(self, recipe: TicketRecipe) -> list[Record]:
        if recipe.n_notes <= 0:
            return []
        rng = seeded("connectwise", self.desk.seed, "notes", recipe.id)
        topic = TOPICS[recipe.topic]
        ph = self._placeholders(recipe, rng)
        ticket = self.desk.tickets.get(recipe.id, {})
        contact = ticket.get("contact") or {"id": 0, "name": recipe.contact_name}
        agent = recipe.owner_id or 101
        times = spread(recipe.created, recipe.updated, recipe.n_notes)
        base = self.desk.note_ids.base_of(recipe.id)
        notes: list[Record] = []
        for index, when in enumerate(times):
            note_id = base + index
            last = index == len(times) - 1
            if index == 0:
                text = _opening(recipe, topic.openings, ph)
                notes.append(
                    note_record(
                        note_id=note_id,
                        ticket_id=recipe.id,
                        text=text,
                        created=when,
                        discussion=True,
                        contact=contact,
                    )
                )
            elif last and recipe.resolved:
                text = pick(rng, topic.resolutions).format_map(ph) + CLOSING_LINE
                notes.append(
                    note_record(
                        note_id=note_id,
                        ticket_id=recipe.id,
                        text=text + SIGNATURE.format_map(ph),
                        created=when,
                        discussion=True,
                        resolution=True,
                        member_id=agent,
                    )
                )
            else:
                draw = rng.random()
                if draw < 0.4:
                    text = pick(rng, topic.replies + GENERIC_REPLIES).format_map(ph)
                    notes.append(
                        note_record(
                            note_id=note_id,
                            ticket_id=recipe.id,
                            text=text + SIGNATURE.format_map(ph),
                            created=when,
                            discussion=True,
                            member_id=agent,
                        )
                    )
                elif draw < 0.65:
                    text = pick(rng, topic.followups + GENERIC_FOLLOWUPS).format_map(ph)
                    if recipe.html and rng.random() < 0.5:
                        text = text_to_html(text)
                    notes.append(
                        note_record(
                            note_id=note_id,
                            ticket_id=recipe.id,
                            text=text,
                            created=when,
                            discussion=True,
                            contact=contact,
                        )
                    )
                else:
                    pool = topic.privates + topic.notes + GENERIC_PRIVATES + GENERIC_NOTES
                    notes.append(
                        note_record(
                            note_id=note_id,
                            ticket_id=recipe.id,
                            text=pick(rng, pool).format_map(ph),
                            created=when,
                            internal=True,
                            member_id=agent,
                        )
                    )
        return notes


def _opening(recipe: TicketRecipe, openings: tuple[str, ...], ph: Placeholders) -> str:
    if recipe.hostile >= 0:
        return HOSTILE[recipe.hostile].body
    text = openings[recipe.variant % len(openings)].format_map(ph)
    return text_to_html(text) if recipe.html else text
