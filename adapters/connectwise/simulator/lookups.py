"""The setup tables and the CRM side: boards with their statuses, teams and types,
priorities, members, companies and contacts, and ``/system/info``. All read-only here."""

from __future__ import annotations

from collections.abc import Iterable

from adapters.connectwise.sim_data.config import VERSION_CODE, VERSION_NUMBER
from adapters.connectwise.sim_data.records import Record
from adapters.connectwise.simulator.core import (
    Schema,
    Site,
    answer,
    count_answer,
    list_answer,
    not_found,
    one_answer,
)
from adapters.simulation import SimRequest, SimResponse

_INFO = frozenset({"id", "_info"})
BOARD_SCHEMA = Schema(
    "board",
    fields=_INFO
    | {"name", "inactiveFlag", "projectFlag", "locationId", "businessUnitId", "signOffOnCloseFlag"},
    references=frozenset({"location", "department", "autoCloseStatus"}),
)
STATUS_SCHEMA = Schema(
    "boardStatus",
    fields=_INFO
    | {
        "name",
        "sortOrder",
        "displayOnBoard",
        "inactive",
        "closedStatus",
        "timeEntryNotAllowed",
        "defaultFlag",
        "escalationStatus",
        "customerPortalDescription",
    },
    references=frozenset({"board"}),
)
TEAM_SCHEMA = Schema(
    "boardTeam",
    fields=_INFO | {"name", "boardId", "defaultFlag", "locationId", "businessUnitId"},
    references=frozenset({"teamLeader"}),
)
TYPE_SCHEMA = Schema(
    "boardType",
    fields=_INFO | {"name", "category", "defaultFlag", "inactiveFlag"},
    references=frozenset({"board"}),
)
PRIORITY_SCHEMA = Schema(
    "priority", fields=_INFO | {"name", "sortOrder", "color", "defaultFlag", "level"}
)
MEMBER_SCHEMA = Schema(
    "member",
    fields=_INFO
    | {
        "identifier",
        "firstName",
        "lastName",
        "title",
        "officeEmail",
        "inactiveFlag",
        "licenseClass",
    },
    references=frozenset({"timeZone"}),
)
COMPANY_SCHEMA = Schema(
    "company",
    fields=_INFO
    | {
        "identifier",
        "name",
        "addressLine1",
        "city",
        "state",
        "zip",
        "phoneNumber",
        "website",
        "deletedFlag",
    },
    references=frozenset({"status", "country"}),
    arrays={"types": frozenset({"id", "name"})},
)
CONTACT_SCHEMA = Schema(
    "contact",
    fields=_INFO | {"firstName", "lastName", "title", "inactiveFlag"},
    references=frozenset({"company"}),
    arrays={
        "communicationItems": frozenset(
            {"value", "communicationType", "defaultFlag", "type/name", "type/id"}
        )
    },
)


class LookupController:
    def __init__(self, site: Site) -> None:
        self.site = site
        self.desk = site.desk

    def boards(self, request: SimRequest, codebase: str) -> SimResponse:
        return list_answer(request, self.desk.boards.values(), BOARD_SCHEMA, codebase)

    def boards_count(self, request: SimRequest) -> SimResponse:
        return count_answer(request, self.desk.boards.values(), BOARD_SCHEMA)

    def board(self, request: SimRequest, board_id: int, codebase: str) -> SimResponse:
        board = self.desk.boards.get(board_id)
        if board is None:
            return not_found("Board", board_id)
        return one_answer(request, board, codebase)

    def board_children(
        self, request: SimRequest, board_id: int, kind: str, codebase: str
    ) -> SimResponse:
        if board_id not in self.desk.boards:
            return not_found("Board", board_id)
        items: Iterable[Record]
        if kind == "statuses":
            items, schema = self.desk.board_statuses(board_id), STATUS_SCHEMA
        elif kind == "teams":
            items, schema = self.desk.board_teams(board_id), TEAM_SCHEMA
        else:
            items, schema = self.desk.board_types(board_id), TYPE_SCHEMA
        return list_answer(request, items, schema, codebase)

    def priorities(self, request: SimRequest, codebase: str) -> SimResponse:
        return list_answer(request, self.desk.priorities.values(), PRIORITY_SCHEMA, codebase)

    def members(self, request: SimRequest, codebase: str) -> SimResponse:
        return list_answer(request, self.desk.members.values(), MEMBER_SCHEMA, codebase)

    def member(self, request: SimRequest, member_id: int, codebase: str) -> SimResponse:
        member = self.desk.members.get(member_id)
        if member is None:
            return not_found("Member", member_id)
        return one_answer(request, member, codebase)

    def companies(self, request: SimRequest, codebase: str) -> SimResponse:
        return list_answer(request, self.desk.companies.values(), COMPANY_SCHEMA, codebase)

    def companies_count(self, request: SimRequest) -> SimResponse:
        return count_answer(request, self.desk.companies.values(), COMPANY_SCHEMA)

    def company(self, request: SimRequest, company_id: int, codebase: str) -> SimResponse:
        company = self.desk.companies.get(company_id)
        if company is None:
            return not_found("Company", company_id)
        return one_answer(request, company, codebase)

    def contacts(self, request: SimRequest, codebase: str) -> SimResponse:
        return list_answer(request, self.desk.contacts.values(), CONTACT_SCHEMA, codebase)

    def contacts_count(self, request: SimRequest) -> SimResponse:
        return count_answer(request, self.desk.contacts.values(), CONTACT_SCHEMA)

    def contact(self, request: SimRequest, contact_id: int, codebase: str) -> SimResponse:
        contact = self.desk.contacts.get(contact_id)
        if contact is None:
            return not_found("Contact", contact_id)
        return one_answer(request, contact, codebase)

    def system_info(self) -> SimResponse:
        return answer(
            {
                "version": f"{VERSION_CODE}.{VERSION_NUMBER.rsplit('.', 1)[-1]}",
                "isCloud": True,
                "serverTimeZone": "GMT Standard Time",
                "cloudRegion": "EU",
            }
        )
