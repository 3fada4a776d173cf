"""The simulated PSA site in memory: its setup tables, companies, contacts and tickets,
and the notes of each ticket (built when first read, kept once written)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from adapters.connectwise.sim_data.config import (
    CLIENT_ID,
    CODEBASE,
    LOGIN_COMPANY,
    PRIVATE_KEY,
    PUBLIC_KEY,
)
from adapters.connectwise.sim_data.records import Record, TicketRecipe
from adapters.simdata.lazy import IdBlocks, LazyChildren


@dataclass
class ConnectWiseDesk:
    """Everything the simulated site holds. ``tickets`` keeps ids ascending (insertion)."""

    seed: int
    now: int
    login_company: str = LOGIN_COMPANY
    public_key: str = PUBLIC_KEY
    private_key: str = PRIVATE_KEY
    client_id: str = CLIENT_ID
    codebase: str = CODEBASE
    boards: dict[int, Record] = field(default_factory=dict)
    statuses: dict[int, Record] = field(default_factory=dict)
    teams: dict[int, Record] = field(default_factory=dict)
    types: dict[int, Record] = field(default_factory=dict)
    priorities: dict[int, Record] = field(default_factory=dict)
    members: dict[int, Record] = field(default_factory=dict)
    companies: dict[int, Record] = field(default_factory=dict)
    contacts: dict[int, Record] = field(default_factory=dict)
    custom_fields: list[Record] = field(default_factory=list)
    tickets: dict[int, Record] = field(default_factory=dict)
    recipes: dict[int, TicketRecipe] = field(default_factory=dict)
    note_ids: IdBlocks = field(default_factory=IdBlocks)
    next_ticket_id: int = 1
    _notes: LazyChildren[list[Record]] | None = None

    def attach_notes(self, generate: Callable[[TicketRecipe], list[Record]]) -> None:
        self._notes = LazyChildren(generate)

    def _lazy(self) -> LazyChildren[list[Record]]:
        if self._notes is None:
            raise RuntimeError("the desk's note generator is not attached")
        return self._notes

    def notes(self, ticket_id: int) -> list[Record]:
        """The ticket's notes (read only: use :meth:`own_notes` to change them)."""
        recipe = self.recipes.get(ticket_id)
        if recipe is None:
            return self._owned_only(ticket_id)
        return self._lazy().get(recipe)

    def own_notes(self, ticket_id: int) -> list[Record]:
        """The ticket's notes, kept for good so that they can be changed."""
        recipe = self.recipes.get(ticket_id)
        if recipe is None:
            recipe = TicketRecipe(ticket_id, 0, 0, 0, -1, False, 0, 0, "", 0, False)
            self.recipes[ticket_id] = recipe
        return self._lazy().own(recipe)

    def _owned_only(self, ticket_id: int) -> list[Record]:
        return []

    def new_note_id(self, ticket_id: int) -> int:
        return self.note_ids.new_id(ticket_id)

    def drop_ticket(self, ticket_id: int) -> None:
        self.tickets.pop(ticket_id, None)
        self._lazy().drop(ticket_id)
        self.recipes.pop(ticket_id, None)

    def board_statuses(self, board_id: int) -> list[Record]:
        return [s for s in self.statuses.values() if s["board"]["id"] == board_id]

    def board_teams(self, board_id: int) -> list[Record]:
        return [t for t in self.teams.values() if t["boardId"] == board_id]

    def board_types(self, board_id: int) -> list[Record]:
        return [t for t in self.types.values() if t["board"]["id"] == board_id]

    def default_status(self, board_id: int) -> Record | None:
        statuses = self.board_statuses(board_id)
        return next((s for s in statuses if s["defaultFlag"]), statuses[0] if statuses else None)

    def default_team(self, board_id: int) -> Record | None:
        teams = self.board_teams(board_id)
        return next((t for t in teams if t["defaultFlag"]), None)
