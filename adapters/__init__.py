"""Desk adapters: one package per vendor, all speaking the normalised model."""
