"""Base\\API\\Controller_UserOrganization: the customer organisations.

An organisation is ``restricted`` (members see their own tickets) or ``shared``; its
element carries the address, timeline and custom SLA properties, with the server's two
XML comments between them.
"""

from __future__ import annotations

from adapters.kayako.sim_data import Organization
from adapters.kayako.simulator.core import Call, Controller, Methods, lookup_methods
from adapters.kayako.simulator.lookup import lookup
from adapters.kayako.simulator.swift_xml import SwiftXml
from adapters.simulation import SimResponse


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
        return lookup_methods(self.organization_list)

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
