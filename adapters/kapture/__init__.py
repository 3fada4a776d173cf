"""Kapture CRM: the adapter over its four ticket APIs, and its simulator."""

from adapters.kapture.adapter import KaptureAdapter
from adapters.kapture.client import KaptureSettings

__all__ = ["KaptureAdapter", "KaptureSettings"]
