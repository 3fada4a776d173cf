"""What the contract suite needs to know about one vendor beyond its registry record.

Each vendor provides ``tests/contract/profiles/<vendor>.py`` with ``PROFILE``; one file per
vendor, so that desks added side by side never edit the same file. The faults themselves
(429, 503, a malformed body) are injected in front of the vendor's simulator by the suite
(``conftest.Faults``), so a profile says only what is vendor-shaped about them.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ContractProfile:
    """``bad_credentials``: connection-block values the desk refuses; ``secret``: one of
    the simulator's credentials, which no message may show; ``malformed``: the content type
    and body of a 200 answer the adapter cannot read (broken XML, truncated JSON);
    ``custom_field``: the label of a text field to set and a value it accepts (``None``: the
    first editable text field, with any text)."""

    bad_credentials: Mapping[str, Any]
    secret: str
    malformed: tuple[str, bytes]
    custom_field: tuple[str, str] | None = None
    tickets: int = 30


def profile_for(vendor: str) -> ContractProfile:
    module = importlib.import_module(f"tests.contract.profiles.{vendor}")
    profile: ContractProfile = module.PROFILE
    return profile
