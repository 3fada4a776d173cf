"""Base\\API\\Controller_CustomField: the custom field definitions and their options.

Definitions are attributes of empty ``<customfield>`` elements ordered by display order;
``ListOptions/$customfieldid$`` lists a field's options, linked-select children with
their parent's ID.
"""

from __future__ import annotations

from adapters.kayako.simulator.core import Call, Controller, Methods, status, xml_response
from adapters.kayako.simulator.php import php_empty, php_intval
from adapters.kayako.simulator.swift_xml import SwiftXml
from adapters.simulation import SimResponse


class CustomFieldController(Controller):
    php_class = "Base\\API\\Controller_CustomField"

    def methods(self) -> Methods:
        return {
            "GetList": (self.customfield_definitions, 0),
            "ListOptions": (self.customfield_options, 1),
        }

    def customfield_definitions(self, call: Call, args: list[str]) -> SimResponse:
        desk = self.desk
        xml = SwiftXml()
        xml.open("customfields")
        fields = sorted(desk.cf_fields.values(), key=lambda f: (f.displayorder, f.id))
        for cf in fields:
            group = desk.cf_groups[cf.groupid]
            xml.tag(
                "customfield",
                "",
                (
                    ("customfieldid", cf.id),
                    ("customfieldgroupid", cf.groupid),
                    ("title", cf.title),
                    ("fieldtype", cf.fieldtype),
                    ("fieldname", cf.name),
                    ("defaultvalue", cf.defaultvalue),
                    ("isrequired", cf.isrequired),
                    ("usereditable", cf.usereditable),
                    ("staffeditable", cf.staffeditable),
                    ("regexpvalidate", cf.regexpvalidate),
                    ("displayorder", cf.displayorder),
                    ("encryptindb", cf.encryptindb),
                    ("description", cf.description),
                    ("grouptype", group.grouptype),
                ),
            )
        xml.close("customfields")
        return xml_response(xml, call)

    def customfield_options(self, call: Call, args: list[str]) -> SimResponse:
        if php_empty(args[0]):
            return status(400, "No Custom Field ID Provided")
        cf = self.desk.cf_fields.get(php_intval(args[0]))
        xml = SwiftXml()
        xml.open("customfieldoptions")
        for option in sorted(cf.options if cf else [], key=lambda o: (o.displayorder, o.id)):
            xml.tag(
                "option",
                "",
                (
                    ("customfieldoptionid", option.id),
                    ("customfieldid", option.fieldid),
                    ("optionvalue", option.value),
                    ("displayorder", option.displayorder),
                    ("isselected", option.isselected),
                    ("parentcustomfieldoptionid", option.parentid),
                ),
            )
        xml.close("customfieldoptions")
        return xml_response(xml, call)
