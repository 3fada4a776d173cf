"""Kayako Classic (v4 REST API, XML with signed queries): the adapter and its settings.

The simulator lives in :mod:`adapters.kayako.simulator` and is imported only when asked for.
"""

from adapters.kayako.adapter import KayakoAdapter, KayakoSettings

ADAPTER = KayakoAdapter

__all__ = ["ADAPTER", "KayakoAdapter", "KayakoSettings"]
