"""The modal forms of the triage app, one module per form.

Each form is a ``ModalScreen`` that validates before it dismisses and shows errors beside
the field; escape dismisses with ``None`` (``False`` for the bulk confirmation). Forms whose
values are desk ids (update, assign, custom fields) work on one desk at a time; the others
accept a selection spanning desks. Their CSS is ``styles/forms.tcss``.
"""

from tui.screens.forms.action import ActionFormScreen
from tui.screens.forms.assign import Assignment, AssignScreen
from tui.screens.forms.bulk_progress import BulkProgressScreen
from tui.screens.forms.close import CloseRequest, CloseScreen
from tui.screens.forms.compose import ComposeScreen
from tui.screens.forms.confirm_bulk import ConfirmBulkScreen
from tui.screens.forms.custom_fields import CustomFieldsScreen
from tui.screens.forms.merge import MergeScreen
from tui.screens.forms.update import UpdateScreen

__all__ = [
    "ActionFormScreen",
    "AssignScreen",
    "Assignment",
    "BulkProgressScreen",
    "CloseRequest",
    "CloseScreen",
    "ComposeScreen",
    "ConfirmBulkScreen",
    "CustomFieldsScreen",
    "MergeScreen",
    "UpdateScreen",
]
