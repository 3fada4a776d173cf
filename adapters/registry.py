"""Which vendors exist, and how to reach each one's adapter and simulator.

Vendors are imported lazily so that ``triage --help`` does not pay for five XML/JSON stacks.
A vendor package (``adapters/<vendor>/__init__.py``) exposes:

* ``ADAPTER``: its :class:`adapters.base.Adapter` subclass (whose ``settings_class`` is the
  connection settings model the config is validated against);
* ``simulator.create_app(tickets=…, seed=…, latency=…)``: an ASGI app of the simulated desk;
* ``simulator.connection_block(base_url)``: the TOML connection table (credentials of the
  simulator included) that points at a simulator served at ``base_url``.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from adapters.base import Adapter

VENDOR_MODULES: dict[str, str] = {
    "kayako": "adapters.kayako",
}
VENDOR_TITLES: dict[str, str] = {
    "kayako": "Kayako Classic",
}


class UnknownVendor(KeyError):
    def __init__(self, vendor: str) -> None:
        known = ", ".join(sorted(VENDOR_MODULES))
        super().__init__(f"unknown vendor {vendor!r} (known: {known})")
        self.vendor = vendor

    def __str__(self) -> str:
        return str(self.args[0])


def vendor_names() -> list[str]:
    return sorted(VENDOR_MODULES)


def vendor_module(vendor: str) -> ModuleType:
    try:
        module_name = VENDOR_MODULES[vendor]
    except KeyError:
        raise UnknownVendor(vendor) from None
    return importlib.import_module(module_name)


def adapter_class(vendor: str) -> type[Adapter]:
    adapter: type[Adapter] = vendor_module(vendor).ADAPTER
    return adapter


def simulator_module(vendor: str) -> ModuleType:
    vendor_module(vendor)
    return importlib.import_module(f"{VENDOR_MODULES[vendor]}.simulator")
