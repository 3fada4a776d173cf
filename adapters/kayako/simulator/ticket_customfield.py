"""Tickets\\Api\\Controller_TicketCustomField: a ticket's custom fields, read and set.

Only groups linked to the ticket's department appear (plus any group holding a value).
Values are rendered as the server renders them: option labels for selects, ``, ``-joined
labels (commas escaped) for multi-selects, ``Parent &gt; Child`` for linked selects.
Post takes fields by their random ``name``; the server validates only the fields present
(required, regexp, option IDs, m/d/Y dates) and names every failing field's title.
"""

from __future__ import annotations

import re

from adapters.kayako.sim_data import (
    CF_CHECKBOX,
    CF_DATE,
    CF_LINKEDSELECT,
    CF_MULTISELECT,
    CF_RADIO,
    CF_SELECT,
    CustomField,
    CustomValue,
    Ticket,
    parse_mdy,
)
from adapters.kayako.simulator.core import Call, Controller, Methods, refer_to, status, xml_response
from adapters.kayako.simulator.php import PhpValue, php_key, php_trim
from adapters.kayako.simulator.swift_xml import SwiftXml
from adapters.simulation import SimResponse


class TicketCustomFieldController(Controller):
    php_class = "Tickets\\Api\\Controller_TicketCustomField"

    def methods(self) -> Methods:
        on_ticket = self.site.on_ticket
        return {
            "GetList": refer_to("GET /Tickets/TicketCustomField/$ticketid$"),
            "Get": (on_ticket(self.customfield_get), 1),
            "Post": (on_ticket(self.customfield_post), 1),
        }

    def _render_value(self, cf: CustomField, value: CustomValue | None) -> str:
        options = self.desk.cf_options
        if value is None:
            return ""
        if cf.fieldtype in (CF_SELECT, CF_RADIO) and isinstance(value, int):
            option = options.get(value)
            return option.value if option else str(value)
        if cf.fieldtype in (CF_MULTISELECT, CF_CHECKBOX) and isinstance(value, list):
            labels = [options[v].value if v in options else str(v) for v in value]
            return ", ".join(label.replace(",", "\\,") for label in labels)
        if cf.fieldtype == CF_LINKEDSELECT and isinstance(value, tuple):
            parent, child = options.get(value[0]), options.get(value[1])
            if parent is None:
                return ""
            text = parent.value
            if child is not None and child.parentid == parent.id:
                text += " &gt; " + child.value
            return text
        return str(value)

    def customfield_get(self, call: Call, ticket: Ticket, args: list[str]) -> SimResponse:
        return self._customfields_response(call, ticket)

    def _customfields_response(self, call: Call, ticket: Ticket) -> SimResponse:
        values = self.desk.custom_values.get(ticket)
        xml = SwiftXml()
        xml.open("customfields")
        groups = sorted(self.desk.linked_groups(ticket), key=lambda g: (g.displayorder, g.id))
        for group in groups:
            xml.open(
                "group",
                (("id", group.id), ("title", group.title), ("displayorder", group.displayorder)),
            )
            for cf in sorted(group.fields, key=lambda f: (f.displayorder, f.id)):
                xml.tag(
                    "field",
                    self._render_value(cf, values.get(cf.id)),
                    (
                        ("id", cf.id),
                        ("title", cf.title),
                        ("type", cf.fieldtype),
                        ("name", cf.name),
                    ),
                )
            xml.close("group")
        xml.close("customfields")
        return xml_response(xml, call)

    def _parse_custom_value(self, cf: CustomField, raw: PhpValue) -> tuple[bool, CustomValue]:
        """(valid, value to store); "" stores nothing (clears the field)."""
        top = {o.id for o in cf.options if not o.parentid}
        if cf.fieldtype in (CF_SELECT, CF_RADIO):
            if isinstance(raw, str) and php_trim(raw) == "":
                return not cf.isrequired, ""
            key = php_key(raw)
            return (key is not None and key in top), key or 0
        if cf.fieldtype in (CF_MULTISELECT, CF_CHECKBOX):
            items = list(raw.values()) if isinstance(raw, dict) else [raw]
            keys = [php_key(v) for v in items if not (isinstance(v, str) and v == "")]
            if not keys:
                return not cf.isrequired, ""
            ok = all(k is not None and k in top for k in keys)
            return ok, sorted({k for k in keys if k is not None})
        if cf.fieldtype == CF_LINKEDSELECT:
            if not isinstance(raw, dict):
                return (isinstance(raw, str) and raw == "" and not cf.isrequired), ""
            parent = php_key(raw.get("0"))
            if parent is None or parent not in top:
                return False, ""
            children = raw.get("1")
            child_raw = children.get(str(parent)) if isinstance(children, dict) else None
            child = php_key(child_raw) if child_raw is not None else None
            valid_children = {o.id for o in cf.options if o.parentid == parent}
            if child is None or child not in valid_children:
                return (not valid_children), (parent, 0)
            return True, (parent, child)
        if not isinstance(raw, str):
            return False, ""
        if php_trim(raw) == "":
            return not cf.isrequired, ""
        if cf.fieldtype == CF_DATE:
            return parse_mdy(raw) is not None, php_trim(raw)
        if cf.regexpvalidate and re.search(cf.regexpvalidate, raw) is None:
            return False, raw
        return True, raw

    def customfield_post(self, call: Call, ticket: Ticket, args: list[str]) -> SimResponse:
        desk = self.desk
        fields = [
            cf
            for group in desk.cf_groups.values()
            if ticket.departmentid in group.departmentids
            for cf in group.fields
        ]
        updates: dict[int, CustomValue] = {}
        invalid: list[str] = []
        for cf in fields:
            if cf.name not in call.post:
                continue
            ok, value = self._parse_custom_value(cf, call.post[cf.name])
            if not ok:
                invalid.append(cf.title)
            else:
                updates[cf.id] = value
        if invalid:
            return status(400, "Custom Field Data is Invalid: " + ", ".join(invalid))
        if updates:
            desk.materialise(ticket)
            stored = desk.custom_values.own(ticket)
            for fid, value in updates.items():
                if value == "" or value == []:
                    stored.pop(fid, None)
                else:
                    stored[fid] = value
        return self._customfields_response(call, ticket)
