"""Base\\API\\Controller_UserOrganization: the customer organisations, listed and written.

An organisation is ``restricted`` (members see their own tickets) or ``shared``; its
element carries the address, timeline and custom SLA properties, with the server's two
XML comments between them. Post needs a name and a type; Put a name, and it rewrites every
address field (a field not sent is emptied, as the controller passes '' for it) and the
SLA plan. Delete leaves the organisation's users without one and drops its notes.
"""

from __future__ import annotations

from adapters.kayako.sim_data import Organization
from adapters.kayako.sim_data.directory import delete_organization, next_id
from adapters.kayako.simulator.base_forms import (
    REQUIRED_EMPTY,
    by_row_id,
    filled,
    given,
    in_cache,
    int_of,
    load_failed,
)
from adapters.kayako.simulator.core import Call, Controller, Methods, ok_empty, status, xml_response
from adapters.kayako.simulator.lookup import lookup, render_records
from adapters.kayako.simulator.php import PhpValue
from adapters.kayako.simulator.swift_xml import SwiftXml
from adapters.simulation import SimResponse

ORGANIZATION_TYPES = ("restricted", "shared")
ADDRESS_FIELDS = ("address", "city", "state", "postalcode", "country", "phone", "fax", "website")


def write_organization(xml: SwiftXml, org: Organization) -> None:
    xml.fields(
        ("id", str(org.id)),
        ("name", org.name),
        ("organizationtype", org.organizationtype),
        ("address", org.address),
        ("city", org.city),
        ("state", org.state),
        ("postalcode", org.postalcode),
        ("country", org.country),
        ("phone", org.phone),
        ("fax", org.fax),
        ("website", org.website),
    )
    xml.comment("Timeline Properties")
    xml.tag("dateline", str(org.dateline))
    xml.tag("lastupdate", str(org.lastupdate))
    xml.comment("Custom SLA Properties")
    xml.tag("slaplanid", str(org.slaplanid))
    xml.tag("slaplanexpiry", str(org.slaplanexpiry))


class UserOrganizationController(Controller):
    php_class = "Base\\API\\Controller_UserOrganization"

    def methods(self) -> Methods:
        return {
            "GetList": (self.organization_list, 0),
            "Get": (self.organization_list, 1),
            "Post": (self.organization_post, 0),
            "Put": (self.organization_put, 1),
            "Delete": (self.organization_delete, 1),
        }

    def organization_list(self, call: Call, args: list[str]) -> SimResponse:
        orgs = self.desk.organizations.values()
        return lookup(
            call,
            args,
            orgs,
            write_organization,
            "userorganizations",
            "userorganization",
            cast_first=True,
        )

    def _answer(self, call: Call, org: Organization) -> SimResponse:
        xml = render_records(
            "userorganizations", "userorganization", [org], write_organization, org.id
        )
        return xml_response(xml, call)

    def _sla_error(self, post: dict[str, PhpValue]) -> SimResponse | None:
        raw = filled(post, "slaplanid")
        if raw is not None and not in_cache(self.desk.sla_plans, raw):
            return status(400, "Invalid SLA Plan Specified")
        return None

    @staticmethod
    def _fields(post: dict[str, PhpValue]) -> dict[str, str]:
        return {key: filled(post, key) or "" for key in ADDRESS_FIELDS}

    @staticmethod
    def _sla(post: dict[str, PhpValue]) -> tuple[int, int]:
        plan = int_of(filled(post, "slaplanid"))
        expiry = int_of(filled(post, "slaplanexpiry"))
        return plan, expiry if plan else 0  # no plan, no expiry (the model's rule)

    @staticmethod
    def _not_loaded(raw: str) -> SimResponse:
        return load_failed("User Organization", f"Unable to Load User Organization ID: {raw}")

    def organization_post(self, call: Call, args: list[str]) -> SimResponse:
        post = call.post
        error = self._sla_error(post)
        if error is not None:
            return error
        kind = post.get("organizationtype")
        if not given(post, "name") or not isinstance(kind, str) or kind not in ORGANIZATION_TYPES:
            return status(400, REQUIRED_EMPTY)
        now = self.desk.clock()
        plan, expiry = self._sla(post)
        org = Organization(
            id=next_id(self.desk.organizations),
            name=call.text("name") or "",
            organizationtype=kind,
            dateline=now,
            lastupdate=now,
            slaplanid=plan,
            slaplanexpiry=expiry,
            **self._fields(post),
        )
        self.desk.organizations[org.id] = org
        return self._answer(call, org)

    def organization_put(self, call: Call, args: list[str]) -> SimResponse:
        post = call.post
        org = by_row_id(self.desk.organizations, args[0])
        if org is None:
            return self._not_loaded(args[0])
        error = self._sla_error(post)
        if error is not None:
            return error
        if not given(post, "name"):
            return status(400, REQUIRED_EMPTY)
        kind = post.get("organizationtype")
        org.name = call.text("name") or ""
        if isinstance(kind, str) and kind in ORGANIZATION_TYPES:
            org.organizationtype = kind
        for key, value in self._fields(post).items():
            setattr(org, key, value)
        org.slaplanid, org.slaplanexpiry = self._sla(post)
        org.lastupdate = self.desk.clock()
        return self._answer(call, org)

    def organization_delete(self, call: Call, args: list[str]) -> SimResponse:
        org = by_row_id(self.desk.organizations, args[0])
        if org is None:
            return self._not_loaded(args[0])
        delete_organization(self.desk, org.id)
        self.site.refresh_notes()
        return ok_empty()
