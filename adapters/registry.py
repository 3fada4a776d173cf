"""Which vendors exist, and how to reach each one's adapter and simulator.

One frozen :class:`Vendor` record per desk names everything the app needs about it, by
dotted path: nothing of a vendor is imported until it is asked for, so that
``triage --help`` does not pay for five XML/JSON stacks (``tests/cli`` checks that it
imports no ``adapters`` module beyond this one).

* ``adapter`` (``"package.module:Class"``) is the :class:`adapters.base.Adapter` subclass,
  whose ``settings_class`` is the connection settings model the config is validated
  against;
* ``simulator`` is a module with ``create_app(tickets=…, seed=…, latency=…)`` (an ASGI app
  of the simulated desk) and ``connection_block(base_url)`` (the TOML connection table,
  the simulator's credentials included, that points at a simulator served at
  ``base_url``).

A new desk adds one record to :data:`_BUILT_IN`. Tests register a vendor of their own with
:func:`registered`, which restores the table afterwards; nothing patches module globals.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported lazily at run time, like the vendors
    from adapters.base import Adapter


@dataclass(frozen=True)
class Vendor:
    """One desk vendor: its config name, the title the UI shows, and where its code is."""

    name: str
    title: str
    adapter: str
    simulator: str

    def __post_init__(self) -> None:
        module, sep, attribute = self.adapter.partition(":")
        if not (sep and module and attribute):
            raise ValueError(f"adapter {self.adapter!r} is not of the form module:Class")
        if not self.name or not self.name.isidentifier():
            raise ValueError(f"vendor name {self.name!r} is not an identifier")


_BUILT_IN = (
    Vendor(
        name="connectwise",
        title="ConnectWise PSA",
        adapter="adapters.connectwise.adapter:ConnectWiseAdapter",
        simulator="adapters.connectwise.simulator",
    ),
    Vendor(
        name="halopsa",
        title="HaloPSA",
        adapter="adapters.halopsa.adapter:HaloAdapter",
        simulator="adapters.halopsa.simulator",
    ),
    Vendor(
        name="kayako",
        title="Kayako Classic",
        adapter="adapters.kayako.adapter:KayakoAdapter",
        simulator="adapters.kayako.simulator",
    ),
    Vendor(
        name="invgate",
        title="InvGate Service Management",
        adapter="adapters.invgate.adapter:InvGateAdapter",
        simulator="adapters.invgate.simulator",
    ),
    Vendor(
        name="kapture",
        title="Kapture CRM",
        adapter="adapters.kapture.adapter:KaptureAdapter",
        simulator="adapters.kapture.simulator",
    ),
)
_VENDORS: dict[str, Vendor] = {vendor.name: vendor for vendor in _BUILT_IN}


class UnknownVendor(KeyError):
    def __init__(self, vendor: str) -> None:
        known = ", ".join(sorted(_VENDORS))
        super().__init__(f"unknown vendor {vendor!r} (known: {known})")
        self.vendor = vendor

    def __str__(self) -> str:
        return str(self.args[0])


def register(vendor: Vendor) -> None:
    """Add ``vendor``; a name that is already taken is an error (use :func:`unregister`)."""
    if vendor.name in _VENDORS:
        raise ValueError(f"vendor {vendor.name!r} is already registered")
    _VENDORS[vendor.name] = vendor


def unregister(name: str) -> None:
    if _VENDORS.pop(name, None) is None:
        raise UnknownVendor(name)


@contextmanager
def registered(vendor: Vendor) -> Iterator[Vendor]:
    """``vendor`` is registered inside the ``with`` block only (for tests)."""
    register(vendor)
    try:
        yield vendor
    finally:
        _VENDORS.pop(vendor.name, None)


def vendors() -> list[Vendor]:
    return [_VENDORS[name] for name in sorted(_VENDORS)]


def vendor(name: str) -> Vendor:
    try:
        return _VENDORS[name]
    except KeyError:
        raise UnknownVendor(name) from None


def vendor_names() -> list[str]:
    return sorted(_VENDORS)


def vendor_title(name: str) -> str:
    """The vendor's title for the UI; an unknown name is shown as it is."""
    record = _VENDORS.get(name)
    return record.title if record is not None else name


def adapter_class(name: str) -> type[Adapter]:
    module_name, _, attribute = vendor(name).adapter.partition(":")
    adapter: type[Adapter] = getattr(importlib.import_module(module_name), attribute)
    return adapter


def simulator_module(name: str) -> ModuleType:
    return importlib.import_module(vendor(name).simulator)
