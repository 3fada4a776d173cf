"""Writes to the desk's directory: departments, staff and their groups, users, user groups,
organisations, with the side effects the server's models have on the rest of the desk.

Creating a record takes the next auto-increment ID. Deleting one does what the model's
``DeleteList`` does: a department's tickets go to the trash (department 0) and its
sub-departments lose their parent; an organisation's users lose it and its notes go; a
user group's users keep the dangling ID (the server leaves them, with a TODO saying so).
"""

from __future__ import annotations

from collections.abc import Mapping

from adapters.kayako.sim_data.desk import KayakoDesk

TRASH_DEPARTMENT = 0
"""The department of trashed tickets (SWIFT_Ticket::MoveToTrashBulk)."""


def next_id(records: Mapping[int, object]) -> int:
    """The auto-increment ID the next record of a table gets."""
    return max(records, default=0) + 1


def delete_department(desk: KayakoDesk, department_id: int) -> None:
    """SWIFT_Department::DeleteList for one department."""
    desk.departments.pop(department_id, None)
    for department in desk.departments.values():
        if department.parentdepartmentid == department_id:
            department.parentdepartmentid = 0
    for group in desk.cf_groups.values():
        group.departmentids = tuple(d for d in group.departmentids if d != department_id)
    for ticket in desk.tickets.values():
        if ticket.departmentid == department_id:
            desk.materialise(ticket)
            ticket.departmentid = TRASH_DEPARTMENT


def reset_children(desk: KayakoDesk, department_id: int) -> None:
    """SWIFT_Department::ResetParentDepartment: the department's children lose their parent."""
    for department in desk.departments.values():
        if department.parentdepartmentid == department_id:
            department.parentdepartmentid = 0


def delete_organization(desk: KayakoDesk, organization_id: int) -> None:
    """SWIFT_UserOrganization::DeleteList for one organisation."""
    desk.organizations.pop(organization_id, None)
    for user in desk.users.values():
        if user.userorganizationid == organization_id:
            user.userorganizationid = 0
    desk.user_notes = [
        note
        for note in desk.user_notes
        if not (note.linktype == "userorganization" and note.linkid == organization_id)
    ]


def delete_user(desk: KayakoDesk, user_id: int) -> None:
    """SWIFT_User::DeleteList for one user: the user, its e-mails and notes."""
    desk.users.pop(user_id, None)
    desk.forget_emails()
    desk.user_notes = [
        note for note in desk.user_notes if not (note.linktype == "user" and note.linkid == user_id)
    ]
