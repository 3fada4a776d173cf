"""Tickets\\Api\\Controller_TicketCount: the ticket count cache, per department, status,
type and owner, with the unassigned tickets of each department.

The server answers from a cache it rebuilds as tickets change; the simulator counts the
live desk, which is what a freshly rebuilt cache holds. Buckets counted with unresolved
totals carry ``totalunresolveditems``, the others do not, as in the server's output.
"""

from __future__ import annotations

from typing import Any

from adapters.kayako.sim_data import Ticket
from adapters.kayako.simulator.core import Call, Controller, Methods, xml_response
from adapters.kayako.simulator.swift_xml import SwiftXml, XmlValue
from adapters.simulation import SimResponse

Bucket = dict[str, int]


class TicketCountController(Controller):
    php_class = "Tickets\\Api\\Controller_TicketCount"

    def methods(self) -> Methods:
        return {"GetList": (self.counts, 0)}

    def counts(self, call: Call, args: list[str]) -> SimResponse:
        """TicketCount: the ticket count cache, recomputed from the live data."""
        desk = self.desk

        def bump(bucket: Bucket, ticket: Ticket, resolved: bool, unresolved: bool) -> None:
            bucket["totalitems"] = bucket.get("totalitems", 0) + 1
            bucket["lastactivity"] = max(bucket.get("lastactivity", 0), ticket.lastactivity)
            if unresolved:
                bucket.setdefault("totalunresolveditems", 0)
                if not resolved:
                    bucket["totalunresolveditems"] += 1

        departments: dict[int, dict[str, Any]] = {}
        statuses: dict[int, Bucket] = {}
        owners: dict[int, Bucket] = {}
        for t in sorted(desk.tickets.values(), key=lambda x: x.id):
            resolved = bool(desk.statuses[t.statusid].markasresolved)
            dept = departments.setdefault(
                t.departmentid, {"all": {}, "ticketstatus": {}, "tickettypes": {}, "ownerstaff": {}}
            )
            bump(dept["all"], t, resolved, True)
            bump(dept["ticketstatus"].setdefault(t.statusid, {}), t, resolved, False)
            bump(dept["tickettypes"].setdefault(t.typeid, {}), t, resolved, True)
            bump(dept["ownerstaff"].setdefault(t.ownerstaffid, {}), t, resolved, True)
            bump(statuses.setdefault(t.statusid, {}), t, resolved, False)
            bump(owners.setdefault(t.ownerstaffid, {}), t, resolved, True)
        xml = SwiftXml()

        def count(tag: str, item_id: int, bucket: Bucket) -> None:
            attrs: list[tuple[str, XmlValue]] = [
                ("id", item_id),
                ("lastactivity", bucket["lastactivity"]),
                ("totalitems", bucket["totalitems"]),
            ]
            if "totalunresolveditems" in bucket:  # only in buckets bumped with unresolved
                attrs.append(("totalunresolveditems", bucket["totalunresolveditems"]))
            xml.tag(tag, "", attrs)

        xml.open("ticketcount")
        xml.open("departments")
        for dept_id in sorted(departments):
            dept = departments[dept_id]
            xml.open("department", (("id", dept_id),))
            xml.tag("totalitems", str(dept["all"]["totalitems"]))
            xml.tag("lastactivity", str(dept["all"]["lastactivity"]))
            xml.tag("totalunresolveditems", str(dept["all"]["totalunresolveditems"]))
            for key, tag in (
                ("ticketstatus", "ticketstatus"),
                ("tickettypes", "tickettype"),
                ("ownerstaff", "ownerstaff"),
            ):
                for item_id in sorted(dept[key]):
                    count(tag, item_id, dept[key][item_id])
            xml.close("department")
        xml.close("departments")
        xml.comment("Ticket Count grouped by Status")
        xml.open("statuses")
        for status_id in sorted(statuses):
            count("ticketstatus", status_id, statuses[status_id])
        xml.close("statuses")
        xml.comment("Ticket Count grouped by Owner Staff")
        xml.open("owners")
        for staff_id in sorted(owners):
            count("ownerstaff", staff_id, owners[staff_id])
        xml.close("owners")
        xml.comment("Unassigned Ticket Count grouped by Department")
        xml.open("unassigned")
        for dept_id in sorted(departments):
            unassigned = departments[dept_id]["ownerstaff"].get(0)
            if unassigned is not None:
                count("department", dept_id, unassigned)
        xml.close("unassigned")
        xml.close("ticketcount")
        return xml_response(xml, call)
