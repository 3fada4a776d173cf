"""ConnectWise PSA (REST API 3.0, JSON with Basic keys and a clientId): the adapter and its
settings.

The simulator lives in :mod:`adapters.connectwise.simulator` and is imported only when
asked for.
"""

from adapters.connectwise.adapter import ConnectWiseAdapter, ConnectWiseSettings

ADAPTER = ConnectWiseAdapter

__all__ = ["ADAPTER", "ConnectWiseAdapter", "ConnectWiseSettings"]
